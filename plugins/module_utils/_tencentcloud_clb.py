# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""CLB (Cloud Load Balancer): which load balancers use a certificate, and their listeners' TLS settings."""

from __future__ import annotations

from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_ssl import SslStore

# DescribeLoadBalancerListByCertId takes at most 20 ids.
CERT_IDS_MAX = 20
# ReplaceCertForLoadBalancers can only be called in Guangzhou; it replaces the certificate in every region.
REPLACE_REGION = "ap-guangzhou"


def tls_binding(where, certificate):
    certificate = certificate or {}
    return dict(where, ssl_mode=certificate.get("SSLMode"), cert_id=certificate.get("CertId") or None,
                cert_ca_id=certificate.get("CertCaId") or None)


def listener_bindings(listener):
    """TLS bindings of an HTTPS listener: the listener itself, or each rule of an SNI listener."""
    where = dict(listener_id=listener.get("ListenerId"), protocol=listener.get("Protocol"), port=listener.get("Port"))
    bindings = []
    if listener.get("Certificate"):
        bindings.append(tls_binding(dict(where, domain=None), listener["Certificate"]))
    for rule in listener.get("Rules") or []:
        if rule.get("Certificate"):
            bindings.append(tls_binding(dict(where, domain=rule.get("Domain"), location_id=rule.get("LocationId")), rule["Certificate"]))
    return bindings


class ClbModule(TencentCloudModule):
    """Base of the CLB modules."""

    @property
    def store(self):
        return SslStore(self.cloud)

    def regions(self):
        """Regions whose load balancers are read (C(DescribeLoadBalancerListByCertId) is regional)."""
        return self.params.get("regions") or [self.params.get("region") or REPLACE_REGION]

    def endpoint_label(self):
        label = "tencentcloud clb"
        if self.params.get("old_certificate_id"):
            label += " certificate %s" % self.params["old_certificate_id"]
        return label

    def load_balancers_by_cert(self, cert_ids):
        """{cert_id: [{load_balancer_id, load_balancer_name, region}]} in every region, 20 ids a call."""
        found = dict((cert_id, []) for cert_id in cert_ids)
        for region in self.regions():
            for index in range(0, len(cert_ids), CERT_IDS_MAX):
                response = self.call("clb", "DescribeLoadBalancerListByCertId", region=region,
                                     CertIds=cert_ids[index:index + CERT_IDS_MAX])
                for entry in response.get("CertSet") or []:
                    found.setdefault(entry.get("CertId"), []).extend(
                        dict(load_balancer_id=lb.get("LoadBalancerId"), load_balancer_name=lb.get("LoadBalancerName"), region=region)
                        for lb in entry.get("LoadBalancers") or [])
        return found

    def tls_bindings(self, load_balancer, cert_id):
        """Listener (and SNI rule) TLS settings of a load balancer that use ``cert_id``."""
        response = self.call("clb", "DescribeListeners", region=load_balancer["region"], LoadBalancerId=load_balancer["load_balancer_id"])
        bindings = []
        for listener in response.get("Listeners") or []:
            for binding in listener_bindings(listener):
                if cert_id in (binding["cert_id"], binding["cert_ca_id"]):
                    bindings.append(dict(binding, load_balancer_id=load_balancer["load_balancer_id"], region=load_balancer["region"]))
        return bindings
