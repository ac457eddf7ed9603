# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the integration tests (defined in harness.py)."""

from __future__ import annotations

from harness import ansible_bin, certs, collections_path, playbook, sandbox, sandbox_server  # noqa: F401 pylint: disable=unused-import


def pytest_collection_modifyitems(items):
    """The tests marked slow go first: the xdist workers then end on short tests, not one worker on a long one."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
