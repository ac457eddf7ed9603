# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rotate role over its life: the same inventory quarter after quarter, and a job cut off halfway.

The inventory names endpoints by what survives a rotation (CLB by load balancer, never by the id of the certificate
it holds) and its host names are labels, not DNS names: the names to verify come from the endpoints themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time

import pytest

from sandbox_cloud.client import fetch_served_certificate

from harness import ESA_CERT_ID, GATEWAY, LB_SNI, LISTENER, OLDEST_CORE, OLD_CERT_ID, REGION, SITE_ID, SSL_ENTRY, ZONE
from reliability import record

# Label host names; no server_name where the endpoint carries a name (GAAP domain, TEO host) or its read returns one
# (TSE BindDomains, CLB rule domains). ESA carries none: it needs server_name when verifying.
LABELS = {
    "prod-gateway": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION},
    "global-accelerator": {"provider": "gaap", "listener_id": LISTENER, "domain": "api.example.com", "wait_interval": 0.05},
    "edge-zone": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"]},
    "web-lb-1": {"provider": "clb", "load_balancer_id": LB_SNI, "region": REGION, "wait_interval": 0.2},
    "site-esa": {"provider": "esa", "site_id": SITE_ID, "id": ESA_CERT_ID},
}
UPLOADS = ("UploadCertificate", "CreateCertificate")


def inventory(sandbox):
    hosts = {}
    for label, endpoint in LABELS.items():
        endpoint = dict(endpoint, verify_host="127.0.0.1", verify_port=sandbox.tls_port())
        if endpoint["provider"] == "esa":
            endpoint["server_name"] = "esa.example.com"
        hosts[label] = {"certops_endpoint": endpoint}
    return {"all": {"hosts": hosts}}


def quarter(playbook, tmp_path, pem, check=False, diff=False, start=False, overlap=True):
    """One quarter's run, verified; the providers' binds overlap (asynchronous jobs) unless ``overlap`` is false."""
    report = tmp_path / ("report-%d.json" % (playbook.count + 1))
    play_vars = {"rotate_certificate": "{{ %s_pem }}" % pem, "rotate_private_key": "{{ %s_key }}" % pem,
                 "rotate_report_file": str(report), "rotate_verify_timeout": 5, "rotate_verify_delay": 0.2,
                 "rotate_bind_overlap_from": 0 if overlap else 1000}
    options = dict(check=check, diff=diff, inventory=inventory(playbook.sandbox), play_vars=play_vars,
                   roles=[{"role": "certops.cloud.rotate"}])
    if start:
        return playbook.start([], **options), report
    run = playbook.run([], **options)
    return run, rows_of(report)


def rows_of(report):
    return {row["endpoint"]: row for row in json.loads(report.read_text())} if report.exists() else {}


def uploads(run):
    return sorted(w["action"] for w in run.writes if w["action"] in UPLOADS)


