# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rotate role verifies the chain each endpoint serves, not only the leaf (the sandbox TLS frontend's chain faults)."""

from __future__ import annotations

from sandbox_cloud import pki
from test_role_rotate import ENDPOINTS, rotate


def test_a_leaf_alone_and_a_stale_intermediate_are_rolled_back(playbook, tmp_path, sandbox, certs):
    sandbox.patch_state(["tls", "leaf_only"], ["api.example.com"])
    sandbox.patch_state(["tls", "stale_intermediate"], ["h03.example.com"])
    run, rows = rotate(playbook, tmp_path)
    assert run.rc != 0
    intermediate = certs.intermediate.fingerprint_sha256

    leaf_alone = rows["gaap-api"]
    assert leaf_alone["result"] == "rolled back", run.stdout
    assert leaf_alone["message"].startswith("incomplete chain (the endpoint sends the leaf alone): missing CN=certops test intermediate")
    assert intermediate[:16] in leaf_alone["message"]
    assert (leaf_alone["served_fingerprint"], leaf_alone["served_chain"], leaf_alone["chain_matched"]) == (
        certs.rotation.fingerprint_sha256, [], False)  # the right leaf, served alone

    stale = rows["teo-h03"]
    assert stale["result"] == "rolled back"
    assert stale["message"].startswith("served chain differs from the certificate's chain: sends CN=certops test intermediate")
    assert "in place of CN=certops test intermediate" in stale["message"]
    assert stale["chain_matched"] is False and stale["served_chain"] != [intermediate]

    for name in set(ENDPOINTS) - {"gaap-api", "teo-h03"}:
        assert rows[name]["result"] == "changed" and rows[name]["verified"] is True, (name, rows[name])
        assert (rows[name]["served_chain"], rows[name]["chain_matched"]) == ([intermediate], True)
        assert rows[name]["served_not_after"] == rows[name]["after_not_after"]
    writes = run.write_actions()
    assert writes.count("ModifyCertificate") == 2 and writes.count("ModifyHostsCertificate") == 2  # bind and undo
    assert "incomplete chain" in run.stdout and "wrong" in run.stdout  # the report table's chain column


def test_the_chain_validates_to_the_given_root_only(playbook, tmp_path, sandbox, certs):
    root = tmp_path / "root.pem"
    root.write_text(certs.root.cert_pem)
    sandbox.patch_state(["tls", "leaf_only"], ["h03.example.com"])
    run, rows = rotate(playbook, tmp_path, rotate_verify_ca_path=str(root), rotate_verify_chain=False)
    assert run.rc != 0
    assert rows["teo-h03"]["result"] == "rolled back"  # the leaf alone does not lead to the root
    assert rows["teo-h03"]["message"].startswith(
        "the served chain does not validate to the trust anchors of %s for h03.example.com: " % root), rows["teo-h03"]
    assert {rows[name]["result"] for name in set(rows) - {"teo-h03"}} == {"changed"}
    assert all(rows[name]["verified"] for name in set(rows) - {"teo-h03"})
    assert {rows[name]["chain_matched"] for name in rows} == {None}  # rotate_verify_chain: false - not compared

    other = tmp_path / "other-root.pem"
    other.write_text(pki.make_ca("certops test root").cert_pem)  # the same name, another key
    since = sandbox.last_seq()
    run, rows = rotate(playbook, tmp_path, rotate_verify_ca_path=str(other))
    assert run.rc != 0
    assert "the certificate does not validate to the trust anchors of %s for " % other in run.stdout
    assert "nothing was changed" in run.stdout
    assert sandbox.log(since=since) == [] and rows == {}  # found before any call

    run, rows = rotate(playbook, tmp_path, rotate_verify_ca_path=str(tmp_path / "missing.pem"))
    assert run.rc != 0
    assert "ca_path %s does not exist" % (tmp_path / "missing.pem") in run.stdout
