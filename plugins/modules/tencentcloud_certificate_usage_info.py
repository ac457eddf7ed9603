#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_certificate_usage_info
short_description: Find where Tencent Cloud SSL and GAAP store certificates are bound
version_added: 0.1.0
description:
  - Lists every TSE gateway certificate entry, GAAP listener domain, EdgeOne host and CLB listener and SNI rule in
    O(regions) - the discovery of the C(certops.cloud.endpoints) inventory plugin - and returns, for each certificate
    id asked about, the endpoints that use it (a CLB client CA and GAAP client certificates count as used).
  - Read only. The C(certops.cloud.rotate) role uses it (C(rotate_cleanup)) to delete only previous certificates that
    are bound nowhere; products this collection does not manage (CDN, WAF, ...) are checked by the SSL API itself at
    deletion (O(certops.cloud.tencentcloud_ssl_certificate#module:check_resource)).
seealso:
  - module: certops.cloud.tencentcloud_ssl_certificate
    description: Deletes a certificate nothing uses (O(certops.cloud.tencentcloud_ssl_certificate#module:state=absent)).
  - module: certops.cloud.tencentcloud_gaap_certificate
  - plugin: certops.cloud.endpoints
    plugin_type: inventory
    description: The same discovery, as an inventory - one host per endpoint.
author:
  - certops.cloud contributors (@certops)
options:
  certificate_ids:
    description: SSL certificate store ids to look for (used by TSE, EdgeOne and CLB).
    type: list
    elements: str
    default: []
  gaap_certificate_ids:
    description: GAAP certificate store ids to look for.
    type: list
    elements: str
    default: []
  regions:
    description: Regions whose TSE gateways and CLB load balancers are listed. Defaults to O(region).
    type: list
    elements: str
  ignore_endpoints:
    description:
      - Endpoints (C(certops_endpoint) dicts of the rotate role) whose uses do not count, for example those a rotation
        in check mode is about to change.
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: Is the previous certificate still used anywhere?
  certops.cloud.tencentcloud_certificate_usage_info:
    regions: [ap-guangzhou, ap-shanghai]
    certificate_ids: [OLDcert1]
  register: usage

- name: Delete it only when nothing uses it
  certops.cloud.tencentcloud_ssl_certificate:
    state: absent
    certificate_id: OLDcert1
    check_resource: true
  when: "'OLDcert1' in usage.unused.ssl"
"""

RETURN = r"""
usage:
  description: C(ssl) and C(gaap) - per certificate id asked about, the names of the endpoints (as the inventory plugin
    names its hosts) that use it; an empty list when none does.
  returned: success
  type: dict
  sample:
    ssl:
      OLDcert1: [tse-gateway-9abf3b79-f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83, teo-zone-2o3h21ed8bpu-h03.example.com,
                 clb-lb-web00001-lbl-web00443, clb-lb-sni00001-lbl-sni00443-www.example.com]
      Zx8Vb3Qe: []
    gaap:
      cert-old00001: ["gaap-listener-2x9f0c1a (the listener's own certificate)", gaap-listener-2x9f0c1a-www.example.com]
unused:
  description: C(ssl) and C(gaap) - the certificate ids asked about that no endpoint uses.
  returned: success
  type: dict
  sample: {ssl: [Zx8Vb3Qe], gaap: []}
endpoints:
  description: How many endpoints were listed, per provider.
  returned: success
  type: dict
  sample: {tse: 2, gaap: 3, teo: 45, clb: 5}
"""

from ansible_collections.certops.cloud.plugins.module_utils._discovery import (
    TENCENT_PROVIDERS,
    Discovery,
    DiscoveryError,
    check_region,
    is_endpoint,
)
from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS
# The listings discovery runs here (the Tencent Cloud providers' module utils the registry names), carried in the
# module's payload.
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud import clb, gaap, teo, tse  # noqa: F401 pylint: disable=unused-import
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloud, TencentCloudModule


class CertificateUsageInfo(TencentCloudModule):
    needs_cryptography = False
    argument_spec = dict(
        certificate_ids=dict(type="list", elements="str", default=[]),
        gaap_certificate_ids=dict(type="list", elements="str", default=[]),
        regions=dict(type="list", elements="str"),
        ignore_endpoints=dict(type="list", elements="dict", default=[]),
    )

    def endpoint_label(self):
        return "tencentcloud certificate usage"

    def execute(self):
        wanted = dict(ssl=list(self.params["certificate_ids"]), gaap=list(self.params["gaap_certificate_ids"]))
        if not wanted["ssl"] and not wanted["gaap"]:
            return dict(changed=False, usage=dict(ssl={}, gaap={}), unused=dict(ssl=[], gaap=[]), endpoints={})
        try:
            regions = [check_region(r) for r in self.params["regions"] or [self.params.get("region")] if r]
            if not regions:
                self.fail("regions (or region, TENCENTCLOUD_REGION) is required")
            discovery = Discovery(concurrency=4, shared=self.shared, details=False)
            discovery.tencent = lambda region: self.shared.memo(("tencent", region), lambda: TencentCloud(dict(self.params, region=region), self.shared))
            providers = [p for p in TENCENT_PROVIDERS if PROVIDERS[p].store != "gaap" or wanted["gaap"]]
            found = discovery.run(providers, regions)
        except DiscoveryError as exc:
            self.fail(str(exc))
        usage = dict((store, dict((certificate_id, []) for certificate_id in ids)) for store, ids in wanted.items())
        for item in found:
            if any(is_endpoint(item, settings) for settings in self.params["ignore_endpoints"]):
                continue
            for store, ids in item["references"].items():
                for certificate_id in ids:
                    if certificate_id in usage.get(store, {}):
                        usage[store][certificate_id].append(item["name"])
        unused = dict((store, [c for c, names in found_in.items() if not names]) for store, found_in in usage.items())
        counts = dict((p, len([i for i in found if i["provider"] == p and not i.get("holder")])) for p in providers)
        return dict(changed=False, usage=usage, unused=unused, endpoints=counts)


def main():
    CertificateUsageInfo.run_module()


if __name__ == "__main__":
    main()
