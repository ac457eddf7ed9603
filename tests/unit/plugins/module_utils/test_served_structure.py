# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The structure of the served chain when no chain is expected (an audit): the leaf's issuer sent, in order, nothing
unrelated - checked by signature (issue 36)."""

from __future__ import annotations

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from sandbox_cloud import pki

from ansible_collections.certops.cloud.plugins.module_utils._served import chain_problem, structure_problems
from ansible_collections.certops.cloud.plugins.modules.served_certificate import ServedCertificate

LEAF = "CN=www.example.com,O=certops sandbox"
INTERMEDIATE = "CN=unit intermediate,O=certops sandbox"
ROOT = "CN=unit root,O=certops sandbox"


def named(subject, issued):
    """How the messages name a certificate sent: its subject and the start of its SHA-256 fingerprint."""
    return "%s (sha256 %s)" % (subject, issued.fingerprint_sha256[:16])


def self_signed_leaf(name):
    key = pki.new_key()
    subject = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .sign(key, hashes.SHA256()))
    return pki.Issued(cert, key)


@pytest.fixture(scope="module")
def pkis(certs):
    """The unit PKI of conftest (root, intermediate, leaf) and certificates that do not belong to it."""
    unrelated = pki.make_ca("unrelated ca")
    return dict(leaf=certs["leaf"], inter=certs["intermediate"], root=certs["root"], unrelated=unrelated,
                stale=pki.make_ca("unit intermediate", parent=pki.make_ca("unit root")),  # the same names, other keys
                self_signed=self_signed_leaf("self.example.com"),
                direct=pki.make_leaf("direct.example.com", ["direct.example.com"], certs["root"]))  # issued by the root


def sent(pkis, *names):
    return [pkis[name].cert for name in names]


def test_the_leaf_and_its_intermediate_pass(pkis):
    assert structure_problems(sent(pkis, "leaf", "inter")) == []  # the root is left out: clients have it
    assert chain_problem(sent(pkis, "leaf", "inter")) is None


def test_the_root_may_be_sent_too(pkis):
    assert structure_problems(sent(pkis, "leaf", "inter", "root")) == []
    assert chain_problem(sent(pkis, "leaf", "inter", "root")) is None


def test_the_leaf_alone_is_incomplete(pkis):
    expected = "incomplete chain (the endpoint sends the leaf alone): missing the issuer of %s, %s" % (named(LEAF, pkis["leaf"]), INTERMEDIATE)
    assert structure_problems(sent(pkis, "leaf")) == [expected]
    assert chain_problem(sent(pkis, "leaf")) == expected


def test_an_unrelated_ca_after_the_chain_is_named(pkis):
    expected = "unrelated certificate in the served chain: %s issued none of the certificates sent" % (
        named("CN=unrelated ca,O=certops sandbox", pkis["unrelated"]))
    assert structure_problems(sent(pkis, "leaf", "inter", "unrelated")) == [expected]
    assert structure_problems(sent(pkis, "leaf", "inter", "root", "unrelated")) == [expected]


def test_the_chain_out_of_order(pkis):
    expected = "chain out of order: %s is followed by %s, not by its issuer %s" % (
        named(LEAF, pkis["leaf"]), named(ROOT, pkis["root"]), named(INTERMEDIATE, pkis["inter"]))
    assert structure_problems(sent(pkis, "leaf", "root", "inter")) == [expected]  # the root issued the intermediate: not unrelated
    assert chain_problem(sent(pkis, "leaf", "root", "inter")) == expected


def test_an_unrelated_certificate_in_place_of_the_intermediate_is_both_problems(pkis):
    problems = structure_problems(sent(pkis, "leaf", "unrelated"))
    assert problems == [
        "incomplete chain: missing the issuer of %s, %s" % (named(LEAF, pkis["leaf"]), INTERMEDIATE),  # not "leaf alone": two were sent
        "unrelated certificate in the served chain: %s issued none of the certificates sent" % (
            named("CN=unrelated ca,O=certops sandbox", pkis["unrelated"])),
    ]
    assert chain_problem(sent(pkis, "leaf", "unrelated")) == "; ".join(problems)


def test_an_unrelated_certificate_between_the_leaf_and_its_issuer(pkis):
    assert structure_problems(sent(pkis, "leaf", "unrelated", "inter")) == [
        "chain out of order: %s is followed by %s, not by its issuer %s" % (
            named(LEAF, pkis["leaf"]), named("CN=unrelated ca,O=certops sandbox", pkis["unrelated"]), named(INTERMEDIATE, pkis["inter"])),
        "unrelated certificate in the served chain: %s issued none of the certificates sent" % (
            named("CN=unrelated ca,O=certops sandbox", pkis["unrelated"])),
    ]


def test_issuance_is_checked_by_signature_not_by_name(pkis):
    """A stale intermediate has the name of the leaf's issuer but another key: the leaf's issuer is still missing."""
    assert structure_problems(sent(pkis, "leaf", "stale")) == [
        "incomplete chain: missing the issuer of %s, %s" % (named(LEAF, pkis["leaf"]), INTERMEDIATE),
        "unrelated certificate in the served chain: %s issued none of the certificates sent" % named(INTERMEDIATE, pkis["stale"]),
    ]


def test_a_self_signed_leaf_alone_passes(pkis):
    assert structure_problems(sent(pkis, "self_signed")) == []
    assert chain_problem(sent(pkis, "self_signed")) is None
    assert structure_problems(sent(pkis, "self_signed", "inter")) == [
        "unrelated certificate in the served chain: %s issued none of the certificates sent" % named(INTERMEDIATE, pkis["inter"])]


def test_a_leaf_issued_by_a_trust_anchor_may_be_sent_alone(pkis):
    direct = "CN=direct.example.com,O=certops sandbox"
    assert structure_problems(sent(pkis, "direct"), anchors=[pkis["unrelated"].cert, pkis["root"].cert]) == []
    assert chain_problem(sent(pkis, "direct"), anchors=[pkis["root"].cert]) is None
    alone = "incomplete chain (the endpoint sends the leaf alone): missing the issuer of %s, %s" % (named(direct, pkis["direct"]), ROOT)
    assert structure_problems(sent(pkis, "direct")) == [alone]
    assert structure_problems(sent(pkis, "direct"), anchors=[pkis["unrelated"].cert, pkis["stale"].issuer.cert]) == [alone]  # by signature
    assert structure_problems(sent(pkis, "direct", "root")) == []  # or with its root
    assert structure_problems(sent(pkis, "leaf"), anchors=[pkis["root"].cert]) != []  # the root did not issue the leaf itself


def test_the_expected_chain_ignores_the_anchors(pkis):
    expected = [pkis["inter"].fingerprint_sha256]
    assert chain_problem(sent(pkis, "leaf", "inter", "stale"), expected, anchors=[pkis["root"].cert]) == (
        "extra certificate in the served chain: %s" % named(INTERMEDIATE, pkis["stale"]))
    assert chain_problem(sent(pkis, "leaf", "inter"), expected, anchors=[pkis["root"].cert]) is None


def test_nothing_sent_has_no_structure_problem():
    assert structure_problems([]) == []


def served_module(**params):
    return ServedCertificate(None, dict(dict(check_chain=True, ca_path=None), **params))


def test_the_module_checks_the_structure_without_an_expected_chain(pkis):
    module = served_module()
    seen, problem = module.inspect(dict(host="www.example.com", server_name=None, expected_chain=None), sent(pkis, "leaf"), True)
    assert problem.startswith("incomplete chain (the endpoint sends the leaf alone): missing the issuer of " + LEAF)
    assert (seen["chain_matches"], seen["chain"], seen["chain_valid"]) == (False, [], None)
    seen, problem = module.inspect(dict(host="www.example.com", server_name=None, expected_chain=None), sent(pkis, "leaf", "inter", "unrelated"), True)
    assert problem.startswith("unrelated certificate in the served chain: CN=unrelated ca") and seen["chain_matches"] is False
    seen, problem = module.inspect(dict(host="www.example.com", server_name=None, expected_chain=None), sent(pkis, "leaf", "inter"), True)
    assert problem is None and seen["chain_matches"] is True


def test_the_module_passes_the_trust_anchors_of_ca_path(pkis):
    module = served_module(ca_path="/x/root.pem")
    module.anchors = [pkis["root"].cert]
    seen, problem = module.inspect(dict(host="direct.example.com", server_name=None, expected_chain=None), sent(pkis, "direct"), True)
    assert problem is None and (seen["chain_matches"], seen["chain_valid"]) == (True, True)
