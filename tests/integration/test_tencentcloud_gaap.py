# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tencentcloud_gaap_certificate and tencentcloud_gaap_domain_certificate(_info) through ansible-playbook."""

from __future__ import annotations

from harness import GAAP_CA_CERT, GAAP_OLD_CERT, LISTENER, ON_BOTH_CORES

STORE = "certops.cloud.tencentcloud_gaap_certificate"
DOMAIN = "certops.cloud.tencentcloud_gaap_domain_certificate"


def store_then_bind(domain="www.example.com", **extra):
    bind = {"listener_id": LISTENER, "domain": domain, "wait_interval": 0.05,
            "certificate_id": "{{ gaap_cert.certificate_id | default('(would be created)', true) }}"}
    bind.update(extra)
    return [
        {"name": "store", STORE: {"certificate": "{{ new_pem }}", "private_key": "{{ new_key }}", "alias": "www-new"},
         "register": "gaap_cert"},
        {"name": "bind", DOMAIN: bind},
    ]


def test_store_creates_once(playbook, certs):
    check = playbook.run(store_then_bind()[:1], check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("store")["changed"] is True
    assert check.result("store")["certificate_id"] is None
    assert check.writes == []

    apply = playbook.run(store_then_bind()[:1])
    assert apply.write_actions() == ["CreateCertificate"]
    created = apply.result("store")["certificate_id"]
    assert created.startswith("cert-")
    assert apply.result("store")["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256

    again = playbook.run(store_then_bind()[:1])
    assert again.result("store")["changed"] is False
    assert again.result("store")["certificate_id"] == created
    assert again.writes == []


def test_store_finds_seeded_copy_and_deletes_by_fingerprint(playbook, certs):
    run = playbook.run([{"name": "store", STORE: {"certificate": "{{ old_pem }}", "private_key": "{{ old_key }}"}}])
    assert run.result("store")["changed"] is False
    assert run.result("store")["certificate_id"] == GAAP_OLD_CERT
    gone = playbook.run([{"name": "gone", STORE: {"state": "absent", "fingerprint": certs.wildcard.fingerprint_sha256}}])
    assert gone.result("gone")["changed"] is False
    assert gone.writes == []


@ON_BOTH_CORES
def test_domain_check_apply_reapply(playbook, certs, sandbox):
    stored = playbook.run(store_then_bind()[:1])
    assert stored.write_actions() == ["CreateCertificate"]
    check = playbook.run(store_then_bind(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("bind")["changed"] is True
    assert check.writes == []
    sandbox.reset()

    apply = playbook.run(store_then_bind(), diff=True)
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["CreateCertificate", "ModifyCertificate"]
    bind = apply.result("bind")
    new_id = apply.result("store")["certificate_id"]
    assert bind["before"]["certificate_id"] == GAAP_OLD_CERT
    assert bind["after"]["certificate_id"] == new_id
    assert bind["before"]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert bind["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256
    # waited for the domain to run again after the write
    assert bind["after"]["domain_status"] == 0
    describes = [e for e in sandbox.log() if e["action"] == "DescribeRules"]
    assert len(describes) >= 3
    for text in (GAAP_OLD_CERT, new_id, certs.new.fingerprint_sha256, "not_after", "subject_alt_names"):
        assert text in apply.stdout

    again = playbook.run(store_then_bind())
    assert again.rc == 0, again.stdout
    assert again.result("bind")["changed"] is False
    assert again.writes == []


def test_client_ca_and_default(playbook):
    args = {"listener_id": LISTENER, "domain": "api.example.com", "wait": False,
            "client_certificate_id": GAAP_CA_CERT, "poly_client_certificate_ids": [GAAP_CA_CERT]}
    tasks = [{"name": "bind", DOMAIN: args}]
    apply = playbook.run(tasks)
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["ModifyCertificate"]
    bind = apply.result("bind")
    assert bind["before"]["certificate_id"] == "default"
    assert bind["after"]["certificate_id"] == "default"
    assert bind["after"]["client_certificate_id"] == GAAP_CA_CERT
    again = playbook.run(tasks)
    assert again.result("bind")["changed"] is False
    assert again.writes == []


def test_unknown_ids_fail_before_write(playbook):
    run = playbook.run([{"name": "bind", DOMAIN: {"listener_id": LISTENER, "domain": "www.example.com", "certificate_id": "cert-nosuch01"}}])
    assert run.rc != 0
    msg = run.result("bind")["msg"]
    assert "gaap listener %s domain www.example.com" % LISTENER in msg
    assert "cert-nosuch01 is not in the GAAP certificate store" in msg
    assert run.writes == []

    run = playbook.run([{"name": "bind", DOMAIN: {"listener_id": "listener-nosuch", "domain": "www.example.com", "certificate_id": GAAP_OLD_CERT}}])
    assert run.rc != 0
    assert "listener listener-nosuch was not found" in run.result("bind")["msg"]
    assert run.writes == []

    run = playbook.run([{"name": "bind", DOMAIN: {"listener_id": LISTENER, "domain": "nosuch.example.com", "certificate_id": GAAP_OLD_CERT}}])
    assert run.rc != 0
    assert "domain nosuch.example.com is not configured on listener" in run.result("bind")["msg"]
    assert run.writes == []


def test_domain_not_running_is_waited_for(playbook):
    run = playbook.run(store_then_bind(domain="stuck.example.com", wait_timeout=1, wait_interval=0.2))
    assert run.rc != 0
    msg = run.result("bind")["msg"]
    assert "domain stuck.example.com" in msg
    assert "not running" in msg
    assert run.write_actions() == ["CreateCertificate"]


def test_bad_certificate_fails_before_any_call(playbook):
    run = playbook.run([{"name": "store", STORE: {"certificate": "{{ new_pem }}", "private_key": "{{ other_key }}"}}])
    assert run.rc != 0
    assert "private key does not match the certificate" in run.result("store")["msg"]
    assert "gaap store" in run.result("store")["msg"]
    assert run.writes == []


def test_info(playbook, certs):
    run = playbook.run([{"name": "info", "certops.cloud.tencentcloud_gaap_domain_certificate_info": {"listener_id": LISTENER}}])
    assert run.rc == 0, run.stdout
    domains = {d["domain"]: d for d in run.result("info")["domains"]}
    assert set(domains) == {"www.example.com", "api.example.com", "stuck.example.com"}
    assert domains["www.example.com"]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert domains["api.example.com"]["certificate_id"] == "default"
    assert run.writes == []


def test_batch_reads_and_awaits_a_listener_once_for_all_its_domains(playbook, certs, sandbox):
    """Two domains of one listener: one DescribeRules reads both, and one poll at a time awaits both."""
    tasks = store_then_bind()
    bind = tasks[1][DOMAIN]
    tasks[1][DOMAIN] = {"certificate_id": bind["certificate_id"], "wait_interval": 0.05,
                        "batch": [{"listener_id": LISTENER, "domain": "www.example.com"},
                                  {"listener_id": LISTENER, "domain": "api.example.com"}]}
    since = sandbox.last_seq()
    run = playbook.run(tasks)
    assert run.rc == 0, run.stdout
    endpoints = run.result("bind")["endpoints"]
    assert [e["changed"] for e in endpoints] == [True, True]
    assert [e["after"]["domain_status"] for e in endpoints] == [0, 0]  # both awaited: running again
    actions = [e["action"] for e in sandbox.log(since=since)]
    assert actions.count("ModifyCertificate") == 2
    # one read for the listener's two domains, then the polls shared by both (the sandbox settles after two reads)
    assert actions.count("DescribeRules") == 1 + 3, actions
