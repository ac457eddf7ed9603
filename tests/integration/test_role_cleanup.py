# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""rotate_cleanup: the previous certificates that nothing uses any more leave the stores, never one still bound."""

from __future__ import annotations

import json

import pytest

from harness import API_CERT_ID, GAAP_OLD_CERT, GATEWAY, LB_MTLS, LB_SNI, LISTENER, OLD_CERT_ID, REGION, SSL_ENTRY, ZONE
from reliability import record

# OLD_CERT_ID stays bound to EdgeOne hosts outside the run (h09, h17, ...); GAAP_OLD_CERT to the listener itself and
# its stuck domain; API_CERT_ID is used by the mutual TLS load balancer alone.
ENDPOINTS = {
    "prod-gateway": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION},
    "accelerator": {"provider": "gaap", "listener_id": LISTENER, "domain": "www.example.com", "wait_interval": 0.05},
    "edge-h03": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"]},
    "web-lb": {"provider": "clb", "load_balancer_id": LB_SNI, "domain": "www.example.com", "region": REGION, "wait_interval": 0.2},
    # A listener without SNI rules carries no name: the TLS check needs one (one no other sandbox endpoint binds; the
    # sandbox serves every product on one port, by name).
    "api-lb": {"provider": "clb", "load_balancer_id": LB_MTLS, "region": REGION, "wait_interval": 0.2, "server_name": "mtls.example.com"},
}


def rotate(playbook, tmp_path, check=False):
    report = tmp_path / ("report-%d.json" % (playbook.count + 1))
    tls = playbook.sandbox.tls_port()
    inventory = {"all": {"hosts": dict((label, {"certops_endpoint": dict(settings, verify_host="127.0.0.1", verify_port=tls)})
                                       for label, settings in ENDPOINTS.items())}}
    run = playbook.run([], check=check, inventory=inventory, roles=[{"role": "certops.cloud.rotate"}], play_vars={
        "rotate_certificate": "{{ rotation_pem }}", "rotate_private_key": "{{ rotation_key }}", "rotate_cleanup": True,
        "rotate_report_file": str(report), "rotate_verify_timeout": 5, "rotate_verify_delay": 0.2})
    cleaned = {}
    for row in run.result("Note what was cleaned up")["ansible_facts"]["rotate__cleaned"]:
        cleaned[(row["store"], row["certificate_id"])] = (row["result"], row["reason"])
    return run, cleaned, json.loads(report.read_text())


def stored(sandbox):
    state = sandbox.state()
    return ({c["CertificateId"] for c in state["ssl"]["certificates"]}, {c["CertificateId"] for c in state["gaap"]["certificates"]})


@pytest.mark.slow
def test_check_lists_then_apply_deletes_only_what_nothing_uses(playbook, sandbox, tmp_path):
    check, cleaned, rows = rotate(playbook, tmp_path, check=True)
    assert check.rc == 0, check.stdout + check.stderr
    assert check.writes == []
    assert {row["result"] for row in rows} == {"changed"}
    assert cleaned[("ssl", API_CERT_ID)] == ("would delete", "")
    assert cleaned[("ssl", OLD_CERT_ID)][0] == "kept" and "teo-%s-h09.example.com" % ZONE in cleaned[("ssl", OLD_CERT_ID)][1]
    assert cleaned[("gaap", GAAP_OLD_CERT)][0] == "kept" and "listener's own certificate" in cleaned[("gaap", GAAP_OLD_CERT)][1]
    assert "would delete ssl %s" % API_CERT_ID in check.stdout
    record("check", "role certops.cloud.rotate with rotate_cleanup", target="certops.cloud.rotate", changed=True, writes=0)

    ssl_before, gaap_before = stored(sandbox)
    apply, cleaned, rows = rotate(playbook, tmp_path)
    assert apply.rc == 0, apply.stdout + apply.stderr
    assert all(row["verified"] for row in rows)
    assert cleaned[("ssl", API_CERT_ID)] == ("deleted", "")
    deletes = [w for w in apply.writes if w["action"] == "DeleteCertificate"]
    assert [(w["service"], w["params"]) for w in deletes] == [("ssl", {"CertificateId": API_CERT_ID, "IsCheckResource": True})]
    ssl_after, gaap_after = stored(sandbox)
    new = ssl_after - ssl_before
    assert ssl_after == (ssl_before - {API_CERT_ID}) | new and OLD_CERT_ID in ssl_after and GAAP_OLD_CERT in gaap_after

    again, cleaned, rows = rotate(playbook, tmp_path)
    assert again.rc == 0 and again.writes == [] and {row["result"] for row in rows} == {"ok"}
    assert cleaned == {}  # nothing held before but the new certificate


def test_a_certificate_another_product_uses_is_kept(playbook, sandbox, tmp_path):
    """A CDN (a product the collection does not manage) still uses the certificate: the SSL service's own check keeps it."""
    index = [c["CertificateId"] for c in sandbox.state()["ssl"]["certificates"]].index(API_CERT_ID)
    sandbox.patch_state(["ssl", "certificates", index, "BoundElsewhere"], ["cdn:api.example.com"])
    run, cleaned, rows = rotate(playbook, tmp_path)
    assert run.rc == 0, run.stdout + run.stderr  # the rotation itself succeeded; the cleanup kept the certificate
    assert {row["result"] for row in rows} == {"changed"}
    result, reason = cleaned[("ssl", API_CERT_ID)]
    assert result == "kept" and "cloud resources still use it" in reason and "cdn:api.example.com" in reason
    assert API_CERT_ID in stored(sandbox)[0]


def test_no_cleanup_when_an_endpoint_failed(playbook, sandbox, tmp_path):
    sandbox.patch_state(["tls", "stuck"], ["h03.example.com"])
    report = tmp_path / "failed-report.json"
    tls = sandbox.tls_port()
    inventory = {"all": {"hosts": dict((label, {"certops_endpoint": dict(settings, verify_host="127.0.0.1", verify_port=tls)})
                                       for label, settings in ENDPOINTS.items())}}
    run = playbook.run([], inventory=inventory, roles=[{"role": "certops.cloud.rotate"}], play_vars={
        "rotate_certificate": "{{ rotation_pem }}", "rotate_private_key": "{{ rotation_key }}", "rotate_cleanup": True,
        "rotate_report_file": str(report), "rotate_verify_timeout": 2, "rotate_verify_delay": 0.2})
    assert run.rc != 0
    rows = {row["endpoint"]: row for row in json.loads(report.read_text())}
    assert rows["edge-h03"]["result"] == "rolled back"
    assert "DeleteCertificate" not in run.write_actions()
    assert API_CERT_ID in stored(sandbox)[0]
