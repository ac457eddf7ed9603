#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_clb_certificate
short_description: Replace a certificate on every Tencent Cloud CLB load balancer that uses it
version_added: 0.1.0
description:
  - Asks C(DescribeLoadBalancerListByCertId) which load balancers use O(old_certificate_id). When none does, the
    task is ok and nothing is written. Otherwise the module calls C(ReplaceCertForLoadBalancers) (the successor of
    the retired API 2.0 C(ReplaceCert)) and returns the affected load balancers.
  - The new certificate is given by its SSL certificate store id (O(certificate_id)) or by content (O(certificate),
    O(private_key)); content is stored in the SSL store once, found there by fingerprint on later runs.
  - Mutual TLS settings are kept. The listeners that use the old certificate are read with C(DescribeListeners) and
    their C(SSLMode) and client CA id (C(CertCaId)) are sent again, unless O(ssl_mode) or O(ca_certificate_id) are
    set. If those listeners disagree, the task fails and asks for O(ssl_mode).
  - Unknown certificate ids and invalid certificate input fail before any write.
author:
  - certops.cloud contributors (@certops)
options:
  old_certificate_id:
    description:
      - SSL store id of the server certificate to replace.
      - Required unless O(batch) is given.
    type: str
    aliases: [old_cert_id]
  batch:
    description:
      - Many certificates to replace by the same new one, in one run; each entry names one old certificate (one
        endpoint). O(regions), O(ssl_mode) and O(ca_certificate_id) given at the top level apply to entries that do
        not set them.
      - Returns RV(endpoints).
    type: list
    elements: dict
    suboptions:
      old_certificate_id:
        description: SSL store id of the server certificate to replace.
        type: str
        aliases: [old_cert_id]
      regions:
        description: Regions whose load balancers are read.
        type: list
        elements: str
      ssl_mode:
        description: V(UNIDIRECTIONAL) or V(MUTUAL).
        type: str
        choices: [UNIDIRECTIONAL, MUTUAL]
      ca_certificate_id:
        description: SSL store id of the client CA certificate with V(MUTUAL).
        type: str
  certificate_id:
    description: SSL store id of the new certificate. One of O(certificate_id) and O(certificate) is required.
    type: str
    aliases: [new_cert_id]
  certificate:
    description: PEM text of the new certificate, leaf first, then the chain.
    type: str
  private_key:
    description: PEM text of the private key of the new leaf. Never logged or returned.
    type: str
  private_key_passphrase:
    description: Passphrase of an encrypted O(private_key).
    type: str
  name:
    description: Name (alias) of the new certificate when it is stored from O(certificate).
    type: str
  ssl_mode:
    description:
      - V(UNIDIRECTIONAL) or V(MUTUAL) (client certificates verified). Kept from the listeners when not set.
    type: str
    choices: [UNIDIRECTIONAL, MUTUAL]
  ca_certificate_id:
    description: SSL store id of the client CA certificate with V(MUTUAL). Kept from the listeners when not set.
    type: str
  regions:
    description:
      - Regions whose load balancers are read. C(DescribeLoadBalancerListByCertId) answers for one region a call.
      - Defaults to O(region), else V(ap-guangzhou).
    type: list
    elements: str
extends_documentation_fragment:
  - certops.cloud.tencentcloud
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.tencentcloud
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diff shows the certificate ids, the TLS settings, the affected load balancers and listeners, and the
        summaries of the old and new certificates (subject, SANs, expiry, fingerprints).
  idempotent:
    support: full
notes:
  - Region constraint - C(ReplaceCertForLoadBalancers) can only be called in the Guangzhou region, and it replaces
    the certificate on the load balancers of every region. The module therefore always sends it to V(ap-guangzhou),
    whatever O(region) is. The preview (which load balancers use the certificate, and their TLS settings) is
    regional; list every region where the certificate may be used in O(regions) to see and return them all.
"""

EXAMPLES = r"""
- name: Replace the old certificate on every load balancer of the region
  certops.cloud.tencentcloud_clb_certificate:
    region: ap-guangzhou
    old_certificate_id: "{{ old_cert_id }}"
    certificate_id: "{{ stored.certificate_id }}"
  register: clb

- name: Same, by content (stored in the SSL store once)
  certops.cloud.tencentcloud_clb_certificate:
    region: ap-guangzhou
    old_cert_id: "{{ old_cert_id }}"
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
    name: www-2026
"""

RETURN = r"""
before:
  description: What used the old certificate before the run.
  returned: success
  type: dict
  contains:
    certificate_id:
      description: The certificate the listeners used (O(old_certificate_id)).
      type: str
    load_balancers:
      description: C(load_balancer_id) and C(load_balancer_name) of each load balancer using it.
      type: list
      elements: dict
    listeners:
      description: C(load_balancer_id), C(listener_id), C(domain) (SNI rules), C(ssl_mode), C(cert_id), C(cert_ca_id)
        of each listener using it; read only when a replacement is due.
      type: list
      elements: dict
    certificate:
      description: Summary of the certificate (no key material), when a replacement is due or with C(--diff).
      type: dict
after:
  description: The same load balancers after the run (in check mode, as they would be), with the new certificate.
  returned: success
  type: dict
load_balancers:
  description: The load balancers that were (or would be) changed.
  returned: success
  type: list
  elements: dict
certificate_id:
  description: Id of the new certificate (null in check mode when it would first be stored).
  returned: success
  type: str

