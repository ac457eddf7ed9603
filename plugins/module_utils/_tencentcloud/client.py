# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Tencent Cloud client layer: credentials, endpoints, retries, errors, base module.

Signing, retries and credential chains are the Tencent Cloud SDK's; this
layer only wires the Ansible options into it.
"""

from __future__ import annotations

import importlib
import json
import random
import socket
import threading
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.certops.cloud.plugins.module_utils._api import (
    ApiError,
    Shared,
    denied_message,
    network_problem,
    pace,
    parse_endpoint,
    throttled,
    unreachable_message,
    went_through,
)
from ansible_collections.certops.cloud.plugins.module_utils._module import CertopsModule

try:
    from tencentcloud.common import credential as tc_credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.common.retry import StandardRetryer
except ImportError:
    HAS_TENCENTCLOUD = False
    TENCENTCLOUD_IMPORT_ERROR = traceback.format_exc()
    StandardRetryer = object
else:
    HAS_TENCENTCLOUD = True
    TENCENTCLOUD_IMPORT_ERROR = None

TENCENTCLOUD_ARGUMENT_SPEC = dict(
    secret_id=dict(type="str", no_log=False, fallback=(env_fallback, ["TENCENTCLOUD_SECRET_ID"])),
    secret_key=dict(type="str", no_log=True, fallback=(env_fallback, ["TENCENTCLOUD_SECRET_KEY"])),
    security_token=dict(type="str", no_log=True, fallback=(env_fallback, ["TENCENTCLOUD_SECURITY_TOKEN"])),
    region=dict(type="str", fallback=(env_fallback, ["TENCENTCLOUD_REGION"])),
    role_arn=dict(type="str", fallback=(env_fallback, ["TENCENTCLOUD_ROLE_ARN"])),
    role_session_name=dict(type="str", default="certops-cloud"),
    api_domain=dict(type="str", default="tencentcloudapi.com", fallback=(env_fallback, ["TENCENTCLOUD_API_DOMAIN"])),
    endpoint=dict(type="str", fallback=(env_fallback, ["TENCENTCLOUD_ENDPOINT"])),
    api_timeout=dict(type="int", default=30),
    api_retries=dict(type="int", default=5),
    api_rate_limit=dict(type="float", default=20),
)

# service -> (SDK package, client class)
SERVICES = {
    "ssl": ("tencentcloud.ssl.v20191205", "ssl_client", "SslClient"),
    "tse": ("tencentcloud.tse.v20201207", "tse_client", "TseClient"),
    "sts": ("tencentcloud.sts.v20180813", "sts_client", "StsClient"),
    "gaap": ("tencentcloud.gaap.v20180529", "gaap_client", "GaapClient"),
    "teo": ("tencentcloud.teo.v20220901", "teo_client", "TeoClient"),
    "clb": ("tencentcloud.clb.v20180317", "clb_client", "ClbClient"),
}

# Error codes worth another attempt: throttling, transient server and network faults.
RETRYABLE_CODES = frozenset([
    "ClientNetworkError",
    "ServerNetworkError",
    "RequestLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "InternalError",
    "InternalError.SystemError",
    "ResourceInOperating",
    "FailedOperation.ResourceInOperating",
    "FailedOperation.DomainStatusNotInRunning",  # GAAP: the domain is still applying a change
])

# Failures after which a write may have been applied all the same: the reply was lost, timed out, or the server
# failed after the change (HTTP 5xx, InternalError).
AMBIGUOUS_CODES = frozenset(["ClientNetworkError", "ServerNetworkError", "InternalError", "InternalError.SystemError"])

# Throttling: the account's limit of an action, shared with every run on the account (AWX job slices included).
THROTTLING_CODES = frozenset(["RequestLimitExceeded", "RequestLimitExceeded.UinLimitExceeded",
                              "RequestLimitExceeded.GlobalRegionUinLimitExceeded"])
# The action a thread is calling (its pace key and rate), for the retryer: a throttled call slows the action's pace,
# and a retry waits for its pace too.
_CALLING = threading.local()

# Writes that store a new object on every call, with no deduplication by the API: a retry after an ambiguous
# failure could store a second copy, so the retryer does not retry them; CertificateStore.ensure looks for the
# certificate before it creates it again.  (SSL UploadCertificate is safe: Repeatable=False returns the stored copy.)
NON_IDEMPOTENT = frozenset([("gaap", "CreateCertificate")])


class JitteredRetryer(StandardRetryer):
    """The SDK's retryer, with jittered exponential backoff and transient server errors.

    ``idempotent=False``: for the actions of NON_IDEMPOTENT, never retry an ambiguous failure.
    """

    def __init__(self, max_attempts, base_delay=0.5, max_delay=10.0, idempotent=True):
        super().__init__(max_attempts=max_attempts)
        self._base_delay = base_delay
        self._max_delay = max_delay
        self.idempotent = idempotent
        self.attempts = 0
        self._backoff_fn = self.jittered_backoff

    def jittered_backoff(self, attempt):
        delay = min(self._max_delay, self._base_delay * (2 ** attempt))
        return random.uniform(delay / 2.0, delay)

    def should_retry(self, resp, err):
        if err is None or not isinstance(err, TencentCloudSDKException) or err.get_code() not in RETRYABLE_CODES:
            return False
        return self.idempotent or err.get_code() not in AMBIGUOUS_CODES

    def send_request(self, fn):
        """Call ``fn`` until it succeeds, fails for good or ``max_attempts`` are spent.

        Replaces StandardRetryer.send_request (tencentcloud-sdk-python-common 3.1.195), which keeps the first
        error: an attempt that succeeds after a retried failure is sent again (a write applied again) and the
        call ends with that old error all the same.
        """
        key, rate = getattr(_CALLING, "key", None), getattr(_CALLING, "rate", None)
        for attempt in range(self._max_attempts):
            try:
                response = fn()
            except TencentCloudSDKException as err:
                if err.get_code() in THROTTLING_CODES and key is not None:
                    throttled(key)
                if attempt + 1 >= self._max_attempts or not self.should_retry(None, err):
                    raise
                sleep = self._backoff_fn(attempt)
                self.on_retry(attempt, sleep, None, err)
                time.sleep(sleep)
                if key is not None:
                    pace(key, rate)
                continue
            if key is not None:
                went_through(key)
            return response
        raise TencentCloudSDKException("ClientError", "max_attempts must be at least 1")

    def on_retry(self, n, sleep, resp, err):
        self.attempts += 1


# Seconds the SDK's default credential chain may wait for the CVM metadata service (off a CVM it never answers).
METADATA_TIMEOUT = 2
# A call the credentials' policy does not allow (CAM).
DENIED_CODES = ("AuthFailure.UnauthorizedOperation", "UnauthorizedOperation")
NO_CREDENTIALS = ("no Tencent Cloud credentials found: set secret_id and secret_key (or the environment variables "
                  "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY), a profile file (~/.tencentcloud/credentials) "
                  "or run on a CVM with a CAM role")


def sdk_models(service):
    package = SERVICES[service][0]
    return importlib.import_module(package + ".models")


class TencentCloud:
    """SDK clients for one module run, sharing credentials and profiles."""

    def __init__(self, params, shared=None):
        self.params = params
        self.shared = Shared() if shared is None else shared
        self._clients = {}
        self._credential = None
        self.retryer = None

    def http_profile(self):
        params = self.params
        kwargs = dict(reqTimeout=params["api_timeout"], rootDomain=params["api_domain"] or "tencentcloudapi.com")
        if params.get("endpoint"):
            scheme, host = parse_endpoint(params["endpoint"])
            kwargs.update(protocol=scheme, endpoint=host)
        return HttpProfile(**kwargs)

    def client_profile(self, idempotent=True):
        self.retryer = JitteredRetryer(max_attempts=max(1, self.params["api_retries"] + 1), idempotent=idempotent)
        return ClientProfile(httpProfile=self.http_profile(), retryer=self.retryer, language="en-US")

    def credential(self):
        """The credential of the run, resolved (and the role assumed) once for every endpoint of a batch."""
        if self._credential is None:
            self._credential = self.shared.memo(("tencentcloud credential",), self._resolve_credential)
        return self._credential

    def _resolve_credential(self):
        credential = self._base_credential()
        if self.params.get("role_arn"):
            credential = self._assume_role(credential)
        return credential

    def _base_credential(self):
        secret_id, secret_key = self.params.get("secret_id"), self.params.get("secret_key")
        if bool(secret_id) != bool(secret_key):
            raise ApiError("credentials", "load", "InvalidCredential",
                           "secret_id and secret_key must be given together")
        if secret_id:
            try:
                return tc_credential.Credential(secret_id, secret_key, self.params.get("security_token") or None)
            except TencentCloudSDKException as exc:
                raise ApiError("credentials", "load", exc.get_code() or "InvalidCredential",
                               "secret_id or secret_key is not usable: %s" % exc.get_message())
        # The SDK chain: environment, profile file, CVM role (metadata service), TKE OIDC. Its metadata
        # requests have no timeout of their own; bound them so that a missing credential fails fast.
        previous = socket.getdefaulttimeout()
        socket.setdefaulttimeout(METADATA_TIMEOUT)
        try:
            return tc_credential.DefaultCredentialProvider().get_credential()
        except Exception:  # pylint: disable=broad-exception-caught  # the chain raises SDK errors, OSError, KeyError...
            raise ApiError("credentials", "load", "NoCredentials", NO_CREDENTIALS)
        finally:
            socket.setdefaulttimeout(previous)

    def _assume_role(self, base):
        response = self.call("sts", "AssumeRole", dict(
            RoleArn=self.params["role_arn"],
            RoleSessionName=self.params.get("role_session_name") or "certops-cloud",
            DurationSeconds=3600,
        ), credential=base)
        creds = response["Credentials"]
        return tc_credential.Credential(creds["TmpSecretId"], creds["TmpSecretKey"], creds["Token"])

    def client(self, service, credential=None, region=None, idempotent=True):
        region = region or self.params.get("region") or ""
        key = (service, credential is None, region, idempotent)
        if key not in self._clients:
            package, module_name, class_name = SERVICES[service]
            client_class = getattr(importlib.import_module("%s.%s" % (package, module_name)), class_name)
            self._clients[key] = client_class(credential or self.credential(), region, self.client_profile(idempotent))
        return self._clients[key]

    def call(self, service, action, params, credential=None, region=None):
        """Call ``action`` through the SDK's typed client; return the response as a dict."""
        models = sdk_models(service)
        request = getattr(models, action + "Request")()
        request.from_json_string(json.dumps(params))
        try:
            client = self.client(service, credential, region, idempotent=(service, action) not in NON_IDEMPOTENT)
            _CALLING.key, _CALLING.rate = ("tencentcloud", service, action), self.params.get("api_rate_limit")
            pace(_CALLING.key, _CALLING.rate)
            response = getattr(client, action)(request)
        except TencentCloudSDKException as exc:
            message = self.explain(service, exc.get_code(), exc.get_message())
            if exc.get_code() in DENIED_CODES:
                message = denied_message(self.principal(service, credential), service, action, exc.get_message())
            raise ApiError(service, action, exc.get_code(), message, exc.get_request_id())
        except ValueError as exc:
            raise ApiError(service, action, "ClientError", str(exc))
        return json.loads(response.to_json_string())

    def principal(self, service, credential=None):
        """Who made a call, for a denial: the role assumed (its ARN), else the key (its SecretId, never the key)."""
        if self.params.get("role_arn") and not (service == "sts" and credential is not None):
            return "role %s" % self.params["role_arn"]
        key_id = getattr(credential or self._credential, "secret_id", None) or self.params.get("secret_id")
        return "key %s" % key_id if key_id else "the credentials of the SDK chain"

    def endpoint_url(self, service):
        """The URL the SDK calls for ``service``."""
        if self.params.get("endpoint"):
            return "%s://%s" % parse_endpoint(self.params["endpoint"])
        return "https://%s.%s" % (service, self.params.get("api_domain") or "tencentcloudapi.com")

    def explain(self, service, code, message):
        """The SDK's message, with what to do for network and authentication failures."""
        code = code or ""
        reason = network_problem(message) if code in ("ClientNetworkError", "ServerNetworkError", "ClientError") else None
        if reason:
            return unreachable_message("Tencent Cloud", self.endpoint_url(service), reason, self.params.get("api_retries") or 0)
        if code == "AuthFailure.SignatureExpire":
            return "the request signature expired: check the clock of the controller (%s)" % message
        if code.startswith("AuthFailure") and code != "AuthFailure.UnauthorizedOperation":
            return "authentication failed, check secret_id, secret_key and security_token (%s)" % message
        return message


class TencentCloudModule(CertopsModule):
    """Base class of every Tencent Cloud module."""

    provider_argument_spec = TENCENTCLOUD_ARGUMENT_SPEC

    def __init__(self, module, params=None, shared=None):
        super().__init__(module, params, shared)
        self.cloud = TencentCloud(self.params, self.shared) if HAS_TENCENTCLOUD else None

    def check_requirements(self):
        if not HAS_TENCENTCLOUD:
            self.module.fail_json(msg=missing_required_lib("tencentcloud-sdk-python"),
                                  exception=TENCENTCLOUD_IMPORT_ERROR)

    def call(self, service, action, region=None, **params):
        return self.cloud.call(service, action, params, region=region)

    def require_region(self):
        if not self.params.get("region"):
            self.fail("region is required (set region or TENCENTCLOUD_REGION)")


def caller(cloud, service):
    """``fetch(action)``: a function calling ``action`` of ``service`` with keyword parameters (what the paging
    helpers take)."""
    def fetch(action):
        return lambda **params: cloud.call(service, action, params)
    return fetch
