# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit role's filters: the endpoints to read, what they hold, their TLS targets, each endpoint's state, the
report's lines, summary and Prometheus metrics."""

from __future__ import annotations

import datetime

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.certops.cloud.plugins.filter import audit
from ansible_collections.certops.cloud.plugins.module_utils._providers import NAMES, PROVIDERS

NOW = datetime.datetime(2026, 6, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)
HELD_FP = "cd" * 32
OTHER_FP = "ff" * 32
CHAIN_FP = "ee" * 32
SETTINGS = {
    "prod-gateway": {"provider": "tse", "gateway_id": "gw-1", "id": "cert-entry-1", "region": "ap-guangzhou"},
    "gaap-x": {"provider": "gaap", "listener_id": "lsr-1", "domain": "global.example.com"},
    "web-lb-1": {"provider": "clb", "load_balancer_id": "lb-1", "listener_id": "lbl-1"},
    "www.example.com": {"provider": "esa", "site_id": 1, "id": "2"},
}
METRIC_NAMES = ["certops_certificate_not_after_seconds", "certops_certificate_served_matches", "certops_certificate_chain_valid",
                "certops_audit_endpoint_state", "certops_audit_last_run_timestamp_seconds"]


def at(days):
    """A not_after ``days`` after NOW, as the modules write it."""
    return (NOW + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(value):
    return int(datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp())


def read_entry(fingerprint=HELD_FP, not_after=None, names=("*.example.com",), cert_id="OLD1", server_names=(), failed=False, msg=""):
    """One entry of a read run's ``endpoints``, as a read-only endpoint module returns it."""
    summary = {"before_id": cert_id, "before_fingerprint": fingerprint, "before_not_after": not_after or at(90),
               "before_subject": "CN=%s" % names[0] if names else None, "before_subject_alt_names": list(names),
               "after_id": None, "after_fingerprint": None, "after_not_after": None}
    return {"changed": False, "failed": failed, "msg": msg, "summary": summary, "server_names": list(server_names)}


def holds(fingerprint=HELD_FP, not_after=None, names=("*.example.com",), cert_id="OLD1", server_names=(), failed=False, msg=""):
    """What audit_held gives one endpoint."""
    return {"id": cert_id, "fingerprint": fingerprint, "not_after": not_after or at(90), "subject": "CN=%s" % names[0] if names else None,
            "subject_alt_names": list(names), "failed": failed, "msg": msg, "server_names": list(server_names)}


def serves(fingerprint=HELD_FP, not_after=None, subject="CN=*.example.com", chain_matches=True, chain_valid=None, error=None):
    """One entry of served_certificate's ``endpoints``; no fingerprint: no TLS answer."""
    if not fingerprint:
        return {"fingerprint_sha256": None, "certificate": None, "chain": None, "chain_matches": None, "chain_valid": None,
                "error": error}
    return {"fingerprint_sha256": fingerprint, "certificate": {"not_after": not_after or at(90), "subject": subject},
            "chain": [{"subject": "CN=intermediate", "fingerprint_sha256": CHAIN_FP, "not_after": at(900)}],
            "chain_matches": chain_matches, "chain_valid": chain_valid, "attempts": 1, "error": error}


def report(cases, verify=True, warn_days=30, fail_days=7, now=NOW):
    """The rows, by label, of ESA endpoints labelled by the name they serve: {label: (held, served entry or None)}."""
    checked = audit.audit_endpoints(dict((label, {"provider": "esa", "site_id": 1, "id": label}) for label in cases))
    held = dict((label, one) for label, (one, dummy) in cases.items())
    served = {"changed": False, "endpoints": dict((label, entry) for label, (dummy, entry) in cases.items() if entry is not None)}
    tls = {"targets": [], "problems": {}, "names": dict((label, label) for label in cases)}
    rows = audit.audit_report(list(cases), checked, held, served, tls, verify, warn_days, fail_days, now)
    return dict((row["endpoint"], row) for row in rows)


def metrics(text):
    """The metrics text parsed by the Prometheus client library, by family name (requirements-dev.txt pins it; the
    ansible-core 2.16 venv has not got it, and skips the tests that parse)."""
    parser = pytest.importorskip("prometheus_client.parser")
    return dict((family.name, family) for family in parser.text_string_to_metric_families(text))


# --- audit_endpoints ---------------------------------------------------------------------------------------------------

def test_endpoints_describe_the_good_ones_and_say_what_is_wrong_with_the_others():
    settings = dict(SETTINGS, **{
        "typo": {"provider": "tse", "gateway_id": "gw-1", "id": "c", "sever_name": "www.example.com"},
        "half": {"provider": "gaap", "listener_id": "lsr-1"},
        "nope": {"provider": "aws"},
        "unset": None,
    })
    checked = audit.audit_endpoints(settings, "", "8443")
    assert sorted(checked["problems"]) == ["half", "nope", "typo", "unset"]
    assert "unknown key sever_name (did you mean server_name?)" in checked["problems"]["typo"]
    assert checked["problems"]["half"] == "certops_endpoint of provider gaap misses domain"
    assert checked["problems"]["nope"].startswith("unknown provider 'aws'")
    assert checked["problems"]["unset"] == "certops_endpoint is not set"
    assert sorted(checked["endpoints"]) == sorted(SETTINGS)
    gaap = checked["endpoints"]["gaap-x"]
    assert gaap["provider"] == "gaap" and gaap["entry"] == {"listener_id": "lsr-1", "domain": "global.example.com"}
    assert gaap["target"] == {"name": "gaap-x", "host": "global.example.com", "port": 8443, "server_name": "global.example.com"}
    # No name of its own: left empty (TSE and CLB take it from their read, ESA from its certificate, see audit_targets)
    assert [checked["endpoints"][label]["server_name"] for label in ("prod-gateway", "web-lb-1", "www.example.com")] == [None, None, None]
    assert checked["providers"] == {"tse": ["prod-gateway"], "gaap": ["gaap-x"], "teo": [], "clb": ["web-lb-1"], "esa": ["www.example.com"]}
    assert list(checked["providers"]) == list(NAMES)


def test_endpoints_take_the_verify_host_and_port():
    checked = audit.audit_endpoints({"gaap-x": SETTINGS["gaap-x"],
                                     "own": dict(SETTINGS["gaap-x"], verify_host="10.0.0.2", verify_port=9443)}, "127.0.0.1", 8443)
    assert checked["endpoints"]["gaap-x"]["target"]["host"] == "127.0.0.1" and checked["endpoints"]["gaap-x"]["target"]["port"] == 8443
    assert (checked["endpoints"]["own"]["target"]["host"], checked["endpoints"]["own"]["target"]["port"]) == ("10.0.0.2", 9443)
    assert audit.audit_endpoints(None) == {"endpoints": {}, "problems": {}, "providers": dict((name, []) for name in NAMES), "named": {}}
    with pytest.raises(AnsibleFilterError, match="settings must be a dict"):
        audit.audit_endpoints(["prod-gateway"])


# --- audit_read_runs ---------------------------------------------------------------------------------------------------

def test_read_runs_read_each_provider_once_and_write_nothing():
    checked = audit.audit_endpoints(dict(SETTINGS, **{"prod-gateway-2": {"provider": "tse", "gateway_id": "gw-1", "id": "cert-entry-2"}}))
    runs = audit.audit_read_runs(checked, "2")
    assert [run["name"] for run in runs] == ["tse", "gaap", "clb", "esa"]  # provider order; TEO has no endpoints
    for run in runs:
        assert run["module"] == PROVIDERS[run["name"]].bind_fqcn
        assert run["args"]["read_only"] is True and run["args"]["batch_concurrency"] == 2
    tse = runs[0]
    assert tse["module"] == "certops.cloud.tencentcloud_tse_gateway_certificate"
    assert tse["args"] == {"batch": [{"gateway_id": "gw-1", "id": "cert-entry-1", "region": "ap-guangzhou"},
                                     {"gateway_id": "gw-1", "id": "cert-entry-2"}],
                           "read_only": True, "batch_concurrency": 2}
    assert runs[2]["args"]["batch"] == [{"load_balancer_id": "lb-1", "listener_id": "lbl-1"}]
    assert "certificate_id" not in runs[2]["args"] and "require_in_use" not in runs[2]["args"]  # nothing to bind
    assert audit.audit_read_runs(checked)[0]["args"]["batch_concurrency"] == 4
    assert audit.audit_read_runs(audit.audit_endpoints({"bad": {"provider": "tse"}})) == []


# --- audit_held --------------------------------------------------------------------------------------------------------

def test_held_takes_each_endpoints_summary_and_its_read():
    checked = audit.audit_endpoints(dict(SETTINGS, **{"prod-gateway-2": {"provider": "tse", "gateway_id": "gw-1", "id": "cert-entry-2"}}))
    results = {
        "tse": {"changed": False, "endpoints": [read_entry(server_names=["api.example.com"]),
                                                read_entry(failed=True, msg="certificate entry cert-entry-2 not found")]},
        "gaap": {"changed": False, "endpoints": [read_entry(fingerprint=OTHER_FP, cert_id="GAAP1", not_after=at(10))]},
        "clb": {"failed": True, "msg": "clb: AuthFailure.SignatureFailure: the signature is wrong"},  # no endpoints list
        "esa": {"skipped": True},
    }
    held = audit.audit_held(checked, results)
    assert list(held) == ["prod-gateway", "prod-gateway-2", "gaap-x", "web-lb-1", "www.example.com"]
    assert held["prod-gateway"] == {"id": "OLD1", "fingerprint": HELD_FP, "not_after": at(90), "subject": "CN=*.example.com",
                                    "subject_alt_names": ["*.example.com"], "failed": False, "msg": "",
                                    "server_names": ["api.example.com"]}
    assert held["prod-gateway-2"]["failed"] is True and held["prod-gateway-2"]["msg"] == "certificate entry cert-entry-2 not found"
    assert (held["gaap-x"]["id"], held["gaap-x"]["fingerprint"], held["gaap-x"]["not_after"]) == ("GAAP1", OTHER_FP, at(10))
    assert held["web-lb-1"] == {"id": None, "fingerprint": None, "not_after": None, "subject": None, "subject_alt_names": None,
                                "failed": True, "msg": "clb: AuthFailure.SignatureFailure: the signature is wrong", "server_names": []}
    assert held["www.example.com"]["failed"] is True and held["www.example.com"]["msg"] == "not read"


def test_held_fails_every_endpoint_of_a_run_without_one_entry_each():
    checked = audit.audit_endpoints({"a": {"provider": "esa", "site_id": 1, "id": "1"}, "b": {"provider": "esa", "site_id": 1, "id": "2"}})
    held = audit.audit_held(checked, {"esa": {"failed": True, "msg": "esa: throttled", "endpoints": [read_entry()]}})  # one of two
    assert [(one["failed"], one["msg"]) for one in held.values()] == [(True, "esa: throttled"), (True, "esa: throttled")]
    unread = dict(holds(), id=None, fingerprint=None, not_after=None, subject=None, subject_alt_names=None, failed=True, msg="not read")
    assert audit.audit_held(checked, {}) == {"a": unread, "b": unread}
    with pytest.raises(AnsibleFilterError, match="results must be a dict"):
        audit.audit_held(checked, [read_entry()])


# --- audit_targets -----------------------------------------------------------------------------------------------------

def test_targets_take_the_name_each_endpoint_serves():
    checked = audit.audit_endpoints({
        "gaap-x": SETTINGS["gaap-x"],
        "named": {"provider": "tse", "gateway_id": "gw-1", "id": "c-2", "server_name": "www.example.com", "verify_host": "10.0.0.9"},
        "prod-gateway": SETTINGS["prod-gateway"],
        "web-lb-1": {"provider": "clb", "load_balancer_id": "lb-1"},
        "shop-lb": {"provider": "clb", "load_balancer_id": "lb-2"},
        "www.example.org": {"provider": "esa", "site_id": 1, "id": "3"},
    }, verify_port=8443)
    held = {"gaap-x": holds(names=["other.example.net"]),  # its own name, whatever the certificate
            "named": holds(server_names=["api.example.com"]),  # its own name before the one its read returned
            "prod-gateway": holds(server_names=["api.example.com", "x.example.com"]),  # the first name its read returned
            "web-lb-1": holds(names=["*.example.net"]),  # a CLB listener without SNI: a name its certificate covers
            "shop-lb": holds(names=["*.example.net", "shop.example.net"]),  # its first name that is not a wildcard
            "www.example.org": holds(names=["*.example.org"])}  # the label, which its certificate covers
    tls = audit.audit_targets(held, checked)
    assert tls["problems"] == {}
    assert tls["names"] == {"gaap-x": "global.example.com", "named": "www.example.com", "prod-gateway": "api.example.com",
                            "web-lb-1": "www.example.net", "shop-lb": "shop.example.net", "www.example.org": "www.example.org"}
    by_name = dict((target["name"], target) for target in tls["targets"])
    assert by_name["prod-gateway"] == {"name": "prod-gateway", "host": "api.example.com", "port": 8443, "server_name": "api.example.com"}
    assert by_name["named"] == {"name": "named", "host": "10.0.0.9", "port": 8443, "server_name": "www.example.com"}
    assert not any("expected_fingerprint" in target or "expected_chain" in target for target in tls["targets"])  # the audit compares


def test_a_label_the_held_certificate_does_not_cover_cannot_be_checked():
    checked = audit.audit_endpoints({"esa-site": {"provider": "esa", "site_id": 1, "id": "2"},
                                     "prod-gateway": SETTINGS["prod-gateway"],
                                     "web-lb-1": {"provider": "clb", "load_balancer_id": "lb-1"}})
    tls = audit.audit_targets({"esa-site": holds(names=["a.example.org", "b.example.org"]), "prod-gateway": holds(),
                               "web-lb-1": holds(names=[])}, checked)
    assert tls["targets"] == [] and tls["names"] == {}
    assert tls["problems"]["esa-site"] == (
        "nothing to check over TLS: the endpoint serves no name of its own and its certificate (names a.example.org, b.example.org) "
        "does not cover its inventory host name esa-site; set certops_endpoint.server_name, or audit_verify: false")
    assert "certops_endpoint.server_name" in tls["problems"]["prod-gateway"]  # no name from its read, *.example.com misses it
    assert "(names unknown)" in tls["problems"]["web-lb-1"]  # any name, but its certificate names none


def test_targets_skip_the_endpoints_whose_read_failed():
    checked = audit.audit_endpoints({"gaap-x": SETTINGS["gaap-x"], "esa-site": {"provider": "esa", "site_id": 1, "id": "2"},
                                     "www.example.com": SETTINGS["www.example.com"]})
    held = audit.audit_held(checked, {"gaap": {"failed": True, "msg": "gaap: timed out"},
                                      "esa": {"endpoints": [read_entry(failed=True, msg="site 1: no such certificate"), read_entry()]}})
    tls = audit.audit_targets(held, checked)
    assert [target["name"] for target in tls["targets"]] == ["www.example.com"]
    assert tls["problems"] == {} and tls["names"] == {"www.example.com": "www.example.com"}


# --- audit_report ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("held, served, state, message", [
    pytest.param(holds(), serves(), "ok", "expires in 90 days (2026-08-30)", id="ok"),
    pytest.param(holds(not_after=at(30)), serves(not_after=at(30)), "ok", "expires in 30 days (2026-07-01)", id="ok-at-warn-days"),
    pytest.param(holds(not_after=at(20)), serves(not_after=at(20)), "expiring", "expires in 20 days (2026-06-21), within audit_warn_days 30",
                 id="expiring"),
    pytest.param(holds(not_after=at(7)), serves(not_after=at(7)), "expiring", "expires in 7 days (2026-06-08), within audit_warn_days 30",
                 id="expiring-at-fail-days"),
    pytest.param(holds(not_after=at(3)), serves(not_after=at(3)), "expiring_soon",
                 "expires in 3 days (2026-06-04), within audit_fail_days 7", id="expiring_soon"),
    pytest.param(holds(not_after=at(1.5)), serves(not_after=at(1.5)), "expiring_soon",
                 "expires in 1 day (2026-06-03), within audit_fail_days 7", id="expiring_soon-1-day"),
    pytest.param(holds(not_after=at(-2)), serves(not_after=at(-2)), "expired", "expired 2 days ago (2026-05-30)", id="expired"),
    pytest.param(holds(not_after=at(-0.25)), serves(not_after=at(-0.25)), "expired", "expired 1 day ago (2026-06-01)",
                 id="expired-hours-ago"),
    pytest.param(holds(), serves(fingerprint=OTHER_FP, subject="CN=old.example.com", not_after=at(200)), "drift",
                 "serves ffffffffffffffff (CN=old.example.com, expires 2026-12-18), not the certificate it holds, OLD1 cdcdcdcdcdcdcdcd",
                 id="drift"),
    pytest.param(holds(), serves(chain_matches=False, error="incomplete chain (the endpoint sends the leaf alone): missing CN=intermediate"),
                 "chain", "incomplete chain (the endpoint sends the leaf alone): missing CN=intermediate; expires in 90 days (2026-08-30)",
                 id="chain"),
    pytest.param(holds(), serves(chain_valid=False, error="does not validate to the trust anchors: unable to get local issuer"),
                 "chain", "does not validate to the trust anchors: unable to get local issuer; expires in 90 days (2026-08-30)",
                 id="chain-not-valid"),
    pytest.param(holds(), serves(chain_matches=False), "chain", "the served chain is wrong; expires in 90 days (2026-08-30)",
                 id="chain-without-error"),
    pytest.param(holds(), serves(fingerprint=None, error="connection refused"), "unreachable", "connection refused", id="unreachable"),
    pytest.param(holds(), serves(fingerprint=None), "unreachable", "no TLS answer", id="unreachable-without-error"),
    pytest.param(holds(), dict(serves(), certificate={"subject": "CN=x"}), "ok", "expiry unknown", id="expiry-unknown"),
])
def test_report_gives_each_endpoint_its_state(held, served, state, message):
    row = report({"www.example.com": (held, served)})["www.example.com"]
    assert (row["state"], row["message"]) == (state, message)
    assert row["failed"] is (state in ("expiring_soon", "expired", "drift", "chain", "unreachable", "error"))
    assert row["verified"] is True and row["server_name"] == "www.example.com" and row["provider"] == "esa"


