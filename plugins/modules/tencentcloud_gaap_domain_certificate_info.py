#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_gaap_domain_certificate_info
short_description: Read the certificates of the domains of a Tencent Cloud GAAP HTTPS listener
version_added: 0.1.0
description:
  - Reads the listener's domains with C(DescribeRules) and, for each server certificate id, its summary from the
    GAAP certificate store (C(DescribeCertificateDetail); the private key the API returns is dropped at once).
seealso:
  - module: certops.cloud.tencentcloud_gaap_domain_certificate
    description: Sets the certificates of a listener domain, and returns them as RV(domains) describes them.
author:
  - certops.cloud contributors (@certops)
options:
  listener_id:
    description: Id of the HTTPS listener. Required unless O(batch) is given.
    type: str
  batch:
    description:
      - Read many listeners or domains in one run; each entry names one listener and, optionally, one domain. Returns
        RV(endpoints), each with the C(domains) of its entry and a C(summary) of its first domain.
    type: list
    elements: dict
    suboptions:
      listener_id:
        description: Id of the HTTPS listener to read.
        type: str
      domain:
        description: Only this domain of the listener.
        type: str
  domain:
    description: Only this domain. All domains of the listener when not given.
    type: str
  certificate_details:
    description: Read the summary of each server certificate from the GAAP store (one read per distinct id).
    type: bool
    default: true
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.tencentcloud.global
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: What does each domain of the listener serve?
  certops.cloud.tencentcloud_gaap_domain_certificate_info:
    listener_id: listener-2x9f0c1a
  register: gaap_domains
"""

RETURN = r"""
domains:
  description:
    - The domains, each a binding as RV(certops.cloud.tencentcloud_gaap_domain_certificate#module:before) describes it -
      C(listener_id), C(domain), C(certificate_id) (V(default) for the listener's), C(certificate_alias),
      C(client_certificate_id), C(poly_client_certificate_ids), C(domain_status) (0 means running) and, with
      O(certificate_details), C(certificate), the summary of the server certificate (no key material).
  returned: success
  type: list
  elements: dict
  sample:
    - {listener_id: listener-2x9f0c1a, domain: www.example.com, certificate_id: cert-old00001, certificate_alias: www-old,
       client_certificate_id: null, poly_client_certificate_ids: [], domain_status: 0,
       certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
    - {listener_id: listener-2x9f0c1a, domain: api.example.com, certificate_id: default, certificate_alias: www-old,
       client_certificate_id: null, poly_client_certificate_ids: [], domain_status: 0,
       certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
endpoints:
  description: With O(batch), one result per entry, in order (see the notes), with the RV(domains) of the entry.
  returned: when O(batch) is given
  type: list
  elements: dict
  sample:
    - {endpoint: tencentcloud gaap listener listener-2x9f0c1a domain www.example.com, changed: false, failed: false,
       domains: [{listener_id: listener-2x9f0c1a, domain: www.example.com, certificate_id: cert-old00001, certificate_alias: www-old,
                  client_certificate_id: null, poly_client_certificate_ids: [], domain_status: 0,
                  certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}],
       summary: {before_id: cert-old00001, before_fingerprint: "c4be289c55bbb03a11b7a693fa1b8e14c2371750835b519b9fe9f33d15f634a2",
                 before_not_after: "2026-12-16T22:48:20Z", after_id: null, after_fingerprint: null, after_not_after: null}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._module import summary_row
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.gaap import GaapModule


class GaapDomainCertificateInfo(GaapModule):
    argument_spec = dict(
        listener_id=dict(type="str", required=True),
        domain=dict(type="str"),
        certificate_details=dict(type="bool", default=True),
    )
    batch_options = ("listener_id", "domain")

    def execute(self):
        if self.params["domain"]:
            domains = [self.read_domain(self.params["listener_id"], self.params["domain"])]
        else:
            domains = self.read_domains(self.params["listener_id"])
        if self.params["certificate_details"]:
            summaries = self.certificate_summaries(*[d["certificate_id"] for d in domains], strict=False,
                                                   listener_id=self.params["listener_id"])
            for binding in domains:
                binding["certificate"] = summaries.get(binding["certificate_id"])
        return dict(changed=False, domains=domains)

    def summary(self, result):
        domain = (result.get("domains") or [{}])[0]
        return summary_row(domain.get("certificate_id"), domain.get("certificate"), None, None)


def main():
    GaapDomainCertificateInfo.run_module()


if __name__ == "__main__":
    main()
