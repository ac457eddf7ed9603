# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Following the renewal links of the Tencent Cloud SSL service (rotate_certificate_id)."""

from __future__ import annotations

import pytest

from ansible_collections.certops.cloud.plugins.filter import rotate
from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.ssl_store import RenewalError, newest_issued, renewal_path


def service(**entries):
    """entry_of over {id: (status, hosting renew id, renewal order id)}; the ids it was asked for, in order."""
    asked = []

    def entry_of(certificate_id):
        asked.append(certificate_id)
        if certificate_id not in entries:
            return None
        status, hosting, order = entries[certificate_id]
        return {"CertificateId": certificate_id, "Status": status, "StatusName": {0: "pending", 1: "issued"}.get(status),
                "HostingRenewCertId": hosting or "", "HasRenewOrder": order or "", "From": "trustasia", "CertEndTime": "2027-03-01 08:00:00"}
    return entry_of, asked


def ids(path):
    return [(step["certificate_id"], step["link"]) for step in path]


def test_a_hosted_renewal_then_a_renewal_order_lead_to_the_newest():
    entry_of, asked = service(A=(1, "B", None), B=(1, None, "C"), C=(1, None, None))
    path = renewal_path("A", entry_of)
    assert ids(path) == [("A", None), ("B", "HostingRenewCertId"), ("C", "HasRenewOrder")]
    assert newest_issued(path)["certificate_id"] == "C" and asked == ["A", "B", "C"]
    assert rotate.rotate_source(dict(certificate_id="C", renewals=path)) == dict(
        certificate_id="C", stored=["ssl"], renewals=["A", "B", "C"],
        line="certificate from the Tencent Cloud SSL service: A -> B (HostingRenewCertId) -> C (HasRenewOrder); rotating to C")


def test_the_hosted_renewal_is_followed_before_a_renewal_order():
    entry_of, dummy = service(A=(1, "H", "O"), H=(1, None, None), O=(1, None, None))
    assert ids(renewal_path("A", entry_of)) == [("A", None), ("H", "HostingRenewCertId")]


def test_a_renewal_not_issued_yet_is_not_taken():
    entry_of, dummy = service(A=(3, "B", None), B=(1, None, "C"), C=(0, None, None))
    path = renewal_path("A", entry_of)
    assert newest_issued(path)["certificate_id"] == "B"
    line = rotate.rotate_source(dict(certificate_id="B", renewals=path))["line"]
    assert line.endswith("; rotating to B (not issued yet: C status 0)")


def test_without_following_the_id_itself():
    entry_of, asked = service(A=(1, "B", None), B=(1, None, None))
    path = renewal_path("A", entry_of, follow=False)
    assert ids(path) == [("A", None)] and asked == ["A"]
    assert rotate.rotate_source(dict(certificate_id="A", renewals=path))["line"] == "certificate from the Tencent Cloud SSL service: A"


@pytest.mark.parametrize("entries, message", [
    (dict(A=(1, "B", None), B=(1, None, "A")), "the renewal links of certificate A loop: A -> B -> A"),
    (dict(A=(1, "A", None)), "the renewal links of certificate A loop: A -> A"),
    (dict(), "certificate A is not in the Tencent Cloud SSL service"),
])
def test_a_loop_or_an_unknown_certificate_fails(entries, message):
    entry_of, dummy = service(**entries)
    with pytest.raises(RenewalError, match=message.replace("(", r"\(")):
        renewal_path("A", entry_of)


def test_nothing_issued_fails_naming_the_certificate():
    entry_of, dummy = service(A=(0, None, None))
    with pytest.raises(RenewalError, match=r"certificate A is not issued yet \(status 0 pending\): wait until"):
        newest_issued(renewal_path("A", entry_of))


def test_a_renewal_the_service_does_not_know_ends_the_path():
    entry_of, dummy = service(A=(1, "GONE", None))
    path = renewal_path("A", entry_of)
    assert ids(path) == [("A", None)] and path[-1]["missing_renewal"] == "GONE"
    assert "(renewal GONE of A is not in the SSL service)" in rotate.rotate_source(dict(certificate_id="A", renewals=path))["line"]


def test_a_store_that_holds_the_certificate_gets_no_upload():
    assert [run["name"] for run in rotate.rotate_store_runs(["tse", "gaap", "clb"], "pem", "key", stored=["ssl"])] == ["gaap"]
    assert [run["name"] for run in rotate.rotate_store_runs(["tse", "gaap"], "pem", "key")] == ["ssl", "gaap"]