def test_report_rows_hold_what_was_held_and_served():
    by = report({"ok.example.com": (holds(), serves()),
                 "drift.example.com": (holds(), serves(fingerprint=OTHER_FP, chain_matches=True, chain_valid=True, not_after=at(-1))),
                 "chain.example.com": (holds(), serves(chain_matches=False, error="out of order")),
                 "down.example.com": (holds(), serves(fingerprint=None, error="timed out"))})
    ok = by["ok.example.com"]
    assert ok == {"endpoint": "ok.example.com", "provider": "esa", "state": "ok", "failed": False, "message": "expires in 90 days (2026-08-30)",
                  "server_name": "ok.example.com", "held_id": "OLD1", "held_fingerprint": HELD_FP, "held_not_after": at(90),
                  "held_subject": "CN=*.example.com", "held_subject_alt_names": ["*.example.com"], "served_fingerprint": HELD_FP,
                  "served_not_after": at(90), "served_subject": "CN=*.example.com", "served_chain": [CHAIN_FP], "served_matches": True,
                  "chain_valid": True, "days_left": 90, "verified": True}
    drift = by["drift.example.com"]
    assert (drift["served_matches"], drift["chain_valid"], drift["days_left"]) == (False, True, None)  # no expiry counted on drift
    assert (by["chain.example.com"]["served_matches"], by["chain.example.com"]["chain_valid"]) == (True, False)
    down = by["down.example.com"]
    assert (down["served_fingerprint"], down["served_chain"], down["served_matches"], down["chain_valid"]) == (None, None, None, None)
    assert down["verified"] is True  # the TLS check ran for it, and got no answer


