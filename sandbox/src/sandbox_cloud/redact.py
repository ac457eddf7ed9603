# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Redaction of secrets before anything leaves the sandbox (request log, state dump)."""

from __future__ import annotations

import hashlib
import typing as t

from . import certs

REDACTED = '<redacted>'

# Compared after lower-casing and removing underscores, so ``secret_key`` matches ``SecretKey``.
SECRET_KEYS = frozenset((
    'key', 'certificateprivatekey', 'privatekey', 'keypassword', 'secretkey', 'token', 'tmpsecretkey',
    'accesskeysecret', 'securitytoken',
))


def is_secret_key(name: str) -> bool:
    """Tell whether a mapping key names a secret value."""
    return name.lower().replace('_', '') in SECRET_KEYS


def shorten_pem(text: str) -> str:
    """Replace a PEM certificate text by ``<pem sha256=...>`` (SHA-256 of the first certificate's DER)."""
    try:
        fingerprint = certs.parse_chain(text)[0].fingerprint_sha256
    except ValueError:
        fingerprint = hashlib.sha256(text.encode('utf-8')).hexdigest()
    return '<pem sha256=%s>' % fingerprint


def redact(value: t.Any, shorten_certificates: bool = False) -> t.Any:
    """Return a deep copy of ``value`` with secrets replaced by ``<redacted>``.

    Values under secret-looking keys are redacted, and so is any string that contains private key
    material, whatever its key.  With ``shorten_certificates`` PEM certificates become ``<pem sha256=...>``.
    """
    if isinstance(value, dict):
        return {k: REDACTED if is_secret_key(str(k)) and value[k] not in (None, '') else redact(value[k], shorten_certificates)
                for k in value}
    if isinstance(value, (list, tuple)):
        return [redact(v, shorten_certificates) for v in value]
    if isinstance(value, str):
        if 'PRIVATE KEY-----' in value:
            return REDACTED
        if shorten_certificates and '-----BEGIN CERTIFICATE-----' in value:
            return shorten_pem(value)
    return value
