#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: concurrent_runs
short_description: Run several certops.cloud modules at the same time in one task
version_added: 0.1.0
description:
  - Runs each of O(runs) as an ordinary module run of that module on the task's host, several at a time, and returns
    every run's result under its name. The providers' APIs have separate rate limits, so binding TSE, GAAP, EdgeOne,
    CLB and ESA endpoints at the same time takes about as long as the slowest of them, in one task.
  - Each run keeps everything of its module - options and their validation, check mode, diff, no_log - and the
    play's C(module_defaults) for that module (for example C(group/certops.cloud.tencentcloud)) apply to it.
  - Only this collection's modules can be run. Nothing starts when a run names an unknown module or two runs share
    a name.
  - The C(certops.cloud.rotate) role binds its endpoints with it, one run per provider.
  - This is an action plugin; it runs on the controller and starts the module runs on the task's host.
seealso:
  - name: Module defaults
    link: https://docs.ansible.com/ansible/latest/playbook_guide/playbooks_module_defaults.html
    description: How C(module_defaults) (and the groups C(group/certops.cloud.tencentcloud), C(group/certops.cloud.alicloud))
      set options for a whole play - they apply to each run.
author:
  - certops.cloud contributors (@certops)
options:
  runs:
    description:
      - The module runs, each with a unique O(runs[].name).
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description:
          - The key of this run's result in RV(results).
        type: str
        required: true
      module:
        description:
          - A module of this collection, for example C(certops.cloud.tencentcloud_tse_gateway_certificate).
        type: str
        required: true
      args:
        description:
          - The module's options. Options set to C(null) are left out, as if not given.
        type: dict
        default: {}
  concurrency:
    description:
      - How many runs go at the same time; C(1) runs them one after another, in order.
    type: int
    default: 5
extends_documentation_fragment:
  - certops.cloud.attributes
  - certops.cloud.attributes.full
attributes:
  check_mode:
    details:
      - Each run is in check mode when the task is.
  diff_mode:
    details:
      - Returns every run's diff, in the order of O(runs).
  idempotent:
    details:
      - As idempotent as the modules it runs.
"""

EXAMPLES = r"""
- name: Bind the new certificate on TSE and ESA at the same time
  certops.cloud.concurrent_runs:
    runs:
      - name: tse
        module: certops.cloud.tencentcloud_tse_gateway_certificate
        args:
          gateway_id: gateway-1a2b3c4d
          id: cert-entry-01
          cert_source: ssl
          cert_id: "{{ ssl.certificate_id }}"
      - name: esa
        module: certops.cloud.alicloud_esa_certificate
        args:
          site_id: 1234567890123
          certificate: "{{ lookup('ansible.builtin.file', 'example.com.pem') }}"
          private_key: "{{ lookup('ansible.builtin.file', 'example.com.key') }}"
  register: bound

- name: Show what TSE returned
  ansible.builtin.debug:
    var: bound.results.tse.diff
"""

RETURN = r"""
results:
  description: Each run's module result, by run name (its warnings are shown once, with the task's).
  returned: always
  type: dict
  sample: {"tse": {"changed": true, "cert_id": "cert-new1234"}, "esa": {"changed": false}}
msg:
  description: Each failed run's name and message.
  returned: when a run failed
  type: str
  sample: "esa: alicloud esa site 1234567890123: authentication failed, check access_key_id, access_key_secret and security_token (...)"
changed:
  description: Whether any run changed something.
  returned: always
  type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.certops.cloud.plugins.module_utils._action_specs import CONCURRENT_RUNS_SPEC


def main():
    module = AnsibleModule(argument_spec=CONCURRENT_RUNS_SPEC, supports_check_mode=True)
    module.fail_json(msg="certops.cloud.concurrent_runs is an action plugin: it runs on the controller, not as a module")


if __name__ == "__main__":
    main()
