# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Alibaba Cloud client layer: credentials, endpoint, retries, errors, base module.

Signing (ACS3-HMAC-SHA256), retries and the credential chain are the
Alibaba Cloud SDK's; this layer only wires the Ansible options into it.
"""

from __future__ import annotations

import re
import time
import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.certops.cloud.plugins.module_utils._api import (
    ApiError,
    Shared,
    backoff,
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
    from alibabacloud_credentials.client import Client as CredentialClient
    from alibabacloud_esa20240910 import models as esa_models
    from alibabacloud_esa20240910.client import Client as EsaClient
    from alibabacloud_tea_openapi import utils_models as open_api_models
    from darabonba.policy.retry import RetryCondition, RetryOptions
    from darabonba.runtime import RuntimeOptions
    from Tea.exceptions import TeaException
except ImportError:
    HAS_ALICLOUD = False
    ALICLOUD_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_ALICLOUD = True
    ALICLOUD_IMPORT_ERROR = None

DEFAULT_REGION = "cn-hangzhou"

ALICLOUD_ARGUMENT_SPEC = dict(
    access_key_id=dict(type="str", no_log=False, fallback=(env_fallback, ["ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"])),
    access_key_secret=dict(type="str", no_log=True, fallback=(env_fallback, ["ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"])),
    security_token=dict(type="str", no_log=True, fallback=(env_fallback, ["ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"])),
    region=dict(type="str", fallback=(env_fallback, ["ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION"])),
    endpoint=dict(type="str", fallback=(env_fallback, ["ALIBABA_CLOUD_ESA_ENDPOINT"])),
    api_timeout=dict(type="int", default=30),
    api_retries=dict(type="int", default=5),
    api_rate_limit=dict(type="float", default=20),
)

# Retried by the SDK runtime: network errors (RetryError) and transient server errors.
RETRYABLE_EXCEPTIONS = ["RetryError"]
RETRYABLE_CODES = ["ServiceUnavailable", "InternalError", "InternalException", "ServiceBusy"]
# Retried here, with jitter, the action's pace slowed: the SDK runtime would retry every throttled call after the wait
# the server names (x-acs-retry-after) and nothing more, so the calls of runs sharing the account (AWX job slices) come
# back all at once and are throttled again.
THROTTLING_CODES = ("Throttling", "Throttling.User", "Throttling.Api")
NO_CREDENTIALS = ("no Alibaba Cloud credentials found: set access_key_id and access_key_secret (or the environment variables "
                  "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), a profile (~/.alibabacloud/credentials.ini "
                  "or ~/.aliyun/config.json) or run on an ECS instance with a RAM role")
# A call the credentials' policy does not allow (RAM).
DENIED_CODES = ("NoPermission", "Forbidden.RAM", "Forbidden.NoPermission")
AUTH_CODES = ("InvalidAccessKeyId.NotFound", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSecurityToken.Expired",
              "InvalidSecurityToken.MismatchWithAccessKey", "InvalidSecurityToken.Malformed", "Forbidden.AccessKeyDisabled")


def retry_options(retries):
    """The SDK runtime's retry policy: ``retries`` more attempts after the first (darabonba counts attempts)."""
    backoff = dict(policy="ExponentialWithEqualJitter", period=500, cap=10000)
    condition = RetryCondition(max_attempts=retries + 1, backoff=backoff, exception=RETRYABLE_EXCEPTIONS,
                               error_code=RETRYABLE_CODES, max_delay=10000)
    return RetryOptions(retryable=retries > 0, retry_condition=[condition])


def default_credential():
    """The SDK's default credential chain, resolved once per module run."""
    try:
        credential = CredentialClient()
        resolve = getattr(credential, "get_credential", None)
        if resolve is not None and not resolve().get_access_key_id():
            raise ValueError("empty access key id")
    except Exception:  # pylint: disable=broad-exception-caught  # the credential chain raises plain exceptions
        raise ApiError("credentials", "load", "NoCredentials", NO_CREDENTIALS)
    return credential


