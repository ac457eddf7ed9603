# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The least-privilege policies of docs/policies/, proven by the sandbox cloud, which limits the keys to them: the rotate
policies are enough for every flow and the audit ones for every read; each rotate action is needed (a run without it
fails naming it); a denied call fails its endpoint only, and says what to grant to whom."""

from __future__ import annotations

import json

import pytest
import yaml

from harness import (
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, ESA_CERT_ID, FULL_SITE_ID, GAAP_OLD_CERT, GATEWAY, LB_SNI, LB_WEB, LISTENER, OLD_CERT_ID, REGION, ROOT,
    SECRET_ID, SECRET_KEY, SITE_ID, SSL_ENTRY, TEO_CERT_ID, TEO_STALE_HOSTS, ZONE,
)

C = "certops.cloud."
KEYS = {"tencentcloud": SECRET_ID, "alicloud": ACCESS_KEY_ID}


def actions(cloud, job):
    document = json.loads((ROOT / "docs" / "policies" / ("%s-%s.json" % (cloud, job))).read_text())
    statement = (document.get("statement") or document.get("Statement"))[0]
    return statement.get("action") or statement.get("Action")


ROTATE = sorted(actions("tencentcloud", "rotate") + actions("alicloud", "rotate"))


def limit(sandbox, job, without=()):
    """Limit the world's two keys to a job's policies (less ``without``)."""
    for cloud, key in KEYS.items():
        sandbox.set_policy(key, [action for action in actions(cloud, job) if action not in without])


def denied(sandbox, since):
    return sorted({call["denied"] for call in sandbox.log(since=since) if call.get("denied")})


def task(title, module, **args):
    return {"name": title, C + module: args}


# The endpoints of the role's runs: one per provider, checked over TLS.
ENDPOINTS = {
    "tse-www": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION},
    "gaap-api": {"provider": "gaap", "listener_id": LISTENER, "domain": "api.example.com", "wait_interval": 0.05},
    "teo-h03": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"]},
    "clb-sni": {"provider": "clb", "load_balancer_id": LB_SNI, "region": REGION, "wait_interval": 0.2},
    "esa-site": {"provider": "esa", "site_id": SITE_ID, "id": ESA_CERT_ID, "server_name": "esa.example.com"},
}
DISCOVERY = {"plugin": "certops.cloud.endpoints", "tencentcloud": {"regions": [REGION, "ap-shanghai"]}, "names": ["*.example.com", "example.com"]}


def rotate(playbook, tmp_path, pem="rotation", check=False, endpoints=None, **extra):
    tls = playbook.sandbox.tls_port()
    report = tmp_path / ("report-%d.json" % (playbook.count + 1))
    hosts = {label: {"certops_endpoint": dict(endpoint, verify_host="127.0.0.1", verify_port=tls)}
             for label, endpoint in (endpoints or ENDPOINTS).items()}
    play_vars = {"rotate_certificate": "{{ %s_pem }}" % pem, "rotate_private_key": "{{ %s_key }}" % pem, "rotate_report_file": str(report),
                 "rotate_verify_timeout": 3, "rotate_verify_delay": 0.2}
    play_vars.update(extra)
    run = playbook.run([], check=check, inventory={"all": {"hosts": hosts}}, play_vars=play_vars, roles=[{"role": "certops.cloud.rotate"}])
    return run, ({row["endpoint"]: row for row in json.loads(report.read_text())} if report.exists() else {})


INFO_TASKS = [
    task("ssl info", "tencentcloud_ssl_certificate_info", certificate_ids=[OLD_CERT_ID]),
    task("tse info", "tencentcloud_tse_gateway_certificate_info", gateway_id=GATEWAY),
    task("gaap info", "tencentcloud_gaap_domain_certificate_info", listener_id=LISTENER),
    task("teo info", "tencentcloud_teo_hosts_certificate_info", zone_id=ZONE),
    task("clb info", "tencentcloud_clb_certificate_info", certificate_ids=[OLD_CERT_ID], regions=[REGION, "ap-shanghai"]),
    task("esa info", "alicloud_esa_certificate_info", site_id=SITE_ID),
    task("usage", "tencentcloud_certificate_usage_info", regions=[REGION, "ap-shanghai"]),
]


def discover(playbook, tmp_path):
    """A play over the inventory plugin's hosts (the inventory failing fails the run)."""
    source = tmp_path / ("found-%d.certops.yml" % (playbook.count + 1))
    source.write_text(yaml.safe_dump(DISCOVERY))
    env = dict(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_ENDPOINT=playbook.sandbox.url,
               ALIBABA_CLOUD_ACCESS_KEY_ID=ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=ACCESS_KEY_SECRET,
               ALIBABA_CLOUD_ESA_ENDPOINT=playbook.sandbox.url, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    return playbook.run([{"name": "found", "ansible.builtin.debug": {"msg": "{{ certops_endpoint.provider }}"}}], inventory_source=source,
                        env=env)


@pytest.mark.slow
def test_the_rotate_policies_are_enough(playbook, sandbox, tmp_path, certs):
    limit(sandbox, "rotate")
    since = sandbox.last_seq()
    for pem in ("rotation", "next_quarter"):  # two quarters, each cleaning up the last one's certificates
        run, rows = rotate(playbook, tmp_path, pem, rotate_cleanup=True)
        assert run.rc == 0, run.stdout[-4000:]
        assert {row["result"] for row in rows.values()} == {"changed"} and all(row["verified"] for row in rows.values()), rows
    assert any(w["action"] == "DeleteCertificate" for w in sandbox.writes(since=since))  # the cleanup deleted something
    sandbox.patch_state(["tls", "stuck"], ["h03.example.com"])
    run, rows = rotate(playbook, tmp_path, "rotation")
    assert run.rc != 0 and rows["teo-h03"]["result"] == "rolled back", rows
    assert discover(playbook, tmp_path).rc == 0
    info = playbook.run(INFO_TASKS)
    assert info.rc == 0, info.stdout[-4000:]
    assert denied(sandbox, since) == []


@pytest.mark.slow
def test_the_audit_policies_read_everything_and_write_nothing(playbook, sandbox, tmp_path):
    limit(sandbox, "audit")
    since = sandbox.last_seq()
    check, rows = rotate(playbook, tmp_path, check=True)
    assert check.rc == 0, check.stdout[-4000:]
    assert {row["result"] for row in rows.values()} == {"changed"} and all(row["check_mode"] for row in rows.values())
    assert discover(playbook, tmp_path).rc == 0
    assert playbook.run(INFO_TASKS).rc == 0
    assert denied(sandbox, since) == [] and sandbox.writes(since=since) == []
    run, rows = rotate(playbook, tmp_path)  # the audit keys cannot rotate: the uploads are refused, nothing is bound
    assert run.rc != 0 and denied(sandbox, since) and sandbox.writes(since=since) == []


# Each rotate action and a run that needs it: the role's own steps as module tasks (the bind modules the role runs,
# the store modules, the rollback of one CLB endpoint, a cleanup deletion), the inventory plugin.
NEW = {"certificate": "{{ rotation_pem }}", "private_key": "{{ rotation_key }}"}
FLOWS = {
    "ssl store": [task("found", "tencentcloud_ssl_certificate", certificate="{{ old_pem }}", private_key="{{ old_key }}"),
                  task("upload", "tencentcloud_ssl_certificate", **NEW)],
    "ssl cleanup": [{"register": "stored", **task("upload", "tencentcloud_ssl_certificate", **NEW)},
                    task("delete", "tencentcloud_ssl_certificate", state="absent", check_resource=True, wait_timeout=20,
                         certificate_id="{{ stored.certificate_id }}")],
    "gaap store": [task("found", "tencentcloud_gaap_certificate", certificate="{{ old_pem }}", private_key="{{ old_key }}"),
                   task("upload", "tencentcloud_gaap_certificate", **NEW)],
    "gaap cleanup": [{"register": "stored", **task("upload", "tencentcloud_gaap_certificate", **NEW)},
                     task("delete", "tencentcloud_gaap_certificate", state="absent", certificate_id="{{ stored.certificate_id }}")],
    "tse": [task("bind", "tencentcloud_tse_gateway_certificate", gateway_id=GATEWAY, id=SSL_ENTRY, cert_source="ssl", cert_id=TEO_CERT_ID)],
    "gaap": [task("bind", "tencentcloud_gaap_domain_certificate", listener_id=LISTENER, domain="api.example.com",
                  certificate_id=GAAP_OLD_CERT, wait_interval=0.05)],
    "teo": [task("bind", "tencentcloud_teo_hosts_certificate", zone_id=ZONE, hosts=TEO_STALE_HOSTS, cert_ids=[TEO_CERT_ID])],
    "clb": [task("bind", "tencentcloud_clb_certificate", load_balancer_id=LB_WEB, certificate_id=TEO_CERT_ID, wait_interval=0.1)],
    "clb rollback": [task("listener", "tencentcloud_clb_certificate", load_balancer_id=LB_WEB, certificate_id=TEO_CERT_ID, scope="endpoint",
                          wait_interval=0.1),
                     task("rule", "tencentcloud_clb_certificate", load_balancer_id=LB_SNI, domain="lb.example.com", certificate_id=TEO_CERT_ID,
                          scope="endpoint", wait_interval=0.1)],
    "esa": [task("bind", "alicloud_esa_certificate", site_id=SITE_ID, id=ESA_CERT_ID, **NEW)],
    "esa prune": [task("bind", "alicloud_esa_certificate", site_id=FULL_SITE_ID, name="www", prune_expired=True, **NEW)],
}
NEEDED_BY = {
    "ssl:DescribeCertificates": "ssl store", "ssl:DescribeCertificateDetail": "ssl store", "ssl:UploadCertificate": "ssl store",
    "ssl:DeleteCertificate": "ssl cleanup", "ssl:DescribeDeleteCertificatesTaskResult": "ssl cleanup",
    "gaap:DescribeCertificates": "gaap store", "gaap:DescribeCertificateDetail": "gaap store", "gaap:CreateCertificate": "gaap store",
    "gaap:DeleteCertificate": "gaap cleanup",
    "tse:DescribeCloudNativeAPIGatewayCertificates": "discovery", "tse:DescribeCloudNativeAPIGatewayCertificateDetails": "tse",
    "tse:ModifyCloudNativeAPIGatewayCertificate": "tse", "tse:DescribeCloudNativeAPIGateways": "discovery",
    "gaap:DescribeRules": "gaap", "gaap:DescribeHTTPSListeners": "gaap", "gaap:ModifyCertificate": "gaap", "gaap:DescribeProxies": "discovery",
    "teo:DescribeAccelerationDomains": "teo", "teo:ModifyHostsCertificate": "teo", "teo:DescribeZones": "discovery",
    "clb:DescribeListeners": "clb", "clb:DescribeLoadBalancerListByCertId": "clb", "clb:ReplaceCertForLoadBalancers": "clb",
    "clb:DescribeTaskStatus": "clb", "clb:ModifyListener": "clb rollback", "clb:ModifyDomainAttributes": "clb rollback",
    "clb:DescribeLoadBalancers": "discovery",
    "esa:ListCertificates": "esa", "esa:GetCertificate": "esa", "esa:SetCertificate": "esa", "esa:DeleteCertificate": "esa prune",
    "esa:ListSites": "discovery",
}


def test_every_rotate_action_has_a_run_that_needs_it_and_is_in_the_docs():
    assert sorted(NEEDED_BY) == ROTATE
    text = (ROOT / "docs" / "permissions.md").read_text()
    assert [action for action in ROTATE if "`%s`" % action not in text] == []


@pytest.mark.parametrize("action", ROTATE)
def test_each_rotate_action_is_needed(playbook, sandbox, tmp_path, action):
    limit(sandbox, "rotate", without=[action])
    since = sandbox.last_seq()
    flow = NEEDED_BY[action]
    run = discover(playbook, tmp_path) if flow == "discovery" else playbook.run(FLOWS[flow])
    key = KEYS["alicloud" if action.startswith("esa:") else "tencentcloud"]
    assert run.rc != 0 and denied(sandbox, since) == [action], run.stdout[-3000:]
    assert "may not call %s" % action in run.stdout + run.stderr and "key %s" % key in run.stdout + run.stderr, run.stdout[-3000:]


def test_a_denied_write_fails_that_endpoint_only(playbook, sandbox, tmp_path, certs):
    limit(sandbox, "rotate", without=["teo:ModifyHostsCertificate"])
    run, rows = rotate(playbook, tmp_path)
    assert run.rc != 0
    assert rows["teo-h03"]["result"] == "failed" and not rows["teo-h03"]["verified"]
    assert "may not call teo:ModifyHostsCertificate" in rows["teo-h03"]["message"] and SECRET_ID in rows["teo-h03"]["message"]
    assert {label: row["result"] for label, row in rows.items() if label != "teo-h03"} == dict.fromkeys(set(ENDPOINTS) - {"teo-h03"}, "changed")
    assert rows["teo-h03"]["after_fingerprint"] == rows["teo-h03"]["before_fingerprint"] != certs.rotation.fingerprint_sha256


def test_a_denied_upload_fails_the_endpoints_of_that_store_only(playbook, sandbox, tmp_path):
    limit(sandbox, "rotate", without=["ssl:UploadCertificate"])
    run, rows = rotate(playbook, tmp_path)
    assert run.rc != 0
    ssl = {"tse-www", "teo-h03", "clb-sni"}
    assert {label: row["result"] for label, row in rows.items()} == {label: "failed" if label in ssl else "changed" for label in ENDPOINTS}
    assert all("could not be put into the ssl store" in rows[label]["message"] and "may not call ssl:UploadCertificate" in rows[label]["message"]
               for label in ssl), rows
    assert "ssl store: failed: " in run.stdout


def test_a_denied_rollback_is_reported(playbook, sandbox, tmp_path):
    limit(sandbox, "rotate", without=["clb:ModifyDomainAttributes"])
    sandbox.patch_state(["tls", "stuck"], ["www.example.com"])
    endpoints = {"web": {"provider": "clb", "load_balancer_id": LB_SNI, "domain": "www.example.com", "region": REGION, "wait_interval": 0.2}}
    run, rows = rotate(playbook, tmp_path, endpoints=endpoints, rotate_verify_timeout=1)
    assert run.rc != 0 and rows["web"]["result"] == "failed"
    assert "is not served" in rows["web"]["message"]
    assert "the rollback failed too: " in rows["web"]["message"] and "may not call clb:ModifyDomainAttributes" in rows["web"]["message"]
