# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rotate role's filters: bind results, TLS targets, verification, rollback and the report rows."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.certops.cloud.plugins.filter import rotate
from ansible_collections.certops.cloud.plugins.module_utils._providers import describe_endpoint as describe
from ansible_collections.certops.cloud.plugins.module_utils._summary import summary_host_name

NEW = {"fingerprint_sha256": "ab" * 32, "not_after": "2027-03-01T00:00:00Z", "subject_alt_names": ["*.example.com", "example.com"],
       "chain": [{"subject": "CN=intermediate", "fingerprint_sha256": "ee" * 32}]}
OLD_SUMMARY = {"before_id": "OLD1", "before_fingerprint": "cd" * 32, "before_not_after": "2026-12-10T00:00:00Z",
               "after_id": "NEW1", "after_fingerprint": "ab" * 32, "after_not_after": "2027-03-01T00:00:00Z"}


def endpoints(**settings):
    return dict((label, describe(label, value)) for label, value in settings.items())


def test_bind_results_follow_the_hosts_of_each_provider():
    hosts = {"tse": ["a", "b"], "gaap": ["c"], "teo": [], "clb": ["d"], "esa": []}
    results = {"tse": {"endpoints": [{"changed": True, "failed": False}, {"changed": False, "failed": False}]},
               "gaap": {"endpoints": [{"changed": False, "failed": False}]},
               "clb": {"failed": True, "msg": "unsupported parameter"}}
    binds = rotate.rotate_bind_results(hosts, results)
    assert binds["a"]["changed"] is True and binds["b"]["changed"] is False and binds["c"]["changed"] is False
    assert binds["d"] == {"failed": True, "changed": False, "msg": "unsupported parameter"}
    assert list(binds) == ["a", "b", "c", "d"]


def test_a_store_that_failed_fails_the_endpoints_that_need_it_only():
    hosts = {"tse": ["a"], "gaap": ["c"], "esa": ["e"]}
    stores = {"ssl": {"failed": True, "msg": "ssl UploadCertificate failed: AuthFailure.UnauthorizedOperation: permission denied"},
              "gaap": {"changed": True, "certificate_id": "cert-1"}}
    checked = endpoints(a={"provider": "tse", "gateway_id": "g", "id": "i"}, c={"provider": "gaap", "listener_id": "l", "domain": "d"},
                        e={"provider": "esa", "site_id": 1, "id": "2"})
    runs = rotate.rotate_bind_runs(hosts, checked, "", "cert-1", "PEM", "KEY", stores=stores)
    assert [run["name"] for run in runs] == ["gaap", "esa"]  # no TSE run: its store has not got the certificate
    binds = rotate.rotate_bind_results(hosts, {"gaap": {"endpoints": [{"changed": True}]}, "esa": {"endpoints": [{"changed": True}]}}, stores)
    assert binds["a"] == {"failed": True, "changed": False, "msg": "not bound: the certificate could not be put into the ssl store: "
                                                                   "ssl UploadCertificate failed: AuthFailure.UnauthorizedOperation: permission denied"}
    assert binds["c"] == {"changed": True} and binds["e"] == {"changed": True}


def test_bind_results_keep_what_the_later_steps_read():
    clb = {"changed": True, "failed": False, "certificate_id": "OLD1", "server_names": ["www.example.com"], "summary": OLD_SUMMARY,
           "before": {"certificate_id": "OLD1", "certificate_ids": ["OLD1"]}, "after": {"certificate_id": "NEW1"},
           "also_changed": [{"listener_id": "lbl-2"}], "load_balancers": [{"load_balancer_id": "lb-1"}], "tasks": ["t-1"]}
    teo = {"changed": True, "failed": False, "changed_hosts": ["a.example.com"], "before": {"zone_id": "z", "hosts": {}}, "after": {}}
    gaap = {"changed": False, "failed": False, "domains": [{"certificate_id": "OLD2"}], "endpoint": {"domain": "g.example.com"}}
    results = {"clb": {"endpoints": [clb]}, "teo": {"endpoints": [teo]}, "gaap": {"endpoints": [gaap]}}
    binds = rotate.rotate_bind_results({"clb": ["c"], "teo": ["t"], "gaap": ["g"]}, results)
    assert binds["c"] == dict((key, clb[key]) for key in ("changed", "failed", "certificate_id", "server_names", "summary", "before",
                                                          "also_changed"))  # what else the write changed: the endpoint's diff
    assert binds["t"] == {"changed": True, "failed": False, "changed_hosts": ["a.example.com"], "before": {"zone_id": "z", "hosts": {}}}
    assert binds["g"] == {"changed": False, "failed": False, "domains": [{"certificate_id": "OLD2"}]}
    assert "after" in clb  # the module's result itself is left as it is


