#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_teo_hosts_certificate
short_description: Set the certificate of Tencent Cloud EdgeOne (TEO) acceleration domains
version_added: 0.1.0
description:
  - Uses the EdgeOne API version 2022-09-01. Reads the hosts with C(DescribeAccelerationDomains) and the
    C(domain-name) filter (at most 20 names a call, so larger lists are read in chunks), compares each host's
    certificate mode and certificate ids with the desired ones, and sends one C(ModifyHostsCertificate) naming
    only the hosts that differ. Nothing is sent when no host differs, never an empty C(Hosts).
  - With O(mode=sslcert), the certificate ids are ids of the Tencent Cloud SSL certificate store, for example
    returned by M(certops.cloud.tencentcloud_ssl_certificate). They are looked up in the store before any write.
seealso:
  - module: certops.cloud.tencentcloud_ssl_certificate
    description: Stores the certificate once and returns the id that O(cert_ids) takes.
  - module: certops.cloud.tencentcloud_teo_hosts_certificate_info
  - name: ModifyHostsCertificate (EdgeOne API 2022-09-01)
    link: https://www.tencentcloud.com/document/api/1145/50539
    description: The write, for the hosts that differ.
  - name: DescribeAccelerationDomains (EdgeOne API 2022-09-01)
    link: https://www.tencentcloud.com/document/api/1145/54132
    description: The read before the write, with the C(domain-name) filter.
author:
  - certops.cloud contributors (@certops)
options:
  zone_id:
    description:
      - Id of the EdgeOne site (zone), for example V(zone-2o3h21ed8bpu).
      - Required unless O(batch) is given.
    type: str
  hosts:
    description:
      - Acceleration domain names of the zone that get the certificate.
      - Required unless O(batch) is given.
    type: list
    elements: str
  batch:
    description:
      - Many endpoints, each a list of hosts of a zone, set to the same certificates in one run. The hosts of all
        entries of one zone are read 20 a call and written in one C(ModifyHostsCertificate); each entry then gets its
        share of the zone's result in RV(endpoints) (C(changed_hosts) too). O(zone_id) given at the top level applies
        to entries that do not set it.
      - A zone that fails (unknown zone, a host not in the zone) fails every entry of that zone.
    type: list
    elements: dict
    suboptions:
      zone_id:
        description: Id of the zone.
        type: str
      hosts:
        description: Acceleration domain names of the zone.
        type: list
        elements: str
  mode:
    description:
      - V(sslcert) uses the certificates of O(server_cert_info) from the SSL store.
      - V(eofreecert) and V(eofreecert_manual) use a free certificate issued by EdgeOne; V(disable) turns HTTPS
        certificates off.
    type: str
    choices: [sslcert, eofreecert, eofreecert_manual, disable]
    default: sslcert
  server_cert_info:
    description:
      - The certificates, with O(mode=sslcert) (required then, or O(cert_ids)). Only C(cert_id) is used; the order
        does not matter.
      - The seed documentation of the retired API 2022-01-06 calls this C(CertInfo); O(cert_info) is accepted.
    type: list
    elements: dict
    aliases: [cert_info]
    suboptions:
      cert_id:
        description: Id of the certificate in the SSL certificate store.
        type: str
        required: true
  cert_ids:
    description: The SSL store ids of the certificates, a shorter form of O(server_cert_info).
    type: list
    elements: str
  certificate:
    description:
      - With O(mode=sslcert), the certificate as PEM (leaf first, then the chain), instead of O(server_cert_info) or
        O(cert_ids) - put into the SSL certificate store once (found there by fingerprint afterwards), so a check-mode
        run never depends on an id that only an upload would create.
    type: str
  name:
    description: Name (alias) of the certificate when it is stored from O(certificate).
    type: str
  require_coverage:
    description:
      - With O(mode=sslcert), fail before any write when no certificate to bind covers a host that would change (by
        its DNS names; a wildcard covers one label).
      - The rotate role turns it off only to put back what a host held before the run, whatever that was.
    type: bool
    default: true
  wait:
    description: After a write, wait until the certificates of the changed hosts are deployed.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the deployment.
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
      - The diff shows only the hosts that change, with their mode, certificate ids and, for new ids, the certificate
        summary (subject, SANs, expiry, fingerprints).
"""

EXAMPLES = r"""
- name: Upload the certificate to the SSL store once
  certops.cloud.tencentcloud_ssl_certificate:
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
  register: stored

