# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""AWX job slicing: slices of one inventory run the whole role at the same time, each in its own process with its own
temporary directories (as in its own execution-environment container: no lock file is shared), against one account.

A sandbox of its own holds a fleet of 20 endpoints (4 per provider: the GAAP domains on one listener, the TSE entries
on one gateway, the EdgeOne hosts in one zone, the CLB load balancers sharing one old certificate). The store look-ups
answer in 0.6 s with what they read when asked (a slow_reply fault) and every action is limited to 20 calls a second (a throttle fault), as the APIs are.
"""

from __future__ import annotations

import json

import pytest
import yaml

from sandbox_cloud import world
from sandbox_cloud.client import SandboxProcess

from harness import Playbook
from reliability import record

SLICES = 3
LOOKUPS = ("DescribeCertificates",)  # the stores' look-ups by fingerprint (SSL and GAAP)
UPLOADS = ("UploadCertificate", "CreateCertificate")


@pytest.fixture(scope="module")
def fleet():
    return world.Fleet(20)


@pytest.fixture(scope="module")
def fleet_server(tmp_path_factory, fleet):
    state = tmp_path_factory.mktemp("slices") / "state.yml"
    state.write_text(yaml.safe_dump(fleet.state()))
    with SandboxProcess(str(state)) as process:
        yield process


@pytest.fixture
def fleet_sandbox(fleet_server):
    client = fleet_server.client
    client.reset()
    client.clear_faults()
    for action in LOOKUPS:
        client.add_fault(kind="slow_reply", service="*", action=action, seconds=0.6)
    client.add_fault(kind="throttle", rate=20)
    yield client
    client.clear_faults()


def slices(fleet, tls_port):
    """The inventories of the slices: AWX deals the hosts out in inventory order."""
    hosts = list(fleet.inventory(tls_port)["all"]["hosts"].items())
    return [{"all": {"hosts": dict(hosts[index::SLICES])}} for index in range(SLICES)]


def run_slices(playbook, fleet, sandbox, tmp_path, **play_vars):
    """Start every slice at once (each with its own temporary directories), then wait for them all."""
    started = []
    for index, inventory in enumerate(slices(fleet, sandbox.tls_port())):
        own = tmp_path / ("slice%d-%d" % (index, playbook.count))
        own.mkdir()
        report = own / "report.json"
        variables = dict({"rotate_certificate": fleet.new.chain_pem, "rotate_private_key": fleet.new.key_pem,
                          "rotate_report_file": str(report), "rotate_verify_delay": 0.2, "rotate_verify_timeout": 30}, **play_vars)
        env = dict(TMPDIR=str(own), ANSIBLE_LOCAL_TEMP=str(own / "local"), ANSIBLE_HOME=str(own / "home"))
        started.append((playbook.start([], inventory=inventory, play_vars=variables, roles=[{"role": "certops.cloud.rotate"}],
                                       env=env), report))
    runs = [(playbook.finish(*handle), report) for handle, report in started]
    rows = {}
    for run, report in runs:
        assert run.rc == 0, run.stdout[-4000:] + run.stderr[-2000:]
        rows.update((row["endpoint"], row) for row in json.loads(report.read_text()))
    return [run for run, dummy in runs], rows


def copies(sandbox, fleet):
    """The copies of the new certificate in each store."""
    state = sandbox.state()
    ssl = [c["CertificateId"] for c in state["ssl"]["certificates"] if c["CertificatePublicKey"] == fleet.new.chain_pem]
    gaap = [c["CertificateId"] for c in state["gaap"]["certificates"] if c["CertificateContent"] == fleet.new.chain_pem]
    return dict(ssl=ssl, gaap=gaap)


@pytest.fixture
def playbook(tmp_path, collections_path, fleet_sandbox, certs, fleet):
    """ansible-playbook against the fleet's sandbox, with the modules' own retry and pacing defaults."""
    book = Playbook(tmp_path, collections_path, fleet_sandbox, certs)
    book.connection = lambda: dict(secret_id=world.SECRET_ID, secret_key=world.SECRET_KEY, region=world.REGION, endpoint=fleet_sandbox.url)
    book.alicloud_connection = lambda: dict(access_key_id=world.ACCESS_KEY_ID, access_key_secret=world.ACCESS_KEY_SECRET,
                                            region=world.ALIBABA_REGION, endpoint=fleet_sandbox.url)
    book.extra_secrets = [line for issued in (fleet.old, fleet.new) for line in issued.key_pem.splitlines()
                          if line and not line.startswith("-----") and line not in issued.chain_pem]
    return book


@pytest.mark.slow
def test_slices_keep_one_copy_rotate_everything_settle_and_leave_other_copies_alone(playbook, fleet, fleet_sandbox, tmp_path):
    dummy, rows = run_slices(playbook, fleet, fleet_sandbox, tmp_path)
    rotated = dict((label, (row["result"], row["verified"], row["after_fingerprint"] == fleet.new.fingerprint_sha256))
                   for label, row in rows.items())
    assert len(rotated) == 20 and set(rotated.values()) <= {("changed", True, True), ("ok", True, True)}, rotated
    found = copies(fleet_sandbox, fleet)
    assert (len(found["ssl"]), len(found["gaap"])) == (1, 1), found
    # The second sliced run, with some endpoints moved to copies made by hand (the console, an older tool): the same
    # certificate, so nothing is written, to them or to the others.
    ssl_copy = sdk_call(fleet_sandbox, "ssl", "UploadCertificate", CertificatePublicKey=fleet.new.chain_pem,
                        CertificatePrivateKey=fleet.new.key_pem, Repeatable=True)["CertificateId"]
    gaap_copy = sdk_call(fleet_sandbox, "gaap", "CreateCertificate", CertificateType=2, CertificateContent=fleet.new.chain_pem,
                         CertificateKey=fleet.new.key_pem, CertificateAlias="copy")["CertificateId"]
    fleet_sandbox.patch_state(["gaap", "listeners", 0, "Domains", 0, "CertificateId"], gaap_copy)
    fleet_sandbox.patch_state(["tse", "gateways", 0, "Certificates", 0, "CertId"], ssl_copy)
    fleet_sandbox.patch_state(["teo", "zones", 0, "Domains", 0, "Certificate", "List", 0, "CertId"], ssl_copy)
    fleet_sandbox.patch_state(["clb", "load_balancers", 0, "Listeners", 0, "Rules", 0, "Certificate", "CertId"], ssl_copy)
    again, rows = run_slices(playbook, fleet, fleet_sandbox, tmp_path)
    assert all(row["result"] == "ok" for row in rows.values()), rows
    writes = [(w["service"], w["action"]) for run in again for w in run.writes]
    assert writes == [], writes  # nothing rebound
    assert ssl_copy in copies(fleet_sandbox, fleet)["ssl"] and gaap_copy in copies(fleet_sandbox, fleet)["gaap"]
    record("concurrency", "three-awx-slices-at-once-then-again", runs=SLICES, uploads=1,
           outcome="each slice in its own process and temporary directories, store look-ups answering 0.6 s late, every "
                   "action throttled at 20/s: every endpoint rotated and verified, one copy per store (the extra copies the "
                   "slices made removed), the second sliced run wrote nothing")

    # A copy nothing uses goes with the role's cleanup (the usage query covers the account); the copies in use stay.
    unused = sdk_call(fleet_sandbox, "gaap", "CreateCertificate", CertificateType=2, CertificateContent=fleet.new.chain_pem,
                      CertificateKey=fleet.new.key_pem, CertificateAlias="unused")["CertificateId"]
    dummy, rows = run_slices(playbook, fleet, fleet_sandbox, tmp_path, rotate_cleanup=True)
    assert all(row["result"] == "ok" for row in rows.values()), rows
    left = copies(fleet_sandbox, fleet)
    assert unused not in left["gaap"] and gaap_copy in left["gaap"] and ssl_copy in left["ssl"], left


def bound_ids(sandbox):
    """Every store id an endpoint of the fleet holds now: {store: {id: [holders]}}."""
    state, held = sandbox.state(), dict(ssl={}, gaap={})
    for gateway in state["tse"]["gateways"]:
        for entry in gateway["Certificates"]:
            held["ssl"].setdefault(entry.get("CertId"), []).append(entry["Id"])
    for listener in state["gaap"]["listeners"]:
        held["gaap"].setdefault(listener.get("CertificateId"), []).append(listener["ListenerId"])
        for domain in listener["Domains"]:
            held["gaap"].setdefault(domain.get("CertificateId"), []).append(domain["Domain"])
    for zone in state["teo"]["zones"]:
        for domain in zone["Domains"]:
            for entry in domain["Certificate"].get("List") or []:
                held["ssl"].setdefault(entry.get("CertId"), []).append(domain["DomainName"])
    for load_balancer in state["clb"]["load_balancers"]:
        for listener in load_balancer["Listeners"]:
            for rule in [listener] + (listener.get("Rules") or []):
                if rule.get("Certificate"):
                    held["ssl"].setdefault(rule["Certificate"]["CertId"], []).append(load_balancer["LoadBalancerId"])
    return held


@pytest.mark.slow
def test_slices_with_cleanup_delete_nothing_another_slice_still_holds(playbook, fleet, fleet_sandbox, tmp_path):
    since = fleet_sandbox.last_seq()
    dummy, rows = run_slices(playbook, fleet, fleet_sandbox, tmp_path, rotate_cleanup=True)
    assert all(row["verified"] and row["after_fingerprint"] == fleet.new.fingerprint_sha256 for row in rows.values()), rows
    state = fleet_sandbox.state()
    stored = dict(ssl={c["CertificateId"] for c in state["ssl"]["certificates"]},
                  gaap={c["CertificateId"] for c in state["gaap"]["certificates"]})
    for store, held in bound_ids(fleet_sandbox).items():
        assert set(held) <= stored[store], "an endpoint holds a deleted certificate: %s" % held
    deleted = [c for c in fleet_sandbox.log(since=since) if c["action"] == "DeleteCertificate" and c["ok"]]
    found = copies(fleet_sandbox, fleet)
    assert deleted and (len(found["ssl"]), len(found["gaap"])) == (1, 1), found
    record("concurrency", "three-awx-slices-at-once-with-cleanup", runs=SLICES, uploads=1,
           outcome="every endpoint rotated and verified, one copy per store; the previous certificates deleted only once "
                   "no endpoint of any slice held them")


def sdk_call(sandbox, service, action, **params):
    """One Tencent Cloud API call through the SDK (a copy made by hand: what the collection never makes itself)."""
    import importlib  # pylint: disable=import-outside-toplevel
    from tencentcloud.common.credential import Credential  # pylint: disable=import-outside-toplevel
    from tencentcloud.common.profile.client_profile import ClientProfile  # pylint: disable=import-outside-toplevel
    from tencentcloud.common.profile.http_profile import HttpProfile  # pylint: disable=import-outside-toplevel
    package, client_class = {"ssl": ("tencentcloud.ssl.v20191205", "SslClient"), "gaap": ("tencentcloud.gaap.v20180529", "GaapClient")}[service]
    client = getattr(importlib.import_module(package + ".%s_client" % service), client_class)(
        Credential(world.SECRET_ID, world.SECRET_KEY), world.REGION,
        ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=sandbox.url.split("://", 1)[1])))
    request = getattr(importlib.import_module(package + ".models"), action + "Request")()
    request.from_json_string(json.dumps(params))
    return json.loads(getattr(client, action)(request).to_json_string())
