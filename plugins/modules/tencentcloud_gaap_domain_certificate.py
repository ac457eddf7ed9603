#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_gaap_domain_certificate
short_description: Set the certificates of a domain of a Tencent Cloud GAAP HTTPS listener
version_added: 0.1.0
description:
  - Reads the listener's domains with C(DescribeRules), picks O(domain), compares its server certificate, client CA
    certificate and multiple client CA certificates with the desired ids and calls C(ModifyCertificate) only when
    they differ.
  - Certificate ids are ids of the GAAP certificate store, for example returned by
    M(certops.cloud.tencentcloud_gaap_certificate). V(default) means the listener's own certificate.
  - A domain that is being changed (C(DomainStatus) not 0) is waited for, up to O(wait_timeout) seconds, before the
    write; with O(wait=true) the module also waits until the domain runs again after the write.
  - New certificate ids are looked up in the GAAP store before any write; unknown ids fail the task.
  - With O(batch), each listener's domains are read with one C(DescribeRules) for all its domains, and the domains
    written are awaited together after every write of the batch - one C(DescribeRules) per listener and poll, the
    listeners polled at the same time, up to 20 - so the result still says changed only once each domain runs again.
seealso:
  - module: certops.cloud.tencentcloud_gaap_certificate
    description: Creates the certificate in the GAAP store once and returns the id that O(certificate_id) takes.
  - module: certops.cloud.tencentcloud_gaap_domain_certificate_info
  - name: ModifyCertificate (GAAP API)
    link: https://www.tencentcloud.com/document/api/608/33040
    description: The write - the certificates of one domain of a listener.
author:
  - certops.cloud contributors (@certops)
options:
  listener_id:
    description:
      - Id of the HTTPS listener, for example V(listener-2x9f0c1a).
      - Required unless O(batch) is given.
    type: str
  domain:
    description:
      - The domain of the listener.
      - Required unless O(batch) is given.
    type: str
  batch:
    description:
      - Many listener domains set to the same certificates in one run; each entry names one domain (one endpoint).
        O(listener_id), O(wait_timeout) and O(wait_interval) given at the top level apply to entries that do not set
        them.
      - Returns RV(endpoints).
    type: list
    elements: dict
    suboptions:
      listener_id:
        description: Id of the HTTPS listener.
        type: str
      domain:
        description: The domain of the listener.
        type: str
      wait_timeout:
        description: How long to wait, in seconds, for the domain to run.
        type: int
      wait_interval:
        description: Seconds between two reads while waiting.
        type: float
  certificate_id:
    description:
      - Id of the server certificate in the GAAP store, or V(default) for the listener's certificate.
      - Left as it is when neither this nor O(certificate) is given.
    type: str
  certificate:
    description:
      - The server certificate as PEM (leaf first, then the chain), instead of O(certificate_id) - put into the GAAP
        store once (found there by fingerprint afterwards, the copy every run takes), so a check-mode run never
        depends on an id that only an upload would create.
    type: str
  name:
    description: Name (alias) of the certificate when it is stored from O(certificate).
    type: str
  client_certificate_id:
    description:
      - Id of the client CA certificate (mutual authentication), or V(default) for the listener's.
      - Left as it is when not given.
    type: str
  poly_client_certificate_ids:
    description:
      - Ids of several client CA certificates. Left as they are when not given; the order does not matter.
    type: list
    elements: str
  wait:
    description: Wait after a write until the domain runs again (C(DomainStatus) 0).
    type: bool
    default: true
  wait_timeout:
    description: How long to wait, in seconds, for the domain to run, before and after the write.
    type: int
    default: 300
  wait_interval:
    description: Seconds between two reads while waiting.
    type: float
    default: 5
extends_documentation_fragment:
  - certops.cloud.certificate
  - certops.cloud.endpoint
  - certops.cloud.tencentcloud
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.full
  - certops.cloud.tencentcloud.global
attributes:
  diff_mode:
    details:
      - The diff shows the certificate ids and, when they change, the summaries of the server certificates
        (subject, SANs, expiry, fingerprints).
