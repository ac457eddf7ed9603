# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options: module_defaults groups, environment fallbacks, STS, wrong credentials."""

from __future__ import annotations

from harness import GATEWAY, REGION, ROLE_ARN, SECRET_ID, SECRET_KEY, assume_role

INFO = [{"name": "info", "certops.cloud.tencentcloud_tse_gateway_certificate_info": {"gateway_id": GATEWAY}}]


def calls(playbook):
    return playbook.sandbox.log()


def test_module_defaults_group_sets_every_option(playbook):
    connection = playbook.connection(role_arn=ROLE_ARN, role_session_name="it-session",
                                     api_domain="intl.tencentcloudapi.com", api_timeout=7, api_retries=1)
    run = playbook.run(INFO, connection=connection)
    assert run.rc == 0, run.stdout
    entries = calls(playbook)
    assert [e["action"] for e in entries] == ["AssumeRole", "DescribeCloudNativeAPIGatewayCertificates"]
    assert entries[0]["params"]["RoleSessionName"] == "it-session"
    assert entries[1]["region"] == REGION
    # The second call was signed with the temporary credentials the role gave.
    assert entries[1].get("secret_id") != SECRET_ID


def test_security_token_from_module_defaults(playbook):
    creds = assume_role(playbook.sandbox.url)
    connection = playbook.connection(secret_id=creds.TmpSecretId, secret_key=creds.TmpSecretKey,
                                     security_token=creds.Token)
    run = playbook.run(INFO, connection=connection)
    assert run.rc == 0, run.stdout
    # A wrong token is refused by the service.
    connection["security_token"] = "not-the-token"
    bad = playbook.run(INFO, connection=connection)
    assert bad.rc != 0
    assert "AuthFailure" in bad.result("info")["msg"]


def test_environment_fallbacks(playbook):
    env = dict(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_REGION=REGION,
               TENCENTCLOUD_ENDPOINT=playbook.sandbox.url)
    run = playbook.run(INFO, connection={}, env=env)
    assert run.rc == 0, run.stdout
    assert run.result("info")["certificates"]


def test_wrong_secret_is_a_clear_authentication_error(playbook):
    run = playbook.run(INFO, connection=playbook.connection(secret_key="wrong-secret"))
    assert run.rc != 0
    msg = run.result("info")["msg"]
    assert "AuthFailure.SignatureFailure" in msg
    assert "gateway %s" % GATEWAY in msg
    assert run.writes == []


def test_bad_endpoint_is_refused_before_any_call(playbook):
    run = playbook.run(INFO, connection=playbook.connection(endpoint="ftp://127.0.0.1/x"))
    assert run.rc != 0
    assert "must be a host name or an http(s):// URL" in run.result("info")["msg"]
