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
    rule (O(domain)). The module reads the listeners with C(DescribeListeners), finds the certificate each listener
    or rule holds now, and when it differs from the new one replaces it with C(ReplaceCertForLoadBalancers) (the
    successor of the retired API 2.0 C(ReplaceCert)), C(OldCertificateId) being the certificate found. The endpoint
    keeps its identity across rotations.
  - C(ReplaceCertForLoadBalancers) changes every load balancer, in every region, that holds the old certificate. The
    module reads them first (C(DescribeLoadBalancerListByCertId) in O(regions), then their listeners) and names every
    one in RV(load_balancers), RV(also_changed) and the diff, also those outside the endpoint, in check mode too.
    With O(scope=endpoint) only the endpoint's own listeners and rules are changed (C(ModifyListener),
    C(ModifyDomainAttributes)); the C(certops.cloud.rotate) role rolls back that way.
  - Or, as before, O(old_certificate_id) names the certificate to replace on every load balancer that uses it; when
    none does, the task is ok and nothing is written. Such an endpoint goes stale after the first rotation (the old
    id is used nowhere any more); prefer O(load_balancer_id).
  - Every write is asynchronous. The module polls C(DescribeTaskStatus) with the write's request id until the task
    ends, for up to O(wait_timeout) seconds; a task that failed, or did not end in time, fails the endpoint with the
    task's message and its load balancers. In a O(batch), the tasks of the writes are awaited together (up to 20 at
    a time, whatever O(batch_concurrency) is).
  - The new certificate is given by its SSL certificate store id (O(certificate_id)) or by content (O(certificate),
    O(private_key)); content is stored in the SSL store once, found there by fingerprint on later runs.
  - Mutual TLS settings are kept. The C(SSLMode) and client CA id (C(CertCaId)) of the listeners that hold the old
    certificate are sent again, unless O(ssl_mode) or O(ca_certificate_id) are set. If those listeners disagree, the
    task fails and asks for O(ssl_mode).
  - The new certificate must cover the domain of every SNI rule it is put on (also the rules outside the endpoint
    that C(ReplaceCertForLoadBalancers) changes); otherwise the endpoint fails before any write.
  - Unknown ids (load balancer, listener, domain, certificates) and invalid certificate input fail before any write.
author:
  - certops.cloud contributors (@certops)
options:
  load_balancer_id:
    description:
      - Id of the load balancer (in O(region)) whose HTTPS listeners get the certificate.
      - One of O(load_balancer_id) and O(old_certificate_id) is required, unless O(batch) is given.
    type: str
  listener_id:
    description: Only this HTTPS listener of O(load_balancer_id).
    type: str
  domain:
    description: Only the SNI rule of this domain (on O(listener_id), or on any listener of O(load_balancer_id)).
    type: str
  old_certificate_id:
    description:
      - SSL store id of the server certificate to replace, on every load balancer that uses it.
    type: str
    aliases: [old_cert_id]
  batch:
    description:
      - Many endpoints in one run, each entry naming one (O(load_balancer_id) with O(listener_id) and O(domain), or
        O(old_certificate_id)). Options given at the top level apply to entries that do not set them.
      - Endpoints that hold the same old certificate share one C(ReplaceCertForLoadBalancers).
      - Returns RV(endpoints).
    type: list
    elements: dict
    suboptions:
      load_balancer_id:
        description: Id of the load balancer.
        type: str
      listener_id:
        description: Only this HTTPS listener.
        type: str
      domain:
        description: Only the SNI rule of this domain.
        type: str
      old_certificate_id:
        description: SSL store id of the server certificate to replace.
        type: str
        aliases: [old_cert_id]
      region:
        description: Region of the load balancer.
        type: str
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
      wait_timeout:
        description: Seconds to wait for a write's task to end.
        type: int
      wait_interval:
        description: Longest pause, in seconds, between two polls of a task.
        type: float
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
      - Regions whose load balancers are read to name every load balancer a replacement changes.
        C(DescribeLoadBalancerListByCertId) answers for one region a call.
      - Defaults to O(region), else V(ap-guangzhou). The region of O(load_balancer_id) is always read.
    type: list
    elements: str
  scope:
    description:
      - V(certificate) - one C(ReplaceCertForLoadBalancers) per old certificate, which changes every load balancer
        that holds it (all named in the result).
      - V(endpoint) - only the listeners and SNI rules of the endpoint (C(ModifyListener), C(ModifyDomainAttributes),
        one write each). Needs O(load_balancer_id).
    type: str
    choices: [certificate, endpoint]
    default: certificate
  require_in_use:
    description:
      - With O(old_certificate_id), fail when no load balancer in O(regions) uses the old certificate or the new one,
        instead of reporting ok. The C(certops.cloud.rotate) role sets it, so that a stale endpoint is never reported
        as rotated.
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for a write's task (C(DescribeTaskStatus)) to end.
    type: int
    default: 300
  wait_interval:
    description: Longest pause, in seconds, between two polls of a task (the first poll comes after half a second).
    type: float
    default: 2
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
      - The diff shows the certificate ids, the listeners and rules with their TLS settings, every load balancer the
        write changes and the listeners outside the endpoint it changes too (C(also_changed)), and the summaries of
        the old and new certificates (subject, SANs, expiry, fingerprints).
  idempotent:
    support: full
