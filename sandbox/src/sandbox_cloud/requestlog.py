# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log: one redacted entry per API call, optionally mirrored to a JSON-lines file."""

from __future__ import annotations

import datetime
import json
import threading
import typing as t

from . import redact
from .core import Call


class RequestLog:
    """Thread-safe, append-only (until ``clear``) list of call records with increasing ``seq``."""

    def __init__(self, path: str | None = None) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, t.Any]] = []
        self._seq = 0
        self._path = path

    def append(self, call: Call) -> dict[str, t.Any]:
        """Record a finished call; params are redacted and certificate PEMs shortened."""
        with self._lock:
            self._seq += 1
            entry = {
                'seq': self._seq,
                'time': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds'),
                'provider': call.provider,
                'service': call.service,
                'action': call.action,
                'version': call.version,
                'region': call.region,
                'write': call.write,
                'ok': call.ok,
                'error_code': call.error_code,
                'request_id': call.request_id,
                'secret_id': call.secret_id,
                'fault': call.fault,
                'denied': call.denied,
                'params': redact.redact(call.params, shorten_certificates=True),
            }
            self._entries.append(entry)
            if self._path:
                with open(self._path, 'a', encoding='utf-8') as handle:
                    handle.write(json.dumps(entry, ensure_ascii=False) + '\n')
            return entry

    def since(self, seq: int = 0) -> tuple[list[dict[str, t.Any]], int]:
        """Return the entries after ``seq`` and the last sequence number."""
        with self._lock:
            return [entry for entry in self._entries if entry['seq'] > seq], self._seq

    def clear(self) -> None:
        """Forget all entries (sequence numbers keep increasing, so ``since`` stays monotonic)."""
        with self._lock:
            self._entries.clear()
