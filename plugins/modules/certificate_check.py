#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: certificate_check
short_description: Validate a certificate and key before they are rolled out
version_added: 0.1.0
description:
  - Parses the PEM bundle, checks that the key matches the leaf, that the chain is in order, that the certificate
    is valid now and for at least O(min_days_remaining) days, and that its names cover every endpoint name in
    O(endpoints). Fails naming the problem and the endpoint. Calls no API.
  - A leaf issued by another certificate must come with its chain (leaf first, then the intermediates); a
    self-signed or CA certificate may come alone.
  - With O(endpoint_settings), first checks the C(certops_endpoint) of every endpoint and fails listing every
    endpoint whose provider is unknown or whose identity keys are missing.
  - The certificate must cover, for every endpoint of O(endpoint_settings), the names it carries (a GAAP C(domain),
    the TEO C(hosts), a CLB C(domain)) and its C(server_name). An endpoint with neither takes its server name from
    the module read (TSE C(BindDomains), CLB rule domains; the bind modules check those), else, only when O(verify)
    is set, from its label (the inventory host name), which must then be covered.
  - Used by the C(certops.cloud.rotate) role to validate a certificate and the endpoints once, on the controller,
    before any API call; it also returns what the role needs to bind and verify each endpoint (RV(endpoints),
    RV(providers)).
seealso:
  - module: certops.cloud.served_certificate
    description: Checks afterwards, over TLS, that each endpoint serves the certificate - at the C(target) returned here.
  - plugin: certops.cloud.endpoints
    plugin_type: inventory
    description: Discovers the endpoints and gives each the C(certops_endpoint) that O(endpoint_settings) takes.
author:
  - certops.cloud contributors (@certops)
options:
  certificate:
    description: PEM text of the certificate, leaf first, then the chain.
    type: str
    required: true
  private_key:
    description: PEM text of the private key of the leaf. Never logged or returned.
    type: str
  private_key_passphrase:
    description: Passphrase of an encrypted O(private_key).
    type: str
  min_days_remaining:
    description: Fail when the certificate expires in fewer days.
    type: int
    default: 0
  endpoints:
    description: Endpoints whose name the certificate must cover, as a dict of endpoint label to host name.
    type: dict
    default: {}
  endpoint_settings:
    description:
      - The C(certops_endpoint) settings of the C(certops.cloud.rotate) role, as a dict of endpoint label (inventory
        host name) to settings.
      - Each must name a known C(provider) and its identity keys - C(tse) V(gateway_id) and V(id); C(gaap)
        V(listener_id) and V(domain); C(teo) V(zone_id) (V(hosts) or V(host) optional); C(clb)
        V(load_balancer_id) (V(listener_id), V(domain) optional) or V(old_certificate_id); C(esa) V(site_id) and
        V(id) or V(name).
    type: dict
    default: {}
  verify_host:
    description:
      - The host (address) to connect to for the TLS check of an endpoint whose settings name no C(verify_host);
        by default its server name.
    type: str
  verify_port:
    description: The port of the TLS check of an endpoint whose settings name no C(verify_port).
    type: int
    default: 443
  verify:
    description:
      - Whether the endpoints of O(endpoint_settings) are checked over TLS afterwards. Without it an endpoint's label
        is never taken for a server name, so it is never required to be covered.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file (or a directory of C(*.pem), C(*.crt), C(*.cer) files) of trust anchors. The certificate with its
        chain must validate to one of them for every endpoint name, with C(cryptography)'s X.509 verification; the
        role passes C(rotate_verify_ca_path) so that a wrong root fails before any API call, not after the binds.
    type: path
extends_documentation_fragment:
  - certops.cloud.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  idempotent:
    support: full
"""

EXAMPLES = r"""
- name: Validate the renewed certificate
  certops.cloud.certificate_check:
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
    min_days_remaining: 30
    endpoints:
      tse-www: www.example.com

- name: Validate the endpoint settings too
  certops.cloud.certificate_check:
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    endpoint_settings:
      tse-www:
        provider: tse
        gateway_id: gateway-9abf3b79
        id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83