notes:
  - Region constraint - C(ReplaceCertForLoadBalancers) can only be called in the Guangzhou region, and it replaces
    the certificate on the load balancers of every region. The module therefore always sends it (and polls its task)
    in V(ap-guangzhou), whatever O(region) is. Which load balancers use a certificate is regional; list every region
    where the certificate may be used in O(regions) to see and return them all.
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
  description: The endpoint before the run.
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
      description: Summary of that certificate (subject, SANs, expiry, fingerprints; no key material).
      type: dict
    listeners:
      description: C(load_balancer_id), C(region), C(listener_id), C(domain) (SNI rules), C(ssl_mode), C(cert_id),
        C(cert_ca_id) of each listener and rule of the endpoint (with O(old_certificate_id), of every load balancer
        using it).
      type: list
      elements: dict
    load_balancers:
      description: With O(old_certificate_id), C(load_balancer_id), C(load_balancer_name) and C(region) of each
        load balancer using it.
      type: list
      elements: dict
after:
  description: The endpoint after the run (in check mode, as it would be), with the new certificate.
  returned: success
  type: dict
load_balancers:
  description: Every load balancer that was (or in check mode would be) changed, also those outside the endpoint.
  returned: success
  type: list
  elements: dict
also_changed:
  description: The listeners and rules outside the endpoint that the replacement changed too (or would change).
  returned: success
  type: list
  elements: dict
server_names:
  description: The SNI domains of the endpoint's rules (what a TLS check of the endpoint can ask for).
  returned: success
  type: list
  elements: str
tasks:
  description: C(task_id), C(action) and C(load_balancer_ids) of each write, each awaited until it ended.
  returned: success
  type: list
  elements: dict
certificate_id:
  description: Id of the new certificate (null in check mode when it would first be stored).
  returned: success
  type: str
endpoints:
  description: With O(batch), one result per entry, in order - C(endpoint), C(changed), C(failed), C(msg), C(summary)
    (ids, leaf fingerprints and expiry, before and after; see docs/modules.md of the collection), and the keys above.
  returned: when O(batch) is given
  type: list
  elements: dict