def test_bind_results_of_a_skipped_run():
    binds = rotate.rotate_bind_results({"esa": ["e"]}, {"esa": {"skipped": True}})
    assert binds["e"]["failed"] is True
    assert "skipped" in binds["e"]["msg"]
    with pytest.raises(AnsibleFilterError, match="results must be a dict"):
        rotate.rotate_bind_results({"esa": ["e"]}, ["not", "a", "dict"])


def test_targets_take_the_name_the_endpoint_serves():
    checked = endpoints(
        prod_gateway={"provider": "tse", "gateway_id": "g", "id": "i", "verify_host": "127.0.0.1", "verify_port": 8443},
        web_lb_1={"provider": "clb", "load_balancer_id": "lb-1"},
        gaap_x={"provider": "gaap", "listener_id": "l", "domain": "global.example.com"},
        named={"provider": "tse", "gateway_id": "g", "id": "j", "server_name": "www.example.com"},
        bare_entry={"provider": "tse", "gateway_id": "g", "id": "k"},
    )
    binds = {"prod_gateway": {"failed": False, "server_names": ["api.example.com", "x.example.com"]},
             "web_lb_1": {"failed": False, "server_names": []},
             "bare_entry": {"failed": False, "server_names": []},
             "gaap_x": {"failed": False},
             "named": {"failed": False, "server_names": ["other.example.com"]},
             "broken": {"failed": True}}
    tls = rotate.rotate_targets(binds, dict(checked, broken={}), NEW)
    by_name = dict((t["name"], t) for t in tls["targets"])
    assert by_name["prod_gateway"] == {"name": "prod_gateway", "host": "127.0.0.1", "port": 8443, "server_name": "api.example.com",
                                       "expected_fingerprint": NEW["fingerprint_sha256"], "expected_chain": ["ee" * 32]}
    assert by_name["gaap_x"]["server_name"] == by_name["gaap_x"]["host"] == "global.example.com"
    assert by_name["named"]["server_name"] == "www.example.com"
    # No name of its own and a label the certificate does not cover: reported, not connected to.
    assert set(tls["problems"]) == {"bare_entry"}
    assert "set certops_endpoint.server_name" in tls["problems"]["bare_entry"]
    # ... unless it serves its certificate to any name (a CLB listener without SNI): a name the certificate covers.
    assert by_name["web_lb_1"]["server_name"] == "example.com" and tls["any_name"] == ["web_lb_1"]
    assert summary_host_name({"subject_alt_names": ["*.example.org"]}) == "www.example.org"
    assert "broken" not in by_name


def test_a_label_that_is_a_covered_name_can_be_checked():
    checked = endpoints(**{"lb.example.com": {"provider": "clb", "load_balancer_id": "lb-1"}})
    tls = rotate.rotate_targets({"lb.example.com": {"failed": False}}, checked, NEW)
    assert tls["problems"] == {}
    assert tls["targets"][0]["server_name"] == "lb.example.com"


def test_verification():
    binds = {"a": {"failed": False}, "b": {"failed": False}, "c": {"failed": True, "msg": "bind failed"}, "d": {"failed": False},
             "e": {"failed": False}}
    served = {"endpoints": {"a": {"error": None}, "b": {"error": "expected certificate abc is not served"}}, "msg": "2 of 2"}
    found = rotate.rotate_verification(binds, served, {"e": "nothing to verify"})
    assert found["verified"] == ["a"]
    assert found["failures"] == {"b": "expected certificate abc is not served", "c": "bind failed", "d": "2 of 2",
                                 "e": "nothing to verify"}
    skipped = rotate.rotate_verification(binds, {"skipped": True, "changed": False})
    assert skipped == {"verified": [], "failures": {"c": "bind failed"}}


