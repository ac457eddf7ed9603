# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Alibaba Cloud connection options: module_defaults group, both families of env fallbacks, retries."""

from __future__ import annotations

import pytest

from harness import ACCESS_KEY_ID, ACCESS_KEY_SECRET, SITE_ID

INFO = [{"name": "info", "certops.cloud.alicloud_esa_certificate_info": {"site_id": SITE_ID}}]


def test_module_defaults_group_sets_every_option(playbook):
    connection = playbook.alicloud_connection(api_timeout=7, api_retries=1)
    run = playbook.run(INFO, alicloud_connection=connection)
    assert run.rc == 0, run.stdout
    (entry,) = playbook.sandbox.log()
    assert (entry["provider"], entry["action"], entry["secret_id"]) == ("alibaba", "ListCertificates", ACCESS_KEY_ID)


@pytest.mark.parametrize("names", [
    ("ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_REGION_ID"),
    ("ALICLOUD_ACCESS_KEY", "ALICLOUD_SECRET_KEY", "ALICLOUD_REGION"),
])
def test_environment_fallbacks(playbook, names):
    env = dict(zip(names, (ACCESS_KEY_ID, ACCESS_KEY_SECRET, "cn-hangzhou")), ALIBABA_CLOUD_ESA_ENDPOINT=playbook.sandbox.url)
    run = playbook.run(INFO, alicloud_connection={}, env=env)
    assert run.rc == 0, run.stdout
    assert run.result("info")["certificates"]


def test_throttling_is_retried(playbook):
    playbook.sandbox.add_fault(service="esa", action="ListCertificates", kind="error", code="Throttling.User", count=2)
    run = playbook.run(INFO)
    assert run.rc == 0, run.stdout
    codes = [e["error_code"] for e in playbook.sandbox.log()]
    assert codes[:2] == ["Throttling.User", "Throttling.User"] and codes[2] is None


def test_unknown_access_key(playbook):
    run = playbook.run(INFO, alicloud_connection=playbook.alicloud_connection(access_key_id="LTAInosuchkey"))
    assert run.rc != 0
    assert "authentication failed" in run.result("info")["msg"]
    assert "InvalidAccessKeyId.NotFound" in run.result("info")["msg"]
