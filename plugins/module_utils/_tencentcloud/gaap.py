# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""GAAP (Global Application Acceleration Platform): its certificate store and listener domain bindings."""

from __future__ import annotations

import random
import time
from collections import OrderedDict

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, paged
from ansible_collections.certops.cloud.plugins.module_utils._certificate import parse_pem_or_none, private_key_to_pem
from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_names
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointFailure
from ansible_collections.certops.cloud.plugins.module_utils._store import CertificateStore
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.client import AMBIGUOUS_CODES, TencentCloudModule, caller

# CertificateType of the GAAP store.
CERTIFICATE_TYPES = {"basic_auth": 0, "client_ca": 1, "server": 2, "origin_ca": 3, "proxy": 4}
_PAGE = 100
_NOT_FOUND_CODES = ("ResourceNotFound", "InvalidParameterValue.CertificateNotFound", "FailedOperation.CertificateNotFound")
DOMAIN_RUNNING = 0


class GaapStore(CertificateStore):
    """The GAAP certificate store: find by fingerprint, create once, describe, delete.

    GAAP's CreateCertificate would store a second copy; ``ensure`` (from CertificateStore) never does: the SDK
    does not retry it after an ambiguous failure (NON_IDEMPOTENT), ``ensure`` looks again before it creates again.
    """

    default_type = CERTIFICATE_TYPES["server"]
    name = "gaap"
    window = 5.0  # GAAP stores a copy per CreateCertificate: runs at the same time give each other's copies time

    def __init__(self, cloud):
        self.cloud = cloud

    def upload_attempts(self):
        return max(1, (self.cloud.params.get("api_retries") or 0) + 1)

    def ambiguous(self, exc):
        return exc.code in AMBIGUOUS_CODES

    def settle(self, exc):
        """A create that timed out may still be applied: wait ``api_timeout`` more before looking; else a short pause."""
        if "timed out" in str(exc.message):
            time.sleep(self.cloud.params.get("api_timeout") or 1)
        else:
            time.sleep(random.uniform(0.25, 0.5))

    def call(self, action, **params):
        return self.cloud.call("gaap", action, params)

    def list(self, certificate_type):
        return list(paged(lambda **params: self.call("DescribeCertificates", **params), "CertificateSet", limit=_PAGE,
                          CertificateType=certificate_type))

    def detail(self, certificate_id):
        """Public detail of one stored certificate, or None when unknown; the key is dropped at once."""
        # A stored certificate does not change: the endpoints of a batch read it once.
        return self.cloud.shared.memo(("gaap detail", certificate_id), lambda: self._detail(certificate_id))

    def _detail(self, certificate_id):
        try:
            detail = self.call("DescribeCertificateDetail", CertificateId=certificate_id).get("CertificateDetail") or {}
        except ApiError as exc:
            if exc.code in _NOT_FOUND_CODES:
                return None
            raise
        detail.pop("CertificateKey", None)
        bundle = parse_pem_or_none(detail.get("CertificateContent"))
        return dict(
            certificate_id=detail.get("CertificateId") or certificate_id,
            created=detail.get("CreateTime"),
            alias=detail.get("CertificateAlias"),
            certificate_type=detail.get("CertificateType"),
            bundle=bundle,
            certificate=bundle.summary() if bundle else None,
        )

    def candidates(self, bundle, certificate_type):
        """Stored certificates that may be ``bundle``: the same subject CN and expiry date in the listing."""
        cn, expiry = bundle.summary()["common_name"], int(bundle.not_after.timestamp())
        for entry in self.list(certificate_type):
            if (not cn or not entry.get("SubjectCN") or entry["SubjectCN"] == cn) and (
                    not entry.get("EndTime") or abs(int(entry["EndTime"]) - expiry) <= 86400):
                yield entry

    def entries(self, certificate_type=None):
        return self.list(-1 if certificate_type is None else certificate_type)

    def upload(self, bundle, private_key=None, certificate_type=2, alias=None):
        params = dict(CertificateType=certificate_type, CertificateContent=bundle.to_pem())
        if private_key is not None:
            params["CertificateKey"] = private_key_to_pem(private_key)
        params["CertificateAlias"] = alias or bundle.summary()["common_name"] or "certops"
        return self.call("CreateCertificate", **params)["CertificateId"], True

    def delete(self, certificate_id):
        self.call("DeleteCertificate", CertificateId=certificate_id)


def domain_binding(listener_id, entry):
    """Binding dict of one DomainRuleSet entry."""
    poly = entry.get("PolyClientCertificateAliasInfo") or []
    return dict(
        listener_id=listener_id,
        domain=entry.get("Domain"),
        certificate_id=entry.get("CertificateId") or None,
        certificate_alias=entry.get("CertificateAlias") or None,
        client_certificate_id=entry.get("ClientCertificateId") or None,
        poly_client_certificate_ids=sorted(p.get("CertificateId") for p in poly if p.get("CertificateId")),
        domain_status=entry.get("DomainStatus"),
    )