def test_undo_and_rolled_back():
    binds = {"a": {"changed": True}, "b": {"changed": False}, "t": {"changed": True}, "u": {"changed": True}}
    failures = {"a": "x", "b": "y", "t": "z", "u": "w"}
    assert rotate.rotate_undo(failures, binds) == ["a", "t", "u"]
    assert rotate.rotate_undo(failures, binds, False) == []
    runs = [{"results": [{"item": "a", "failed": False}]},
            {"results": [{"item": [{"key": "t"}, "h1"], "failed": False}, {"item": [{"key": "t"}, "h2"], "failed": False},
                         {"item": [{"key": "u"}, "h1"], "failed": False}, {"item": [{"key": "u"}, "h2"], "failed": True}]},
            {"skipped": True, "results": []}]
    assert rotate.rotate_rolled_back(["a", "t", "u"], runs) == ["a", "t"]
    runs[1]["results"][3]["msg"] = "permission denied: key AKID1 may not call teo:ModifyHostsCertificate"
    assert rotate.rotate_rollback_errors(["a", "t", "u"], runs) == {"u": "permission denied: key AKID1 may not call teo:ModifyHostsCertificate"}


def test_a_failed_rollback_says_why_in_the_report():
    checked = endpoints(c={"provider": "clb", "load_balancer_id": "lb"})
    rows = rotate.rotate_report(["c"], checked, {"c": {"changed": True, "summary": OLD_SUMMARY}}, {"c": "not served"},
                                rollback_errors={"c": "permission denied: key AKID1 may not call clb:ModifyListener"})
    assert rows[0]["result"] == "failed"
    assert rows[0]["message"] == "not served; the rollback failed too: permission denied: key AKID1 may not call clb:ModifyListener"


def test_report_rows():
    checked = endpoints(t={"provider": "tse", "gateway_id": "g", "id": "i"}, g={"provider": "gaap", "listener_id": "l", "domain": "d.example.com"},
                        e={"provider": "esa", "site_id": 1, "id": "2"}, c={"provider": "clb", "load_balancer_id": "lb"},
                        n={"provider": "teo", "zone_id": "z", "hosts": ["h.example.com"]})
    binds = {"t": {"changed": True, "failed": False, "summary": dict(OLD_SUMMARY, after_id=None)},
             "g": {"changed": False, "failed": False, "summary": dict(OLD_SUMMARY, before_id="G1", before_fingerprint="ab" * 32)},
             "e": {"changed": True, "failed": False, "summary": OLD_SUMMARY},
             "c": {"changed": True, "failed": False, "summary": OLD_SUMMARY},
             "n": {"changed": False, "failed": True, "msg": "zone z was not found"}}
    served = {"endpoints": {
        "t": {"fingerprint_sha256": "ab" * 32, "certificate": {"not_after": "2027-03-01T00:00:00Z"}, "chain_matches": True,
              "chain": [{"subject": "CN=intermediate", "fingerprint_sha256": "ee" * 32, "not_after": "2030-01-01T00:00:00Z"}]},
        "c": {"fingerprint_sha256": "ab" * 32, "certificate": {"not_after": "2027-03-01T00:00:00Z"}, "chain_matches": False, "chain": [],
              "error": "incomplete chain (the endpoint sends the leaf alone): missing CN=intermediate (sha256 eeee)"}}}
    rows = rotate.rotate_report(["t", "g", "e", "c", "n"], checked, binds, {"e": "not served", "c": "not served", "n": "zone z was not found"},
                                verified=["t", "g"], rolled_back=["c"], certificate=NEW, store_ids={"ssl": "NEWSSL", "gaap": "NEWGAAP"},
                                served=served)
    by = dict((row["endpoint"], row) for row in rows)
    assert by["t"]["result"] == "changed" and by["t"]["after_id"] == "NEWSSL" and by["t"]["verified"] is True
    assert by["g"]["result"] == "ok" and by["g"]["after_fingerprint"] == NEW["fingerprint_sha256"]
    assert by["e"]["result"] == "failed" and "no previous key to restore" in by["e"]["message"]
    assert by["e"]["after_fingerprint"] == OLD_SUMMARY["after_fingerprint"]  # failed after a change: what it was set to
    assert by["c"]["result"] == "rolled back"
    assert (by["c"]["after_id"], by["c"]["after_fingerprint"]) == ("OLD1", OLD_SUMMARY["before_fingerprint"])  # restored
    assert by["n"]["result"] == "failed" and by["n"]["after_fingerprint"] is None and by["n"]["message"] == "zone z was not found"
    assert (by["t"]["served_fingerprint"], by["t"]["served_chain"], by["t"]["chain_matched"]) == ("ab" * 32, ["ee" * 32], True)
    assert by["t"]["served_not_after"] == "2027-03-01T00:00:00Z"
    assert (by["c"]["served_chain"], by["c"]["chain_matched"]) == ([], False)  # what it served when verified, before the rollback
    assert by["g"]["served_fingerprint"] is None and by["g"]["chain_matched"] is None  # not checked
    assert set(rows[0]) == set(rotate.SUMMARY_KEYS) | {"endpoint", "provider", "check_mode", "verified", "result", "message",
                                                       "served_fingerprint", "served_not_after", "served_chain", "chain_matched",
                                                       "before_subject", "before_subject_alt_names", "after_subject",
                                                       "after_subject_alt_names", "server_name", "also_changed"}


