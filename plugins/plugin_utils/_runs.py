# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE: internal to certops.cloud and may change without notice.

"""M(certops.cloud.concurrent_runs) on the controller: the check of its runs before any starts, the lock its runs
take turns with, and its result."""

from __future__ import annotations

import threading
import typing as t

COLLECTION = "certops.cloud."
SELF = COLLECTION + "concurrent_runs"


def run_problem(runs: list[dict[str, t.Any]], resolved: list[str | None]) -> str | None:
    """Why ``runs`` cannot start (``resolved``: each run's module as a FQCN, or None when not found), else None.

    Every name is unique and every module one of this collection's (not this one): nothing starts otherwise.
    """
    seen = set()
    for run, fqcn in zip(runs, resolved):
        if run["name"] in seen:
            return "two runs are named %s: each run needs its own name (the key of its result)" % run["name"]
        seen.add(run["name"])
        if fqcn is None:
            return "run %s: no module %s" % (run["name"], run["module"])
        if not fqcn.startswith(COLLECTION) or fqcn == SELF:
            return "run %s: %s is not one of the certops.cloud modules it can run" % (run["name"], fqcn)
    return None


def _as_list(value: t.Any) -> list[t.Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def combined_result(runs: list[dict[str, t.Any]], outcomes: list[dict[str, t.Any]]) -> dict[str, t.Any]:
    """The task's result from each run's module result, in the order of ``runs``.

    C(results) maps each run's name to its module's result (its warnings and deprecations lifted to the task, so
    Ansible shows them once); C(changed) when any run changed; C(failed) when any run failed, with a message naming
    each one; C(diff) every run's diff, in order.
    """
    results: dict[str, dict[str, t.Any]] = {}
    diffs: list[t.Any] = []
    warnings: list[t.Any] = []
    deprecations: list[t.Any] = []
    failures: list[str] = []
    for run, outcome in zip(runs, outcomes):
        outcome = dict(outcome)
        warnings.extend("%s: %s" % (run["name"], warning) if isinstance(warning, str) else warning
                        for warning in _as_list(outcome.pop("warnings", None)))
        deprecations.extend(_as_list(outcome.pop("deprecations", None)))
        diffs.extend(_as_list(outcome.get("diff")))
        if outcome.get("failed"):
            failures.append("%s: %s" % (run["name"], outcome.get("msg") or "failed"))
        results[run["name"]] = outcome
    result = dict(results=results, changed=any(outcome.get("changed") for outcome in results.values()))
    if diffs:
        result["diff"] = diffs
    if warnings:
        result["warnings"] = warnings
    if deprecations:
        result["deprecations"] = deprecations
    if failures:
        result.update(failed=True, msg="; ".join(failures))
    return result


class InOrderLock:
    """A lock that goes to the waiting run that comes first in the runs' order."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._held = False
        self._waiting: list[int] = []  # the places (in the runs' order) of the runs waiting for the lock

    def acquire(self, place: int) -> None:
        with self._turn:
            self._waiting.append(place)
            while self._held or min(self._waiting) != place:
                self._turn.wait()
            self._waiting.remove(place)
            self._held = True

    def release(self) -> None:
        with self._turn:
            self._held = False
            self._turn.notify_all()
