# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""tencentcloud_clb_certificate(_info) through ansible-playbook against the sandbox.

The sandbox's CLB writes are asynchronous (DescribeTaskStatus answers "running" twice, then the change lands), as
the real API's are: every apply below is also a proof that the module awaited its task.
"""

from __future__ import annotations

from harness import API_CERT_ID, CA_CERT_ID, LB_MTLS, LB_OTHER_REGION, LB_SNI, LB_WEB, OLD_CERT_ID, ON_BOTH_CORES, REGION, TEO_CERT_ID
from reliability import record

MODULE = "certops.cloud.tencentcloud_clb_certificate"
WAIT = {"wait_interval": 0.2}


def upload_then_replace(pem="{{ rotation_pem }}", key="{{ rotation_key }}", **endpoint):
    replace = {"certificate_id": "{{ stored.certificate_id | default('(would be uploaded)', true) }}"}
    replace.update(WAIT, **endpoint)
    return [
        {"name": "upload", "certops.cloud.tencentcloud_ssl_certificate": {"certificate": pem, "private_key": key},
         "register": "stored"},
        {"name": "replace", MODULE: replace},
    ]


def by_content(pem="{{ rotation_pem }}", key="{{ rotation_key }}", **endpoint):
    return [{"name": "replace", MODULE: dict(WAIT, certificate=pem, private_key=key, **endpoint)}]


def listener_certificates(sandbox):
    """{load balancer id: [Certificate dicts of its listeners and rules]} from the sandbox state."""
    found = {}
    for lb in sandbox.state()["clb"]["load_balancers"]:
        for listener in lb["Listeners"]:
            certs = [listener["Certificate"]] if listener.get("Certificate") else []
            certs += [rule["Certificate"] for rule in listener.get("Rules") or [] if rule.get("Certificate")]
            found.setdefault(lb["LoadBalancerId"], []).extend(certs)
    return found


def rule_certificate(sandbox, load_balancer_id, domain):
    lb = next(lb for lb in sandbox.state()["clb"]["load_balancers"] if lb["LoadBalancerId"] == load_balancer_id)
    return next(r["Certificate"] for listener in lb["Listeners"] for r in listener["Rules"] if r["Domain"] == domain)


def awaited(run, sandbox, action="ReplaceCertForLoadBalancers"):
    """Each write's task was polled until it ended with Status 0 (succeeded)."""
    writes = [w for w in run.writes if w["action"] == action]
    tasks = dict((task["TaskId"], task) for task in sandbox.state()["clb"]["tasks"])
    polls = [c for c in sandbox.log() if c["action"] == "DescribeTaskStatus"]
    for write in writes:
        assert tasks[write["request_id"]]["Status"] == 0
        assert len([p for p in polls if p["params"].get("TaskId") == write["request_id"]]) == 3  # running, running, done
    return len(writes)


