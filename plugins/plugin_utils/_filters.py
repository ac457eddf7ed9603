# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE: internal to certops.cloud and may change without notice.

"""What the roles' filter plugins share: checking what a task registered, and a report as aligned lines."""

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError


def as_dict(value: t.Any, what: str) -> dict[str, t.Any]:
    """``value`` as a dict (None as an empty one); anything else fails naming ``what``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AnsibleFilterError("%s must be a dict, not %s" % (what, type(value).__name__))
    return value


def aligned_lines(table: list[tuple[t.Any, ...]]) -> list[str]:
    """Rows of a table (a header first) as lines whose columns line up; the last column (a message) is not padded."""
    widths = [max(len(str(line[column])) for line in table) for column in range(len(table[0]) - 1)]
    return [("  ".join(str(value).ljust(width) for value, width in zip(line, widths)) + "  " + str(line[-1])).rstrip() for line in table]