def test_report_errors():
    checked = audit.audit_endpoints({"broken": {"provider": "tse", "gateway_id": "gw-1"}, "unread.example.com": SETTINGS["www.example.com"],
                                     "esa-site": SETTINGS["www.example.com"], "www.example.com": SETTINGS["www.example.com"]})
    held = {"unread.example.com": holds(failed=True, msg="site 1: AccessDenied"), "esa-site": holds(), "www.example.com": holds()}
    tls = {"problems": {"esa-site": "nothing to check over TLS: ..."}, "names": {"www.example.com": "www.example.com"}}
    labels = ["broken", "unread.example.com", "esa-site", "www.example.com", "gone"]
    by = dict((row["endpoint"], row) for row in audit.audit_report(labels, checked, held, {"failed": True, "msg": "ca_path: no such file"},
                                                                   tls, now=NOW))
    assert all(row["state"] == "error" and row["failed"] is True for row in by.values())
    assert by["broken"]["message"] == "certops_endpoint of provider tse misses id" and by["broken"]["provider"] == "tse"
    assert by["unread.example.com"]["message"] == "site 1: AccessDenied"
    assert by["esa-site"]["message"] == "nothing to check over TLS: ..."
    assert by["www.example.com"]["message"] == "the TLS check did not run: ca_path: no such file"
    assert by["gone"]["message"] == "not read"  # an inventory host the play did not check
    assert not any(row["verified"] for row in by.values())
    skipped = audit.audit_report(["www.example.com"], checked, held, None, tls, now=NOW)[0]
    assert (skipped["state"], skipped["message"]) == ("error", "the TLS check did not run: no result")


