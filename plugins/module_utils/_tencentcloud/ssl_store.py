# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Tencent Cloud SSL certificate store: find by fingerprint, upload once, describe, delete.

Shared by the SSL store modules and every endpoint module that binds a
certificate by its SSL store id (TSE ``ssl`` source, CLB).
"""

from __future__ import annotations

import datetime
import time

from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    parse_pem_or_none,
    private_key_to_pem,
)
from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, paged
from ansible_collections.certops.cloud.plugins.module_utils._store import CertificateStore

# The SSL API writes times in China Standard Time (GMT+8).
_CST = datetime.timezone(datetime.timedelta(hours=8))
_PAGE = 1000
# DescribeDeleteCertificatesTaskResult: Status of an asynchronous deletion (IsCheckResource).
DELETE_RUNNING, DELETE_DONE = 0, 1
DELETE_FAILURES = {
    2: ("FailedOperation", "the deletion failed"),
    3: ("FailedOperation.NoServiceRole", "the SSL service role SSL_QCSLinkedRoleInReplaceLoadCertificate is not authorized, "
                                         "so the cloud resources using it could not be checked"),
    4: ("FailedOperation.CertificateBound", "cloud resources still use it"),
    5: ("FailedOperation.Timeout", "checking the cloud resources that use it timed out"),
}
_NOT_FOUND_CODES = ("FailedOperation.CertificateNotFound", "ResourceNotFound", "FailedOperation.CertificateInvalid")


def parse_cst(value):
    """Parse ``YYYY-MM-DD HH:MM:SS`` (GMT+8) into an aware datetime, or None."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=_CST)
    except ValueError:
        return None


def listing_summary(entry):
    """Public summary of a DescribeCertificates entry."""
    return dict(
        certificate_id=entry.get("CertificateId"),
        alias=entry.get("Alias"),
        domain=entry.get("Domain"),
        subject_alt_names=entry.get("SubjectAltName") or [],
        certificate_type=entry.get("CertificateType"),
        source=entry.get("From"),
        status=entry.get("Status"),
        status_name=entry.get("StatusName"),
        not_before=entry.get("CertBeginTime"),
        not_after=entry.get("CertEndTime"),
        project_id=entry.get("ProjectId"),
    )


class SslStore(CertificateStore):
    """Operations on the SSL certificate store through a TencentCloud client."""

    default_type = "SVR"
    name = "ssl"

    def __init__(self, cloud):
        self.cloud = cloud

    def call(self, action, **params):
        return self.cloud.call("ssl", action, params)

    def list(self, **filters):
        """All DescribeCertificates entries matching the filters (paged)."""
        return list(paged(lambda **params: self.call("DescribeCertificates", **params), "Certificates", limit=_PAGE, **filters))

    def detail(self, certificate_id):
        """Public detail of one stored certificate, or None when the id is unknown.

        The API also returns the private key; it is dropped here, at once.
        """
        # A stored certificate does not change: the endpoints of a batch read it once.
        return self.cloud.shared.memo(("ssl detail", certificate_id), lambda: self._detail(certificate_id))

    def _detail(self, certificate_id):
        try:
            detail = self.call("DescribeCertificateDetail", CertificateId=certificate_id)
        except ApiError as exc:
            if exc.code in _NOT_FOUND_CODES:
                return None
            raise
        detail.pop("CertificatePrivateKey", None)
        detail.pop("EncryptPrivateKey", None)
        bundle = parse_pem_or_none(detail.get("CertificatePublicKey"))
        inserted = parse_cst(detail.get("InsertTime"))
        return dict(
            certificate_id=detail.get("CertificateId") or certificate_id,
            created=inserted.timestamp() if inserted else None,
            alias=detail.get("Alias"),
            certificate_type=detail.get("CertificateType"),
            status=detail.get("Status"),
            source=detail.get("From"),
            bundle=bundle,
            certificate=bundle.summary() if bundle else None,
        )

    def candidates(self, bundle, certificate_type):
        """Uploaded certificates that may be ``bundle``: listed by its first name, with its expiry date."""
        names = bundle.names()
        search_key = names[0].lstrip("*.") if names else None
        filters = dict(CertificateType=certificate_type or self.default_type, FilterSource="upload")
        if search_key:
            filters["SearchKey"] = search_key
        for entry in self.list(**filters):
            end = parse_cst(entry.get("CertEndTime"))
            if end is None or abs((end - bundle.not_after).total_seconds()) <= 86400:
                yield entry

    def entries(self, certificate_type=None):
        """Uploaded certificates (of one type), from DescribeCertificates."""
        filters = dict(FilterSource="upload")
        if certificate_type:
            filters["CertificateType"] = certificate_type
        return self.list(**filters)

    def upload(self, bundle, private_key=None, certificate_type="SVR", alias=None, project_id=None,
               repeatable=False):
        """Upload once; returns (certificate_id, created)."""
        params = dict(CertificatePublicKey=bundle.to_pem(), CertificateType=certificate_type,
                      Repeatable=repeatable)
        if private_key is not None:
            params["CertificatePrivateKey"] = private_key_to_pem(private_key)
        if alias:
            params["Alias"] = alias
        if project_id is not None:
            params["ProjectId"] = int(project_id)
        response = self.call("UploadCertificate", **params)
        if response.get("RepeatCertId"):
            return response["RepeatCertId"], False
        return response["CertificateId"], True

    def remove_copy(self, certificate_id):
        """An extra copy goes only when the SSL service finds no cloud resource of any product using it."""
        self.delete(certificate_id, check_resource=True)

    def delete(self, certificate_id, check_resource=False, wait_timeout=300, wait_interval=2):
        """Delete a stored certificate. ``check_resource``: the SSL service first checks that no cloud resource (of
        any product) still uses it; the deletion is then an asynchronous task, awaited here."""
        params = dict(CertificateId=certificate_id)
        if check_resource:
            params["IsCheckResource"] = True
        response = self.call("DeleteCertificate", **params)
        if check_resource and response.get("TaskId"):
            self.wait_delete(certificate_id, response["TaskId"], wait_timeout, wait_interval)
        elif response.get("DeleteResult") is False:
            raise ApiError("ssl", "DeleteCertificate", "FailedOperation",
                           "certificate %s was not deleted" % certificate_id, response.get("RequestId"))

    def wait_delete(self, certificate_id, task_id, timeout, interval):
        """Poll DescribeDeleteCertificatesTaskResult until the deletion task of ``certificate_id`` ended."""
        deadline = time.monotonic() + timeout
        pause = min(0.5, interval)
        while True:
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
            results = self.call("DescribeDeleteCertificatesTaskResult", TaskIds=[task_id]).get("DeleteTaskResult") or []
            result = next((r for r in results if r.get("TaskId") == task_id), {})
            status = result.get("Status")
            if status == DELETE_DONE:
                return
            if status not in (DELETE_RUNNING, None):
                code, what = DELETE_FAILURES.get(status, ("FailedOperation", "the deletion failed"))
                detail = "; ".join(x for x in (result.get("Error"), ", ".join(result.get("Domains") or [])) if x)
                raise ApiError("ssl", "DeleteCertificate", code, "certificate %s was kept: %s%s" % (
                    certificate_id, what, " (%s)" % detail if detail else ""), task_id)
            if time.monotonic() >= deadline:
                raise ApiError("ssl", "DeleteCertificate", "Timeout", "the deletion of certificate %s (task %s) did not end "
                               "within %s seconds" % (certificate_id, task_id, timeout), task_id)
            pause = min(interval, pause * 2)


