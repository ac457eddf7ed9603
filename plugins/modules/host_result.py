#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: host_result
short_description: Give each host the result a run_once task worked out for it
version_added: 0.1.0
description:
  - Ends a host's part of a run with its own result - changed, ok or failed, and a message - taken from a table that
    a task run once for the play built, keyed by inventory host name. The play recap (and an AWX job's host
    summary) then shows every host with its own result although the work ran once.
  - Reads the variable named by O(var) and templates only this host's entry, so the task that runs once per host
    stays cheap; a C(ansible.builtin.debug) task that looks the result up with C(changed_when) and C(failed_when)
    costs about half as much again per host.
  - The C(certops.cloud.rotate) role gives every endpoint its result with it.
  - This is an action plugin; it runs on the controller and starts nothing on the host.
seealso:
  - module: ansible.builtin.debug
    description: With C(changed_when) and C(failed_when), the same per host result, at a higher cost per host.
  - module: certops.cloud.report_file
    description: Keeps the same results as a file, once for the play.
author:
  - certops.cloud contributors (@certops)
options:
  var:
    description:
      - The name of a variable (not its value) that holds a dict keyed by inventory host name. Each host's entry is
        a dict with C(changed) (bool, default V(false)), C(failed) (bool, default V(false)), C(msg) (the line
        shown for the host) and, optionally, C(diff) (the host's own diff, shown with C(--diff)) and C(warning) (a
        warning shown for the host, such as a certificate about to expire).
      - The task fails when the variable is not defined or has no entry for the host.
    type: str
    required: true
extends_documentation_fragment:
  - certops.cloud.attributes
attributes:
  check_mode:
    support: full
    details:
      - Reports the entry's result in check mode too (what the run would do).
  diff_mode:
    support: full
    details:
      - Returns the entry's C(diff) as the host's diff.
  idempotent:
    support: N/A
    details:
      - Changes nothing; it reports the result of the work before it.
"""

EXAMPLES = r"""
- name: Work out every endpoint's result, once for the play
  ansible.builtin.set_fact:
    outcomes: >-
      {{ {'web-1': {'changed': true, 'msg': 'web-1: changed'},
          'web-2': {'failed': true, 'msg': 'web-2: failed: the certificate is not served'}} }}
  run_once: true

- name: Give each endpoint its result
  certops.cloud.host_result:
    var: outcomes
"""

RETURN = r"""
msg:
  description: The host's message (its entry's C(msg)).
  returned: always
  type: str
  sample: "web-1: changed"
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.certops.cloud.plugins.module_utils._action_specs import HOST_RESULT_SPEC


def main():
    module = AnsibleModule(argument_spec=HOST_RESULT_SPEC, supports_check_mode=True)
    module.fail_json(msg="certops.cloud.host_result is an action plugin: it runs on the controller, not as a module")


if __name__ == "__main__":
    main()
