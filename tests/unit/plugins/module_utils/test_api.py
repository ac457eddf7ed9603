# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API layer's pacing: an action throttled by a limit it shares with other runs slows down, then recovers."""

from __future__ import annotations

from ansible_collections.certops.cloud.plugins.module_utils import _api


def spacing(monkeypatch, key, rate=10):
    """The seconds between two paced calls of ``key``, measured on a fake clock."""
    now = [100.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    monkeypatch.setattr("time.sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))
    _api.pace(key, rate)
    first = now[0]
    _api.pace(key, rate)
    return round(now[0] - first, 6)


def test_a_throttled_action_is_paced_slower_and_recovers_as_calls_go_through(monkeypatch):
    key = ("test", "svc", "Slow")
    assert spacing(monkeypatch, key) == 0.11  # 10 a second, 10 % headroom
    _api.throttled(key)
    _api.throttled(key)
    assert spacing(monkeypatch, key) == 0.44
    for dummy in range(20):
        _api.throttled(key)
    assert spacing(monkeypatch, key) == 0.88  # at most 8 times slower
    for dummy in range(30):
        _api.went_through(key)
    assert spacing(monkeypatch, key) == 0.11


def test_backoff_has_jitter_grows_is_capped_and_honours_the_servers_wait():
    waits = [_api.backoff(attempt) for attempt in range(8) for dummy in range(50)]
    assert all(0.25 <= wait <= 10 for wait in waits) and len(set(waits)) > 100
    assert all(5 <= _api.backoff(6) <= 10 for dummy in range(20))
    assert _api.backoff(0, at_least=3.0) == 3.0