class GaapModule(TencentCloudModule):
    """Base of the GAAP modules."""

    @property
    def store(self):
        return GaapStore(self.cloud)

    def endpoint_label(self):
        label = "tencentcloud gaap"
        if self.params.get("listener_id"):
            label += " listener %s" % self.params["listener_id"]
        if self.params.get("domain"):
            label += " domain %s" % self.params["domain"]
        return label

    def read_domains(self, listener_id):
        try:
            response = self.call("gaap", "DescribeRules", ListenerId=listener_id)
        except ApiError as exc:
            if exc.code.startswith("ResourceNotFound") or exc.code.startswith("InvalidParameterValue"):
                self.fail("listener %s was not found: %s" % (listener_id, exc), error=exc.as_dict())
            raise
        return [domain_binding(listener_id, entry) for entry in response.get("DomainRuleSet") or []]

    def read_domain(self, listener_id, domain, fresh=False):
        """One domain's binding. The first read of a listener is shared by every domain of a batch (one DescribeRules
        per listener); ``fresh`` reads again (the waits)."""
        if fresh:
            domains = self.read_domains(listener_id)
        else:
            domains = self.shared.memo(("gaap rules", listener_id), lambda: self.read_domains(listener_id))
        for binding in domains:
            if binding["domain"] == domain:
                return dict(binding)
        self.fail("domain %s is not configured on listener %s" % (domain, listener_id))

    def wait_running(self, listener_id, domain, timeout, interval):
        """Poll DescribeRules until the domain runs (DomainStatus 0); returns its binding."""
        deadline = time.monotonic() + timeout
        while True:
            binding = self.read_domain(listener_id, domain, fresh=True)
            if binding["domain_status"] in (DOMAIN_RUNNING, None):
                return binding
            if time.monotonic() >= deadline:
                self.fail("domain is not running (DomainStatus %s) after waiting %s seconds; raise wait_timeout or retry later"
                          % (binding["domain_status"], timeout))
            time.sleep(interval)

    def wait_listener(self, listener_id, members):
        """Wait until the written domains of one listener run again: one DescribeRules a poll, whatever the number of
        its domains. Each member's C(after.domain_status) is set, or it fails like ``wait_running``."""
        timeout = max(member.params["wait_timeout"] for member in members)
        interval = min(member.params["wait_interval"] for member in members)
        deadline = time.monotonic() + timeout
        waiting = OrderedDict((member.params["domain"], member) for member in members)
        while waiting:
            try:
                domains = dict((binding["domain"], binding) for binding in self.read_domains(listener_id))
            except (ApiError, EndpointFailure) as exc:
                for member in waiting.values():
                    member.failure = member.failure_of("waiting for the domain to run again failed: %s" % exc)
                return
            for domain in list(waiting):
                status = (domains.get(domain) or {}).get("domain_status")
                if status in (DOMAIN_RUNNING, None):
                    member = waiting.pop(domain)
                    member.after = dict(member.after, domain_status=status)
            if waiting and time.monotonic() >= deadline:
                for domain, member in waiting.items():
                    member.failure = member.failure_of("domain is not running (DomainStatus %s) after waiting %s seconds; raise "
                                                       "wait_timeout or retry later" % (domains[domain]["domain_status"], timeout))
                return
            if waiting:
                time.sleep(interval)

    def listener_certificate_id(self, listener_id):
        """The listener's own server certificate (what a domain's ``default`` means), read once per run."""
        def read():
            response = self.call("gaap", "DescribeHTTPSListeners", ListenerId=listener_id, Limit=1, Offset=0)
            listeners = [entry for entry in response.get("ListenerSet") or [] if entry.get("ListenerId") == listener_id]
            return (listeners[0].get("CertificateId") or None) if listeners else None
        return self.shared.memo(("gaap listener certificate", listener_id), read)

    def certificate_summaries(self, *ids, strict=True, listener_id=None):
        """{id: summary} of GAAP store certificates (empty ids skipped); fails on unknown ids if strict.

        ``default`` (the listener's certificate) is described as the certificate of ``listener_id``, if given.
        """
        summaries = {}
        for certificate_id in ids:
            if not certificate_id or certificate_id in summaries:
                continue
            if certificate_id == "default":
                own = self.listener_certificate_id(listener_id) if listener_id else None
                summaries["default"] = self.certificate_summaries(own, strict=False).get(own) if own else None
                continue
            detail = self.store.detail(certificate_id)
            if detail is None and strict:
                self.fail("certificate %s is not in the GAAP certificate store" % certificate_id)
            summaries[certificate_id] = detail and detail["certificate"]
        return summaries


def list_endpoints(discovery, region):
    """Discovery: every domain of every HTTPS listener of every proxy (GAAP is global: listed once)."""
    cloud = discovery.tencent(region)
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
                summary = discovery.gaap_summary(cloud, bound)
                references = [c for c in [binding["certificate_id"], binding["client_certificate_id"]]
                              + binding["poly_client_certificate_ids"] if c and c != "default"]
                found.append(discovery.endpoint("gaap", "gaap-%s-%s" % (listener_id, binding["domain"]),
                                                dict(listener_id=listener_id, domain=binding["domain"], server_name=binding["domain"]),
                                                discovery.facts(summary, "gaap", bound), [binding["domain"]] + summary_names(summary),
                                                dict(gaap=sorted(set(references)))))
    return found
