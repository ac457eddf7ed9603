# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Endpoint discovery: every TLS endpoint of the accounts, found with the products' own listing APIs (read only).

Used by the ``certops.cloud.endpoints`` inventory plugin and the certificate usage module. Each endpoint comes out
as the ``certops_endpoint`` the rotate role takes, with ``certops_certificate`` (what is bound now; never key
material), the names it serves and the store certificates it references. The calls go through the same client
layer as the modules (credentials, retries, errors).
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.certops.cloud.plugins.module_utils._certificate import hostname_matches, summary_names
from ansible_collections.certops.cloud.plugins.module_utils._common import ApiError, Shared, paged

PROVIDERS = ("tse", "gaap", "teo", "clb", "esa")
TENCENT_PROVIDERS = ("tse", "gaap", "teo", "clb")
# Products whose resources are regional (listed in every region); GAAP and EdgeOne are global (listed once).
REGIONAL = ("tse", "clb", "esa")
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z0-9]+){1,3}$")
_NAME_PATTERN = re.compile(r"^(\*\.)?([a-z0-9*?\[\]!-]+\.)*[a-z0-9*?\[\]!-]+\.?$")


class DiscoveryError(Exception):
    """Discovery of a provider failed; the message names the provider, the region and why."""


def check_region(region):
    if not isinstance(region, str) or not _REGION.match(region):
        raise DiscoveryError("%r is not a region name (like ap-guangzhou or cn-hangzhou)" % (region,))
    return region


def check_name_pattern(pattern):
    """A glob over host names (``*.example.com``, ``www.example.*``); anything else is a mistake worth failing on."""
    if not isinstance(pattern, str) or not _NAME_PATTERN.match(pattern.lower()) or "//" in pattern or ":" in pattern:
        raise DiscoveryError("names: %r is not a host name pattern (like *.example.com or www.example.com)" % (pattern,))
    return pattern.lower()


def parse_time(value):
    """An aware datetime of ``YYYY-MM-DDTHH:MM:SSZ`` or ``YYYY-MM-DD HH:MM:SS`` (UTC), else None."""
    for layout in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(value, layout).replace(tzinfo=datetime.timezone.utc)
        except (TypeError, ValueError):
            continue
    return None


