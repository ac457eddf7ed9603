# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""served_certificate against the sandbox's TLS frontend: one endpoint, and many at once."""

from __future__ import annotations

MODULE = "certops.cloud.served_certificate"


def test_one_and_many_targets(playbook, certs):
    port = playbook.sandbox.tls_port()
    old = certs.old.fingerprint_sha256
    targets = [
        {"name": "www", "host": "127.0.0.1", "port": port, "server_name": "www.example.com", "expected_fingerprint": old},
        {"name": "stale", "host": "127.0.0.1", "port": port, "server_name": "www.example.com",
         "expected_fingerprint": certs.new.fingerprint_sha256},
        {"host": "127.0.0.1", "port": port, "server_name": "nowhere.invalid"},
    ]
    tasks = [
        {"name": "one", MODULE: {"host": "127.0.0.1", "port": port, "server_name": "www.example.com", "expected_fingerprint": old}},
        {"name": "many", MODULE: {"targets": targets, "timeout": 1, "delay": 0.2}},
        {"name": "strict", MODULE: {"targets": targets[:2], "timeout": 1, "delay": 0.2, "fail_on_mismatch": True},
         "ignore_errors": True},
    ]
    run = playbook.run(tasks)
    assert run.rc == 0, run.stdout
    assert run.result("one")["matches"] is True
    many = run.result("many")["endpoints"]
    assert many["www"]["matches"] is True and many["www"]["error"] is None
    assert many["stale"]["matches"] is False
    assert "is not served" in many["stale"]["error"]
    assert many["nowhere.invalid"]["fingerprint_sha256"] is None
    assert "TLS handshake failed" in many["nowhere.invalid"]["error"]
    strict = run.result("strict")
    assert run.status("strict") == "failed"
    assert "1 of 2 targets: stale (tls 127.0.0.1:%d (SNI www.example.com))" % port in strict["msg"]
    assert run.writes == []


def test_chain_structure_without_an_expected_chain(playbook):
    """No expected chain at hand (an audit): the leaf alone, or an unrelated CA appended, is wrong and named."""
    playbook.sandbox.patch_state(["tls", "leaf_only"], ["www.example.com"])
    playbook.sandbox.patch_state(["tls", "unrelated"], ["api.example.com"])
    port = playbook.sandbox.tls_port()
    tasks = [{"name": name, MODULE: {"host": "127.0.0.1", "port": port, "server_name": server_name, "check_chain": True},
              "ignore_errors": True} for name, server_name in (("leaf alone", "www.example.com"), ("unrelated", "api.example.com"),
                                                               ("right", "h01.example.com"))]
    run = playbook.run(tasks)
    assert run.status("leaf alone") == "failed" and run.result("leaf alone")["chain_matches"] is False
    assert "incomplete chain (the endpoint sends the leaf alone): missing the issuer of" in run.result("leaf alone")["msg"]
    assert run.status("unrelated") == "failed" and "unrelated certificate in the served chain: CN=sandbox unrelated CA" in run.result("unrelated")["msg"]
    assert run.status("right") == "ok" and run.result("right")["chain_matches"] is True and len(run.result("right")["chain"]) == 1
