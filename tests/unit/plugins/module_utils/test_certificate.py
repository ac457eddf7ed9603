# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certificate model: parsing, fingerprints, validation, summaries."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization

from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    CertificateBundle,
    CertificateError,
    hostname_matches,
    load_material,
    load_private_key,
    normalize_fingerprint,
)


def test_parses_leaf_then_chain(certs):
    bundle = CertificateBundle.from_pem(certs["leaf"].chain_pem)
    assert len(bundle.certificates) == 2
    assert bundle.fingerprint_sha256 == certs["leaf"].fingerprint_sha256
    der = bundle.leaf.public_bytes(serialization.Encoding.DER)
    assert bundle.fingerprint_sha256 == hashlib.sha256(der).hexdigest()
    assert bundle.chain_fingerprints_sha256 == [CertificateBundle.from_pem(certs["intermediate"].cert_pem).fingerprint_sha256]


def test_tolerates_crlf_bom_and_text_between_blocks(certs):
    leaf, chain = certs["leaf"].cert_pem, certs["intermediate"].cert_pem
    messy = "\ufeffsubject=CN=www\r\n" + leaf.replace("\n", "\r\n") + "\r\nissuer text\r\n" + chain
    assert CertificateBundle.from_pem(messy).identity() == CertificateBundle.from_pem(leaf + chain).identity()


def test_identity_is_der_not_pem_text(certs):
    pem = certs["leaf"].chain_pem
    assert CertificateBundle.from_pem(pem).same_as(CertificateBundle.from_pem(pem.replace("\n", "\n\n")))
    assert not CertificateBundle.from_pem(pem).same_as(CertificateBundle.from_pem(certs["leaf"].cert_pem))


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("hello", "is not PEM text"),
    ("-----BEGIN CERTIFICATE-----\nMIIBx\n", "no complete PEM certificate"),
    ("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n", "not a valid X.509 certificate"),
    (b"\x30\x82\x01\x0a\xff\xfe", "binary data"),
])
def test_bad_pem_is_named(text, message):
    with pytest.raises(CertificateError, match=message):
        CertificateBundle.from_pem(text)


def test_private_key_in_certificate_field_is_refused_without_echo(certs):
    with pytest.raises(CertificateError) as info:
        CertificateBundle.from_pem(certs["leaf"].cert_pem + certs["leaf"].key_pem)
    assert "private key" in str(info.value)
    assert certs["leaf"].key_pem.splitlines()[1] not in str(info.value)


def test_summary_has_public_fields_only(certs):
    summary = CertificateBundle.from_pem(certs["leaf"].chain_pem).summary()
    assert summary["subject_alt_names"] == ["www.example.com", "*.example.org"]
    assert summary["common_name"] == "www.example.com"
    assert summary["not_after"].endswith("Z")
    assert summary["chain"][0]["subject"].startswith("CN=unit intermediate")
    assert "PRIVATE" not in repr(summary)


def test_validation_passes_for_good_material(certs):
    bundle, key = load_material(certs["leaf"].chain_pem, certs["leaf"].key_pem)
    assert bundle.leaf_pem() == certs["leaf"].cert_pem
    assert key is not None


@pytest.mark.parametrize("name, key_of, message", [
    ("leaf", "other", "private key does not match the certificate"),
    ("expired", "expired", "certificate is expired"),
    ("future", "future", "certificate is not yet valid"),
])
def test_validation_names_the_problem(certs, name, key_of, message):
    with pytest.raises(CertificateError, match=message):
        load_material(certs[name].chain_pem, certs[key_of].key_pem)


def test_chain_out_of_order(certs):
    reversed_chain = certs["intermediate"].cert_pem + certs["leaf"].cert_pem
    with pytest.raises(CertificateError, match="chain out of order"):
        load_material(reversed_chain, certs["leaf"].key_pem)


def test_chain_with_foreign_certificate(certs):
    foreign = certs["other"].cert_pem
    with pytest.raises(CertificateError, match="chain out of order: certificate 1"):
        load_material(certs["leaf"].cert_pem + foreign, certs["leaf"].key_pem)


def test_min_days_remaining(certs):
    bundle = CertificateBundle.from_pem(certs["rsa"].chain_pem)
    bundle.check_validity(min_days_remaining=10)
    with pytest.raises(CertificateError, match="less than the 45 days required"):
        bundle.check_validity(min_days_remaining=45)


def test_validity_uses_given_time(certs):
    bundle = CertificateBundle.from_pem(certs["leaf"].chain_pem)
    with pytest.raises(CertificateError, match="is expired"):
        bundle.check_validity(now=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=400))


def test_encrypted_key_needs_passphrase(certs):
    key = serialization.load_pem_private_key(certs["rsa"].key_pem.encode(), None)
    encrypted = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.BestAvailableEncryption(b"s3cret")).decode()
    with pytest.raises(CertificateError, match="encrypted and no passphrase"):
        load_private_key(encrypted)
    with pytest.raises(CertificateError, match="could not be decrypted"):
        load_private_key(encrypted, "wrong")
    assert load_private_key(encrypted, "s3cret").key_size == key.key_size


def test_key_errors_never_echo_the_key(certs):
    truncated = certs["leaf"].key_pem[:-60] + "\n-----END PRIVATE KEY-----\n"
    with pytest.raises(CertificateError) as info:
        load_private_key(truncated)
    for line in certs["leaf"].key_pem.splitlines()[1:-1]:
        assert line not in str(info.value)


@pytest.mark.parametrize("pattern, host, expected", [
    ("www.example.com", "WWW.example.com", True),
    ("*.example.com", "a.example.com", True),
    ("*.example.com", "a.b.example.com", False),
    ("*.example.com", "example.com", False),
])
def test_hostname_matches(pattern, host, expected):
    assert hostname_matches(pattern, host) is expected


def test_covers_uses_sans(certs):
    bundle = CertificateBundle.from_pem(certs["leaf"].chain_pem)
    assert bundle.covers("x.example.org")
    assert not bundle.covers("example.org")


@pytest.mark.parametrize("value", ["AB:CD:EF", "abcdef", "sha256:AB CD EF"])
def test_normalize_fingerprint(value):
    assert normalize_fingerprint(value) == "abcdef"
