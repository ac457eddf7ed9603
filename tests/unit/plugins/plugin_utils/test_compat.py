# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""_compat: each ansible-core name it uses that is not public still exists, takes what it is given, and does what
_compat relies on. A failure names the ansible-core name that changed.

The behaviour is seen in one real ansible-playbook run (local connection) of a probe action plugin built on
_compat: ansible-core's play loading fills the action groups from this collection's meta/runtime.yml, and its
ActionBase makes the temporary directory, packs and runs the module.
"""

from __future__ import annotations

import inspect
import json
import os
import pathlib
import subprocess
import sys

import pytest

from ansible.executor import module_common
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import shell_loader

from ansible_collections.certops.cloud.plugins.plugin_utils import _compat

ROOT = pathlib.Path(__file__).resolve().parents[4]
BIN = pathlib.Path(sys.executable).parent
SSL_INFO = "certops.cloud.tencentcloud_ssl_certificate_info"
TSE_INFO = "certops.cloud.tencentcloud_tse_gateway_certificate_info"
ESA_INFO = "certops.cloud.alicloud_esa_certificate_info"

PROBE = '''
import json

from ansible_collections.certops.cloud.plugins.plugin_utils._compat import (
    CommandHookAction, module_args_with_defaults, set_shell_tmpdir, shell_tmpdir)


class ActionModule(CommandHookAction):
    _requires_connection = True

    def remote_command(self, cmd, execute):
        outcome = execute()
        self.commands.append(dict(cmd=cmd, stdout=outcome.get("stdout", "")))
        return outcome

    def run(self, tmp=None, task_vars=None):
        self.commands = []
        result = super().run(tmp, task_vars)
        found = dict(before=shell_tmpdir(self))
        made = self._make_tmp_path()
        found.update(made=made, after_make=shell_tmpdir(self))
        own = self._make_tmp_path()
        set_shell_tmpdir(self, own)
        found.update(own=own, after_set=shell_tmpdir(self), made_commands=len(self.commands))
        found["ping"] = self._execute_module(module_name="ansible.builtin.ping", module_args={}, task_vars=task_vars)
        found["commands"] = self.commands[found["made_commands"]:]
        for path in (made, own):
            self._remove_tmp_path(path, force=True)
        found["defaults"] = dict((name, module_args_with_defaults(self, name, args))
                                 for name, args in self._task.args["modules"].items())
        with open(self._task.args["out"], "w") as handle:
            json.dump(found, handle)
        return result
'''


def changed(name, what):
    return "ansible-core changed %s: %s (see plugins/plugin_utils/_compat.py)" % (name, what)


def parameters(function):
    return list(inspect.signature(function).parameters)


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    """What the probe action saw in one ansible-playbook run."""
    base = tmp_path_factory.mktemp("compat")
    collections = base / "collections" / "ansible_collections" / "certops"
    collections.mkdir(parents=True)
    os.symlink(ROOT, collections / "cloud")
    (base / "action_plugins").mkdir()
    (base / "action_plugins" / "compat_probe.py").write_text(PROBE)
    out = base / "found.json"
    play = dict(
        hosts="localhost", gather_facts=False, connection="local",
        vars=dict(probe_secret="templated"),
        module_defaults={
            "group/certops.cloud.tencentcloud": {"region": "ap-group", "secret_id": "{{ probe_secret }}", "endpoint": "group"},
            "group/certops.cloud.all": {"api_retries": 7},
            SSL_INFO: {"region": "ap-own"},
        },
        tasks=[{"compat_probe": {"out": str(out), "modules": {
            SSL_INFO: {"search_key": "x", "endpoint": "explicit"},
            TSE_INFO: {},
            ESA_INFO: {"site_id": 1},
        }}}],
    )
    (base / "play.yml").write_text(json.dumps([play]))
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env.update(ANSIBLE_COLLECTIONS_PATH=str(base / "collections"), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_PIPELINING="false", ANSIBLE_HOME=str(base / "home"), ANSIBLE_LOCAL_TEMP=str(base / "local"),
               ANSIBLE_REMOTE_TMP=str(base / "remote"), ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0")
    proc = subprocess.run([sys.executable, str(BIN / "ansible-playbook"), "-i", "localhost,", str(base / "play.yml")],
                          cwd=base, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and out.exists(), "the compat probe playbook failed:\n%s\n%s" % (proc.stdout, proc.stderr)
    found = json.loads(out.read_text())
    found["remote"] = str(base / "remote")
    return found


def test_a_module_defaults_helper_exists_and_takes_what_compat_gives_it():
    public = getattr(module_common, "get_action_args_with_defaults", None)
    private = getattr(module_common, "_apply_action_arg_defaults", None)
    assert public or private, changed("ansible.executor.module_common", "neither get_action_args_with_defaults (2.16 to 2.18)"
                                      " nor _apply_action_arg_defaults (2.19) exists")
    if public is not None:
        assert _compat._GET_ACTION_ARGS_WITH_DEFAULTS is public  # the public one first, wherever it exists
        assert parameters(public)[:4] == ["action", "args", "defaults", "templar"] and "action_groups" in parameters(public), \
            changed("ansible.executor.module_common.get_action_args_with_defaults", parameters(public))
    else:
        assert _compat._APPLY_ACTION_ARG_DEFAULTS is private
        assert parameters(private) == ["action", "task", "action_args", "templar"], \
            changed("ansible.executor.module_common._apply_action_arg_defaults", parameters(private))


def test_the_plays_module_defaults_and_action_groups_complete_a_runs_args(probe):
    name = ("ansible.executor.module_common.get_action_args_with_defaults with Task._parent._play._action_groups"
            if _compat._GET_ACTION_ARGS_WITH_DEFAULTS is not None else "ansible.executor.module_common._apply_action_arg_defaults")
    assert probe["defaults"] == {
        # the module's own entry over its group's, the group's templated, the run's own args over both
        SSL_INFO: {"search_key": "x", "endpoint": "explicit", "region": "ap-own", "secret_id": "templated", "api_retries": 7},
        TSE_INFO: {"endpoint": "group", "region": "ap-group", "secret_id": "templated", "api_retries": 7},
        ESA_INFO: {"site_id": 1, "api_retries": 7},  # not in group/certops.cloud.tencentcloud, in group/certops.cloud.all
    }, changed(name, "module_defaults are not applied as before: %s" % probe["defaults"])


def test_low_level_execute_command_takes_the_command_first():
    assert parameters(ActionBase._low_level_execute_command)[:4] == ["self", "cmd", "sudoable", "in_data"], \
        changed("ansible.plugins.action.ActionBase._low_level_execute_command", parameters(ActionBase._low_level_execute_command))


def test_execute_module_runs_the_module_through_low_level_execute_command(probe):
    name = "ansible.plugins.action.ActionBase._execute_module"
    assert probe["ping"].get("ping") == "pong", changed(name, "the module did not run: %s" % probe["ping"])
    assert probe["made_commands"] >= 2, changed("ansible.plugins.action.ActionBase._make_tmp_path",
                                                "it no longer makes the directory through _low_level_execute_command")
    assert probe["commands"], changed(name, "no command went through _low_level_execute_command")
    last = probe["commands"][-1]
    assert "AnsiballZ_ping" in last["cmd"] and '"pong"' in last["stdout"], \
        changed(name, "the module's own run did not go through _low_level_execute_command: %s" % probe["commands"])


def test_the_shell_has_a_tmpdir_that_make_tmp_path_sets_and_execute_module_uses(probe):
    assert shell_loader.get("sh").tmpdir is None, changed("ansible.plugins.shell.ShellBase.tmpdir", "no tmpdir attribute, or not None")
    assert probe["before"] is None, changed("ActionBase._connection._shell.tmpdir", "set before the action makes one: %s" % probe["before"])
    assert probe["made"].startswith(probe["remote"]) and probe["after_make"] == probe["made"], \
        changed("ansible.plugins.action.ActionBase._make_tmp_path", "it no longer sets _connection._shell.tmpdir: %s" % probe)
    assert probe["after_set"] == probe["own"] != probe["made"]
    assert probe["own"].rstrip("/") + "/AnsiballZ_ping" in probe["commands"][-1]["cmd"], \
        changed("ansible.plugins.action.ActionBase._execute_module",
                "it no longer puts the module in _connection._shell.tmpdir: %s" % probe["commands"])