@ON_BOTH_CORES
def test_load_balancer_endpoint_check_apply_reapply(playbook, sandbox, certs):
    endpoint = {"load_balancer_id": LB_WEB, "regions": [REGION, "ap-shanghai"]}
    check = playbook.run(by_content(**endpoint), check=True, diff=True)
    assert check.rc == 0, check.stdout
    result = check.result("replace")
    assert result["changed"] is True
    assert check.writes == []
    # The replacement changes every load balancer holding the old certificate: all named, in check mode too.
    assert {lb["load_balancer_id"] for lb in result["load_balancers"]} == {LB_WEB, LB_SNI, LB_OTHER_REGION}
    assert {(b["load_balancer_id"], b["domain"]) for b in result["also_changed"]} == {
        (LB_SNI, "www.example.com"), (LB_SNI, "lb.example.com"), (LB_OTHER_REGION, None)}
    assert result["before"]["certificate_id"] == OLD_CERT_ID
    assert result["before"]["certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    for text in (LB_SNI, LB_OTHER_REGION, "also_changed", certs.rotation.fingerprint_sha256, "not_after"):
        assert text in check.stdout
    record("check", "tencentcloud_clb_certificate (load balancer)", target=MODULE, changed=True, writes=0)

    apply = playbook.run(upload_then_replace(**endpoint), diff=True)
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate", "ReplaceCertForLoadBalancers"]
    assert awaited(apply, sandbox) == 1
    new_id = apply.result("upload")["certificate_id"]
    result = apply.result("replace")
    assert result["certificate_id"] == new_id and result["changed"] is True
    assert result["tasks"][0]["task_id"] == apply.writes[1]["request_id"]
    assert apply.writes[1]["region"] == "ap-guangzhou"
    assert apply.writes[1]["params"]["OldCertificateId"] == OLD_CERT_ID
    assert apply.writes[1]["params"]["Certificate"] == {"SSLMode": "UNIDIRECTIONAL", "CertId": new_id}
    state = listener_certificates(sandbox)
    assert {c["CertId"] for c in state[LB_WEB] + state[LB_SNI] + state[LB_OTHER_REGION]} == {new_id}
    assert result["summary"]["before_fingerprint"] == certs.old.fingerprint_sha256
    assert result["summary"]["after_fingerprint"] == certs.rotation.fingerprint_sha256

    again = playbook.run(upload_then_replace(**endpoint))
    assert again.rc == 0, again.stdout
    assert again.result("replace")["changed"] is False
    assert again.writes == []
    # The no-op still describes what is bound (the report's fingerprint and expiry)
    assert again.result("replace")["summary"]["before_not_after"] == certs.rotation.cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    # The next quarter: the same endpoint finds the certificate it holds now, whatever its id.
    quarter = playbook.run(by_content(pem="{{ wildcard_pem }}", key="{{ wildcard_key }}", load_balancer_id=LB_WEB))
    assert quarter.rc == 0, quarter.stdout
    replace = [w for w in quarter.writes if w["action"] == "ReplaceCertForLoadBalancers"]
    assert [w["params"]["OldCertificateId"] for w in replace] == [new_id]
    assert quarter.result("replace")["before"]["certificate"]["fingerprint_sha256"] == certs.rotation.fingerprint_sha256


def test_sni_rule_endpoint_scope_endpoint(playbook, sandbox):
    """scope endpoint changes only the endpoint's own rule (ModifyDomainAttributes), awaited."""
    endpoint = {"load_balancer_id": LB_SNI, "domain": "lb.example.com", "scope": "endpoint"}
    check = playbook.run(by_content(**endpoint), check=True)
    assert check.rc == 0 and check.writes == []
    assert check.result("replace")["also_changed"] == []
    assert [lb["load_balancer_id"] for lb in check.result("replace")["load_balancers"]] == [LB_SNI]
    run = playbook.run(by_content(**endpoint))
    assert run.rc == 0, run.stdout
    assert run.write_actions() == ["UploadCertificate", "ModifyDomainAttributes"]
    assert awaited(run, sandbox, "ModifyDomainAttributes") == 1
    new_id = run.result("replace")["certificate_id"]
    assert rule_certificate(sandbox, LB_SNI, "lb.example.com")["CertId"] == new_id
    assert rule_certificate(sandbox, LB_SNI, "www.example.com")["CertId"] == OLD_CERT_ID
    assert {c["CertId"] for c in listener_certificates(sandbox)[LB_WEB]} == {OLD_CERT_ID}
    assert run.result("replace")["server_names"] == ["lb.example.com"]
    again = playbook.run(by_content(**endpoint))
    assert again.rc == 0 and again.writes == [] and again.result("replace")["changed"] is False


def test_listener_endpoint_scope_endpoint(playbook, sandbox):
    run = playbook.run(by_content(load_balancer_id=LB_WEB, listener_id="lbl-web00443", scope="endpoint"))
    assert run.rc == 0, run.stdout
    assert run.write_actions() == ["UploadCertificate", "ModifyListener"]
    assert awaited(run, sandbox, "ModifyListener") == 1
    assert {c["CertId"] for c in listener_certificates(sandbox)[LB_SNI]} == {OLD_CERT_ID}


def test_batch_endpoints_sharing_a_certificate_share_one_write(playbook, sandbox):
    batch = [{"load_balancer_id": LB_WEB}, {"load_balancer_id": LB_SNI, "domain": "www.example.com"}, {"load_balancer_id": LB_MTLS}]
    tasks = [{"name": "replace", MODULE: dict(WAIT, batch=batch, certificate="{{ rotation_pem }}", private_key="{{ rotation_key }}")}]
    check = playbook.run(tasks, check=True)
    assert check.rc == 0 and check.writes == []
    since = sandbox.last_seq()
    run = playbook.run(tasks)
    assert run.rc == 0, run.stdout
    by_cert = [c["params"]["CertIds"] for c in sandbox.log(since=since) if c["action"] == "DescribeLoadBalancerListByCertId"]
    assert [sorted(ids) for ids in by_cert] == [sorted([OLD_CERT_ID, API_CERT_ID])]  # who uses the old certificates: one read
    replaced = sorted(w["params"]["OldCertificateId"] for w in run.writes if w["action"] == "ReplaceCertForLoadBalancers")
    assert replaced == sorted([OLD_CERT_ID, API_CERT_ID])  # one write per old certificate, not per endpoint
    assert awaited(run, sandbox) == 2
    endpoints = run.result("replace")["endpoints"]
    assert [e["changed"] for e in endpoints] == [True, True, True]
    mtls = next(w for w in run.writes if w["params"].get("OldCertificateId") == API_CERT_ID)
    assert mtls["params"]["Certificate"]["SSLMode"] == "MUTUAL" and mtls["params"]["Certificate"]["CertCaId"] == CA_CERT_ID
    again = playbook.run(tasks)
    assert again.rc == 0 and again.writes == []


def test_failed_task_fails_naming_the_load_balancer(playbook, sandbox):
    sandbox.patch_state(["clb", "fail_tasks"], [LB_SNI])
    run = playbook.run(by_content(load_balancer_id=LB_WEB))
    assert run.rc != 0
    msg = run.result("replace")["msg"]
    assert msg.startswith("tencentcloud clb load balancer %s: ReplaceCertForLoadBalancers of %s" % (LB_WEB, OLD_CERT_ID))
    assert "failed (task" in msg and LB_SNI in msg and "being modified by another operation" in msg
    assert {c["CertId"] for c in listener_certificates(sandbox)[LB_WEB]} == {OLD_CERT_ID}  # nothing changed
    assert run.result("replace")["changed"] is True  # a write was sent: a caller may roll back
    record("fault", "CLB task fails (ReplaceCertForLoadBalancers)", fault="clb.fail_tasks: the task ends with Status 1",
           expected="the endpoint fails with the task's message and load balancers; nothing changed",
           outcome="failed, naming %s; certificates unchanged" % LB_SNI, calls=len(run.writes) + len(sandbox.log()),
           injected=1, writes=len(run.writes))


def test_task_that_does_not_end_times_out(playbook, sandbox):
    sandbox.patch_state(["clb", "task_running_polls"], 1000)
    sandbox.patch_state(["clb", "task_seconds"], 1000.0)
    run = playbook.run(by_content(load_balancer_id=LB_WEB, wait_timeout=1))
    assert run.rc != 0
    assert "still running after 1 seconds" in run.result("replace")["msg"]


def test_old_certificate_id_keeps_working_and_fails_stale_when_asked(playbook, sandbox, certs):
    check = playbook.run(by_content(old_cert_id=OLD_CERT_ID), check=True, diff=True)
    assert check.rc == 0, check.stdout
    assert check.result("replace")["changed"] is True and check.writes == []
    assert {lb["load_balancer_id"] for lb in check.result("replace")["load_balancers"]} == {LB_WEB, LB_SNI}
    apply = playbook.run(upload_then_replace(old_certificate_id=OLD_CERT_ID))
    assert apply.rc == 0, apply.stdout
    assert apply.write_actions() == ["UploadCertificate", "ReplaceCertForLoadBalancers"]
    assert awaited(apply, sandbox) == 1
    again = playbook.run(upload_then_replace(old_certificate_id=OLD_CERT_ID))
    assert again.rc == 0 and again.writes == [] and again.result("replace")["changed"] is False
    # Next quarter, the same endpoint: neither its old nor the new certificate is in use any more.
    stale = by_content(pem="{{ new_pem }}", key="{{ new_key }}", old_certificate_id=OLD_CERT_ID)
    warned = playbook.run(stale)
    assert warned.rc == 0 and warned.result("replace")["changed"] is False
    assert "goes stale" in warned.stdout + warned.stderr
    stale[0][MODULE]["require_in_use"] = True
    failed = playbook.run(stale)
    assert failed.rc != 0 and "name the endpoint by load_balancer_id" in failed.result("replace")["msg"]
    assert [w for w in failed.writes if w["action"] != "UploadCertificate"] == []


def test_mutual_tls_is_kept(playbook, sandbox):
    run = playbook.run(upload_then_replace(old_certificate_id=API_CERT_ID, pem="{{ api_new_pem }}", key="{{ api_new_key }}"))
    assert run.rc == 0, run.stdout
    new_id = run.result("upload")["certificate_id"]
    assert run.writes[1]["params"]["Certificate"] == {"SSLMode": "MUTUAL", "CertId": new_id, "CertCaId": CA_CERT_ID}
    assert listener_certificates(sandbox)[LB_MTLS][0] == {"SSLMode": "MUTUAL", "CertId": new_id, "CertCaId": CA_CERT_ID}


def test_mixed_tls_settings_need_ssl_mode(playbook, sandbox):
    sandbox.patch_state(["clb", "load_balancers", 1, "Listeners", 0, "Rules", 0, "Certificate"],
                        {"SSLMode": "MUTUAL", "CertId": OLD_CERT_ID, "CertCaId": CA_CERT_ID})
    run = playbook.run(upload_then_replace(load_balancer_id=LB_WEB))
    assert run.rc != 0
    assert "different mutual TLS settings" in run.result("replace")["msg"]
    assert run.write_actions() == ["UploadCertificate"]
    chosen = playbook.run(upload_then_replace(load_balancer_id=LB_WEB, ssl_mode="UNIDIRECTIONAL"))
    assert chosen.rc == 0, chosen.stdout
    assert chosen.write_actions() == ["ReplaceCertForLoadBalancers"]


def test_names_the_certificate_does_not_cover_fail_before_write(playbook, sandbox):
    # www.example.com/example.com: the SNI rule lb.example.com, which the replacement also reaches, is not covered.
    run = playbook.run(by_content(pem="{{ new_pem }}", key="{{ new_key }}", load_balancer_id=LB_WEB))
    assert run.rc != 0
    msg = run.result("replace")["msg"]
    assert "does not cover" in msg and "%s listener lbl-sni00443 domain lb.example.com" % LB_SNI in msg
    assert run.writes == []
    own = playbook.run(by_content(pem="{{ new_pem }}", key="{{ new_key }}", load_balancer_id=LB_SNI, domain="lb.example.com",
                                  scope="endpoint"))
    assert own.rc != 0 and "does not cover the SNI domain lb.example.com of the endpoint" in own.result("replace")["msg"]
    assert own.writes == []


def test_unknown_ids_fail_before_write(playbook):
    cases = [
        ({"old_certificate_id": OLD_CERT_ID, "new_cert_id": "NOSUCHID"}, "NOSUCHID is not in the Tencent Cloud SSL certificate store"),
        ({"old_certificate_id": "NOSUCHOLD", "certificate_id": TEO_CERT_ID}, "old_certificate_id NOSUCHOLD is not in the Tencent Cloud SSL"),
        ({"load_balancer_id": "lb-nosuch01", "certificate_id": TEO_CERT_ID}, "load balancer lb-nosuch01 was not found in region"),
        ({"load_balancer_id": LB_WEB, "listener_id": "lbl-nosuch", "certificate_id": TEO_CERT_ID}, "has no HTTPS listener lbl-nosuch"),
        ({"load_balancer_id": LB_SNI, "domain": "nosuch.example.com", "certificate_id": TEO_CERT_ID}, "no SNI rule for domain nosuch.example.com"),
        ({"load_balancer_id": LB_WEB, "old_certificate_id": OLD_CERT_ID, "certificate_id": TEO_CERT_ID}, "not both"),
        ({"domain": "www.example.com", "certificate_id": TEO_CERT_ID, "old_certificate_id": OLD_CERT_ID}, "set load_balancer_id"),
    ]
    for args, message in cases:
        run = playbook.run([{"name": "replace", MODULE: args}])
        assert run.rc != 0, args
        assert message in run.result("replace")["msg"], (args, run.result("replace")["msg"])
        assert run.result("replace")["msg"].startswith("tencentcloud clb")
        assert run.writes == []


def test_bad_input_fails_before_any_call(playbook, sandbox):
    since = sandbox.last_seq()
    run = playbook.run(by_content(pem="{{ expired_pem }}", key="{{ expired_key }}", load_balancer_id=LB_WEB))
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
