# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Discovery's pure parts: name patterns, regions, filters, expiry, which endpoint a discovered binding belongs to."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._api import paged
from ansible_collections.certops.cloud.plugins.module_utils._discovery import (
    DiscoveryError,
    check_name_pattern,
    check_region,
    endpoint,
    is_endpoint,
    select,
)
from ansible_collections.certops.cloud.plugins.module_utils._summary import days_left

NOW = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


def item(provider, name, settings, not_after="2027-02-01T00:00:00Z", names=()):
    return endpoint(provider, name, settings, dict(not_after=not_after, fingerprint_sha256="ab"), list(names), {})


@pytest.mark.parametrize("pattern", ["*.example.com", "www.example.com", "example.com", "api-?.example.com", "*.example.*", "WWW.Example.COM"])
def test_name_patterns(pattern):
    assert check_name_pattern(pattern) == pattern.lower()


@pytest.mark.parametrize("pattern", ["https://www.example.com", "www example.com", "", "www.example.com:443", "a/b", 7])
def test_bad_name_patterns(pattern):
    with pytest.raises(DiscoveryError, match="is not a host name pattern"):
        check_name_pattern(pattern)


def test_regions():
    assert check_region("ap-guangzhou") == "ap-guangzhou"
    assert check_region("ap-shanghai-fsi") == "ap-shanghai-fsi"
    assert check_region("cn-hangzhou") == "cn-hangzhou"
    for bad in ("Guangzhou", "ap guangzhou", "", None, "ap-"):
        with pytest.raises(DiscoveryError, match="is not a region name"):
            check_region(bad)


def test_days_left():
    assert days_left({"not_after": "2026-12-31T00:00:00Z"}, NOW) == 30
    assert days_left({"not_after": "2026-11-30 00:00:00"}, NOW) == -1
    assert days_left({"not_after": None}, NOW) is None


def test_select_by_names_and_expiry():
    found = [item("gaap", "a", {"domain": "www.example.com"}, names=["www.example.com"]),
             item("teo", "b", {}, names=["shop.example.org"], not_after="2026-12-10T00:00:00Z"),
             item("clb", "c", {}, names=["*.example.com"]),
             item("esa", "d", {}, names=["x.example.net"], not_after=None)]
    assert [i["name"] for i in select(found, ["*.example.com"], now=NOW)] == ["a", "c"]
    assert [i["name"] for i in select(found, [], 30, now=NOW)] == ["b", "d"]  # expiring, and expiry unknown
    assert [i["name"] for i in select(found)] == ["a", "b", "c", "d"]


def test_is_endpoint():
    rule = item("clb", "clb-lb-1-lbl-1-www.example.com", {"load_balancer_id": "lb-1", "listener_id": "lbl-1", "domain": "www.example.com"})
    assert is_endpoint(rule, {"provider": "clb", "load_balancer_id": "lb-1"})
    assert is_endpoint(rule, {"provider": "clb", "load_balancer_id": "lb-1", "listener_id": "lbl-1"})
    assert not is_endpoint(rule, {"provider": "clb", "load_balancer_id": "lb-1", "domain": "api.example.com"})
    assert not is_endpoint(rule, {"provider": "clb", "old_certificate_id": "OLD1"})
    host = item("teo", "teo-z-h1", {"zone_id": "z", "hosts": ["h1.example.com"]})
    assert is_endpoint(host, {"provider": "teo", "zone_id": "z", "hosts": ["h0.example.com", "h1.example.com"]})
    assert not is_endpoint(host, {"provider": "tse", "zone_id": "z"})
    entry = item("tse", "tse-g-1", {"gateway_id": "g", "id": "1"})
    assert is_endpoint(entry, {"provider": "tse", "gateway_id": "g", "id": "1"}) and not is_endpoint(entry, {"provider": "tse", "gateway_id": "g"})


def test_paged_reads_until_the_total():
    calls = []

    def fetch(Offset, Limit, **params):  # pylint: disable=invalid-name
        calls.append((Offset, Limit, params))
        return {"Result": {"Total": 5, "Items": list(range(Offset, min(Offset + Limit, 5)))}}
    assert list(paged(fetch, "Items", total="Total", limit=2, result="Result", Zone="z")) == [0, 1, 2, 3, 4]
    assert [c[0] for c in calls] == [0, 2, 4] and calls[0][2] == {"Zone": "z"}
