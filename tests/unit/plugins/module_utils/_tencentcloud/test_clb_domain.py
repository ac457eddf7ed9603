# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CLB's domain logic: an endpoint's bindings, the TLS settings a replacement sends, coverage, the bindings after."""

from __future__ import annotations

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._tencentcloud.clb import (
    ClbError,
    binding_settings,
    certificate_input,
    domains,
    listener_bindings,
    rebound,
    replacement_settings,
    select_bindings,
    uncovered,
)

WILDCARD = {"subject_alt_names": ["*.example.com", "example.com"], "common_name": "*.example.com"}


def binding(listener, domain=None, cert="OLD1", mode="UNIDIRECTIONAL", ca=None):
    return dict(load_balancer_id="lb-1", region="ap-guangzhou", listener_id=listener, protocol="HTTPS", port=443, domain=domain,
                ssl_mode=mode, cert_id=cert, cert_ca_id=ca)


def test_an_sni_listener_has_a_binding_per_rule_and_a_plain_one_its_own():
    plain = {"ListenerId": "lbl-1", "Protocol": "HTTPS", "Port": 443, "Certificate": {"SSLMode": "MUTUAL", "CertId": "A", "CertCaId": "CA"}}
    sni = {"ListenerId": "lbl-2", "Protocol": "HTTPS", "Port": 443, "Rules": [
        {"Domain": "www.example.com", "LocationId": "loc-1", "Certificate": {"SSLMode": "UNIDIRECTIONAL", "CertId": "B"}},
        {"Domain": "plain.example.com", "LocationId": "loc-2"}]}
    assert [(b["listener_id"], b["domain"], b["ssl_mode"], b["cert_id"], b["cert_ca_id"]) for b in listener_bindings(plain)] == [
        ("lbl-1", None, "MUTUAL", "A", "CA")]
    assert [(b["domain"], b["location_id"], b["cert_id"]) for b in listener_bindings(sni)] == [("www.example.com", "loc-1", "B")]


def test_an_endpoint_selects_its_listener_or_rule_and_names_what_is_missing():
    bindings = [binding("lbl-1"), binding("lbl-2", "www.example.com"), binding("lbl-2", "api.example.com"), binding("lbl-3", cert=None)]
    assert len(select_bindings(bindings, "lb-1")) == 3
    assert [b["domain"] for b in select_bindings(bindings, "lb-1", "lbl-2")] == ["www.example.com", "api.example.com"]
    assert [b["listener_id"] for b in select_bindings(bindings, "lb-1", domain="WWW.example.com")] == ["lbl-2"]
    with pytest.raises(ClbError, match="no HTTPS listener lbl-3 with a certificate"):
        select_bindings(bindings, "lb-1", "lbl-3")
    with pytest.raises(ClbError, match="no SNI rule for domain shop.example.com on listener lbl-2"):
        select_bindings(bindings, "lb-1", "lbl-2", "shop.example.com")
    with pytest.raises(ClbError, match="load balancer lb-1 has no HTTPS listener with a certificate"):
        select_bindings([binding("lbl-3", cert=None)], "lb-1")


def test_coverage_and_domains():
    bindings = [binding("lbl-1"), binding("lbl-2", "www.example.com"), binding("lbl-2", "shop.example.org")]
    assert domains(bindings) == ["shop.example.org", "www.example.com"]
    assert [b["domain"] for b in uncovered(bindings, WILDCARD)] == ["shop.example.org"]


def test_a_replacement_keeps_mutual_tls_or_takes_the_options():
    mutual = [binding("lbl-1", mode="MUTUAL", ca="CA1"), binding("lbl-2", mode="MUTUAL", ca="CA1")]
    assert replacement_settings({(None, None)}, mutual) == ("MUTUAL", "CA1")
    assert replacement_settings({("UNIDIRECTIONAL", None)}, mutual) == ("UNIDIRECTIONAL", None)
    assert replacement_settings({(None, "CA2")}, mutual) == ("MUTUAL", "CA2")
    assert replacement_settings({(None, None)}, []) == ("UNIDIRECTIONAL", None)


def test_a_replacement_refuses_to_guess():
    mixed = [binding("lbl-1", mode="MUTUAL", ca="CA1"), binding("lbl-2")]
    with pytest.raises(ClbError, match="different mutual TLS settings"):
        replacement_settings({(None, None)}, mixed)
    assert replacement_settings({("MUTUAL", "CA1")}, mixed) == ("MUTUAL", "CA1")
    with pytest.raises(ClbError, match="ask for different ssl_mode/ca_certificate_id"):
        replacement_settings({("MUTUAL", "CA1"), (None, None)}, mixed)
    with pytest.raises(ClbError, match="ssl_mode MUTUAL needs ca_certificate_id"):
        replacement_settings({("MUTUAL", None)}, [binding("lbl-2")])


def test_a_write_to_one_listener_takes_the_options_else_what_it_has():
    assert binding_settings(None, None, binding("lbl-1", mode="MUTUAL", ca="CA1")) == ("MUTUAL", "CA1")
    assert binding_settings("UNIDIRECTIONAL", None, binding("lbl-1", mode="MUTUAL", ca="CA1")) == ("UNIDIRECTIONAL", None)
    assert binding_settings(None, None, binding("lbl-1", mode=None)) == ("UNIDIRECTIONAL", None)
    with pytest.raises(ClbError, match="needs ca_certificate_id"):
        binding_settings("MUTUAL", None, binding("lbl-1"))


def test_the_bindings_after_a_replacement():
    held = [binding("lbl-1", cert="OLD1"), binding("lbl-2", cert="NEW1"), binding("lbl-3", cert="OTHER")]
    after = [rebound(b, "NEW1", ["OLD1"], lambda b: ("MUTUAL", "CA1")) for b in held]
    assert [(b["cert_id"], b["ssl_mode"], b["cert_ca_id"]) for b in after] == [
        ("NEW1", "MUTUAL", "CA1"), ("NEW1", "UNIDIRECTIONAL", None), ("OTHER", "UNIDIRECTIONAL", None)]


def test_a_write_sends_the_client_ca_only_with_mutual_tls():
    assert certificate_input(None, "NEW1", "CA1") == {"SSLMode": "UNIDIRECTIONAL", "CertId": "NEW1"}
    assert certificate_input("MUTUAL", "NEW1", "CA1") == {"SSLMode": "MUTUAL", "CertId": "NEW1", "CertCaId": "CA1"}
