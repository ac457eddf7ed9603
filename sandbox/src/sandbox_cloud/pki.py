# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small test PKI: root and intermediate CAs and leaf certificates, generated with cryptography.

Example::

    root = make_ca('Sandbox Root CA')
    inter = make_ca('Sandbox Intermediate CA', parent=root)
    www = make_leaf('www.example.com', ['www.example.com', 'example.com'], inter)
    www.chain_pem            # leaf + intermediate, what a server presents
    old = make_expired_leaf('old.example.com', ['old.example.com'], inter)
    stale = make_stale_copy(inter.cert)   # same names as inter, another key, expired, signed by nobody

Nothing here is meant for production use: keys are unencrypted and written with mode 0600.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import typing as t

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_LEAF_DAYS = 90
DEFAULT_CA_DAYS = 3650


@dataclasses.dataclass
class Issued:
    """A certificate with its private key and the issuing chain (excluding the root)."""

    cert: x509.Certificate
    key: t.Any
    issuer: 'Issued | None' = None

    @property
    def cert_pem(self) -> str:
        """The certificate alone, PEM."""
        return self.cert.public_bytes(serialization.Encoding.PEM).decode('ascii')

    @property
    def key_pem(self) -> str:
        """The unencrypted private key, PKCS#8 PEM."""
        return self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode('ascii')

    @property
    def chain_pem(self) -> str:
        """The certificate followed by its intermediate CAs (the self-signed root is left out)."""
        parts, node = [], self
        while node is not None and not (node.issuer is None and parts):
            parts.append(node.cert_pem)
            node = node.issuer
        return ''.join(parts)

    @property
    def fingerprint_sha256(self) -> str:
        """Lower-case hex SHA-256 of the DER certificate."""
        return self.cert.fingerprint(hashes.SHA256()).hex()

    @property
    def fingerprint_sha1(self) -> str:
        """Lower-case hex SHA-1 of the DER certificate (what Tencent calls CertFingerprint)."""
        return self.cert.fingerprint(hashes.SHA1()).hex()  # nosec - identification only

    @property
    def common_name(self) -> str:
        """The subject common name."""
        return str(self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)

    @property
    def not_before(self) -> datetime.datetime:
        """Start of validity (UTC)."""
        return self.cert.not_valid_before_utc

    @property
    def not_after(self) -> datetime.datetime:
        """End of validity (UTC)."""
        return self.cert.not_valid_after_utc


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def new_key(key_type: str = 'ec'):
    """Generate a private key: ``ec`` (P-256) or ``rsa`` (2048 bits)."""
    if key_type == 'ec':
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == 'rsa':
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise ValueError('key_type must be ec or rsa')


def _build(subject_cn: str, key, issuer: Issued | None, not_before: datetime.datetime, not_after: datetime.datetime,
           extensions: list[tuple[x509.ExtensionType, bool]]) -> x509.Certificate:
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'certops sandbox'),
                         x509.NameAttribute(NameOID.COMMON_NAME, subject_cn)])
    signing_key = issuer.key if issuer else key
    builder = (x509.CertificateBuilder()
               .subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before)
               .not_valid_after(not_after)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer is not None:
        builder = builder.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def make_ca(cn: str, parent: Issued | None = None, key_type: str = 'ec', not_before: datetime.datetime | None = None,
            not_after: datetime.datetime | None = None, path_length: int | None = None) -> Issued:
    """Create a self-signed root CA, or an intermediate CA signed by ``parent``."""
    key = new_key(key_type)
    not_before = not_before or _now() - datetime.timedelta(days=1)
    not_after = not_after or not_before + datetime.timedelta(days=DEFAULT_CA_DAYS)
    extensions = [
        (x509.BasicConstraints(ca=True, path_length=path_length if path_length is not None else (None if parent is None else 0)), True),
        (x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
                       key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False), True),
    ]
    return Issued(_build(cn, key, parent, not_before, not_after, extensions), key, parent)


def make_leaf(cn: str, sans: t.Sequence[str] | None, issuer: Issued, not_before: datetime.datetime | None = None,
              not_after: datetime.datetime | None = None, key_type: str = 'ec') -> Issued:
    """Create a TLS server certificate for ``cn`` (+ ``sans``; the CN is always a SAN) issued by ``issuer``.

    Defaults: valid from one hour ago for ``DEFAULT_LEAF_DAYS`` days.
    """
    key = new_key(key_type)
    not_before = not_before or _now() - datetime.timedelta(hours=1)
    not_after = not_after or not_before + datetime.timedelta(days=DEFAULT_LEAF_DAYS)
    names = [cn] + [name for name in (sans or []) if name != cn]
    extensions = [
        (x509.SubjectAlternativeName([x509.DNSName(name) for name in names]), False),
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
    ]
    return Issued(_build(cn, key, issuer, not_before, not_after, extensions), key, issuer)


