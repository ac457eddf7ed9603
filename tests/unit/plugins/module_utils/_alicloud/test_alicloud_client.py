# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Alibaba Cloud client layer: endpoint, credentials, retry policy, error messages."""

from __future__ import annotations

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._alicloud import client as _alicloud
from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError


def params(**overrides):
    base = dict(access_key_id="LTAIkey", access_key_secret="secret", security_token=None, region=None,
                endpoint=None, api_timeout=30, api_retries=5)
    base.update(overrides)
    return base


def test_default_region_and_endpoint():
    config = _alicloud.AliCloud(params()).config()
    assert config.region_id == "cn-hangzhou"
    assert config.endpoint == "esa.cn-hangzhou.aliyuncs.com"
    assert config.read_timeout == 30000


def test_endpoint_as_url_or_host():
    config = _alicloud.AliCloud(params(endpoint="http://127.0.0.1:8080", region="ap-southeast-1")).config()
    assert (config.endpoint, config.protocol, config.region_id) == ("127.0.0.1:8080", "http", "ap-southeast-1")
    config = _alicloud.AliCloud(params(endpoint="esa.example.internal")).config()
    assert (config.endpoint, config.protocol) == ("esa.example.internal", "https")


def test_keys_must_come_together():
    with pytest.raises(ApiError, match="must be given together"):
        _alicloud.AliCloud(params(access_key_secret=None)).config()


def test_without_keys_the_default_chain_is_used(monkeypatch):
    monkeypatch.setattr(_alicloud, "CredentialClient", lambda: "the-chain")
    config = _alicloud.AliCloud(params(access_key_id=None, access_key_secret=None)).config()
    assert config.credential == "the-chain"
    assert config.access_key_id is None


def test_retry_policy_counts_attempts():
    options = _alicloud.retry_options(3)
    (condition,) = options.retry_condition
    assert condition.max_attempts == 4
    assert "RetryError" in condition.exception and "ServiceBusy" in condition.error_code
    # Throttling is retried by the client layer, with jitter and the action's pace slowed (not at the server's wait)
    assert "ThrottlingException" not in condition.exception and "Throttling.User" in _alicloud.THROTTLING_CODES
    assert _alicloud.retry_options(0).retryable is False


@pytest.mark.parametrize("raw, plain", [
    ("code: 400, The specified Certificate is invalid. request id: 1A2B", "The specified Certificate is invalid."),
    ("plain message", "plain message"),
])
def test_plain_message(raw, plain):
    assert _alicloud._plain_message(raw) == plain
