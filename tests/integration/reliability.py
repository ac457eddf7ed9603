# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Figures of the reliability suite.

A test calls :func:`record` once its assertions hold; every record is one JSON
line under ``build/reliability/`` (one file per pytest worker).
``hack/reliability_report.py`` turns them into the tables of
``docs/reliability.md`` and checks that the document matches the suite.

Sections and their fields:

``input``    case, target, input, message (the expected text), api_calls, writes
``fault``    case, fault, expected, outcome, calls (API calls seen), injected (fault hits), writes
``secrets``  run (what ran), bytes (output scanned), found
``check``    target, changed, writes
``concurrency`` case, runs, uploads, outcome
"""

from __future__ import annotations

import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]


def directory():
    return pathlib.Path(os.environ.get("CERTOPS_RELIABILITY_DIR") or ROOT / "build" / "reliability")


def record(section, case, **fields):
    """Append one measured row of ``section``."""
    path = directory()
    path.mkdir(parents=True, exist_ok=True)
    line = json.dumps(dict(section=section, case=case, **fields), sort_keys=True, default=str)
    with open(path / ("worker-%d.jsonl" % os.getpid()), "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