class AliCloud:
    """SDK clients for one module run."""

    def __init__(self, params, shared=None):
        self.params = params
        self.shared = Shared() if shared is None else shared
        self._esa = None

    @property
    def region(self):
        return self.params.get("region") or DEFAULT_REGION

    def config(self):
        params = self.params
        key_id, secret = params.get("access_key_id"), params.get("access_key_secret")
        if bool(key_id) != bool(secret):
            raise ApiError("credentials", "load", "InvalidCredential", "access_key_id and access_key_secret must be given together")
        timeout = params["api_timeout"] * 1000
        config = open_api_models.Config(region_id=self.region, read_timeout=timeout, connect_timeout=timeout,
                                        retry_options=retry_options(params["api_retries"]))
        if key_id:
            config.access_key_id, config.access_key_secret = key_id, secret
            config.security_token = params.get("security_token") or None
        else:
            # The SDK chain (environment, profiles, ECS RAM role with 1 s metadata timeouts, ...), resolved now:
            # a missing credential fails here, before any API call, and not as a retried request error.
            config.credential = self.shared.memo(("alicloud credential",), default_credential)
        if params.get("endpoint"):
            scheme, host = parse_endpoint(params["endpoint"])
            config.endpoint, config.protocol = host, scheme
        else:
            config.endpoint = "esa.%s.aliyuncs.com" % self.region
        return config

    def esa(self):
        if self._esa is None:
            self._esa = EsaClient(self.config())
        return self._esa

    def call(self, action, params):
        """Call an ESA action with its typed request model; return the response body as a dict."""
        request = getattr(esa_models, action + "Request")().from_map(params)
        method = getattr(self.esa(), _snake(action) + "_with_options")
        key, retries = ("alicloud", "esa", action), self.params.get("api_retries") or 0
        attempt = 0
        while True:
            pace(key, self.params.get("api_rate_limit"))
            try:
                response = self.send(action, method, request)
            except ApiError as exc:
                if exc.code not in THROTTLING_CODES:
                    raise
                throttled(key)
                if attempt >= retries:
                    raise
                time.sleep(backoff(attempt, at_least=getattr(exc, "retry_after", 0)))
                attempt += 1
                continue
            went_through(key)
            return response.body.to_map()

    def send(self, action, method, request):
        """One SDK call of ``action`` (the SDK runtime retries network and server errors); errors as ApiError."""
        try:
            return method(request, RuntimeOptions())
        except TeaException as exc:
            self.raise_if_unreachable(action, exc)
            data = getattr(exc, "data", None) or {}
            message = _plain_message(exc.message or str(exc))
            if exc.code in DENIED_CODES:
                key_id = self.params.get("access_key_id")
                message = denied_message("key %s" % key_id if key_id else "the credentials of the SDK chain", "esa", action, message)
            error = ApiError("esa", action, exc.code or "ClientError", message, getattr(exc, "request_id", None) or data.get("RequestId"))
            error.retry_after = (getattr(exc, "retry_after", None) or 0) / 1000.0  # the wait the server named, in ms
            raise error
        except (ValueError, OSError) as exc:
            self.raise_if_unreachable(action, exc)
            raise ApiError("esa", action, "ClientError", str(exc))
        except Exception as exc:  # darabonba raises RetryError (not a TeaException) once network retries are spent
            if type(exc).__name__ in RETRYABLE_EXCEPTIONS:
                self.raise_if_unreachable(action, exc)
                raise ApiError("esa", action, "NetworkError", str(exc))
            raise

    def endpoint_url(self):
        if self.params.get("endpoint"):
            return "%s://%s" % parse_endpoint(self.params["endpoint"])
        return "https://esa.%s.aliyuncs.com" % self.region

    def raise_if_unreachable(self, action, exc):
        """A clear ApiError when ``exc`` means the endpoint could not be reached."""
        reason = network_problem("%s %s" % (type(exc).__name__, exc))
        if reason:
            raise ApiError("esa", action, "NetworkError",
                           unreachable_message("Alibaba Cloud", self.endpoint_url(), reason, self.params.get("api_retries") or 0))


def _plain_message(message):
    """The service's message without the SDK's ``code: 400, ... request id: ...`` wrapping."""
    match = re.match(r"^code: \d+, (.*?)(?: request id: \S+)?(?: Response: .*)?$", message, re.S)
    return match.group(1).strip() if match else message


def _snake(name):
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


class AliCloudModule(CertopsModule):
    """Base class of every Alibaba Cloud module."""

    provider_argument_spec = ALICLOUD_ARGUMENT_SPEC

    def __init__(self, module, params=None, shared=None):
        super().__init__(module, params, shared)
        self.cloud = AliCloud(self.params, self.shared) if HAS_ALICLOUD else None

    def check_requirements(self):
        if not HAS_ALICLOUD:
            self.module.fail_json(msg=missing_required_lib("alibabacloud-esa20240910"), exception=ALICLOUD_IMPORT_ERROR)

    def call(self, action, **params):
        try:
            return self.cloud.call(action, params)
        except ApiError as exc:
            if exc.code in AUTH_CODES:
                exc.message = ("authentication failed, check access_key_id, access_key_secret and security_token "
                               "(%s)" % exc.message)
            raise
