# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certops.cloud.audit role against the sandbox: every state through the real ansible-playbook, no write, the
audit policies enough, the metrics parsed by prometheus_client's parser."""

from __future__ import annotations

import json
import socket
import threading

from prometheus_client.parser import text_string_to_metric_families

from harness import (ACCESS_KEY_ID, ACCESS_KEY_SECRET, FULL_SITE_ID, GATEWAY, LB_SNI, LISTENER, REGION, SECRET_ID, SECRET_KEY,
                     SSL_ENTRY, ZONE)
from test_permissions import denied, limit

# One endpoint per state the sandbox can show at once (the sandbox's tls knobs in test_every_state).
ENDPOINTS = {
    "teo-ok": {"provider": "teo", "zone_id": ZONE, "hosts": ["h01.example.com"]},  # the wildcard, 80 days left
    "teo-expiring": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"]},  # the old certificate, 9 days left
    "tse-drift": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION},
    "gaap-leaf-only": {"provider": "gaap", "listener_id": LISTENER, "domain": "api.example.com"},
    "teo-unrelated": {"provider": "teo", "zone_id": ZONE, "hosts": ["h02.example.com"]},
    "clb-unreachable": {"provider": "clb", "load_balancer_id": LB_SNI, "domain": "lb.example.com", "region": REGION},
    "tse-gone": {"provider": "tse", "gateway_id": GATEWAY, "id": "no-such-entry", "region": REGION},
    "misconfigured": {"provider": "gaap", "listener_id": LISTENER},
}
STATES = {"teo-ok": "ok", "teo-expiring": "expiring", "tse-drift": "drift", "gaap-leaf-only": "chain", "teo-unrelated": "chain",
          "clb-unreachable": "unreachable", "tse-gone": "error", "misconfigured": "error"}


def audit(playbook, tmp_path, endpoints=None, check=False, verify_port=None, inventory=None, **extra):
    """One audit run; returns (run, report rows by endpoint, metrics text)."""
    report, metrics = tmp_path / ("audit-%d.json" % (playbook.count + 1)), tmp_path / ("audit-%d.prom" % (playbook.count + 1))
    play_vars = {"audit_report_file": str(report), "audit_metrics_file": str(metrics), "audit_timeout": 1,
                 "audit_verify_host": "127.0.0.1", "audit_verify_port": verify_port or playbook.sandbox.tls_port()}
    play_vars.update(extra)
    if inventory is None:
        inventory = {"all": {"hosts": {label: {"certops_endpoint": endpoint} for label, endpoint in (endpoints or ENDPOINTS).items()}}}
    run = playbook.run([], check=check, inventory=inventory, play_vars=play_vars, roles=[{"role": "certops.cloud.audit"}])
    rows = {row["endpoint"]: row for row in json.loads(report.read_text())} if report.exists() else {}
    return run, rows, metrics.read_text() if metrics.exists() else None


