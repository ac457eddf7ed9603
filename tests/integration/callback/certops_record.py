# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only callback: append every task result as one JSON line to $CERTOPS_RECORD_FILE."""

from __future__ import annotations

DOCUMENTATION = r"""
name: certops_record
type: aggregate
short_description: Record task results as JSON lines (integration tests only)
description:
  - Appends one JSON object per task result to the file named by E(CERTOPS_RECORD_FILE).
requirements:
  - enabled in the integration tests through E(ANSIBLE_CALLBACKS_ENABLED)
"""

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "certops_record"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, status, result):
        path = os.environ.get("CERTOPS_RECORD_FILE")
        if not path:
            return
        entry = dict(status=status, task=result.task_name, host=result._host.get_name(),
                     action=result._task.action, result=result._result)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._record("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record("failed", result)

    def v2_runner_on_skipped(self, result):
        self._record("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._record("unreachable", result)
