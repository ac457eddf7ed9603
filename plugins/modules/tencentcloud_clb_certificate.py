#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: tencentcloud_clb_certificate
short_description: Put a certificate on Tencent Cloud CLB load balancers
version_added: 0.1.0
description:
  - An endpoint is a load balancer (O(load_balancer_id)), one of its HTTPS listeners (O(listener_id)) or one SNI
    rule (O(domain)), and keeps its identity across rotations. The module reads the listeners with
    C(DescribeListeners) and replaces each certificate that differs from the new one with
    C(ReplaceCertForLoadBalancers) (the successor of the retired API 2.0 C(ReplaceCert)).
  - C(ReplaceCertForLoadBalancers) changes every load balancer, in every region, that holds the old certificate. The
    module reads them first (C(DescribeLoadBalancerListByCertId) in O(regions), then their listeners) and names every
    one in RV(load_balancers), RV(also_changed) and the diff, in check mode too. With O(scope=endpoint) only the
    endpoint's own listeners and rules change (C(ModifyListener), C(ModifyDomainAttributes)); the
    C(certops.cloud.rotate) role rolls back that way.
  - O(old_certificate_id) names the certificate to replace on every load balancer that uses it; when none does, the
    task is ok and nothing is written. Such an endpoint goes stale after the first rotation; prefer
    O(load_balancer_id).
  - Every write is asynchronous; its task (C(DescribeTaskStatus)) is awaited for up to O(wait_timeout) seconds, and
    one that failed or did not end fails the endpoint with the task's message and load balancers. In a O(batch),
    endpoints holding the same old certificate share one replacement, and the tasks are awaited together.
  - The new certificate is an SSL store id (O(certificate_id)) or content (O(certificate), stored once, found by
    fingerprint on later runs). Mutual TLS settings (C(SSLMode), C(CertCaId)) are kept unless O(ssl_mode) or
    O(ca_certificate_id) are set; listeners that disagree need O(ssl_mode).
  - The new certificate must cover the domain of every SNI rule it is put on, also outside the endpoint. That, unknown
    ids and invalid certificate input fail before any write.
author:
  - certops.cloud contributors (@certops)
