# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TSE gateway entries read from the gateway's listing for a batch (one call for up to 100 entries)."""

from __future__ import annotations

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.tse import listed_entries


class Gateway:
    """A fake DescribeCloudNativeAPIGatewayCertificates over ``count`` entries e0, e1, ...; records each call."""

    def __init__(self, count, pem, without_crt=()):
        self.entries = [dict(Id="e%d" % n, Name="n%d" % n, BindDomains=["www.example.com"], CertSource="ssl",
                             CertId="cert-%d" % n, Crt="" if "e%d" % n in without_crt else pem, Key="KEY MATERIAL")
                        for n in range(count)]
        self.calls = []

    def __call__(self, GatewayId, Offset, Limit):  # pylint: disable=invalid-name
        self.calls.append((GatewayId, Offset, Limit))
        page = [dict(entry) for entry in self.entries[Offset:Offset + Limit]]
        return {"Result": {"Total": len(self.entries), "CertificatesList": page}}


def test_the_entries_of_one_page_take_one_call(certs):
    gateway = Gateway(20, certs["leaf"].chain_pem)
    found = listed_entries(gateway, "gw-1", ["e0", "e7", "e19"])
    assert gateway.calls == [("gw-1", 0, 100)]
    assert sorted(found) == ["e0", "e19", "e7"]
    assert found["e7"]["cert_id"] == "cert-7" and found["e7"]["gateway_id"] == "gw-1"
    assert found["e7"]["certificate"]["fingerprint_sha256"] == certs["leaf"].fingerprint_sha256
    assert "KEY MATERIAL" not in repr(found)


@pytest.mark.parametrize("wanted, offsets, listed", [
    # three missing after the first page, two pages left: the pages are read
    (["e0", "e150", "e250", "e290"], [0, 100, 200], ["e0", "e150", "e250", "e290"]),
    # one missing, two pages left: it is read on its own instead
    (["e0", "e150"], [0], ["e0"]),
    # two missing, two pages left: as many calls either way, the entries are read on their own
    (["e150", "e250"], [0], []),
])
def test_pages_are_read_only_while_cheaper_than_reading_the_missing_entries(certs, wanted, offsets, listed):
    gateway = Gateway(300, certs["leaf"].chain_pem)
    found = listed_entries(gateway, "gw-1", wanted)
    assert [call[1] for call in gateway.calls] == offsets
    assert sorted(found) == sorted(listed)


def test_an_entry_listed_without_its_pem_is_left_to_its_own_read(certs):
    gateway = Gateway(5, certs["leaf"].chain_pem, without_crt=("e1",))
    assert sorted(listed_entries(gateway, "gw-1", ["e0", "e1", "e9"])) == ["e0"]
    assert len(gateway.calls) == 1


def test_an_empty_gateway_ends_at_once(certs):
    gateway = Gateway(0, certs["leaf"].chain_pem)
    assert listed_entries(gateway, "gw-1", ["e0", "e1"]) == {}
    assert len(gateway.calls) == 1
