# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What loading the filter plugins costs: Ansible loads them afresh (compiled from source) in the worker process of
every task that uses one of them, so they import no X.509 parser, no API client and no discovery code."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

from ansible_collections.certops.cloud.plugins.filter import rotate

# The tree conftest.py lays out for this source (<tree>/ansible_collections/certops/cloud/plugins/filter/rotate.py).
TREE = pathlib.Path(rotate.__file__).parents[5]
HEAVY = ("cryptography.x509", "tencentcloud", "alibabacloud", "Tea", "requests")
OURS = ("._certificate", "._discovery", "._api", "._module", "._store")


def test_the_filter_plugins_import_only_light_modules():
    code = "\n".join([
        "import json, sys",
        "sys.path.insert(0, %r)" % str(TREE),
        "import ansible_collections.certops.cloud.plugins.filter.audit",
        "import ansible_collections.certops.cloud.plugins.filter.rotate",
        "print(json.dumps(sorted(sys.modules)))",
    ])
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    assert [name for name in loaded if name.startswith(HEAVY) or name.endswith(OURS)] == []
    assert "ansible_collections.certops.cloud.plugins.module_utils._summary" in loaded