def test_report_precedence():
    by = report({"drift-expired.example.com": (holds(not_after=at(-5)), serves(fingerprint=OTHER_FP, not_after=at(-5), chain_matches=False)),
                 "expired-chain.example.com": (holds(not_after=at(-5)), serves(not_after=at(-5), chain_matches=False, error="leaf alone")),
                 "soon-chain.example.com": (holds(not_after=at(3)), serves(not_after=at(3), chain_matches=False, error="leaf alone"))})
    assert by["drift-expired.example.com"]["state"] == "drift"  # drift beats expired
    assert by["expired-chain.example.com"]["state"] == "expired"  # expired beats chain
    assert by["expired-chain.example.com"]["chain_valid"] is False
    assert by["soon-chain.example.com"]["state"] == "chain"  # chain beats expiring_soon
    assert by["soon-chain.example.com"]["message"] == "leaf alone; expires in 3 days (2026-06-04), within audit_fail_days 7"


def test_report_without_verify_takes_what_each_endpoint_holds():
    cases = {"drift.example.com": (holds(not_after=at(20)), serves(fingerprint=OTHER_FP, not_after=at(300))),
             "chain.example.com": (holds(), serves(chain_matches=False, chain_valid=False, error="leaf alone")),
             "down.example.com": (holds(not_after=at(-1)), serves(fingerprint=None, error="timed out")),
             "never.example.com": (holds(), None)}
    by = report(cases, verify=False)
    assert [(row["state"], row["message"]) for row in by.values()] == [
        ("expiring", "expires in 20 days (2026-06-21), within audit_warn_days 30"), ("ok", "expires in 90 days (2026-08-30)"),
        ("expired", "expired 1 day ago (2026-05-31)"), ("ok", "expires in 90 days (2026-08-30)")]
    for row in by.values():
        assert row["verified"] is False
        assert (row["served_fingerprint"], row["served_not_after"], row["served_matches"], row["chain_valid"]) == (None, None, None, None)


