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
  description: The certificate entries, each a binding as returned by M(certops.cloud.tencentcloud_tse_gateway_certificate).
  returned: success
  type: list
  elements: dict
  contains:
    gateway_id:
      description: Gateway id.
      type: str
    id:
      description: Certificate entry id.
      type: str
    name:
      description: Name of the entry.
      type: str
    bind_domains:
      description: Domains the entry serves.
      type: list
      elements: str
    cert_source:
      description: V(ssl) or V(native).
      type: str
    cert_id:
      description: SSL store id with V(ssl).
      type: str
    certificate:
      description: Summary of the bound certificate; no key material.
      type: dict
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
