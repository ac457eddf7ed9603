# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: secret hygiene at -vvvv and through ansible-runner, and the check-mode audit.

Every playbook run of the suite is scanned for key material and secrets by
the harness; here the runs are the noisiest ones: maximum verbosity, diffs,
failing tasks, temporary credentials with security tokens.
"""

from __future__ import annotations

import yaml

from harness import (
    API_CERT_ID, CA_CERT_ID, ESA_CERT_ID, FULL_SITE_ID, GAAP_OLD_CERT, GATEWAY, LISTENER, NATIVE_ENTRY, OLD_CERT_ID,
    SITE_ID, SSL_ENTRY, STS_ACCESS_KEY_ID, STS_ACCESS_KEY_SECRET, STS_SECURITY_TOKEN, TEO_CERT_ID, TEO_STALE_HOSTS, ZONE,
    assume_role, scan,
)
from reliability import record
from test_role_rotate import inventory, rotate

C = "certops.cloud."


def temporary_connections(playbook):
    """Tencent STS temporary keys and an Alibaba STS credential, both with a security token."""
    creds = assume_role(playbook.sandbox.url, "hygiene")
    playbook.extra_secrets += [creds.TmpSecretKey, creds.Token]
    tencent = playbook.connection(secret_id=creds.TmpSecretId, secret_key=creds.TmpSecretKey, security_token=creds.Token)
    alibaba = playbook.alicloud_connection(access_key_id=STS_ACCESS_KEY_ID, access_key_secret=STS_ACCESS_KEY_SECRET,
                                           security_token=STS_SECURITY_TOKEN)
    return tencent, alibaba


# One task per write module with a change pending, then the read-only ones.
WRITE_TASKS = [
    ("tencentcloud_ssl_certificate", {"certificate": "{{ new_pem }}", "private_key": "{{ new_key }}", "alias": "www-new"}),
    ("tencentcloud_ssl_certificate", {"state": "absent", "certificate_id": OLD_CERT_ID}),
    ("tencentcloud_gaap_certificate", {"certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}),
    ("tencentcloud_gaap_certificate", {"state": "absent", "certificate_id": GAAP_OLD_CERT}),
    ("tencentcloud_tse_gateway_certificate", {"gateway_id": GATEWAY, "id": NATIVE_ENTRY, "cert_source": "native",
                                              "certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}),
    ("tencentcloud_tse_gateway_certificate", {"gateway_id": GATEWAY, "id": SSL_ENTRY, "cert_source": "ssl", "cert_id": TEO_CERT_ID}),
    ("tencentcloud_gaap_domain_certificate", {"listener_id": LISTENER, "domain": "api.example.com", "certificate_id": GAAP_OLD_CERT}),
    ("tencentcloud_teo_hosts_certificate", {"zone_id": ZONE, "hosts": TEO_STALE_HOSTS, "server_cert_info": [{"cert_id": TEO_CERT_ID}]}),
    ("tencentcloud_clb_certificate", {"old_certificate_id": OLD_CERT_ID, "certificate_id": TEO_CERT_ID}),
    ("tencentcloud_clb_certificate", {"old_certificate_id": API_CERT_ID, "certificate": "{{ api_new_pem }}",
                                      "private_key": "{{ api_new_key }}", "name": "api-new"}),
    ("alicloud_esa_certificate", {"site_id": SITE_ID, "id": ESA_CERT_ID, "certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}),
    ("alicloud_esa_certificate", {"site_id": FULL_SITE_ID, "name": "www", "certificate": "{{ new_pem }}",
                                  "private_key": "{{ new_key }}", "prune_expired": True}),
]
READ_TASKS = [
    ("tencentcloud_ssl_certificate_info", {"certificate_ids": [OLD_CERT_ID]}),
    ("tencentcloud_tse_gateway_certificate_info", {"gateway_id": GATEWAY}),
    ("tencentcloud_gaap_domain_certificate_info", {"listener_id": LISTENER}),
    ("tencentcloud_teo_hosts_certificate_info", {"zone_id": ZONE}),
    ("tencentcloud_clb_certificate_info", {"certificate_ids": [OLD_CERT_ID, API_CERT_ID, CA_CERT_ID]}),
    ("alicloud_esa_certificate_info", {"site_id": SITE_ID}),
    ("certificate_check", {"certificate": "{{ new_pem }}", "private_key": "{{ new_key }}",
                           "endpoints": {"www": "www.example.com"}}),
]
# Failing tasks: error paths must not echo their input either.
FAILING_TASKS = [
    ("tencentcloud_ssl_certificate", {"certificate": "{{ new_pem }}", "private_key": "{{ other_key }}"}),
    ("tencentcloud_tse_gateway_certificate", {"gateway_id": GATEWAY, "id": NATIVE_ENTRY, "cert_source": "native",
                                              "certificate": "{{ expired_pem }}", "private_key": "{{ expired_key }}"}),
    ("alicloud_esa_certificate", {"site_id": SITE_ID, "id": ESA_CERT_ID, "certificate": "{{ new_key }}", "private_key": "{{ new_key }}"}),
]


def tasks(entries, prefix, **extra):
    return [dict({"name": "%s %d %s" % (prefix, n, module), C + module: args}, **extra)
            for n, (module, args) in enumerate(entries)]


def test_modules_at_vvvv_with_diff_and_tokens_leak_nothing(playbook):
    tencent, alibaba = temporary_connections(playbook)
    writes = [(module, args) for module, args in WRITE_TASKS if args.get("state") != "absent"]  # those are in use
    plays = tasks(writes, "write") + tasks(READ_TASKS, "read") + tasks(FAILING_TASKS, "fail", ignore_errors=True)
    run = playbook.run(plays, diff=True, verbosity=4, connection=tencent, alicloud_connection=alibaba)
    assert run.rc == 0, run.stdout[-3000:]
    assert sum(1 for r in run.records if r["status"] == "failed") == len(FAILING_TASKS)
    assert run.writes, "the write tasks really wrote"
    assert len(run.stdout) > 100000  # -vvvv really is verbose: module invocations, diffs, results


def test_role_at_vvvv_with_tokens_leaks_nothing(playbook, tmp_path):
    tencent, alibaba = temporary_connections(playbook)
    playbook.connection = lambda **overrides: dict(tencent, **overrides)
    playbook.alicloud_connection = lambda **overrides: dict(alibaba, **overrides)
    run, rows = rotate_verbose(playbook, tmp_path)
    assert run.rc == 0, run.stdout[-3000:]
    assert {row["result"] for row in rows.values()} == {"changed"}


def rotate_verbose(playbook, tmp_path):
    original = playbook.run

    def verbose(*args, **kwargs):
        kwargs.update(verbosity=4, diff=True)
        return original(*args, **kwargs)
    playbook.run = verbose
    try:
        return rotate(playbook, tmp_path)
    finally:
        playbook.run = original


def test_ansible_runner_at_vvvv_leaks_nothing(playbook, tmp_path, certs):
    """The executor AWX uses, at verbosity 4: every byte it keeps (events, stdout, job events, artifacts)."""
    import ansible_runner  # pylint: disable=import-outside-toplevel

    tencent, alibaba = temporary_connections(playbook)
    private = tmp_path / "runner"
    (private / "project").mkdir(parents=True)
    (private / "inventory").mkdir()
    (private / "inventory" / "hosts.yml").write_text(yaml.safe_dump(inventory(playbook.sandbox)))
    play = dict(name="rotate", hosts="all", gather_facts=False, connection="local",
                module_defaults={"group/certops.cloud.tencentcloud": tencent, "group/certops.cloud.alicloud": alibaba},
                roles=[{"role": "certops.cloud.rotate"}])
    (private / "project" / "rotate.yml").write_text(yaml.safe_dump([play]))
    env = playbook.env(tmp_path / "unused.jsonl")
    env.pop("ANSIBLE_CALLBACKS_ENABLED", None)
    runner = ansible_runner.run(
        private_data_dir=str(private), playbook="rotate.yml", quiet=True, envvars=env, verbosity=4,
        extravars={"rotate_certificate": certs.rotation.chain_pem, "rotate_private_key": certs.rotation.key_pem,
                   "rotate_verify_delay": 0.2, "ansible_python_interpreter": env["ANSIBLE_PYTHON_INTERPRETER"]})
    assert runner.rc == 0, runner.stdout.read()[-3000:]
    stats = next(e for e in runner.events if e["event"] == "playbook_on_stats")
    report = stats["event_data"]["artifact_data"]["certops_rotate_report"]
    assert {row["endpoint"] for row in report} == set(inventory(playbook.sandbox)["all"]["hosts"])
    assert {row["result"] for row in report} == {"changed"}
    # The extravars file is the caller's input, not output; AWX removes it the same way.
    (private / "env" / "extravars").unlink(missing_ok=True)
    outputs = {str(path.relative_to(private)): path.read_text(errors="replace")
               for path in private.rglob("*") if path.is_file() and path.parts[len(private.parts)] not in ("project", "inventory")}
    assert any("job_events" in name for name in outputs)
    scan(outputs, certs.secrets() + playbook.extra_secrets, "ansible-runner artifacts")


def test_check_mode_audit_of_every_module(playbook):
    """Every write module with a change pending, in check mode: changed, and not one write call."""
    since = playbook.sandbox.last_seq()
    run = playbook.run(tasks(WRITE_TASKS, "write") + tasks(READ_TASKS, "read"), check=True, diff=True)
    assert run.rc == 0, run.stdout[-3000:]
    assert run.writes == []
    calls = playbook.sandbox.log(since=since)
    assert calls, "check mode still reads"
    for n, (module, dummy) in enumerate(WRITE_TASKS):
        result = run.result("write %d %s" % (n, module))
        assert result["changed"] is True, (module, result)
        assert "diff" in result, module
        record("check", "%s #%d" % (module, n + 1), target=C + module, changed=True, writes=0)
    for n, (module, dummy) in enumerate(READ_TASKS):
        assert run.result("read %d %s" % (n, module))["changed"] is False
        record("check", module, target=C + module, changed=False, writes=0)
