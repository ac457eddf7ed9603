# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rotate role with rotate_certificate_id: a certificate the Tencent Cloud SSL service issued and renewed.

The integration world holds the renewal chain IssuedA1 -> IssuedB1 (HostingRenewCertId) -> IssuedC1 (HasRenewOrder),
a certificate whose key the service does not hold, one not issued yet and a loop (sandbox_cloud.world)."""

from __future__ import annotations

import json

import pytest

from harness import ESA_CERT_ID, GATEWAY, LB_SNI, LISTENER, REGION, SITE_ID, SSL_ENTRY, ZONE

ENDPOINTS = {
    "prod-gateway": {"provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION},
    "global-accelerator": {"provider": "gaap", "listener_id": LISTENER, "domain": "api.example.com", "wait_interval": 0.05},
    "edge-zone": {"provider": "teo", "zone_id": ZONE, "hosts": ["h03.example.com"]},
    "web-lb-1": {"provider": "clb", "load_balancer_id": LB_SNI, "region": REGION, "wait_interval": 0.2},
    "site-esa": {"provider": "esa", "site_id": SITE_ID, "id": ESA_CERT_ID, "server_name": "esa.example.com"},
}
UPLOADS = ("UploadCertificate", "CreateCertificate")


def rotate(playbook, tmp_path, certificate_id, check=False, verbosity=0, **extra):
    tls = playbook.sandbox.tls_port()
    report = tmp_path / ("report-%d.json" % (playbook.count + 1))
    hosts = {label: {"certops_endpoint": dict(endpoint, verify_host="127.0.0.1", verify_port=tls)} for label, endpoint in ENDPOINTS.items()}
    play_vars = {"rotate_certificate_id": certificate_id, "rotate_report_file": str(report), "rotate_verify_timeout": 5,
                 "rotate_verify_delay": 0.2}
    play_vars.update(extra)
    run = playbook.run([], check=check, diff=True, verbosity=verbosity, inventory={"all": {"hosts": hosts}}, play_vars=play_vars,
                       roles=[{"role": "certops.cloud.rotate"}])
    rows = {row["endpoint"]: row for row in json.loads(report.read_text())} if report.exists() else {}
    return run, rows


@pytest.mark.slow
def test_the_renewal_chain_is_followed_to_every_provider_then_settles(playbook, tmp_path, sandbox, certs):
    since = sandbox.last_seq()
    check, rows = rotate(playbook, tmp_path, "IssuedA1", check=True)
    assert check.rc == 0 and check.writes == [], check.stdout
    assert {row["result"] for row in rows.values()} == {"changed"}

    first, rows = rotate(playbook, tmp_path, "IssuedA1", verbosity=3)
    assert first.rc == 0, first.stdout + first.stderr
    assert "IssuedA1 -> IssuedB1 (HostingRenewCertId) -> IssuedC1 (HasRenewOrder); rotating to IssuedC1" in first.stdout
    assert {row["result"] for row in rows.values()} == {"changed"} and all(row["verified"] for row in rows.values())
    assert all(row["after_fingerprint"] == certs.issued_c.fingerprint_sha256 for row in rows.values()), rows
    # TSE, EdgeOne and CLB take the SSL id itself: nothing uploaded to the SSL store; GAAP gets its copy once.
    assert [w["action"] for w in first.writes if w["action"] in UPLOADS] == ["CreateCertificate"]
    assert {rows[label]["after_id"] for label in ("prod-gateway", "edge-zone", "web-lb-1")} == {"IssuedC1"}
    ssl_ids = [c["CertificateId"] for c in sandbox.state()["ssl"]["certificates"]]
    assert ssl_ids.count("IssuedC1") == 1 and not [w for w in sandbox.log(since=since) if w["action"] == "UploadCertificate"]

    again, rows = rotate(playbook, tmp_path, "IssuedA1")
    assert again.rc == 0 and again.writes == [] and {row["result"] for row in rows.values()} == {"ok"}


@pytest.mark.slow
def test_next_quarters_renewal_is_followed_by_the_same_job(playbook, tmp_path, sandbox, certs):
    """The same job, the same id: after the SSL service renews C (a hosted renewal D), the next run moves every
    endpoint to D; rotate_cleanup keeps the certificates on the renewal path."""
    first, dummy = rotate(playbook, tmp_path, "IssuedA1")
    assert first.rc == 0, first.stdout
    stored = sandbox.state()["ssl"]["certificates"]
    index = next(i for i, c in enumerate(stored) if c["CertificateId"] == "IssuedC1")
    # The SSL service's hosted renewal of C: a record like C's (the state shows no key: the new one is set here).
    renewal = dict(stored[index], CertificateId="IssuedD1", Alias="renewed", CertificatePublicKey=certs.next_quarter.chain_pem,
                   CertificatePrivateKey=certs.next_quarter.key_pem, HostingRenewCertId="", HasRenewOrder="")
    sandbox.patch_state(["ssl", "certificates"], renewal, op="append")
    sandbox.patch_state(["ssl", "certificates", index, "HostingRenewCertId"], "IssuedD1")
    second, rows = rotate(playbook, tmp_path, "IssuedA1", rotate_cleanup=True)
    assert second.rc == 0, second.stdout + second.stderr
    assert "-> IssuedC1 (HasRenewOrder) -> IssuedD1 (HostingRenewCertId); rotating to IssuedD1" in second.stdout
    assert all(row["after_fingerprint"] == certs.next_quarter.fingerprint_sha256 for row in rows.values()), rows
    assert all(row["before_fingerprint"] == certs.issued_c.fingerprint_sha256 for row in rows.values()), rows
    ids = {c["CertificateId"] for c in sandbox.state()["ssl"]["certificates"]}
    assert {"IssuedA1", "IssuedB1", "IssuedC1", "IssuedD1"} <= ids  # the renewal path is never cleaned up


@pytest.mark.parametrize("certificate_id, message", [
    ("IssuedNoKey", "the SSL service holds no private key for certificate IssuedNoKey (its CSR was made elsewhere)"),
    ("IssuedPend", "certificate IssuedPend is not issued yet (status 0"),
    ("IssuedL1", "the renewal links of certificate IssuedL1 loop: IssuedL1 -> IssuedL2 -> IssuedL1"),
    ("NoSuchCert", "certificate NoSuchCert is not in the Tencent Cloud SSL service"),
])
def test_a_certificate_that_cannot_be_used_fails_before_any_write(playbook, tmp_path, sandbox, certificate_id, message):
    since = sandbox.last_seq()
    run, rows = rotate(playbook, tmp_path, certificate_id)
    assert run.rc != 0 and message in run.stdout, run.stdout
    assert "nothing was changed" in run.stdout and rows == {}
    assert [c for c in sandbox.log(since=since) if c["write"]] == []
    assert {c["action"] for c in sandbox.log(since=since)} <= {"DescribeCertificates", "DescribeCertificateDetail"}
