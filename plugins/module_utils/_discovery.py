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

import fnmatch
import importlib
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, Shared
from ansible_collections.certops.cloud.plugins.module_utils._providers import CLOUDS, PROVIDERS
from ansible_collections.certops.cloud.plugins.module_utils._summary import days_left

TENCENT_PROVIDERS = CLOUDS["tencentcloud"]
MODULE_UTILS = "ansible_collections.certops.cloud.plugins.module_utils."
_REGION = re.compile(r"^[a-z]{2,4}(-[a-z0-9]+){1,3}$")
_NAME_PATTERN = re.compile(r"^(\*\.)?([a-z0-9*?\[\]!-]+\.)*[a-z0-9*?\[\]!-]+\.?$")


def lister(provider):
    """The discovery listing of ``provider``: ``list_endpoints(discovery, region)`` of the module util its registry
    entry names. (A module that runs discovery imports those module utils, so that its payload carries them.)"""
    return importlib.import_module(MODULE_UTILS + provider.lister).list_endpoints


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
        for name in providers:
            provider = PROVIDERS[name]
            regions = alicloud_regions if provider.cloud == "alicloud" else tencent_regions
            if not regions:
                raise DiscoveryError("%s: no region to list (set %s.regions)" % (name, provider.cloud))
            for region in (regions if provider.regional else regions[:1]):
                jobs.append((provider, region))
        with ThreadPoolExecutor(max_workers=max(1, min(self.concurrency, len(jobs) or 1))) as pool:
            found = list(pool.map(lambda job: self.listing(*job), jobs))
        endpoints, seen = [], set()  # endpoints, and the holders of bindings that are not endpoints (GAAP listeners)
        for batch in found:
            for item in batch:
                if item["name"] not in seen:
                    seen.add(item["name"])
                    endpoints.append(item)
        return endpoints

    def listing(self, provider, region):
        try:
            return lister(provider)(self, region)
        except ApiError as exc:
            where = " in %s" % region if provider.regional else ""
            raise DiscoveryError("discovery of %s%s failed: %s" % (provider.name, where, exc))

    # --- what the providers' listers use -------------------------------------------------------------

    endpoint = staticmethod(endpoint)
    facts = staticmethod(certificate_facts)
    first_host_name = staticmethod(first_host_name)

    def ssl_summary(self, cloud, certificate_id):
        """Summary of an SSL store certificate, read once per run (None when it is unknown)."""
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore  # pylint: disable=import-outside-toplevel
        detail = SslStore(cloud).detail(certificate_id) if certificate_id and self.details else None
        return detail and detail["certificate"]

    def gaap_summary(self, cloud, certificate_id):
        from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.gaap import GaapStore  # pylint: disable=import-outside-toplevel
        detail = GaapStore(cloud).detail(certificate_id) if certificate_id and self.details else None
        return detail and detail["certificate"]


def is_endpoint(item, settings):
    """Whether the discovered ``item`` is (part of) the endpoint ``settings`` (a ``certops_endpoint``) names."""
    settings = settings or {}
    if item.get("holder"):
        return False
    return PROVIDERS[item["provider"]].matches(item["endpoint"], settings)


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