endpoints:
  description: With O(batch), one result per entry, in order - C(endpoint), C(changed), C(failed), C(msg), C(summary) (ids, leaf
    fingerprints and expiry, before and after; see docs/modules.md of the collection), C(before) and C(after) as for one old certificate.
  returned: when O(batch) is given
  type: list
  elements: dict
"""

from ansible_collections.certops.cloud.plugins.module_utils._common import summary_row
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_clb import REPLACE_REGION, ClbModule


class ClbCertificate(ClbModule):
    argument_spec = dict(
        old_certificate_id=dict(type="str", required=True, aliases=["old_cert_id"]),
        certificate_id=dict(type="str", aliases=["new_cert_id"]),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        name=dict(type="str"),
        ssl_mode=dict(type="str", choices=["UNIDIRECTIONAL", "MUTUAL"]),
        ca_certificate_id=dict(type="str"),
        regions=dict(type="list", elements="str"),
    )
    batch_options = ("old_certificate_id", "regions", "ssl_mode", "ca_certificate_id")
    module_kwargs = dict(
        required_one_of=[("certificate_id", "certificate")],
        mutually_exclusive=[("certificate_id", "certificate")],
        required_together=[("certificate", "private_key")],
    )

    def validate(self):
        self.bundle = self.key = None
        if self.params["certificate"]:
            self.bundle, self.key = self.load_certificate_input()
        self.new_id = self.params["certificate_id"]
        if self.bundle is not None:
            self.new_id = self.shared.memo(("ssl find", self.bundle.fingerprint_sha256),
                                           lambda: self.store.ensure(self.bundle, check_mode=True)[0])

    def read_binding(self):
        old = self.params["old_certificate_id"]
        users = self.load_balancers_by_cert([old] + [self.new_id] if self.new_id and self.new_id != old else [old])
        if not users.get(old) and not users.get(self.new_id) and self.store.detail(old) is None:
            self.fail("old_certificate_id %s is not in the Tencent Cloud SSL certificate store" % old)
        return dict(certificate_id=old, load_balancers=users.get(old) or [], listeners=[], certificate=None)

    def desired_binding(self, before):
        if not before["load_balancers"] or self.new_id == before["certificate_id"]:
            return dict(before)
        before["listeners"] = [b for lb in before["load_balancers"] for b in self.tls_bindings(lb, before["certificate_id"])]
        old = self.store.detail(before["certificate_id"])
        before["certificate"] = old and old["certificate"]
        if self.bundle is not None:
            summary = self.bundle.summary()
        else:
            new = self.store.detail(self.new_id)
            if new is None:
                self.fail("certificate_id %s is not in the Tencent Cloud SSL certificate store" % self.new_id)
            summary = new["certificate"]
        self.ssl_mode, self.ca_id = self.tls_settings(before["listeners"])
        listeners = [dict(b, cert_id=self.new_id, ssl_mode=self.ssl_mode, cert_ca_id=self.ca_id) for b in before["listeners"]]
        return dict(before, certificate_id=self.new_id, listeners=listeners, certificate=summary)

    def tls_settings(self, listeners):
        """(SSLMode, CertCaId) to send: the options, else what every listener using the old certificate has."""
        current = sorted({(b["ssl_mode"] or "UNIDIRECTIONAL", b["cert_ca_id"]) for b in listeners}, key=str)
        ssl_mode, ca_id = self.params["ssl_mode"], self.params["ca_certificate_id"]
        if ssl_mode is None and ca_id is None and len(current) > 1:
            self.fail("the listeners using the certificate have different mutual TLS settings %s; set ssl_mode "
                      "(and ca_certificate_id) to choose one" % ", ".join("%s/%s" % s for s in current))
        if ssl_mode is None:
            ssl_mode = "MUTUAL" if ca_id else (current[0][0] if current else "UNIDIRECTIONAL")
        if ssl_mode == "MUTUAL" and ca_id is None:
            ca_id = current[0][1] if current else None
            if not ca_id:
                self.fail("ssl_mode MUTUAL needs ca_certificate_id")
        return ssl_mode, (ca_id if ssl_mode == "MUTUAL" else None)

    def bindings_equal(self, before, after):
        return before["certificate_id"] == after["certificate_id"]

    def write_binding(self, before, after):
        if after["certificate_id"] is None:
            after["certificate_id"] = self.shared.memo(("ssl upload", self.bundle.fingerprint_sha256),
                                                       lambda: self.store.upload(self.bundle, self.key, alias=self.params["name"])[0])
            after["listeners"] = [dict(b, cert_id=after["certificate_id"]) for b in after["listeners"]]
        certificate = dict(SSLMode=self.ssl_mode, CertId=after["certificate_id"])
        if self.ca_id:
            certificate["CertCaId"] = self.ca_id
        self.call("clb", "ReplaceCertForLoadBalancers", region=REPLACE_REGION, OldCertificateId=before["certificate_id"], Certificate=certificate)

    def summary(self, result):
        before, after = result.get("before") or {}, result.get("after") or {}
        return summary_row(before.get("certificate_id"), before.get("certificate"), result.get("certificate_id"), after.get("certificate"))

    def extra_results(self, before, after):
        return dict(load_balancers=before["load_balancers"] if self.changed else [], certificate_id=after["certificate_id"] if self.changed else self.new_id)


def main():
    module = ClbCertificate.define_module()
    ClbCertificate(module).run()


if __name__ == "__main__":
    main()
