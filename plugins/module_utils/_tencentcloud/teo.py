# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""EdgeOne (TEO, API 2022-09-01) acceleration domains: read host certificates in batches of 20 names."""

from __future__ import annotations

import time

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, paged
from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_names
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloudModule, caller
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore

# DescribeAccelerationDomains accepts at most 20 values in one filter.
FILTER_VALUES_MAX = 20
_LIST_LIMIT = 200
DEPLOYED = "deployed"
FAILED_STATES = ("failed", "issued")


def host_binding(domain):
    """Binding dict of one AccelerationDomain."""
    certificate = domain.get("Certificate") or {}
    entries = certificate.get("List") or []
    return dict(
        host=domain.get("DomainName"),
        mode=certificate.get("Mode") or "disable",
        cert_ids=sorted(e.get("CertId") for e in entries if e.get("CertId")),
        certificates=[dict(cert_id=e.get("CertId"), alias=e.get("Alias"), type=e.get("Type"),
                           expire_time=e.get("ExpireTime"), status=e.get("Status")) for e in entries],
    )


def chunks(items, size):
    return [items[index:index + size] for index in range(0, len(items), size)]


def zone_hosts(fetch, zone_id):
    """{host: binding} of every acceleration domain of a zone: ``fetch`` calls DescribeAccelerationDomains."""
    return dict((domain["DomainName"], host_binding(domain))
                for domain in paged(fetch, "AccelerationDomains", limit=_LIST_LIMIT, ZoneId=zone_id))


class TeoModule(TencentCloudModule):
    """Base of the EdgeOne modules."""

    def endpoint_label(self):
        label = "tencentcloud teo zone %s" % self.params.get("zone_id")
        hosts = self.params.get("hosts") or []
        if len(hosts) == 1:
            label += " host %s" % hosts[0]
        elif hosts:
            label += " hosts %s" % ",".join(hosts[:3] + (["..."] if len(hosts) > 3 else []))
        return label

    def describe(self, **params):
        try:
            return self.call("teo", "DescribeAccelerationDomains", **params)
        except ApiError as exc:
            if "ZoneNotFound" in exc.code or exc.code.startswith("ResourceNotFound"):
                self.fail("zone %s was not found: %s" % (self.params["zone_id"], exc), error=exc.as_dict())
            raise

    def read_hosts(self, zone_id, hosts):
        """{host: binding} for ``hosts``, read with one call per 20 names; fails on hosts not in the zone."""
        found = {}
        for batch in chunks(sorted(set(hosts)), FILTER_VALUES_MAX):
            response = self.describe(ZoneId=zone_id, Limit=_LIST_LIMIT, Offset=0,
                                     Filters=[dict(Name="domain-name", Values=batch, Fuzzy=False)])
            for domain in response.get("AccelerationDomains") or []:
                if domain.get("DomainName") in batch:
                    found[domain["DomainName"]] = host_binding(domain)
        missing = sorted(set(hosts) - set(found))
        if missing:
            self.fail("hosts not found in zone %s: %s" % (zone_id, ", ".join(missing)))
        return found

    def list_hosts(self, zone_id):
        return zone_hosts(self.describe, zone_id)

    def store_summaries(self, cert_ids, strict=True):
        """{cert_id: summary} from the SSL store; fails on unknown ids if strict (before any write)."""
        store, summaries = SslStore(self.cloud), {}
        for cert_id in cert_ids:
            detail = store.detail(cert_id)
            if detail is None and strict:
                self.fail("cert_id %s is not in the Tencent Cloud SSL certificate store" % cert_id)
            summaries[cert_id] = detail and detail["certificate"]
        return summaries

    def wait_deployed(self, zone_id, hosts, timeout, interval):
        """Poll until every host's certificates are deployed; returns {host: binding}."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.read_hosts(zone_id, hosts)
            statuses = {h: [c["status"] for c in b["certificates"]] for h, b in current.items()}
            failed = sorted(h for h, s in statuses.items() if any(x in FAILED_STATES for x in s))
            if failed:
                self.fail("certificate deployment failed on %s" % ", ".join(failed))
            pending = sorted(h for h, s in statuses.items() if any(x not in (DEPLOYED, None) for x in s))
            if not pending:
                return current
            if time.monotonic() >= deadline:
                self.fail("certificates not deployed after %s seconds on %s" % (timeout, ", ".join(pending)))
            time.sleep(interval)


def list_endpoints(discovery, region):
    """Discovery: every acceleration domain with a certificate of the SSL store, of every zone (EdgeOne is global:
    listed once)."""
    cloud = discovery.tencent(region)
    fetch = caller(cloud, "teo")
    found = []
    for zone in paged(fetch("DescribeZones"), "Zones"):
        zone_id = zone.get("ZoneId")
        for host, binding in sorted(zone_hosts(fetch("DescribeAccelerationDomains"), zone_id).items()):
            if binding["mode"] != "sslcert":
                continue  # no HTTPS (disable) or a certificate EdgeOne manages itself (eofreecert)
            first = binding["cert_ids"][0] if binding["cert_ids"] else None
            summary = discovery.ssl_summary(cloud, first)
            found.append(discovery.endpoint("teo", "teo-%s-%s" % (zone_id, host), dict(zone_id=zone_id, hosts=[host], server_name=host),
                                            discovery.facts(summary, "ssl", first), [host] + summary_names(summary),
                                            dict(ssl=list(binding["cert_ids"]))))
    return found