# --- certificates the SSL service issued or renewed (rotate_certificate_id) ---------------------------------------------

STATUS_ISSUED = 1
# The links from a certificate to its renewal, in the order they are followed: a hosted renewal (the SSL service
# renewed and deploys it), then a renewal order (a renewal certificate the account bought).
RENEWAL_LINKS = ("HostingRenewCertId", "HasRenewOrder")


class RenewalError(Exception):
    """A certificate of the SSL service cannot be rotated to; the message names it and says what to do."""


def renewal_path(first_id, entry_of, follow=True):
    """The certificates from ``first_id`` along its renewal links: ``[{certificate_id, status, status_name, not_after,
    link}]`` (``link``: the field of the previous certificate that led here, None for the first).

    ``entry_of(id)`` returns the DescribeCertificates entry of an id, or None. Without ``follow`` only the first.
    A link to an unknown certificate ends the path there; a link back to a certificate already on it fails.
    """
    path, current, link = [], first_id, None
    while True:
        if any(step["certificate_id"] == current for step in path):
            raise RenewalError("the renewal links of certificate %s loop: %s; fix the renewals in the SSL service, or set "
                               "rotate_follow_renewals: false and give the id to rotate to"
                               % (first_id, " -> ".join([step["certificate_id"] for step in path] + [current])))
        entry = entry_of(current)
        if entry is None:
            if not path:
                raise RenewalError("certificate %s is not in the Tencent Cloud SSL service (or this key may not read it)" % current)
            path[-1]["missing_renewal"] = current
            return path
        path.append(dict(certificate_id=current, status=entry.get("Status"), status_name=entry.get("StatusName"),
                         not_after=entry.get("CertEndTime"), source=entry.get("From"), link=link))
        found = next(((name, entry.get(name)) for name in RENEWAL_LINKS if entry.get(name)), None) if follow else None
        if found is None:
            return path
        link, current = found


def newest_issued(path):
    """The last issued certificate of a renewal path; fails naming the first when none is issued."""
    issued = [step for step in path if step.get("status") == STATUS_ISSUED]
    if not issued:
        step = path[0]
        raise RenewalError("certificate %s is not issued yet (status %s%s)%s: wait until the SSL service issues it, then run again"
                           % (step["certificate_id"], step.get("status"), " %s" % step["status_name"] if step.get("status_name") else "",
                              ", nor is any of its renewals" if len(path) > 1 else ""))
    return issued[-1]
