# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE: this module util is internal to certops.cloud and may change without notice.

"""The options of M(certops.cloud.concurrent_runs), M(certops.cloud.host_result) and M(certops.cloud.report_file),
shared by each action plugin and its module documentation (a module may import module utils only)."""

from __future__ import annotations

CONCURRENT_RUNS_SPEC = dict(
    runs=dict(type="list", elements="dict", required=True, options=dict(
        name=dict(type="str", required=True),
        module=dict(type="str", required=True),
        args=dict(type="dict", default={}),
    )),
    concurrency=dict(type="int", default=5),
)

HOST_RESULT_SPEC = dict(var=dict(type="str", required=True))

REPORT_FILE_SPEC = dict(
    path=dict(type="path", required=True),
    content=dict(type="raw", required=True),
    mode=dict(type="str", default="0640"),
    format=dict(type="str", choices=["json", "text"], default="json"),
)
