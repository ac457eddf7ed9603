#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_tse_gateway_certificate_info
short_description: Read the certificate entries of a Tencent Cloud TSE cloud-native API gateway
version_added: 0.1.0
description:
  - Lists the certificate entries of a gateway, or reads one entry, with a parsed summary of each bound
    certificate. Private keys returned by the API are dropped and never returned.
seealso:
  - module: certops.cloud.tencentcloud_tse_gateway_certificate
    description: Binds a certificate to a gateway certificate entry.
author:
  - certops.cloud contributors (@certops)
options:
  gateway_id:
    description: Id of the cloud-native gateway.
    type: str
    required: true
  id:
    description: Id of one certificate entry; without it every entry of the gateway is listed.
    type: str
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: Show what every certificate entry of a gateway holds
  certops.cloud.tencentcloud_tse_gateway_certificate_info:
    region: ap-guangzhou
    gateway_id: gateway-9abf3b79
  register: entries
"""

RETURN = r"""
certificates:
  description:
    - The certificate entries, each a binding as RV(certops.cloud.tencentcloud_tse_gateway_certificate#module:before)
      describes it - C(gateway_id), C(id), C(name), C(bind_domains), C(cert_source), C(cert_id) (null with V(native))
      and C(certificate), the summary of the bound certificate (no key material).
  returned: success
  type: list
  elements: dict
  sample:
    - {gateway_id: gateway-9abf3b79, id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83, name: www, bind_domains: [www.example.com],
       cert_source: ssl, cert_id: OLDcert1, certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
    - {gateway_id: gateway-9abf3b79, id: 0c1e2d3f-5a6b-4c7d-8e9f-a0b1c2d3e4f5, name: www-native, bind_domains: [example.com],
       cert_source: native, cert_id: null, certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.tse import TseModule


class TseGatewayCertificateInfo(TseModule):
    argument_spec = dict(
        gateway_id=dict(type="str", required=True),
        id=dict(type="str"),
    )

    def execute(self):
        self.require_region()
        if self.params["id"]:
            entries = [self.read_entry(self.params["gateway_id"], self.params["id"])]
        else:
            entries = self.list_entries(self.params["gateway_id"])
        return dict(changed=False, certificates=entries)


def main():
    TseGatewayCertificateInfo.run_module()


if __name__ == "__main__":
    main()
