# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""alicloud_esa_certificate(_info) through ansible-playbook against the sandbox (ACS3 signatures)."""

from __future__ import annotations

import pytest

from harness import CAS_ID, ESA_CERT_ID, FULL_SITE_ID, ON_BOTH_CORES, SITE_ID

MODULE = "certops.cloud.alicloud_esa_certificate"


def set_cert(pem="{{ new_pem }}", key="{{ new_key }}", **identity):
    args = {"site_id": SITE_ID, "certificate": pem, "private_key": key}
    args.update(identity or {"id": ESA_CERT_ID})
    return [{"name": "esa", MODULE: args}]


@ON_BOTH_CORES
def test_check_apply_reapply_by_id(playbook, certs):
    check = playbook.run(set_cert(), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("esa")["changed"] is True
    assert check.writes == []

    apply = playbook.run(set_cert(), diff=True)
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["SetCertificate"]
    assert apply.writes[0]["params"]["Id"] == ESA_CERT_ID
    result = apply.result("esa")
    assert result["before"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert result["after"]["fingerprint_sha256"] == certs.new.fingerprint_sha256
    assert result["after"]["id"] == ESA_CERT_ID
    for text in (certs.old.fingerprint_sha256, certs.new.fingerprint_sha256, ESA_CERT_ID, "not_after", "subject_alt_names"):
        assert text in apply.stdout

    again = playbook.run(set_cert(), diff=True)
    assert again.rc == 0, again.stdout
    assert again.result("esa")["changed"] is False
    assert again.writes == []


def test_by_name_adds_then_keeps(playbook, certs):
    apply = playbook.run(set_cert(name="www-2027"))
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["SetCertificate"]
    assert "Id" not in apply.writes[0]["params"]
    new_id = apply.result("esa")["after"]["id"]
    assert new_id and new_id != ESA_CERT_ID
    again = playbook.run(set_cert(name="www-2027"))
    assert again.result("esa")["changed"] is False
    assert again.result("esa")["before"]["id"] == new_id
    assert again.writes == []


def test_duplicated_is_a_noop(playbook):
    # the site already holds the old certificate as "www": adding it under another name is Certificate.Duplicated
    run = playbook.run(set_cert(pem="{{ old_pem }}", key="{{ old_key }}", name="www-copy"))
    assert run.rc == 0, run.stdout
    result = run.result("esa")
    assert result["changed"] is False
    assert result["after"]["id"] == ESA_CERT_ID
    assert "already holds this certificate" in run.stdout + run.stderr
    assert run.writes == []  # found on the site before any SetCertificate (which would answer Certificate.Duplicated)


def test_by_id_a_copy_held_elsewhere_is_kept_without_a_write(playbook, sandbox):
    since = sandbox.last_seq()
    assert playbook.run(set_cert()).rc == 0
    assert [e["action"] for e in sandbox.log(since=since)] == ["GetCertificate", "ListCertificates", "SetCertificate"]

    # the site holds the next certificate under another entry already: by id, the old entry is kept as it is
    assert playbook.run(set_cert(pem="{{ old_pem }}", key="{{ old_key }}")).rc == 0  # the id back to the old one
    added = playbook.run(set_cert(name="www-2027"))
    assert added.rc == 0 and added.result("esa")["changed"] is True
    check = playbook.run(set_cert(), check=True)
    assert check.result("esa")["changed"] is False and check.writes == []  # check mode reads the site's list first
    apply = playbook.run(set_cert(), diff=True)
    assert apply.rc == 0, apply.stdout
    result = apply.result("esa")
    assert result["changed"] is False and result["after"] == result["before"] and result["after"]["id"] == ESA_CERT_ID
    assert "already holds this certificate" in apply.stdout + apply.stderr and "keeps its own" in apply.stdout + apply.stderr
    assert apply.writes == []  # found in the site's list: no write, on this run or any later one
    entry = next(c for site in sandbox.state()["esa"]["sites"] if site["SiteId"] == SITE_ID
                 for c in site["Certificates"] if c["Id"] == ESA_CERT_ID)
    assert entry["Name"] == "www"


def test_prune_expired_frees_quota(playbook):
    tasks = [{"name": "esa", MODULE: {"site_id": FULL_SITE_ID, "name": "www", "certificate": "{{ new_pem }}",
                                      "private_key": "{{ new_key }}"}}]
    full = playbook.run(tasks)
    assert full.rc != 0
    msg = full.result("esa")["msg"]
    assert "CertQuotaCheckFailed" in msg and "prune_expired" in msg
    assert "site %s certificate www" % FULL_SITE_ID in msg

    tasks[0][MODULE]["prune_expired"] = True
    check = playbook.run(tasks, check=True)
    assert check.result("esa")["pruned"] == ["30009001"]
    assert check.writes == []
    pruned = playbook.run(tasks)
    assert pruned.rc == 0, pruned.stdout
    assert pruned.write_actions() == ["DeleteCertificate", "SetCertificate"]
    assert pruned.result("esa")["pruned"] == ["30009001"]
    again = playbook.run(tasks)
    assert again.result("esa")["changed"] is False
    assert again.writes == []


def test_cas_type(playbook):
    tasks = [{"name": "esa", MODULE: {"site_id": SITE_ID, "name": "api", "type": "cas", "cas_id": CAS_ID}}]
    apply = playbook.run(tasks)
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["SetCertificate"]
    assert apply.writes[0]["params"]["Region"] == "cn-hangzhou"
    again = playbook.run(tasks)
    assert again.result("esa")["changed"] is False
    assert again.writes == []


def test_wrong_secret_is_a_clear_authentication_error(playbook):
    run = playbook.run(set_cert(), alicloud_connection=playbook.alicloud_connection(access_key_secret="wrong-secret"))
    assert run.rc != 0
    msg = run.result("esa")["msg"]
    assert "authentication failed" in msg
    assert "SignatureDoesNotMatch" in msg
    assert run.writes == []


@pytest.mark.parametrize("identity, message", [
    ({"id": "99999999"}, "certificate id 99999999 was not found on site %d" % SITE_ID),
])
def test_unknown_ids(playbook, identity, message):
    run = playbook.run(set_cert(**identity))
    assert run.rc != 0
    assert message in run.result("esa")["msg"]
    assert run.writes == []


def test_unknown_site(playbook):
    run = playbook.run([{"name": "esa", MODULE: {"site_id": 42, "name": "www", "certificate": "{{ new_pem }}",
                                                 "private_key": "{{ new_key }}"}}])
    assert run.rc != 0
    msg = run.result("esa")["msg"]
    assert "site 42" in msg and "InvalidParameter.SiteId" in msg
    assert run.writes == []


def test_bad_input_fails_before_any_call(playbook, sandbox):
    since = sandbox.last_seq()
    run = playbook.run(set_cert(key="{{ other_key }}"))
    assert run.rc != 0
    assert "private key does not match the certificate" in run.result("esa")["msg"]
    assert "alicloud esa site %d certificate %s" % (SITE_ID, ESA_CERT_ID) in run.result("esa")["msg"]
    assert sandbox.log(since=since) == []


def test_info(playbook, certs):
    run = playbook.run([{"name": "info", "certops.cloud.alicloud_esa_certificate_info": {"site_id": SITE_ID, "certificate_details": True}}])
    assert run.rc == 0, run.stdout
    (entry,) = run.result("info")["certificates"]
    assert entry["id"] == ESA_CERT_ID
    assert entry["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert entry["certificate"]["chain"]
    assert run.writes == []