"""

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.certops.cloud.plugins.module_utils._certificate import summary_covers, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._common import ApiError, EndpointFailure, WAIT_CONCURRENCY, summary_row
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_clb import (
    REPLACE_REGION,
    ClbError,
    ClbModule,
    binding_key,
    binding_name,
    certificate_input,
)


class ClbCertificate(ClbModule):
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
    batch_options = ("load_balancer_id", "listener_id", "domain", "old_certificate_id", "region", "regions", "ssl_mode",
                     "ca_certificate_id", "wait_timeout", "wait_interval")
    module_kwargs = dict(
        required_one_of=[("load_balancer_id", "old_certificate_id"), ("certificate_id", "certificate")],
        mutually_exclusive=[("certificate_id", "certificate")],
        required_together=[("certificate", "private_key")],
    )
    failure = None

    # --- the flow: read every endpoint, one write per old certificate, then each endpoint's result ----------

    def execute(self):
        result = self.run_endpoints([self])[0]
        if result["failed"]:
            raise EndpointFailure(result.pop("msg"), **result)
        return result

    def execute_batch(self):
        return self.batch_result(self.run_endpoints([self.for_entry(entry) for entry in self.params["batch"]]))

    def run_endpoints(self, workers):
        self.each(workers, ClbCertificate.prepare)
        groups = {}
        for worker in workers:
            if worker.failure is None and worker.params["scope"] == "certificate":
                for old_id in worker.pending:
                    groups.setdefault(old_id, []).append(worker)
        self.read_group_users(groups)
        outcomes = dict(zip(groups, self.pool_map(lambda group: self.replace_everywhere(*group), list(groups.items()))))
        # The writes' tasks are awaited together, not batch_concurrency at a time: awaiting is mostly sleeping.
        self.pool_map(self.await_replace, [o for o in outcomes.values() if o.get("awaiting")], WAIT_CONCURRENCY)
        self.each([w for w in workers if w.failure is None and w.params["scope"] == "endpoint"], ClbCertificate.modify_endpoint)
        return [worker.endpoint_result(outcomes) for worker in workers]

    def read_group_users(self, groups):
        """The load balancers of every old certificate, in one read per set of regions (not one per certificate)."""
        by_regions = {}
        for old_id, workers in groups.items():
            by_regions.setdefault(self.group_regions(workers), []).append(old_id)
        for regions, old_ids in by_regions.items():
            self.read_users(old_ids, regions)

    @staticmethod
    def group_regions(workers):
        return tuple(sorted({region for worker in workers for region in worker.regions()}))

    def pool_map(self, function, items, concurrency=None):
        concurrency = max(1, min(concurrency or self.params.get("batch_concurrency") or 1, len(items) or 1))
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(function, items))

    def each(self, workers, step):
        """``step(worker)`` for every worker; a failure is kept on the worker (the others go on)."""
        def run(worker):
            try:
                worker.attempt(step, worker)
            except EndpointFailure as exc:
                worker.failure = exc
        self.pool_map(run, workers)

    # --- one endpoint: read ------------------------------------------------------------------------------

    def check_options(self):
        params = self.params
        if params.get("load_balancer_id") and params.get("old_certificate_id"):
            self.fail("set load_balancer_id (and listener_id, domain) or old_certificate_id, not both")
        if (params.get("listener_id") or params.get("domain")) and not params.get("load_balancer_id"):
            self.fail("listener_id and domain name a listener or SNI rule of a load balancer: set load_balancer_id")
        if params["scope"] == "endpoint" and not params.get("load_balancer_id"):
            self.fail("scope endpoint needs load_balancer_id")
        if params.get("load_balancer_id"):
            self.require_region()

    def prepare(self):
        """Read the endpoint and find which of its certificates differ from the new one (no write)."""
        self.pending, self.outcome = [], dict(listeners=[], load_balancers=[], tasks=[])
        self.check_entry()
        self.check_options()
        self.validate()
        self.before = self.read_binding()
        self.new_summary = self.new_certificate_summary()
        uncovered = [d for d in self.domains(self.before["listeners"]) if not summary_covers(self.new_summary, d)]
        if uncovered and self.pending:
            self.fail("the new certificate (names %s) does not cover the SNI domain %s of the endpoint"
                      % (", ".join(summary_names(self.new_summary)), ", ".join(uncovered)))

    def validate(self):
        self.bundle = self.key = None
        if self.params["certificate"]:
            self.bundle, self.key = self.load_certificate_input()
        self.new_id = self.params["certificate_id"]
        if self.bundle is not None:
            self.new_id = self.shared.memo(("ssl find", self.bundle.fingerprint_sha256),
                                           lambda: self.store.ensure(self.bundle, check_mode=True)[0])

    def stored_summary(self, cert_id):
        detail = self.store.detail(cert_id)
        return detail and detail["certificate"]

    def new_certificate_summary(self):
        if self.bundle is not None:
            return self.bundle.summary()
        detail = self.store.detail(self.new_id)
        if detail is None:
            self.fail("certificate_id %s is not in the Tencent Cloud SSL certificate store" % self.new_id)
        return detail["certificate"] or {}

    @staticmethod
    def domains(bindings):
        return sorted({b["domain"] for b in bindings if b.get("domain")})

    def read_binding(self):
        if self.params.get("load_balancer_id"):
            return self.read_load_balancer()
        return self.read_certificate_users()

    def read_load_balancer(self):
        params = self.params
        bindings = self.endpoint_bindings(params["load_balancer_id"], params["region"], params.get("listener_id"), params.get("domain"))
        current = sorted({b["cert_id"] for b in bindings})
        self.pending = [cert_id for cert_id in current if cert_id != self.new_id]
        return dict(load_balancer_id=params["load_balancer_id"], region=params["region"], listener_id=params.get("listener_id"),
                    domain=params.get("domain"), certificate_id=",".join(current), certificate_ids=current,
                    certificate=self.stored_summary(current[0]), listeners=bindings, load_balancers=[])

    def read_certificate_users(self):
        old = self.params["old_certificate_id"]
        users = self.users(old, self.regions())
        if not users:
            if self.store.detail(old) is None:
                self.fail("old_certificate_id %s is not in the Tencent Cloud SSL certificate store" % old)
            if not (self.new_id and self.new_id != old and self.users(self.new_id, self.regions())):
                problem = ("no load balancer in %s uses certificate %s or the new certificate: name the endpoint by "
                           "load_balancer_id (a certificate id goes stale after a rotation)" % (", ".join(self.regions()), old))
                if self.params["require_in_use"]:
                    self.fail(problem)
                self.module.warn("%s: %s" % (self.endpoint_label(), problem))
        self.pending = [old] if users and old != self.new_id else []
        return dict(certificate_id=old, certificate_ids=[old], certificate=self.stored_summary(old), load_balancers=users, listeners=[])

    # --- writes ----------------------------------------------------------------------------------------

    def new_certificate_id(self):
        """The store id of the new certificate, stored once (for every endpoint of the run) when given by content."""
        if self.new_id is None:
            self.new_id = self.shared.memo(("ssl upload", self.bundle.fingerprint_sha256),
                                           lambda: self.store.ensure(self.bundle, self.key, alias=self.params["name"])[0])
        return self.new_id

    def replace_everywhere(self, old_id, workers):
        """One C(ReplaceCertForLoadBalancers) for every endpoint holding ``old_id``, which changes every load balancer
        holding it: those are named, checked and written once (and its task awaited once, by ``await_replace``)."""
        lead = workers[0]
        outcome = dict(old_certificate_id=old_id, load_balancers=[], listeners=[], written=False, tasks=[], error=None,
                       certificate_id=lead.new_id)
        try:
            users = list(lead.users(old_id, self.group_regions(workers)))
            for worker in workers:  # the endpoint's own load balancer, also when the listing of its region missed it
                if worker.params.get("load_balancer_id") and worker.params["load_balancer_id"] not in [lb["load_balancer_id"] for lb in users]:
                    users.append(dict(load_balancer_id=worker.params["load_balancer_id"], load_balancer_name=None, region=worker.params["region"]))
            outcome["load_balancers"] = users
            outcome["listeners"] = bindings = [b for lb in users for b in lead.tls_bindings(lb, old_id) if b["cert_id"] == old_id]
            ssl_mode, ca_id = self.group_tls_settings(workers, bindings)
            outcome.update(ssl_mode=ssl_mode, cert_ca_id=ca_id)
            uncovered = [b for b in bindings if b["domain"] and not summary_covers(lead.new_summary, b["domain"])]
            if uncovered:
                raise ClbError("ReplaceCertForLoadBalancers would put the new certificate (names %s) on %s, which it does not "
                               "cover; nothing was changed (scope endpoint changes only the endpoint's own listeners)"
                               % (", ".join(summary_names(lead.new_summary)), "; ".join(binding_name(b) for b in uncovered)))
            if self.module.check_mode:
                return outcome
            new_id = outcome["certificate_id"] = lead.new_certificate_id()
            response = self.call("clb", "ReplaceCertForLoadBalancers", region=REPLACE_REGION, OldCertificateId=old_id,
                                 Certificate=certificate_input(ssl_mode, new_id, ca_id))
            outcome["written"] = True
            task = dict(task_id=response.get("RequestId"), action="ReplaceCertForLoadBalancers",
                        load_balancer_ids=[lb["load_balancer_id"] for lb in users])
            outcome["tasks"].append(task)
            outcome["awaiting"] = (task["task_id"], "ReplaceCertForLoadBalancers of %s by %s" % (old_id, new_id),
                                   lead.params["wait_timeout"], lead.params["wait_interval"])
        except (ClbError, ApiError) as exc:
            outcome["error"] = str(exc)
        return outcome

    def await_replace(self, outcome):
        """Wait for the task of a C(ReplaceCertForLoadBalancers) (``replace_everywhere``); a failure is the outcome's error."""
        try:
            self.wait_task(*outcome.pop("awaiting"))
        except (ClbError, ApiError) as exc:
            outcome["error"] = str(exc)

    @staticmethod
    def group_tls_settings(workers, bindings):
        """(SSLMode, CertCaId) to send: the options, else what every listener holding the old certificate has."""
        wanted = sorted({(w.params["ssl_mode"], w.params["ca_certificate_id"]) for w in workers}, key=str)
        if len(wanted) > 1:
            raise ClbError("the endpoints holding the certificate ask for different ssl_mode/ca_certificate_id %s"
                           % ", ".join("%s/%s" % pair for pair in wanted))
        ssl_mode, ca_id = wanted[0]
        current = sorted({(b["ssl_mode"] or "UNIDIRECTIONAL", b["cert_ca_id"]) for b in bindings}, key=str)
        if ssl_mode is None and ca_id is None and len(current) > 1:
            raise ClbError("the listeners using the certificate have different mutual TLS settings %s; set ssl_mode "
                           "(and ca_certificate_id) to choose one" % ", ".join("%s/%s" % pair for pair in current))
        if ssl_mode is None:
            ssl_mode = "MUTUAL" if ca_id else (current[0][0] if current else "UNIDIRECTIONAL")
        if ssl_mode == "MUTUAL" and ca_id is None:
            ca_id = current[0][1] if current else None
            if not ca_id:
                raise ClbError("ssl_mode MUTUAL needs ca_certificate_id")
        return ssl_mode, (ca_id if ssl_mode == "MUTUAL" else None)

    def binding_settings(self, binding):
        """scope endpoint: the options, else what the listener or rule has."""
        ssl_mode = self.params["ssl_mode"] or binding["ssl_mode"] or "UNIDIRECTIONAL"
        ca_id = self.params["ca_certificate_id"] or binding["cert_ca_id"]
        if ssl_mode == "MUTUAL" and not ca_id:
            self.fail("ssl_mode MUTUAL needs ca_certificate_id")
        return ssl_mode, (ca_id if ssl_mode == "MUTUAL" else None)

    def modify_endpoint(self):
        """scope endpoint: set the certificate on the endpoint's own listeners and SNI rules, each write awaited."""
        todo = [b for b in self.before["listeners"] if b["cert_id"] != self.new_id]
        settings = [self.binding_settings(b) for b in todo]
        if todo:
            self.outcome.update(listeners=todo, load_balancers=[dict(load_balancer_id=self.params["load_balancer_id"], region=self.params["region"])])
        if not todo or self.module.check_mode:
            return
        new_id = self.new_certificate_id()
        for binding, (ssl_mode, ca_id) in zip(todo, settings):
            where = dict(LoadBalancerId=binding["load_balancer_id"], ListenerId=binding["listener_id"])
            if binding["domain"]:
                action, where["Domain"] = "ModifyDomainAttributes", binding["domain"]
            else:
                action = "ModifyListener"
            response = self.call("clb", action, region=binding["region"], Certificate=certificate_input(ssl_mode, new_id, ca_id), **where)
            self.written = True
            task = dict(task_id=response.get("RequestId"), action=action, load_balancer_ids=[binding["load_balancer_id"]])
            self.outcome["tasks"].append(task)
            self.wait_task(task["task_id"], "%s on %s" % (action, binding_name(binding)),
                           self.params["wait_timeout"], self.params["wait_interval"], binding["region"])

    # --- results -------------------------------------------------------------------------------------

    def endpoint_result(self, outcomes):
        mine = [outcomes[old_id] for old_id in self.pending if old_id in outcomes]
        self.written = self.written or any(o["written"] for o in mine)
        errors = [o["error"] for o in mine if o["error"]]
        if self.failure is None and errors:
            try:
                self.fail("; ".join(errors))
            except EndpointFailure as exc:
                self.failure = exc
        if self.failure is not None:
            result = dict(self.failure.details, failed=True, msg=self.failure.msg, changed=self.written, before=self.before)
        else:
            result = self.success(mine)
        result.update(endpoint=self.endpoint_label(), failed=result.get("failed", False))
        result["summary"] = self.summary(result)
        return result

    def success(self, mine):
        before = dict(self.before)
        if self.params["scope"] == "endpoint":
            changed_bindings, load_balancers, tasks = self.outcome["listeners"], self.outcome["load_balancers"], self.outcome["tasks"]
        else:
            changed_bindings = [b for o in mine for b in o["listeners"]]
            load_balancers = list(dict((lb["load_balancer_id"], lb) for o in mine for lb in o["load_balancers"]).values())
            tasks = [t for o in mine for t in o["tasks"]]
        if not self.params.get("load_balancer_id"):
            before["listeners"] = changed_bindings  # with old_certificate_id, the endpoint is every use of it
        new_id = self.new_id or next((o["certificate_id"] for o in mine if o["certificate_id"]), None)
        by_old = dict((o["old_certificate_id"], o) for o in mine)

        def now(binding):
            if binding["cert_id"] == new_id or binding["cert_id"] not in self.pending:
                return binding
            outcome = by_old.get(binding["cert_id"])
            ssl_mode, ca_id = (outcome["ssl_mode"], outcome["cert_ca_id"]) if outcome else self.binding_settings(binding)
            return dict(binding, cert_id=new_id, ssl_mode=ssl_mode, cert_ca_id=ca_id)
        own = set(binding_key(b) for b in before["listeners"])
        also = [now(b) for b in changed_bindings if binding_key(b) not in own]
        changed = bool(self.pending)
        after = dict(before, certificate_id=new_id if changed else before["certificate_id"],
                     certificate_ids=sorted({now(b)["cert_id"] for b in before["listeners"]} - {None}) if changed else before["certificate_ids"],
                     certificate=self.new_summary if changed else before["certificate"],
                     listeners=[now(b) for b in before["listeners"]])
        result = dict(changed=changed, before=before, after=after, certificate_id=new_id,
                      load_balancers=load_balancers if changed else [], also_changed=also if changed else [],
                      server_names=self.domains(after["listeners"]), tasks=tasks)
        if self.module._diff:
            names = [lb["load_balancer_id"] for lb in load_balancers]
            result["diff"] = dict(before=dict(before, load_balancers=names if changed else []),
                                  after=dict(after, load_balancers=names if changed else [],
                                             also_changed=[binding_name(b) for b in also] if changed else []),
                                  before_header=self.endpoint_label(), after_header=self.endpoint_label())
        return result

    def summary(self, result):
        before, after = result.get("before") or {}, result.get("after") or {}
        return summary_row(before.get("certificate_id"), before.get("certificate"), after.get("certificate_id"), after.get("certificate"))


def main():
    module = ClbCertificate.define_module()
    ClbCertificate(module).run()


if __name__ == "__main__":
    main()
