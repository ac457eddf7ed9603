#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: report_file
short_description: Write a run's report as a file on the controller (JSON, or text such as Prometheus metrics)
version_added: 0.1.0
description:
  - Writes O(content) as indented JSON (keys sorted), or as it is with O(format=text), to O(path) on the
    controller, replacing the file atomically (a temporary file in the same directory, then a rename), so a run cut
    off never leaves half a report, and a reader (the node_exporter textfile collector) never sees half a file.
  - The C(certops.cloud.rotate) role writes its report (C(rotate_report_file)) with it, and the C(certops.cloud.audit)
    role its report and its metrics (C(audit_metrics_file)), once for the play.
  - This is an action plugin; it runs on the controller and starts no module, whatever the task's host (a
    C(ansible.builtin.copy) delegated to localhost starts two).
seealso:
  - module: ansible.builtin.copy
    description: Writes a file too, but delegated to localhost it starts two modules.
  - module: certops.cloud.host_result
    description: Gives each host its own result in the play recap.
author:
  - certops.cloud contributors (@certops)
options:
  path:
    description:
      - The file on the controller. Its directory must exist.
    type: path
    required: true
  content:
    description:
      - What to write, any data that JSON can hold (a list of report rows, a dict); a string with O(format=text).
    type: raw
    required: true
  format:
    description:
      - V(json) writes O(content) as JSON; V(text) writes the string O(content) as it is.
    type: str
    choices: [json, text]
    default: json
  mode:
    description:
      - The file's permissions, as an octal string.
    type: str
    default: "0640"
extends_documentation_fragment:
  - certops.cloud.attributes
attributes:
  check_mode:
    support: full
    details:
      - Says whether the file would change and writes nothing.
  diff_mode:
    support: none
  idempotent:
    support: full
    details:
      - Unchanged when the file already holds the same bytes.
"""

EXAMPLES = r"""
- name: Keep the report of the run
  certops.cloud.report_file:
    path: /var/log/certops/rotate-report.json
    content: "{{ report }}"
  run_once: true
"""

RETURN = r"""
path:
  description: The absolute path written.
  returned: always
  type: str
  sample: /var/log/certops/rotate-report.json
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.certops.cloud.plugins.module_utils._action_specs import REPORT_FILE_SPEC


def main():
    module = AnsibleModule(argument_spec=REPORT_FILE_SPEC, supports_check_mode=True)
    module.fail_json(msg="certops.cloud.report_file is an action plugin: it runs on the controller, not as a module")


if __name__ == "__main__":
    main()
