# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Certificate model: parse PEM bundles, fingerprint over DER, validate, summarize.

Everything that leaves this module (summaries, error messages) is free of
private-key material.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import re
import traceback

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID
except ImportError:
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None

_PEM_BLOCK = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]+)-----(?P<body>.*?)-----END (?P=label)-----",
    re.DOTALL,
)
_KEY_LABELS = ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class CertificateError(ValueError):
    """Invalid certificate input. The message never contains key material."""


def normalize_pem_text(text):
    """Drop a byte order mark and turn CRLF/CR line ends into LF."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CertificateError("is not PEM text (binary data; DER must be converted to PEM)")
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _pem_blocks(text):
    for match in _PEM_BLOCK.finditer(text):
        yield match.group("label"), match.group(0)


def _pem_body_der(block):
    """DER bytes of one PEM block, whatever the line wrapping or blank lines inside it."""
    body = block.split("-----", 2)[2].rsplit("-----END", 1)[0]
    return base64.b64decode("".join(body.split()), validate=True)


def format_time(value):
    """Render a datetime as ISO 8601 UTC (``2026-01-31T12:00:00Z``)."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value.strftime(_TIME_FORMAT)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def fingerprint(der, algorithm="sha256"):
    """Hex digest of DER bytes, lower case, no separators."""
    return hashlib.new(algorithm, der).hexdigest()


def normalize_fingerprint(value):
    """Accept ``AB:CD:..``, ``abcd..`` or ``sha256:abcd..`` and return lower-case hex."""
    if not value:
        return None
    value = str(value).strip().lower()
    if value.startswith("sha256:") or value.startswith("sha1:"):
        value = value.split(":", 1)[1]
    return value.replace(":", "").replace(" ", "")


def _name_to_str(name):
    try:
        return name.rfc4514_string()
    except ValueError:
        return str(name)


def _common_name(cert):
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return attrs[0].value if attrs else None


def _sans(cert):
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    names = ext.get_values_for_type(x509.DNSName)
    names += [str(ip) for ip in ext.get_values_for_type(x509.IPAddress)]
    return names


def _not_before(cert):
    return cert.not_valid_before_utc


def _not_after(cert):
    return cert.not_valid_after_utc


def _is_ca(cert):
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return False


def hostname_matches(pattern, hostname):
    """RFC 6125 style match of one SAN pattern (``*.example.com`` covers one label)."""
    pattern = pattern.lower().rstrip(".")
    hostname = hostname.lower().rstrip(".")
    if pattern == hostname:
        return True
    if pattern.startswith("*."):
        head, dot, tail = hostname.partition(".")
        return bool(head) and bool(dot) and tail == pattern[2:]
    return False


