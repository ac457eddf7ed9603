# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tencentcloud_clb_certificate(_info) through ansible-playbook against the sandbox."""

from __future__ import annotations

from harness import API_CERT_ID, CA_CERT_ID, LB_MTLS, LB_OTHER_REGION, LB_SNI, LB_WEB, OLD_CERT_ID, TEO_CERT_ID

MODULE = "certops.cloud.tencentcloud_clb_certificate"


def upload_then_replace(old=OLD_CERT_ID, pem="{{ new_pem }}", key="{{ new_key }}", **extra):
    replace = {"old_certificate_id": old, "certificate_id": "{{ stored.certificate_id | default('(would be uploaded)', true) }}"}
    replace.update(extra)
    return [
        {"name": "upload", "certops.cloud.tencentcloud_ssl_certificate": {"certificate": pem, "private_key": key},
         "register": "stored"},
        {"name": "replace", MODULE: replace},
    ]


def listener_certificates(sandbox):
    """{load balancer id: [Certificate dicts of its listeners and rules]} from the sandbox state."""
    found = {}
    for lb in sandbox.state()["clb"]["load_balancers"]:
        for listener in lb["Listeners"]:
            certs = [listener["Certificate"]] if listener.get("Certificate") else []
            certs += [rule["Certificate"] for rule in listener.get("Rules") or [] if rule.get("Certificate")]
            found.setdefault(lb["LoadBalancerId"], []).extend(certs)
    return found


def test_check_apply_reapply(playbook, sandbox, certs):
    by_content = {"old_cert_id": OLD_CERT_ID, "certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}
    check = playbook.run([{"name": "replace", MODULE: by_content}], check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("replace")["changed"] is True
    assert check.writes == []
    assert {lb["load_balancer_id"] for lb in check.result("replace")["load_balancers"]} == {LB_WEB, LB_SNI}

    apply = playbook.run(upload_then_replace(regions=["ap-guangzhou", "ap-shanghai"]), diff=True)
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate", "ReplaceCertForLoadBalancers"]
    new_id = apply.result("upload")["certificate_id"]
    result = apply.result("replace")
    assert {lb["load_balancer_id"] for lb in result["load_balancers"]} == {LB_WEB, LB_SNI, LB_OTHER_REGION}
    assert result["certificate_id"] == new_id
    assert apply.writes[1]["region"] == "ap-guangzhou"
    assert result["before"]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert result["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256
    assert apply.writes[1]["params"]["Certificate"] == {"SSLMode": "UNIDIRECTIONAL", "CertId": new_id}
    state = listener_certificates(sandbox)
    # one call from Guangzhou replaces the certificate in every region
    assert {c["CertId"] for c in state[LB_WEB] + state[LB_SNI] + state[LB_OTHER_REGION]} == {new_id}
    for text in (OLD_CERT_ID, new_id, LB_WEB, certs.new.fingerprint_sha256, "not_after"):
        assert text in apply.stdout

    again = playbook.run(upload_then_replace())
    assert again.rc == 0, again.stdout
    assert again.result("replace")["changed"] is False
    assert again.result("replace")["certificate_id"] == new_id
    assert again.writes == []


def test_mutual_tls_is_kept(playbook, sandbox):
    run = playbook.run(upload_then_replace(old=API_CERT_ID, pem="{{ api_new_pem }}", key="{{ api_new_key }}"))
    assert run.rc == 0, run.stdout
    new_id = run.result("upload")["certificate_id"]
    assert run.writes[1]["params"]["Certificate"] == {"SSLMode": "MUTUAL", "CertId": new_id, "CertCaId": CA_CERT_ID}
    assert listener_certificates(sandbox)[LB_MTLS][0] == {"SSLMode": "MUTUAL", "CertId": new_id, "CertCaId": CA_CERT_ID}


def test_mixed_tls_settings_need_ssl_mode(playbook, sandbox):
    sandbox.patch_state(["clb", "load_balancers", 1, "Listeners", 0, "Rules", 0, "Certificate"],
                        {"SSLMode": "MUTUAL", "CertId": OLD_CERT_ID, "CertCaId": CA_CERT_ID})
    run = playbook.run(upload_then_replace())
    assert run.rc != 0
    assert "different mutual TLS settings" in run.result("replace")["msg"]
    assert run.write_actions() == ["UploadCertificate"]
    chosen = playbook.run(upload_then_replace(ssl_mode="UNIDIRECTIONAL"))
    assert chosen.rc == 0, chosen.stdout
    assert chosen.write_actions() == ["ReplaceCertForLoadBalancers"]


def test_unknown_ids_fail_before_write(playbook):
    run = playbook.run([{"name": "replace", MODULE: {"old_certificate_id": OLD_CERT_ID, "new_cert_id": "NOSUCHID"}}])
    assert run.rc != 0
    msg = run.result("replace")["msg"]
    assert "tencentcloud clb certificate %s" % OLD_CERT_ID in msg
    assert "NOSUCHID is not in the Tencent Cloud SSL certificate store" in msg
    assert run.writes == []

    run = playbook.run([{"name": "replace", MODULE: {"old_certificate_id": "NOSUCHOLD", "certificate_id": TEO_CERT_ID}}])
    assert run.rc != 0
    assert "old_certificate_id NOSUCHOLD is not in the Tencent Cloud SSL certificate store" in run.result("replace")["msg"]
    assert run.writes == []


def test_bad_input_fails_before_any_call(playbook, sandbox):
    since = sandbox.last_seq()
    args = {"old_certificate_id": OLD_CERT_ID, "certificate": "{{ expired_pem }}", "private_key": "{{ expired_key }}"}
    run = playbook.run([{"name": "replace", MODULE: args}])
    assert run.rc != 0
    assert "certificate is expired" in run.result("replace")["msg"]
    assert sandbox.log(since=since) == []


def test_info(playbook):
    run = playbook.run([{"name": "info", "certops.cloud.tencentcloud_clb_certificate_info": {
        "certificate_ids": [OLD_CERT_ID, API_CERT_ID], "listeners": True}}])
    assert run.rc == 0, run.stdout
    found = {c["certificate_id"]: c for c in run.result("info")["certificates"]}
    assert {lb["load_balancer_id"] for lb in found[OLD_CERT_ID]["load_balancers"]} == {LB_WEB, LB_SNI}
    mtls = found[API_CERT_ID]["listeners"][0]
    assert (mtls["ssl_mode"], mtls["cert_ca_id"]) == ("MUTUAL", CA_CERT_ID)
    assert run.writes == []
