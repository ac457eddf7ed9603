# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""What every cloud's client layer shares: API errors, endpoints, pacing, the run's shared values and paging.

Signing, retries and credential chains are the vendor SDKs'; the cloud packages (``_tencentcloud``, ``_alicloud``)
wire the modules' options into them and raise :class:`ApiError`.
"""

from __future__ import annotations

import random
import re
import threading
import time
import typing as t
from urllib.parse import urlparse

Fetch = t.Callable[..., t.Dict[str, t.Any]]


class ApiError(Exception):
    """An API call failed; carries the provider's error code and request id."""

    def __init__(self, service: str, action: str, code: str, message: str, request_id: str | None = None) -> None:
        super().__init__(message)
        self.service = service
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id

    def __str__(self) -> str:
        text = "%s %s failed: %s: %s" % (self.service, self.action, self.code, self.message)
        if self.request_id:
            text += " (request id %s)" % self.request_id
        return text

    def as_dict(self) -> dict[str, t.Any]:
        return dict(service=self.service, action=self.action, code=self.code, message=self.message,
                    request_id=self.request_id)


def denied_message(who: str, service: str, action: str, message: str) -> str:
    """A call the credentials may not make: the action to grant, and to whom (a key id or role, never a secret)."""
    first = str(message or "").strip().splitlines()
    return "permission denied: %s may not call %s:%s; grant it that action (the policies each job needs: docs/policies/ " \
           "of certops.cloud)%s" % (who, service, action, " (%s)" % first[0] if first else "")


def parse_endpoint(endpoint: str) -> tuple[str, str]:
    """Return (scheme, host[:port]) from a host name or an http(s) URL."""
    endpoint = endpoint.strip()
    if "://" not in endpoint:
        if "/" in endpoint:
            raise ValueError("endpoint %r must be a host name or an http(s):// URL" % endpoint)
        return "https", endpoint
    url = urlparse(endpoint)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ValueError("endpoint %r must be a host name or an http(s):// URL" % endpoint)
    if url.path not in ("", "/") or url.query:
        raise ValueError("endpoint %r must not contain a path or query" % endpoint)
    return url.scheme, url.netloc


# What the HTTP stacks of the SDKs (requests/urllib3) say when an endpoint cannot be reached.
_NETWORK_MARKERS = ("Max retries exceeded", "NewConnectionError", "ConnectTimeout", "ReadTimeout", "timed out", "Connection refused",
                    "Connection aborted", "ConnectionError", "RemoteDisconnected", "Name or service not known", "SSLError")
_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\"()\[\]\\]+)")


def network_problem(text: object) -> str | None:
    """A short reason (``Connection refused``, ``timed out``) when an SDK error means the endpoint was not reached; else None."""
    text = str(text)
    if not any(marker in text for marker in _NETWORK_MARKERS):
        return None
    match = _ERRNO_REASON.search(text)
    if match:
        return match.group(1).strip()
    if "SSLError" in text:
        return "TLS handshake failed"
    if "timed out" in text or "Timeout" in text:
        return "timed out"
    return "connection failed"


def unreachable_message(cloud: str, url: str, reason: str, retries: int) -> str:
    return ("cannot reach the %s API endpoint %s (%s, api_retries=%d); check endpoint, region and the network or proxy"
            % (cloud, url, reason, retries))


_PACE_LOCK = threading.Lock()
_PACE_NEXT: dict[t.Hashable, float] = {}
_SLOWER: dict[t.Hashable, float] = {}  # how many times slower than its rate an action is paced, after throttling
# Calls are spaced 10 % wider than the rate: a thread that wakes late must not put two calls in one window of the
# server's limit (at N=2000 evenly spaced calls at exactly the limit were still throttled now and then).
PACE_HEADROOM = 1.1
# After a throttled call the action's pace halves, down to an eighth of its rate; each call that goes through brings
# it back by a tenth. Runs that share an account without knowing of each other (AWX job slices) so settle under its
# limit together.
MOST_SLOWER = 8.0


