# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rotate role's wait for its asynchronous bind jobs."""

from __future__ import annotations

from ansible_collections.certops.cloud.plugins.test.rotate import rotate_job_done


def test_a_finished_job_is_done_and_a_running_one_is_not():
    assert rotate_job_done({"finished": 1, "changed": True, "attempts": 3})
    assert rotate_job_done({"finished": 1, "failed": True, "msg": "2 of 5 endpoints failed"})
    assert not rotate_job_done({"finished": 0, "started": 1, "attempts": 2})


def test_a_job_file_late_to_appear_is_waited_for_a_while():
    late = {"finished": 1, "failed": True, "msg": "could not find job", "attempts": 1}
    assert not rotate_job_done(late)
    assert rotate_job_done(dict(late, attempts=60))  # then it is an answer: the job never started