- name: Serve it on every host of the zone that needs it
  certops.cloud.tencentcloud_teo_hosts_certificate:
    zone_id: zone-2o3h21ed8bpu
    hosts:
      - www.example.com
      - static.example.com
    server_cert_info:
      - cert_id: "{{ stored.certificate_id }}"
"""

RETURN = r"""
before:
  description: The hosts as read before the run.
  returned: success
  type: dict
  contains:
    zone_id:
      description: Zone id.
      type: str
    hosts:
      description: One entry per host, keyed by host name, with C(host), C(mode), sorted C(cert_ids) and C(certificates)
        (C(cert_id), C(alias), C(type), C(expire_time), C(status), and C(certificate), the summary of the certificate).
      type: dict
  sample:
    zone_id: zone-2o3h21ed8bpu
    hosts:
      h03.example.com: {host: h03.example.com, mode: sslcert, cert_ids: [OLDcert1], certificates: [{cert_id: OLDcert1, alias: www-old,
                        type: upload, expire_time: "2026-12-16T22:48:20Z", status: deployed,
                        certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}}]}
after:
  description: The hosts after the run (in check mode, as they would be) - the keys of RV(before). The certificates of a
    changed host have C(cert_id) and C(certificate) only, unless O(wait) read them again.
  returned: success
  type: dict
  sample:
    zone_id: zone-2o3h21ed8bpu
    hosts:
      h03.example.com: {host: h03.example.com, mode: sslcert, cert_ids: [Zx8Vb3Qe], certificates: [{cert_id: Zx8Vb3Qe,
                        certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"}}]}
changed_hosts:
  description: The hosts that were (or would be) sent to C(ModifyHostsCertificate).
  returned: success
  type: list
  elements: str
  sample: [h03.example.com, h09.example.com]
endpoints:
  description:
    - With O(batch), one result per entry, in order (see the notes), with the entry's share of the zone's result -
      C(changed_hosts), and RV(before) and RV(after) of the entry's hosts only (left out of the sample).
    - In C(summary), C(before_id) and C(after_id) are the certificate ids of the hosts, joined by commas.
  returned: when O(batch) is given
  type: list
  elements: dict
  sample:
    - {endpoint: "tencentcloud teo zone zone-2o3h21ed8bpu hosts h03.example.com,h09.example.com", changed: true, failed: false,
       changed_hosts: [h03.example.com, h09.example.com],
       summary: {before_id: OLDcert1, before_fingerprint: "c4be289c55bbb03a11b7a693fa1b8e14c2371750835b519b9fe9f33d15f634a2",
                 before_not_after: "2026-12-16T22:48:20Z", after_id: Zx8Vb3Qe, after_not_after: "2027-03-05T09:48:45Z",
                 after_fingerprint: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"}}
"""

from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_covers, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointModule, Group, summary_row
from ansible_collections.certops.cloud.plugins.module_utils._store import NO_ID_HINT
from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.teo import TeoModule


def certificates_of(cert_ids, summaries):
    """The certificates (leaf and chain fingerprints) of store ids; None when one of them is unknown."""
    wanted = [summaries.get(cert_id) for cert_id in cert_ids]
    return None if not all(wanted) else identities(wanted)


def identities(summaries):
    """The certificates of summaries, by the fingerprints of the leaf and the chain."""
    return {(s.get("fingerprint_sha256"), tuple(c.get("fingerprint_sha256") for c in s.get("chain") or [])) for s in summaries}


class TeoHostsCertificate(TeoModule, EndpointModule):
    argument_spec = dict(
        zone_id=dict(type="str", required=True),
        hosts=dict(type="list", elements="str", required=True),
        mode=dict(type="str", choices=["sslcert", "eofreecert", "eofreecert_manual", "disable"], default="sslcert"),
        server_cert_info=dict(type="list", elements="dict", aliases=["cert_info"],
                              options=dict(cert_id=dict(type="str", required=True))),
        cert_ids=dict(type="list", elements="str"),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        name=dict(type="str"),
        require_coverage=dict(type="bool", default=True),
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
        wait_interval=dict(type="float", default=5),
    )
    batch_options = PROVIDERS["teo"].batch_options
    module_kwargs = dict(mutually_exclusive=[("server_cert_info", "cert_ids", "certificate")],
                         required_together=[("certificate", "private_key")])
    write_together = True
    zone = None  # the run of the whole zone this endpoint's hosts are read and written with (read_group)
    changed_hosts = ()

    def validate_identity(self):
        if not [h for h in self.params["hosts"] if h]:
            self.fail("hosts must name at least one host")

    def validate(self):
        self.validate_identity()
        self.bundle = self.key = None
        given = self.params["cert_ids"] or [c["cert_id"] for c in self.params["server_cert_info"] or []]
        if self.params["mode"] == "sslcert" and self.params["certificate"]:
            self.bundle, self.key = self.load_certificate_input()
        elif self.params["mode"] == "sslcert" and (not given or not all(c and str(c).strip() for c in given)):
            self.fail("mode sslcert needs a certificate: server_cert_info, cert_ids or certificate (with private_key), and no "
                      "empty id. %s" % NO_ID_HINT)
        self.cert_ids = sorted(set(given)) if self.params["mode"] == "sslcert" else []

    # --- the zone: the hosts of every endpoint of a zone are read together and written in one call -----------------

    def group_key(self):
        return self.params["zone_id"]

    def read_group(self, group):
        hosts = []
        for member in group.members:
            hosts.extend(host for host in member.params["hosts"] if host not in hosts)
        zone = self.for_entry(dict(zone_id=group.key, hosts=hosts))
        if self.params.get("read_only"):
            zone.attempt(zone.validate_identity)
            zone.attempt(zone.read_zone_held)
        else:
            zone.attempt(zone.validate)
            zone.attempt(EndpointModule.read, zone)
        for member in group.members:
            member.zone = zone

    def read_zone_held(self):
        """read_only: the zone's hosts with the certificates they hold (each read once)."""
        before = self.read_binding()
        held = sorted({c for binding in before["hosts"].values() for c in binding["cert_ids"] if c})
        summaries = self.store_summaries(held, strict=False) if held else {}
        for binding in before["hosts"].values():
            for certificate in binding["certificates"]:
                certificate["certificate"] = summaries.get(certificate["cert_id"])
        self.before = self.after = before

    def read_held(self):
        self.before = self.after = self.share(self.zone.before)
        self.changed = False

    def read(self):
        """This endpoint's share of its zone; a change to hosts the new certificate does not cover fails it."""
        self.before, self.after = self.share(self.zone.before), self.share(self.zone.after)
        self.changed_hosts = [host for host in self.zone.changed_hosts if host in self.params["hosts"]]
        self.changed = bool(self.changed_hosts)
        uncovered = [host for host in self.zone.uncovered_hosts() if host in self.params["hosts"]]
        if uncovered and self.params["require_coverage"]:
            self.fail("the new certificate (names %s) does not cover the host %s" % (
                ", ".join(sorted({name for summary in self.zone.wanted for name in summary_names(summary)})), ", ".join(uncovered)))

    def share(self, binding):
        return binding and dict(binding, hosts=dict((h, b) for h, b in binding["hosts"].items() if h in self.params["hosts"]))

    def write_groups(self, members):
        zones = {}
        for member in members:
            zones.setdefault(member.params["zone_id"], []).append(member)
        return [Group(zone_id, zone_members) for zone_id, zone_members in zones.items()]

    def write_group(self, group):
        zone = group.members[0].zone
        zone.changed_hosts = sorted({host for member in group.members for host in member.changed_hosts})
        zone.attempt(zone.write_binding, zone.before, zone.after)
        group.written = True
        for member in group.members:
            member.written = True

    def await_group(self, group):
        zone = group.members[0].zone
        zone.after = zone.attempt(zone.confirm_binding, zone.after)
        for member in group.members:
            member.after = member.share(zone.after)

    def entry_result(self, result):
        if self.failure is not None:
            result = dict(result, changed_hosts=list(self.changed_hosts) if self.written else [])
        return super().entry_result(result)

    # --- the zone's own read and write ----------------------------------------------------------------------------

    def read_binding(self):
        return dict(zone_id=self.params["zone_id"], hosts=self.read_hosts(self.params["zone_id"], self.params["hosts"]))

    def desired_binding(self, before):
        # Each certificate is read once per run: unknown new ids fail before any write; the summaries give the
        # fingerprints and expiry of what the hosts hold and will hold, and tell copies of one certificate apart from
        # other certificates. A certificate given as PEM is found in the store by fingerprint (or stored when written).
        if self.bundle is not None:
            found = self.shared.memo(("ssl find", self.bundle.fingerprint_sha256), lambda: SslStore(self.cloud).ensure(
                self.bundle, check_mode=True)[0])
            self.cert_ids = [found] if found else []
        summaries = self.store_summaries(self.cert_ids) if self.cert_ids else {}
        self.wanted = [summaries[c] for c in self.cert_ids] if self.bundle is None else [self.bundle.summary()]
        other_ids = [h for h, b in before["hosts"].items() if b["mode"] != self.params["mode"] or b["cert_ids"] != self.cert_ids]
        held = sorted({c for host in other_ids for c in before["hosts"][host]["cert_ids"]} - set(summaries))
        summaries.update(self.store_summaries(held, strict=False))
        self.changed_hosts = sorted(h for h in other_ids if self.host_differs(before["hosts"][h], summaries))
        for binding in before["hosts"].values():
            for certificate in binding["certificates"]:
                certificate["certificate"] = summaries.get(certificate["cert_id"])
        desired = dict(mode=self.params["mode"], cert_ids=self.cert_ids or [None],
                       certificates=[dict(cert_id=c, certificate=w) for c, w in zip(self.cert_ids or [None], self.wanted)])
        if self.params["mode"] != "sslcert":
            desired.update(cert_ids=[], certificates=[])
        hosts = dict(before["hosts"])
        for host in self.changed_hosts:
            hosts[host] = dict(desired, host=host)
        return dict(before, hosts=hosts)

    def host_differs(self, binding, summaries):
        """A host differs by its mode or its certificates; other copies of the same certificates (leaf and chain) are
        the same certificates."""
        if binding["mode"] != self.params["mode"]:
            return True
        if self.params["mode"] != "sslcert" or (self.cert_ids and binding["cert_ids"] == self.cert_ids):
            return False
        return certificates_of(binding["cert_ids"], summaries) != identities(self.wanted)

    def uncovered_hosts(self):
        """The hosts about to change that no new certificate covers (checked before any write)."""
        if self.params["mode"] != "sslcert":
            return []
        return [host for host in self.changed_hosts if not any(summary_covers(summary, host) for summary in self.wanted)]

    def bindings_equal(self, before, after):
        return not self.changed_hosts

    def write_binding(self, before, after):
        if self.params["mode"] == "sslcert" and not self.cert_ids:
            self.cert_ids = [self.shared.memo(("ssl upload", self.bundle.fingerprint_sha256), lambda: SslStore(self.cloud).ensure(
                self.bundle, self.key, alias=self.params["name"])[0])]
            for host in self.changed_hosts:
                after["hosts"][host] = dict(after["hosts"][host], cert_ids=self.cert_ids, certificates=[
                    dict(cert_id=self.cert_ids[0], certificate=self.wanted[0])])
        params = dict(ZoneId=after["zone_id"], Hosts=self.changed_hosts, Mode=self.params["mode"])
        if self.cert_ids:
            params["ServerCertInfo"] = [dict(CertId=c) for c in self.cert_ids]
        self.call("teo", "ModifyHostsCertificate", **params)

    def confirm_binding(self, after):
        if self.params["wait"]:
            current = self.wait_deployed(after["zone_id"], self.changed_hosts, self.params["wait_timeout"], self.params["wait_interval"])
            after = dict(after, hosts={**after["hosts"], **current})
        return after

    def diff_view(self, before, after):
        def only_changed(binding):
            return dict(zone_id=binding["zone_id"], hosts={h: binding["hosts"][h] for h in self.changed_hosts})
        return only_changed(before), only_changed(after)

    def extra_results(self, before, after):
        return dict(changed_hosts=self.changed_hosts)

    def summary(self, result):
        def ids(binding):
            return ",".join(sorted({c for b in ((binding or {}).get("hosts") or {}).values() for c in b["cert_ids"] if c})) or None

        def certificates(binding):
            return [c for _host, b in sorted(((binding or {}).get("hosts") or {}).items()) for c in b["certificates"]]

        def first(binding):
            return next((c["certificate"] for c in certificates(binding) if c.get("certificate")), None)
        row = summary_row(ids(result.get("before")), first(result.get("before")), ids(result.get("after")), first(result.get("after")))
        row["before_not_after"] = row["before_not_after"] or next((c.get("expire_time") for c in certificates(result.get("before"))
                                                                   if c.get("expire_time")), None)
        return row


def main():
    TeoHostsCertificate.run_module()


if __name__ == "__main__":
    main()
