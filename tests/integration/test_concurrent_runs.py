# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""concurrent_runs (action plugin) through ansible-playbook against the sandbox: several modules in one task."""

from __future__ import annotations

from harness import ESA_CERT_ID, GATEWAY, NATIVE_ENTRY, OLD_CERT_ID, SITE_ID, SSL_ENTRY

TSE = "certops.cloud.tencentcloud_tse_gateway_certificate"
ESA = "certops.cloud.alicloud_esa_certificate"


def both(concurrency=5):
    """TSE (native PEM) and ESA at the same time; the credentials come from the play's module_defaults groups."""
    pem = {"certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}
    return [{"name": "both", "certops.cloud.concurrent_runs": {"concurrency": concurrency, "runs": [
        {"name": "tse", "module": TSE, "args": dict(pem, gateway_id=GATEWAY, id=NATIVE_ENTRY, cert_source="native")},
        {"name": "esa", "module": ESA, "args": dict(pem, site_id=SITE_ID, id=ESA_CERT_ID)},
    ]}}]


def test_check_apply_reapply_and_diff(playbook, certs):
    check = playbook.run(both(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("both")["changed"] is True
    assert check.writes == []
    assert {name: r["changed"] for name, r in check.result("both")["results"].items()} == {"tse": True, "esa": True}
    for text in (certs.old.fingerprint_sha256, certs.new.fingerprint_sha256, NATIVE_ENTRY, "not_after"):
        assert text in check.stdout  # every run's diff
    assert "PRIVATE KEY" not in check.stdout

    apply = playbook.run(both(), diff=True)
    assert apply.rc == 0, apply.stdout
    assert sorted(apply.write_actions()) == ["ModifyCloudNativeAPIGatewayCertificate", "SetCertificate"]
    results = apply.result("both")["results"]
    assert results["tse"]["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256

    again = playbook.run(both(concurrency=1))
    assert again.rc == 0, again.stdout
    assert again.result("both")["changed"] is False
    assert again.writes == []


def test_two_runs_of_one_module_keep_their_own_arguments(playbook):
    info = "certops.cloud.tencentcloud_ssl_certificate_info"
    run = playbook.run([{"name": "two", "certops.cloud.concurrent_runs": {"runs": [
        {"name": "entries", "module": "certops.cloud.tencentcloud_tse_gateway_certificate_info", "args": {"gateway_id": GATEWAY}},
        {"name": "first", "module": info, "args": {"certificate_ids": [OLD_CERT_ID], "search_key": "{{ omit }}"}},
        {"name": "second", "module": info, "args": {"search_key": "nothing-by-this-name", "region": None}},
    ]}}], check=True)
    assert run.rc == 0, run.stdout
    results = run.result("two")["results"]
    assert {e["id"] for e in results["entries"]["certificates"]} == {SSL_ENTRY, NATIVE_ENTRY}
    assert [c["certificate_id"] for c in results["first"]["certificates"]] == [OLD_CERT_ID]
    assert results["second"]["certificates"] == []
    assert run.writes == []


def test_an_unknown_or_foreign_module_starts_nothing(playbook):
    for module, message in (("certops.cloud.no_such_module", "run bad: no module certops.cloud.no_such_module"),
                            ("ansible.builtin.command", "ansible.builtin.command is not one of the certops.cloud modules")):
        runs = both()[0]["certops.cloud.concurrent_runs"]["runs"] + [{"name": "bad", "module": module, "args": {}}]
        run = playbook.run([{"name": "bad", "certops.cloud.concurrent_runs": {"runs": runs}}])
        assert run.rc != 0
        assert message in run.stdout, run.stdout
        assert run.writes == []


def test_a_failed_run_fails_the_task_and_names_it_the_others_still_run(playbook):
    runs = both()[0]["certops.cloud.concurrent_runs"]["runs"]
    runs[1]["args"]["private_key"] = "{{ other_key }}"  # does not match the certificate: ESA fails before any call
    run = playbook.run([{"name": "both", "certops.cloud.concurrent_runs": {"runs": runs}}])
    assert run.rc != 0
    assert "esa: " in run.stdout and "does not match" in run.stdout, run.stdout
    assert run.write_actions() == ["ModifyCloudNativeAPIGatewayCertificate"]
