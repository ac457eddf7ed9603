# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certops.cloud.rotate role against the sandbox: one endpoint per provider, verified over real TLS."""

from __future__ import annotations

import json

from harness import ESA_CERT_ID, GATEWAY, LB_SNI, LB_WEB, LISTENER, OLD_CERT_ID, ON_BOTH_CORES, REGION, SITE_ID, SSL_ENTRY, ZONE

ENDPOINTS = {
    "tse-www": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION, "server_name": "www.example.com"},
    "gaap-api": {"provider": "gaap", "listener_id": LISTENER, "domain": "api.example.com", "server_name": "api.example.com",
                 "wait_interval": 0.05},
    "teo-h03": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"], "server_name": "h03.example.com"},
    "clb-lb": {"provider": "clb", "old_certificate_id": OLD_CERT_ID, "server_name": "lb.example.com"},
    "esa-site": {"provider": "esa", "site_id": SITE_ID, "id": ESA_CERT_ID, "server_name": "esa.example.com"},
}


def inventory(sandbox, endpoints=None):
    tls = sandbox.tls_port()
    hosts = {}
    for name, endpoint in (endpoints or ENDPOINTS).items():
        hosts[name] = {"certops_endpoint": dict(endpoint, verify_host="127.0.0.1", verify_port=tls)}
    return {"all": {"hosts": hosts}}


def rotate(playbook, tmp_path, check=False, diff=False, **extra):
    report = tmp_path / ("report-%d.json" % (playbook.count + 1))
    play_vars = {"rotate_certificate": "{{ rotation_pem }}", "rotate_private_key": "{{ rotation_key }}",
                 "rotate_report_file": str(report), "rotate_verify_timeout": 2, "rotate_verify_delay": 0.2}
    play_vars.update(extra)
    run = playbook.run([], check=check, diff=diff, inventory=inventory(playbook.sandbox), play_vars=play_vars,
                       roles=[{"role": "certops.cloud.rotate"}])
    rows = {row["endpoint"]: row for row in json.loads(report.read_text())} if report.exists() else {}
    return run, rows


@ON_BOTH_CORES
def test_stuck_endpoint_is_rolled_back(playbook, tmp_path, sandbox):
    sandbox.patch_state(["tls", "stuck"], ["api.example.com"])
    run, rows = rotate(playbook, tmp_path)
    assert run.rc != 0
    assert rows["gaap-api"]["result"] == "rolled back"
    assert "is not served" in rows["gaap-api"]["message"]
    assert {rows[name]["result"] for name in ENDPOINTS if name != "gaap-api"} == {"changed"}
    domain = next(d for d in sandbox.state()["gaap"]["listeners"][0]["Domains"] if d["Domain"] == "api.example.com")
    assert domain["CertificateId"] == "default"  # back to its previous binding
    assert "ModifyCertificate" in [w["action"] for w in run.writes]


@ON_BOTH_CORES
def test_names_not_covered_fail_before_any_call(playbook, tmp_path, sandbox):
    since = sandbox.last_seq()
    run, rows = rotate(playbook, tmp_path, rotate_certificate="{{ new_pem }}", rotate_private_key="{{ new_key }}")
    assert run.rc != 0
    assert "do not cover endpoint" in run.stdout
    assert "teo-h03 (h03.example.com)" in run.stdout
    assert sandbox.log(since=since) == []
    assert rows == {}


@ON_BOTH_CORES
def test_stuck_clb_endpoint_is_rolled_back_alone(playbook, tmp_path, sandbox, certs):
    """One ReplaceCertForLoadBalancers moved two load balancers; the endpoint whose edge is stuck goes back alone."""
    endpoints = {"web-lb-1": {"provider": "clb", "load_balancer_id": LB_SNI, "domain": "www.example.com", "region": REGION,
                              "wait_interval": 0.2},
                 "teo-h03": ENDPOINTS["teo-h03"]}
    sandbox.patch_state(["tls", "stuck"], ["www.example.com"])
    report = tmp_path / "report.json"
    run = playbook.run([], inventory=inventory(sandbox, endpoints), roles=[{"role": "certops.cloud.rotate"}], play_vars={
        "rotate_certificate": "{{ rotation_pem }}", "rotate_private_key": "{{ rotation_key }}", "rotate_report_file": str(report),
        "rotate_verify_timeout": 2, "rotate_verify_delay": 0.2})
    assert run.rc != 0
    rows = {row["endpoint"]: row for row in json.loads(report.read_text())}
    assert rows["web-lb-1"]["result"] == "rolled back" and rows["teo-h03"]["result"] == "changed", run.stdout
    assert rows["web-lb-1"]["after_fingerprint"] == certs.old.fingerprint_sha256  # what it holds again
    writes = run.write_actions()
    assert writes.count("ReplaceCertForLoadBalancers") == 1 and writes.count("ModifyDomainAttributes") == 1
    state = {lb["LoadBalancerId"]: lb for lb in sandbox.state()["clb"]["load_balancers"]}
    rules = {r["Domain"]: r["Certificate"]["CertId"] for r in state[LB_SNI]["Listeners"][0]["Rules"]}
    new_id = next(w["params"]["Certificate"]["CertId"] for w in run.writes if w["action"] == "ReplaceCertForLoadBalancers")
    assert rules == {"www.example.com": OLD_CERT_ID, "lb.example.com": new_id}  # only the failed endpoint went back
    assert state[LB_WEB]["Listeners"][0]["Certificate"]["CertId"] == new_id
