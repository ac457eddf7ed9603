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

from ansible_collections.certops.cloud.plugins.module_utils._summary import hostname_matches

# A block's body never holds "-----": a BEGIN without its END does not swallow the next block.
_PEM_BLOCK = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]+)-----(?P<body>(?:(?!-----).)*)-----END (?P=label)-----",
    re.DOTALL,
)
_PEM_BEGIN = re.compile(r"-----BEGIN (?P<label>[A-Z0-9 ]+)-----")
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_KEY_LABELS = ("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY")
_CERTIFICATE_LABELS = ("CERTIFICATE", "TRUSTED CERTIFICATE")
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Largest accepted input: a leaf with a long chain is a few KiB, a 4096-bit RSA key about 3 KiB.
MAX_BUNDLE_BYTES = 256 * 1024
MAX_KEY_BYTES = 64 * 1024
_DER_HINTS = {
    "certificate": "openssl x509 -inform DER -in cert.der -out cert.pem",
    "private key": "openssl pkey -inform DER -in key.der -out key.pem",
}


class CertificateError(ValueError):
    """Invalid certificate input. The message never contains key material."""


def check_size(text, limit, what):
    """Refuse input larger than ``limit`` bytes before parsing it (a pasted CA bundle, a wrong file)."""
    if text is None:
        return
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", "replace"))
    if size > limit:
        hint = "; give the leaf and its chain only" if what == "certificate" else ""
        raise CertificateError(_named(what, "is too large: %d bytes, more than the limit of %d bytes (%d KiB)%s"
                                      % (size, limit, limit // 1024, hint)))


def normalize_pem_text(text, what="certificate"):
    """Drop byte order marks and turn CRLF/CR line ends into LF.

    ``what`` (``certificate`` or ``private key``) names the input in the error for binary data;
    a certificate's messages leave the name out, as every CertificateBundle message does.
    """
    if text is None:
        return ""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CertificateError(_named(what, _binary_message(what)))
    text = text.replace("\ufeff", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _named(what, message):
    return message if what == "certificate" else "%s %s" % (what, message)


def _binary_message(what):
    return "is binary data (DER?), not PEM text; convert to PEM: %s" % _DER_HINTS[what]


def _der_problem(text, what):
    """Why ``text`` (which holds no PEM block) is DER: raw binary, or base64 without the PEM armour; else None."""
    if "-----BEGIN" not in text and _BINARY_CHARS.search(text):
        return _binary_message(what)
    compact = "".join(text.split())
    if len(compact) < 64 or not _BASE64_TEXT.fullmatch(compact):
        return None
    try:
        der = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not der or der[0] != 0x30:  # every DER certificate and key is a SEQUENCE
        return None
    return "is DER (base64 without the PEM armour), not PEM text; convert to PEM: %s" % _DER_HINTS[what]


def _unmatched_begin(text):
    """(number, label) of the first -----BEGIN line that starts no complete PEM block, or None."""
    starts = set(match.start() for match in _PEM_BLOCK.finditer(text))
    for number, match in enumerate(_PEM_BEGIN.finditer(text)):
        if match.start() not in starts:
            return number + 1, match.group("label")
    return None


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


def name_to_str(name):
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


def describe_certificate(cert):
    """Summary dict of one X.509 certificate (public data only)."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "subject": name_to_str(cert.subject),
        "common_name": _common_name(cert),
        "issuer": name_to_str(cert.issuer),
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
        check_size(text, MAX_BUNDLE_BYTES, "certificate")
        text = normalize_pem_text(text)
        if not text.strip():
            raise CertificateError("is empty")
        blocks = list(_pem_blocks(text))
        unmatched = _unmatched_begin(text)
        if any(label in _KEY_LABELS for label, dummy in blocks) or (unmatched and unmatched[1] in _KEY_LABELS):
            raise CertificateError("contains a private key block; pass the key in private_key")
        if unmatched:
            raise CertificateError("contains no complete PEM certificate in block %d: it is truncated (-----BEGIN %s----- "
                                   "without its -----END %s----- line)" % (unmatched[0], unmatched[1], unmatched[1]))
        certificates = []
        for index, (label, block) in enumerate(blocks):
            if label not in _CERTIFICATE_LABELS:
                continue
            try:
                certificates.append(x509.load_der_x509_certificate(_pem_body_der(block)))
            except (ValueError, binascii.Error) as exc:
                raise CertificateError("PEM block %d is not a valid X.509 certificate (truncated or corrupt: %s)" % (index + 1, exc))
        if not certificates:
            if blocks:
                raise CertificateError("contains no PEM certificate, only %s" % ", ".join(sorted(set(label for label, dummy in blocks))))
            problem = _der_problem(text, "certificate")
            if problem:
                raise CertificateError(problem)
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
            {"subject": name_to_str(c.subject), "fingerprint_sha256": fp}
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
                    name_to_str(child.issuer), name_to_str(parent.subject))
            else:
                try:
                    child.verify_directly_issued_by(parent)
                except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as exc:
                    problem = "its signature does not verify with the next certificate's key (%s)" % (exc or type(exc).__name__)
            if problem:
                raise CertificateError(
                    "chain out of order: certificate %d (%s) %s; give the leaf first, then each issuer in order"
                    % (index + 1, name_to_str(child.subject), problem))
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
            raise CertificateError("private key does not match the certificate (%s)" % name_to_str(self.leaf.subject))

    def check_chain_present(self):
        """A leaf issued by another certificate needs its chain; a self-signed or CA certificate stands alone."""
        if self.chain or self.leaf.issuer == self.leaf.subject or _is_ca(self.leaf):
            return
        raise CertificateError(
            "chain missing: the certificate is issued by %s but no issuer certificate follows it; give the full "
            "chain, leaf first, then the intermediate certificates (fullchain.pem)" % name_to_str(self.leaf.issuer))

    def validate(self, private_key=None, now=None, min_days_remaining=0, require_chain=False):
        """Run every local check; raise CertificateError naming the first problem."""
        self.check_chain_order()
        if require_chain:
            self.check_chain_present()
        self.check_validity(now=now, min_days_remaining=min_days_remaining)
        if private_key is not None:
            self.check_key(private_key)


def load_private_key(text, passphrase=None):
    """Parse a PEM private key; errors never echo the key."""
    if not HAS_CRYPTOGRAPHY:
        raise CertificateError("needs the Python library cryptography")
    check_size(text, MAX_KEY_BYTES, "private key")
    text = normalize_pem_text(text, "private key")
    if not text.strip():
        raise CertificateError("private key is empty")
    all_blocks = list(_pem_blocks(text))
    blocks = [block for label, block in all_blocks if label in _KEY_LABELS]
    if not blocks:
        raise CertificateError(_key_problem(text, all_blocks))
    if len(blocks) > 1:
        raise CertificateError("private key holds more than one key")
    password = passphrase.encode("utf-8") if passphrase else None
    try:
        return serialization.load_pem_private_key(blocks[0].encode("ascii"), password=password)
    except TypeError:
        if password is None:
            raise CertificateError("private key is encrypted and no passphrase was given; set private_key_passphrase")
        raise CertificateError("private key is not encrypted but a passphrase was given")
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError):
        if password is not None:
            raise CertificateError("private key could not be decrypted: wrong passphrase, or the key is malformed")
        raise CertificateError("private key is malformed or truncated PEM")


def _key_problem(text, blocks):
    """Why text with no complete private key block is not a private key (never quoting it)."""
    labels = set(label for label, dummy in blocks)
    if labels & set(_CERTIFICATE_LABELS):
        return "private key holds a certificate, not a private key; the certificate goes in certificate"
    if "PUBLIC KEY" in labels:
        return "private key holds a public key, not the private key"
    if _unmatched_begin(text):
        return "private key is truncated: its PEM block has a BEGIN line but no END line"
    problem = _der_problem(text, "private key")
    return "private key %s" % problem if problem else "private key is not PEM text (no PEM private key block)"


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
                  require_key=True, require_chain=True):
    """Parse and validate user input; raise CertificateError('certificate ...' / 'private key ...').

    With ``require_chain`` a leaf issued by another certificate must come with its chain (a
    self-signed or CA certificate alone is fine).
    """
    try:
        bundle = CertificateBundle.from_pem(certificate)
    except CertificateError as exc:
        raise CertificateError("certificate %s" % exc)
    key = None
    if private_key:
        key = load_private_key(private_key, passphrase)
    elif require_key:
        raise CertificateError("private key is empty" if private_key == "" else "private key is required with the certificate")
    try:
        bundle.validate(private_key=key, now=now, min_days_remaining=min_days_remaining, require_chain=require_chain)
    except CertificateError as exc:
        message = str(exc)
        if not message.startswith("private key"):
            message = "certificate %s" % message
        raise CertificateError(message)
    return bundle, key


def same_certificate(summary_a, summary_b):
    """Compare two certificate summaries by DER fingerprints (leaf and chain)."""
    if not summary_a or not summary_b:
        return summary_a == summary_b

    def ident(summary):
        return (summary.get("fingerprint_sha256"),
                tuple(c.get("fingerprint_sha256") for c in summary.get("chain") or []))
    return ident(summary_a) == ident(summary_b)