"""

RETURN = r"""
certificate:
  description:
    - Summary of the certificate; no key material.
    - Every module of the collection describes a certificate with this summary (for example the C(certificate) of
      RV(certops.cloud.tencentcloud_tse_gateway_certificate#module:before)).
  returned: success
  type: dict
  contains:
    subject:
      description: Subject of the leaf (RFC 4514).
      type: str
    common_name:
      description: Common name of the leaf, null when it has none.
      type: str
    issuer:
      description: Issuer of the leaf (RFC 4514).
      type: str
    serial_number:
      description: Serial number of the leaf, lower-case hex.
      type: str
    subject_alt_names:
      description: DNS and IP subject alternative names of the leaf.
      type: list
      elements: str
    not_before:
      description: Start of validity (UTC, ISO 8601).
      type: str
    not_after:
      description: End of validity (UTC, ISO 8601).
      type: str
    fingerprint_sha256:
      description: SHA-256 over the DER of the leaf, lower-case hex.
      type: str
    fingerprint_sha1:
      description: SHA-1 over the DER of the leaf, lower-case hex.
      type: str
    chain:
      description: C(subject) and C(fingerprint_sha256) of each certificate of the chain after the leaf, in order.
      type: list
      elements: dict
  sample: {subject: CN=www.example.com, common_name: www.example.com, issuer: "CN=R11,O=Let's Encrypt,C=US",
    serial_number: "3895027e3241b090084dae4d0478e3211465526e", subject_alt_names: [www.example.com, example.com],
    not_before: "2026-12-05T09:48:45Z", not_after: "2027-03-05T09:48:45Z",
    fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec", fingerprint_sha1: "a80bf87095c6361a6a3bdae412eedc8fda14ecc5",
    chain: [{subject: "CN=R11,O=Let's Encrypt,C=US", fingerprint_sha256: "267c5992c48292da517799436f5bd240218d6da7eaffd4079e5e09a53a349ec2"}]}
endpoints:
  description:
    - With O(endpoint_settings), per endpoint label - C(provider), C(server_name) (null when it comes from the
      module read), C(name_from_read), C(names) (what the certificate was checked to cover), C(label_is_name) (whether
      the server name is the label, for want of another), C(entry) (the endpoint's
      options for the O(certops.cloud.tencentcloud_tse_gateway_certificate#module:batch) of its provider's module;
      for TEO with C(hosts) defaulting to C(host), else the server name) and C(target) (C(name), C(host), C(port),
      C(server_name) for M(certops.cloud.served_certificate); C(host) and C(server_name) null until the read).
  returned: success
  type: dict
  sample:
    tse-www: {provider: tse, server_name: null, name_from_read: true, names: [], label_is_name: false,
              entry: {gateway_id: gateway-9abf3b79, id: f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83},
              target: {name: tse-www, host: null, port: 443, server_name: null}}
    teo-h03: {provider: teo, server_name: h03.example.com, name_from_read: false, names: [h03.example.com], label_is_name: false,
              entry: {zone_id: zone-2o3h21ed8bpu, hosts: [h03.example.com]},
              target: {name: teo-h03, host: h03.example.com, port: 443, server_name: h03.example.com}}
providers:
  description: With O(endpoint_settings), the endpoint labels of each provider (all five keys), in the given order.
  returned: success
  type: dict
  sample: {tse: [tse-www], gaap: [], teo: [teo-h03], clb: [], esa: []}
"""

from ansible_collections.certops.cloud.plugins.module_utils._certificate import CertificateError
from ansible_collections.certops.cloud.plugins.module_utils._module import CertopsModule
from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS, describe_endpoint, endpoint_problem
from ansible_collections.certops.cloud.plugins.module_utils._served import load_anchors, validation_problem


class CertificateCheck(CertopsModule):
    argument_spec = dict(
        certificate=dict(type="str", required=True),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        min_days_remaining=dict(type="int", default=0),
        endpoints=dict(type="dict", default={}),
        endpoint_settings=dict(type="dict", default={}),
        verify=dict(type="bool", default=True),
        verify_host=dict(type="str"),
        verify_port=dict(type="int", default=443),
        ca_path=dict(type="path"),
    )

    def endpoint_label(self):
        return "certificate check"

    def check_endpoint_settings(self):
        problems = sorted((str(label), endpoint_problem(settings)) for label, settings in self.params["endpoint_settings"].items())
        problems = ["%s: %s" % (label, problem) for label, problem in problems if problem]
        if problems:
            self.fail("%d endpoint%s not configured right, nothing was changed: %s"
                      % (len(problems), " is" if len(problems) == 1 else "s are", "; ".join(problems)))

    def check_trust(self, bundle, endpoints):
        """The certificate validates to the anchors of ca_path for every endpoint name (its first name without any)."""
        try:
            anchors = load_anchors(self.params["ca_path"])
        except CertificateError as exc:
            self.fail(str(exc))
        names = [(label, name) for label, endpoint in sorted(endpoints.items()) for name in endpoint["names"]]
        names += sorted(self.params["endpoints"].items())
        plain = [name for name in bundle.names() if not name.startswith("*.")]
        for label, name in names or ([("certificate", plain[0])] if plain else []):
            problem = validation_problem(bundle.certificates, name, anchors, self.params["ca_path"], what="the certificate")
            if problem:
                self.fail("%s: endpoint %s, nothing was changed" % (problem, label))

    def execute(self):
        self.check_endpoint_settings()
        bundle, dummy = self.load_certificate_input(require_key=self.params["private_key"] is not None,
                                                    min_days_remaining=self.params["min_days_remaining"])
        endpoints = dict((label, describe_endpoint(label, settings, self.params["verify"], self.params["verify_host"], self.params["verify_port"]))
                         for label, settings in self.params["endpoint_settings"].items())
        uncovered = sorted("%s (%s%s)" % (label, name, ", the inventory host name: set certops_endpoint.server_name"
                                          if endpoint["label_is_name"] else "")
                           for label, endpoint in endpoints.items() for name in endpoint["names"] if not bundle.covers(name))
        uncovered += sorted("%s (%s)" % (label, name) for label, name in self.params["endpoints"].items() if not bundle.covers(name))
        if uncovered:
            self.fail("certificate names %s do not cover endpoint %s" % (", ".join(bundle.names()), ", ".join(uncovered)))
        if self.params["ca_path"]:
            self.check_trust(bundle, endpoints)
        for label, settings in sorted(self.params["endpoint_settings"].items()):
            warning = PROVIDERS[settings["provider"]].warning(settings)
            if warning:
                self.module.warn("%s: %s" % (label, warning))
        providers = dict((name, [label for label, e in endpoints.items() if e["provider"] == name]) for name in PROVIDERS)
        return dict(changed=False, certificate=bundle.summary(), endpoints=endpoints, providers=providers)


def main():
    CertificateCheck.run_module()


if __name__ == "__main__":
    main()
