#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_clb_certificate_info
short_description: Find the Tencent Cloud CLB load balancers and listeners that use certificates
version_added: 0.1.0
description:
  - Asks C(DescribeLoadBalancerListByCertId) (20 ids a call) which load balancers of the region use each
    certificate and, with O(listeners=true), reads their listeners' TLS settings with C(DescribeListeners).
seealso:
  - module: certops.cloud.tencentcloud_clb_certificate
  - module: certops.cloud.tencentcloud_certificate_usage_info
    description: Every product's uses of a certificate (TSE, GAAP, EdgeOne and CLB), not only the load balancers'.
  - name: DescribeLoadBalancerListByCertId (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/214/33800
    description: The load balancers of a region that use a certificate.
author:
  - certops.cloud contributors (@certops)
options:
  certificate_ids:
    description: SSL store ids of the certificates.
    type: list
    elements: str
    required: true
    aliases: [cert_ids, certificate_id]
  listeners:
    description: Also return the listeners (and SNI rules) using each certificate, with C(SSLMode) and client CA id.
    type: bool
    default: false
  regions:
    description:
      - Regions whose load balancers are read. C(DescribeLoadBalancerListByCertId) answers for one region a call.
      - Defaults to O(region), else V(ap-guangzhou).
    type: list
    elements: str
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
notes:
  - Only load balancers of O(regions) are returned.
"""

EXAMPLES = r"""
- name: Where is the old certificate still used?
  certops.cloud.tencentcloud_clb_certificate_info:
    region: ap-guangzhou
    certificate_ids: ["{{ old_cert_id }}"]
    listeners: true
  register: clb_usage
"""

RETURN = r"""
certificates:
  description: One entry per certificate id.
  returned: success
  type: list
  elements: dict
  contains:
    certificate_id:
      description: The certificate id.
      type: str
    load_balancers:
      description: C(load_balancer_id), C(load_balancer_name) and C(region) of each load balancer using it.
      type: list
      elements: dict
    listeners:
      description: With O(listeners=true), each listener or SNI rule using it, as in
        RV(certops.cloud.tencentcloud_clb_certificate#module:before.listeners) - C(load_balancer_id), C(region),
        C(listener_id), C(protocol), C(port), C(location_id) and C(domain) (SNI rules), C(ssl_mode), C(cert_id), C(cert_ca_id).
      type: list
      elements: dict
  sample:
    - certificate_id: OLDcert1
      load_balancers: [{load_balancer_id: lb-web00001, load_balancer_name: web, region: ap-guangzhou},
                       {load_balancer_id: lb-sni00001, load_balancer_name: sni, region: ap-guangzhou}]
      listeners:
        - {load_balancer_id: lb-web00001, region: ap-guangzhou, listener_id: lbl-web00443, protocol: HTTPS, port: 443, domain: null,
           ssl_mode: UNIDIRECTIONAL, cert_id: OLDcert1, cert_ca_id: null}
        - {load_balancer_id: lb-sni00001, region: ap-guangzhou, listener_id: lbl-sni00443, protocol: HTTPS, port: 443,
           location_id: loc-www00001, domain: www.example.com, ssl_mode: UNIDIRECTIONAL, cert_id: OLDcert1, cert_ca_id: null}
"""

from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.clb import ClbModule


class ClbCertificateInfo(ClbModule):
    argument_spec = dict(
        certificate_ids=dict(type="list", elements="str", required=True, aliases=["cert_ids", "certificate_id"]),
        listeners=dict(type="bool", default=False),
        regions=dict(type="list", elements="str"),
    )

    def execute(self):
        users = self.load_balancers_by_cert(list(self.params["certificate_ids"]))
        certificates = []
        for cert_id in self.params["certificate_ids"]:
            entry = dict(certificate_id=cert_id, load_balancers=users.get(cert_id) or [])
            if self.params["listeners"]:
                entry["listeners"] = [b for lb in entry["load_balancers"] for b in self.tls_bindings(lb, cert_id)]
            certificates.append(entry)
        return dict(changed=False, certificates=certificates)


def main():
    ClbCertificateInfo.run_module()


if __name__ == "__main__":
    main()
