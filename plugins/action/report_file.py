# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of M(certops.cloud.report_file): a run's report as a file on the controller (JSON, or text as given).

Written by the action itself, on the controller, with no module run (C(ansible.builtin.copy) with C(delegate_to:
localhost) runs two modules, stat and copy, each packed and started as its own process). The file is replaced
atomically (a temporary file in the same directory, then a rename), so a run cut off never leaves half a report.
"""

from __future__ import annotations

import json
import os
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.plugins.action import ActionBase

from ansible_collections.certops.cloud.plugins.module_utils._action_specs import REPORT_FILE_SPEC


def report_bytes(content, form="json"):
    """The file's bytes: the content as indented JSON (keys sorted), ending with a newline; or, as text, the string
    itself."""
    if form == "text":
        if not isinstance(content, str):
            raise AnsibleActionFail("report_file: format text needs content to be a string, not %s" % type(content).__name__)
        return to_bytes(content)
    return to_bytes(json.dumps(content, indent=4, sort_keys=True, default=to_text) + "\n")


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(argument_spec=REPORT_FILE_SPEC)
        path = os.path.abspath(os.path.expanduser(args["path"]))
        try:
            mode = int(args["mode"], 8)
        except ValueError:
            raise AnsibleActionFail("report_file: mode %s is not an octal file mode (like 0640)" % args["mode"])
        data = report_bytes(args["content"], args["format"])
        directory = os.path.dirname(path)
        if not os.path.isdir(directory):
            raise AnsibleActionFail("report_file: cannot write %s: the directory %s does not exist" % (path, directory))
        try:
            with open(path, "rb") as handle:
                current = handle.read()
        except OSError:
            current = None
        changed = current != data
        result.update(changed=changed, path=path)
        if changed and not self._task.check_mode:
            try:
                handle, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % os.path.basename(path))
                try:
                    os.fchmod(handle, mode)
                    os.write(handle, data)
                finally:
                    os.close(handle)
                os.replace(temporary, path)
            except OSError as exc:
                raise AnsibleActionFail("report_file: cannot write %s: %s" % (path, exc))
        return result
