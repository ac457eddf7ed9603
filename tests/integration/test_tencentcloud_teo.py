# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tencentcloud_teo_hosts_certificate(_info) through ansible-playbook: 45 hosts, 7 stale."""

from __future__ import annotations

from harness import OLD_CERT_ID, ON_BOTH_CORES, TEO_CERT_ID, TEO_HOSTS, TEO_STALE_HOSTS, ZONE

MODULE = "certops.cloud.tencentcloud_teo_hosts_certificate"


def bind(hosts=None, cert_id=TEO_CERT_ID, **extra):
    args = {"zone_id": ZONE, "hosts": hosts or TEO_HOSTS, "server_cert_info": [{"cert_id": cert_id}]}
    args.update(extra)
    return [{"name": "bind", MODULE: args}]


@ON_BOTH_CORES
def test_45_hosts_7_differ_one_write(playbook, sandbox, certs):
    since = sandbox.last_seq()
    check = playbook.run(bind(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("bind")["changed"] is True
    assert check.result("bind")["changed_hosts"] == sorted(TEO_STALE_HOSTS)
    assert check.writes == []
    reads = [e for e in sandbox.log(since=since) if e["action"] == "DescribeAccelerationDomains"]
    assert len(reads) == 3  # 45 names, 20 a call

    apply = playbook.run(bind(), diff=True)
    assert apply.rc == 0, apply.stdout
    assert len(apply.writes) == 1
    write = apply.writes[0]
    assert write["action"] == "ModifyHostsCertificate"
    assert sorted(write["params"]["Hosts"]) == sorted(TEO_STALE_HOSTS)
    assert write["params"]["ServerCertInfo"] == [{"CertId": TEO_CERT_ID}]
    result = apply.result("bind")
    assert set(result["diff"]["after"]["hosts"]) == set(TEO_STALE_HOSTS)
    assert result["before"]["hosts"]["h03.example.com"]["cert_ids"] == [OLD_CERT_ID]
    assert result["after"]["hosts"]["h03.example.com"]["cert_ids"] == [TEO_CERT_ID]
    assert certs.wildcard.fingerprint_sha256 in apply.stdout

    again = playbook.run(bind())
    assert again.rc == 0, again.stdout
    assert again.result("bind")["changed"] is False
    assert again.writes == []


def test_cert_info_alias_and_wait(playbook):
    args = {"zone_id": ZONE, "hosts": ["h03.example.com"], "cert_info": [{"cert_id": TEO_CERT_ID}],
            "wait": True, "wait_interval": 0.05, "wait_timeout": 10}
    tasks = [{"name": "bind", MODULE: args}]
    run = playbook.run(tasks)
    assert run.rc == 0, run.stdout
    assert run.write_actions() == ["ModifyHostsCertificate"]
    assert run.result("bind")["after"]["hosts"]["h03.example.com"]["certificates"][0]["status"] == "deployed"


def test_unknown_ids_fail_before_write(playbook):
    run = playbook.run(bind(cert_id="NOSUCHID"))
    assert run.rc != 0
    msg = run.result("bind")["msg"]
    assert "teo zone %s" % ZONE in msg
    assert "NOSUCHID is not in the Tencent Cloud SSL certificate store" in msg
    assert run.writes == []

    run = playbook.run(bind(hosts=["h01.example.com", "nosuch.example.com"]))
    assert run.rc != 0
    assert "hosts not found in zone %s: nosuch.example.com" % ZONE in run.result("bind")["msg"]
    assert run.writes == []

    run = playbook.run([{"name": "bind", MODULE: {"zone_id": "zone-nosuch", "hosts": ["h01.example.com"], "server_cert_info": [{"cert_id": TEO_CERT_ID}]}}])
    assert run.rc != 0
    assert "zone zone-nosuch" in run.result("bind")["msg"]
    assert run.writes == []


def test_info(playbook, certs):
    run = playbook.run([{"name": "info", "certops.cloud.tencentcloud_teo_hosts_certificate_info": {
        "zone_id": ZONE, "hosts": TEO_STALE_HOSTS[:2], "certificate_details": True}}])
    assert run.rc == 0, run.stdout
    hosts = run.result("info")["hosts"]
    assert set(hosts) == set(TEO_STALE_HOSTS[:2])
    entry = hosts[TEO_STALE_HOSTS[0]]["certificates"][0]
    assert entry["cert_id"] == OLD_CERT_ID
    assert entry["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    everything = playbook.run([{"name": "info", "certops.cloud.tencentcloud_teo_hosts_certificate_info": {"zone_id": ZONE}}])
    assert len(everything.result("info")["hosts"]) == 45
