# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Tencent Cloud client layer: options, endpoints, credentials, retries, errors."""

from __future__ import annotations

import fcntl
import json
import os

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from ansible_collections.certops.cloud.plugins.module_utils._certificate import load_material
from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, Shared
from ansible_collections.certops.cloud.plugins.module_utils._store import store_lock
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import (
    JitteredRetryer,
    TencentCloud,
    TencentCloudModule,
    parse_endpoint,
)
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.gaap import GaapStore

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
    retryer = JitteredRetryer(max_attempts=3)
    retryable = TencentCloudSDKException("RequestLimitExceeded", "slow down")
    final = TencentCloudSDKException("ResourceNotFound", "no")
    assert retryer.should_retry(None, retryable)
    assert retryer.should_retry(None, TencentCloudSDKException("ClientNetworkError", "reset"))
    assert retryer.should_retry(None, TencentCloudSDKException("FailedOperation.DomainStatusNotInRunning", "busy"))
    assert not retryer.should_retry(None, final)
    assert not retryer.should_retry("resp", None)


@pytest.mark.parametrize("code, retried", [
    ("ClientNetworkError", False),  # lost reply, reset, timeout: the create may have been applied
    ("ServerNetworkError", False),  # HTTP 5xx
    ("InternalError", False),
    ("InternalError.SystemError", False),
    ("RequestLimitExceeded", True),  # refused before anything was done
    ("FailedOperation.ResourceInOperating", True),
    ("ResourceNotFound", False),
])
def test_non_idempotent_retryer_does_not_retry_ambiguous_failures(code, retried):
    retryer = JitteredRetryer(max_attempts=3, idempotent=False)
    assert retryer.should_retry(None, TencentCloudSDKException(code, "x")) is retried
    assert JitteredRetryer(max_attempts=3).should_retry(None, TencentCloudSDKException(code, "x")) is (code != "ResourceNotFound")


def test_retryer_returns_the_first_success(monkeypatch):
    """The SDK's own loop (3.1.195) kept the first error: it sent a succeeded request again, then raised."""
    monkeypatch.setattr("time.sleep", lambda s: None)
    retryer = JitteredRetryer(max_attempts=4)
    outcomes = [TencentCloudSDKException("InternalError", "busy"), "response", "again"]

    def call():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
    assert retryer.send_request(call) == "response"
    assert outcomes == ["again"]
    assert retryer.attempts == 1


def test_retryer_raises_final_errors_at_once(monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    attempts = []

    def call():
        attempts.append(1)
        raise TencentCloudSDKException("ClientNetworkError", "lost")
    with pytest.raises(TencentCloudSDKException):
        JitteredRetryer(max_attempts=3, idempotent=False).send_request(call)
    assert len(attempts) == 1


def test_only_gaap_create_is_sent_without_ambiguous_retries(monkeypatch):
    cloud = TencentCloud(params(secret_id="AKIDx", secret_key="key"))
    ssl_client = cloud.client("ssl")
    gaap_read = cloud.client("gaap")
    gaap_create = cloud.client("gaap", idempotent=False)
    assert ssl_client.profile.retryer.idempotent and gaap_read.profile.retryer.idempotent
    assert not gaap_create.profile.retryer.idempotent
    assert gaap_create is not gaap_read
    used = []
    monkeypatch.setattr(cloud, "client", lambda service, credential=None, region=None, idempotent=True: used.append(idempotent) or FakeClient())
    for service, action in (("gaap", "CreateCertificate"), ("ssl", "UploadCertificate"), ("gaap", "ModifyCertificate")):
        with pytest.raises(AttributeError):  # the fake client has no such method
            cloud.call(service, action, {})
    assert used == [False, True, True]


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
    monkeypatch.setattr(cloud, "client", lambda service, credential=None, region=None, idempotent=True: fake)
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


class FakeGaap:
    """A GAAP store in memory for GaapStore.ensure; ``create_faults`` are (applied, code) per CreateCertificate."""

    def __init__(self, create_faults=()):
        self.params = dict(api_retries=2, api_timeout=1)
        self.shared = Shared()
        self.stored = {}
        self.create_faults = list(create_faults)
        self.creates = 0

    def call(self, service, action, params):
        assert service == "gaap"
        if action == "DescribeCertificates":
            ids = sorted(self.stored)
            return dict(CertificateSet=[dict(CertificateId=i) for i in ids], TotalCount=len(ids))
        if action == "DescribeCertificateDetail":
            return dict(CertificateDetail=dict(CertificateId=params["CertificateId"], CertificateType=2,
                                               CertificateContent=self.stored[params["CertificateId"]]))
        assert action == "CreateCertificate"
        self.creates += 1
        applied, code = self.create_faults.pop(0) if self.create_faults else (True, None)
        if applied:
            self.stored["cert-%d" % self.creates] = params["CertificateContent"]
        if code:
            raise ApiError("gaap", action, code, "Read timed out." if code == "ClientNetworkError" else "failed")
        return dict(CertificateId="cert-%d" % self.creates)


def gaap_ensure(cloud, certs, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda s: None)
    bundle, key = load_material(certs["leaf"].chain_pem, certs["leaf"].key_pem)
    return GaapStore(cloud).ensure(bundle, key)


@pytest.mark.parametrize("faults, creates", [
    ([(True, "ClientNetworkError")], 1),  # the reply was lost: found on the second look
    ([(True, "InternalError")], 1),
    ([(False, "ClientNetworkError"), (False, "ServerNetworkError")], 3),  # really absent: created again
])
def test_gaap_create_after_an_ambiguous_failure_looks_before_it_creates_again(certs, monkeypatch, faults, creates):
    cloud = FakeGaap(faults)
    certificate_id, changed = gaap_ensure(cloud, certs, monkeypatch)
    assert changed and len(cloud.stored) == 1 and certificate_id in cloud.stored
    assert cloud.creates == creates


def test_gaap_create_gives_up_after_api_retries(certs, monkeypatch):
    cloud = FakeGaap([(False, "InternalError")] * 5)
    with pytest.raises(ApiError, match="InternalError"):
        gaap_ensure(cloud, certs, monkeypatch)
    assert cloud.creates == 3 and not cloud.stored


def test_gaap_create_final_error_is_not_repeated(certs, monkeypatch):
    cloud = FakeGaap([(False, "FailedOperation.CertificateMismatch")])
    with pytest.raises(ApiError, match="CertificateMismatch"):
        gaap_ensure(cloud, certs, monkeypatch)
    assert cloud.creates == 1


def test_store_lock_excludes_other_holders(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with store_lock("gaap", 2, "ab:cd"):
        (path,) = tmp_path.iterdir()
        assert path.name == "certops-%d-gaap-2-abcd.lock" % os.getuid()
        other = os.open(str(path), os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(other)
    other = os.open(str(path), os.O_RDWR)
    try:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released
    finally:
        os.close(other)
