# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud OpenAPI (RPC style, signature V3): ACS3-HMAC-SHA256 verification and the dispatcher.

What the SDK (``alibabacloud_tea_openapi`` 0.4 / ``darabonba``) sends: ``POST /`` (``GET`` for some
actions, e.g. ESA DeleteCertificate) with the common parameters in headers (``x-acs-action``,
``x-acs-version``, ``x-acs-date``, ``x-acs-signature-nonce``, ``x-acs-content-sha256``, optionally
``x-acs-security-token``) and the action parameters in the query string and/or an
``application/x-www-form-urlencoded`` body; nested parameters are flattened as ``Name.1.Key``.

The signature is rebuilt exactly as ``alibabacloud_tea_openapi.utils.Utils.get_authorization`` does::

    canonical request = METHOD \\n PATH \\n canonical query \\n canonical headers \\n signed headers \\n hex sha256(body)
    canonical query   = key=quote(value, safe='~') sorted by key, joined with & (keys are not encoded)
    canonical headers = name:value.strip()\\n for every signed header (names lower-case, sorted)
    string to sign    = ACS3-HMAC-SHA256 \\n hex sha256(canonical request)
    Signature         = hex HMAC-SHA256(AccessKeySecret, string to sign)

SignedHeaders must cover ``host``, every ``x-acs-*`` header and ``content-type`` when present.
Once the signature and the action are known, the key's policy is checked (``policy.check_alibaba``).
Replies are the bare JSON response body; errors use real HTTP statuses and the body
``{"RequestId", "HostId", "Code", "Message", "Recommend"}`` (see ``status_for``; a policy denial adds
``AccessDeniedDetail``).
"""

from __future__ import annotations

import calendar
import collections
import hashlib
import hmac
import json
import logging
import re
import threading
import time
import typing as t
import uuid
from urllib.parse import parse_qsl, quote

from . import darafidelity
from . import policy as policy_mod
from .core import ApiError, Call, FidelityError, HttpReply, HttpRequest
from .services import ALIBABA_SERVICES, ActionContext, Service
from .state import State
from .tc3 import unflatten

ALGORITHM = 'ACS3-HMAC-SHA256'
MAX_CLOCK_SKEW = 900
NONCE_TTL = 900
DEFAULT_REGION = 'cn-hangzhou'
FIDELITY_ERROR = 'InternalError.SandboxFidelity'
TENCENT_THROTTLE_CODE = 'RequestLimitExceeded'
THROTTLE_CODE = 'Throttling.User'
THROTTLE_MESSAGE = 'Request was denied due to user flow control.'
FORM_TYPE = 'application/x-www-form-urlencoded'

_AUTH_RE = re.compile(r'^(?P<algorithm>ACS3-[A-Z0-9-]+)\s+Credential=(?P<access_key_id>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),'
                      r'\s*Signature=(?P<signature>[0-9a-fA-F]+)\s*$')
_HOST_RE = re.compile(r'^(?P<service>[a-z0-9-]+?)(?:\.(?P<region>[a-z]{2,}-[a-z0-9-]+))?\.aliyuncs\.com(?::\d+)?$')

# Explicit statuses of the common error codes; others: see status_for().
STATUSES = {
    'InvalidAccessKeyId.NotFound': 404,
    'InvalidAction.NotFound': 404,
    'SignatureDoesNotMatch': 400,
    'IncompleteSignature': 400,
    'InvalidTimeStamp.Expired': 400,
    'InvalidTimeStamp.Format': 400,
    'SignatureNonceUsed': 400,
    'InvalidSecurityToken.MismatchWithAccessKey': 400,
    'InvalidVersion': 400,
    'MissingParameter': 400,
    'InternalError': 500,
    'InternalFailure': 500,
    'ServiceUnavailable': 503,
    FIDELITY_ERROR: 500,
}

logger = logging.getLogger('sandbox_cloud')


def status_for(code: str) -> int:
    """The HTTP status Alibaba Cloud uses for an error code (when the raiser did not choose one)."""
    if code in STATUSES:
        return STATUSES[code]
    if code.startswith('Throttling'):
        return 400
    if code.endswith('NotFound') or '.NotFound' in code:
        return 404
    if code.startswith(('Forbidden', 'NoPermission')):
        return 403
    if code.startswith(('InternalError', 'UnknownError')):
        return 500
    if code.startswith('ServiceUnavailable'):
        return 503
    return 400


def missing_common(name: str) -> ApiError:
    """The error for a missing common parameter (header)."""
    return ApiError('MissingParameter', 'The input parameter "%s" that is mandatory for processing this request is not supplied.' % name, 400)


def canonical_query(query: str) -> str:
    """The canonical query string of the received query (as ``get_canonical_query_string`` builds it)."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    return '&'.join('%s=%s' % (key, quote(params[key], safe='~')) for key in sorted(params))


