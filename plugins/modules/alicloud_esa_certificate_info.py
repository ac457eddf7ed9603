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
seealso:
  - module: certops.cloud.alicloud_esa_certificate
  - name: ListCertificates (ESA API 2024-09-10)
    link: https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listcertificates
    description: The site's certificates.
  - name: GetCertificate (ESA API 2024-09-10)
    link: https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate
    description: One certificate with its PEM, read for O(id) and with O(certificate_details=true).
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
  description:
    - The site's certificates, each as RV(certops.cloud.alicloud_esa_certificate#module:before) describes it -
      C(site_id), C(id), C(name), C(type) (V(upload), V(cas) or V(free)), C(cas_id), C(fingerprint_sha256),
      C(common_name), C(subject_alt_names), C(not_after), C(status) (for example V(OK), V(Expiring), V(Expired)) and
      C(certificate), the parsed summary (no key material), with O(certificate_details) or O(id), else null.
  returned: success
  type: list
  elements: dict
  sample:
    - {site_id: 1234567890123, id: "30001303", name: www, type: upload, cas_id: null, status: OK,
       fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec", common_name: www.example.com,
       subject_alt_names: [www.example.com, example.com], not_after: "2027-03-05T09:48:45Z",
       certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"}}
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