def samples(text):
    """{(metric name, frozenset of labels): value} as prometheus_client's parser reads the file."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def test_every_state(playbook, tmp_path, sandbox, certs):
    sandbox.patch_state(["tls", "drift"], ["www.example.com"])
    sandbox.patch_state(["tls", "leaf_only"], ["api.example.com"])
    sandbox.patch_state(["tls", "unrelated"], ["h02.example.com"])
    sandbox.patch_state(["tls", "unreachable"], ["lb.example.com"])
    since = sandbox.last_seq()
    run, rows, metrics = audit(playbook, tmp_path)

    assert {label: row["state"] for label, row in rows.items()} == STATES, rows
    assert run.rc != 0 and run.writes == []
    # Each failing state fails its endpoint's host, so a scheduled job turns red; expiring passes with a warning.
    failed = {label for label, state in STATES.items() if state not in ("ok", "expiring")}
    assert {r["host"] for r in run.records if r["status"] == "failed" and r["task"].startswith("Give each endpoint")} == failed
    assert "teo-expiring: expires in 9 days" in run.stderr + run.stdout and "within audit_warn_days 30" in run.stderr + run.stdout
    assert rows["teo-ok"]["served_matches"] is True and rows["teo-ok"]["chain_valid"] is True and rows["teo-ok"]["days_left"] >= 78
    assert rows["tse-drift"]["held_fingerprint"] == certs.old.fingerprint_sha256 != rows["tse-drift"]["served_fingerprint"]
    assert "not the certificate it holds, %s" % OLD_ID in rows["tse-drift"]["message"]
    assert "incomplete chain (the endpoint sends the leaf alone)" in rows["gaap-leaf-only"]["message"]
    assert "unrelated certificate in the served chain" in rows["teo-unrelated"]["message"]
    assert rows["clb-unreachable"]["served_fingerprint"] is None and "timed out" in rows["clb-unreachable"]["message"]
    assert "no-such-entry" in rows["tse-gone"]["message"] or "not found" in rows["tse-gone"]["message"].lower()
    assert "misses domain" in rows["misconfigured"]["message"]

    # At most one read per endpoint, plus one per listener, zone or gateway; no write, no denial.
    calls = sandbox.log(since=since)
    assert [c for c in calls if c["write"]] == [] and denied(sandbox, since) == []
    assert len(calls) <= len(ENDPOINTS) + 4, [c["action"] for c in calls]

    # The metrics: every family, one state sample per state for every endpoint (exactly one at 1).
    found = samples(metrics)
    states = [(dict(labels)["endpoint"], dict(labels)["state"], value) for (name, labels), value in found.items()
              if name == "certops_audit_endpoint_state"]
    assert len(states) == 8 * len(ENDPOINTS)
    assert {(label, state) for label, state, value in states if value == 1} == set(STATES.items())
    served = {dict(labels)["endpoint"]: value for (name, labels), value in found.items() if name == "certops_certificate_served_matches"}
    assert served["tse-drift"] == 0 and served["teo-ok"] == 1 and "clb-unreachable" not in served
    chain = {dict(labels)["endpoint"]: value for (name, labels), value in found.items() if name == "certops_certificate_chain_valid"}
    assert chain["gaap-leaf-only"] == 0 and chain["teo-unrelated"] == 0 and chain["teo-ok"] == 1
    assert ("certops_audit_last_run_timestamp_seconds", frozenset()) in found

    # The next night, nothing changed: the same label sets (a dashboard's series go on).
    again, dummy, metrics_again = audit(playbook, tmp_path)
    assert set(samples(metrics_again)) == set(found)
    assert again.writes == []


OLD_ID = "OLDcert1"


def test_expiry_thresholds_without_tls(playbook, tmp_path, sandbox):
    """audit_verify false: states from what the endpoints hold, and no TLS connection at all."""
    accepted = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)

    def accept():
        while not stop.is_set():
            try:
                conn, dummy = listener.accept()
            except OSError:
                continue
            accepted.append(conn)
            conn.close()
    stop = threading.Event()
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    endpoints = {"teo-ok": ENDPOINTS["teo-ok"], "teo-soon": ENDPOINTS["teo-expiring"],
                 "esa-expired": {"provider": "esa", "site_id": FULL_SITE_ID, "id": "30009001"}}
    try:
        run, rows, dummy = audit(playbook, tmp_path, endpoints, verify_port=listener.getsockname()[1], audit_verify=False,
                                 audit_fail_days=10)
        assert {label: row["state"] for label, row in rows.items()} == {"teo-ok": "ok", "teo-soon": "expiring_soon", "esa-expired": "expired"}
        assert run.rc != 0 and run.writes == []
        assert accepted == []  # audit_verify false opens no TLS connection
        assert all(row["verified"] is False and row["served_fingerprint"] is None for row in rows.values())
        # The same run with verification connects to the listener (which answers no TLS): the count above means something.
        dummy, rows, dummy = audit(playbook, tmp_path, {"teo-ok": ENDPOINTS["teo-ok"]}, verify_port=listener.getsockname()[1])
        assert rows["teo-ok"]["state"] == "unreachable" and accepted
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_check_mode_and_bad_thresholds(playbook, tmp_path, sandbox):
    run, rows, dummy = audit(playbook, tmp_path, {"teo-ok": ENDPOINTS["teo-ok"]}, check=True)
    assert run.rc == 0 and run.writes == [] and rows["teo-ok"]["state"] == "ok"
    since = sandbox.last_seq()
    run, rows, dummy = audit(playbook, tmp_path, {"teo-ok": ENDPOINTS["teo-ok"]}, audit_fail_days=40)
    assert run.rc != 0 and "audit_fail_days (40) must not exceed audit_warn_days (30)" in run.stdout
    assert sandbox.log(since=since) == [] and rows == {}


def test_audit_policies_are_enough(playbook, tmp_path, sandbox):
    """The keys limited to docs/policies/*-audit.json: every provider is read, nothing denied, nothing written."""
    endpoints = dict((label, ENDPOINTS[label]) for label in ("teo-ok", "tse-drift", "gaap-leaf-only", "clb-unreachable"))
    endpoints["esa-expired"] = {"provider": "esa", "site_id": FULL_SITE_ID, "id": "30009001", "server_name": "full.example.com"}
    endpoints["clb-by-certificate"] = {"provider": "clb", "old_certificate_id": OLD_ID, "server_name": "lb.example.com"}
    limit(sandbox, "audit")
    since = sandbox.last_seq()
    run, rows, dummy = audit(playbook, tmp_path, endpoints)
    assert denied(sandbox, since) == [] and run.writes == []
    assert "error" not in {row["state"] for row in rows.values()}, rows
    assert set(rows) == set(endpoints)


def test_discovery_inventory(playbook, tmp_path, sandbox):
    """The audit takes the discovery inventory as it is: every endpoint found gets a state, none an error."""
    source = tmp_path / "accounts.certops.yml"
    source.write_text(json.dumps({"plugin": "certops.cloud.endpoints", "tencentcloud": {"regions": [REGION, "ap-shanghai"]},
                                  "alicloud": {"regions": ["cn-hangzhou"]}}))
    report = tmp_path / "discovered.json"
    env = dict(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_ENDPOINT=sandbox.url,
               ALIBABA_CLOUD_ACCESS_KEY_ID=ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=ACCESS_KEY_SECRET,
               ALIBABA_CLOUD_ESA_ENDPOINT=sandbox.url, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    run = playbook.run([], inventory_source=source, roles=[{"role": "certops.cloud.audit"}], env=env,
                       play_vars={"audit_verify": False, "audit_report_file": str(report)})
    rows = json.loads(report.read_text())
    assert len(rows) > 20 and run.writes == []
    assert [row for row in rows if row["state"] == "error"] == [], [row for row in rows if row["state"] == "error"][:3]
    assert {row["provider"] for row in rows} == {"tse", "gaap", "teo", "clb", "esa"}
