# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""The provider registry: what the collection knows about each provider, in one place.

A provider is a kind of endpoint (``certops_endpoint.provider``): a TSE gateway certificate entry, a GAAP listener
domain, EdgeOne hosts, a CLB load balancer (listener, SNI rule), an ESA site certificate. Its :class:`Provider` names
its modules, the identity keys of an endpoint, how the bind module batches, the certificate store it takes ids from,
how the rotate role binds, rolls back and cleans up its endpoints, how discovery lists them, and the API actions
each flow calls. The modules' batch options, ``certificate_check`` (the role's endpoint check), the role's filters,
discovery and the inventory plugin read it; nothing else names a provider. Pure data and small functions: importing
it imports no provider's code (a module carries only its own) and loads no SDK. Adding a provider:
docs/development.md.
"""

from __future__ import annotations

import difflib
import typing as t
from dataclasses import dataclass, field

Settings = t.Dict[str, t.Any]
Run = t.Tuple[str, t.Dict[str, t.Any]]

COLLECTION = "certops.cloud."
# The certificate stores the new certificate is uploaded to once (by the rotate role), and their modules.
STORE_MODULES = {"ssl": "tencentcloud_ssl_certificate", "gaap": "tencentcloud_gaap_certificate"}
# The cleanup of previous certificates (rotate_cleanup): where they are still used, and their deletion.
CLEANUP_ACTIONS: dict[str, tuple[str, ...]] = dict(
    read=("ssl:DescribeCertificateDetail",),
    write=("ssl:DeleteCertificate", "ssl:DescribeDeleteCertificatesTaskResult", "gaap:DeleteCertificate"),
)
# A store's writes: the upload, and the removal of this run's own extra copy (AWX job slices that raced).
STORE_ACTIONS: dict[str, dict[str, tuple[str, ...]]] = dict(
    ssl=dict(read=("ssl:DescribeCertificates", "ssl:DescribeCertificateDetail"),
             write=("ssl:UploadCertificate", "ssl:DeleteCertificate", "ssl:DescribeDeleteCertificatesTaskResult")),
    gaap=dict(read=("gaap:DescribeCertificates", "gaap:DescribeCertificateDetail"),
              write=("gaap:CreateCertificate", "gaap:DeleteCertificate")),
)
STORE_CLOUD = dict(ssl="tencentcloud", gaap="tencentcloud")
# What the key calls before the job's actions: not part of a job's policy, granted to the key that assumes the role.
CREDENTIAL_ACTIONS = dict(tencentcloud=("sts:AssumeRole",), alicloud=())
# The least-privilege policies of docs/policies/: a job of a cloud and the flows whose actions it needs.
JOBS = dict(rotate=("read", "write", "discover"), audit=("read", "discover"))
# The keys of certops_endpoint every provider takes besides its own: its TLS check.
COMMON_KEYS = ("provider", "server_name", "verify_host", "verify_port")


def _set(value: t.Any) -> bool:
    return value is not None and value != "" and value != []


def _given(settings: Settings, *keys: str) -> Settings:
    """The keys of ``settings`` that are set."""
    return dict((key, settings[key]) for key in keys if settings.get(key) is not None)


@dataclass(frozen=True)
class Provider:
    """One provider. ``actions``: the API actions (``service:Action``) of each flow - ``read`` (what the bind and
    info modules read, check mode included), ``write`` (the bind's writes and what it awaits, rollback included) and
    ``discover`` (the inventory plugin and the usage query)."""

    name: str
    cloud: str  # tencentcloud or alicloud: its connection options and module_defaults group
    title: str  # what one endpoint is, for messages and docs
    bind_module: str
    info_module: str
    store: str | None  # the store whose id the bind takes (None: the bind takes the PEM)
    regional: bool  # its resources are listed in every region (else once)
    required: tuple[str, ...]  # identity keys of certops_endpoint that must all be set
    batch_options: tuple[str, ...]  # the bind module's batch options: the keys of certops_endpoint its entry takes
    group_by: tuple[str, ...]  # batch entries with the same values are read (and written) together
    start_order: int  # overlapping binds start in this order, the longest first
    actions: dict[str, tuple[str, ...]]
    lister: str  # the module util (under module_utils) whose list_endpoints(discovery, region) discovery runs
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of identity keys of which one must be set
    names_from_read: bool = False  # its bind's read returns the names the endpoint serves (server_names)
    aliases: tuple[str, ...] = ()  # aliases of batch options that certops_endpoint may set too
    other_keys: tuple[str, ...] = ()  # other keys certops_endpoint may set (read by carried)
    serves_any_name: bool = False  # an endpoint with no name of its own serves its certificate to any name (no SNI)
    extra_problem: t.Callable[[Settings], str | None] = field(default=lambda settings: None)
    warning: t.Callable[[Settings], str | None] = field(default=lambda settings: None)  # a valid endpoint worth a warning
    carried: t.Callable[[str, Settings], list[str]] = field(default=lambda label, settings: [])
    bind_args: t.Callable[[str, dict[str, t.Any]], dict[str, t.Any]] = field(default=lambda store_id, pem: dict(pem))
    rollback: t.Callable[[Settings, Settings], list[dict[str, t.Any]]] | None = None  # None: cannot be rolled back
    held: t.Callable[[Settings], list[str]] = field(default=lambda before: [])  # store ids a binding references
    identity_matches: t.Callable[[Settings, Settings], bool] | None = None
    no_rollback: str = ""  # why an endpoint cannot be rolled back (the report says it)

    @property
    def bind_fqcn(self) -> str:
        return COLLECTION + self.bind_module

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key a ``certops_endpoint`` of this provider may set."""
        identity = self.required + tuple(key for group in self.one_of for key in group)
        return tuple(dict.fromkeys(COMMON_KEYS + identity + self.batch_options + self.aliases + self.other_keys))

    def problem(self, settings: Settings) -> str | None:
        """What is wrong with one ``certops_endpoint`` of this provider (an unknown key, a missing identity key), or
        None."""
        unknown = [key for key in settings if key not in self.keys]
        if unknown:
            hints = ["%s (did you mean %s?)" % (key, close[0]) if close else key
                     for key in unknown for close in [difflib.get_close_matches(str(key), self.keys, 1)]]
            return "certops_endpoint of provider %s has unknown key%s %s (it takes %s)" % (
                self.name, "s" if len(unknown) > 1 else "", ", ".join(hints), ", ".join(self.keys))
        port = settings.get("verify_port")
        if _set(port) and not str(port).isdigit():
            return "certops_endpoint.verify_port must be a port number, not %r" % (port,)
        missing = [key for key in self.required if not _set(settings.get(key))]
        missing += [" or ".join(group[:2]) for group in self.one_of if not any(_set(settings.get(key)) for key in group)]
        if missing:
            return "certops_endpoint of provider %s misses %s" % (self.name, ", ".join(missing))
        return self.extra_problem(settings)

    def entry(self, label: str, settings: Settings) -> dict[str, t.Any]:
        """The endpoint's entry in the ``batch`` of the bind module."""
        entry = _given(settings, *(self.batch_options + self.aliases))
        if "hosts" in self.batch_options:
            entry["hosts"] = self.carried(label, settings)
        return entry

    def bind_run(self, batch: list[dict[str, t.Any]], store_ids: dict[str, str], pem: dict[str, str]) -> Run:
        """(module, args) of the run that binds ``batch``: the new certificate by its store id, or as PEM without one
        (check mode before the first upload; the module then finds it in its store by fingerprint)."""
        store_id = store_ids.get(self.store) if self.store else None
        return self.bind_fqcn, dict(self.bind_args(store_id or "", pem), batch=batch)

    def read_run(self, batch: list[dict[str, t.Any]]) -> Run:
        """(module, args) of the run that reads what each endpoint of ``batch`` holds and writes nothing (the audit)."""
        return self.bind_fqcn, dict(batch=batch, read_only=True)

    def matches(self, mine: Settings, settings: Settings) -> bool:
        """Whether the discovered endpoint ``mine`` is (part of) the endpoint ``settings`` names."""
        if settings.get("provider") != self.name:
            return False
        if self.identity_matches is not None:
            return self.identity_matches(mine, settings)
        keys = self.required + tuple(group[0] for group in self.one_of)
        return all(settings.get(key) is not None and str(settings.get(key)) == str(mine.get(key)) for key in keys)


# --- TSE: a certificate entry of a cloud-native API gateway ------------------------------------------------------------

def _tse_bind(store_id: str, pem: dict[str, str]) -> dict[str, t.Any]:
    return dict(cert_source="ssl", cert_id=store_id) if store_id else dict(pem, cert_source="ssl")


def _tse_rollback(entry: Settings, bind: Settings) -> list[dict[str, t.Any]]:
    before = bind.get("before") or {}
    if before.get("cert_source") != "ssl" or not before.get("cert_id"):
        return []
    return [dict(_given(entry, "gateway_id", "id", "region"), cert_source="ssl", cert_id=before["cert_id"])]


def _tse_held(before: Settings) -> list[str]:
    return [before["cert_id"]] if before.get("cert_source") == "ssl" and before.get("cert_id") else []


# --- GAAP: a domain of an HTTPS listener ----------------------------------------------------------------------------

def _gaap_rollback(entry: Settings, bind: Settings) -> list[dict[str, t.Any]]:
    before = bind.get("before") or {}
    return [dict(_given(entry, "listener_id", "domain", "wait_timeout", "wait_interval"), certificate_id=before.get("certificate_id"))]


def _gaap_held(before: Settings) -> list[str]:
    return [before["certificate_id"]] if before.get("certificate_id") not in (None, "", "default") else []


# --- TEO: EdgeOne acceleration domains (hosts) of a zone --------------------------------------------------------------

def _teo_problem(settings: Settings) -> str | None:
    hosts = settings.get("hosts")
    if hosts is not None and (not isinstance(hosts, list) or not hosts or not all(_set(host) for host in hosts)):
        return "certops_endpoint.hosts must be a non-empty list of host names"
    return None


def _teo_carried(label: str, settings: Settings) -> list[str]:
    return list(settings.get("hosts") or [settings.get("host") or settings.get("server_name") or label])


def _teo_rollback(entry: Settings, bind: Settings) -> list[dict[str, t.Any]]:
    before = bind.get("before") or {}
    runs = []
    for host in bind.get("changed_hosts") or []:
        held = (before.get("hosts") or {}).get(host) or {}
        args = dict(zone_id=before.get("zone_id"), hosts=[host], mode=held.get("mode"), require_coverage=False)  # as it was
        if held.get("mode") == "sslcert":
            args["cert_ids"] = held.get("cert_ids")
        runs.append(args)
    return runs


def _teo_held(before: Settings) -> list[str]:
    return [cert_id for host in (before.get("hosts") or {}).values() for cert_id in host.get("cert_ids") or []]


def _teo_matches(mine: Settings, settings: Settings) -> bool:
    return mine["zone_id"] == settings.get("zone_id") and mine["hosts"][0] in (settings.get("hosts") or [settings.get("host")])


# --- CLB: a load balancer, one of its HTTPS listeners or one SNI rule ---------------------------------------------------

def _clb_problem(settings: Settings) -> str | None:
    if _set(settings.get("load_balancer_id")) and _set(settings.get("old_certificate_id") or settings.get("old_cert_id")):
        return "certops_endpoint of provider clb sets load_balancer_id and old_certificate_id: set one"
    return None


def _clb_warning(settings: Settings) -> str | None:
    if settings.get("load_balancer_id"):
        return None
    return ("a clb endpoint named by old_certificate_id goes stale once that certificate is replaced; name it by load_balancer_id "
            "(and listener_id, domain)")


def _clb_carried(label: str, settings: Settings) -> list[str]:
    return [settings["domain"]] if settings.get("domain") else []


def _clb_bind(store_id: str, pem: dict[str, str]) -> dict[str, t.Any]:
    return dict(require_in_use=True, **(dict(certificate_id=store_id) if store_id else pem))


def _clb_rollback(entry: Settings, bind: Settings) -> list[dict[str, t.Any]]:
    """The endpoint's own listeners and rules only (scope endpoint), not every load balancer of the certificate."""
    args = _given(entry, "load_balancer_id", "listener_id", "domain", "region", "regions", "ssl_mode", "wait_timeout", "wait_interval")
    if entry.get("load_balancer_id") is not None:
        args["scope"] = "endpoint"
    else:
        args.update(scope="certificate", old_certificate_id=bind.get("certificate_id"))
    args["certificate_id"] = (bind.get("before") or {}).get("certificate_id")
    return [args]


def _clb_held(before: Settings) -> list[str]:
    return list(before.get("certificate_ids") or [])


def _clb_matches(mine: Settings, settings: Settings) -> bool:
    return (bool(settings.get("load_balancer_id")) and settings["load_balancer_id"] == mine["load_balancer_id"]
            and all(settings.get(key) in (None, "", mine.get(key)) for key in ("listener_id", "domain")))


PROVIDERS: dict[str, Provider] = dict((provider.name, provider) for provider in (
    Provider(
        name="tse", cloud="tencentcloud", title="TSE gateway certificate entry",
        bind_module="tencentcloud_tse_gateway_certificate", info_module="tencentcloud_tse_gateway_certificate_info",
        store="ssl", regional=True, required=("gateway_id", "id"), batch_options=("gateway_id", "id", "region"),
        group_by=("region", "gateway_id"), names_from_read=True, start_order=3,
        bind_args=_tse_bind, rollback=_tse_rollback, held=_tse_held, lister="_tencentcloud.tse",
        actions=dict(
            read=("tse:DescribeCloudNativeAPIGatewayCertificateDetails", "tse:DescribeCloudNativeAPIGatewayCertificates",
                  "ssl:DescribeCertificates", "ssl:DescribeCertificateDetail"),
            write=("tse:ModifyCloudNativeAPIGatewayCertificate", "ssl:UploadCertificate"),
            discover=("tse:DescribeCloudNativeAPIGateways", "tse:DescribeCloudNativeAPIGatewayCertificates", "ssl:DescribeCertificateDetail"),
        ),
    ),
    Provider(
        name="gaap", cloud="tencentcloud", title="GAAP listener domain",
        bind_module="tencentcloud_gaap_domain_certificate", info_module="tencentcloud_gaap_domain_certificate_info",
        store="gaap", regional=False, required=("listener_id", "domain"),
        batch_options=("listener_id", "domain", "wait_timeout", "wait_interval"), group_by=("listener_id",), start_order=2,
        carried=lambda label, settings: [settings["domain"]],
        bind_args=lambda store_id, pem: dict(certificate_id=store_id) if store_id else dict(pem), rollback=_gaap_rollback,
        held=_gaap_held, lister="_tencentcloud.gaap",
        actions=dict(
            read=("gaap:DescribeRules", "gaap:DescribeHTTPSListeners", "gaap:DescribeCertificates", "gaap:DescribeCertificateDetail"),
            write=("gaap:ModifyCertificate", "gaap:CreateCertificate"),
            discover=("gaap:DescribeProxies", "gaap:DescribeHTTPSListeners", "gaap:DescribeRules", "gaap:DescribeCertificateDetail"),
        ),
    ),
    Provider(
        name="teo", cloud="tencentcloud", title="EdgeOne hosts",
        bind_module="tencentcloud_teo_hosts_certificate", info_module="tencentcloud_teo_hosts_certificate_info",
        store="ssl", regional=False, required=("zone_id",), batch_options=("zone_id", "hosts"), group_by=("zone_id",),
        start_order=4, other_keys=("host",), extra_problem=_teo_problem, carried=_teo_carried,
        bind_args=lambda store_id, pem: dict(mode="sslcert", **(dict(server_cert_info=[dict(cert_id=store_id)]) if store_id else pem)),
        rollback=_teo_rollback, held=_teo_held, identity_matches=_teo_matches, lister="_tencentcloud.teo",
        actions=dict(
            read=("teo:DescribeAccelerationDomains", "ssl:DescribeCertificates", "ssl:DescribeCertificateDetail"),
            write=("teo:ModifyHostsCertificate", "ssl:UploadCertificate"),
            discover=("teo:DescribeZones", "teo:DescribeAccelerationDomains", "ssl:DescribeCertificateDetail"),
        ),
    ),
    Provider(
        name="clb", cloud="tencentcloud", title="CLB load balancer, listener or SNI rule",
        bind_module="tencentcloud_clb_certificate", info_module="tencentcloud_clb_certificate_info",
        store="ssl", regional=True, required=(), one_of=(("load_balancer_id", "old_certificate_id", "old_cert_id"),),
        batch_options=("load_balancer_id", "listener_id", "domain", "old_certificate_id", "region", "regions", "ssl_mode",
                       "ca_certificate_id", "wait_timeout", "wait_interval"), aliases=("old_cert_id",),
        group_by=("old_certificate_id",), names_from_read=True, serves_any_name=True, start_order=1, extra_problem=_clb_problem,
        warning=_clb_warning,
        carried=_clb_carried,
        bind_args=_clb_bind, rollback=_clb_rollback, held=_clb_held, identity_matches=_clb_matches, lister="_tencentcloud.clb",
        actions=dict(
            read=("clb:DescribeListeners", "clb:DescribeLoadBalancerListByCertId", "ssl:DescribeCertificates",
                  "ssl:DescribeCertificateDetail"),
            write=("clb:ReplaceCertForLoadBalancers", "clb:DescribeTaskStatus", "clb:ModifyListener", "clb:ModifyDomainAttributes",
                   "ssl:UploadCertificate"),
            discover=("clb:DescribeLoadBalancers", "clb:DescribeListeners", "ssl:DescribeCertificateDetail"),
        ),
    ),
    Provider(
        name="esa", cloud="alicloud", title="ESA site certificate",
        bind_module="alicloud_esa_certificate", info_module="alicloud_esa_certificate_info",
        store=None, regional=True, required=("site_id",), one_of=(("id", "name"),),
        batch_options=("site_id", "id", "name", "prune_expired", "region"), group_by=(), start_order=0, lister="_alicloud.esa",
        no_rollback="ESA replaces the certificate in place; there is no previous key to restore",
        actions=dict(
            read=("esa:GetCertificate", "esa:ListCertificates"),
            write=("esa:SetCertificate", "esa:DeleteCertificate"),
            discover=("esa:ListSites", "esa:ListCertificates"),
        ),
    ),
))
NAMES = tuple(PROVIDERS)
CLOUDS = dict((cloud, tuple(name for name, p in PROVIDERS.items() if p.cloud == cloud)) for cloud in ("tencentcloud", "alicloud"))


def provider(name: str) -> Provider:
    return PROVIDERS[name]


def endpoint_problem(settings: t.Any) -> str | None:
    """What is wrong with one ``certops_endpoint`` dict, or None."""
    if settings is None or settings == "" or settings == {}:
        return "certops_endpoint is not set"
    if not isinstance(settings, dict):
        return "certops_endpoint is not a dict"
    name = settings.get("provider")
    known = ", ".join(sorted(PROVIDERS))
    if not _set(name):
        return "certops_endpoint.provider is not set (one of %s)" % known
    if name not in PROVIDERS:
        return "unknown provider %r (one of %s)" % (name, known)
    return PROVIDERS[name].problem(settings)


def describe_endpoint(label: str, settings: Settings, verify: bool = True, verify_host: str | None = None,
                      verify_port: int | None = None) -> dict[str, t.Any]:
    """What the rotate and audit roles need of one valid endpoint: its module entry, the names the certificate must
    cover and its TLS target.

    The server name is ``server_name`` if set, else the first name the endpoint carries (GAAP domain, TEO host, CLB
    domain); endpoints whose module read returns the names they serve (TSE, CLB) take theirs from it
    (``name_from_read``), and the inventory host name is the last fallback, only when a TLS check needs a name.
    """
    provider = PROVIDERS[settings["provider"]]
    carried = provider.carried(label, settings)
    name = settings.get("server_name") or (carried[0] if carried else None)
    from_read = name is None and provider.names_from_read
    if name is None and not from_read and verify:
        name = label
    names = sorted(set(carried + ([name] if name else [])))
    target = dict(name=label, host=settings.get("verify_host") or verify_host or name,
                  port=int(settings.get("verify_port") or verify_port or 443), server_name=name)
    return dict(provider=provider.name, server_name=name, name_from_read=from_read, names=names, entry=provider.entry(label, settings),
                target=target, label_is_name=bool(name) and name == label and not settings.get("server_name") and label not in carried)


def policy_actions(cloud: str, job: str) -> list[str]:
    """The API actions (``service:Action``) a job needs on a cloud, sorted: ``rotate`` - the rotate role on every
    provider (uploads, binds, awaited tasks, rollback, rotate_cleanup), the inventory plugin, the info modules;
    ``audit`` - their reads only (check mode, discovery, the info modules)."""
    flows = JOBS[job]
    found = {action for p in PROVIDERS.values() if p.cloud == cloud for flow in flows for action in p.actions.get(flow, ())}
    found |= {action for store, actions in STORE_ACTIONS.items() if STORE_CLOUD[store] == cloud for flow in flows
              for action in actions.get(flow, ())}
    if cloud == "tencentcloud":
        found |= {action for flow in flows for action in CLEANUP_ACTIONS.get(flow, ())}
    return sorted(found)


def policy_document(cloud: str, job: str) -> dict[str, t.Any]:
    """The policy of ``policy_actions`` in the cloud's own format: Tencent Cloud CAM or Alibaba Cloud RAM."""
    actions = policy_actions(cloud, job)
    if cloud == "tencentcloud":
        return {"version": "2.0", "statement": [{"effect": "allow", "action": actions, "resource": ["*"]}]}
    return {"Version": "1", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