def test_report_lines_are_one_table():
    rows = [dict(OLD_SUMMARY, endpoint="prod-gateway", provider="tse", result="changed", check_mode=True, message=""),
            dict(dict.fromkeys(rotate.SUMMARY_KEYS), endpoint="x", provider="esa", result="failed", check_mode=False, message="boom",
                 served_fingerprint="ab" * 32, chain_matched=False)]
    lines = rotate.rotate_report_lines(rows)
    assert lines[0].split() == ["endpoint", "provider", "result", "before", "expires", "after", "expires", "served", "chain", "message"]
    assert "abababababababab  wrong  boom" in lines[2]
    assert "would change" in lines[1] and "cdcdcdcdcdcdcdcd" in lines[1] and "2026-12-10" in lines[1]
    assert lines[2].endswith("boom") and " - " in lines[2]
    assert lines[1].index("cdcd") == lines[2].index("-  ", lines[2].index("failed"))


@pytest.mark.parametrize("label, settings, verify, name, names, from_read", [
    ("prod-gateway", {"provider": "tse", "gateway_id": "g", "id": "i"}, True, None, [], True),
    ("prod-gateway", {"provider": "tse", "gateway_id": "g", "id": "i", "server_name": "www.example.com"}, True, "www.example.com",
     ["www.example.com"], False),
    ("gaap-x", {"provider": "gaap", "listener_id": "l", "domain": "global.example.com"}, False, "global.example.com", ["global.example.com"], False),
    ("teo-x", {"provider": "teo", "zone_id": "z", "hosts": ["b.example.com", "a.example.com"]}, True, "b.example.com",
     ["a.example.com", "b.example.com"], False),
    ("web-lb-1", {"provider": "clb", "load_balancer_id": "lb", "domain": "lb.example.com"}, True, "lb.example.com", ["lb.example.com"], False),
    ("esa-site", {"provider": "esa", "site_id": 1, "id": "2"}, True, "esa-site", ["esa-site"], False),
    ("esa-site", {"provider": "esa", "site_id": 1, "id": "2"}, False, None, [], False),
])
def test_endpoint_names(label, settings, verify, name, names, from_read):
    described = describe(label, settings, verify)
    assert (described["server_name"], described["names"], described["name_from_read"]) == (name, names, from_read)
    assert described["target"]["server_name"] == name


def test_cleanup_candidates_and_results():
    checked = endpoints(t={"provider": "tse", "gateway_id": "g", "id": "i", "region": "ap-guangzhou"},
                        n={"provider": "teo", "zone_id": "z", "hosts": ["h1.example.com"]},
                        c={"provider": "clb", "load_balancer_id": "lb", "region": "ap-shanghai"},
                        g={"provider": "gaap", "listener_id": "l", "domain": "d.example.com"})
    binds = {"t": {"changed": True, "before": {"cert_source": "ssl", "cert_id": "OLD1"}},
             "n": {"changed": True, "before": {"hosts": {"h1.example.com": {"cert_ids": ["OLD1", "OLD2"]}}}},
             "c": {"changed": False, "before": {"certificate_ids": ["NEWSSL"]}},
             "g": {"changed": True, "before": {"certificate_id": "default"}}}
    found = rotate.rotate_cleanup_candidates(binds, checked, {"ssl": "NEWSSL", "gaap": "NEWGAAP"})
    assert (found["ssl"], found["gaap"], found["regions"]) == (["OLD1", "OLD2"], [], ["ap-guangzhou", "ap-shanghai"])
    assert [e["provider"] for e in found["endpoints"]] == ["tse", "teo", "gaap"]
    usage = {"usage": {"ssl": {"OLD1": [], "OLD2": ["clb-lb-9-lbl-1"]}, "gaap": {}}}
    runs = {"ssl": {"results": [{"item": "OLD1", "failed": False}]}, "gaap": {"results": []}}
    rows = rotate.rotate_cleanup_results(usage, runs)
    assert rows == [{"store": "ssl", "certificate_id": "OLD2", "result": "kept", "reason": "still bound to clb-lb-9-lbl-1"},
                    {"store": "ssl", "certificate_id": "OLD1", "result": "deleted", "reason": ""}]
    assert rotate.rotate_cleanup_results(usage, runs, check_mode=True)[1]["result"] == "would delete"
    failed = {"ssl": {"results": [{"item": "OLD1", "failed": True, "msg": "cloud resources still use it"}]}}
    assert rotate.rotate_cleanup_results({}, failed)[0]["result"] == "kept"
    assert rotate.rotate_cleanup_line(rows[0]) == "kept ssl OLD2: still bound to clb-lb-9-lbl-1"
    assert rotate.rotate_cleanup_line(rows[1]) == "deleted ssl OLD1"