def test_report_thresholds_and_now():
    cases = {"www.example.com": (holds(not_after=at(20)), serves(not_after=at(20)))}
    assert report(cases, warn_days="10", fail_days="5")["www.example.com"]["state"] == "ok"
    assert report(cases, warn_days=60, fail_days=21)["www.example.com"]["state"] == "expiring_soon"
    assert report(cases, now=NOW.timestamp()) == report(cases)  # a Unix time
    assert report(cases, now=NOW + datetime.timedelta(days=25))["www.example.com"]["state"] == "expired"
    assert isinstance(report(cases, now=None)["www.example.com"]["days_left"], int)  # the current time


# --- audit_host_results, audit_summary, audit_report_lines -----------------------------------------------------------

@pytest.mark.parametrize("state, failed", [("ok", False), ("expiring", False), ("expiring_soon", True), ("expired", True), ("drift", True),
                                           ("chain", True), ("unreachable", True), ("error", True)])
def test_host_results_fail_the_failing_states(state, failed):
    outcome = audit.audit_host_results([{"endpoint": "web", "state": state, "message": "why"}])["web"]
    assert outcome["changed"] is False and outcome["failed"] is failed and outcome["msg"] == "web: %s: why" % state
    assert ("warning" in outcome) is (state == "expiring")


