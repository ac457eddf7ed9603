# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection: make matching API calls fail, stall or lose their connection.

A fault is a JSON object::

    {"service": "tse" | "*", "action": "ModifyCloudNativeAPIGatewayCertificate" | "*",
     "kind": "error" | "http_status" | "latency" | "slow_reply" | "reset" | "lost_reply" | "throttle",
     "count": 1 | null, ...kind specific fields}

kinds:
  error        reply with the API error ``code`` / ``message`` (vendor envelope; HTTP 200 for Tencent,
               for Alibaba a status derived from the code, see ``acs3.status_for``)
  http_status  reply with HTTP ``status`` (default 503) and a plain text body
  latency      sleep ``seconds`` and then handle the request normally
  slow_reply   handle the request normally, then sleep ``seconds`` before replying: the caller gets a view of
               the state that is ``seconds`` old (a slow listing that two concurrent callers both find empty)
  reset        close the TCP connection without a reply (nothing is applied)
  lost_reply   handle (apply) the request, then close the connection without a reply
  throttle     allow ``rate`` requests per second per service/action, reject the others with
               ``code`` (default RequestLimitExceeded; the Alibaba dialect reports that default as
               ``Throttling.User`` and advertises the wait in ``x-acs-retry-after``)

``count`` is how many requests the fault affects (``null``: unlimited); for ``throttle`` only
rejected requests count.
"""

from __future__ import annotations

import collections
import dataclasses
import threading
import time
import typing as t

from .core import Call

KINDS = ('error', 'http_status', 'latency', 'slow_reply', 'reset', 'lost_reply', 'throttle')


@dataclasses.dataclass
class Fault:
    """One registered fault."""

    id: str
    kind: str
    service: str = '*'
    action: str = '*'
    count: int | None = None
    code: str = ''
    message: str = ''
    status: int = 503
    seconds: float = 0.0
    rate: float = 1.0
    hits: int = 0

    @classmethod
    def from_json(cls, fault_id: str, data: dict[str, t.Any]) -> 'Fault':
        """Validate a fault description; raises ``ValueError`` with a readable message."""
        if not isinstance(data, dict):
            raise ValueError('a fault must be a JSON object')
        known = {field.name for field in dataclasses.fields(cls)} - {'id', 'hits'}
        unknown = set(data) - known
        if unknown:
            raise ValueError('unknown fault fields: %s' % ', '.join(sorted(unknown)))
        if data.get('kind') not in KINDS:
            raise ValueError('kind must be one of %s' % ', '.join(KINDS))
        fault = cls(id=fault_id, **data)
        if fault.count is not None and (not isinstance(fault.count, int) or fault.count < 1):
            raise ValueError('count must be a positive integer or null')
        if fault.kind == 'error' and not fault.code:
            raise ValueError('an error fault needs a code')
        if fault.kind == 'throttle':
            fault.code = fault.code or 'RequestLimitExceeded'
            if not fault.rate > 0:
                raise ValueError('rate must be positive')
        if fault.kind == 'http_status' and not 100 <= int(fault.status) <= 599:
            raise ValueError('status must be an HTTP status code')
        fault.message = fault.message or {
            'error': 'Injected error.',
            'throttle': 'Your current request is limited by the sandbox throttle (%g requests per second).' % fault.rate,
        }.get(fault.kind, '')
        return fault

    @property
    def exhausted(self) -> bool:
        """Whether the fault has affected ``count`` requests already."""
        return self.count is not None and self.hits >= self.count

    def matches(self, call: Call) -> bool:
        """Whether the fault applies to a call's service and action."""
        return self.service in ('*', call.service) and self.action in ('*', call.action)

    def to_json(self) -> dict[str, t.Any]:
        """The fault as listed by the control API."""
        return dataclasses.asdict(self)


class FaultRegistry:
    """The active faults, in the order they were added (the first matching one wins)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._next = 1
        self._windows: dict[tuple[str, str | None, str | None], collections.deque[float]] = {}

    def add(self, data: dict[str, t.Any]) -> Fault:
        """Register a fault (raises ``ValueError`` when invalid)."""
        with self._lock:
            fault = Fault.from_json('fault-%d' % self._next, data)
            self._next += 1
            self._faults.append(fault)
            return fault

    def clear(self) -> None:
        """Remove every fault and forget throttle windows."""
        with self._lock:
            self._faults.clear()
            self._windows.clear()

    def snapshot(self) -> list[dict[str, t.Any]]:
        """Describe all faults, exhausted ones included."""
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def take(self, call: Call) -> Fault | None:
        """Return the fault that fires for this call (counting the hit), or None."""
        with self._lock:
            for fault in self._faults:
                if fault.exhausted or not fault.matches(call):
                    continue
                if fault.kind == 'throttle' and not self._over_rate(fault, call):
                    continue
                fault.hits += 1
                return fault
        return None

    def throttle_wait(self, fault: Fault, call: Call) -> float:
        """Seconds until a throttle fault admits the next request of this service/action (0 if now)."""
        with self._lock:
            window = self._windows.get((fault.id, call.service, call.action))
            if not window or len(window) < fault.rate:
                return 0.0
            return max(0.0, 1.0 - (time.monotonic() - window[0]))

    def _over_rate(self, fault: Fault, call: Call) -> bool:
        """Sliding one-second window per fault, service and action; only admitted requests are counted."""
        now = time.monotonic()
        window = self._windows.setdefault((fault.id, call.service, call.action), collections.deque())
        while window and now - window[0] >= 1.0:
            window.popleft()
        if len(window) >= fault.rate:
            return True
        window.append(now)
        return False
