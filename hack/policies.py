#!/usr/bin/env python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write (--write) or check (--check, the default) the least-privilege policies of docs/policies/, generated from the
API actions the provider registry (plugins/module_utils/_providers.py) declares for each flow."""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
POLICIES = ROOT / "docs" / "policies"
FILES = [(cloud, job) for cloud in ("tencentcloud", "alicloud") for job in ("rotate", "audit")]


def registry():
    """The provider registry, loaded from its file (pure data: it imports nothing of the collection)."""
    spec = importlib.util.spec_from_file_location("certops_providers", ROOT / "plugins" / "module_utils" / "_providers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def documents():
    """{path: text} of the four policy documents."""
    providers = registry()
    return {POLICIES / ("%s-%s.json" % (cloud, job)): json.dumps(providers.policy_document(cloud, job), indent=2) + "\n"
            for cloud, job in FILES}


def main(argv):
    write = "--write" in argv
    stale = []
    for path, text in documents().items():
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path.relative_to(ROOT)))
    if stale:
        print("policies: %s differ from the provider registry; run hack/policies.py --write" % ", ".join(stale))
        return 1
    print("policies: docs/policies/ %s the provider registry" % ("written from" if write else "matches"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