def pace(key: t.Hashable, rate: float | None) -> None:
    """Wait so that calls with the same ``key`` (a service and action) leave this process at most ``rate`` a second
    (slower after throttling, see :func:`throttled`), evenly spaced: the runs of a batch share one pace per API action
    and stay under its rate limit instead of being throttled and retried. ``rate`` 0 or None: no pacing."""
    if not rate or rate <= 0:
        return
    with _PACE_LOCK:
        now = time.monotonic()
        slot = max(now, _PACE_NEXT.get(key, now))
        _PACE_NEXT[key] = slot + PACE_HEADROOM * _SLOWER.get(key, 1.0) / rate
    if slot > now:
        time.sleep(slot - now)


def throttled(key: t.Hashable) -> None:
    """A call of ``key`` was throttled: pace the action twice as slow (at most :data:`MOST_SLOWER` times)."""
    with _PACE_LOCK:
        _SLOWER[key] = min(MOST_SLOWER, _SLOWER.get(key, 1.0) * 2)


def went_through(key: t.Hashable) -> None:
    """A call of ``key`` went through: back a tenth towards the action's own rate."""
    with _PACE_LOCK:
        slower = _SLOWER.get(key)
        if slower is not None:
            if slower * 0.9 <= 1.0:
                del _SLOWER[key]
            else:
                _SLOWER[key] = slower * 0.9


def backoff(attempt: int, base: float = 0.5, cap: float = 10.0, at_least: float = 0.0) -> float:
    """Seconds to wait before retry number ``attempt`` (0 first): exponential with jitter (between half and all of
    ``base`` * 2 ** attempt, at most ``cap``), never less than ``at_least`` (a wait the server asked for)."""
    delay = min(cap, base * (2 ** attempt))
    return max(at_least, random.uniform(delay / 2.0, delay))


class Shared:
    """Values the runs of one module process compute once: the entries of a batch share one (thread safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[t.Hashable, list[t.Any]] = {}

    def memo(self, key: t.Hashable, compute: t.Callable[[], t.Any]) -> t.Any:
        """``compute()`` once per ``key``; a call that raises is not kept (the next caller tries again)."""
        with self._lock:
            slot = self._slots.setdefault(key, [threading.Lock(), False, None])
        with slot[0]:
            if not slot[1]:
                slot[2] = compute()
                slot[1] = True
            return slot[2]

    def known(self, key: t.Hashable) -> bool:
        """Whether ``memo`` has computed ``key`` already."""
        with self._lock:
            slot = self._slots.get(key)
        return bool(slot and slot[1])


def pages(fetch: Fetch, items: str, total: str = "TotalCount", limit: int = 100, result: str | None = None,
          numbered: bool = False, **params: t.Any) -> t.Iterator[tuple[list[t.Any], int]]:
    """Each page of a listing, as (its items, how many items are left after it).

    ``fetch(Offset=..., Limit=..., **params)`` (or, ``numbered``, ``fetch(PageNumber=..., PageSize=..., **params)``)
    returns a dict whose member ``items`` holds the page and ``total`` the count of every item; ``result`` names the
    member that holds both (TSE's ``Result``). The pages end with an empty page or once ``total`` items came.
    """
    seen = 0
    number = 1
    while True:
        query = dict(PageNumber=number, PageSize=limit) if numbered else dict(Offset=seen, Limit=limit)
        response = fetch(**query, **params)
        container = (response.get(result) or {}) if result else response
        page = container.get(items) or []
        seen += len(page)
        left = max(0, (container.get(total) or 0) - seen) if page else 0
        yield page, left
        if not left:
            return
        number += 1


def paged(fetch: Fetch, items: str, **options: t.Any) -> t.Iterator[t.Any]:
    """Every item of a listing (see :func:`pages`)."""
    for page, dummy in pages(fetch, items, **options):
        yield from page
