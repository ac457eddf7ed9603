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
  - Endpoints of O(endpoint_settings) not named in O(endpoints) must be covered under their C(server_name), else
    their C(verify_host), else their label.
  - Used by the C(certops.cloud.rotate) role to validate a certificate and the endpoints once, on the controller,
    before any API call; it also returns what the role needs to bind and verify each endpoint (RV(endpoints),
    RV(providers)).
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
        V(old_certificate_id); C(esa) V(site_id) and V(id) or V(name).
    type: dict
    default: {}
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
  description: Summary of the certificate (subject, SANs, not_before, not_after, fingerprints, chain); no key material.
  returned: success
  type: dict
endpoints:
  description:
    - With O(endpoint_settings), per endpoint label - C(provider), C(server_name), C(entry) (the endpoint's options
      for the O(certops.cloud.tencentcloud_tse_gateway_certificate#module:batch) of its provider's module; for TEO
      with C(hosts) defaulting to C(host), else the server name) and C(target) (C(name), C(host), C(port),
      C(server_name) for M(certops.cloud.served_certificate)).
  returned: success
  type: dict
providers:
  description: With O(endpoint_settings), the endpoint labels of each provider (all five keys), in the given order.
  returned: success
  type: dict
"""

from ansible_collections.certops.cloud.plugins.module_utils._common import CertopsModule

# provider: (keys that must all be set, groups of which one key must be set)
PROVIDERS = {
    "tse": (("gateway_id", "id"), ()),
    "gaap": (("listener_id", "domain"), ()),
    "teo": (("zone_id",), ()),
    "clb": (("old_certificate_id",), ()),
    "esa": (("site_id",), (("id", "name"),)),
}

# The keys of certops_endpoint that go into a batch entry of each provider's module.
ENTRY_KEYS = {
    "tse": ("gateway_id", "id", "region"),
    "gaap": ("listener_id", "domain", "wait_timeout", "wait_interval"),
    "teo": ("zone_id", "hosts"),
    "clb": ("old_certificate_id", "old_cert_id", "regions", "ssl_mode", "ca_certificate_id"),
    "esa": ("site_id", "id", "name", "prune_expired", "region"),
}


def _is_set(value):
    return value is not None and value != "" and value != []


def endpoint_problem(settings):
    """What is wrong with one certops_endpoint dict, or None."""
    if settings is None or settings == "" or settings == {}:
        return "certops_endpoint is not set"
    if not isinstance(settings, dict):
        return "certops_endpoint is not a dict"
    provider = settings.get("provider")
    known = ", ".join(sorted(PROVIDERS))
    if not _is_set(provider):
        return "certops_endpoint.provider is not set (one of %s)" % known
    if provider not in PROVIDERS:
        return "unknown provider %r (one of %s)" % (provider, known)
    required, one_of = PROVIDERS[provider]
    missing = [key for key in required if not _is_set(settings.get(key))]
    missing += [" or ".join(group) for group in one_of if not any(_is_set(settings.get(key)) for key in group)]
    if missing:
        return "certops_endpoint of provider %s misses %s" % (provider, ", ".join(missing))
    hosts = settings.get("hosts")
    if provider == "teo" and hosts is not None and (not isinstance(hosts, list) or not all(_is_set(h) for h in hosts) or not hosts):
        return "certops_endpoint.hosts must be a non-empty list of host names"
    return None


def server_name(label, settings):
    return settings.get("server_name") or settings.get("verify_host") or label


def describe(label, settings):
    """What the rotate role needs of one valid endpoint: its module entry and its TLS target."""
    provider, name = settings["provider"], server_name(label, settings)
    entry = dict((key, settings[key]) for key in ENTRY_KEYS[provider] if settings.get(key) is not None)
    if provider == "teo" and not entry.get("hosts"):
        entry["hosts"] = [settings.get("host") or name]
    target = dict(name=label, host=settings.get("verify_host") or name, port=settings.get("verify_port") or 443, server_name=name)
    return dict(provider=provider, server_name=name, entry=entry, target=target)


class CertificateCheck(CertopsModule):
    argument_spec = dict(
        certificate=dict(type="str", required=True),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        min_days_remaining=dict(type="int", default=0),
        endpoints=dict(type="dict", default={}),
        endpoint_settings=dict(type="dict", default={}),
    )

    def endpoint_label(self):
        return "certificate check"

    def check_endpoint_settings(self):
        problems = sorted((str(label), endpoint_problem(settings)) for label, settings in self.params["endpoint_settings"].items())
        problems = ["%s: %s" % (label, problem) for label, problem in problems if problem]
        if problems:
            self.fail("%d endpoint%s not configured right, nothing was changed: %s"
                      % (len(problems), " is" if len(problems) == 1 else "s are", "; ".join(problems)))

    def execute(self):
        self.check_endpoint_settings()
        bundle, dummy = self.load_certificate_input(require_key=self.params["private_key"] is not None,
                                                    min_days_remaining=self.params["min_days_remaining"])
        names = dict((label, server_name(label, settings)) for label, settings in self.params["endpoint_settings"].items())
        names.update(self.params["endpoints"])
        uncovered = sorted("%s (%s)" % (label, name) for label, name in names.items() if not bundle.covers(name))
        if uncovered:
            self.fail("certificate names %s do not cover endpoint %s" % (", ".join(bundle.names()), ", ".join(uncovered)))
        endpoints = dict((label, describe(label, settings)) for label, settings in self.params["endpoint_settings"].items())
        providers = dict((provider, [label for label, e in endpoints.items() if e["provider"] == provider]) for provider in PROVIDERS)
        return dict(changed=False, certificate=bundle.summary(), endpoints=endpoints, providers=providers)


def main():
    module = CertificateCheck.define_module()
    CertificateCheck(module).run()


if __name__ == "__main__":
    main()