options:
  load_balancer_id:
    description: Id of the load balancer (in O(region)). This or O(old_certificate_id) is required, unless O(batch).
    type: str
  listener_id:
    description: Only this HTTPS listener of O(load_balancer_id).
    type: str
  domain:
    description: Only the SNI rule of this domain (on O(listener_id), or on any listener of O(load_balancer_id)).
    type: str
  old_certificate_id:
    description: SSL store id of the server certificate to replace, on every load balancer that uses it.
    type: str
    aliases: [old_cert_id]
  batch:
    description:
      - Many endpoints in one run, each entry naming one as the options above do. Top-level options apply to the
        entries that do not set them. Returns RV(endpoints).
    type: list
    elements: dict
    suboptions:
      load_balancer_id: {description: Id of the load balancer., type: str}
      listener_id: {description: Only this HTTPS listener., type: str}
      domain: {description: Only the SNI rule of this domain., type: str}
      old_certificate_id: {description: SSL store id of the certificate to replace., type: str, aliases: [old_cert_id]}
      region: {description: Region of the load balancer., type: str}
      regions: {description: Regions whose load balancers are read., type: list, elements: str}
      ssl_mode: {description: V(UNIDIRECTIONAL) or V(MUTUAL)., type: str, choices: [UNIDIRECTIONAL, MUTUAL]}
      ca_certificate_id: {description: Client CA certificate id with V(MUTUAL)., type: str}
      wait_timeout: {description: Seconds to wait for a write's task., type: int}
      wait_interval: {description: Longest pause between two polls of a task., type: float}
  certificate_id:
    description: SSL store id of the new certificate. One of O(certificate_id) and O(certificate) is required.
    type: str
    aliases: [new_cert_id]
  name:
    description: Name (alias) of the new certificate when it is stored from O(certificate).
    type: str
  ssl_mode:
    description: V(UNIDIRECTIONAL) or V(MUTUAL) (client certificates verified). Kept from the listeners when not set.
    type: str
    choices: [UNIDIRECTIONAL, MUTUAL]
  ca_certificate_id:
    description: SSL store id of the client CA certificate with V(MUTUAL). Kept from the listeners when not set.
    type: str
  regions:
    description:
      - Regions whose load balancers are read to name every load balancer a replacement changes (one region a call).
        Defaults to O(region), else V(ap-guangzhou). The region of O(load_balancer_id) is always read.
    type: list
    elements: str
  scope:
    description:
      - V(certificate) - one C(ReplaceCertForLoadBalancers) per old certificate (every load balancer holding it).
      - V(endpoint) - only the endpoint's listeners and SNI rules, one write each. Needs O(load_balancer_id).
    type: str
    choices: [certificate, endpoint]
    default: certificate
  require_in_use:
    description: With O(old_certificate_id), fail (not ok) when no load balancer in O(regions) uses it or the new one.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for a write's task (C(DescribeTaskStatus)) to end.
    type: int
    default: 300
  wait_interval:
    description: Longest pause, in seconds, between two polls of a task (the first comes after half a second).
    type: float
    default: 2
extends_documentation_fragment:
  - certops.cloud.clb
  - certops.cloud.endpoint
  - certops.cloud.certificate
  - certops.cloud.tencentcloud
  - certops.cloud.batch
  - certops.cloud.attributes
  - certops.cloud.attributes.full
"""

EXAMPLES = r"""
- name: Put the renewed certificate on the HTTPS listeners of a load balancer
  certops.cloud.tencentcloud_clb_certificate:
    region: ap-guangzhou
    load_balancer_id: lb-0a1b2c3d
    certificate: "{{ lookup('ansible.builtin.file', 'fullchain.pem') }}"
    private_key: "{{ lookup('ansible.builtin.file', 'privkey.pem') }}"
    name: www-2026
  register: clb    # clb.load_balancers: every load balancer the replacement changed

- name: Only the SNI rule of one domain, by store id, touching nothing else
  certops.cloud.tencentcloud_clb_certificate:
    region: ap-guangzhou
    load_balancer_id: lb-0a1b2c3d
    listener_id: lbl-4e5f6a7b
    domain: api.example.com
    certificate_id: "{{ stored.certificate_id }}"
    scope: endpoint

- name: Replace an old certificate on every load balancer that uses it
  certops.cloud.tencentcloud_clb_certificate:
    region: ap-guangzhou
    regions: [ap-guangzhou, ap-shanghai]
    old_cert_id: "{{ old_cert_id }}"
    new_cert_id: "{{ stored.certificate_id }}"
"""

RETURN = r"""
before:
  description: The endpoint before the run - its C(load_balancer_id), C(region), C(listener_id) and C(domain), and these.
  returned: success
  type: dict
  contains:
    certificate_id:
      description: The certificate the endpoint held (comma separated when its listeners held several).
      type: str
    certificate_ids:
      description: The certificates the endpoint's listeners and rules held.
      type: list
      elements: str
    certificate:
      description: Summary of that certificate, with the keys of RV(certops.cloud.certificate_check#module:certificate).
      type: dict
    listeners:
      description: C(load_balancer_id), C(region), C(listener_id), C(protocol), C(port), C(location_id) and C(domain) (SNI
        rules), C(ssl_mode), C(cert_id), C(cert_ca_id) of each listener and rule of the endpoint (with
        O(old_certificate_id), of every load balancer using it).
      type: list
      elements: dict
    load_balancers:
      description: With O(old_certificate_id), C(load_balancer_id), C(load_balancer_name), C(region) of each user.
      type: list
      elements: dict
  sample: {load_balancer_id: lb-web00001, region: ap-guangzhou, listener_id: null, domain: null, certificate_id: OLDcert1, certificate_ids: [OLDcert1],
    certificate: {subject: CN=www.example.com, not_after: "2026-12-16T22:48:20Z"}, load_balancers: [], listeners: [{load_balancer_id: lb-web00001,
    region: ap-guangzhou, listener_id: lbl-web00443, protocol: HTTPS, port: 443, domain: null, ssl_mode: UNIDIRECTIONAL, cert_id: OLDcert1, cert_ca_id: null}]}
after:
  description: The endpoint after the run (in check mode, as it would be) - the keys of RV(before), with the new certificate.
  returned: success
  type: dict
  sample: {load_balancer_id: lb-web00001, region: ap-guangzhou, listener_id: null, domain: null, certificate_id: Zx8Vb3Qe, certificate_ids: [Zx8Vb3Qe],
    certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"}, load_balancers: [], listeners: [{load_balancer_id: lb-web00001,
    region: ap-guangzhou, listener_id: lbl-web00443, protocol: HTTPS, port: 443, domain: null, ssl_mode: UNIDIRECTIONAL, cert_id: Zx8Vb3Qe, cert_ca_id: null}]}
