#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_teo_hosts_certificate_info
short_description: Read the certificates of Tencent Cloud EdgeOne (TEO) acceleration domains
version_added: 0.1.0
description:
  - Reads acceleration domains with C(DescribeAccelerationDomains) (API 2022-09-01), 20 host names a call, and
    returns each host's certificate mode and certificates.
seealso:
  - module: certops.cloud.tencentcloud_teo_hosts_certificate
  - name: DescribeAccelerationDomains (EdgeOne API 2022-09-01)
    link: https://www.tencentcloud.com/document/api/1145/54132
    description: The API this module reads the hosts with, 20 host names a call.
author:
  - certops.cloud contributors (@certops)
options:
  zone_id:
    description: Id of the EdgeOne site (zone). Required unless O(batch) is given.
    type: str
  batch:
    description:
      - Read the hosts of many endpoints in one run; each entry names a zone and, optionally, its hosts. Returns
        RV(endpoints), each with the C(hosts) of its entry and a C(summary).
    type: list
    elements: dict
    suboptions:
      zone_id:
        description: Id of the zone to read.
        type: str
      hosts:
        description: Only these hosts of the zone.
        type: list
        elements: str
  hosts:
    description: Only these hosts; every acceleration domain of the zone when not given.
    type: list
    elements: str
  certificate_details:
    description: Also read the summary of each certificate id from the SSL certificate store.
    type: bool
    default: false
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.tencentcloud.global
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: Which certificate does each host of the zone use?
  certops.cloud.tencentcloud_teo_hosts_certificate_info:
    zone_id: zone-2o3h21ed8bpu
  register: teo_hosts
"""

RETURN = r"""
hosts:
  description: One entry per host, keyed by host name.
  returned: success
  type: dict
  contains:
    host:
      description: The host name.
      type: str
    mode:
      description: Certificate mode (V(sslcert), V(eofreecert), V(disable), ...).
      type: str
    cert_ids:
      description: Sorted certificate ids.
      type: list
      elements: str
    certificates:
      description: C(cert_id), C(alias), C(type), C(expire_time), C(status), and with O(certificate_details) the
        C(certificate) summary (no key material).
      type: list
      elements: dict
  sample:
    h03.example.com: {host: h03.example.com, mode: sslcert, cert_ids: [OLDcert1], certificates: [{cert_id: OLDcert1, alias: www-old,
                      type: upload, expire_time: "2026-12-16T22:48:20Z", status: deployed}]}
    h04.example.com: {host: h04.example.com, mode: sslcert, cert_ids: [TEOwild1], certificates: [{cert_id: TEOwild1, alias: wildcard,
                      type: upload, expire_time: "2027-02-24T22:48:20Z", status: deployed}]}
endpoints:
  description:
    - With O(batch), one result per entry, in order (see the notes), with the RV(hosts) of the entry.
    - In C(summary), C(before_id) holds the certificate ids of the hosts, joined by commas, and C(before_not_after) the
      first C(expire_time).
  returned: when O(batch) is given
  type: list
  elements: dict
  sample:
    - {endpoint: tencentcloud teo zone zone-2o3h21ed8bpu host h03.example.com, changed: false, failed: false,
       hosts: {h03.example.com: {host: h03.example.com, mode: sslcert, cert_ids: [OLDcert1], certificates: [{cert_id: OLDcert1,
               alias: www-old, type: upload, expire_time: "2026-12-16T22:48:20Z", status: deployed}]}},
       summary: {before_id: OLDcert1, before_fingerprint: null, before_not_after: "2026-12-16T22:48:20Z", after_id: null,
                 after_fingerprint: null, after_not_after: null}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._module import summary_row
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.teo import TeoModule


class TeoHostsCertificateInfo(TeoModule):
    argument_spec = dict(
        zone_id=dict(type="str", required=True),
        hosts=dict(type="list", elements="str"),
        certificate_details=dict(type="bool", default=False),
    )
    batch_options = ("zone_id", "hosts")

    def execute(self):
        if self.params["hosts"]:
            hosts = self.read_hosts(self.params["zone_id"], self.params["hosts"])
        else:
            hosts = self.list_hosts(self.params["zone_id"])
        if self.params["certificate_details"]:
            summaries = self.store_summaries(sorted({c for b in hosts.values() for c in b["cert_ids"]}), strict=False)
            for binding in hosts.values():
                for entry in binding["certificates"]:
                    entry["certificate"] = summaries.get(entry["cert_id"])
        return dict(changed=False, hosts=hosts)

    def summary(self, result):
        hosts = (result.get("hosts") or {}).values()
        expiry = [c.get("expire_time") for b in hosts for c in b["certificates"] if c.get("expire_time")]
        row = summary_row(",".join(sorted({c for b in hosts for c in b["cert_ids"]})) or None, None, None, None)
        row["before_not_after"] = expiry[0] if expiry else None
        return row


def main():
    TeoHostsCertificateInfo.run_module()


if __name__ == "__main__":
    main()
