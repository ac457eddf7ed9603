# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Alibaba Cloud ESA (Edge Security Acceleration, API 2024-09-10) site certificates."""

from __future__ import annotations

import datetime

from ansible_collections.certops.cloud.plugins.module_utils._alicloud.client import AliCloudModule
from ansible_collections.certops.cloud.plugins.module_utils._certificate import normalize_fingerprint, parse_pem_or_none
from ansible_collections.certops.cloud.plugins.module_utils._summary import hostname_matches
from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, paged

_PAGE = 500
CUSTOM_TYPES = ("upload", "cas")

# Documented SetCertificate errors, explained.
ERROR_HINTS = {
    "InvalidParameter.SiteId": "the site was not found; check site_id",
    "CertificateNotMatchPrivateKey": "the private key does not match the certificate",
    "InvalidSSLPub": "ESA rejected the certificate PEM",
    "InvalidSSLPri": "ESA rejected the private key PEM",
    "CertQuotaCheckFailed": ("the site's custom certificate quota is full; expired certificates count against it too - "
                             "set prune_expired=true to delete the site's expired certificates first, or delete unused ones"),
    "Certificate.NotFound": "the certificate id was not found on the site",
    "CertificateDomainNotMatchSite": "the certificate's names do not belong to the site",
    "UpdateFreeCertificate.NotSupport": "a free certificate cannot be replaced; use another id or name",
    "InvalidParameter.CasId": "cas_id is not a certificate of the Certificate Management Service in that region",
}


def iso_time(value):
    """ESA's ``YYYY-MM-DD HH:MM:SS`` (UTC) as ISO 8601 (``YYYY-MM-DDTHH:MM:SSZ``), as the certificate summaries write it."""
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return value or None


def entry_binding(site_id, entry, pem=None):
    """Binding dict of one ESA certificate (list or get result); never holds key material."""
    if not entry:
        return dict(site_id=site_id, id=None, name=None, type=None, cas_id=None, fingerprint_sha256=None,
                    not_after=None, status=None, certificate=None)
    bundle = parse_pem_or_none(pem) if pem else None
    return dict(
        site_id=site_id,
        id=entry.get("Id"),
        name=entry.get("Name"),
        type=entry.get("Type"),
        cas_id=str(entry["CasId"]) if entry.get("CasId") else None,
        fingerprint_sha256=normalize_fingerprint(entry.get("FingerprintSha256") or "") or None,
        common_name=entry.get("CommonName"),
        subject_alt_names=[s for s in (entry.get("SAN") or "").split(",") if s],
        not_after=bundle.summary()["not_after"] if bundle else iso_time(entry.get("NotAfter")),
        status=entry.get("Status"),
        certificate=bundle.summary() if bundle else None,
    )


class EsaModule(AliCloudModule):
    """Base of the ESA modules."""

    def endpoint_label(self):
        label = "alicloud esa site %s" % self.params.get("site_id")
        if self.params.get("id"):
            label += " certificate %s" % self.params["id"]
        elif self.params.get("name"):
            label += " certificate %s" % self.params["name"]
        return label

    def call(self, action, **params):
        try:
            return super().call(action, **params)
        except ApiError as exc:
            hint = ERROR_HINTS.get(exc.code)
            if hint:
                exc.message = "%s (%s)" % (hint, exc.message)
            raise

    def list_certificates(self, site_id, keyword=None):
        params = dict(SiteId=site_id, Keyword=keyword) if keyword else dict(SiteId=site_id)
        return list(paged(lambda **more: self.call("ListCertificates", **more), "Result", limit=_PAGE, numbered=True, **params))

    def get_certificate(self, site_id, certificate_id):
        """(entry, PEM) of one site certificate, or (None, None) when the id is unknown."""
        try:
            response = self.call("GetCertificate", SiteId=site_id, Id=certificate_id)
        except ApiError as exc:
            if exc.code == "Certificate.NotFound":
                return None, None
            raise
        return response.get("Result") or {}, response.get("Certificate")


def list_endpoints(discovery, region):
    """Discovery: every custom (uploaded or CAS) certificate of every site of the region."""
    cloud = discovery.alicloud(region)
    found = []
    for site in paged(lambda **params: cloud.call("ListSites", params), "Sites", limit=_PAGE, numbered=True):
        site_id, site_name = site.get("SiteId"), site.get("SiteName")
        for entry in paged(lambda **params: cloud.call("ListCertificates", params), "Result", limit=_PAGE, numbered=True, SiteId=site_id):
            if entry.get("Type") not in CUSTOM_TYPES:
                continue  # free certificates ESA manages itself
            binding = entry_binding(site_id, entry)
            names = binding["subject_alt_names"]
            summary = dict(fingerprint_sha256=binding["fingerprint_sha256"], not_after=binding["not_after"],
                           subject_alt_names=names, common_name=binding.get("common_name"))
            settings = dict(site_id=site_id, id=binding["id"], region=region)
            server = site_name if site_name and any(hostname_matches(n, site_name) for n in names) else discovery.first_host_name(names)
            if server:
                settings["server_name"] = server
            found.append(discovery.endpoint("esa", "esa-%s-%s" % (site_id, binding["id"]), settings,
                                            discovery.facts(summary, "esa", binding["id"]), [site_name] + names, {}))
    return found