def test_host_results_warn_of_an_expiring_endpoint():
    rows = list(report({"a.example.com": (holds(not_after=at(20)), serves(not_after=at(20))), "b.example.com": (holds(), serves())}).values())
    outcomes = audit.audit_host_results(rows)
    assert outcomes["a.example.com"] == {"changed": False, "failed": False,
                                         "msg": "a.example.com: expiring: expires in 20 days (2026-06-21), within audit_warn_days 30",
                                         "warning": "a.example.com: expires in 20 days (2026-06-21), within audit_warn_days 30"}
    assert outcomes["b.example.com"] == {"changed": False, "failed": False, "msg": "b.example.com: ok: expires in 90 days (2026-08-30)"}
    assert audit.audit_host_results([{"endpoint": "c", "state": "error", "message": ""}])["c"]["msg"] == "c: error"
    assert audit.audit_host_results(None) == {}


def test_summary_counts_every_state():
    rows = [{"state": state} for state in ("ok", "ok", "expiring", "drift", "error", "error", "error")]
    assert audit.audit_summary(rows) == {"ok": 2, "expiring": 1, "expiring_soon": 0, "expired": 0, "drift": 1, "chain": 0, "unreachable": 0,
                                         "error": 3, "endpoints": 7, "failed": 4}
    assert audit.audit_summary([]) == dict(dict.fromkeys(audit.STATES, 0), endpoints=0, failed=0)
    assert list(audit.audit_summary(None))[:8] == list(audit.STATES)


def test_report_lines_are_one_table_and_a_summary():
    by = report({"www.example.com": (holds(), serves()),
                 "drift.example.com": (holds(not_after=at(20)), serves(fingerprint=OTHER_FP, not_after=at(200), chain_matches=False)),
                 "down.example.com": (holds(), serves(fingerprint=None, error="timed out"))})
    lines = audit.audit_report_lines(list(by.values()))
    assert len(lines) == 5
    assert lines[0].split() == ["endpoint", "provider", "state", "holds", "serves", "expires", "days", "chain", "message"]
    assert lines[1].split()[:8] == ["www.example.com", "esa", "ok", "cdcdcdcdcdcdcdcd", "cdcdcdcdcdcdcdcd", "2026-08-30", "90", "ok"]
    assert lines[1].endswith("  expires in 90 days (2026-08-30)")
    assert lines[2].split()[:8] == ["drift.example.com", "esa", "drift", "cdcdcdcdcdcdcdcd", "ffffffffffffffff", "2026-12-18", "-", "wrong"]
    assert lines[3].split()[:8] == ["down.example.com", "esa", "unreachable", "cdcdcdcdcdcdcdcd", "-", "2026-08-30", "-", "-"]
    assert lines[3].endswith("  timed out")
    assert len({line.index(" esa ") for line in lines[1:4]}) == 1 and lines[0].index("provider") == lines[1].index("esa")  # aligned
    assert lines[0].index("message") == lines[1].index("expires in")
    assert lines[4] == "3 endpoints: ok 1, drift 1, unreachable 1"
    held_only = audit.audit_report_lines(list(report({"www.example.com": (holds(not_after=at(20)), None)}, verify=False).values()))
    assert held_only[1].split()[5:8] == ["2026-06-21", "20", "-"] and held_only[2].endswith(": expiring 1")


