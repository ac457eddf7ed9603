#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_ssl_issued_certificate
short_description: Read a certificate the Tencent Cloud SSL service issued or renewed, and its key, following its renewals
version_added: 0.1.0
description:
  - Reads a certificate of the Tencent Cloud SSL service (bought, free, or renewed there) by its id and, with
    O(follow_renewals), follows its renewal links - a hosted renewal (C(HostingRenewCertId)), then a renewal order
    (C(HasRenewOrder)) - to the newest issued certificate. Returns that certificate's id, its PEM chain and the private
    key the SSL service holds for it (C(DescribeCertificateDetail)).
  - Fails, before anything uses it, when no certificate on the path is issued yet, when the renewal links loop, and
    when the SSL service holds no private key for the certificate (its CSR was made elsewhere); each message names the
    certificate id and what to do.
  - The result holds the private key. Run the task with C(no_log=true) and keep the result out of any output (the
    C(certops.cloud.rotate) role does, with C(rotate_certificate_id)); its failure messages hold no key.
  - Writes nothing.
seealso:
  - module: certops.cloud.tencentcloud_ssl_certificate_info
  - name: DescribeCertificateDetail (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/1007/36587
    description: The certificate, its key and its state.
author:
  - certops.cloud contributors (@certops)
options:
  certificate_id:
    description: Id of a certificate of the SSL service. Renewals of it are followed from here.
    type: str
    required: true
  follow_renewals:
    description:
      - Follow the renewal links to the newest issued certificate. A renewal not issued yet is not taken (the newest
        issued one before it is).
      - V(false) takes O(certificate_id) itself, which must be issued.
    type: bool
    default: true
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.tencentcloud.global
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: The newest renewal of the certificate bought in the SSL service, with its key
  certops.cloud.tencentcloud_ssl_issued_certificate:
    certificate_id: "{{ ssl_certificate_id }}"
  no_log: true  # the result holds the private key
  register: issued

- name: Where the renewal links led (no key in this message)
  ansible.builtin.debug:
    msg: "{{ issued.renewals | map(attribute='certificate_id') | join(' -> ') }}: rotating to {{ issued.certificate_id }}"
"""

RETURN = r"""
certificate_id:
  description: Id of the certificate to rotate to (the newest issued renewal, or O(certificate_id)).
  returned: success
  type: str
  sample: IssuedC1
certificate:
  description: PEM of the certificate, leaf first, then its chain.
  returned: success
  type: str
  sample: "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n"
private_key:
  description: PEM of the private key the SSL service holds for the certificate. Keep it out of any output (C(no_log)).
  returned: success
  type: str
  sample: "(a PEM private key)"
summary:
  description: Summary of the certificate (the keys of RV(certops.cloud.certificate_check#module:certificate)).
  returned: success
  type: dict
  sample: {subject: CN=*.example.com, not_after: "2027-03-05T09:48:45Z",
           fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}
renewals:
  description:
    - The certificates from O(certificate_id) along its renewal links, in order - C(certificate_id), C(status),
      C(status_name), C(not_after), C(source) (C(From), such as V(trustasia) or V(upload)) and C(link) (the field of the
      previous certificate that led here, null for the first). C(missing_renewal) on the last one names a renewal
      the SSL service does not know.
  returned: success
  type: list
  elements: dict
  sample: [{certificate_id: IssuedA1, status: 1, link: null}, {certificate_id: IssuedB1, status: 1, link: HostingRenewCertId}]
"""

from ansible_collections.certops.cloud.plugins.module_utils._certificate import parse_pem_or_none
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import RenewalError, SslStore, newest_issued, renewal_path


class SslIssuedCertificate(TencentCloudModule):
    argument_spec = dict(
        certificate_id=dict(type="str", required=True),
        follow_renewals=dict(type="bool", default=True),
    )

    def endpoint_label(self):
        return "tencentcloud ssl certificate %s" % self.params["certificate_id"]

    def execute(self):
        store = SslStore(self.cloud)
        if not self.params["certificate_id"].strip():
            self.fail("certificate_id is empty")

        def entry_of(certificate_id):
            return next(iter(store.list(CertIds=[certificate_id])), None)
        try:
            path = renewal_path(self.params["certificate_id"], entry_of, self.params["follow_renewals"])
            chosen = newest_issued(path)
        except RenewalError as exc:
            self.fail(str(exc))
        certificate_id = chosen["certificate_id"]
        detail = self.call("ssl", "DescribeCertificateDetail", CertificateId=certificate_id)
        key = (detail.get("CertificatePrivateKey") or "").strip()
        detail.pop("EncryptPrivateKey", None)
        if not key:
            self.fail("the SSL service holds no private key for certificate %s (its CSR was made elsewhere): upload it with its key "
                      "and rotate that one, or give rotate_certificate_file and rotate_private_key_file" % certificate_id, renewals=path)
        bundle = parse_pem_or_none(detail.get("CertificatePublicKey"))
        if bundle is None:
            self.fail("certificate %s has no certificate to download yet: wait until the SSL service issues it" % certificate_id, renewals=path)
        return dict(changed=False, certificate_id=certificate_id, certificate=detail["CertificatePublicKey"], private_key=key,
                    summary=bundle.summary(), renewals=path)


def main():
    SslIssuedCertificate.run_module()


if __name__ == "__main__":
    main()