def test_extra_copies_of_the_new_certificate_are_cleanup_candidates():
    checked = endpoints(g={"provider": "gaap", "listener_id": "l", "domain": "d.example.com"})
    stores = {"ssl": {"copies": ["NEWSSL", "COPYSSL"]}, "gaap": {"copies": ["NEWGAAP"]}}
    found = rotate.rotate_cleanup_candidates({"g": {"changed": False, "before": {"certificate_id": "NEWGAAP"}}}, checked,
                                             {"ssl": "NEWSSL", "gaap": "NEWGAAP"}, stores)
    assert (found["ssl"], found["gaap"]) == (["COPYSSL"], [])


def test_cleanup_regions_are_tencent_cloud_regions_and_a_failed_query_deletes_nothing():
    checked = endpoints(e={"provider": "esa", "site_id": 1, "id": "2", "region": "cn-hangzhou"},
                        c={"provider": "clb", "load_balancer_id": "lb", "region": "ap-guangzhou"})
    found = rotate.rotate_cleanup_candidates({"e": {"changed": True, "before": {}}, "c": {"before": {"certificate_ids": ["OLD1"]}}}, checked)
    assert found["regions"] == ["ap-guangzhou"]
    rows = rotate.rotate_cleanup_results({"failed": True, "msg": "UnsupportedRegion"}, {"ssl": {"results": [{"item": "OLD1"}]}})
    assert [(r["result"], r["reason"]) for r in rows] == [("kept", "nothing deleted: UnsupportedRegion")]


def test_bind_runs_one_per_provider_in_provider_order():
    checked = endpoints(c={"provider": "clb", "load_balancer_id": "lb"}, t={"provider": "tse", "gateway_id": "g", "id": "1"},
                        g={"provider": "gaap", "listener_id": "l", "domain": "a.example", "wait_interval": 0.2})
    hosts = {"clb": ["c"], "tse": ["t"], "gaap": ["g"], "teo": []}
    runs = rotate.rotate_bind_runs(hosts, checked, "SSL1", "GAAP1", "PEM", "KEY", 4)
    assert [run["name"] for run in runs] == ["tse", "gaap", "clb"]  # provider order; TEO has no endpoints
    tse, gaap, clb = runs
    assert tse["module"] == "certops.cloud.tencentcloud_tse_gateway_certificate" and tse["args"]["cert_id"] == "SSL1"
    assert "private_key" not in tse["args"] and tse["args"]["batch"] == [checked["t"]["entry"]]
    assert gaap["args"]["certificate_id"] == "GAAP1" and clb["args"]["require_in_use"] is True
    assert all(run["args"]["batch_concurrency"] == 4 for run in runs)
    hosts["esa"] = ["s"]
    checked.update(endpoints(s={"provider": "esa", "site_id": "1"}))
    assert [run["name"] for run in rotate.rotate_bind_runs(hosts, checked, "SSL1", "GAAP1", "PEM", "KEY", 4)][-1] == "esa"
    overlapping = rotate.rotate_bind_runs(hosts, checked, "SSL1", "GAAP1", "PEM", "KEY", 4, True)
    assert [run["name"] for run in overlapping] == ["esa", "clb", "gaap", "tse"]  # the longest first


