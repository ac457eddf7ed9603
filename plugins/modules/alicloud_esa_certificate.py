#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: alicloud_esa_certificate
short_description: Set a certificate of an Alibaba Cloud ESA site
version_added: 0.1.0
description:
  - Reads the site's certificate, by O(id) with C(GetCertificate) or by O(name) with C(ListCertificates), compares
    it with the desired one and calls C(SetCertificate) only when they differ, replacing it in place (C(Id)) when it
    exists.
  - V(upload) certificates are compared by the DER SHA-256 fingerprints of the leaf (ESA's C(FingerprintSha256))
    and of the chain, never by PEM text. V(cas) certificates are compared by their Certificate Management Service
    id (C(CasId)).
  - C(Certificate.Duplicated), returned when the site already holds an identical certificate, is a no-op, not a
    failure. The site's list, read before a change, finds such a copy before any write, so a site that keeps the
    certificate in another entry takes no write on any run. With O(prune_expired=true) the site's expired custom
    certificates are deleted before a new one is added, because they still count against the plan's quota
    (C(CertQuotaCheckFailed)).
  - The certificate and key are validated locally (PEM, key matches the leaf, chain order, validity dates) before
    any API call.
seealso:
  - module: certops.cloud.alicloud_esa_certificate_info
  - name: SetCertificate (ESA API 2024-09-10)
    link: https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-setcertificate
    description: The write - adds a site certificate, or replaces one in place by C(Id).
  - name: ListCertificates (ESA API 2024-09-10)
    link: https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listcertificates
    description: The site's certificates, read to find one by name and the copies the site already holds.
author:
  - certops.cloud contributors (@certops)
options:
  site_id:
    description:
      - Id of the ESA site.
      - Required unless O(batch) is given.
    type: int
  id:
    description: Id of the site certificate to replace. One of O(id) and O(name) is required (unless O(batch) is given).
    type: str
  batch:
    description:
      - Many site certificates set to the same certificate in one run; each entry names one site certificate (one
        endpoint) by O(site_id) and O(id) or O(name). O(prune_expired) and O(region) given at the top level apply to
        entries that do not set them.
      - Returns RV(endpoints).
    type: list
    elements: dict
    suboptions:
      site_id:
        description: Id of the ESA site.
        type: int
      id:
        description: Id of the site certificate to replace.
        type: str
      name:
        description: Name of the site certificate.
        type: str
      prune_expired:
        description: Delete the site's expired custom certificates before adding a new one.
        type: bool
      region:
        description: Region of the site's ESA API (the API endpoint C(esa.<region>.aliyuncs.com)).
        type: str
  name:
    description:
      - Name of the site certificate. With O(id), the new name; without, the certificate is found by this name
        and added when the site has none of that name.
    type: str
  type:
    description: V(upload) for a certificate and key given as PEM, V(cas) for a certificate of Alibaba Cloud's
      Certificate Management Service.
    type: str
    choices: [upload, cas]
    default: upload
  certificate:
    description: PEM text of the certificate, leaf first, then the chain. Required with O(type=upload).
    type: str
  private_key:
    description: PEM text of the private key of the leaf. Required with O(type=upload). Never logged or returned.
    type: str
  private_key_passphrase:
    description: Passphrase of an encrypted O(private_key); the key is decrypted locally.
    type: str
  cas_id:
    description: Id of the certificate in the Certificate Management Service. Required with O(type=cas).
    type: int
  cas_region:
    description: Region of the Certificate Management Service certificate (C(Region) of C(SetCertificate)) with
      O(type=cas). Defaults to O(region).
    type: str
  prune_expired:
    description: Delete the site's expired custom (V(upload) and V(cas)) certificates before adding a new one.
    type: bool
    default: false
extends_documentation_fragment:
  - certops.cloud.alicloud
  - certops.cloud.endpoint
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.full
attributes:
  diff_mode:
    details:
      - The diff shows the ids, type, fingerprints, names and expiry of the site certificate; no key material.
"""

EXAMPLES = r"""
- name: Replace the site's certificate in place
  certops.cloud.alicloud_esa_certificate:
    site_id: 1234567890123
    id: "30001303"
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"

- name: Keep a certificate named www on the site, freeing quota taken by expired ones
  certops.cloud.alicloud_esa_certificate:
    site_id: 1234567890123
    name: www
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
    prune_expired: true

- name: Use a certificate of the Certificate Management Service
  certops.cloud.alicloud_esa_certificate:
    site_id: 1234567890123
    name: www-cas
    type: cas
    cas_id: 30000478
"""

RETURN = r"""
before:
  description: The site certificate as read before the run (all values null when it did not exist).
  returned: success
  type: dict
  contains:
    site_id:
      description: Site id.
      type: int
    id:
      description: Certificate id on the site.
      type: str
    name:
      description: Certificate name.
      type: str
    type:
      description: V(upload), V(cas) or V(free).
      type: str
    cas_id:
      description: Certificate Management Service id, for V(cas).
      type: str
    fingerprint_sha256:
      description: SHA-256 over the DER of the leaf, lower-case hex.
      type: str
    common_name:
      description: Common name, as ESA reports it.
      type: str
    subject_alt_names:
      description: Subject alternative names, as ESA reports them.
      type: list
      elements: str
    not_after:
      description: End of validity (UTC, ISO 8601).
      type: str
    status:
      description: ESA status (for example V(OK), V(Expiring), V(Expired)).
      type: str
    certificate:
      description: Summary of the certificate, with the keys of RV(certops.cloud.certificate_check#module:certificate), when its PEM was read.
      type: dict
  sample: {site_id: 1234567890123, id: "30001303", name: www, type: upload, cas_id: null, status: Expiring,
    fingerprint_sha256: "c4be289c55bbb03a11b7a693fa1b8e14c2371750835b519b9fe9f33d15f634a2", common_name: www.example.com,
    subject_alt_names: [www.example.com, example.com], not_after: "2026-12-16T22:48:20Z",
    certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}
after:
  description: The site certificate after the run (in check mode, as it would be) - the keys of RV(before).
  returned: success
  type: dict
  sample: {site_id: 1234567890123, id: "30001303", name: www, type: upload, cas_id: null, status: Expiring,
    fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec", common_name: www.example.com,
    subject_alt_names: [www.example.com, example.com], not_after: "2027-03-05T09:48:45Z",
    certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"}}
pruned:
  description: Ids of the expired certificates that were (or would be) deleted with O(prune_expired).
  returned: success
  type: list
  elements: str
  sample: ["30009001"]
endpoints:
  description: With O(batch), one result per entry, in order (see the notes), with RV(pruned), RV(before) and RV(after)
    (left out of the sample) of each site certificate.
  returned: when O(batch) is given
  type: list
  elements: dict
  sample:
    - {endpoint: alicloud esa site 1234567890123 certificate 30001303, changed: true, failed: false, pruned: [],
       summary: {before_id: "30001303", before_fingerprint: "c4be289c55bbb03a11b7a693fa1b8e14c2371750835b519b9fe9f33d15f634a2",
                 before_not_after: "2026-12-16T22:48:20Z", after_id: "30001303", after_not_after: "2027-03-05T09:48:45Z",
                 after_fingerprint: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._alicloud.esa import CUSTOM_TYPES, EsaModule, entry_binding
from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError
from ansible_collections.certops.cloud.plugins.module_utils._certificate import private_key_to_pem, same_certificate
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointModule, summary_row
from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS


class EsaCertificate(EsaModule, EndpointModule):
    argument_spec = dict(
        site_id=dict(type="int", required=True),
        id=dict(type="str"),
        name=dict(type="str"),
        type=dict(type="str", choices=["upload", "cas"], default="upload"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        cas_id=dict(type="int"),
        cas_region=dict(type="str"),
        prune_expired=dict(type="bool", default=False),
    )
    batch_options = PROVIDERS["esa"].batch_options
    module_kwargs = dict(
        required_one_of=[("id", "name")],
    )
    bundle = key = held = None
    pruned: list = []

    def validate(self):
        self.bundle = self.key = self.held = None
        self.pruned = []
        needed = dict(upload=("certificate", "private_key"), cas=("cas_id",))[self.params["type"]]
        missing = [name for name in needed if self.params[name] is None]
        if missing:
            self.fail("type is %s but %s %s missing" % (self.params["type"], " and ".join(missing), "is" if len(missing) == 1 else "are"))
        if self.params["type"] == "upload":
            self.bundle, self.key = self.load_certificate_input()

    def read_binding(self):
        site_id = self.params["site_id"]
        if self.params["id"]:
            entry, pem = self.get_certificate(site_id, self.params["id"])
            if entry is None:
                self.fail("certificate id %s was not found on site %s" % (self.params["id"], site_id))
            return entry_binding(site_id, entry, pem)
        self.site_entries = self.list_certificates(site_id)
        entry = next((e for e in self.site_entries if e.get("Name") == self.params["name"]), None)
        binding = entry_binding(site_id, entry)
        if entry and self.bundle is not None and binding["fingerprint_sha256"] == self.bundle.fingerprint_sha256:
            # Same leaf: read the PEM to compare the chain too.
            binding = entry_binding(site_id, *self.get_certificate(site_id, entry["Id"]))
        return binding

    def desired_binding(self, before):
        after = dict(before, type=self.params["type"], name=self.params["name"] or before["name"])
        if self.bundle is not None:
            summary = self.bundle.summary()
            after.update(cas_id=None, fingerprint_sha256=summary["fingerprint_sha256"], common_name=summary["common_name"],
                         subject_alt_names=summary["subject_alt_names"], not_after=summary["not_after"], certificate=summary)
            after["name"] = after["name"] or summary["common_name"]
        else:
            after.update(cas_id=str(self.params["cas_id"]), fingerprint_sha256=None, certificate=None)
        if self.params["prune_expired"] and before["id"] is None and not self.bindings_equal(before, after):
            self.pruned = [e["Id"] for e in self.site_entries if e.get("Type") in CUSTOM_TYPES and e.get("Status") == "Expired"]
        self.held = self.held_elsewhere(before, after)
        if self.held is not None:
            return self.keep_held(before, after)
        return after

    def keep_held(self, before, after):
        """ESA keeps one copy of a certificate per site (``self.held``): it is served from there, nothing to write."""
        where = "certificate %s keeps its own, delete it if it is not needed" % before["id"] if before["id"] else "nothing changed"
        self.module.warn("site %s already holds this certificate as %s (%s); %s" % (
            before["site_id"], self.held.get("Id"), self.held.get("Name"), where))
        return dict(before) if before["id"] else dict(after, id=self.held.get("Id"), name=self.held.get("Name"))

    def held_elsewhere(self, before, after, entries=None):
        """The site's other certificate entry that is the wanted certificate (same leaf), when a change is due.

        By O(id) this reads the site's list (a second read, for a change only): trying C(SetCertificate) and reading
        the list on C(Certificate.Duplicated) would save it, but a site that keeps the certificate in another entry
        would then take a rejected write on every run instead of none."""
        if self.bundle is None or self.same(before, after):
            return None
        entries = entries if entries is not None else getattr(self, "site_entries", None)
        if entries is None:
            entries = self.list_certificates(before["site_id"])
        for entry in entries:
            if entry.get("Id") != before["id"] and entry_binding(before["site_id"], entry)["fingerprint_sha256"] == after["fingerprint_sha256"]:
                return entry
        return None

    def bindings_equal(self, before, after):
        return self.held is not None or self.same(before, after)

    @staticmethod
    def same(before, after):
        if before["type"] != after["type"]:
            return False
        if after["type"] == "cas":
            return before["cas_id"] == after["cas_id"]
        if before["fingerprint_sha256"] != after["fingerprint_sha256"]:
            return False
        return before["certificate"] is None or same_certificate(before["certificate"], after["certificate"])

    def write_binding(self, before, after):
        site_id = self.params["site_id"]
        for certificate_id in self.pruned:
            self.call("DeleteCertificate", SiteId=site_id, Id=certificate_id)
        params = dict(SiteId=site_id, Type=after["type"], Name=after["name"])
        if before["id"]:
            params["Id"] = before["id"]
        if self.bundle is not None:
            params.update(Certificate=self.bundle.to_pem(), PrivateKey=private_key_to_pem(self.key))
        else:
            params.update(CasId=self.params["cas_id"], Region=self.params["cas_region"] or self.cloud.region)
        try:
            after["id"] = self.call("SetCertificate", **params).get("Id") or before["id"]
        except ApiError as exc:
            if exc.code != "Certificate.Duplicated" or self.bundle is None:
                raise
            self.duplicate(site_id, before, after, exc)

    def duplicate(self, site_id, before, after, exc):
        """The site already holds this certificate in another entry (written there since it was read, by another
        endpoint of the same run or a lost reply's retry): nothing changed, as if found before."""
        self.held = self.held_elsewhere(before, after, entries=self.list_certificates(site_id))
        if self.held is None:
            raise exc
        self.changed = False
        kept = self.keep_held(before, after)
        after.clear()
        after.update(kept)

    def summary(self, result):
        before, after = result.get("before") or {}, result.get("after") or {}
        return summary_row(before.get("id"), before, after.get("id"), after)

    def extra_results(self, before, after):
        return dict(pruned=self.pruned)


def main():
    EsaCertificate.run_module()


if __name__ == "__main__":
    main()