def canonical_request(request: HttpRequest, signed_headers: t.Sequence[str], payload_hash: str) -> str:
    """Rebuild the ACS3 canonical request of a received request."""
    headers = ''.join('%s:%s\n' % (name, request.header(name).strip()) for name in signed_headers)
    return '\n'.join((request.method, request.path or '/', canonical_query(request.query), headers, ';'.join(signed_headers), payload_hash))


def sign(secret: str, canonical: str) -> str:
    """The ACS3-HMAC-SHA256 signature of a canonical request."""
    to_sign = '%s\n%s' % (ALGORITHM, hashlib.sha256(canonical.encode('utf-8')).hexdigest())
    return hmac.new(secret.encode('utf-8'), to_sign.encode('utf-8'), hashlib.sha256).hexdigest()


def error_body(call: Call, code: str, message: str) -> dict[str, t.Any]:
    """Alibaba Cloud's error body."""
    return {
        'RequestId': call.request_id,
        'HostId': '%s.%s.aliyuncs.com' % (call.service or 'unknown', call.region or DEFAULT_REGION),
        'Code': code,
        'Message': message,
        'Recommend': 'https://api.aliyun.com/troubleshoot?q=%s&product=%s&requestId=%s' % (code, (call.service or '').upper(), call.request_id),
    }


