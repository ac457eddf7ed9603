# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of M(certops.cloud.host_result): a host's own result, looked up in a table worked out once for the play.

This runs once per host, so it does as little as it can: it reads the named variable from the task's variables and
templates only this host's entry (a few short values). A task that templates the lookup itself (``msg: "{{
table[inventory_hostname] }}"`` with ``changed_when`` and ``failed_when``) compiles three expressions in every host's
worker, which cost more than the rest of the task at a few hundred hosts.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase

from ansible_collections.certops.cloud.plugins.module_utils._action_specs import HOST_RESULT_SPEC


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=HOST_RESULT_SPEC)
        name, host = args["var"], task_vars["inventory_hostname"]
        if name not in task_vars:
            raise AnsibleActionFail("host_result: no variable %s for %s" % (name, host))
        table = task_vars[name]
        if isinstance(table, str):  # a variable defined as a template (vars:, not set_fact)
            table = self._templar.template(table)
        if not isinstance(table, dict) or host not in table:
            raise AnsibleActionFail("host_result: %s has no result for %s" % (name, host))
        entry = self._templar.template(table[host])
        if not isinstance(entry, dict):
            raise AnsibleActionFail("host_result: the result of %s in %s is not a dict" % (host, name))
        result.update(changed=bool(entry.get("changed", False)), msg=to_text(entry.get("msg", "")),
                      _ansible_verbose_always=True)
        if entry.get("diff") and self._task.diff:
            result["diff"] = entry["diff"]
        if entry.get("failed", False):
            result["failed"] = True
        if entry.get("warning"):
            result["warnings"] = [to_text(entry["warning"])]
        return result
