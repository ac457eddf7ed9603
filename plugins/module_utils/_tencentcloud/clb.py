# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""CLB (Cloud Load Balancer): where certificates are bound, which load balancers use one, the asynchronous tasks, and
the bind flow of ``tencentcloud_clb_certificate`` (:class:`ClbEndpoint`).

The pure functions (listener bindings, the choice of an endpoint's bindings, TLS settings, coverage, the bindings
after a replacement) hold the domain logic; the classes only read and write.
"""

from __future__ import annotations

import functools
import time
import typing as t

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, paged
from ansible_collections.certops.cloud.plugins.module_utils._certificate import same_certificate
from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_covers, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointModule, Group, StepError, summary_row
from ansible_collections.certops.cloud.plugins.module_utils._store import NO_ID_HINT
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore

Binding = t.Dict[str, t.Any]

# DescribeLoadBalancerListByCertId takes at most 20 ids.
CERT_IDS_MAX = 20
# ReplaceCertForLoadBalancers can only be called in Guangzhou; it replaces the certificate in every region.
REPLACE_REGION = "ap-guangzhou"
# DescribeTaskStatus: Status of an asynchronous write.
TASK_SUCCEEDED, TASK_FAILED, TASK_RUNNING = 0, 1, 2
# The first poll of a task comes after this many seconds, then the interval doubles up to wait_interval.
FIRST_POLL = 0.5


class ClbError(StepError):
    """A CLB step failed (a task, a check of the listeners); the message names what, not the endpoint."""


# --- the domain logic ------------------------------------------------------------------------------------------------

def tls_binding(where: Binding, certificate: dict[str, t.Any] | None) -> Binding:
    certificate = certificate or {}
    return dict(where, ssl_mode=certificate.get("SSLMode"), cert_id=certificate.get("CertId") or None,
                cert_ca_id=certificate.get("CertCaId") or None)


def listener_bindings(listener: dict[str, t.Any]) -> list[Binding]:
    """TLS bindings of an HTTPS listener: the listener itself, or each rule of an SNI listener."""
    where = dict(listener_id=listener.get("ListenerId"), protocol=listener.get("Protocol"), port=listener.get("Port"))
    bindings = []
    if listener.get("Certificate"):
        bindings.append(tls_binding(dict(where, domain=None), listener["Certificate"]))
    for rule in listener.get("Rules") or []:
        if rule.get("Certificate"):
            bindings.append(tls_binding(dict(where, domain=rule.get("Domain"), location_id=rule.get("LocationId")), rule["Certificate"]))
    return bindings


def binding_key(binding: Binding) -> tuple[t.Any, ...]:
    """What names one binding: load balancer, listener, SNI domain (None for the listener's own certificate)."""
    return (binding.get("load_balancer_id"), binding.get("listener_id"), binding.get("domain"))


def binding_name(binding: Binding) -> str:
    name = "%s listener %s" % (binding.get("load_balancer_id"), binding.get("listener_id"))
    if binding.get("domain"):
        name += " domain %s" % binding["domain"]
    return name


def certificate_input(ssl_mode: str | None, cert_id: str | None, ca_id: str | None) -> dict[str, t.Any]:
    """The CertificateInput of a write."""
    certificate = dict(SSLMode=ssl_mode or "UNIDIRECTIONAL", CertId=cert_id)
    if ca_id and certificate["SSLMode"] == "MUTUAL":
        certificate["CertCaId"] = ca_id
    return certificate


def select_bindings(bindings: list[Binding], load_balancer_id: str, listener_id: str | None = None,
                    domain: str | None = None) -> list[Binding]:
    """The server certificate bindings of one endpoint among its load balancer's ``bindings``: all of them, those of
    one listener, or one SNI rule; raises ClbError naming what the load balancer lacks."""
    bindings = [b for b in bindings if b["cert_id"]]
    if listener_id:
        bindings = [b for b in bindings if b["listener_id"] == listener_id]
        if not bindings:
            raise ClbError("load balancer %s has no HTTPS listener %s with a certificate" % (load_balancer_id, listener_id))
    if domain:
        bindings = [b for b in bindings if (b["domain"] or "").lower() == domain.lower()]
        if not bindings:
            raise ClbError("load balancer %s has no SNI rule for domain %s%s" % (
                load_balancer_id, domain, " on listener %s" % listener_id if listener_id else ""))
    if not bindings:
        raise ClbError("load balancer %s has no HTTPS listener with a certificate" % load_balancer_id)
    return bindings


def domains(bindings: list[Binding]) -> list[str]:
    """The SNI domains of ``bindings``."""
    return sorted({b["domain"] for b in bindings if b.get("domain")})


def uncovered(bindings: list[Binding], summary: dict[str, t.Any]) -> list[Binding]:
    """The SNI rules of ``bindings`` whose domain the certificate (``summary``) does not cover."""
    return [b for b in bindings if b.get("domain") and not summary_covers(summary, b["domain"])]


def replacement_settings(wanted: set[tuple[str | None, str | None]], bindings: list[Binding]) -> tuple[str, str | None]:
    """(SSLMode, CertCaId) that one replacement of a certificate sends: what the endpoints holding it ask for
    (``wanted``, their ssl_mode and ca_certificate_id options), else what every listener holding it (``bindings``)
    has; mutual TLS is kept."""
    asked = sorted(wanted, key=str)
    if len(asked) > 1:
        raise ClbError("the endpoints holding the certificate ask for different ssl_mode/ca_certificate_id %s"
                       % ", ".join("%s/%s" % pair for pair in asked))
    ssl_mode, ca_id = asked[0] if asked else (None, None)
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


def binding_settings(ssl_mode: str | None, ca_id: str | None, binding: Binding) -> tuple[str, str | None]:
    """(SSLMode, CertCaId) of a write to one listener or rule (scope endpoint): the options, else what it has."""
    ssl_mode = ssl_mode or binding["ssl_mode"] or "UNIDIRECTIONAL"
    ca_id = ca_id or binding["cert_ca_id"]
    if ssl_mode == "MUTUAL" and not ca_id:
        raise ClbError("ssl_mode MUTUAL needs ca_certificate_id")
    return ssl_mode, (ca_id if ssl_mode == "MUTUAL" else None)


def rebound(binding: Binding, new_id: str | None, pending: list[str],
            settings_of: t.Callable[[Binding], tuple[str, str | None]]) -> Binding:
    """``binding`` once the endpoint's pending certificates are replaced by ``new_id``, with the TLS settings
    ``settings_of(binding)`` written; a binding holding another certificate (or the new one) is unchanged."""
    if binding["cert_id"] == new_id or binding["cert_id"] not in pending:
        return binding
    ssl_mode, ca_id = settings_of(binding)
    return dict(binding, cert_id=new_id, ssl_mode=ssl_mode, cert_ca_id=ca_id)


# --- reading and awaiting ----------------------------------------------------------------------------------------------

class ClbModule(TencentCloudModule):
    """Base of the CLB modules."""

    @property
    def store(self):
        return SslStore(self.cloud)

    def regions(self):
        """Regions whose load balancers are read (C(DescribeLoadBalancerListByCertId) is regional)."""
        regions = list(self.params.get("regions") or [self.params.get("region") or REPLACE_REGION])
        if self.params.get("load_balancer_id") and self.params.get("region") and self.params["region"] not in regions:
            regions.append(self.params["region"])
        return regions

    def endpoint_label(self):
        label = "tencentcloud clb"
        if self.params.get("load_balancer_id"):
            label += " load balancer %s" % self.params["load_balancer_id"]
            if self.params.get("listener_id"):
                label += " listener %s" % self.params["listener_id"]
            if self.params.get("domain"):
                label += " domain %s" % self.params["domain"]
        elif self.params.get("old_certificate_id"):
            label += " certificate %s" % self.params["old_certificate_id"]
        return label

    def load_balancers_by_cert(self, cert_ids, regions=None):
        """{cert_id: [{load_balancer_id, load_balancer_name, region}]} in every region, 20 ids a call."""
        found = dict((cert_id, []) for cert_id in cert_ids)
        for region in regions or self.regions():
            for index in range(0, len(cert_ids), CERT_IDS_MAX):
                response = self.call("clb", "DescribeLoadBalancerListByCertId", region=region,
                                     CertIds=cert_ids[index:index + CERT_IDS_MAX])
                for entry in response.get("CertSet") or []:
                    found.setdefault(entry.get("CertId"), []).extend(
                        dict(load_balancer_id=lb.get("LoadBalancerId"), load_balancer_name=lb.get("LoadBalancerName"), region=region)
                        for lb in entry.get("LoadBalancers") or [])
        return found

    def users(self, cert_id, regions):
        """The load balancers using ``cert_id`` in ``regions``, read once per module run (before any write)."""
        regions = tuple(sorted(set(regions)))
        return self.shared.memo(("clb users", cert_id, regions), lambda: self.load_balancers_by_cert([cert_id], list(regions))[cert_id])

    def read_users(self, cert_ids, regions):
        """``users`` of the certificates not read yet, with one read (20 ids a call) when there are several. A read
        that fails is let go: each certificate is then read on its own by ``users``, and fails on its own."""
        regions = tuple(sorted(set(regions)))
        missing = [cert_id for cert_id in cert_ids if not self.shared.known(("clb users", cert_id, regions))]
        if len(missing) < 2:
            return
        try:
            found = self.load_balancers_by_cert(missing, list(regions))
        except ApiError:
            return
        for cert_id in missing:
            self.shared.memo(("clb users", cert_id, regions), functools.partial(found.get, cert_id, []))

    def listener_bindings_of(self, load_balancer_id, region):
        """Every TLS binding of a load balancer, read once per module run (before any write)."""
        def read():
            try:
                response = self.call("clb", "DescribeListeners", region=region, LoadBalancerId=load_balancer_id)
            except ApiError as exc:
                if exc.code in ("InvalidParameter.LBIdNotFound", "InvalidParameterValue.Length", "ResourceNotFound"):
                    raise ClbError("load balancer %s was not found in region %s (%s)" % (load_balancer_id, region, exc.message))
                raise
            return [dict(binding, load_balancer_id=load_balancer_id, region=region)
                    for listener in response.get("Listeners") or [] for binding in listener_bindings(listener)]
        return self.shared.memo(("clb listeners", region, load_balancer_id), read)

    def tls_bindings(self, load_balancer, cert_id):
        """Listener (and SNI rule) TLS settings of a load balancer that use ``cert_id``."""
        return [b for b in self.listener_bindings_of(load_balancer["load_balancer_id"], load_balancer["region"])
                if cert_id in (b["cert_id"], b["cert_ca_id"])]

    def wait_task(self, task_id, what, timeout, interval, region=REPLACE_REGION):
        """Poll DescribeTaskStatus (in the region of the write) until the task of a write ends; raises ClbError when it
        failed or timed out."""
        deadline = time.monotonic() + timeout
        pause = min(FIRST_POLL, interval)
        while True:
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
            status = self.call("clb", "DescribeTaskStatus", region=region, TaskId=task_id)
            if status.get("Status") == TASK_SUCCEEDED:
                return status
            if status.get("Status") == TASK_FAILED:
                raise ClbError("%s failed (task %s, load balancers %s): %s" % (
                    what, task_id, ", ".join(status.get("LoadBalancerIds") or []) or "-", status.get("Message") or "no message"))
            if time.monotonic() >= deadline:
                raise ClbError("%s still running after %s seconds (task %s); it may still complete: run again to see the outcome"
                               % (what, timeout, task_id))
            pause = min(interval, pause * 2)


# --- the bind flow -----------------------------------------------------------------------------------------------------

class ClbEndpoint(ClbModule, EndpointModule):
    """``tencentcloud_clb_certificate`` on the batching seam.

    Each endpoint reads its load balancer's listeners (one DescribeListeners per load balancer for the run) or, named
    by old certificate, the load balancers using it. The certificates that differ from the new one (``pending``) are
    written in one C(ReplaceCertForLoadBalancers) per old certificate - a write group of every endpoint holding it,
    which first names and checks every listener the replacement changes (also in check mode) - or, with scope
    endpoint, listener by listener (C(ModifyListener), C(ModifyDomainAttributes)). Each write's task is awaited.
    """

    write_together = True
    pending: list[str] = []  # the certificates of the endpoint that differ from the new one (read)
    outcomes: dict[str, dict[str, t.Any]] = {}  # old certificate id -> its replacement (write_groups)
    outcome: dict[str, t.Any] = {}  # scope endpoint: the endpoint's own writes (check_own_listeners)

    def endpoint_scope(self):
        return self.params["scope"] == "endpoint"

    def validate_identity(self):
        params = self.params
        if params.get("load_balancer_id") and params.get("old_certificate_id"):
            self.fail("set load_balancer_id (and listener_id, domain) or old_certificate_id, not both")
        if (params.get("listener_id") or params.get("domain")) and not params.get("load_balancer_id"):
            self.fail("listener_id and domain name a listener or SNI rule of a load balancer: set load_balancer_id")
        if self.endpoint_scope() and not params.get("load_balancer_id"):
            self.fail("scope endpoint needs load_balancer_id")
        if params.get("load_balancer_id"):
            self.require_region()

    def validate(self):
        self.validate_identity()
        params = self.params
        if not params["certificate"] and not (params["certificate_id"] or "").strip():
            self.fail("the new certificate is needed: certificate_id or certificate (with private_key); certificate_id is %s. %s"
                      % ("empty" if params["certificate_id"] is not None else "not set", NO_ID_HINT))
        self.bundle = self.key = None
        if params["certificate"]:
            self.bundle, self.key = self.load_certificate_input()

    # --- read ----------------------------------------------------------------------------------------------------------

    def read(self):
        self.new_id = self.params["certificate_id"]
        if self.bundle is not None:
            self.new_id = self.shared.memo(("ssl find", self.bundle.fingerprint_sha256),
                                           lambda: self.store.ensure(self.bundle, check_mode=True)[0])
        self.before = self.read_load_balancer() if self.params.get("load_balancer_id") else self.read_certificate_users()
        self.new_summary = self.new_certificate_summary()
        # Another copy of the new certificate (the same leaf and chain) is the new certificate: nothing to replace.
        self.pending = [cert_id for cert_id in self.pending if not same_certificate(self.stored_summary(cert_id), self.new_summary)]
        missing = [domain for domain in domains(self.before["listeners"]) if not summary_covers(self.new_summary, domain)]
        if missing and self.pending:
            self.fail("the new certificate (names %s) does not cover the SNI domain %s of the endpoint"
                      % (", ".join(summary_names(self.new_summary)), ", ".join(missing)))
        self.changed = bool(self.pending)

    def read_held(self):
        """read_only: the certificates the endpoint's listeners and rules hold (or the users of old_certificate_id)."""
        self.new_id, self.bundle, self.pending = None, None, []
        self.before = self.after = self.read_load_balancer() if self.params.get("load_balancer_id") else self.read_certificate_users()
        self.pending, self.changed = [], False

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

    def read_load_balancer(self):
        params = self.params
        bindings = select_bindings(self.listener_bindings_of(params["load_balancer_id"], params["region"]), params["load_balancer_id"],
                                   params.get("listener_id"), params.get("domain"))
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

    # --- write groups: one replacement per old certificate, or each endpoint's own listeners -------------------------

    def write_groups(self, members):
        groups = {}
        for member in members:
            member.outcomes = {}
            if member.endpoint_scope():
                groups[id(member)] = Group(None, [member])
                continue
            for old_id in member.pending:
                group = groups.setdefault(old_id, Group(old_id, []))
                group.members.append(member)
                member.outcomes[old_id] = group.data
        return list(groups.values())

    def prepare_writes(self, groups):
        """Every load balancer each replacement changes, read (their users in one read) and checked; with scope
        endpoint, the settings of each listener to write."""
        replacements = [group for group in groups if group.key is not None]
        by_regions = {}
        for group in replacements:
            by_regions.setdefault(self.group_regions(group), []).append(group.key)
        for regions, old_ids in by_regions.items():
            self.read_users(old_ids, regions)
        self.pool_map(lambda group: self.guarded(functools.partial(self.check_replacement, group), [group]), replacements)
        for group in groups:
            if group.key is None:
                self.guarded(functools.partial(self.check_own_listeners, group), [group])

    @staticmethod
    def group_regions(group):
        return tuple(sorted({region for member in group.members for region in member.regions()}))

    def check_replacement(self, group):
        """What one C(ReplaceCertForLoadBalancers) of ``group.key`` changes - every load balancer holding it, named
        and checked (mutual TLS settings, coverage of every SNI rule) before it is written."""
        lead, outcome = group.members[0], group.data
        outcome.update(old_certificate_id=group.key, listeners=[], load_balancers=[], tasks=[], certificate_id=lead.new_id)
        users = list(lead.users(group.key, self.group_regions(group)))
        for member in group.members:  # the endpoint's own load balancer, also when the listing of its region missed it
            if member.params.get("load_balancer_id") and member.params["load_balancer_id"] not in [lb["load_balancer_id"] for lb in users]:
                users.append(dict(load_balancer_id=member.params["load_balancer_id"], load_balancer_name=None, region=member.params["region"]))
        outcome["load_balancers"] = users
        outcome["listeners"] = bindings = [b for lb in users for b in lead.tls_bindings(lb, group.key) if b["cert_id"] == group.key]
        wanted = {(member.params["ssl_mode"], member.params["ca_certificate_id"]) for member in group.members}
        outcome["ssl_mode"], outcome["cert_ca_id"] = replacement_settings(wanted, bindings)
        outside = uncovered(bindings, lead.new_summary)
        if outside:
            raise ClbError("ReplaceCertForLoadBalancers would put the new certificate (names %s) on %s, which it does not "
                           "cover; nothing was changed (scope endpoint changes only the endpoint's own listeners)"
                           % (", ".join(summary_names(lead.new_summary)), "; ".join(binding_name(b) for b in outside)))

    def check_own_listeners(self, group):
        member = group.members[0]
        todo = [b for b in member.before["listeners"] if b["cert_id"] != member.new_id]
        group.data.update(todo=todo, settings=[member.attempt(binding_settings, member.params["ssl_mode"],
                                                              member.params["ca_certificate_id"], b) for b in todo],
                          listeners=todo, load_balancers=[dict(load_balancer_id=member.params["load_balancer_id"],
                                                               region=member.params["region"])] if todo else [], tasks=[])
        member.outcome = group.data

    def new_certificate_id(self):
        """The store id of the new certificate, stored once (for every endpoint of the run) when given by content."""
        if self.new_id is None:
            self.new_id = self.shared.memo(("ssl upload", self.bundle.fingerprint_sha256),
                                           lambda: self.store.ensure(self.bundle, self.key, alias=self.params["name"])[0])
        return self.new_id

    def write_group(self, group):
        if group.key is None:
            group.members[0].attempt(self.modify_listeners, group)
            group.written = group.members[0].written
            return
        lead, outcome = group.members[0], group.data
        new_id = outcome["certificate_id"] = lead.new_certificate_id()
        response = self.call("clb", "ReplaceCertForLoadBalancers", region=REPLACE_REGION, OldCertificateId=group.key,
                             Certificate=certificate_input(outcome["ssl_mode"], new_id, outcome["cert_ca_id"]))
        group.written = True
        for member in group.members:
            member.written = True
        outcome["tasks"].append(dict(task_id=response.get("RequestId"), action="ReplaceCertForLoadBalancers",
                                     load_balancer_ids=[lb["load_balancer_id"] for lb in outcome["load_balancers"]]))

    def await_group(self, group):
        if group.key is not None:
            lead = group.members[0]
            self.wait_task(group.data["tasks"][0]["task_id"], "ReplaceCertForLoadBalancers of %s by %s" % (group.key, group.data["certificate_id"]),
                           lead.params["wait_timeout"], lead.params["wait_interval"])

    def modify_listeners(self, group):
        """scope endpoint: set the certificate on the endpoint's own listeners and SNI rules, each write awaited."""
        member, outcome = group.members[0], group.data
        new_id = member.new_certificate_id()
        for binding, (ssl_mode, ca_id) in zip(outcome["todo"], outcome["settings"]):
            where = dict(LoadBalancerId=binding["load_balancer_id"], ListenerId=binding["listener_id"])
            if binding["domain"]:
                action, where["Domain"] = "ModifyDomainAttributes", binding["domain"]
            else:
                action = "ModifyListener"
            response = self.call("clb", action, region=binding["region"], Certificate=certificate_input(ssl_mode, new_id, ca_id), **where)
            member.written = True
            task = dict(task_id=response.get("RequestId"), action=action, load_balancer_ids=[binding["load_balancer_id"]])
            outcome["tasks"].append(task)
            self.wait_task(task["task_id"], "%s on %s" % (action, binding_name(binding)), member.params["wait_timeout"],
                           member.params["wait_interval"], binding["region"])

    # --- the endpoint's result -----------------------------------------------------------------------------------------

    def result(self):
        before = dict(self.before)
        mine = [self.outcome] if self.endpoint_scope() and self.changed else [self.outcomes[old_id] for old_id in self.pending]
        changed_bindings = [b for o in mine for b in o.get("listeners") or []]
        load_balancers = list(dict((lb["load_balancer_id"], lb) for o in mine for lb in o.get("load_balancers") or []).values())
        if not self.params.get("load_balancer_id"):
            before["listeners"] = changed_bindings  # with old_certificate_id, the endpoint is every use of it
        new_id = self.new_id or next((o["certificate_id"] for o in mine if o.get("certificate_id")), None)
        replaced = dict((o["old_certificate_id"], (o["ssl_mode"], o["cert_ca_id"])) for o in mine if o.get("old_certificate_id"))

        def now(binding):
            return rebound(binding, new_id, self.pending, lambda b: replaced.get(b["cert_id"]) or binding_settings(
                self.params["ssl_mode"], self.params["ca_certificate_id"], b))
        own = set(binding_key(b) for b in before["listeners"])
        also = [now(b) for b in changed_bindings if binding_key(b) not in own] if self.changed else []
        after = dict(before, listeners=[now(b) for b in before["listeners"]])
        if self.changed:
            after.update(certificate_id=new_id, certificate=self.new_summary,
                         certificate_ids=sorted({b["cert_id"] for b in after["listeners"]} - {None}))
        load_balancers = load_balancers if self.changed else []
        result = dict(changed=self.changed, before=before, after=after, certificate_id=new_id, load_balancers=load_balancers,
                      also_changed=also, server_names=domains(after["listeners"]), tasks=[task for o in mine for task in o.get("tasks") or []])
        if self.module._diff:
            names = [lb["load_balancer_id"] for lb in load_balancers]
            result["diff"] = dict(before=dict(before, load_balancers=names), after=dict(after, load_balancers=names,
                                                                                        also_changed=[binding_name(b) for b in also]),
                                  before_header=self.endpoint_label(), after_header=self.endpoint_label())
        result.update(endpoint=self.endpoint_label(), failed=False, summary=self.summary(result))
        return result

    def summary(self, result):
        before, after = result.get("before") or {}, result.get("after") or {}
        return summary_row(before.get("certificate_id"), before.get("certificate"), after.get("certificate_id"), after.get("certificate"))


def list_endpoints(discovery, region):
    """Discovery: every listener (or SNI rule) with a certificate, of every load balancer of the region."""
    cloud = discovery.tencent(region)
    found = []
    for load_balancer in paged(lambda **params: cloud.call("clb", "DescribeLoadBalancers", params, region=region), "LoadBalancerSet"):
        load_balancer_id = load_balancer.get("LoadBalancerId")
        listeners = cloud.call("clb", "DescribeListeners", dict(LoadBalancerId=load_balancer_id), region=region).get("Listeners") or []
        for listener in listeners:
            for binding in listener_bindings(listener):
                if not binding["cert_id"]:
                    continue
                summary = discovery.ssl_summary(cloud, binding["cert_id"])
                settings = dict(load_balancer_id=load_balancer_id, listener_id=binding["listener_id"], region=region)
                name = "clb-%s-%s" % (load_balancer_id, binding["listener_id"])
                if binding["domain"]:
                    settings["domain"] = settings["server_name"] = binding["domain"]
                    name += "-%s" % binding["domain"]
                else:  # a listener without SNI serves any name: checked at the load balancer's address
                    if discovery.first_host_name(summary_names(summary)):
                        settings["server_name"] = discovery.first_host_name(summary_names(summary))
                    if load_balancer.get("LoadBalancerVips"):
                        settings["verify_host"] = load_balancer["LoadBalancerVips"][0]
                found.append(discovery.endpoint("clb", name, settings, discovery.facts(summary, "ssl", binding["cert_id"]),
                                                [binding["domain"]] + summary_names(summary),
                                                dict(ssl=[c for c in (binding["cert_id"], binding["cert_ca_id"]) if c])))
    return found