def test_bind_runs_before_the_first_upload_give_the_pem():
    checked = endpoints(g={"provider": "gaap", "listener_id": "l", "domain": "a.example", "wait_interval": 0.2},
                        e={"provider": "teo", "zone_id": "z", "hosts": ["a.example"]}, t={"provider": "tse", "gateway_id": "g", "id": "1"})
    runs = dict((run["name"], run) for run in rotate.rotate_bind_runs({"gaap": ["g"], "teo": ["e"], "tse": ["t"]}, checked, "", "", "PEM", "KEY"))
    assert runs["gaap"]["module"].endswith("gaap_domain_certificate") and runs["gaap"]["args"]["certificate"] == "PEM"
    assert runs["teo"]["module"].endswith("teo_hosts_certificate") and runs["teo"]["args"]["private_key"] == "KEY"
    assert runs["tse"]["args"]["certificate"] == "PEM" and runs["tse"]["args"]["private_key"] == "KEY"


def test_store_runs_upload_once_to_each_store_the_providers_need():
    runs = rotate.rotate_store_runs(["esa", "gaap", "clb"], "PEM", "KEY", "pass")
    assert [(run["name"], run["module"]) for run in runs] == [("ssl", "certops.cloud.tencentcloud_ssl_certificate"),
                                                              ("gaap", "certops.cloud.tencentcloud_gaap_certificate")]
    assert runs[0]["args"] == {"certificate": "PEM", "private_key": "KEY", "private_key_passphrase": "pass"}
    assert [run["name"] for run in rotate.rotate_store_runs(["teo"], "PEM", "KEY")] == ["ssl"]
    assert "private_key_passphrase" not in rotate.rotate_store_runs(["gaap"], "PEM", "KEY", "")[0]["args"]
    assert rotate.rotate_store_runs(["esa"], "PEM", "KEY") == []  # ESA takes the certificate itself


def test_bind_results_fail_each_endpoint_of_a_run_that_failed_as_a_whole():
    results = {"tse": {"endpoints": [{"changed": True}]}, "clb": {"failed": True, "msg": "1 of 1 endpoints failed"}}
    binds = rotate.rotate_bind_results({"tse": ["a"], "teo": ["b"], "clb": ["c"]}, results)
    assert binds["a"]["changed"] is True and binds["c"]["msg"] == "1 of 1 endpoints failed"
    assert binds["b"]["failed"] is True and binds["b"]["msg"] == "not bound"


def test_each_endpoint_has_its_own_diff_and_would_change_in_check_mode():
    row = dict(endpoint="web", result="changed", check_mode=True, message="", before_id="OLD1", before_fingerprint="cd" * 32,
               before_subject="CN=www.example.com", before_subject_alt_names=["www.example.com"], before_not_after="2026-12-10T00:00:00Z",
               after_id=None, after_fingerprint="ab" * 32, after_subject="CN=*.example.com", after_subject_alt_names=["*.example.com"],
               after_not_after="2027-03-01T00:00:00Z", also_changed=["lb-2 listener lbl-9"])
    outcome = rotate.rotate_host_results([row, dict(endpoint="same", result="ok", check_mode=True, message="")])
    assert outcome["web"]["msg"] == "web: would change" and outcome["web"]["changed"] is True
    assert outcome["web"]["diff"]["before"] == {"id": "OLD1", "fingerprint": "cd" * 32, "subject": "CN=www.example.com",
                                                "subject_alt_names": ["www.example.com"], "not_after": "2026-12-10T00:00:00Z"}
    assert outcome["web"]["diff"]["after"]["also_changed"] == ["lb-2 listener lbl-9"] and outcome["web"]["diff"]["before_header"] == "web"
    assert "diff" not in outcome["same"] and outcome["same"]["msg"] == "same: ok"
    assert rotate.rotate_store_lines({"ssl": {"changed": True, "certificate_id": None}, "gaap": {"changed": False, "certificate_id": "g1"}},
                                     True) == ["gaap store: found g1", "ssl store: would upload"]


def test_host_results_give_each_endpoint_changed_failed_and_its_line():
    rows = [{"endpoint": "a", "result": "changed", "message": ""}, {"endpoint": "b", "result": "failed", "message": "AuthFailure"},
            {"endpoint": "c", "result": "rolled back", "message": "not served"}, {"endpoint": "d", "result": "ok", "message": ""}]
    by_host = rotate.rotate_host_results(rows)
    assert by_host["a"] == {"changed": True, "failed": False, "msg": "a: changed", "diff": by_host["a"]["diff"]}  # its own diff
    assert by_host["b"] == {"changed": False, "failed": True, "msg": "b: failed: AuthFailure"}
    assert by_host["c"] == {"changed": False, "failed": True, "msg": "c: rolled back: not served"}
    assert by_host["d"] == {"changed": False, "failed": False, "msg": "d: ok"}
