# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""CLB (Cloud Load Balancer): where certificates are bound, which load balancers use one, and the asynchronous tasks."""

from __future__ import annotations

import functools
import time

from ansible_collections.certops.cloud.plugins.module_utils._common import ApiError
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud import TencentCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud_ssl import SslStore

# DescribeLoadBalancerListByCertId takes at most 20 ids.
CERT_IDS_MAX = 20
# ReplaceCertForLoadBalancers can only be called in Guangzhou; it replaces the certificate in every region.
REPLACE_REGION = "ap-guangzhou"
# DescribeTaskStatus: Status of an asynchronous write.
TASK_SUCCEEDED, TASK_FAILED, TASK_RUNNING = 0, 1, 2
# The first poll of a task comes after this many seconds, then the interval doubles up to wait_interval.
FIRST_POLL = 0.5


class ClbError(Exception):
    """A CLB step failed (a task, a check of the listeners); the message names what, not the endpoint."""


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


def binding_key(binding):
    """What names one binding: load balancer, listener, SNI domain (None for the listener's own certificate)."""
    return (binding.get("load_balancer_id"), binding.get("listener_id"), binding.get("domain"))


def binding_name(binding):
    name = "%s listener %s" % (binding.get("load_balancer_id"), binding.get("listener_id"))
    if binding.get("domain"):
        name += " domain %s" % binding["domain"]
    return name


def certificate_input(ssl_mode, cert_id, ca_id):
    """The CertificateInput of a write."""
    certificate = dict(SSLMode=ssl_mode or "UNIDIRECTIONAL", CertId=cert_id)
    if ca_id and certificate["SSLMode"] == "MUTUAL":
        certificate["CertCaId"] = ca_id
    return certificate


class ClbModule(TencentCloudModule):
    """Base of the CLB modules."""

    @property
    def store(self):
        return SslStore(self.cloud)

    def attempt(self, function, *args):
        try:
            return super().attempt(function, *args)
        except ClbError as exc:
            self.fail(str(exc))

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

    def endpoint_bindings(self, load_balancer_id, region, listener_id=None, domain=None):
        """The server certificate bindings of one endpoint: a load balancer, one of its listeners, or one SNI rule."""
        bindings = [b for b in self.listener_bindings_of(load_balancer_id, region) if b["cert_id"]]
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
