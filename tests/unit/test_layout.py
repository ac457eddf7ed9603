# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's layout: only plugins/plugin_utils/_compat.py uses ansible-core names that are not public."""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
PLUGINS = ROOT / "plugins"
COMPAT = PLUGINS / "plugin_utils" / "_compat.py"
# The ansible-core members _compat wraps: nothing else reads, writes or overrides them.
WRAPPED = {"_shell", "_action_groups", "_low_level_execute_command", "_apply_action_arg_defaults"}


def _private(dotted):
    return any(part.startswith("_") for part in dotted.split("."))


def private_uses(path):
    """(line, what) for each private ansible-core import in ``path``, and each use of a member _compat wraps."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and (node.module == "ansible" or node.module.startswith("ansible.")):
            if _private(node.module):
                found.append((node.lineno, "from %s import" % node.module))
            found.extend((node.lineno, "from %s import %s" % (node.module, alias.name)) for alias in node.names
                         if alias.name.startswith("_"))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, "import %s" % alias.name) for alias in node.names
                         if (alias.name == "ansible" or alias.name.startswith("ansible.")) and _private(alias.name))
        elif isinstance(node, ast.Attribute) and node.attr in WRAPPED:
            found.append((node.lineno, "." + node.attr))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in WRAPPED:
            found.append((node.lineno, "def %s" % node.name))
    return found


def test_no_private_ansible_core_name_outside_the_compat_module():
    files = sorted(PLUGINS.rglob("*.py"))
    assert COMPAT in files
    problems = ["%s:%d: %s" % (path.relative_to(ROOT), line, what)
                for path in files if path != COMPAT for line, what in private_uses(path)]
    assert problems == [], "private ansible-core names belong in plugins/plugin_utils/_compat.py only:\n" + "\n".join(problems)


def test_the_check_sees_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import ansible._internal._templating\n"
                      "from ansible._internal import foo\n"
                      "from ansible.executor.module_common import _apply_action_arg_defaults, get_action_args_with_defaults\n"
                      "from ansible.plugins.action import ActionBase\n"
                      "from ansible_collections.certops.cloud.plugins.module_utils._common import x\n"
                      "tmp = self._connection._shell.tmpdir\n")
    assert [what for dummy, what in private_uses(sample)] == [
        "import ansible._internal._templating", "from ansible._internal import",
        "from ansible.executor.module_common import _apply_action_arg_defaults", "._shell"]