# --- audit_metrics -----------------------------------------------------------------------------------------------------

def every_state_report():
    """One endpoint in each state, checked over TLS but the last two."""
    checked = audit.audit_endpoints({"ok.example.com": SETTINGS["www.example.com"], "prod-gateway": SETTINGS["prod-gateway"],
                                     "soon.example.com": SETTINGS["www.example.com"], "expired.example.com": SETTINGS["www.example.com"],
                                     "drift.example.com": SETTINGS["www.example.com"], "chain.example.com": SETTINGS["www.example.com"],
                                     "down.example.com": SETTINGS["www.example.com"], "broken": {"provider": "tse"}})
    held = {"ok.example.com": holds(), "prod-gateway": holds(not_after=at(20)), "soon.example.com": holds(not_after=at(3)),
            "expired.example.com": holds(not_after=at(-2)), "drift.example.com": holds(), "chain.example.com": holds(),
            "down.example.com": holds()}
    served = {"endpoints": {"ok.example.com": serves(not_after=at(91)), "prod-gateway": serves(not_after=at(20)),
                            "soon.example.com": serves(not_after=at(3)), "expired.example.com": serves(not_after=at(-2)),
                            "drift.example.com": serves(fingerprint=OTHER_FP, not_after=at(200)),
                            "chain.example.com": serves(chain_matches=False, error="leaf alone"),
                            "down.example.com": serves(fingerprint=None, error="timed out")}}
    names = dict((label, label) for label in served["endpoints"])
    names["prod-gateway"] = "api.example.com"
    return audit.audit_report(list(checked["endpoints"]) + ["broken"], checked, held, served, {"names": names}, now=NOW)


def test_metrics_parse_and_have_every_family():
    rows = every_state_report()
    assert [row["state"] for row in rows] == ["ok", "expiring", "expiring_soon", "expired", "drift", "chain", "unreachable", "error"]
    text = audit.audit_metrics(rows, NOW)
    assert text.endswith("\n")
    families = metrics(text)
    assert list(families) == METRIC_NAMES
    for name, family in families.items():
        assert family.type == "gauge" and family.documentation
        assert "# HELP %s " % name in text and "# TYPE %s gauge\n" % name in text
    (last_run,) = families["certops_audit_last_run_timestamp_seconds"].samples
    assert (last_run.labels, last_run.value) == ({}, NOW.timestamp())


def test_metrics_give_every_endpoint_one_sample_per_state():
    rows = every_state_report()
    samples = metrics(audit.audit_metrics(rows, NOW))["certops_audit_endpoint_state"].samples
    for row in rows:
        mine = [sample for sample in samples if sample.labels["endpoint"] == row["endpoint"]]
        assert sorted(sample.labels["state"] for sample in mine) == sorted(audit.STATES)
        assert [sample.labels["state"] for sample in mine if sample.value == 1] == [row["state"]]
        assert sum(sample.value for sample in mine) == 1
        # no server_name: it may come from a read or a TLS target that a failing endpoint does not have
        assert all(set(sample.labels) == {"endpoint", "provider", "state"} for sample in mine)
    gateway = [sample for sample in samples if sample.labels["endpoint"] == "prod-gateway"]
    assert gateway[0].labels["provider"] == "tse"
    broken = [sample for sample in samples if sample.labels["endpoint"] == "broken"]
    assert broken[0].labels["provider"] == "tse"  # the provider it names, although it is not configured right


def test_metrics_expiry_is_what_is_served_else_what_is_held():
    rows = every_state_report()
    not_after = dict((sample.labels["endpoint"], sample)
                     for sample in metrics(audit.audit_metrics(rows, NOW))["certops_certificate_not_after_seconds"].samples)
    assert not_after["ok.example.com"].value == epoch(at(91))  # served, not held (at(90))
    assert not_after["ok.example.com"].labels == {"endpoint": "ok.example.com", "provider": "esa", "server_name": "ok.example.com",
                                                  "fingerprint_sha256": HELD_FP}
    assert (not_after["drift.example.com"].value, not_after["drift.example.com"].labels["fingerprint_sha256"]) == (epoch(at(200)), OTHER_FP)
    assert not_after["down.example.com"].value == epoch(at(90))  # no TLS answer: what it holds
    assert "broken" not in not_after  # nothing known
    held_only = report({"www.example.com": (holds(not_after=at(20)), None)}, verify=False)
    (sample,) = metrics(audit.audit_metrics(list(held_only.values()), NOW))["certops_certificate_not_after_seconds"].samples
    assert sample.value == epoch(at(20))


