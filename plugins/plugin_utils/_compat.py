# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# PRIVATE: internal to certops.cloud and may change without notice.

"""The one place in certops.cloud that uses ansible-core names that are not public (ansible-core 2.16 to 2.19).

An action plugin is written against ``ActionBase`` and its own members (``_execute_module``, ``_make_tmp_path``,
``_remove_tmp_path``, ``_task``, ``_templar``), as ansible-core's own action plugins are. What this module wraps
goes further, into names ansible-core keeps to itself and may change in any release:

- the play's C(module_defaults) for a module other than the task's: ``get_action_args_with_defaults`` with the
  play's ``_action_groups`` where ansible-core has it (up to 2.18), else ``_apply_action_arg_defaults`` (2.19);
- every command an action runs on the host: ``ActionBase._low_level_execute_command``;
- the remote temporary directory of the next module run: the connection's ``_shell.tmpdir``.

Each use has a test in tests/unit/plugins/plugin_utils/test_compat.py that names the ansible-core name when it
changes; tests/unit/test_layout.py keeps every other file of plugins/ off them.
"""

from __future__ import annotations

import functools
import typing as t

from ansible.errors import AnsibleActionFail
from ansible.executor import module_common
from ansible.plugins.action import ActionBase

# What this ansible-core has, looked up rather than told by its version: the public helper (2.16 to 2.18) first.
_GET_ACTION_ARGS_WITH_DEFAULTS = getattr(module_common, "get_action_args_with_defaults", None)
_APPLY_ACTION_ARG_DEFAULTS = getattr(module_common, "_apply_action_arg_defaults", None)


def module_args_with_defaults(action: ActionBase, module_fqcn: str, args: dict[str, t.Any]) -> dict[str, t.Any]:
    """``args`` of a run of ``module_fqcn`` started by ``action``, completed from the play's C(module_defaults).

    As for a task of that module: its action groups' entries (C(group/...)), then its own entry, templated;
    ``args`` win over both. ``module_fqcn`` is the module's resolved FQCN.
    """
    task = action._task
    if _GET_ACTION_ARGS_WITH_DEFAULTS is not None:
        return _GET_ACTION_ARGS_WITH_DEFAULTS(module_fqcn, args, task.module_defaults, action._templar,
                                              action_groups=task._parent._play._action_groups)
    if _APPLY_ACTION_ARG_DEFAULTS is not None:
        return _APPLY_ACTION_ARG_DEFAULTS(module_fqcn, task, args, action._templar)
    raise AnsibleActionFail("this ansible-core has neither ansible.executor.module_common.get_action_args_with_defaults"
                            " nor _apply_action_arg_defaults: certops.cloud cannot apply module_defaults to %s" % module_fqcn)


class CommandHookAction(ActionBase):
    """An action plugin whose commands on the host all go through :meth:`remote_command`.

    ansible-core runs each of them through ``ActionBase._low_level_execute_command``: the module's own run
    (``_execute_module``), and the steps around it (making the temporary directory, its mode, its removal).
    """

    def remote_command(self, cmd: str, execute: t.Callable[[], dict[str, t.Any]]) -> dict[str, t.Any]:
        """Run ``cmd`` on the host by calling ``execute()`` and return its result; override to act around it."""
        del cmd
        return execute()

    def _low_level_execute_command(self, cmd: str, *args: t.Any, **kwargs: t.Any) -> dict[str, t.Any]:
        return self.remote_command(cmd, functools.partial(super()._low_level_execute_command, cmd, *args, **kwargs))


def shell_tmpdir(action: ActionBase) -> str | None:
    """The remote temporary directory ``action``'s next module run uses (None: it makes one when it needs it)."""
    return action._connection._shell.tmpdir


def set_shell_tmpdir(action: ActionBase, tmpdir: str | None) -> None:
    """Make ``tmpdir`` the remote temporary directory of ``action``'s next module run (None: none yet)."""
    action._connection._shell.tmpdir = tmpdir
