# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tencentcloud_ssl_certificate(_info) through ansible-playbook against the sandbox."""

from __future__ import annotations

import pytest

from harness import OLD_CERT_ID, ON_BOTH_CORES

MODULE = "certops.cloud.tencentcloud_ssl_certificate"


def upload(pem="{{ new_pem }}", key="{{ new_key }}", **extra):
    args = {"certificate": pem, "private_key": key, "alias": "www-new"}
    args.update(extra)
    return [{"name": "upload", MODULE: args, "register": "stored"}]


@ON_BOTH_CORES
def test_upload_check_apply_reapply(playbook, certs):
    check = playbook.run(upload(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("upload")["changed"] is True
    assert check.result("upload")["certificate_id"] is None
    assert check.writes == []
    assert certs.new.fingerprint_sha256 in check.stdout

    apply = playbook.run(upload())
    assert apply.rc == 0, apply.stdout
    first = apply.result("upload")
    assert first["changed"] is True
    assert apply.write_actions() == ["UploadCertificate"]
    assert first["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256

    again = playbook.run(upload())
    assert again.rc == 0, again.stdout
    assert again.result("upload")["changed"] is False
    assert again.result("upload")["certificate_id"] == first["certificate_id"]
    assert again.writes == []


def test_existing_certificate_is_reused_not_copied(playbook):
    run = playbook.run(upload(pem="{{ old_pem }}", key="{{ old_key }}"))
    assert run.rc == 0, run.stdout
    assert run.result("upload")["changed"] is False
    assert run.result("upload")["certificate_id"] == OLD_CERT_ID
    assert run.writes == []


def test_crlf_and_bom_input_is_the_same_certificate(playbook):
    tasks = [{"name": "upload", MODULE: {
        "certificate": "{{ '\ufeff' ~ (old_pem | replace('\n', '\r\n')) }}", "private_key": "{{ old_key }}"}}]
    run = playbook.run(tasks)
    assert run.rc == 0, run.stdout
    assert run.result("upload")["certificate_id"] == OLD_CERT_ID
    assert run.writes == []


def test_absent_by_fingerprint(playbook, certs):
    tasks = [{"name": "remove", MODULE: {"state": "absent", "fingerprint": certs.old.fingerprint_sha256}}]
    check = playbook.run(tasks, check=True)
    assert check.rc == 0, check.stdout
    assert check.result("remove")["certificate_ids"] == [OLD_CERT_ID]
    assert check.writes == []
    # The old certificate is still bound on a gateway: the store refuses, the module says why.
    apply = playbook.run(tasks)
    assert apply.rc != 0
    assert OLD_CERT_ID in apply.result("remove")["msg"] or "DeleteCertificate" in apply.result("remove")["msg"]


def test_absent_by_id_after_upload(playbook):
    apply = playbook.run(upload() + [{"name": "remove", MODULE: {
        "state": "absent", "certificate_id": "{{ stored.certificate_id }}"}}])
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate", "DeleteCertificate"]
    again = playbook.run([{"name": "remove", MODULE: {"state": "absent", "certificate_id": "NOSUCHID"}}])
    assert again.rc == 0, again.stdout
    assert again.result("remove")["changed"] is False


def test_info_finds_by_certificate_and_search(playbook, certs):
    run = playbook.run([
        {"name": "by pem", "certops.cloud.tencentcloud_ssl_certificate_info": {"certificate": "{{ old_pem }}"}},
        {"name": "by search", "certops.cloud.tencentcloud_ssl_certificate_info": {"search_key": "example.com"}},
    ])
    assert run.rc == 0, run.stdout
    found = run.result("by pem")["certificates"]
    assert [c["certificate_id"] for c in found] == [OLD_CERT_ID]
    assert found[0]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert OLD_CERT_ID in [c["certificate_id"] for c in run.result("by search")["certificates"]]


@pytest.mark.parametrize("pem, key, message", [
    ("-----BEGIN CERTIFICATE-----\nMIIB\n", "{{ new_key }}", "certificate contains no complete PEM certificate"),
    ("{{ new_pem }}", "{{ other_key }}", "private key does not match the certificate"),
    ("{{ expired_pem }}", "{{ expired_key }}", "certificate is expired"),
])
def test_bad_input_fails_before_any_call(playbook, pem, key, message):
    run = playbook.run(upload(pem=pem, key=key))
    assert run.rc != 0
    assert message in run.result("upload")["msg"]
    assert run.writes == []