def test_metrics_served_and_chain_samples_only_for_endpoints_checked_over_tls():
    rows = every_state_report()
    families = metrics(audit.audit_metrics(rows, NOW))
    matches = dict((s.labels["endpoint"], s.value) for s in families["certops_certificate_served_matches"].samples)
    chain = dict((s.labels["endpoint"], s.value) for s in families["certops_certificate_chain_valid"].samples)
    assert matches == {"ok.example.com": 1, "prod-gateway": 1, "soon.example.com": 1, "expired.example.com": 1, "drift.example.com": 0,
                       "chain.example.com": 1}  # not down.example.com (no answer) nor broken
    assert chain == {"ok.example.com": 1, "prod-gateway": 1, "soon.example.com": 1, "expired.example.com": 1, "drift.example.com": 1,
                     "chain.example.com": 0}
    held_only = audit.audit_metrics(list(report({"www.example.com": (holds(), serves())}, verify=False).values()), NOW)
    families = metrics(held_only)
    assert families["certops_certificate_served_matches"].samples == [] and families["certops_certificate_chain_valid"].samples == []
    assert len(families["certops_certificate_not_after_seconds"].samples) == 1
    assert "certops_certificate_served_matches{" not in held_only and "certops_certificate_chain_valid{" not in held_only
    unverified = {"endpoint": "x", "provider": "esa", "state": "ok", "verified": False, "served_fingerprint": HELD_FP, "served_matches": True,
                  "chain_valid": True}  # whatever the row says it served: not checked over TLS
    families = metrics(audit.audit_metrics([unverified], NOW))
    assert families["certops_certificate_served_matches"].samples == [] and families["certops_certificate_chain_valid"].samples == []


def test_metrics_label_values_round_trip():
    label = 'odd "host"\\name\nnext line'
    rows = [{"endpoint": label, "provider": "esa", "server_name": 'sni\\"x"', "state": "ok", "verified": True, "served_fingerprint": "ab",
             "served_not_after": at(10), "served_matches": True, "chain_valid": False}]
    text = audit.audit_metrics(rows, NOW)
    assert "\nnext line" not in text  # one sample per line
    for family in metrics(text).values():
        for sample in family.samples:
            if family.name != "certops_audit_last_run_timestamp_seconds":
                assert sample.labels["endpoint"] == label
                assert sample.labels.get("server_name", 'sni\\"x"') == 'sni\\"x"'


STATE_INPUTS = {  # what an endpoint holds and serves (None: its read failed) to be in each state
    "ok": (holds(), serves()),
    "expiring": (holds(not_after=at(20)), serves(not_after=at(20))),
    "expiring_soon": (holds(not_after=at(3)), serves(not_after=at(3))),
    "expired": (holds(not_after=at(-3)), serves(not_after=at(-3))),
    "drift": (holds(), serves(fingerprint=OTHER_FP)),
    "chain": (holds(), serves(chain_matches=False, error="leaf alone")),
    "unreachable": (holds(), serves(fingerprint=None, error="timed out")),
    "error": (holds(failed=True, msg="site 1: AccessDenied"), None),
}


def states_report(states):
    """A report of ESA endpoints in the given states ({label: state}), the TLS targets as audit_targets finds them."""
    checked = audit.audit_endpoints(dict((label, SETTINGS["www.example.com"]) for label in states))
    held = dict((label, STATE_INPUTS[state][0]) for label, state in states.items())
    tls = audit.audit_targets(held, checked)
    served = {"endpoints": dict((target["name"], STATE_INPUTS[states[target["name"]]][1]) for target in tls["targets"])}
    rows = audit.audit_report(list(states), checked, held, served, tls, now=NOW)
    assert [row["state"] for row in rows] == list(states.values())
    return rows


def state_label_sets(rows):
    return sorted(tuple(sorted(sample.labels.items()))
                  for sample in metrics(audit.audit_metrics(rows, NOW))["certops_audit_endpoint_state"].samples)


def test_metrics_keep_their_label_sets_from_run_to_run():
    labels = ["a.example.com", "b.example.com", "c.example.com", "d.example.com"]
    one = states_report(dict(zip(labels, ["ok", "drift", "chain", "unreachable"])))
    other = states_report(dict(zip(labels, ["expired", "expiring", "expiring_soon", "ok"])))
    assert state_label_sets(one) == state_label_sets(other)
    assert len(state_label_sets(one)) == len(labels) * len(audit.STATES)


def test_metrics_keep_their_label_sets_when_an_endpoint_cannot_be_read():
    labels = ["a.example.com", "b.example.com"]
    assert state_label_sets(states_report(dict(zip(labels, ["ok", "ok"])))) == state_label_sets(
        states_report(dict(zip(labels, ["error", "ok"]))))
