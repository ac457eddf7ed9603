# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""concurrent_runs: what stops the runs before any starts, and how their results make the task's."""

from __future__ import annotations

import threading
import time

from ansible_collections.certops.cloud.plugins.plugin_utils._runs import InOrderLock, combined_result, run_problem

TSE = "certops.cloud.tencentcloud_tse_gateway_certificate"
ESA = "certops.cloud.alicloud_esa_certificate"


def runs(*names):
    return [dict(name=name, module="m", args={}) for name in names]


def test_runs_of_the_collections_modules_with_unique_names_may_start():
    assert run_problem(runs("tse", "esa"), [TSE, ESA]) is None


def test_a_name_twice_an_unknown_module_or_another_collections_module_stops_every_run():
    assert "two runs are named tse" in run_problem(runs("tse", "tse"), [TSE, TSE])
    assert run_problem(runs("x"), [None]) == "run x: no module m"
    assert "ansible.builtin.command is not one of the certops.cloud modules" in run_problem(runs("x"), ["ansible.builtin.command"])
    assert "not one of" in run_problem(runs("x"), ["certops.cloud.concurrent_runs"])  # not itself


def test_results_by_name_changed_when_any_changed_and_diffs_in_order():
    outcomes = [dict(changed=False, diff={"before": "a"}), dict(changed=True, diff=[{"before": "b"}, {"before": "c"}])]
    result = combined_result(runs("tse", "esa"), outcomes)
    assert result["changed"] is True and "failed" not in result
    assert [diff["before"] for diff in result["diff"]] == ["a", "b", "c"]
    assert result["results"]["esa"]["changed"] is True


def test_a_failed_run_fails_the_task_naming_it_and_warnings_are_lifted_once():
    outcomes = [dict(changed=False, warnings=["slow"]), dict(failed=True, msg="AuthFailure", changed=False)]
    result = combined_result(runs("tse", "esa"), outcomes)
    assert result["failed"] is True and result["msg"] == "esa: AuthFailure"
    assert result["warnings"] == ["tse: slow"] and "warnings" not in result["results"]["tse"]


def test_the_lock_goes_to_the_first_waiting_run_in_the_runs_order():
    lock, got = InOrderLock(), []
    lock.acquire(3)  # run 3 holds it (packing); runs 2, 0 and 1 come to wait

    def take(place):
        lock.acquire(place)
        got.append(place)
        lock.release()

    threads = [threading.Thread(target=take, args=(place,)) for place in (2, 0, 1)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(lock._waiting) < 3 and time.monotonic() < deadline:  # all three wait
        time.sleep(0.01)
    assert got == []
    lock.release()
    for thread in threads:
        thread.join(5)
    assert got == [0, 1, 2]