@pytest.mark.slow
@pytest.mark.parametrize("ansible_bin", ["newest", "oldest"], indirect=True, ids=["verify", "verify-core%s" % OLDEST_CORE])
def test_three_quarters_on_one_inventory(playbook, tmp_path, certs, sandbox):
    fingerprint = {"rotation": certs.rotation.fingerprint_sha256, "next_quarter": certs.next_quarter.fingerprint_sha256}

    # Quarter B (from the seed's A): every endpoint changes, one upload per store.
    first, rows = quarter(playbook, tmp_path, "rotation", diff=True)
    assert first.rc == 0, first.stdout + first.stderr
    assert {label: row["result"] for label, row in rows.items()} == dict.fromkeys(LABELS, "changed")
    assert uploads(first) == sorted(UPLOADS)
    assert all(row["verified"] for row in rows.values())
    assert all(row["after_fingerprint"] == fingerprint["rotation"] and row["after_not_after"] for row in rows.values())
    assert [label for label, row in rows.items() if not (row["before_fingerprint"] and row["before_not_after"])] == [], rows

    # Quarter C in check mode: every endpoint pending, nothing written.
    check, rows = quarter(playbook, tmp_path, "next_quarter", check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.writes == []
    assert {label: row["result"] for label, row in rows.items()} == dict.fromkeys(LABELS, "changed")
    assert "would change" in check.stdout

    # Quarter C: every endpoint changes again; the CLB endpoint finds B's certificate by its load balancer.
    second, rows = quarter(playbook, tmp_path, "next_quarter", diff=True)
    assert second.rc == 0, second.stdout + second.stderr
    assert {label: row["result"] for label, row in rows.items()} == dict.fromkeys(LABELS, "changed")
    assert uploads(second) == sorted(UPLOADS)
    assert all(row["before_fingerprint"] == fingerprint["rotation"] for row in rows.values()), rows
    assert all(row["after_fingerprint"] == fingerprint["next_quarter"] for row in rows.values()), rows
    replaced = [w["params"]["OldCertificateId"] for w in second.writes if w["action"] == "ReplaceCertForLoadBalancers"]
    assert len(replaced) == 1 and replaced != [OLD_CERT_ID]
    assert all(row["verified"] for row in rows.values())
    for name in ("www.example.com", "api.example.com", "h03.example.com", "lb.example.com", "esa.example.com"):
        assert served(sandbox, name) == fingerprint["next_quarter"], name

    settled, rows = quarter(playbook, tmp_path, "next_quarter")
    assert settled.rc == 0, settled.stdout
    assert settled.writes == []
    assert "changed=0" in settled.stdout and "changed=1" not in settled.stdout
    assert {row["result"] for row in rows.values()} == {"ok"}
    assert all(row["before_fingerprint"] == row["after_fingerprint"] == fingerprint["next_quarter"] for row in rows.values()), rows
    expiry = [(label, row["before_not_after"], row["after_not_after"]) for label, row in rows.items()]
    assert [e for e in expiry if e[1] != e[2] or not e[1]] == []
    record("check", "role certops.cloud.rotate (rotation pending)", target="certops.cloud.rotate", changed=True, writes=0)


def served(sandbox, name):
    """SHA-256 of the leaf the sandbox TLS frontend serves for ``name``."""
    return hashlib.sha256(fetch_served_certificate(sandbox.tls_port(), name)).hexdigest()


def bound_everywhere(sandbox):
    """Every endpoint of the inventory holds some certificate (none was left without one)."""
    state = sandbox.state()
    entry = next(c for g in state["tse"]["gateways"] for c in g["Certificates"] if c["Id"] == SSL_ENTRY)
    domain = next(d for d in state["gaap"]["listeners"][0]["Domains"] if d["Domain"] == "api.example.com")
    host = next(d for z in state["teo"]["zones"] for d in z["Domains"] if d["DomainName"] == "h03.example.com")
    lb = next(lb for lb in state["clb"]["load_balancers"] if lb["LoadBalancerId"] == LB_SNI)
    rules = [r["Certificate"] for listener in lb["Listeners"] for r in listener["Rules"]]
    site = next(s for s in state["esa"]["sites"] if s["SiteId"] == SITE_ID)
    return (bool(entry.get("CertId")) and bool(domain.get("CertificateId")) and bool(host["Certificate"]["List"])
            and all(r and r.get("CertId") for r in rules) and any(c["Id"] == ESA_CERT_ID and c.get("Certificate") for c in site["Certificates"]))


@pytest.mark.slow
def test_job_killed_while_binding_then_rerun_converges(playbook, tmp_path, certs, sandbox):
    """An AWX job cancelled in the middle: the playbook process group is killed while the CLB task is running (the binds
    one after another; overlapping jobs that started would finish on their own, see rotate_bind_overlap_from)."""
    sandbox.patch_state(["clb", "task_running_polls"], 50)  # the CLB bind stays "running" until the kill
    (proc, record_file, since), _report = quarter(playbook, tmp_path, "rotation", start=True, overlap=False)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(c["action"] == "ReplaceCertForLoadBalancers" for c in sandbox.log(since=since)):
            break
        time.sleep(0.1)
    assert proc.poll() is None, "the playbook ended before the CLB write"
    os.killpg(proc.pid, signal.SIGKILL)
    killed = playbook.finish(proc, record_file, since)
    assert killed.rc == -signal.SIGKILL
    assert uploads(killed) == sorted(UPLOADS)
    assert "SetCertificate" not in killed.write_actions()  # ESA binds after CLB: never reached
    assert bound_everywhere(sandbox)  # make before break: nothing was left without a certificate

    sandbox.patch_state(["clb", "task_running_polls"], 2)
    rerun, rows = quarter(playbook, tmp_path, "rotation", overlap=False)
    assert rerun.rc == 0, rerun.stdout + rerun.stderr
    assert uploads(rerun) == []  # found in both stores by fingerprint: no second copy
    assert rows["site-esa"]["result"] == "changed"  # never reached by the killed run
    assert all(row["verified"] and row["after_fingerprint"] == certs.rotation.fingerprint_sha256 for row in rows.values()), rows
    assert bound_everywhere(sandbox)
    gaap_copies = [c for c in sandbox.state()["gaap"]["certificates"] if c.get("CertificateAlias") != "client-ca"]
    ssl_copies = [c for c in sandbox.state()["ssl"]["certificates"] if c.get("From", "upload") == "upload"]
    assert len(gaap_copies) == 2 and len(ssl_copies) == 5  # the seed's uploads plus one new certificate each

    settled, rows = quarter(playbook, tmp_path, "rotation", overlap=False)
    assert settled.rc == 0 and settled.writes == []
    record("fault", "AWX job killed while binding, then rerun", fault="ansible-playbook process group killed (SIGKILL) during the CLB task",
           expected="the rerun converges: every endpoint verified, no second upload, no endpoint without a certificate",
           outcome="converged; uploads 1 per store; a third run wrote nothing", calls=len(sandbox.log()), injected=1,
           writes=len(killed.writes) + len(rerun.writes))