def days_left(certificate, now=None):
    """Whole days until the certificate expires (negative when expired), or None when unknown."""
    end = parse_time((certificate or {}).get("not_after"))
    if end is None:
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return int((end - now).total_seconds() // 86400)


def certificate_facts(summary, store, store_id):
    """``certops_certificate`` of a certificate summary: store, id, leaf fingerprint, expiry, names."""
    summary = summary or {}
    return dict(store=store, store_id=store_id, fingerprint_sha256=summary.get("fingerprint_sha256"),
                not_after=summary.get("not_after"), subject_alt_names=list(summary.get("subject_alt_names") or []),
                common_name=summary.get("common_name"))


def first_host_name(names):
    """The first name of a certificate that is a plain host name (not a wildcard), else None."""
    return next((name for name in names or [] if name and "*" not in name), None)


def endpoint(provider, name, settings, certificate, names, references):
    return dict(name=name, provider=provider, endpoint=dict(settings, provider=provider), certificate=certificate,
                names=sorted(set(n.lower() for n in names if n)), references=references)


def caller(cloud, service):
    """``fetch(action)``: a function calling ``action`` of ``service`` with keyword parameters (what ``paged`` and the
    listing helpers take)."""
    def fetch(action):
        return lambda **params: cloud.call(service, action, params)
    return fetch


class Discovery:
    """Lists the endpoints of the selected providers and regions.

    ``tencent`` and ``alicloud`` make the clients of one region (``tencent(region)`` -> a TencentCloud,
    ``alicloud(region)`` -> an AliCloud); ``concurrency`` listings run at the same time.
    """

    def __init__(self, tencent=None, alicloud=None, concurrency=4, shared=None, details=True):
        self.tencent = tencent
        self.alicloud = alicloud
        self.concurrency = concurrency
        self.shared = Shared() if shared is None else shared
        self.details = details  # False: no store reads (references only, no certops_certificate facts)

    # --- the listings ------------------------------------------------------------------------------

    def run(self, providers, tencent_regions=(), alicloud_regions=()):
        """Every endpoint of ``providers``; fails (DiscoveryError) naming the provider and region of an API failure."""
        jobs = []
        for provider in providers:
            regions = alicloud_regions if provider == "esa" else tencent_regions
            if not regions:
                raise DiscoveryError("%s: no region to list (set %s.regions)" % (provider, "alicloud" if provider == "esa" else "tencentcloud"))
            for region in (regions if provider in REGIONAL else regions[:1]):
                jobs.append((provider, region))
        with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(jobs) or 1))) as pool:
            found = list(pool.map(lambda job: self.listing(*job), jobs))
        endpoints, seen = [], set()  # endpoints, and the holders of bindings that are not endpoints (see list_gaap)
        for batch in found:
            for item in batch:
                if item["name"] not in seen:
                    seen.add(item["name"])
                    endpoints.append(item)
        return endpoints

    def listing(self, provider, region):
        try:
            return getattr(self, "list_" + provider)(region)
        except ApiError as exc:
            where = "" if provider not in REGIONAL else " in %s" % region
            raise DiscoveryError("discovery of %s%s failed: %s" % (provider, where, exc))

    def ssl_summary(self, cloud, certificate_id):
        """Summary of an SSL store certificate, read once per run (None when it is unknown)."""
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_ssl import SslStore  # pylint: disable=import-outside-toplevel
        detail = SslStore(cloud).detail(certificate_id) if certificate_id and self.details else None
        return detail and detail["certificate"]

    def gaap_summary(self, cloud, certificate_id):
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_gaap import GaapStore  # pylint: disable=import-outside-toplevel
        detail = GaapStore(cloud).detail(certificate_id) if certificate_id and self.details else None
        return detail and detail["certificate"]

    def list_tse(self, region):
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_tse import gateway_entries  # pylint: disable=import-outside-toplevel
        cloud = self.tencent(region)
        fetch = caller(cloud, "tse")
        found = []
        for gateway in paged(fetch("DescribeCloudNativeAPIGateways"), "GatewayList", result="Result"):
            gateway_id = gateway.get("GatewayId")
            for entry in gateway_entries(fetch("DescribeCloudNativeAPIGatewayCertificates"), gateway_id):
                if entry["cert_source"] == "ssl":
                    summary, store, store_id = self.ssl_summary(cloud, entry["cert_id"]), "ssl", entry["cert_id"]
                else:
                    summary, store, store_id = entry["certificate"], "native", None
                settings = dict(gateway_id=gateway_id, id=entry["id"], region=region)
                if entry["bind_domains"]:
                    settings["server_name"] = entry["bind_domains"][0]
                found.append(endpoint("tse", "tse-%s-%s" % (gateway_id, entry["id"]), settings,
                                      certificate_facts(summary, store, store_id), entry["bind_domains"] + summary_names(summary),
                                      dict(ssl=[store_id] if store_id else [])))
        return found

    def list_gaap(self, region):
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_gaap import domain_binding  # pylint: disable=import-outside-toplevel
        cloud = self.tencent(region)
        fetch = caller(cloud, "gaap")
        found = []
        for proxy in paged(fetch("DescribeProxies"), "ProxySet"):
            for listener in paged(fetch("DescribeHTTPSListeners"), "ListenerSet", limit=50, ProxyId=proxy.get("ProxyId")):
                listener_id, own = listener.get("ListenerId"), listener.get("CertificateId") or None
                # The listener's own certificates (what its domains' "default" means) are bound to the listener itself.
                found.append(dict(name="gaap-%s (the listener's own certificate)" % listener_id, provider="gaap", holder=True,
                                  references=dict(gaap=[c for c in (own, listener.get("ClientCertificateId")) if c and c != "default"])))
                rules = cloud.call("gaap", "DescribeRules", dict(ListenerId=listener_id)).get("DomainRuleSet") or []
                for rule in rules:
                    binding = domain_binding(listener_id, rule)
                    bound = own if binding["certificate_id"] in (None, "default") else binding["certificate_id"]
                    summary = self.gaap_summary(cloud, bound)
                    references = [c for c in [binding["certificate_id"], binding["client_certificate_id"]]
                                  + binding["poly_client_certificate_ids"] if c and c != "default"]
                    found.append(endpoint("gaap", "gaap-%s-%s" % (listener_id, binding["domain"]),
                                          dict(listener_id=listener_id, domain=binding["domain"], server_name=binding["domain"]),
                                          certificate_facts(summary, "gaap", bound), [binding["domain"]] + summary_names(summary),
                                          dict(gaap=sorted(set(references)))))
        return found

    def list_teo(self, region):
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_teo import zone_hosts  # pylint: disable=import-outside-toplevel
        cloud = self.tencent(region)
        fetch = caller(cloud, "teo")
        found = []
        for zone in paged(fetch("DescribeZones"), "Zones"):
            zone_id = zone.get("ZoneId")
            for host, binding in sorted(zone_hosts(fetch("DescribeAccelerationDomains"), zone_id).items()):
                if binding["mode"] != "sslcert":
                    continue  # no HTTPS (disable) or a certificate EdgeOne manages itself (eofreecert)
                first = binding["cert_ids"][0] if binding["cert_ids"] else None
                summary = self.ssl_summary(cloud, first)
                found.append(endpoint("teo", "teo-%s-%s" % (zone_id, host), dict(zone_id=zone_id, hosts=[host], server_name=host),
                                      certificate_facts(summary, "ssl", first), [host] + summary_names(summary),
                                      dict(ssl=list(binding["cert_ids"]))))
        return found

    def list_clb(self, region):
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_clb import listener_bindings  # pylint: disable=import-outside-toplevel
        cloud = self.tencent(region)
        found = []
        load_balancers = paged(lambda **params: cloud.call("clb", "DescribeLoadBalancers", params, region=region), "LoadBalancerSet")
        for load_balancer in load_balancers:
            load_balancer_id = load_balancer.get("LoadBalancerId")
            listeners = cloud.call("clb", "DescribeListeners", dict(LoadBalancerId=load_balancer_id), region=region).get("Listeners") or []
            for listener in listeners:
                for binding in listener_bindings(listener):
                    if not binding["cert_id"]:
                        continue
                    summary = self.ssl_summary(cloud, binding["cert_id"])
                    settings = dict(load_balancer_id=load_balancer_id, listener_id=binding["listener_id"], region=region)
                    name = "clb-%s-%s" % (load_balancer_id, binding["listener_id"])
                    if binding["domain"]:
                        settings["domain"] = settings["server_name"] = binding["domain"]
                        name += "-%s" % binding["domain"]
                    elif first_host_name(summary_names(summary)):
                        settings["server_name"] = first_host_name(summary_names(summary))
                    found.append(endpoint("clb", name, settings, certificate_facts(summary, "ssl", binding["cert_id"]),
                                          [binding["domain"]] + summary_names(summary),
                                          dict(ssl=[c for c in (binding["cert_id"], binding["cert_ca_id"]) if c])))
        return found

    def list_esa(self, region):
        from ansible_collections.certops.cloud.plugins.module_utils._alicloud_esa import (  # pylint: disable=import-outside-toplevel
            CUSTOM_TYPES,
            entry_binding,
            pages,
        )
        cloud = self.alicloud(region)
        found = []
        for site in pages(lambda **params: cloud.call("ListSites", params), "Sites"):
            site_id, site_name = site.get("SiteId"), site.get("SiteName")
            for entry in pages(lambda **params: cloud.call("ListCertificates", params), "Result", SiteId=site_id):
                if entry.get("Type") not in CUSTOM_TYPES:
                    continue  # free certificates ESA manages itself
                binding = entry_binding(site_id, entry)
                names = binding["subject_alt_names"]
                summary = dict(fingerprint_sha256=binding["fingerprint_sha256"], not_after=binding["not_after"],
                               subject_alt_names=names, common_name=binding.get("common_name"))
                settings = dict(site_id=site_id, id=binding["id"], region=region)
                server = site_name if site_name and any(hostname_matches(n, site_name) for n in names) else first_host_name(names)
                if server:
                    settings["server_name"] = server
                found.append(endpoint("esa", "esa-%s-%s" % (site_id, binding["id"]), settings,
                                      certificate_facts(summary, "esa", binding["id"]), [site_name] + names, {}))
        return found


