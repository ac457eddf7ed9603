# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Tencent Cloud client layer: options, endpoints, credentials, retries, errors."""

from __future__ import annotations

import json

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from ansible_collections.certops.cloud.plugins.module_utils._common import ApiError
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud import (
    JitteredRetryer,
    TencentCloud,
    TencentCloudModule,
    parse_endpoint,
)

BASE = dict(secret_id=None, secret_key=None, security_token=None, region="ap-guangzhou", role_arn=None,
            role_session_name="certops-cloud", api_domain="tencentcloudapi.com", endpoint=None,
            api_timeout=30, api_retries=5)


def params(**kwargs):
    result = dict(BASE)
    result.update(kwargs)
    return result


@pytest.mark.parametrize("value, expected", [
    ("tse.internal.example", ("https", "tse.internal.example")),
    ("http://127.0.0.1:8080", ("http", "127.0.0.1:8080")),
    ("https://api.example:8443/", ("https", "api.example:8443")),
])
def test_parse_endpoint(value, expected):
    assert parse_endpoint(value) == expected


@pytest.mark.parametrize("value", ["ftp://host", "http://host/path", "host/path", "http://"])
def test_parse_endpoint_rejects(value):
    with pytest.raises(ValueError):
        parse_endpoint(value)


def test_http_profile_from_options():
    profile = TencentCloud(params(endpoint="http://127.0.0.1:9000", api_timeout=7)).http_profile()
    assert (profile.scheme, profile.endpoint, profile.reqTimeout) == ("http", "127.0.0.1:9000", 7)
    intl = TencentCloud(params(api_domain="intl.tencentcloudapi.com")).http_profile()
    assert intl.endpoint is None and intl.rootDomain == "intl.tencentcloudapi.com"


def test_explicit_credentials_and_token():
    cloud = TencentCloud(params(secret_id="AKIDx", secret_key="key", security_token="tok"))
    assert cloud.credential().get_credential_info() == ("AKIDx", "key", "tok")


def test_half_credentials_are_refused():
    with pytest.raises(ApiError, match="secret_id and secret_key must be given together"):
        TencentCloud(params(secret_id="AKIDx")).credential()


def test_falls_back_to_sdk_chain(monkeypatch):
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDenv")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "envkey")
    assert TencentCloud(params()).credential().get_credential_info()[:2] == ("AKIDenv", "envkey")


def test_retryer_retries_transients_only():
    retryable = TencentCloudSDKException("RequestLimitExceeded", "slow down")
    final = TencentCloudSDKException("ResourceNotFound", "no")
    assert JitteredRetryer.should_retry(None, retryable)
    assert JitteredRetryer.should_retry(None, TencentCloudSDKException("ClientNetworkError", "reset"))
    assert not JitteredRetryer.should_retry(None, final)
    assert not JitteredRetryer.should_retry("resp", None)


def test_retryer_backoff_is_jittered_and_capped():
    retryer = JitteredRetryer(max_attempts=3, base_delay=0.5, max_delay=4.0)
    for attempt in range(10):
        delay = retryer.jittered_backoff(attempt)
        cap = min(4.0, 0.5 * 2 ** attempt)
        assert cap / 2 <= delay <= cap


def test_retryer_gives_up_after_max_attempts(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    retryer = JitteredRetryer(max_attempts=3)
    attempts = []

    def call():
        attempts.append(1)
        raise TencentCloudSDKException("RequestLimitExceeded", "slow down")
    with pytest.raises(TencentCloudSDKException):
        retryer.send_request(call)
    assert len(attempts) == 3


class FakeClient:
    """Stands in for an SDK client object in this unit test only (integration tests use the real SDK)."""

    def __init__(self, error=None):
        self.error = error
        self.requests = []

    def DescribeCertificateDetail(self, request):  # pylint: disable=invalid-name
        self.requests.append(json.loads(request.to_json_string()))
        if self.error:
            raise self.error
        from tencentcloud.ssl.v20191205 import models  # pylint: disable=import-outside-toplevel
        response = models.DescribeCertificateDetailResponse()
        response._deserialize({"CertificateId": "abc", "RequestId": "r-1"})  # pylint: disable=protected-access
        return response


def test_call_uses_typed_models_and_maps_errors(monkeypatch):
    cloud = TencentCloud(params(secret_id="AKIDx", secret_key="key"))
    fake = FakeClient()
    monkeypatch.setattr(cloud, "client", lambda service, credential=None, region=None: fake)
    assert cloud.call("ssl", "DescribeCertificateDetail", {"CertificateId": "abc"})["CertificateId"] == "abc"
    assert fake.requests[0]["CertificateId"] == "abc"
    fake.error = TencentCloudSDKException("FailedOperation.CertificateNotFound", "gone", "req-9")
    with pytest.raises(ApiError) as info:
        cloud.call("ssl", "DescribeCertificateDetail", {"CertificateId": "abc"})
    assert str(info.value) == "ssl DescribeCertificateDetail failed: FailedOperation.CertificateNotFound: gone (request id req-9)"


@pytest.mark.parametrize("patch_ansible_module", [dict(api_retries=1)], indirect=True)
def test_argument_spec_env_fallbacks(patch_ansible_module, monkeypatch):
    monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-shanghai")
    monkeypatch.setenv("TENCENTCLOUD_ENDPOINT", "http://127.0.0.1:1")
    monkeypatch.setenv("TENCENTCLOUD_API_DOMAIN", "intl.tencentcloudapi.com")
    module = TencentCloudModule.define_module()
    assert module.params["region"] == "ap-shanghai"
    assert module.params["endpoint"] == "http://127.0.0.1:1"
    assert module.params["api_domain"] == "intl.tencentcloudapi.com"
    assert module.params["api_retries"] == 1
