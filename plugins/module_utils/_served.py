# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""What a TLS endpoint serves: the chain it sends, compared with a certificate's own chain and validated to trust
anchors with ``cryptography``'s X.509 verification (no path building here)."""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl

from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    CertificateError,
    name_to_str,
    describe_certificate,
    fingerprint,
    normalize_fingerprint,
)

try:
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509 import verification
except ImportError:  # the bundle module reports a missing cryptography; verification is only unavailable
    verification = None

ANCHOR_SUFFIXES = (".pem", ".crt", ".cer")


def peer_chain_der(tls):
    """The certificates the peer sent, leaf first, as DER, unverified: exactly what the endpoint serves.

    Python 3.13 has ``SSLSocket.get_unverified_chain()``; 3.10 to 3.12 have the same call on the socket's
    ``_sslobj`` (returning certificate objects). None when neither exists (the chain cannot be read).
    """
    public = getattr(tls, "get_unverified_chain", None)
    if public is not None:
        return [bytes(der) for der in public() or []]
    private = getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)
    if private is None:
        return None
    return [cert.public_bytes(ssl._ssl.ENCODING_DER) for cert in private() or []]  # pylint: disable=protected-access


def load_chain(ders):
    """``x509.Certificate`` objects from DER bytes (what ``peer_chain_der`` returns)."""
    try:
        return [x509.load_der_x509_certificate(der) for der in ders]
    except ValueError as exc:
        raise CertificateError("the endpoint sent a certificate that is not valid DER X.509 (%s)" % exc)


def describe_chain(certificates):
    """Subject, SHA-256 fingerprint and expiry of each certificate after the leaf."""
    result = []
    for cert in certificates[1:]:
        info = describe_certificate(cert)
        result.append(dict(subject=info["subject"], fingerprint_sha256=info["fingerprint_sha256"], not_after=info["not_after"]))
    return result


def _sha256(cert):
    return fingerprint(cert.public_bytes(serialization.Encoding.DER), "sha256")


def _self_signed(cert):
    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _issued_by(cert, issuer):
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _expected(entries):
    """``[(fingerprint, subject)]`` from a chain given as fingerprints or as summaries (C(subject), C(fingerprint_sha256))."""
    result = []
    for entry in entries:
        if isinstance(entry, dict):
            result.append((normalize_fingerprint(entry.get("fingerprint_sha256") or ""), entry.get("subject") or "?"))
        else:
            result.append((normalize_fingerprint(entry), None))
    return result


def _named(subject, digest):
    return "%s (sha256 %s)" % (subject, digest[:16]) if subject else "sha256 %s" % digest[:16]


def _label(cert):
    return _named(name_to_str(cert.subject), _sha256(cert))


def structure_problems(certificates, anchors=None):
    """What is wrong with the structure of the served chain (``x509.Certificate`` list, leaf first): a list of messages,
    empty when it is right. Issuance is checked by signature (``verify_directly_issued_by``), not by names alone.

    - incomplete: the leaf is not self-signed, and neither a certificate sent nor one of ``anchors`` (the trust anchors
      of ``ca_path``) issued it. Only the leaf's issuer must be sent: an intermediate's root is normally left out.
    - out of order: a certificate's issuer is sent, but not right after it.
    - unrelated: a certificate after the leaf issued none of the other certificates sent.
    """
    if not certificates:
        return []
    problems, leaf = [], certificates[0]
    # issuers[i]: the positions of the certificates sent that issued certificate i (none for a self-signed one)
    issuers = [[] if _self_signed(cert) else [other for other, candidate in enumerate(certificates) if other != index and _issued_by(cert, candidate)]
               for index, cert in enumerate(certificates)]
    if not issuers[0] and not _self_signed(leaf) and not any(_issued_by(leaf, anchor) for anchor in anchors or ()):
        alone = " (the endpoint sends the leaf alone)" if len(certificates) == 1 else ""
        problems.append("incomplete chain%s: missing the issuer of %s, %s" % (alone, _label(leaf), name_to_str(leaf.issuer)))
    for index, cert in enumerate(certificates[:-1]):
        if issuers[index] and index + 1 not in issuers[index]:
            problems.append("chain out of order: %s is followed by %s, not by its issuer %s" % (
                _label(cert), _label(certificates[index + 1]), _label(certificates[issuers[index][0]])))
    for index, cert in enumerate(certificates[1:], 1):
        if not any(index in found for found in issuers):
            problems.append("unrelated certificate in the served chain: %s issued none of the certificates sent" % _label(cert))
    return problems


