# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud API 3.0: TC3-HMAC-SHA256 verification, the JSON envelope and the dispatcher.

A request is ``POST /`` with a JSON body (or ``GET /?<flattened params>``) and the common parameters
in headers: X-TC-Action, X-TC-Version, X-TC-Timestamp, X-TC-Region, X-TC-Token and Authorization.
The service is taken from the credential scope of the Authorization header because every service
shares the sandbox's host.  Replies are HTTP 200 with ``{"Response": {...}}``; errors carry
``Response.Error.{Code,Message}``.  Once the signature and the action are known, the key's policy is
checked (``policy.check_tencent``).  Request parameters and response fields are checked against the
SDK models (see ``fidelity``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import logging
import re
import time
import typing as t
import uuid
from urllib.parse import parse_qsl

from tencentcloud.common.sign import Sign

from . import policy as policy_mod
from .core import ApiError, Call, FidelityError, HttpReply, HttpRequest, missing
from .fidelity import SchemaError, schema
from .services import TENCENT_SERVICES, ActionContext, Service
from .services.sts import temporary_credential
from .state import State

ALGORITHM = 'TC3-HMAC-SHA256'
MAX_CLOCK_SKEW = 300
UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD'
FIDELITY_ERROR = 'InternalError.SandboxFidelity'

KNOWN_REGIONS = frozenset((
    'ap-guangzhou', 'ap-shanghai', 'ap-nanjing', 'ap-beijing', 'ap-chengdu', 'ap-chongqing', 'ap-hongkong',
    'ap-singapore', 'ap-jakarta', 'ap-seoul', 'ap-tokyo', 'ap-bangkok', 'ap-mumbai', 'na-siliconvalley',
    'na-ashburn', 'na-toronto', 'sa-saopaulo', 'eu-frankfurt', 'ap-shanghai-fsi', 'ap-shenzhen-fsi',
))

_AUTH_RE = re.compile(r'^TC3-HMAC-SHA256\s+Credential=(?P<credential>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),'
                      r'\s*Signature=(?P<signature>[0-9a-fA-F]{64})\s*$')
_SCOPE_RE = re.compile(r'^(?P<secret_id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[a-z0-9]+)/tc3_request$')

logger = logging.getLogger('sandbox_cloud')


@dataclasses.dataclass(frozen=True)
class Authorization:
    """The parts of a TC3-HMAC-SHA256 Authorization header."""

    secret_id: str
    date: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> Authorization:
    """Parse the Authorization header; raises ``AuthFailure.InvalidAuthorization`` when malformed."""
    match = _AUTH_RE.match(value or '')
    scope = _SCOPE_RE.match(match.group('credential')) if match else None
    if not match or not scope:
        raise ApiError('AuthFailure.InvalidAuthorization', 'Authorization is not a valid TC3-HMAC-SHA256 header.')
    signed = tuple(match.group('signed').lower().split(';'))
    if 'host' not in signed:
        raise ApiError('AuthFailure.InvalidAuthorization', 'SignedHeaders must include host.')
    return Authorization(scope.group('secret_id'), scope.group('date'), scope.group('service'), signed, match.group('signature').lower())


def string_to_sign(request: HttpRequest, auth: Authorization, timestamp: str) -> str:
    """Rebuild the TC3 string to sign from the received request."""
    payload = request.body
    if request.header('x-tc-content-sha256') == UNSIGNED_PAYLOAD:
        payload = UNSIGNED_PAYLOAD.encode('ascii')
    canonical_headers = ''.join('%s:%s\n' % (name, request.header(name).strip().lower()) for name in auth.signed_headers)
    canonical_request = '\n'.join((
        request.method,
        request.path,
        request.query if request.method == 'GET' else '',
        canonical_headers,
        ';'.join(auth.signed_headers),
        hashlib.sha256(payload).hexdigest(),
    ))
    scope = '%s/%s/tc3_request' % (auth.date, auth.service)
    return '\n'.join((ALGORITHM, timestamp, scope, hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()))


def unflatten(pairs: t.Iterable[tuple[str, str]]) -> dict[str, t.Any]:
    """Turn GET parameters such as ``Filters.0.Key=Name`` into nested dicts and lists."""
    root: dict[str, t.Any] = {}
    for key, value in pairs:
        node = root
        parts = key.split('.')
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise ApiError('InvalidParameter', 'Parameter `%s` is malformed.' % key)
        node[parts[-1]] = value
    return _listify(root)


def _listify(node: t.Any) -> t.Any:
    if not isinstance(node, dict):
        return node
    items = {key: _listify(value) for key, value in node.items()}
    if items and all(key.isdigit() for key in items):
        return [items[key] for key in sorted(items, key=int)]
    return items


def error_body(request_id: str, code: str, message: str) -> dict[str, t.Any]:
    """The API 3.0 error envelope."""
    return {'Response': {'Error': {'Code': code, 'Message': message}, 'RequestId': request_id}}


class TencentDialect:
    """Dispatches Tencent Cloud API 3.0 requests to the emulated services."""

    provider = 'tencent'

    def __init__(self, state: State, service_classes: t.Iterable[type[Service]] = TENCENT_SERVICES) -> None:
        self.state = state
        self.services: dict[str, Service] = {}
        for cls in service_classes:
            self.services[cls.name] = cls(state, self.services)

    @staticmethod
    def matches(request: HttpRequest) -> bool:
        """Tencent is the default dialect: it also reports malformed requests."""
        return True

    # --- identification (unverified, for faults and the log) -------------------------------------

    def identify(self, request: HttpRequest) -> Call:
        """Describe the call from its headers, before anything is verified."""
        match = _AUTH_RE.match(request.header('authorization'))
        scope = _SCOPE_RE.match(match.group('credential')) if match else None
        call = Call(
            provider=self.provider,
            service=scope.group('service') if scope else None,
            action=request.header('x-tc-action') or None,
            version=request.header('x-tc-version') or None,
            region=request.header('x-tc-region') or None,
            secret_id=scope.group('secret_id') if scope else None,
            request_id=str(uuid.uuid4()),
        )
        service = self.services.get(call.service or '')
        if call.action:
            call.write = service.is_write(call.action) if service else Service.is_write(call.action)
        try:
            call.params = self._params(request, service, call.action)
        except ApiError:
            call.params = {}
        return call

    @staticmethod
    def _params(request: HttpRequest, service: Service | None, action_name: str | None) -> dict[str, t.Any]:
        if request.method == 'GET':
            params = unflatten(parse_qsl(request.query, keep_blank_values=True))
            model = schema(service.models) if service else None
            if model and action_name and model.has_model(action_name + 'Request'):
                params = model.coerce(action_name + 'Request', params)
            return params
        if not request.body:
            return {}
        try:
            params = json.loads(request.body)
        except ValueError as exc:
            raise ApiError('InvalidParameter', 'The request body is not valid JSON.') from exc
        if not isinstance(params, dict):
            raise ApiError('InvalidParameter', 'The request body must be a JSON object.')
        return params

    # --- handling ---------------------------------------------------------------------------------

    def handle(self, request: HttpRequest, call: Call) -> HttpReply:
        """Authenticate, validate, run the action and wrap the result in the API 3.0 envelope."""
        try:
            account, key_policy = self._authenticate(request)
            service = self._service(call)
            policy_mod.check_tencent(call, key_policy, account['uin'])
            params = self._params(request, service, call.action)
            self._validate_request(service, call.action, params)
            with self.state.lock:
                result = service.handle(call.action, ActionContext(call, account), params)
                body = dict(result, RequestId=call.request_id)
                self._validate_response(service, call.action, body)
                reply = HttpReply.json({'Response': body})
        except ApiError as error:
            return self.error_reply(call, error)
        except FidelityError as error:
            logger.error('fidelity error in %s %s: %s', call.service, call.action, error)
            call.error_code = FIDELITY_ERROR
            return HttpReply.json(error_body(call.request_id, FIDELITY_ERROR, 'sandbox fidelity error: %s' % error), status=500)
        call.ok = True
        return reply

    def error_reply(self, call: Call, error: ApiError) -> HttpReply:
        """Report an API error in the envelope (and record it on the call)."""
        call.ok = False
        call.error_code = error.code
        return HttpReply.json(error_body(call.request_id, error.code, error.message), status=error.http_status)

    def _authenticate(self, request: HttpRequest) -> tuple[dict[str, t.Any], policy_mod.Policy]:
        """Verify the signature; returns the account and the policy in force (for temporary credentials: the role's)."""
        auth = parse_authorization(request.header('authorization'))
        timestamp = request.header('x-tc-timestamp')
        if not timestamp:
            raise missing('X-TC-Timestamp')
        if not timestamp.isdigit():
            raise ApiError('InvalidParameterValue', 'X-TC-Timestamp must be a UNIX timestamp in seconds.')
        now = int(time.time())
        if abs(now - int(timestamp)) > MAX_CLOCK_SKEW:
            raise ApiError('AuthFailure.SignatureExpire',
                           'Signature expired. Timestamp is %s, server time is %d; the difference must be within %d seconds.'
                           % (timestamp, now, MAX_CLOCK_SKEW))
        with self.state.lock:
            account = self.state.account(auth.secret_id)
            temporary = None if account else temporary_credential(self.state, auth.secret_id)
            if temporary:
                account = self.state.account(temporary['secret_id'])
            if account is None:
                raise ApiError('AuthFailure.SecretIdNotFound', 'The SecretId is not found, please ensure that your SecretId is correct.')
            secret_key = temporary['TmpSecretKey'] if temporary else account['secret_key']
            expected_date = time.strftime('%Y-%m-%d', time.gmtime(int(timestamp)))
            expected = Sign.sign_tc3(secret_key, auth.date, auth.service, string_to_sign(request, auth, timestamp))
            if auth.date != expected_date or not hmac.compare_digest(expected, auth.signature):
                raise ApiError('AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.')
            if temporary:
                if not hmac.compare_digest(request.header('x-tc-token'), temporary['Token']):
                    raise ApiError('AuthFailure.TokenFailure', 'The token is missing or does not match the temporary credentials.')
                if temporary['ExpiredTime'] < now:
                    raise ApiError('AuthFailure.TokenFailure', 'The temporary credentials have expired.')
                return dict(account), self.state.role_policy(temporary['secret_id'], temporary['RoleArn'])
            return dict(account), account.get('policy')

    def _service(self, call: Call) -> Service:
        service = self.services.get(call.service or '')
        if service is None:
            raise ApiError('InvalidAction', 'The sandbox does not emulate the service `%s`.' % call.service)
        if not call.action:
            raise missing('X-TC-Action')
        if not call.version:
            raise missing('X-TC-Version')
        if call.version != service.version:
            raise ApiError('NoSuchVersion', 'The API version `%s` of %s does not exist; use %s.' % (call.version, service.name, service.version))
        if call.action not in service.ACTIONS:
            raise ApiError('InvalidAction', 'The action `%s` does not exist for %s (or is not emulated).' % (call.action, service.name))
        if call.region is None and service.regional:
            raise missing('Region')
        if call.region is not None and call.region not in KNOWN_REGIONS:
            raise ApiError('UnsupportedRegion', 'The region `%s` is not supported.' % call.region)
        return service

    @staticmethod
    def _validate_request(service: Service, action_name: str, params: dict[str, t.Any]) -> None:
        try:
            schema(service.models).validate(action_name + 'Request', params)
        except SchemaError as error:
            if error.kind == 'unknown':
                raise ApiError('UnknownParameter', 'The parameter `%s` is not recognized.' % error.path) from error
            raise ApiError('InvalidParameter', 'The value of parameter `%s` is invalid: %s.' % (error.path, error)) from error

    @staticmethod
    def _validate_response(service: Service, action_name: str, body: dict[str, t.Any]) -> None:
        try:
            schema(service.models).validate(action_name + 'Response', body)
        except SchemaError as error:
            raise FidelityError(str(error)) from error
