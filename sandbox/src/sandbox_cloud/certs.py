# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PEM parsing and the certificate facts the emulated services derive from it."""

from __future__ import annotations

import dataclasses
import datetime
import functools

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

BEIJING = datetime.timezone(datetime.timedelta(hours=8), 'GMT+8')


@dataclasses.dataclass(frozen=True)
class CertFacts:
    """Facts about one X.509 certificate."""

    cert: x509.Certificate
    common_name: str
    issuer_common_name: str
    subject: str
    issuer: str
    sans: tuple[str, ...]
    not_before: datetime.datetime
    not_after: datetime.datetime
    fingerprint_sha256: str
    fingerprint_sha1: str
    key_algorithm: str

    @property
    def domain(self) -> str:
        """The main domain: the common name, else the first DNS SAN."""
        return self.common_name or (self.sans[0] if self.sans else '')

    @property
    def domains(self) -> list[str]:
        """The main domain followed by the other SANs, without duplicates."""
        result = [self.domain] if self.domain else []
        result.extend(name for name in self.sans if name not in result)
        return result

    def expired(self, now: datetime.datetime | None = None) -> bool:
        """Tell whether the certificate is past its notAfter."""
        return (now or utcnow()) > self.not_after

    def public_key_der(self) -> bytes:
        """The SubjectPublicKeyInfo DER, used to match private keys."""
        return self.cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def utcnow() -> datetime.datetime:
    """The current time, timezone aware."""
    return datetime.datetime.now(datetime.timezone.utc)


def beijing_time(moment: datetime.datetime) -> str:
    """Format a moment as Tencent Cloud does: ``YYYY-MM-DD HH:MM:SS`` in GMT+8."""
    return moment.astimezone(BEIJING).strftime('%Y-%m-%d %H:%M:%S')


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    attrs = name.get_attributes_for_oid(oid)
    return str(attrs[0].value) if attrs else ''


def _key_algorithm(cert: x509.Certificate) -> str:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return 'RSA'
    if isinstance(key, ec.EllipticCurvePublicKey):
        return 'ECC'
    return type(key).__name__


def _facts(cert: x509.Certificate) -> CertFacts:
    try:
        sans = tuple(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        sans = ()
    return CertFacts(
        cert=cert,
        common_name=_name_attr(cert.subject, NameOID.COMMON_NAME),
        issuer_common_name=_name_attr(cert.issuer, NameOID.COMMON_NAME),
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        sans=sans,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
        fingerprint_sha1=cert.fingerprint(hashes.SHA1()).hex(),  # nosec - identification only, as the real API does
        key_algorithm=_key_algorithm(cert),
    )


@functools.lru_cache(maxsize=512)
def parse_chain(pem: str) -> tuple[CertFacts, ...]:
    """Parse a PEM bundle (leaf first) into certificate facts.

    Raises ``ValueError`` when the text holds no certificate or a malformed one.
    """
    if not isinstance(pem, str) or '-----BEGIN CERTIFICATE-----' not in pem:
        raise ValueError('no PEM certificate found')
    certs = x509.load_pem_x509_certificates(pem.encode('utf-8'))
    return tuple(_facts(cert) for cert in certs)


def chain_problem(chain: tuple[CertFacts, ...]) -> str | None:
    """Return why a leaf-first chain is out of order, or None when every certificate is issued by the next."""
    for child, parent in zip(chain, chain[1:]):
        if child.cert.issuer != parent.cert.subject:
            return 'certificate %r is not issued by the next certificate in the chain %r' % (child.subject, parent.subject)
    return None


def load_private_key(pem: str, password: str | None = None):
    """Load a PEM private key; raises ``ValueError`` (or ``TypeError`` for password problems) when it cannot."""
    if not isinstance(pem, str) or 'PRIVATE KEY-----' not in pem:
        raise ValueError('no PEM private key found')
    return serialization.load_pem_private_key(pem.encode('utf-8'), password.encode('utf-8') if password else None)


def key_matches(cert: CertFacts, key_pem: str, password: str | None = None) -> bool:
    """Tell whether a PEM private key belongs to the certificate (raises ``ValueError``/``TypeError`` if unreadable)."""
    key = load_private_key(key_pem, password)
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return public == cert.public_key_der()
