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
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.certops.cloud.plugins.module_utils._certificate import parse_pem_or_none, private_key_to_pem
from ansible_collections.certops.cloud.plugins.module_utils._common import ApiError, CertificateStore, EndpointFailure, WAIT_CONCURRENCY
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud import AMBIGUOUS_CODES, TencentCloudModule

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
        entries, offset = [], 0
        while True:
            page = self.call("DescribeCertificates", CertificateType=certificate_type, Offset=offset, Limit=_PAGE)
            batch = page.get("CertificateSet") or []
            entries.extend(batch)
            offset += len(batch)
            if not batch or offset >= (page.get("TotalCount") or 0):
                return entries

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
            alias=detail.get("CertificateAlias"),
            certificate_type=detail.get("CertificateType"),
            bundle=bundle,
            certificate=bundle.summary() if bundle else None,
        )

    def find(self, bundle, certificate_type):
        """Stored certificates equal to ``bundle`` (narrowed by subject CN and expiry, then by fingerprint)."""
        cn = bundle.summary()["common_name"]
        expiry = int(bundle.not_after.timestamp())
        matches = []
        for entry in self.list(certificate_type):
            if cn and entry.get("SubjectCN") and entry["SubjectCN"] != cn:
                continue
            if entry.get("EndTime") and abs(int(entry["EndTime"]) - expiry) > 86400:
                continue
            detail = self.detail(entry["CertificateId"])
            if detail and detail["bundle"] is not None and detail["bundle"].same_as(bundle):
                matches.append(detail)
        return matches

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

    def wait_listeners(self, pending):
        """Wait for the changed domains of a batch together: one DescribeRules per listener and poll, whatever the
        number of its domains, the listeners at the same time (up to WAIT_CONCURRENCY). ``pending`` is
        ``[(run, result)]`` of the domains written; each result's C(after.domain_status) is set, or it fails like
        ``wait_running``."""
        listeners = OrderedDict()
        for run, result in pending:
            listeners.setdefault(run.params["listener_id"], []).append((run, result))
        if listeners:
            with ThreadPoolExecutor(max_workers=min(len(listeners), WAIT_CONCURRENCY)) as pool:
                list(pool.map(lambda item: self._wait_listener(*item), listeners.items()))

    def _wait_listener(self, listener_id, runs):
        timeout = max(run.params["wait_timeout"] for run, dummy in runs)
        interval = min(run.params["wait_interval"] for run, dummy in runs)
        deadline = time.monotonic() + timeout
        waiting = OrderedDict((run.params["domain"], (run, result)) for run, result in runs)
        while waiting:
            try:
                domains = dict((binding["domain"], binding) for binding in self.read_domains(listener_id))
            except (ApiError, EndpointFailure) as exc:
                for run, result in waiting.values():
                    result.update(failed=True, msg="%s: waiting for the domain to run again failed: %s" % (run.endpoint_label(), exc))
                return
            for domain in list(waiting):
                status = (domains.get(domain) or {}).get("domain_status")
                if status in (DOMAIN_RUNNING, None):
                    run, result = waiting.pop(domain)
                    result["after"] = dict(result["after"], domain_status=status)
            if waiting and time.monotonic() >= deadline:
                for domain, (run, result) in waiting.items():
                    result.update(failed=True, msg="%s: domain is not running (DomainStatus %s) after waiting %s seconds; raise "
                                  "wait_timeout or retry later" % (run.endpoint_label(), domains[domain]["domain_status"], timeout))
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
