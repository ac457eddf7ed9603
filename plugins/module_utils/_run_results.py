# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE: this module util is internal to certops.cloud and may change without notice.

"""The options of M(certops.cloud.host_result) and M(certops.cloud.report_file), shared by each action plugin and
its module documentation."""

from __future__ import annotations

HOST_RESULT_SPEC = dict(var=dict(type="str", required=True))

REPORT_FILE_SPEC = dict(
    path=dict(type="path", required=True),
    content=dict(type="raw", required=True),
    mode=dict(type="str", default="0640"),
)