"""

EXAMPLES = r"""
- name: Upload the certificate to the GAAP store once
  certops.cloud.tencentcloud_gaap_certificate:
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
  register: gaap_cert

- name: Serve it on the domain
  certops.cloud.tencentcloud_gaap_domain_certificate:
    listener_id: listener-2x9f0c1a
    domain: www.example.com
    certificate_id: "{{ gaap_cert.certificate_id }}"
"""

RETURN = r"""
before:
  description: The binding as read before the run.
  returned: success
  type: dict
  contains:
    listener_id:
      description: Listener id.
      type: str
    domain:
      description: Domain.
      type: str
    certificate_id:
      description: Server certificate id (or V(default)).
      type: str
    certificate_alias:
      description: Alias of the server certificate, as read before the run (also in RV(after)).
      type: str
    client_certificate_id:
      description: Client CA certificate id (or V(default)), null when none.
      type: str
    poly_client_certificate_ids:
      description: Ids of the client CA certificates, sorted.
      type: list
      elements: str
    domain_status:
      description: C(DomainStatus) as read; 0 means running.
      type: int
    certificate:
      description: Summary of the server certificate (for V(default), of the listener's), with the keys
        of RV(certops.cloud.certificate_check#module:certificate).
      type: dict
  sample: {listener_id: listener-2x9f0c1a, domain: www.example.com, certificate_id: cert-old00001, certificate_alias: www-old,
    client_certificate_id: null, poly_client_certificate_ids: [], domain_status: 0,
    certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
after:
  description: The binding after the run (in check mode, as it would be) - the keys of RV(before); C(domain_status) is
    null after a write with O(wait=false).
  returned: success
  type: dict
  sample: {listener_id: listener-2x9f0c1a, domain: www.example.com, certificate_id: cert-3h7x9k2m, certificate_alias: www-old,
    client_certificate_id: null, poly_client_certificate_ids: [], domain_status: 0,
    certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"}}
endpoints:
  description: With O(batch), one result per entry, in order (see the notes), with RV(before) and RV(after) (left out of
    the sample) of each listener domain.
  returned: when O(batch) is given
  type: list
  elements: dict
  sample:
    - {endpoint: tencentcloud gaap listener listener-2x9f0c1a domain www.example.com, changed: true, failed: false,
       summary: {before_id: cert-old00001, before_fingerprint: "c4be289c55bbb03a11b7a693fa1b8e14c2371750835b519b9fe9f33d15f634a2",
                 before_not_after: "2026-12-16T22:48:20Z", after_id: cert-3h7x9k2m, after_not_after: "2027-03-05T09:48:45Z",
                 after_fingerprint: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._certificate import same_certificate
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointModule, Group, summary_row
from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS
from ansible_collections.certops.cloud.plugins.module_utils._store import NO_ID_HINT
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.gaap import GaapModule

_COMPARED = ("certificate_id", "client_certificate_id", "poly_client_certificate_ids")


class GaapDomainCertificate(GaapModule, EndpointModule):
    argument_spec = dict(
        listener_id=dict(type="str", required=True),
        domain=dict(type="str", required=True),
        certificate_id=dict(type="str"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        name=dict(type="str"),
        client_certificate_id=dict(type="str"),
        poly_client_certificate_ids=dict(type="list", elements="str"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        wait_interval=dict(type="float", default=5),
    )
    batch_options = PROVIDERS["gaap"].batch_options
    module_kwargs = dict(
        mutually_exclusive=[("certificate_id", "certificate")],
        required_together=[("certificate", "private_key")],
    )

    def validate(self):
        self.bundle = self.key = None
        if self.params["certificate_id"] is not None and not str(self.params["certificate_id"]).strip():
            self.fail("certificate_id is empty. %s" % NO_ID_HINT)
        if all(self.params[key] is None for key in ("certificate_id", "certificate", "client_certificate_id", "poly_client_certificate_ids")):
            self.fail("nothing to set: give certificate_id, certificate (with private_key), client_certificate_id or "
                      "poly_client_certificate_ids. %s" % NO_ID_HINT)
        if self.params["certificate"]:
            self.bundle, self.key = self.load_certificate_input()

    def read_binding(self):
        return self.read_domain(self.params["listener_id"], self.params["domain"])

    def read_held(self):
        before = self.read_binding()
        before["certificate"] = self.certificate_summaries(before["certificate_id"], strict=False,
                                                           listener_id=before["listener_id"]).get(before["certificate_id"])
        self.before, self.after, self.changed = before, before, False

    def desired_binding(self, before):
        after = dict(before)
        for key in _COMPARED:
            if self.params[key] is not None:
                after[key] = sorted(self.params[key]) if key == "poly_client_certificate_ids" else self.params[key]
        if self.bundle is not None:
            # Found in the GAAP store by fingerprint (the copy every run takes), or None: stored when written.
            after["certificate_id"] = self.shared.memo(("gaap find", self.bundle.fingerprint_sha256),
                                                       lambda: self.store.ensure(self.bundle, check_mode=True)[0])
            if after["certificate_id"] is None:
                before["certificate"] = self.certificate_summaries(before["certificate_id"], strict=False,
                                                                   listener_id=after["listener_id"]).get(before["certificate_id"])
                after["certificate"] = self.bundle.summary()
                return after
        # Unknown ids fail here, before any write; the summaries (each id read once per run) give the fingerprints.
        summaries = self.certificate_summaries(before["certificate_id"], after["certificate_id"],
                                               after["client_certificate_id"], *after["poly_client_certificate_ids"],
                                               listener_id=after["listener_id"])
        before["certificate"] = summaries.get(before["certificate_id"])
        after["certificate"] = summaries.get(after["certificate_id"])
        if "default" not in (before["certificate_id"], after["certificate_id"]) and before["certificate"] and \
                same_certificate(before["certificate"], after["certificate"]):
            # Another copy of the same certificate (leaf and chain) is the certificate: nothing to rewrite.
            after.update(certificate_id=before["certificate_id"], certificate=before["certificate"])
        return after

    def bindings_equal(self, before, after):
        return all(before.get(key) == after.get(key) for key in _COMPARED)

    def write_binding(self, before, after):
        if before["domain_status"] not in (0, None):
            self.wait_running(after["listener_id"], after["domain"], self.params["wait_timeout"], self.params["wait_interval"])
        if after["certificate_id"] is None:
            after["certificate_id"] = self.shared.memo(("gaap upload", self.bundle.fingerprint_sha256), lambda: self.store.ensure(
                self.bundle, self.key, alias=self.params["name"])[0])
        params = dict(ListenerId=after["listener_id"], Domain=after["domain"], CertificateId=after["certificate_id"])
        if self.params["client_certificate_id"] is not None:
            params["ClientCertificateId"] = self.params["client_certificate_id"]
        if self.params["poly_client_certificate_ids"] is not None:
            params["PolyClientCertificateIds"] = self.params["poly_client_certificate_ids"]
        self.call("gaap", "ModifyCertificate", **params)

    def confirm_binding(self, after):
        return after if self.params["wait"] else dict(after, domain_status=None)

    def await_groups(self, groups):
        """The written domains of a listener are awaited together (one DescribeRules a poll), the listeners at once."""
        listeners = {}
        for group in groups:
            for member in group.members:
                listeners.setdefault(member.params["listener_id"], []).append(member)
        return [Group(listener_id, members) for listener_id, members in listeners.items()]

    def await_group(self, group):
        members = [member for member in group.members if member.failure is None]
        for member in members:
            member.confirm()
        if self.params["wait"]:
            self.wait_listener(group.key, members)

    def summary(self, result):
        before, after = result.get("before") or {}, result.get("after") or {}
        return summary_row(before.get("certificate_id"), before.get("certificate"), after.get("certificate_id"), after.get("certificate"))


def main():
    GaapDomainCertificate.run_module()


if __name__ == "__main__":
    main()
