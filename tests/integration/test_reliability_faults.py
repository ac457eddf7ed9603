# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: the rotate role through ansible-playbook while the sandbox injects faults.

Every case runs the real role (``rotate`` from test_role_rotate, one endpoint per provider) with faults
registered in the sandbox (``sandbox_cloud.faults``; the ``sandbox`` fixture's reset clears them), then
checks that the run converged - every endpoint changed and verified over TLS - that faulted calls were
retried within their bounds (``api_retries``), and that no certificate store holds a second copy of the
certificate.  A role run costs some 20 s of CPU, so a run may carry two faults on one action, one after
the other (an InternalError then a 503), or two cases (throttled reads and busy binds).
``test_persistent_write_error`` breaks one endpoint for good; ``test_two_runs_at_once`` starts two runs
together.  The case ids, fault, expected and outcome texts are printed in docs/reliability.md: keep them
free of timings and random ids.
"""

from __future__ import annotations

import collections
import functools
import hashlib
import threading

from harness import Playbook
from reliability import record
from sandbox_cloud.certs import parse_chain
from sandbox_cloud.client import fetch_served_certificate
from test_role_rotate import ENDPOINTS, rotate

# The binding write of each provider, and the store uploads (one per store and run).
BINDS = {"tse": "ModifyCloudNativeAPIGatewayCertificate", "gaap": "ModifyCertificate", "teo": "ModifyHostsCertificate",
         "clb": "ReplaceCertForLoadBalancers", "esa": "SetCertificate"}
UPLOADS = {"ssl": "UploadCertificate", "gaap": "CreateCertificate"}
WRITES = sorted(set(BINDS.items()) | set(UPLOADS.items()))
# Reads of every role run: the first call of the run (the SSL store look-up), the GAAP poll, the ESA read.
READS = [("ssl", "DescribeCertificates"), ("gaap", "DescribeRules"), ("esa", "GetCertificate")]
# The reads that a run repeats within a second (a poll, one detail per candidate).
REPEATED_READS = [("ssl", "DescribeCertificateDetail"), ("gaap", "DescribeRules"), ("clb", "DescribeListeners")]


class Scenario:
    """The faults of one case, the role run(s) under them and what the sandbox saw."""

    def __init__(self, playbook, tmp_path, monkeypatch, **connection):
        self.playbook = playbook
        self.sandbox = playbook.sandbox
        self.tmp_path = tmp_path
        self.faults = []
        self.cleared = {}  # hits of the faults removed by clear()
        self.log = []
        for name in ("connection", "alicloud_connection"):  # both clouds, every run of this test
            monkeypatch.setattr(playbook, name, functools.partial(getattr(Playbook, name), playbook, **connection))

    def add(self, service, action, kind, **fields):
        self.faults.append(self.sandbox.add_fault(service=service, action=action, kind=kind, **fields))
        return self.faults[-1]

    def rotate(self):
        since = self.sandbox.last_seq()
        run, rows = rotate(self.playbook, self.tmp_path)
        self.log.extend(self.sandbox.log(since=since))
        return run, rows

    def hits(self):
        hits = dict(self.cleared)
        hits.update((fault["id"], fault["hits"]) for fault in self.sandbox.faults() if fault["id"] in self.faults)
        return hits

    def clear(self):
        """Remove the faults (their hits still count)."""
        self.cleared = self.hits()
        self.sandbox.clear_faults()

    def calls(self, service, action):
        return sum(1 for entry in self.log if (entry["service"], entry["action"]) == (service, action))

    def record(self, case, fault, expected, outcome, faults=None):
        """One row of the fault table: ``injected`` counts the hits of ``faults`` (default: all of the scenario)."""
        hits = self.hits()
        record("fault", case, fault=fault, expected=expected, outcome=outcome, calls=len(self.log),
               injected=sum(hits[fault_id] for fault_id in faults or hits), writes=sum(1 for entry in self.log if entry["write"]))


def copies(sandbox, fingerprint):
    """How many certificates with this leaf each store holds (SSL, GAAP, the ESA site)."""
    state = sandbox.state()

    def count(pems):
        return sum(1 for pem in pems if pem and parse_chain(pem)[0].fingerprint_sha256 == fingerprint)
    return dict(ssl=count(c["CertificatePublicKey"] for c in state["ssl"]["certificates"]),
                gaap=count(c["CertificateContent"] for c in state["gaap"]["certificates"]),
                esa=count(c.get("Certificate") for site in state["esa"]["sites"] for c in site["Certificates"]))


def served(sandbox):
    """{endpoint: SHA-256 of the leaf its server name is served with over TLS}."""
    port = sandbox.tls_port()
    return {name: hashlib.sha256(fetch_served_certificate(port, endpoint["server_name"])).hexdigest()
            for name, endpoint in ENDPOINTS.items()}


def assert_converged(run, rows, sandbox, certs):
    assert run.rc == 0, run.stdout[-4000:]
    assert {name: row["result"] for name, row in rows.items()} == dict.fromkeys(ENDPOINTS, "changed"), rows
    assert all(row["verified"] and row["after_fingerprint"] == certs.rotation.fingerprint_sha256 for row in rows.values())
    assert served(sandbox) == dict.fromkeys(ENDPOINTS, certs.rotation.fingerprint_sha256)
    assert copies(sandbox, certs.rotation.fingerprint_sha256) == dict(ssl=1, gaap=1, esa=1)


def assert_writes_retried(scenario, attempts):
    """Each write action: ``attempts`` calls for the one write of the run, no more."""
    seen = {"%s %s" % pair: scenario.calls(*pair) for pair in WRITES}
    assert seen == {"%s %s" % pair: attempts for pair in WRITES}


def test_throttle_at_the_documented_rate(playbook, tmp_path, sandbox, certs, monkeypatch):
    scenario = Scenario(playbook, tmp_path, monkeypatch)
    scenario.add("*", "*", "throttle", rate=20)
    run, rows = scenario.rotate()
    assert_converged(run, rows, sandbox, certs)
    assert "failed=0" in run.stdout and "rescued=0" in run.stdout
    scenario.record("throttle-20rps", fault="throttle: 20 requests per second per action, on every action of every service",
                    expected="no task fails; a call over the rate is retried", outcome="converged")


def test_harsh_throttle_and_busy_endpoints(playbook, tmp_path, sandbox, certs, monkeypatch):
    """Two cases in one run: the API refuses (nothing is applied) and asks to come back later."""
    scenario = Scenario(playbook, tmp_path, monkeypatch, api_retries=5)
    throttled = [scenario.add(service, action, "throttle", rate=1) for service, action in REPEATED_READS]
    throttled.append(scenario.add("esa", "GetCertificate", "error", code="Throttling.User", count=2))
    busy = [scenario.add(service, BINDS[service], "error", code=code, count=2) for service, code in (
        ("clb", "FailedOperation.ResourceInOperating"), ("gaap", "FailedOperation.DomainStatusNotInRunning"),
        ("tse", "ResourceInOperating"), ("teo", "ResourceInOperating"), ("esa", "ServiceBusy"))]
    run, rows = scenario.rotate()
    assert_converged(run, rows, sandbox, certs)
    hits = scenario.hits()
    assert sum(hits[fault] for fault in throttled[:-1]) > 0, "the throttle rejected nothing: %s" % hits
    assert [hits[fault] for fault in throttled[-1:] + busy] == [2] * 6
    assert {action: scenario.calls(service, action) for service, action in BINDS.items()} == dict.fromkeys(BINDS.values(), 3)
    scenario.record("throttle-1rps-reads", faults=throttled,
                    fault="throttle: 1 request per second on the repeated reads (RequestLimitExceeded); esa GetCertificate "
                    "Throttling.User x2",
                    expected="rejected reads retried with backoff (api_retries=5; esa by the client layer, with jitter)", outcome="converged")
    scenario.record("resource-busy", faults=busy,
                    fault="busy x2 on every bind: clb FailedOperation.ResourceInOperating, gaap FailedOperation.DomainStatusNotInRunning, "
                    "tse and teo ResourceInOperating, esa ServiceBusy",
                    expected="retried within api_retries", outcome="converged")


def test_internal_error_then_5xx(playbook, tmp_path, sandbox, certs, monkeypatch):
    scenario = Scenario(playbook, tmp_path, monkeypatch)
    for service, action in WRITES + READS:  # first matching fault first: InternalError, then the 5xx
        scenario.add(service, action, "error", code="InternalError", count=1)
        if service == "esa":  # Alibaba answers a 503 with its JSON error body
            scenario.add(service, action, "error", code="ServiceUnavailable", count=1)
        else:
            scenario.add(service, action, "http_status", status=503, count=1)
    run, rows = scenario.rotate()
    assert_converged(run, rows, sandbox, certs)
    assert set(scenario.hits().values()) == {1}
    assert_writes_retried(scenario, 3)  # api_retries=2: two failures, then the write
    scenario.record("internal-error-then-5xx", fault="InternalError, then HTTP 503, on every write and on three reads "
                    "(esa: InternalError, then ServiceUnavailable 503)",
                    expected="retried within api_retries=2; gaap CreateCertificate is looked up again before it is sent again",
                    outcome="converged")


def test_reset_then_timeout(playbook, tmp_path, sandbox, certs, monkeypatch):
    scenario = Scenario(playbook, tmp_path, monkeypatch, api_timeout=1)
    for service, action in WRITES + READS:
        scenario.add(service, action, "reset", count=1)
        if (service, action) == ("gaap", "ModifyCertificate"):
            # Not a late write here: applied after the retry was sent, it leaves the domain changing, and GAAP refuses the
            # retry (DomainStatusNotInRunning) until DescribeRules sees it running; the module does not wait for that yet.
            scenario.add(service, action, "reset", count=1)
        else:
            scenario.add(service, action, "latency", seconds=1.2, count=1)
    run, rows = scenario.rotate()
    assert_converged(run, rows, sandbox, certs)
    assert set(scenario.hits().values()) == {1}
    # The late write is applied after the client gave up: binds are sent again (the same binding twice), the SSL
    # upload again (Repeatable=False answers with the stored copy); the GAAP create is looked up, found, not sent again.
    assert scenario.calls("gaap", "CreateCertificate") == 2
    assert all(scenario.calls(service, action) == 3 for service, action in WRITES if action != "CreateCertificate")
    scenario.record("reset-then-timeout", fault="connection reset (nothing applied), then a reply 1.2 s late (past api_timeout=1 s; "
                    "the write is applied all the same), on every write and on three reads",
                    expected="retried within api_retries=2; no write doubled: gaap CreateCertificate found by fingerprint "
                    "after the timeout, one copy per store", outcome="converged")


def test_lost_reply_never_stores_a_second_copy(playbook, tmp_path, sandbox, certs, monkeypatch):
    scenario = Scenario(playbook, tmp_path, monkeypatch)
    sent_again = [("esa", BINDS["esa"]), ("tse", BINDS["tse"]), ("clb", BINDS["clb"])]
    for service, action in sorted(UPLOADS.items()) + sent_again:
        scenario.add(service, action, "lost_reply", count=1)
    run, rows = scenario.rotate()
    assert_converged(run, rows, sandbox, certs)  # one copy per store
    assert set(scenario.hits().values()) == {1}
    assert scenario.calls("gaap", "CreateCertificate") == 1  # found by fingerprint after the lost reply
    assert scenario.calls("ssl", "UploadCertificate") == 2  # sent again: Repeatable=False answers with the stored copy
    assert [scenario.calls(service, action) for service, action in sent_again] == [2, 2, 2]
    scenario.record("lost-reply", fault="write applied, reply lost, x1 on ssl UploadCertificate, gaap CreateCertificate, "
                    "esa SetCertificate, tse and clb binds",
                    expected="no second copy in any store: gaap CreateCertificate found by fingerprint, the SSL upload "
                    "deduplicated (Repeatable=False), binds and esa SetCertificate (by Id) sent again",
                    outcome="converged")


def test_persistent_write_error(playbook, tmp_path, sandbox, certs, monkeypatch):
    scenario = Scenario(playbook, tmp_path, monkeypatch)
    scenario.add("gaap", "ModifyCertificate", "error", code="InternalError")  # every call, for good
    run, rows = scenario.rotate()
    assert run.rc != 0
    assert rows["gaap-api"]["result"] == "failed"
    assert "ModifyCertificate failed: InternalError" in rows["gaap-api"]["message"]
    assert "listener-2x9f0c1a domain api.example.com" in rows["gaap-api"]["message"]
    assert "gaap-api: failed: " in run.stdout
    others = [name for name in ENDPOINTS if name != "gaap-api"]
    assert {name: rows[name]["result"] for name in others} == dict.fromkeys(others, "changed")
    assert all(rows[name]["verified"] for name in others)
    assert scenario.calls("gaap", "ModifyCertificate") == 3 == sum(scenario.hits().values())  # api_retries=2
    # No endpoint without a certificate: GAAP still serves the old one, the others the new one.
    expected = dict.fromkeys(others, certs.rotation.fingerprint_sha256)
    expected["gaap-api"] = certs.old.fingerprint_sha256
    assert served(sandbox) == expected

    scenario.clear()
    rerun, rows = scenario.rotate()
    assert rerun.rc == 0, rerun.stdout[-4000:]
    assert {name: row["result"] for name, row in rows.items()} == dict(dict.fromkeys(others, "ok"), **{"gaap-api": "changed"})
    assert served(sandbox) == dict.fromkeys(ENDPOINTS, certs.rotation.fingerprint_sha256)
    assert copies(sandbox, certs.rotation.fingerprint_sha256) == dict(ssl=1, gaap=1, esa=1)
    scenario.record("persistent-write-error", fault="InternalError on every gaap ModifyCertificate (unlimited)",
                    expected="gaap-api fails naming its listener, domain and the code; the other endpoints change; "
                    "every endpoint keeps a certificate; a rerun after the fault clears converges",
                    outcome="endpoint failed, others converged; rerun converged")


def test_two_runs_at_once(tmp_path, collections_path, sandbox, certs):
    """Two ansible-playbook processes rotate the same endpoints at the same time: one upload per store in all."""
    playbooks = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        playbooks.append(Playbook(tmp_path / name, collections_path, sandbox, certs))
    for service, action in UPLOADS.items():  # a slow first upload: the other run looks while it is under way
        sandbox.add_fault(service=service, action=action, kind="latency", seconds=2, count=1)
    since = sandbox.last_seq()
    results = {}

    def run(playbook):
        results[playbook.tmp_path.name] = rotate(playbook, playbook.tmp_path)
    threads = [threading.Thread(target=run, args=(playbook,)) for playbook in playbooks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = sandbox.log(since=since)
    assert sorted(results) == ["first", "second"]
    for name, (role_run, rows) in results.items():
        assert role_run.rc == 0, "%s run: %s" % (name, role_run.stdout[-4000:])
        assert {row["result"] for row in rows.values()} <= {"changed", "ok"}
    uploads = collections.Counter(entry["action"] for entry in log if entry["action"] in UPLOADS.values())
    assert uploads == {"UploadCertificate": 1, "CreateCertificate": 1}  # one upload per store in all
    assert served(sandbox) == dict.fromkeys(ENDPOINTS, certs.rotation.fingerprint_sha256)
    assert copies(sandbox, certs.rotation.fingerprint_sha256) == dict(ssl=1, gaap=1, esa=1)
    record("concurrency", "two-role-runs-at-once", runs=2, uploads=max(uploads.values()),  # per store
           outcome="both converged; one upload per store in all (the first upload of each store is 2 s slow, the other run "
           "waits for it: a lock on the controller around look-up and upload)")
