#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: alicloud_esa_certificate_info
short_description: Read the certificates of an Alibaba Cloud ESA site
version_added: 0.1.0
description:
  - Lists the site's certificates with C(ListCertificates) and, for O(id) or with O(certificate_details=true), reads
    each certificate's PEM with C(GetCertificate) to return a parsed summary. No key material is ever returned.
author:
  - certops.cloud contributors (@certops)
options:
  site_id:
    description: Id of the ESA site.
    type: int
    required: true
  id:
    description: Only this certificate.
    type: str
  name:
    description: Only certificates with this name.
    type: str
  certificate_details:
    description: Read the PEM of each certificate and return its parsed summary (one C(GetCertificate) each).
    type: bool
    default: false
extends_documentation_fragment:
  - certops.cloud.alicloud
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: Which certificates does the site hold, and when do they expire?
  certops.cloud.alicloud_esa_certificate_info:
    site_id: 1234567890123
    certificate_details: true
  register: esa_certs
"""

RETURN = r"""
certificates:
  description: The site's certificates.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Certificate id on the site.
      type: str
    name:
      description: Certificate name.
      type: str
    type:
      description: V(upload), V(cas) or V(free).
      type: str
    fingerprint_sha256:
      description: SHA-256 over the DER of the leaf, lower-case hex.
      type: str
    common_name:
      description: Common name.
      type: str
    subject_alt_names:
      description: Subject alternative names.
      type: list
      elements: str
    not_after:
      description: End of validity.
      type: str
    status:
      description: ESA status (for example V(OK), V(Expiring), V(Expired)).
      type: str
    certificate:
      description: Parsed summary (subject, SANs, fingerprints, chain) with O(certificate_details) or O(id).
      type: dict
"""

from ansible_collections.certops.cloud.plugins.module_utils._alicloud.esa import EsaModule, entry_binding


class EsaCertificateInfo(EsaModule):
    argument_spec = dict(
        site_id=dict(type="int", required=True),
        id=dict(type="str"),
        name=dict(type="str"),
        certificate_details=dict(type="bool", default=False),
    )

    def execute(self):
        site_id = self.params["site_id"]
        if self.params["id"]:
            entry, pem = self.get_certificate(site_id, self.params["id"])
            return dict(changed=False, certificates=[entry_binding(site_id, entry, pem)] if entry else [])
        entries = [e for e in self.list_certificates(site_id, keyword=self.params["name"])
                   if not self.params["name"] or e.get("Name") == self.params["name"]]
        if self.params["certificate_details"]:
            return dict(changed=False, certificates=[entry_binding(site_id, *self.get_certificate(site_id, e["Id"])) for e in entries])
        return dict(changed=False, certificates=[entry_binding(site_id, e) for e in entries])


def main():
    EsaCertificateInfo.run_module()


if __name__ == "__main__":
    main()
