#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_tse_gateway_certificate
short_description: Set the certificate of a Tencent Cloud TSE cloud-native API gateway certificate entry
version_added: 0.1.0
description:
  - Reads the gateway certificate entry with C(DescribeCloudNativeAPIGatewayCertificateDetails), compares it with
    the desired certificate and calls C(ModifyCloudNativeAPIGatewayCertificate) only when they differ.
  - With O(batch), the entries of a gateway that the batch names two or more of are read from the gateway's listing
    (C(DescribeCloudNativeAPIGatewayCertificates), 100 entries a call) instead of one detail read each. Pages are
    read only while they cost fewer calls than the entries still missing; those, and an entry listed without its
    C(Crt), are read on their own.
  - With O(cert_source=ssl) the entry points at a certificate of the SSL certificate store (O(cert_id)); the
    comparison is by id. With O(cert_source=native) the PEM is stored on the gateway; the comparison is by the
    DER fingerprints of the leaf and the chain, never by PEM text.
  - The certificate and key are validated locally, and an O(cert_id) is looked up in the store, before any write.
  - The new certificate must cover every domain of the entry's C(BindDomains); otherwise the task fails before any
    write.
  - Returns the binding as read (RV(before)) and as it is after the run (RV(after)), so that a caller can roll back.
seealso:
  - module: certops.cloud.tencentcloud_tse_gateway_certificate_info
  - module: certops.cloud.tencentcloud_ssl_certificate
    description: Stores the certificate once and returns the id that O(cert_id) takes.
  - name: ModifyCloudNativeAPIGatewayCertificate (Tencent Cloud API)
    link: https://www.tencentcloud.com/document/api/1290/79242
    description: The write, with C(CertSource) V(ssl) or V(native).
author:
  - certops.cloud contributors (@certops)
