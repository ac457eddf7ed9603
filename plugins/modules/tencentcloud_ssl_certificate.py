#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_ssl_certificate
short_description: Upload a certificate to the Tencent Cloud SSL certificate store once, or remove it
version_added: 0.1.0
description:
  - Makes sure a certificate (leaf and chain) is in the Tencent Cloud SSL Certificate Service store
    and returns its id, so that endpoints (CLB, TSE with O(certops.cloud.tencentcloud_tse_gateway_certificate#module:cert_source=ssl))
    can bind it.
  - Idempotent by fingerprint - the store is searched for a certificate whose leaf and chain have the same DER
    SHA-256 fingerprints; when one exists its id is returned and nothing is uploaded. Uploads are sent with
    C(Repeatable=false), so the service itself refuses a second copy even if two runs race.
  - The certificate and key are validated locally (PEM, key matches the leaf, chain order, validity dates)
    before any API call.
seealso:
  - module: certops.cloud.tencentcloud_ssl_certificate_info
  - module: certops.cloud.tencentcloud_certificate_usage_info
    description: Where a certificate is still bound, before O(state=absent).
  - name: UploadCertificate (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/1007/36579
    description: The upload, sent with C(Repeatable=false).
author:
  - certops.cloud contributors (@certops)
options:
  certificate_type:
    description:
      - V(SVR) for a server certificate, V(CA) for a client CA certificate (mutual TLS).
    type: str
    choices: [SVR, CA]
    default: SVR
  project_id:
    description:
      - Project of a newly uploaded certificate.
    type: int
  check_resource:
    description:
      - With O(state=absent), let the SSL service check first that no cloud resource of any product (CLB, EdgeOne,
        TSE, CDN, WAF, ...) still uses the certificate (C(IsCheckResource)); the deletion is then asynchronous and
        awaited (C(DescribeDeleteCertificatesTaskResult)). A certificate still in use is kept and the task fails
        saying so. Needs the service role C(SSL_QCSLinkedRoleInReplaceLoadCertificate).
    type: bool
    default: false
  wait_timeout:
    description: With O(check_resource), seconds to wait for the deletion task to end.
    type: int
    default: 300
  settle_seconds:
    default: 0
extends_documentation_fragment:
  - certops.cloud.store
  - certops.cloud.tencentcloud
  - certops.cloud.tencentcloud.global
  - certops.cloud.attributes
  - certops.cloud.attributes.full
attributes:
  check_mode:
    details:
      - In check mode the store is searched (read-only) and RV(certificate_id) is null when an upload would happen.
"""

EXAMPLES = r"""
- name: Upload the renewed certificate once and keep its id
  certops.cloud.tencentcloud_ssl_certificate:
    certificate: "{{ lookup('ansible.builtin.file', 'www.example.com.fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'www.example.com.key') }}"
    alias: www-2026
  register: stored

- name: Remove an old copy by fingerprint
  certops.cloud.tencentcloud_ssl_certificate:
    state: absent
    fingerprint: "AB:CD:..."
"""

RETURN = r"""
certificate_id:
  description: Id of the stored certificate (null in check mode when it would be uploaded, or after deletion).
  returned: always
  type: str
  sample: Zx8Vb3Qe
removed_copies:
  description: With O(state=present), the id of the copy this run made, removed because another copy is the one every
    run takes.
  returned: when O(state=present)
  type: list
  elements: str
  sample: []
copies:
  description: With O(state=present), the ids of the copies of the certificate in the store, the one every run takes
    (RV(certificate_id)) first.
  returned: when O(state=present)
  type: list
  elements: str
  sample: [Zx8Vb3Qe, Kq4Tn7Wd]
certificate_ids:
  description: With O(state=absent), the ids that were (or would be) deleted.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [OLDcert1]
certificate:
  description: Summary of the certificate, with the keys of RV(certops.cloud.certificate_check#module:certificate); no key material.
  returned: when O(certificate) is given
  type: dict
  sample: {subject: CN=www.example.com, subject_alt_names: [www.example.com, example.com], not_after: "2027-03-05T09:48:45Z",
    fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}
"""

from ansible_collections.certops.cloud.plugins.module_utils._store import CertificateStoreMixin
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore


class SslCertificate(CertificateStoreMixin, TencentCloudModule):
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        certificate_type=dict(type="str", choices=["SVR", "CA"], default="SVR"),
        alias=dict(type="str", aliases=["name"]),
        project_id=dict(type="int"),
        certificate_id=dict(type="str"),
        fingerprint=dict(type="str"),
        settle_seconds=dict(type="float", default=0),
        check_resource=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
    )
    module_kwargs = dict(
        required_if=[("state", "present", ["certificate"])],
        mutually_exclusive=[("certificate_id", "fingerprint", "certificate")],
    )

    def endpoint_label(self):
        return "tencentcloud ssl store"

    @property
    def store(self):
        return SslStore(self.cloud)

    def store_type(self):
        return self.params["certificate_type"]

    def needs_key(self):
        return self.params["certificate_type"] == "SVR"

    def upload_options(self):
        return dict(alias=self.params["alias"], project_id=self.params["project_id"])

    def delete_options(self):
        return dict(check_resource=self.params["check_resource"], wait_timeout=self.params["wait_timeout"])


def main():
    SslCertificate.run_module()


if __name__ == "__main__":
    main()