class AlibabaDialect:
    """Dispatches Alibaba Cloud OpenAPI (RPC, ACS3) requests to the emulated Alibaba services."""

    provider = 'alibaba'

    def __init__(self, state: State, service_classes: t.Iterable[type[Service]] = ALIBABA_SERVICES) -> None:
        self.state = state
        self.services: dict[str, Service] = {}
        for cls in service_classes:
            self.services[cls.name] = cls(state, self.services)
        self._nonces: collections.OrderedDict[tuple[str, str], float] = collections.OrderedDict()
        self._nonce_lock = threading.Lock()

    @staticmethod
    def matches(request: HttpRequest) -> bool:
        """ACS3 signatures (and unsigned requests that name an x-acs-action)."""
        authorization = request.header('authorization')
        return authorization.startswith('ACS3-') or (not authorization and bool(request.header('x-acs-action')))

    # --- identification (unverified, for faults and the log) -------------------------------------

    def identify(self, request: HttpRequest) -> Call:
        """Describe the call from its headers and host, before anything is verified."""
        match = _AUTH_RE.match(request.header('authorization'))
        access_key_id = match.group('access_key_id') if match else None
        action_name = request.header('x-acs-action') or None
        host = _HOST_RE.match(request.header('host').lower())
        service = self._find_service(host.group('service') if host else None, action_name)
        region = host.group('region') if host and host.group('region') else None
        if region is None:
            with self.state.lock:
                account = self.state.alibaba_account(access_key_id or '')
                region = (account or {}).get('region') or DEFAULT_REGION
        call = Call(
            provider=self.provider,
            service=service.name if service else (host.group('service') if host else None),
            action=action_name,
            version=request.header('x-acs-version') or None,
            region=region,
            secret_id=access_key_id,
            request_id=str(uuid.uuid4()).upper(),
        )
        if action_name:
            call.write = service.is_write(action_name) if service else Service.is_write(action_name)
        for coerce in (True, False):
            try:
                call.params = self._params(request, service, action_name, coerce=coerce)
                break
            except ApiError:
                call.params = {}
        return call

    def _find_service(self, host_service: str | None, action_name: str | None) -> Service | None:
        if host_service in self.services:
            return self.services[host_service]
        if host_service is None:
            for service in self.services.values():
                if action_name in service.ACTIONS:
                    return service
            if len(self.services) == 1:
                return next(iter(self.services.values()))
        return None

    @staticmethod
    def _params(request: HttpRequest, service: Service | None, action_name: str | None, coerce: bool = True) -> dict[str, t.Any]:
        pairs = parse_qsl(request.query, keep_blank_values=True)
        content_type = request.header('content-type').split(';')[0].strip().lower()
        body: dict[str, t.Any] = {}
        if request.body:
            if content_type == FORM_TYPE:
                try:
                    pairs += parse_qsl(request.body.decode('utf-8'), keep_blank_values=True)
                except UnicodeDecodeError as exc:
                    raise ApiError('InvalidParameter', 'The request body is not UTF-8.', 400) from exc
            elif content_type == 'application/json':
                try:
                    body = json.loads(request.body)
                except ValueError as exc:
                    raise ApiError('InvalidParameter', 'The request body is not valid JSON.', 400) from exc
                if not isinstance(body, dict):
                    raise ApiError('InvalidParameter', 'The request body must be a JSON object.', 400)
            else:
                raise ApiError('InvalidParameter', 'Unsupported request body content type `%s`.' % content_type, 400)
        params = unflatten(pairs)
        params.update(body)
        if coerce and service is not None and action_name:
            try:
                params = darafidelity.coerce_request(service.models, action_name + 'Request', params)
            except darafidelity.DaraSchemaError as error:
                raise ApiError('InvalidParameter', str(error), 400) from error
        return params

    # --- handling ---------------------------------------------------------------------------------

    def handle(self, request: HttpRequest, call: Call) -> HttpReply:
        """Authenticate, validate, run the action and return its JSON body."""
        try:
            account = self._authenticate(request)
            service = self._service(call)
            policy_mod.check_alibaba(call, account.get('policy'), account, call.secret_id or '')
            params = self._params(request, service, call.action)
            with self.state.lock:
                result = service.handle(call.action, ActionContext(call, account), params)
                body = dict(result, RequestId=call.request_id)
                self._validate_response(service, call.action, body)
        except ApiError as error:
            return self.error_reply(call, error)
        except FidelityError as error:
            logger.error('fidelity error in %s %s: %s', call.service, call.action, error)
            return self.error_reply(call, ApiError(FIDELITY_ERROR, 'sandbox fidelity error: %s' % error, 500))
        call.ok = True
        reply = HttpReply.json(body)
        reply.headers['x-acs-request-id'] = call.request_id or ''
        return reply

    def error_reply(self, call: Call, error: ApiError) -> HttpReply:
        """Report an API error with Alibaba's body and HTTP status (and record it on the call)."""
        code, message, retry_after = error.code, error.message, error.retry_after
        if call.fault and code == TENCENT_THROTTLE_CODE:
            code = THROTTLE_CODE
            message = THROTTLE_MESSAGE if message.startswith('Your current request is limited') else message
        call.ok = False
        call.error_code = code
        status = error.http_status if error.http_status >= 400 else status_for(code)
        body = error_body(call, code, message)
        if isinstance(error, policy_mod.Denial):
            body.update(error.body)
        reply = HttpReply.json(body, status=status)
        reply.headers['x-acs-request-id'] = call.request_id or ''
        if retry_after is not None:
            reply.headers['x-acs-retry-after'] = str(max(1, int(retry_after * 1000)))
        return reply

    def _authenticate(self, request: HttpRequest) -> dict[str, t.Any]:
        authorization = request.header('authorization')
        if not authorization:
            raise missing_common('Authorization')
        match = _AUTH_RE.match(authorization)
        if not match:
            raise ApiError('IncompleteSignature', 'The request signature does not conform to Aliyun standards.', 400)
        if match.group('algorithm') != ALGORITHM:
            raise ApiError('IncompleteSignature', 'The signature algorithm %s is not supported by the sandbox (use %s).'
                           % (match.group('algorithm'), ALGORITHM), 400)
        signed = match.group('signed').split(';')
        if signed != sorted(signed) or any(name != name.lower() for name in signed):
            raise ApiError('IncompleteSignature', 'SignedHeaders must be lower-case and sorted.', 400)
        required = {'host'} | {name for name in request.headers if name.startswith('x-acs-')}
        if request.header('content-type'):
            required.add('content-type')
        unsigned = sorted(required - set(signed))
        if unsigned:
            raise ApiError('IncompleteSignature', 'The request signature does not cover the header(s) %s.' % ', '.join(unsigned), 400)
        missing_headers = [name for name in signed if name not in request.headers]
        if missing_headers:
            raise ApiError('IncompleteSignature', 'The signed header(s) %s are not in the request.' % ', '.join(missing_headers), 400)
        self._check_date(request.header('x-acs-date'))
        nonce = request.header('x-acs-signature-nonce')
        if not nonce:
            raise missing_common('x-acs-signature-nonce')
        payload_hash = hashlib.sha256(request.body).hexdigest()
        if request.header('x-acs-content-sha256') != payload_hash:
            raise ApiError('SignatureDoesNotMatch', 'x-acs-content-sha256 does not match the SHA-256 of the request body.', 400)
        access_key_id = match.group('access_key_id')
        with self.state.lock:
            account = self.state.alibaba_account(access_key_id)
            if account is None:
                raise ApiError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404)
            account = dict(account)
        expected = sign(account['access_key_secret'], canonical_request(request, signed, payload_hash))
        if not hmac.compare_digest(expected, match.group('signature').lower()):
            raise ApiError('SignatureDoesNotMatch', 'Specified signature does not match our calculation.', 400)
        self._check_token(request, account, access_key_id)
        self._use_nonce(access_key_id, nonce)
        return account

    @staticmethod
    def _check_date(value: str) -> None:
        if not value:
            raise missing_common('x-acs-date')
        try:
            moment = calendar.timegm(time.strptime(value, '%Y-%m-%dT%H:%M:%SZ'))
        except ValueError as exc:
            raise ApiError('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.', 400) from exc
        if abs(time.time() - moment) > MAX_CLOCK_SKEW:
            raise ApiError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 400)

    @staticmethod
    def _check_token(request: HttpRequest, account: dict[str, t.Any], access_key_id: str) -> None:
        token = request.header('x-acs-security-token')
        expected = account.get('security_token') or ''
        if not token and not expected:
            return
        if not token:
            raise ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'The AccessKey %s needs a security token (x-acs-security-token).' % access_key_id, 400)
        if not hmac.compare_digest(token, expected):
            raise ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.', 400)
        if request.header('x-acs-accesskey-id') not in ('', access_key_id):
            raise ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'x-acs-accesskey-id does not match the signing AccessKey.', 400)

    def _use_nonce(self, access_key_id: str, nonce: str) -> None:
        now = time.monotonic()
        with self._nonce_lock:
            while self._nonces and now - next(iter(self._nonces.values())) > NONCE_TTL:
                self._nonces.popitem(last=False)
            if (access_key_id, nonce) in self._nonces:
                raise ApiError('SignatureNonceUsed', 'Specified signature nonce was used already.', 400)
            self._nonces[(access_key_id, nonce)] = now

    def _service(self, call: Call) -> Service:
        if not call.action:
            raise missing_common('x-acs-action')
        service = self.services.get(call.service or '')
        if service is None or call.action not in service.ACTIONS:
            raise ApiError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404)
        if not call.version:
            raise missing_common('x-acs-version')
        if call.version != service.version:
            raise ApiError('InvalidVersion', 'Specified parameter Version is not valid (the sandbox %s speaks %s).' % (service.name, service.version), 400)
        return service

    @staticmethod
    def _validate_response(service: Service, action_name: str, body: dict[str, t.Any]) -> None:
        try:
            darafidelity.check_response(service.models, action_name + 'ResponseBody', body)
        except darafidelity.DaraSchemaError as error:
            raise FidelityError(str(error)) from error
