# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tencentcloud_tse_gateway_certificate(_info) through ansible-playbook against the sandbox."""

from __future__ import annotations

import pytest

from harness import GATEWAY, NATIVE_ENTRY, OLD_CERT_ID, ON_BOTH_CORES, SSL_ENTRY

MODULE = "certops.cloud.tencentcloud_tse_gateway_certificate"


def upload_then_bind(entry=SSL_ENTRY):
    return [
        {"name": "upload", "certops.cloud.tencentcloud_ssl_certificate": {
            "certificate": "{{ new_pem }}", "private_key": "{{ new_key }}", "alias": "www-new"},
         "register": "stored"},
        {"name": "bind", MODULE: {
            "gateway_id": GATEWAY, "id": entry, "cert_source": "ssl",
            "cert_id": "{{ stored.certificate_id | default('(would be uploaded)', true) }}"}},
    ]


def bind_native(pem="{{ new_pem }}", key="{{ new_key }}", gateway=GATEWAY, entry=NATIVE_ENTRY):
    return [{"name": "bind", MODULE: {
        "gateway_id": gateway, "id": entry, "cert_source": "native", "certificate": pem, "private_key": key}}]


@ON_BOTH_CORES
def test_native_check_apply_reapply(playbook, certs):
    check = playbook.run(bind_native(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("bind")["changed"] is True
    assert check.writes == []

    apply = playbook.run(bind_native(), diff=True)
    assert apply.rc == 0, apply.stdout
    result = apply.result("bind")
    assert result["changed"] is True
    assert apply.write_actions() == ["ModifyCloudNativeAPIGatewayCertificate"]
    assert result["before"]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert result["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256
    assert result["after"]["cert_source"] == "native"

    again = playbook.run(bind_native(), diff=True)
    assert again.rc == 0, again.stdout
    assert again.result("bind")["changed"] is False
    assert again.writes == []
    assert "changed=0" in again.stdout


def test_diff_shows_ids_fingerprints_and_expiry(playbook, certs):
    run = playbook.run(bind_native(), check=True, diff=True)
    assert run.rc == 0, run.stdout
    for text in (certs.old.fingerprint_sha256, certs.new.fingerprint_sha256, NATIVE_ENTRY, "not_after",
                 "www.example.com", "subject_alt_names"):
        assert text in run.stdout
    assert "PRIVATE KEY" not in run.stdout


def bind_ssl_content():
    return [{"name": "bind", MODULE: {
        "gateway_id": GATEWAY, "id": SSL_ENTRY, "cert_source": "ssl",
        "certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}}]


def test_ssl_source_upload_and_bind(playbook, certs):
    check = playbook.run(bind_ssl_content(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("bind")["changed"] is True
    assert check.result("bind")["after"]["cert_id"] is None
    assert check.writes == []

    apply = playbook.run(upload_then_bind())
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate", "ModifyCloudNativeAPIGatewayCertificate"]
    bind = apply.result("bind")
    assert bind["before"]["cert_id"] == OLD_CERT_ID
    assert bind["after"]["cert_id"] == apply.result("upload")["certificate_id"]
    assert bind["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256

    again = playbook.run(upload_then_bind())
    assert again.rc == 0, again.stdout
    assert again.result("upload")["changed"] is False
    assert again.result("bind")["changed"] is False
    assert again.writes == []

    by_content = playbook.run(bind_ssl_content())
    assert by_content.rc == 0, by_content.stdout
    assert by_content.result("bind")["changed"] is False
    assert by_content.writes == []


def test_ssl_source_by_content_uploads_once(playbook):
    apply = playbook.run(bind_ssl_content())
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate", "ModifyCloudNativeAPIGatewayCertificate"]
    assert apply.result("bind")["after"]["cert_id"]


def test_info_lists_entries_without_keys(playbook, certs):
    run = playbook.run([{"name": "info", "certops.cloud.tencentcloud_tse_gateway_certificate_info": {
        "gateway_id": GATEWAY}}], check=True)
    assert run.rc == 0, run.stdout
    entries = {e["id"]: e for e in run.result("info")["certificates"]}
    assert set(entries) == {SSL_ENTRY, NATIVE_ENTRY}
    assert entries[SSL_ENTRY]["cert_id"] == OLD_CERT_ID
    assert entries[NATIVE_ENTRY]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert run.writes == []


def test_verbose_output_has_no_key_material(playbook):
    # Playbook.run checks every run for key material; this one is at -vvv with diff.
    run = playbook.run(bind_native(), diff=True, verbosity=3)
    assert run.rc == 0, run.stdout
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.stdout


@pytest.mark.parametrize("pem, key, message", [
    ("not a certificate", "{{ new_key }}", "certificate is not PEM text"),
    ("{{ new_pem }}", "{{ other_key }}", "private key does not match the certificate"),
    ("{{ expired_pem }}", "{{ expired_key }}", "certificate is expired"),
    ("{{ not_yet_pem }}", "{{ not_yet_key }}", "certificate is not yet valid"),
])
def test_bad_input_fails_before_any_call(playbook, pem, key, message):
    run = playbook.run(bind_native(pem=pem, key=key))
    assert run.rc != 0
    msg = run.result("bind")["msg"]
    assert message in msg
    assert "gateway %s certificate %s" % (GATEWAY, NATIVE_ENTRY) in msg
    assert run.writes == []


def test_unknown_gateway_fails_clearly(playbook):
    run = playbook.run(bind_native(gateway="gateway-missing"))
    assert run.rc != 0
    msg = run.result("bind")["msg"]
    assert "gateway-missing" in msg
    assert "ResourceNotFound" in msg
    assert run.writes == []


def test_unknown_cert_id_fails_before_write(playbook):
    run = playbook.run([{"name": "bind", MODULE: {
        "gateway_id": GATEWAY, "id": SSL_ENTRY, "cert_source": "ssl", "cert_id": "NOSUCHID"}}])
    assert run.rc != 0
    assert "NOSUCHID is not in the Tencent Cloud SSL certificate store" in run.result("bind")["msg"]
    assert run.writes == []


def bind_batch(entries):
    return [
        {"name": "upload", "certops.cloud.tencentcloud_ssl_certificate": {
            "certificate": "{{ new_pem }}", "private_key": "{{ new_key }}", "alias": "www-new"},
         "register": "stored"},
        {"name": "bind", MODULE: {
            "gateway_id": GATEWAY, "cert_source": "ssl", "batch": entries,
            "cert_id": "{{ stored.certificate_id | default(omit, true) }}",
            "certificate": "{{ omit if stored.certificate_id else new_pem }}",
            "private_key": "{{ omit if stored.certificate_id else new_key }}"}},
    ]


def test_batch_binds_many_entries_in_one_run(playbook, certs):
    entries = [{"id": SSL_ENTRY}, {"id": NATIVE_ENTRY}]
    since = playbook.sandbox.last_seq()
    check = playbook.run(bind_batch(entries), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.writes == []
    # Two entries of one gateway: one listing of the gateway, no detail read per entry.
    tse_reads = [e["action"] for e in playbook.sandbox.log(since=since) if e["service"] == "tse"]
    assert tse_reads == ["DescribeCloudNativeAPIGatewayCertificates"]
    assert [e["changed"] for e in check.result("bind")["endpoints"]] == [True, True]
    assert SSL_ENTRY in check.stdout and NATIVE_ENTRY in check.stdout  # one diff per endpoint

    apply = playbook.run(bind_batch(entries))
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate"] + ["ModifyCloudNativeAPIGatewayCertificate"] * 2
    endpoints = apply.result("bind")["endpoints"]
    new_id = apply.result("upload")["certificate_id"]
    assert [e["summary"]["after_id"] for e in endpoints] == [new_id, new_id]
    assert [e["summary"]["before_fingerprint"] for e in endpoints] == [certs.old.fingerprint_sha256] * 2
    assert endpoints[0]["summary"]["after_fingerprint"] == certs.new.fingerprint_sha256

    again = playbook.run(bind_batch(entries))
    assert again.rc == 0, again.stdout
    assert again.writes == []
    assert [e["changed"] for e in again.result("bind")["endpoints"]] == [False, False]


def test_batch_entry_failure_does_not_stop_the_others(playbook):
    run = playbook.run(bind_batch([{"id": "no-such-entry"}, {"id": SSL_ENTRY}, {"gateway_id": None}]))
    assert run.rc != 0
    result = run.result("bind")
    assert "2 of 3 endpoints failed" in result["msg"]
    first, second, third = result["endpoints"]
    assert first["failed"] and "no-such-entry" in first["msg"]
    assert second["changed"] and not second["failed"]
    assert third["failed"] and "batch entry misses id" in third["msg"]
    assert run.write_actions() == ["UploadCertificate", "ModifyCloudNativeAPIGatewayCertificate"]
