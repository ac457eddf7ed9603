# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""TSE cloud-native gateway certificate entries: read them as bindings."""

from __future__ import annotations

from ansible_collections.certops.cloud.plugins.module_utils._api import pages, paged
from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    CertificateBundle,
    CertificateError,
    parse_pem_or_none,
    utcnow,
)
from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_names
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import TencentCloudModule, caller
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import SslStore


def entry_binding(gateway_id, cert):
    """Binding dict of one KongCertificatesPreview; the Key field is never copied."""
    bundle = parse_pem_or_none(cert.get("Crt"))
    source = cert.get("CertSource") or "native"
    return dict(
        gateway_id=gateway_id,
        id=cert.get("Id"),
        name=cert.get("Name"),
        bind_domains=cert.get("BindDomains") or [],
        cert_source=source,
        cert_id=(cert.get("CertId") or None) if source == "ssl" else None,
        certificate=bundle.summary() if bundle else None,
    )


def gateway_entries(fetch, gateway_id):
    """The certificate entries of a gateway as bindings: ``fetch`` calls DescribeCloudNativeAPIGatewayCertificates."""
    entries = []
    for cert in paged(fetch, "CertificatesList", total="Total", result="Result", GatewayId=gateway_id):
        cert.pop("Key", None)
        entries.append(entry_binding(gateway_id, cert))
    return entries


_PAGE = 100  # the listing's largest Limit


def listed_entries(fetch, gateway_id, wanted, page_size=_PAGE):
    """The ``wanted`` entry ids of a gateway as bindings, from its listing (``fetch`` calls
    DescribeCloudNativeAPIGatewayCertificates): one call for up to ``page_size`` entries instead of a detail read
    each. Pages are read while the pages left cost fewer calls than reading the missing entries one by one, so the
    listing never costs more than one call over the detail reads. An entry the listing returns without its ``Crt``
    is left out (it is then read on its own); the ``Key`` field is dropped at once."""
    wanted, found = set(wanted), {}
    for page, left in pages(fetch, "CertificatesList", total="Total", limit=page_size, result="Result", GatewayId=gateway_id):
        for cert in page:
            cert.pop("Key", None)
            if cert.get("Id") in wanted and cert.get("Crt"):
                found[cert["Id"]] = entry_binding(gateway_id, cert)
        missing = len(wanted - set(found))
        if not missing or -(-left // page_size) >= missing:
            break
    return found


class TseModule(TencentCloudModule):
    """Base of the TSE gateway certificate modules."""

    listing = frozenset()  # in a batch: the ids the batch names on this entry's gateway, when two or more (read_group)

    @property
    def store(self):
        return SslStore(self.cloud)

    def endpoint_label(self):
        label = "tencentcloud tse gateway %s" % self.params.get("gateway_id")
        if self.params.get("id"):
            label += " certificate %s" % self.params["id"]
        return label

    def read_entry(self, gateway_id, entry_id):
        """One entry's binding; the entries of a gateway that a batch names two or more of share one listing."""
        if entry_id in self.listing:
            listed = self.listed(gateway_id)
            if entry_id in listed:
                return dict(listed[entry_id])
        response = self.call("tse", "DescribeCloudNativeAPIGatewayCertificateDetails", GatewayId=gateway_id, Id=entry_id)
        cert = ((response.get("Result") or {}).get("Cert")) or {}
        cert.pop("Key", None)
        return entry_binding(gateway_id, cert)

    def list_entries(self, gateway_id):
        return gateway_entries(lambda **params: self.call("tse", "DescribeCloudNativeAPIGatewayCertificates", **params), gateway_id)

    def listed(self, gateway_id):
        """The listing of a gateway's entries named in ``listing``, read once for the batch."""
        return self.shared.memo(("tse listing", self.params.get("region"), gateway_id), lambda: listed_entries(
            lambda **params: self.call("tse", "DescribeCloudNativeAPIGatewayCertificates", **params), gateway_id, self.listing))

    def stored_summary(self, cert_id):
        """Summary of an SSL store certificate, or None when it is unknown (read once per run)."""
        detail = self.store.detail(cert_id)
        return detail and detail["certificate"]

    def stored_certificate(self, cert_id):
        """Summary of an SSL store certificate that is about to be bound; fails on unknown or expired ids."""
        detail = self.store.detail(cert_id)
        if detail is None:
            self.fail("cert_id %s is not in the Tencent Cloud SSL certificate store" % cert_id)
        bundle = detail["bundle"]
        if isinstance(bundle, CertificateBundle):
            try:
                bundle.check_validity(now=utcnow())
            except CertificateError as exc:
                self.fail("SSL store certificate %s %s" % (cert_id, exc))
        return detail["certificate"]


def list_endpoints(discovery, region):
    """Discovery: every certificate entry of every gateway of the region."""
    cloud = discovery.tencent(region)
    fetch = caller(cloud, "tse")
    found = []
    for gateway in paged(fetch("DescribeCloudNativeAPIGateways"), "GatewayList", result="Result"):
        gateway_id = gateway.get("GatewayId")
        for entry in gateway_entries(fetch("DescribeCloudNativeAPIGatewayCertificates"), gateway_id):
            if entry["cert_source"] == "ssl":
                summary, store, store_id = discovery.ssl_summary(cloud, entry["cert_id"]), "ssl", entry["cert_id"]
            else:
                summary, store, store_id = entry["certificate"], "native", None
            settings = dict(gateway_id=gateway_id, id=entry["id"], region=region)
            if entry["bind_domains"]:
                settings["server_name"] = entry["bind_domains"][0]
            found.append(discovery.endpoint("tse", "tse-%s-%s" % (gateway_id, entry["id"]), settings,
                                            discovery.facts(summary, store, store_id), entry["bind_domains"] + summary_names(summary),
                                            dict(ssl=[store_id] if store_id else [])))
    return found