def chain_problem(certificates, expected=None, anchors=None):
    """Why the served chain (``x509.Certificate`` list, leaf first) is wrong, or None.

    With ``expected`` (the certificate's own chain after the leaf: fingerprints or summaries), the served chain must
    be that chain in that order; a self-signed root at the end of either side may be left out. Without it, the chain's
    structure is checked (``structure_problems``, with ``anchors``): the problems found, joined with "; ".
    """
    if expected is None:
        return "; ".join(structure_problems(certificates, anchors)) or None
    served = [(_sha256(cert), describe_certificate(cert)["subject"], cert) for cert in certificates[1:]]
    want = _expected(expected)
    # Name what is expected: each certificate of a chain is the issuer of the one before it.
    sent, previous = dict((digest, cert) for digest, dummy, cert in served), certificates[0]
    for index, (digest, subject) in enumerate(want):
        if subject is None and previous is not None:
            want[index] = (digest, name_to_str(previous.issuer))
        previous = sent.get(digest)
    if want and served and len(served) == len(want) - 1 and [s[0] for s in served] == [w[0] for w in want[:-1]]:
        return None  # the root at the end of the certificate's chain is not sent: clients have it
    if served and _self_signed(served[-1][2]) and [s[0] for s in served[:-1]] == [w[0] for w in want]:
        return None  # the endpoint also sends the root
    if [s[0] for s in served] == [w[0] for w in want]:
        return None
    missing = [_named(subject, digest) for digest, subject in want if digest not in sent]
    extra = [_named(subject, digest) for digest, subject, dummy in served if digest not in set(w[0] for w in want)]
    if missing and not extra:
        alone = " (the endpoint sends the leaf alone)" if not served else ""
        return "incomplete chain%s: missing %s" % (alone, ", ".join(missing))
    if extra and not missing:
        return "extra certificate in the served chain: %s" % ", ".join(extra)
    if missing:
        return "served chain differs from the certificate's chain: sends %s in place of %s" % (", ".join(extra), ", ".join(missing))
    return "chain out of order: sends %s; the certificate's chain is %s" % (
        ", ".join(_named(s[1], s[0]) for s in served), ", ".join(_named(subject, digest) for digest, subject in want))


def load_anchors(path):
    """The trust anchors in ``path``: a PEM file of certificates, or a directory of such files (*.pem, *.crt, *.cer)."""
    if verification is None:
        raise CertificateError("ca_path needs the Python library cryptography 43 or later (cryptography.x509.verification)")
    if os.path.isdir(path):
        files = sorted(os.path.join(path, name) for name in os.listdir(path) if name.endswith(ANCHOR_SUFFIXES))
    elif os.path.isfile(path):
        files = [path]
    else:
        raise CertificateError("ca_path %s does not exist" % path)
    anchors = []
    for name in files:
        try:
            with open(name, "rb") as handle:
                anchors.extend(x509.load_pem_x509_certificates(handle.read()))
        except (OSError, ValueError) as exc:
            raise CertificateError("ca_path %s: cannot read trust anchors (%s)" % (name, exc))
    if not anchors:
        raise CertificateError("ca_path %s holds no PEM certificate" % path)
    return anchors


def _subject(server_name):
    try:
        return verification.IPAddress(ipaddress.ip_address(server_name))
    except ValueError:
        return verification.DNSName(server_name)


def validation_problem(certificates, server_name, anchors, path="ca_path", now=None, what="the served chain"):
    """Why ``what`` (certificates, leaf first) does not validate to ``anchors`` for ``server_name`` (cryptography's web
    PKI policy), or None."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    try:
        verifier = (verification.PolicyBuilder().store(verification.Store(anchors)).time(now)
                    .build_server_verifier(_subject(server_name)))
        verifier.verify(certificates[0], certificates[1:])
    except verification.VerificationError as exc:
        return "%s does not validate to the trust anchors of %s for %s: %s" % (what, path, server_name, exc)
    except ValueError as exc:
        return "cannot validate %s for %s: %s" % (what, server_name, exc)
    return None