options:
  gateway_id:
    description:
      - Id of the cloud-native gateway, for example V(gateway-9abf3b79).
      - Required unless O(batch) is given (there, each entry or the top level sets it).
    type: str
  id:
    description:
      - Id of the certificate entry on the gateway.
      - Required unless O(batch) is given.
    type: str
  batch:
    description:
      - Many gateway certificate entries, handled in one run, all bound to the same certificate. Each entry names
        one endpoint; O(gateway_id) and O(region) given at the top level apply to entries that do not set them.
      - Returns RV(endpoints) instead of RV(before) and RV(after).
    type: list
    elements: dict
    suboptions:
      gateway_id:
        description: Id of the gateway.
        type: str
      id:
        description: Id of the certificate entry.
        type: str
      region:
        description: Region of the gateway.
        type: str
  cert_source:
    description:
      - V(ssl) binds a certificate of the SSL certificate store, by O(cert_id) or by content (O(certificate) and
        O(private_key), uploaded to the store once, found there by fingerprint on later runs).
      - V(native) stores O(certificate) and O(private_key) on the gateway (Kong custom certificate).
    type: str
    choices: [ssl, native]
    default: ssl
  cert_id:
    description:
      - Id of the certificate in the SSL certificate store, for example the RV(certops.cloud.tencentcloud_ssl_certificate#module:certificate_id)
        returned by M(certops.cloud.tencentcloud_ssl_certificate).
      - With O(cert_source=ssl), one of O(cert_id) and O(certificate) is required.
    type: str
  certificate:
    description:
      - PEM text of the certificate, leaf first, then the chain. Required with O(cert_source=native).
      - With O(cert_source=ssl), the certificate is stored in the SSL certificate store (never twice) and bound by its id.
    type: str
  private_key:
    description: PEM text of the private key of the leaf. Required with O(cert_source=native). Never logged or returned.
    type: str
  private_key_passphrase:
    description: Passphrase of an encrypted O(private_key); the key is decrypted locally.
    type: str
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.endpoint
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.full
attributes:
  diff_mode:
    details:
      - The diff shows the source, the store id and the certificate summary (subject, SANs, expiry, fingerprints).
notes:
  - O(region) is required (module option or E(TENCENTCLOUD_REGION)).
"""

EXAMPLES = r"""
- name: Bind one SSL store certificate on many gateway certificate entries in one run
  certops.cloud.tencentcloud_tse_gateway_certificate:
    region: ap-guangzhou
    gateway_id: gateway-9abf3b79
    cert_id: "{{ stored.certificate_id }}"
    batch:
      - id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83
      - id: 0d7c1e4b-8f0a-4a52-9e1d-3c2b7a6f5e41
      - gateway_id: gateway-1c2d3e4f
        id: 7b3e9c10-2a4d-4f6b-8c1e-5d9a0b7c3f22

- name: Bind a certificate of the SSL store to a gateway certificate entry
  certops.cloud.tencentcloud_tse_gateway_certificate:
    region: ap-guangzhou
    gateway_id: gateway-9abf3b79
    id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83
    cert_source: ssl
    cert_id: "{{ stored.certificate_id }}"

- name: Store the PEM on the gateway itself
  certops.cloud.tencentcloud_tse_gateway_certificate:
    region: ap-guangzhou
    gateway_id: gateway-9abf3b79
    id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83
    cert_source: native
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
"""

RETURN = r"""
before:
  description: The binding as read before the run.
  returned: success
  type: dict
  contains:
    gateway_id:
      description: Gateway id.
      type: str
    id:
      description: Certificate entry id.
      type: str
    name:
      description: Name of the certificate entry.
      type: str
    bind_domains:
      description: Domains the entry serves.
      type: list
      elements: str
    cert_source:
      description: V(ssl) or V(native).
      type: str
    cert_id:
      description: SSL store id with V(ssl), else null.
      type: str
    certificate:
      description: Summary of the bound certificate, with the keys of RV(certops.cloud.certificate_check#module:certificate).
      type: dict
  sample: {gateway_id: gateway-9abf3b79, id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83, name: www, bind_domains: [www.example.com],
    cert_source: ssl, cert_id: OLDcert1, certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
after:
  description: The binding after the run (in check mode, as it would be) - the keys of RV(before).
  returned: success
  type: dict
  sample: {gateway_id: gateway-9abf3b79, id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83, name: www, bind_domains: [www.example.com],
    cert_source: ssl, cert_id: Zx8Vb3Qe, certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"}}
server_names:
  description: The entry's C(BindDomains), the names a TLS check of the entry can ask for.
  returned: success
  type: list
  elements: str
  sample: [www.example.com]
endpoints:
  description: With O(batch), one result per entry, in order (see the notes), with RV(server_names), RV(before) and RV(after)
    (left out of the sample) of each gateway entry.
  returned: when O(batch) is given
  type: list
  elements: dict
  sample:
    - {endpoint: tencentcloud tse gateway gateway-9abf3b79 certificate f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83, changed: true, failed: false,
       summary: {before_id: OLDcert1, before_fingerprint: "c4be289c55bbb03a11b7a693fa1b8e14c2371750835b519b9fe9f33d15f634a2",
                 before_not_after: "2026-12-16T22:48:20Z", after_id: Zx8Vb3Qe, after_not_after: "2027-03-05T09:48:45Z",
                 after_fingerprint: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}, server_names: [www.example.com]}
"""

from ansible_collections.certops.cloud.plugins.module_utils._certificate import private_key_to_pem, same_certificate
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointModule, summary_row
from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS
from ansible_collections.certops.cloud.plugins.module_utils._store import NO_ID_HINT
from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_covers, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.tse import TseModule


class TseGatewayCertificate(TseModule, EndpointModule):
    argument_spec = dict(
        gateway_id=dict(type="str", required=True),
        id=dict(type="str", required=True),
        cert_source=dict(type="str", choices=["ssl", "native"], default="ssl"),
        cert_id=dict(type="str"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
    )
    batch_options = PROVIDERS["tse"].batch_options
    module_kwargs = dict(
        required_if=[("cert_source", "native", ["certificate", "private_key"])],
        required_together=[("certificate", "private_key")],
        mutually_exclusive=[("cert_id", "certificate")],
    )

    def validate_identity(self):
        self.require_region()

    def validate(self):
        self.validate_identity()
        self.bundle = self.key = None
        if self.params["cert_source"] == "ssl" and not self.params["certificate"] and not (self.params["cert_id"] or "").strip():
            self.fail("cert_source ssl needs cert_id or certificate (with private_key); cert_id is %s. %s" % (
                "empty" if self.params["cert_id"] is not None else "not set", NO_ID_HINT))
        if self.params["certificate"]:
            self.bundle, self.key = self.load_certificate_input()

    def group_key(self):
        return (self.params.get("region"), self.params["gateway_id"])

    def read_group(self, group):
        """The entries of a gateway that a batch names two or more of are read from one listing (see read_entry)."""
        ids = frozenset(member.params["id"] for member in group.members)
        if len(ids) > 1:
            for member in group.members:
                member.listing = ids

    def read_binding(self):
        return self.read_entry(self.params["gateway_id"], self.params["id"])

    def desired_binding(self, before):
        after = dict(before, cert_source=self.params["cert_source"], cert_id=None)
        if self.params["cert_source"] == "ssl" and self.params["cert_id"]:
            after["cert_id"] = self.params["cert_id"]
            if (before["cert_source"], before["cert_id"]) == ("ssl", after["cert_id"]) and not self.module._diff:
                after["certificate"] = before.get("certificate")  # bound already: no store read needed
            else:
                after["certificate"] = self.stored_certificate(self.params["cert_id"])
        elif self.params["cert_source"] == "ssl":
            # Found in the store by fingerprint, or None: uploaded when the binding is written.
            after["cert_id"] = self.shared.memo(("ssl find", self.bundle.fingerprint_sha256),
                                                lambda: self.store.ensure(self.bundle, check_mode=True)[0])
            after["certificate"] = self.bundle.summary()
        else:
            after["certificate"] = self.bundle.summary()
        if after["cert_source"] == "ssl" and before["cert_source"] == "ssl" and before["cert_id"] not in (None, after["cert_id"]):
            held = before.get("certificate") or self.stored_summary(before["cert_id"])
            if held and same_certificate(held, after["certificate"]):
                # Another copy of the same certificate (leaf and chain) is the certificate: nothing to rewrite.
                after.update(cert_id=before["cert_id"], certificate=held)
        return after

    def bindings_equal(self, before, after):
        if before["cert_source"] != after["cert_source"]:
            return False
        if after["cert_source"] == "ssl":
            return before["cert_id"] == after["cert_id"]
        return same_certificate(before["certificate"], after["certificate"])

    def check_desired(self, before, after):
        summary = after.get("certificate")
        uncovered = [name for name in before.get("bind_domains") or [] if summary and not summary_covers(summary, name)]
        if uncovered:
            self.fail("the new certificate (names %s) does not cover the entry's BindDomains %s"
                      % (", ".join(summary_names(summary)), ", ".join(uncovered)))

    def write_binding(self, before, after):
        params = dict(GatewayId=after["gateway_id"], Id=after["id"], CertSource=after["cert_source"])
        if after["cert_source"] == "ssl":
            if after["cert_id"] is None:
                after["cert_id"] = self.shared.memo(("ssl upload", self.bundle.fingerprint_sha256),
                                                    lambda: self.store.upload(self.bundle, self.key)[0])
            params["CertId"] = after["cert_id"]
        else:
            params["Crt"] = self.bundle.to_pem()
            params["Key"] = private_key_to_pem(self.key)
        self.call("tse", "ModifyCloudNativeAPIGatewayCertificate", **params)

    def summary(self, result):
        before, after = result.get("before") or {}, result.get("after") or {}
        return summary_row(before.get("cert_id"), before.get("certificate"), after.get("cert_id"), after.get("certificate"))

    def extra_results(self, before, after):
        return dict(server_names=list(before.get("bind_domains") or []))


def main():
    TseGatewayCertificate.run_module()


if __name__ == "__main__":
    main()
