#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_ssl_certificate_info
short_description: Find certificates in the Tencent Cloud SSL certificate store
version_added: 0.1.0
description:
  - Lists certificates of the SSL certificate store, by id, search key or fingerprint, or finds the stored copies
    of a given PEM certificate. Private keys returned by the API are dropped and never returned.
seealso:
  - module: certops.cloud.tencentcloud_ssl_certificate
  - name: DescribeCertificates (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/1007/36585
    description: The listing of the SSL certificate store, as O(search_key) and O(certificate_type) filter it.
author:
  - certops.cloud contributors (@certops)
options:
  certificate_ids:
    description: Ids to read; each is read in detail and parsed.
    type: list
    elements: str
    aliases: [certificate_id]
  search_key:
    description: Fuzzy match on id, remark name and domain, as the console's search box.
    type: str
  fingerprint:
    description: SHA-256 (or SHA-1) fingerprint of the leaf, hex with or without colons.
    type: str
  certificate:
    description: PEM text of a certificate; returns its stored copies (same leaf and chain fingerprints).
    type: str
  certificate_type:
    description: Only certificates of this type.
    type: str
    choices: [SVR, CA]
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.tencentcloud.global
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: Is this certificate already stored?
  certops.cloud.tencentcloud_ssl_certificate_info:
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
  register: copies

- name: Everything stored for a domain
  certops.cloud.tencentcloud_ssl_certificate_info:
    search_key: www.example.com
"""

RETURN = r"""
certificates:
  description:
    - Matching certificates. Each has C(certificate_id), C(alias), C(certificate_type), C(status) and C(source); those
      read in detail (by O(certificate_ids), O(fingerprint) or O(certificate)) also C(created) and C(certificate), those
      of a listing (by O(search_key), or with none of these) the keys marked "listing only".
  returned: success
  type: list
  elements: dict
  contains:
    certificate_id:
      description: Store id.
      type: str
    alias:
      description: Remark name.
      type: str
    certificate_type:
      description: V(SVR) or V(CA).
      type: str
    status:
      description: Store status code (1 issued, 3 expired, ...).
      type: int
    source:
      description: Where the certificate comes from (C(From)), V(upload) for an uploaded one.
      type: str
    created:
      description: When it was stored (C(InsertTime)), in seconds since the epoch; read in detail only.
      type: float
    certificate:
      description: Summary of the certificate, with the keys of RV(certops.cloud.certificate_check#module:certificate); read in detail only.
      type: dict
    domain:
      description: Main domain; listing only.
      type: str
    subject_alt_names:
      description: Names of the certificate; listing only.
      type: list
      elements: str
    status_name:
      description: Name of the store status, as the store gives it; listing only.
      type: str
    not_before:
      description: Start of validity as listed by the store (GMT+8); listing only.
      type: str
    not_after:
      description: End of validity as listed by the store (GMT+8); listing only.
      type: str
    project_id:
      description: Project of the certificate; listing only.
      type: str
  sample:
    - {certificate_id: OLDcert1, alias: www-old, certificate_type: SVR, status: 1, source: upload, created: 1796597264.0,
       certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._certificate import CertificateBundle, CertificateError
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore, listing_summary


def public_detail(detail):
    return {k: v for k, v in detail.items() if k != "bundle"}


class SslCertificateInfo(TencentCloudModule):
    argument_spec = dict(
        certificate_ids=dict(type="list", elements="str", aliases=["certificate_id"]),
        search_key=dict(type="str", no_log=False),
        fingerprint=dict(type="str"),
        certificate=dict(type="str"),
        certificate_type=dict(type="str", choices=["SVR", "CA"]),
    )
    module_kwargs = dict(mutually_exclusive=[("certificate_ids", "fingerprint", "certificate", "search_key")])

    def endpoint_label(self):
        return "tencentcloud ssl store"

    def execute(self):
        store = SslStore(self.cloud)
        params = self.params
        if params["certificate_ids"]:
            found = [public_detail(d) for d in map(store.detail, params["certificate_ids"]) if d]
        elif params["fingerprint"]:
            found = [public_detail(d) for d in store.find_by_fingerprint(params["fingerprint"], params["certificate_type"])]
        elif params["certificate"]:
            try:
                bundle = CertificateBundle.from_pem(params["certificate"])
            except CertificateError as exc:
                self.fail("certificate %s" % exc)
            found = [public_detail(d) for d in store.find(bundle, params["certificate_type"] or "SVR")]
        else:
            filters = dict(FilterSource="upload")
            if params["search_key"]:
                filters["SearchKey"] = params["search_key"]
            if params["certificate_type"]:
                filters["CertificateType"] = params["certificate_type"]
            found = [listing_summary(e) for e in store.list(**filters)]
        return dict(changed=False, certificates=found)


def main():
    SslCertificateInfo.run_module()


if __name__ == "__main__":
    main()
