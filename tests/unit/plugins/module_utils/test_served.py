# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The served chain: compared with the certificate's own chain, validated to trust anchors."""

from __future__ import annotations

import pytest
from sandbox_cloud import pki

from ansible_collections.certops.cloud.plugins.module_utils._certificate import CertificateError
from ansible_collections.certops.cloud.plugins.module_utils._served import chain_problem, describe_chain, load_anchors, validation_problem


@pytest.fixture(scope="module")
def chain(certs):
    """leaf, intermediate, root (x509 objects), and a stale intermediate of the same name from another key."""
    stale_root = pki.make_ca("unit root")
    stale = pki.make_ca("unit intermediate", parent=stale_root)
    return dict(leaf=certs["leaf"].cert, inter=certs["intermediate"].cert, root=certs["root"].cert, stale=stale.cert,
                other_root=stale_root.cert, expected=[certs["intermediate"].fingerprint_sha256])


def test_the_certificates_own_chain_passes(chain):
    assert chain_problem([chain["leaf"], chain["inter"]], chain["expected"]) is None
    assert chain_problem([chain["leaf"], chain["inter"], chain["root"]], chain["expected"]) is None  # the root sent too


def test_a_root_left_out_passes(certs, chain):
    with_root = chain["expected"] + [certs["root"].fingerprint_sha256]
    assert chain_problem([chain["leaf"], chain["inter"]], with_root) is None


def test_the_leaf_alone_is_an_incomplete_chain(chain):
    problem = chain_problem([chain["leaf"]], chain["expected"])
    assert problem == "incomplete chain (the endpoint sends the leaf alone): missing CN=unit intermediate,O=certops sandbox (sha256 %s)" % (
        chain["expected"][0][:16])


def test_a_stale_intermediate_is_named(chain):
    problem = chain_problem([chain["leaf"], chain["stale"]], chain["expected"])
    assert problem.startswith("served chain differs from the certificate's chain: sends CN=unit intermediate")
    assert "in place of CN=unit intermediate,O=certops sandbox (sha256 %s)" % chain["expected"][0][:16] in problem


def test_an_extra_certificate_and_the_order(certs, chain):
    assert chain_problem([chain["leaf"], chain["inter"], chain["stale"]], chain["expected"]).startswith("extra certificate")
    two = [certs["intermediate"].fingerprint_sha256, certs["root"].fingerprint_sha256]
    problem = chain_problem([chain["leaf"], chain["root"], chain["inter"]], two)
    assert problem.startswith("chain out of order: sends CN=unit root")


def test_without_an_expected_chain_each_certificate_is_followed_by_its_issuer(certs, chain):
    assert chain_problem([chain["leaf"], chain["inter"], chain["root"]]) is None
    problem = chain_problem([chain["leaf"], chain["root"], chain["inter"]])
    assert problem == ("chain out of order: CN=www.example.com,O=certops sandbox (sha256 %s) is followed by CN=unit root,O=certops sandbox "
                       "(sha256 %s), not by its issuer CN=unit intermediate,O=certops sandbox (sha256 %s)" % (
                           certs["leaf"].fingerprint_sha256[:16], certs["root"].fingerprint_sha256[:16], chain["expected"][0][:16]))


def test_describe_chain_has_no_leaf(chain):
    described = describe_chain([chain["leaf"], chain["inter"]])
    assert [entry["fingerprint_sha256"] for entry in described] == chain["expected"]
    assert described[0]["not_after"].endswith("Z")


def test_validation_to_the_trust_anchors(chain):
    assert validation_problem([chain["leaf"], chain["inter"]], "www.example.com", [chain["root"]]) is None
    problem = validation_problem([chain["leaf"], chain["inter"]], "www.example.com", [chain["other_root"]], "/x/roots.pem")
    assert problem.startswith("the served chain does not validate to the trust anchors of /x/roots.pem for www.example.com: ")
    problem = validation_problem([chain["leaf"], chain["inter"]], "api.example.com", [chain["root"]])
    assert "subjectAltName" in problem


def test_anchors_from_a_file_or_a_directory(tmp_path, certs):
    (tmp_path / "root.pem").write_text(certs["root"].cert_pem)
    (tmp_path / "notes.txt").write_text("ignored")
    assert len(load_anchors(str(tmp_path / "root.pem"))) == 1
    assert len(load_anchors(str(tmp_path))) == 1
    with pytest.raises(CertificateError, match="does not exist"):
        load_anchors(str(tmp_path / "missing.pem"))
    (tmp_path / "empty.pem").write_text("nothing here")
    with pytest.raises(CertificateError, match="holds no PEM certificate|cannot read trust anchors"):
        load_anchors(str(tmp_path / "empty.pem"))
