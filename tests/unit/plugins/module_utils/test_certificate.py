# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certificate model: parsing, fingerprints, validation, summaries."""

from __future__ import annotations

import base64
import datetime
import hashlib
import time

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    MAX_BUNDLE_BYTES,
    MAX_KEY_BYTES,
    CertificateBundle,
    CertificateError,
    load_material,
    load_private_key,
    normalize_fingerprint,
)
from ansible_collections.certops.cloud.plugins.module_utils._summary import hostname_matches


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
    ("-----BEGIN CERTIFICATE-----\nMIIBx\n", "no complete PEM certificate in block 1: it is truncated"),
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


# --- input checks: DER, size, truncation, chain ------------------------------------------------------------------


def der_of(issued):
    return issued.cert.public_bytes(serialization.Encoding.DER)


def key_der_of(issued):
    return issued.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


@pytest.mark.parametrize("encode", [
    lambda der: base64.encodebytes(der).decode("ascii"),  # wrapped at 76 columns
    lambda der: base64.b64encode(der).decode("ascii"),  # one line
])
def test_base64_der_without_armour_is_named(certs, encode):
    with pytest.raises(CertificateError) as info:
        load_material(encode(der_of(certs["leaf"])), certs["leaf"].key_pem)
    assert str(info.value) == ("certificate is DER (base64 without the PEM armour), not PEM text; "
                               "convert to PEM: openssl x509 -inform DER -in cert.der -out cert.pem")


@pytest.mark.parametrize("as_text", [True, False], ids=["text", "bytes"])
def test_raw_binary_der_is_named(certs, as_text):
    der = der_of(certs["leaf"])
    with pytest.raises(CertificateError) as info:
        load_material(der.decode("latin-1") if as_text else der, certs["leaf"].key_pem)
    assert str(info.value).startswith("certificate is binary data (DER?), not PEM text; convert to PEM: openssl x509 -inform DER")


@pytest.mark.parametrize("as_text", [True, False], ids=["base64", "binary"])
def test_der_private_key_is_named_without_echo(certs, as_text):
    der = key_der_of(certs["leaf"])
    text = base64.encodebytes(der).decode("ascii") if as_text else der.decode("latin-1")
    with pytest.raises(CertificateError) as info:
        load_private_key(text)
    message = str(info.value)
    assert message.startswith("private key is ")
    assert "DER" in message and "convert to PEM: openssl pkey -inform DER" in message
    assert base64.b64encode(der).decode()[10:40] not in message


def test_base64_that_is_not_der_is_just_not_pem():
    with pytest.raises(CertificateError, match=r"^is not PEM text \(no -----BEGIN CERTIFICATE----- block\)$"):
        CertificateBundle.from_pem(base64.b64encode(b"hello world, this is not a certificate at all!" * 3).decode())


def test_size_limits_are_checked_before_parsing(certs):
    huge = "x" * (MAX_BUNDLE_BYTES + 1)
    with pytest.raises(CertificateError) as info:
        load_material(huge, certs["leaf"].key_pem)
    assert str(info.value) == ("certificate is too large: 262145 bytes, more than the limit of 262144 bytes (256 KiB); "
                               "give the leaf and its chain only")
    with pytest.raises(CertificateError, match=r"^private key is too large: 65537 bytes, more than the limit of 65536 bytes \(64 KiB\)$"):
        load_private_key("k" * (MAX_KEY_BYTES + 1))
    # a real chain is far below the limit
    assert MAX_BUNDLE_BYTES > 50 * len(certs["leaf"].chain_pem)


def test_huge_input_is_refused_quickly(certs):
    text = certs["leaf"].chain_pem * 3000  # about 3 MB
    started = time.monotonic()
    with pytest.raises(CertificateError, match="is too large"):
        CertificateBundle.from_pem(text)
    assert time.monotonic() - started < 0.5


def test_truncated_second_block_is_not_dropped(certs):
    chain = certs["leaf"].chain_pem
    cut = chain[:len(certs["leaf"].cert_pem) + 100]
    with pytest.raises(CertificateError, match=r"^contains no complete PEM certificate in block 2: it is truncated "
                                               r"\(-----BEGIN CERTIFICATE----- without its -----END CERTIFICATE----- line\)$"):
        CertificateBundle.from_pem(cut)
    # a BEGIN without its END does not swallow the next block either
    no_end = certs["leaf"].cert_pem.rsplit("-----END", 1)[0] + certs["intermediate"].cert_pem
    with pytest.raises(CertificateError, match="^contains no complete PEM certificate in block 1: it is truncated"):
        CertificateBundle.from_pem(no_end)


def test_truncated_or_misplaced_private_key(certs):
    with pytest.raises(CertificateError, match="^private key is truncated: its PEM block has a BEGIN line but no END line$"):
        load_private_key(certs["leaf"].key_pem[:80])
    with pytest.raises(CertificateError, match="^private key holds a certificate, not a private key"):
        load_private_key(certs["leaf"].cert_pem)
    with pytest.raises(CertificateError, match="^certificate contains a private key block"):
        load_material(certs["leaf"].key_pem[:80], certs["leaf"].key_pem)


def test_empty_private_key_is_named(certs):
    with pytest.raises(CertificateError, match="^private key is empty$"):
        load_material(certs["leaf"].chain_pem, "")
    with pytest.raises(CertificateError, match="^private key is required with the certificate$"):
        load_material(certs["leaf"].chain_pem, None)


def test_chain_missing(certs):
    with pytest.raises(CertificateError) as info:
        load_material(certs["leaf"].cert_pem, certs["leaf"].key_pem)
    assert str(info.value) == (
        "certificate chain missing: the certificate is issued by CN=unit intermediate,O=certops sandbox but no issuer "
        "certificate follows it; give the full chain, leaf first, then the intermediate certificates (fullchain.pem)")
    # absent-by-content and API output do not need the chain
    bundle, dummy = load_material(certs["leaf"].cert_pem, None, require_key=False, require_chain=False)
    assert bundle.leaf_pem() == certs["leaf"].cert_pem


@pytest.mark.parametrize("name", ["intermediate", "root"])
def test_ca_certificate_alone_is_accepted(certs, name):
    bundle, key = load_material(certs[name].cert_pem, None, require_key=False)
    assert key is None and len(bundle.certificates) == 1


def test_self_signed_leaf_alone_is_accepted():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=10))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    bundle, loaded = load_material(cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem)
    assert bundle.names() == ["self.example.com"] and loaded is not None


def test_crlf_bom_and_lf_give_one_identity(certs):
    pem, key = certs["leaf"].chain_pem, certs["leaf"].key_pem
    lf, dummy = load_material(pem, key)
    crlf, dummy = load_material(pem.replace("\n", "\r\n"), key.replace("\n", "\r\n"))
    bom, dummy = load_material("\ufeff" + pem, "\ufeff" + key)
    assert lf.identity() == crlf.identity() == bom.identity()