load_balancers:
  description: Every load balancer that was (or in check mode would be) changed, also those outside the endpoint.
  returned: success
  type: list
  elements: dict
  sample: [{load_balancer_id: lb-web00001, load_balancer_name: web, region: ap-guangzhou},
           {load_balancer_id: lb-sh000001, load_balancer_name: shanghai, region: ap-shanghai}]
also_changed:
  description: The listeners and rules outside the endpoint that the replacement changed too (or would change), as in
    RV(before.listeners).
  returned: success
  type: list
  elements: dict
  sample: [{load_balancer_id: lb-sh000001, region: ap-shanghai, listener_id: lbl-sh000443, protocol: HTTPS, port: 443, domain: null,
            ssl_mode: UNIDIRECTIONAL, cert_id: Zx8Vb3Qe, cert_ca_id: null}]
server_names:
  description: The SNI domains of the endpoint's rules (what a TLS check of the endpoint can ask for).
  returned: success
  type: list
  elements: str
  sample: [api.example.com]
tasks:
  description: C(task_id), C(action) and C(load_balancer_ids) of each write, each awaited until it ended.
  returned: success
  type: list
  elements: dict
  sample: [{task_id: d5fa4c03-2e78-4b7f-a4f8-1314f51833b9, action: ReplaceCertForLoadBalancers, load_balancer_ids: [lb-web00001, lb-sh000001]}]
certificate_id:
  description: Id of the new certificate (null in check mode when it would first be stored).
  returned: success
  type: str
  sample: Zx8Vb3Qe
endpoints:
  description: With O(batch), one result per entry, in order, with the keys above (see the notes).
  returned: when O(batch) is given
  type: list
  elements: dict
"""

from ansible_collections.certops.cloud.plugins.module_utils._providers import PROVIDERS
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.clb import ClbEndpoint


class ClbCertificate(ClbEndpoint):
    argument_spec = dict(
        load_balancer_id=dict(type="str"),
        listener_id=dict(type="str"),
        domain=dict(type="str"),
        old_certificate_id=dict(type="str", aliases=["old_cert_id"]),
        certificate_id=dict(type="str", aliases=["new_cert_id"]),
        certificate=dict(type="str"),
        private_key=dict(type="str", no_log=True),
        private_key_passphrase=dict(type="str", no_log=True),
        name=dict(type="str"),
        ssl_mode=dict(type="str", choices=["UNIDIRECTIONAL", "MUTUAL"]),
        ca_certificate_id=dict(type="str"),
        regions=dict(type="list", elements="str"),
        scope=dict(type="str", choices=["certificate", "endpoint"], default="certificate"),
        require_in_use=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=300),
        wait_interval=dict(type="float", default=2),
    )
    batch_options = PROVIDERS["clb"].batch_options
    module_kwargs = dict(
        required_one_of=[("load_balancer_id", "old_certificate_id")],
        mutually_exclusive=[("certificate_id", "certificate")],
        required_together=[("certificate", "private_key")],
    )


def main():
    ClbCertificate.run_module()


if __name__ == "__main__":
    main()
