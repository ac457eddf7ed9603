# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""TSE cloud-native gateway certificate entries: read them as bindings."""

from __future__ import annotations

from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    CertificateBundle,
    CertificateError,
    parse_pem_or_none,
    utcnow,
)
from ansible_collections.certops.cloud.plugins.module_utils._common import paged
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_ssl import SslStore


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


class TseModule(TencentCloudModule):
    """Base of the TSE gateway certificate modules."""

    @property
    def store(self):
        return SslStore(self.cloud)

    def endpoint_label(self):
        label = "tencentcloud tse gateway %s" % self.params.get("gateway_id")
        if self.params.get("id"):
            label += " certificate %s" % self.params["id"]
        return label

    def read_entry(self, gateway_id, entry_id):
        response = self.call("tse", "DescribeCloudNativeAPIGatewayCertificateDetails", GatewayId=gateway_id, Id=entry_id)
        cert = ((response.get("Result") or {}).get("Cert")) or {}
        cert.pop("Key", None)
        return entry_binding(gateway_id, cert)

    def list_entries(self, gateway_id):
        return gateway_entries(lambda **params: self.call("tse", "DescribeCloudNativeAPIGatewayCertificates", **params), gateway_id)

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
