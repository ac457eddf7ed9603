#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_gaap_certificate
short_description: Create a certificate in the Tencent Cloud GAAP certificate store once, or remove it
version_added: 0.1.0
description:
  - Makes sure a certificate is in the GAAP (Global Application Acceleration Platform) certificate store and
    returns its id, for M(certops.cloud.tencentcloud_gaap_domain_certificate).
  - Idempotent by fingerprint - GAAP's C(CreateCertificate) stores a second copy of the same certificate, so the
    module first lists the store with C(DescribeCertificates), narrows the candidates by subject common name and
    expiry, and compares the DER SHA-256 fingerprints of leaf and chain from C(DescribeCertificateDetail). When a
    copy exists its id is returned and nothing is created.
  - The certificate and key are validated locally (PEM, key matches the leaf, chain order, validity dates)
    before any API call.
seealso:
  - module: certops.cloud.tencentcloud_gaap_domain_certificate
    description: Serves a certificate of the GAAP store on a listener domain.
  - name: DescribeCertificates (GAAP API)
    link: https://www.tencentcloud.com/document/api/608/33115
    description: The listing of the GAAP certificate store, searched before anything is created.
author:
  - certops.cloud contributors (@certops)
options:
  certificate_type:
    description:
      - V(server) for a server certificate (GAAP type 2), V(client_ca) for a client CA certificate (type 1, mutual
        TLS), V(origin_ca) for the CA that verifies origin servers (type 3), V(proxy) for the certificate the proxy
        shows to origin servers (type 4).
    type: str
    choices: [server, client_ca, origin_ca, proxy]
    default: server
  settle_seconds:
    default: 5
extends_documentation_fragment:
  - certops.cloud.store
  - certops.cloud.tencentcloud
  - certops.cloud.tencentcloud.global
  - certops.cloud.attributes
  - certops.cloud.attributes.full
attributes:
  check_mode:
    details:
      - In check mode the store is searched (read-only) and RV(certificate_id) is null when a copy would be created.
"""

EXAMPLES = r"""
- name: Create the renewed certificate in the GAAP store once and keep its id
  certops.cloud.tencentcloud_gaap_certificate:
    certificate: "{{ lookup('ansible.builtin.file', 'www.example.com.fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'www.example.com.key') }}"
    alias: www-2026
  register: gaap_cert

- name: Remove an old copy by fingerprint
  certops.cloud.tencentcloud_gaap_certificate:
    state: absent
    fingerprint: "AB:CD:..."
"""

RETURN = r"""
certificate_id:
  description: Id of the stored certificate (null in check mode when it would be uploaded, or after deletion).
  returned: always
  type: str
  sample: cert-3h7x9k2m
copies:
  description: The GAAP store's copies of the certificate, the one every run takes (RV(certificate_id)) first.
  type: list
  elements: str
  returned: when O(state=present)
  sample: [cert-3h7x9k2m]
removed_copies:
  description: The copy this run made, removed since another is the one every run takes.
  type: list
  elements: str
  returned: when O(state=present)
  sample: []
certificate_ids:
  description: With O(state=absent), the ids that were (or would be) deleted.
  returned: when O(state=absent)
  type: list
  elements: str
  sample: [cert-old00001]
certificate:
  description: Summary of the certificate, with the keys of RV(certops.cloud.certificate_check#module:certificate); no key material.
  returned: when O(certificate) is given
  type: dict
  sample: {subject: CN=www.example.com, subject_alt_names: [www.example.com, example.com], not_after: "2027-03-05T09:48:45Z",
    fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}
"""

from ansible_collections.certops.cloud.plugins.module_utils._store import CertificateStoreMixin
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.gaap import CERTIFICATE_TYPES, GaapModule


class GaapCertificate(CertificateStoreMixin, GaapModule):
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        certificate_type=dict(type="str", choices=["server", "client_ca", "origin_ca", "proxy"], default="server"),
        alias=dict(type="str", aliases=["name"]),
        certificate_id=dict(type="str"),
        fingerprint=dict(type="str"),
        settle_seconds=dict(type="float", default=5),
    )
    module_kwargs = dict(
        required_if=[("state", "present", ["certificate"])],
        mutually_exclusive=[("certificate_id", "fingerprint", "certificate")],
    )

    def endpoint_label(self):
        return "tencentcloud gaap store"

    def store_type(self):
        return CERTIFICATE_TYPES[self.params["certificate_type"]]

    def needs_key(self):
        return self.params["certificate_type"] in ("server", "proxy")


def main():
    GaapCertificate.run_module()


if __name__ == "__main__":
    main()