def make_expired_leaf(cn: str, sans: t.Sequence[str] | None, issuer: Issued, days_ago: int = 10, key_type: str = 'ec') -> Issued:
    """A leaf that expired ``days_ago`` days ago (valid for 90 days before that)."""
    not_after = _now() - datetime.timedelta(days=days_ago)
    return make_leaf(cn, sans, issuer, not_after - datetime.timedelta(days=DEFAULT_LEAF_DAYS), not_after, key_type)


def make_future_leaf(cn: str, sans: t.Sequence[str] | None, issuer: Issued, days_ahead: int = 10, key_type: str = 'ec') -> Issued:
    """A leaf that only becomes valid in ``days_ahead`` days."""
    not_before = _now() + datetime.timedelta(days=days_ahead)
    return make_leaf(cn, sans, issuer, not_before, not_before + datetime.timedelta(days=DEFAULT_LEAF_DAYS), key_type)


def make_stale_copy(cert: x509.Certificate, days_ago: int = 30, age_days: int = 3 * 365) -> x509.Certificate:
    """A stale stand-in for a CA certificate: what an edge that never picked up a re-issued intermediate serves.

    Same subject and issuer names as ``cert``, a fresh key (of the same type), valid from ``age_days`` days ago until
    ``days_ago`` days ago (expired), CA basic constraints (``cert``'s path length), SKI/AKI.  It is signed by a
    throwaway key (the sandbox has no CA keys), so nothing verifies against it or it against its issuer, and its
    fingerprint differs from ``cert``'s.
    """
    key = new_key('rsa' if isinstance(cert.public_key(), rsa.RSAPublicKey) else 'ec')
    signer = new_key('ec')
    now = _now()
    try:
        path_length = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length
    except x509.ExtensionNotFound:
        path_length = None
    builder = (x509.CertificateBuilder()
               .subject_name(cert.subject)
               .issuer_name(cert.issuer)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=age_days))
               .not_valid_after(now - datetime.timedelta(days=days_ago))
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()), critical=False)
               .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                            encipher_only=False, decipher_only=False), critical=True))
    return builder.sign(signer, hashes.SHA256())


def _write(path: str, text: str, private: bool = False) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, 'w', encoding='ascii') as handle:
        handle.write(text)


def write_issued(out_dir: str, name: str, issued: Issued) -> dict[str, t.Any]:
    """Write ``<name>.crt``, ``<name>.key`` and ``<name>.chain.crt``; return the manifest entry."""
    files = {'cert': name + '.crt', 'key': name + '.key', 'chain': name + '.chain.crt'}
    _write(os.path.join(out_dir, files['cert']), issued.cert_pem)
    _write(os.path.join(out_dir, files['key']), issued.key_pem, private=True)
    _write(os.path.join(out_dir, files['chain']), issued.chain_pem)
    return dict(files, common_name=issued.common_name, fingerprint_sha256=issued.fingerprint_sha256,
                not_before=issued.not_before.isoformat(), not_after=issued.not_after.isoformat())


def generate_demo_pki(out_dir: str, key_type: str = 'ec') -> dict[str, t.Any]:
    """Write a demo PKI to ``out_dir`` and return its manifest (also written as ``manifest.json``).

    Contents: ``root``, ``intermediate``, and the leaves ``www`` (www.example.com + example.com),
    ``api`` (api.example.com), ``wildcard`` (*.example.com), ``expired`` and ``future``
    (not yet valid) for old.example.com / new.example.com, and ``www-rsa`` (RSA key).
    """
    os.makedirs(out_dir, exist_ok=True)
    root = make_ca('certops Sandbox Root CA', key_type=key_type)
    inter = make_ca('certops Sandbox Intermediate CA', parent=root, key_type=key_type)
    leaves = {
        'www': make_leaf('www.example.com', ['www.example.com', 'example.com'], inter, key_type=key_type),
        'api': make_leaf('api.example.com', ['api.example.com'], inter, key_type=key_type),
        'wildcard': make_leaf('*.example.com', ['*.example.com', 'example.com'], inter, key_type=key_type),
        'expired': make_expired_leaf('old.example.com', ['old.example.com'], inter, key_type=key_type),
        'future': make_future_leaf('new.example.com', ['new.example.com'], inter, key_type=key_type),
        'www-rsa': make_leaf('www.example.com', ['www.example.com'], inter, key_type='rsa'),
    }
    manifest = {
        'root': write_issued(out_dir, 'root', root),
        'intermediate': write_issued(out_dir, 'intermediate', inter),
        'leaves': {name: write_issued(out_dir, name, issued) for name, issued in leaves.items()},
    }
    _write(os.path.join(out_dir, 'manifest.json'), json.dumps(manifest, indent=2) + '\n')
    return manifest
