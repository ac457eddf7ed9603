# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Certificate summaries as plain data: the names a certificate covers, its expiry.

No cryptography and no API client here: the collection's filter plugins import this, and Ansible loads them afresh
in the worker process of every task that uses one of them.
"""

from __future__ import annotations

import datetime


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


def summary_names(summary):
    """The host names a certificate summary (see ``describe_certificate``) is valid for."""
    summary = summary or {}
    return list(summary.get("subject_alt_names") or ([summary["common_name"]] if summary.get("common_name") else []))


def summary_covers(summary, hostname):
    """Whether the certificate of ``summary`` is valid for ``hostname``."""
    return any(hostname_matches(name, hostname) for name in summary_names(summary))


def summary_host_name(summary):
    """A host name the certificate of ``summary`` covers: its first name that is not a wildcard, else a label under its
    first wildcard (C(*.example.com) -> C(www.example.com)); None without names."""
    found = summary_names(summary)
    plain = [name for name in found if not name.startswith("*.")]
    if plain:
        return plain[0]
    return "www." + found[0][2:] if found else None


def parse_time(value):
    """An aware datetime of ``YYYY-MM-DDTHH:MM:SSZ`` or ``YYYY-MM-DD HH:MM:SS`` (UTC), else None."""
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, layout).replace(tzinfo=datetime.timezone.utc)
        except (TypeError, ValueError):
            continue
    return None


def days_left(certificate, now=None):
    """Whole days until the certificate expires (negative when expired), or None when unknown."""
    end = parse_time((certificate or {}).get("not_after"))
    if end is None:
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return int((end - now).total_seconds() // 86400)
