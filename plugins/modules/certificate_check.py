#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: certificate_check
short_description: Validate a certificate and key before they are rolled out
version_added: 0.1.0
description:
  - Parses the PEM bundle, checks that the key matches the leaf, that the chain is in order, that the certificate
    is valid now and for at least O(min_days_remaining) days, and that its names cover every endpoint name in
    O(endpoints). Fails naming the problem and the endpoint. Calls no API.
  - Used by the C(certops.cloud.rotate) role to validate a certificate once, on the controller.
author:
  - certops.cloud contributors (@certops)
options:
  certificate:
    description: PEM text of the certificate, leaf first, then the chain.
    type: str
    required: true
  private_key:
    description: PEM text of the private key of the leaf. Never logged or returned.
    type: str
  private_key_passphrase:
    description: Passphrase of an encrypted O(private_key).
    type: str
  min_days_remaining:
    description: Fail when the certificate expires in fewer days.
    type: int
    default: 0
  endpoints:
    description: Endpoints whose name the certificate must cover, as a dict of endpoint label to host name.
    type: dict
    default: {}
extends_documentation_fragment:
  - certops.cloud.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Validate the renewed certificate
  certops.cloud.certificate_check:
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
    min_days_remaining: 30
    endpoints:
      tse-www: www.example.com
"""

RETURN = r"""
certificate:
  description: Summary of the certificate (subject, SANs, not_before, not_after, fingerprints, chain); no key material.
  returned: success
  type: dict
"""

from ansible_collections.certops.cloud.plugins.module_utils._common import CertopsModule


class CertificateCheck(CertopsModule):
    argument_spec = dict(
        certificate=dict(type="str", required=True),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        min_days_remaining=dict(type="int", default=0),
        endpoints=dict(type="dict", default={}),
    )

    def endpoint_label(self):
        return "certificate check"

    def execute(self):
        bundle, dummy = self.load_certificate_input(require_key=self.params["private_key"] is not None,
                                                    min_days_remaining=self.params["min_days_remaining"])
        uncovered = sorted("%s (%s)" % (label, name) for label, name in self.params["endpoints"].items() if not bundle.covers(name))
        if uncovered:
            self.fail("certificate names %s do not cover endpoint %s" % (", ".join(bundle.names()), ", ".join(uncovered)))
        return dict(changed=False, certificate=bundle.summary())


def main():
    module = CertificateCheck.define_module()
    CertificateCheck(module).run()


if __name__ == "__main__":
    main()