def describe_certificate(cert):
    """Summary dict of one X.509 certificate (public data only)."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "subject": _name_to_str(cert.subject),
        "common_name": _common_name(cert),
        "issuer": _name_to_str(cert.issuer),
        "serial_number": format(cert.serial_number, "x"),
        "subject_alt_names": _sans(cert),
        "not_before": format_time(_not_before(cert)),
        "not_after": format_time(_not_after(cert)),
        "fingerprint_sha256": fingerprint(der, "sha256"),
        "fingerprint_sha1": fingerprint(der, "sha1"),
    }


class CertificateBundle:
    """A leaf certificate followed by its chain, parsed from PEM text."""

    def __init__(self, certificates):
        if not certificates:
            raise CertificateError("contains no PEM certificate")
        self.certificates = list(certificates)

    @classmethod
    def from_pem(cls, text):
        if not HAS_CRYPTOGRAPHY:
            raise CertificateError("needs the Python library cryptography")
        text = normalize_pem_text(text)
        if not text.strip():
            raise CertificateError("is empty")
        blocks = list(_pem_blocks(text))
        if any(label in _KEY_LABELS for label, dummy in blocks):
            raise CertificateError("contains a private key block; pass the key in private_key")
        certificates = []
        for index, (label, block) in enumerate(blocks):
            if label not in ("CERTIFICATE", "TRUSTED CERTIFICATE"):
                continue
            try:
                certificates.append(x509.load_der_x509_certificate(_pem_body_der(block)))
            except (ValueError, binascii.Error) as exc:
                raise CertificateError("PEM block %d is not a valid X.509 certificate (%s)" % (index + 1, exc))
        if not certificates:
            if "-----BEGIN" in text:
                raise CertificateError("contains no complete PEM certificate (truncated or malformed PEM)")
            raise CertificateError("is not PEM text (no -----BEGIN CERTIFICATE----- block)")
        return cls(certificates)

    @classmethod
    def from_der(cls, der):
        """A bundle of one certificate given as DER (what a TLS peer presents)."""
        try:
            return cls([x509.load_der_x509_certificate(der)])
        except ValueError as exc:
            raise CertificateError("is not a valid DER X.509 certificate (%s)" % exc)

    @property
    def leaf(self):
        return self.certificates[0]

    @property
    def chain(self):
        return self.certificates[1:]

    def der_list(self):
        return [c.public_bytes(serialization.Encoding.DER) for c in self.certificates]

    @property
    def fingerprint_sha256(self):
        return fingerprint(self.der_list()[0], "sha256")

    @property
    def chain_fingerprints_sha256(self):
        return [fingerprint(der, "sha256") for der in self.der_list()[1:]]

    def identity(self):
        """Tuple of DER SHA-256 fingerprints, leaf first: what idempotency compares."""
        return tuple(fingerprint(der, "sha256") for der in self.der_list())

    def same_as(self, other):
        return other is not None and self.identity() == other.identity()

    def to_pem(self):
        """Canonical PEM text (leaf then chain, LF line ends)."""
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in self.certificates)

    def leaf_pem(self):
        return self.leaf.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def chain_pem(self):
        return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in self.chain)

    @property
    def not_after(self):
        return _not_after(self.leaf)

    @property
    def not_before(self):
        return _not_before(self.leaf)

    def names(self):
        names = _sans(self.leaf)
        if not names and _common_name(self.leaf):
            names = [_common_name(self.leaf)]
        return names

    def covers(self, hostname):
        return any(hostname_matches(name, hostname) for name in self.names())

    def summary(self):
        """Public summary for diffs and return values (never key material)."""
        info = describe_certificate(self.leaf)
        info["chain"] = [
            {"subject": _name_to_str(c.subject), "fingerprint_sha256": fp}
            for c, fp in zip(self.chain, self.chain_fingerprints_sha256)
        ]
        return info

    def check_chain_order(self):
        """Each certificate must be issued by the one after it."""
        for index in range(len(self.certificates) - 1):
            child, parent = self.certificates[index], self.certificates[index + 1]
            problem = None
            if child.issuer != parent.subject:
                problem = "its issuer %s is not the subject of the next certificate (%s)" % (
                    _name_to_str(child.issuer), _name_to_str(parent.subject))
            else:
                try:
                    child.verify_directly_issued_by(parent)
                except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as exc:
                    problem = "its signature does not verify with the next certificate's key (%s)" % (exc or type(exc).__name__)
            if problem:
                raise CertificateError(
                    "chain out of order: certificate %d (%s) %s; give the leaf first, then each issuer in order"
                    % (index + 1, _name_to_str(child.subject), problem))
        if _is_ca(self.leaf) and self.chain:
            raise CertificateError("chain out of order: the first certificate is a CA certificate, not the leaf")

    def check_validity(self, now=None, min_days_remaining=0):
        now = now or utcnow()
        if now < self.not_before:
            raise CertificateError("is not yet valid: valid from %s" % format_time(self.not_before))
        if now >= self.not_after:
            raise CertificateError("is expired: expired on %s" % format_time(self.not_after))
        if min_days_remaining:
            remaining = (self.not_after - now).total_seconds() / 86400.0
            if remaining < min_days_remaining:
                raise CertificateError(
                    "expires on %s, in %.1f days, less than the %s days required"
                    % (format_time(self.not_after), remaining, min_days_remaining))

    def check_key(self, private_key):
        leaf_public = self.leaf.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        key_public = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        if leaf_public != key_public:
            raise CertificateError("private key does not match the certificate (%s)" % _name_to_str(self.leaf.subject))

    def validate(self, private_key=None, now=None, min_days_remaining=0, require_chain=False):
        """Run every local check; raise CertificateError naming the first problem."""
        self.check_chain_order()
        if require_chain and not self.chain and self.leaf.issuer != self.leaf.subject:
            raise CertificateError("chain missing: give the intermediate certificates after the leaf")
        self.check_validity(now=now, min_days_remaining=min_days_remaining)
        if private_key is not None:
            self.check_key(private_key)


def load_private_key(text, passphrase=None):
    """Parse a PEM private key; errors never echo the key."""
    if not HAS_CRYPTOGRAPHY:
        raise CertificateError("needs the Python library cryptography")
    text = normalize_pem_text(text)
    if not text.strip():
        raise CertificateError("private key is empty")
    blocks = [block for label, block in _pem_blocks(text) if label in _KEY_LABELS]
    if not blocks:
        raise CertificateError("private key is not PEM text (no PEM private key block)")
    if len(blocks) > 1:
        raise CertificateError("private key holds more than one key")
    password = passphrase.encode("utf-8") if passphrase else None
    try:
        return serialization.load_pem_private_key(blocks[0].encode("ascii"), password=password)
    except TypeError:
        if password is None:
            raise CertificateError("private key is encrypted and no passphrase was given")
        raise CertificateError("private key is not encrypted but a passphrase was given")
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError):
        if password is not None:
            raise CertificateError("private key could not be decrypted (wrong passphrase?) or is malformed")
        raise CertificateError("private key is malformed or truncated PEM")


def private_key_to_pem(private_key):
    """Unencrypted PKCS#8 PEM, for APIs that take the key as text."""
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii")


def parse_pem_or_none(text):
    """Best-effort parse of PEM returned by an API (None when absent or unparsable)."""
    if not text:
        return None
    try:
        return CertificateBundle.from_pem(text)
    except CertificateError:
        return None


def load_material(certificate, private_key=None, passphrase=None, now=None, min_days_remaining=0,
                  require_key=True):
    """Parse and validate user input; raise CertificateError('certificate ...' / 'private key ...')."""
    try:
        bundle = CertificateBundle.from_pem(certificate)
    except CertificateError as exc:
        raise CertificateError("certificate %s" % exc)
    key = None
    if private_key is not None and private_key != "":
        key = load_private_key(private_key, passphrase)
    elif require_key:
        raise CertificateError("private key is required with the certificate")
    try:
        bundle.validate(private_key=key, now=now, min_days_remaining=min_days_remaining)
    except CertificateError as exc:
        message = str(exc)
        if not message.startswith("private key"):
            message = "certificate %s" % message
        raise CertificateError(message)
    return bundle, key
