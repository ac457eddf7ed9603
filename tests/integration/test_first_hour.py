# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The first hour of a new user: the shipped playbook as documented, each endpoint's own diff and recap, check-mode
chains of modules, and the bad input a first inventory holds."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml

from harness import (
    BIN,
    GATEWAY,
    LB_WEB,
    LB_WEB_VIP,
    LISTENER,
    REGION,
    SECRET_ID,
    SECRET_KEY,
    SSL_ENTRY,
    ZONE,
)

TEO = "certops.cloud.tencentcloud_teo_hosts_certificate"
GAAP = "certops.cloud.tencentcloud_gaap_domain_certificate"
STORE = "certops.cloud.tencentcloud_ssl_certificate"


def shipped_playbook(playbook, tmp_path, inventory, *args, check=False, diff=False):
    """``ansible-playbook certops.cloud.rotate`` run from ``tmp_path`` as a user runs it: an inventory that names only
    the endpoints (no interpreter, no connection), the certificate as files relative to where it runs."""
    (tmp_path / "fullchain.pem").write_text(playbook.certs.rotation.chain_pem)
    (tmp_path / "privkey.pem").write_text(playbook.certs.rotation.key_pem)
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))
    record_file = tmp_path / "records.jsonl"
    env = playbook.env(record_file)
    del env["ANSIBLE_PYTHON_INTERPRETER"]  # interpreter discovery would find a Python without the SDKs
    env.update(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_REGION=REGION,
               TENCENTCLOUD_ENDPOINT=playbook.sandbox.url)
    cmd = [str(BIN / "ansible-playbook"), "certops.cloud.rotate", "-i", "inventory.yml", "-e", "rotate_certificate_file=fullchain.pem",
           "-e", "rotate_private_key_file=privkey.pem", "-e", "rotate_verify_host=127.0.0.1",
           "-e", "rotate_verify_port=%d" % playbook.sandbox.tls_port(), "-e", "rotate_verify_delay=0.2",
           "-e", "rotate_report_file=report.json"] + list(args)
    cmd += ["--check"] if check else []
    cmd += ["--diff"] if diff else []
    since = playbook.sandbox.last_seq()
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    run = playbook.finish(proc, record_file, since)
    report = tmp_path / "report.json"
    return run, ({row["endpoint"]: row for row in json.loads(report.read_text())} if report.exists() else {})


def recap(run):
    """{host: (ok, changed, failed)} from the play recap."""
    return dict((host, (int(ok), int(changed), int(failed))) for host, ok, changed, failed in
                re.findall(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", run.stdout, re.M))


INVENTORY = {"all": {"hosts": {
    "prod-gateway": {"certops_endpoint": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION}},
    "global-accelerator": {"certops_endpoint": {"provider": "gaap", "listener_id": LISTENER, "domain": "api.example.com",
                                                "wait_interval": 0.05}},
    "edge-zone": {"certops_endpoint": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"]}},
    "web-lb": {"certops_endpoint": {"provider": "clb", "load_balancer_id": LB_WEB, "region": REGION, "wait_interval": 0.2,
                                    "verify_host": LB_WEB_VIP}},  # its address: the listener serves its certificate to any name
}}}


@pytest.mark.slow
def test_the_shipped_playbook_runs_as_documented_with_each_endpoints_diff(playbook, tmp_path, certs):
    check, rows = shipped_playbook(playbook, tmp_path, INVENTORY, check=True, diff=True)
    assert check.rc == 0, check.stdout[-3000:] + check.stderr[-2000:]
    assert check.writes == []
    for label in INVENTORY["all"]["hosts"]:
        assert "%s: would change" % label in check.stdout
    # Each endpoint's own diff: what it holds and takes (the new leaf's fingerprint, names, expiry).
    assert check.stdout.count(certs.rotation.fingerprint_sha256) >= len(INVENTORY["all"]["hosts"]), check.stdout[-4000:]
    assert "also_changed" in check.stdout  # the CLB replacement changes another load balancer too
    # The recap charges each endpoint with its own change only (the uploads and the reads run once for all).
    assert {host: counts[1:] for host, counts in recap(check).items()} == dict.fromkeys(INVENTORY["all"]["hosts"], (1, 0))

    apply, rows = shipped_playbook(playbook, tmp_path, INVENTORY, diff=True)
    assert apply.rc == 0, apply.stdout[-3000:] + apply.stderr[-2000:]
    assert all(row["result"] == "changed" and row["verified"] for row in rows.values()), rows
    assert all(changed == 1 for dummy, changed, dummy in recap(apply).values()), recap(apply)
    # A listener without SNI serves any name: checked with a name the certificate covers, and the report says which.
    assert rows["web-lb"]["server_name"] == "example.com" and "checked as example.com" in rows["web-lb"]["message"]
    assert "store: uploaded" in apply.stdout

    again, rows = shipped_playbook(playbook, tmp_path, INVENTORY, "--limit", "prod-gateway", check=True)
    assert again.rc == 0 and recap(again)["prod-gateway"][1] == 0 and rows["prod-gateway"]["result"] == "ok"


def test_check_mode_chain_of_a_store_and_an_edgeone_binding(playbook):
    tasks = [{"name": "store", STORE: {"certificate": "{{ rotation_pem }}", "private_key": "{{ rotation_key }}"}, "register": "stored"},
             {"name": "bind", TEO: {"zone_id": ZONE, "hosts": ["h03.example.com"], "certificate": "{{ rotation_pem }}",
                                    "private_key": "{{ rotation_key }}"}},
             {"name": "by id", TEO: {"zone_id": ZONE, "hosts": ["h03.example.com"], "cert_ids": ["{{ stored.certificate_id }}"]},
              "ignore_errors": True},
             {"name": "gaap", GAAP: {"listener_id": LISTENER, "domain": "api.example.com", "certificate": "{{ rotation_pem }}",
                                     "private_key": "{{ rotation_key }}"}}]
    check = playbook.run(tasks, check=True, diff=True)
    assert check.result("store")["certificate_id"] is None and check.writes == []
    assert check.result("bind")["changed"] is True and check.result("gaap")["changed"] is True
    assert "check mode is null until the certificate is uploaded" in check.result("by id")["msg"]
    apply = playbook.run(tasks[:2] + tasks[3:])
    assert apply.rc == 0, apply.stdout
    again = playbook.run(tasks[:2] + tasks[3:])
    assert again.rc == 0 and again.writes == [] and not again.result("bind")["changed"] and not again.result("gaap")["changed"]


def test_an_edgeone_host_the_certificate_does_not_cover_fails_before_any_write(playbook):
    since = playbook.sandbox.last_seq()
    run = playbook.run([{"name": "bind", TEO: {"zone_id": ZONE, "hosts": ["h03.example.com"], "certificate": "{{ api_new_pem }}",
                                               "private_key": "{{ api_new_key }}"}}])
    assert run.rc != 0 and "does not cover the host h03.example.com" in run.result("bind")["msg"]
    assert [c for c in playbook.sandbox.log(since=since) if c["write"]] == []


def test_an_unknown_key_of_an_endpoint_is_named(playbook, tmp_path):
    inventory = {"all": {"hosts": {"edge": {"certops_endpoint": {"provider": "teo", "zone": ZONE, "hosts": ["h03.example.com"]}}}}}
    run, rows = shipped_playbook(playbook, tmp_path, inventory)
    assert run.rc != 0 and rows == {}
    assert "edge: certops_endpoint of provider teo has unknown key zone (did you mean zone_id?)" in run.stdout
    assert run.writes == []