def is_endpoint(item, settings):
    """Whether the discovered ``item`` is (part of) the endpoint ``settings`` (a ``certops_endpoint``) names."""
    settings = settings or {}
    if item.get("holder"):
        return False
    provider, mine = item["provider"], item["endpoint"]
    if settings.get("provider") != provider:
        return False
    if provider == "teo":
        return mine["zone_id"] == settings.get("zone_id") and mine["hosts"][0] in (settings.get("hosts") or [settings.get("host")])
    if provider == "clb":
        return (bool(settings.get("load_balancer_id")) and settings["load_balancer_id"] == mine["load_balancer_id"]
                and all(settings.get(key) in (None, "", mine.get(key)) for key in ("listener_id", "domain")))
    keys = {"tse": ("gateway_id", "id"), "gaap": ("listener_id", "domain"), "esa": ("site_id", "id")}[provider]
    return all(settings.get(key) is not None and str(settings.get(key)) == str(mine.get(key)) for key in keys)


def select(endpoints, names=(), expires_within_days=None, now=None):
    """The endpoints whose names (or served certificate's names) match one of ``names`` (globs; all when empty) and,
    with ``expires_within_days``, whose certificate expires sooner (or is not known)."""
    patterns = [check_name_pattern(p) for p in names or []]
    kept = []
    for item in endpoints:
        if item.get("holder"):
            continue  # a binding that is not an endpoint (a GAAP listener's own certificate)
        if patterns and not any(fnmatch.fnmatchcase(name, pattern) for name in item["names"] for pattern in patterns):
            continue
        left = days_left(item["certificate"], now)
        if expires_within_days is not None and left is not None and left >= expires_within_days:
            continue
        kept.append(item)
    return kept
