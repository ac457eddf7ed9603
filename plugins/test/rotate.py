# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tests of the certops.cloud.rotate role (documented in the ``<test>.yml`` files beside this one)."""

from __future__ import annotations

# async_wrapper gives a job 2.5 s to write its job file before it says the job started; on a loaded machine the
# file may come later, and async_status then answers this (finished) until it exists.
NOT_FOUND = "could not find job"
# Polls (half a second apart) a job may take to appear before "could not find job" is taken for an answer.
START_POLLS = 60


def rotate_job_done(result):
    """Whether an ``async_status`` result (of a retried task, with C(attempts)) is the job's end: finished, and not a
    job file that is merely late to appear."""
    result = result if isinstance(result, dict) else {}
    if result.get("msg") == NOT_FOUND and int(result.get("attempts") or 1) < START_POLLS:
        return False
    return bool(result.get("finished", True))


class TestModule:
    """The rotate role's tests."""

    def tests(self):
        return dict(rotate_job_done=rotate_job_done)
