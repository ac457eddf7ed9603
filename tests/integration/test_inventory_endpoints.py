# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The certops.cloud.endpoints inventory plugin: ansible-inventory against the sandbox cloud, then the role on what it found.

A sandbox of its own holds a fleet larger than one page of every Tencent Cloud listing (TSE entries, GAAP listeners,
EdgeOne hosts, CLB load balancers), in two regions, with endpoints that are not endpoints (EdgeOne hosts without
HTTPS or with a managed certificate, an ESA free certificate).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid

import pytest
import yaml

from harness import (ACCESS_KEY_ID, ACCESS_KEY_SECRET, BIN, GATEWAY, LB_MTLS, LB_OTHER_REGION, LB_SNI, LB_WEB, LISTENER, ON_BOTH_CORES, REGION,
                     SECRET_ID, SECRET_KEY, SITE_ID, ZONE, scan)
from sandbox_cloud.client import SandboxProcess

TSE_ENTRIES, GAAP_LISTENERS, TEO_HOSTS, CLB_BALANCERS = 101, 51, 205, 101


def fleet(certs):
    old, other = certs.old, certs.other
    ssl = [{"CertificateId": "FLEETold", "CertificatePublicKey": old.chain_pem, "CertificatePrivateKey": old.key_pem},
           {"CertificateId": "FLEETapi", "CertificatePublicKey": other.chain_pem, "CertificatePrivateKey": other.key_pem}]
    return {
        "accounts": [{"secret_id": SECRET_ID, "secret_key": SECRET_KEY, "uin": "100000000001"},
                     {"access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET, "region": "cn-hangzhou"}],
        "ssl": {"certificates": ssl},
        "tse": {"gateways": [
            {"GatewayId": "gateway-fleet001", "Region": REGION, "Certificates": [
                {"Id": str(uuid.uuid5(uuid.NAMESPACE_DNS, "e%d" % n)), "Name": "e%d" % n, "BindDomains": ["e%03d.tse.example.com" % n],
                 "CertSource": "ssl", "CertId": "FLEETold"} for n in range(TSE_ENTRIES)]},
            {"GatewayId": "gateway-fleet002", "Region": "ap-shanghai", "Certificates": [
                {"Id": "sh-entry", "Name": "sh", "BindDomains": ["sh.tse.example.com"], "CertSource": "ssl", "CertId": "FLEETold"}]},
        ]},
        "gaap": {
            "certificates": [{"CertificateId": "cert-fleet001", "CertificateType": 2, "CertificateContent": old.chain_pem,
                              "CertificateKey": old.key_pem}],
            "proxies": [{"ProxyId": "link-fleet001"}],
            "listeners": [{"ListenerId": "listener-f%03d" % n, "Protocol": "HTTPS", "CertificateId": "cert-fleet001", "Domains": [
                {"Domain": "g%03d.gaap.example.com" % n}]} for n in range(GAAP_LISTENERS)],
        },
        "teo": {"zones": [
            {"ZoneId": "zone-fleet000001", "ZoneName": "example.com", "Domains": [
                {"DomainName": "h%03d.teo.example.com" % n, "Certificate": {"Mode": "sslcert", "List": [{"CertId": "FLEETold"}]}}
                for n in range(TEO_HOSTS)] + [
                {"DomainName": "managed.teo.example.com", "Certificate": {"Mode": "eofreecert"}},
                {"DomainName": "plain.teo.example.com", "Certificate": {"Mode": "disable"}}]},
            {"ZoneId": "zone-fleet000002", "ZoneName": "example.org", "Domains": [
                {"DomainName": "www.example.org", "Certificate": {"Mode": "sslcert", "List": [{"CertId": "FLEETapi"}]}}]},
        ]},
        "clb": {"load_balancers": [
            {"LoadBalancerId": "lb-f%06d" % n, "Region": REGION, "Listeners": [
                {"ListenerId": "lbl-f%06d" % n, "Protocol": "HTTPS", "Port": 443, "Rules": [
                    {"LocationId": "loc-f%06d" % n, "Domain": "c%03d.clb.example.com" % n,
                     "Certificate": {"SSLMode": "UNIDIRECTIONAL", "CertId": "FLEETold"}}]}]} for n in range(CLB_BALANCERS)] + [
            {"LoadBalancerId": "lb-fapi0001", "Region": REGION, "Listeners": [
                {"ListenerId": "lbl-fapi0443", "Protocol": "HTTPS", "Port": 443, "Certificate": {"SSLMode": "UNIDIRECTIONAL", "CertId": "FLEETapi"}},
                {"ListenerId": "lbl-fapi0080", "Protocol": "HTTP", "Port": 80}]},
            {"LoadBalancerId": "lb-fsh00001", "Region": "ap-shanghai", "Listeners": [
                {"ListenerId": "lbl-fsh00443", "Protocol": "HTTPS", "Port": 443, "Certificate": {"SSLMode": "UNIDIRECTIONAL", "CertId": "FLEETold"}}]}]},
        "esa": {"sites": [
            {"SiteId": 2000000000001, "SiteName": "example.com", "Certificates": [
                {"Id": "40000001", "Name": "site", "Type": "upload", "Certificate": old.chain_pem, "PrivateKey": old.key_pem},
                {"Id": "40000002", "Name": "managed", "Type": "free", "Certificate": other.chain_pem}]},
            {"SiteId": 2000000000002, "SiteName": "api.example.com", "Certificates": [
                {"Id": "40000003", "Name": "api", "Type": "upload", "Certificate": other.chain_pem, "PrivateKey": other.key_pem}]}]},
    }


EXPECTED = {"tse": TSE_ENTRIES + 1, "gaap": GAAP_LISTENERS, "teo": TEO_HOSTS + 1, "clb": CLB_BALANCERS + 2, "esa": 2}


@pytest.fixture(scope="module")
def fleet_sandbox(tmp_path_factory, certs):
    directory = tmp_path_factory.mktemp("fleet")
    state = directory / "state.yml"
    state.write_text(yaml.safe_dump(fleet(certs)))
    with SandboxProcess(str(state), tls_port=None) as process:
        yield process


def inventory(tmp_path, collections_path, sandbox_url, config, env=None, strict=True, name="fleet.certops.yml", bin_dir=BIN):
    """ansible-inventory --list over a plugin configuration; returns (returncode, inventory or None, stdout + stderr)."""
    source = tmp_path / name
    source.write_text(yaml.safe_dump(dict({"plugin": "certops.cloud.endpoints"}, **config)))
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENTCLOUD_", "ANSIBLE_", "ALIBABA_CLOUD_", "ALICLOUD_"))}
    run_env.update(ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_HOME=str(tmp_path / "ansible-home"), HOME=str(tmp_path),
                   TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_ENDPOINT=sandbox_url,
                   ALIBABA_CLOUD_ACCESS_KEY_ID=ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=ACCESS_KEY_SECRET,
                   ALIBABA_CLOUD_ESA_ENDPOINT=sandbox_url)
    if strict:
        run_env["ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED"] = "true"
    run_env.update(env or {})
    proc = subprocess.run([str(bin_dir / "ansible-inventory"), "-i", str(source), "--list"], env=run_env, capture_output=True, text=True,
                          timeout=300, check=False)
    scan(dict(stdout=proc.stdout, stderr=proc.stderr), [SECRET_KEY, ACCESS_KEY_SECRET, "PRIVATE KEY-----"], "ansible-inventory")
    # ansible-core 2.19 writes strings not trusted as templates (all of an inventory plugin's) as {"__ansible_unsafe": ...}
    found = json.loads(proc.stdout, object_hook=unsafe) if proc.returncode == 0 and proc.stdout.strip() else None
    return proc.returncode, found, proc.stdout + proc.stderr


def unsafe(mapping):
    return mapping["__ansible_unsafe"] if set(mapping) == {"__ansible_unsafe"} else mapping


def hostvars(found):
    return found["_meta"]["hostvars"]


ALL_REGIONS = {"tencentcloud": {"regions": [REGION, "ap-shanghai"]}, "alicloud": {"regions": ["cn-hangzhou"]}}


@ON_BOTH_CORES
def test_every_endpoint_found_once_read_only_and_stable(tmp_path, collections_path, fleet_sandbox, certs, ansible_bin):
    client = fleet_sandbox.client
    since = client.last_seq()
    config = dict(ALL_REGIONS, keyed_groups=[{"key": "certops_endpoint.provider", "prefix": "provider"}],
                  groups={"expiring": "certops_days_left < 30"})
    rc, found, output = inventory(tmp_path, collections_path, fleet_sandbox.url, config, bin_dir=ansible_bin)
    assert rc == 0, output
    hosts = hostvars(found)
    by_provider = {}
    for name, variables in hosts.items():
        by_provider.setdefault(variables["certops_endpoint"]["provider"], []).append(name)
    assert {p: len(names) for p, names in by_provider.items()} == EXPECTED
    assert {p: len(found["provider_%s" % p]["hosts"]) for p in EXPECTED} == EXPECTED  # keyed groups
    assert "managed.teo.example.com" not in json.dumps(found) and "plain.teo.example.com" not in json.dumps(found)
    calls = client.log(since=since)
    assert [c for c in calls if c["write"]] == []
    pages = {action: len([c for c in calls if c["action"] == action]) for action in (
        "DescribeCloudNativeAPIGatewayCertificates", "DescribeHTTPSListeners", "DescribeAccelerationDomains", "DescribeLoadBalancers")}
    assert pages == {"DescribeCloudNativeAPIGatewayCertificates": 3, "DescribeHTTPSListeners": 2, "DescribeAccelerationDomains": 3,
                     "DescribeLoadBalancers": 3}  # beyond one page (and the second gateway, zone, region)
    assert len([c for c in calls if (c["service"], c["action"]) == ("ssl", "DescribeCertificateDetail")]) == 2  # each read once

    clb = hosts["clb-lb-f000007-lbl-f000007-c007.clb.example.com"]
    assert clb["certops_endpoint"] == {"provider": "clb", "load_balancer_id": "lb-f000007", "listener_id": "lbl-f000007",
                                       "domain": "c007.clb.example.com", "server_name": "c007.clb.example.com", "region": REGION}
    assert clb["certops_certificate"]["fingerprint_sha256"] == certs.old.fingerprint_sha256
    assert clb["certops_certificate"]["store_id"] == "FLEETold" and clb["certops_certificate"]["not_after"]
    assert set(clb["certops_certificate"]) == {"store", "store_id", "fingerprint_sha256", "not_after", "subject_alt_names", "common_name"}
    listener = hosts["clb-lb-fapi0001-lbl-fapi0443"]["certops_endpoint"]
    assert listener["server_name"] == "api.example.com"  # a listener without SNI: its certificate's name, at its address
    assert listener["verify_host"] == next(lb for lb in client.state()["clb"]["load_balancers"]
                                           if lb["LoadBalancerId"] == "lb-fapi0001")["LoadBalancerVips"][0]
    assert hosts["teo-zone-fleet000001-h004.teo.example.com"]["certops_endpoint"]["hosts"] == ["h004.teo.example.com"]
    assert hosts["gaap-listener-f003-g003.gaap.example.com"]["certops_certificate"]["store_id"] == "cert-fleet001"  # "default"
    assert hosts["esa-2000000000001-40000001"]["certops_endpoint"]["server_name"] == "example.com"
    assert hosts["tse-gateway-fleet002-sh-entry"]["certops_endpoint"]["region"] == "ap-shanghai"
    assert all(v["ansible_connection"] == "local" for v in hosts.values())
    assert set(found["expiring"]["hosts"]) == {n for n, v in hosts.items() if v["certops_certificate"]["not_after"] and v["certops_days_left"] < 30}

    rc, again, output = inventory(tmp_path, collections_path, fleet_sandbox.url, config, bin_dir=ansible_bin)
    assert rc == 0 and sorted(hostvars(again)) == sorted(hosts), output  # stable host names


def test_filters(tmp_path, collections_path, fleet_sandbox):
    rc, found, output = inventory(tmp_path, collections_path, fleet_sandbox.url, dict(ALL_REGIONS, names=["*.example.org", "api.example.com"]))
    assert rc == 0, output
    assert sorted(hostvars(found)) == ["clb-lb-fapi0001-lbl-fapi0443", "esa-2000000000002-40000003", "teo-zone-fleet000002-www.example.org"]
    rc, found, output = inventory(tmp_path, collections_path, fleet_sandbox.url,
                                  {"providers": ["clb"], "tencentcloud": {"region": REGION}, "expires_within_days": 30})
    assert rc == 0, output
    # The old certificate expires in 10 days, the api one in 60: only the load balancers holding the old one (Guangzhou).
    assert len(hostvars(found)) == CLB_BALANCERS and "clb-lb-fapi0001-lbl-fapi0443" not in hostvars(found)


def test_cached_inventory_makes_no_call(tmp_path, collections_path, fleet_sandbox):
    config = dict(ALL_REGIONS, providers=["esa", "gaap"], cache=True, cache_plugin="ansible.builtin.jsonfile",
                  cache_connection=str(tmp_path / "cache"), cache_timeout=600)
    rc, first, output = inventory(tmp_path, collections_path, fleet_sandbox.url, config)
    assert rc == 0, output
    since = fleet_sandbox.client.last_seq()
    rc, second, output = inventory(tmp_path, collections_path, fleet_sandbox.url, config)
    assert rc == 0 and hostvars(second) == hostvars(first), output
    assert fleet_sandbox.client.log(since=since) == []


@pytest.mark.parametrize("config, env, message", [
    ({"providers": ["tse", "azure"]}, {}, "['tse', 'azure']"),  # ansible-core's own choice check (worded by release)
    ({"tencentcloud": {"regions": ["Guangzhou"]}}, {}, "'Guangzhou' is not a region name"),
    ({"tencentcloud": {"regions": [REGION]}, "names": ["https://www.example.com"]}, {}, "is not a host name pattern"),
    ({"tencentcloud": {"regions": [REGION], "secret_keys": "x"}}, {}, "tencentcloud: secret_keys. Supported parameters include"),
    ({"providers": ["clb"], "tencentcloud": {"regions": [REGION]}}, {"TENCENTCLOUD_SECRET_KEY": "wrong"},
     "discovery of clb in ap-guangzhou failed: clb DescribeLoadBalancers failed: AuthFailure.SignatureFailure"),
    ({"providers": ["esa"]}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong"}, "discovery of esa in cn-hangzhou failed"),
    ({"providers": ["tse"]}, {}, "tencentcloud.regions (or tencentcloud.region, TENCENTCLOUD_REGION) is required for tse"),
    ({"tencentcloud": {"regions": [REGION]}, "name": ["www.example.com"]}, {}, "unknown option name (did you mean names?)"),
], ids=["unknown-provider", "bad-region", "bad-name-pattern", "unknown-option", "wrong-tencent-secret", "wrong-alibaba-secret", "no-region",
        "top-level-typo"])
def test_bad_configuration_fails_the_inventory(tmp_path, collections_path, fleet_sandbox, config, env, message):
    since = fleet_sandbox.client.last_seq()
    rc, found, output = inventory(tmp_path, collections_path, fleet_sandbox.url, config, env=env)
    assert rc != 0 and found is None
    assert message in " ".join(output.split()), output
    assert [c for c in fleet_sandbox.client.log(since=since) if c["write"]] == []


def test_an_api_failure_is_never_an_empty_inventory(tmp_path, collections_path, fleet_sandbox):
    """A provider whose API fails fails discovery; even without any_unparsed_is_failed ansible says why."""
    fleet_sandbox.client.add_fault(service="teo", action="DescribeZones", kind="error", code="InternalError", count=None)
    try:
        rc, found, output = inventory(tmp_path, collections_path, fleet_sandbox.url,
                                      dict(ALL_REGIONS, providers=["teo", "gaap"], tencentcloud={"regions": [REGION], "api_retries": 0}))
        assert rc != 0 and "discovery of teo failed: teo DescribeZones failed: InternalError" in " ".join(output.split()), output
        rc, found, output = inventory(tmp_path, collections_path, fleet_sandbox.url,
                                      dict(providers=["teo"], tencentcloud={"regions": [REGION], "api_retries": 0}), strict=False)
        assert "discovery of teo failed" in " ".join(output.split()) and "Unable to parse" in output
    finally:
        fleet_sandbox.client.clear_faults()


@pytest.mark.slow
def test_role_rotates_every_discovered_endpoint(playbook, sandbox, tmp_path, certs):
    """The shared sandbox's accounts as discovered: the role takes every host as it is, a second run settles."""
    domains = sandbox.state()["gaap"]["listeners"][0]["Domains"]
    stuck = next(i for i, d in enumerate(domains) if d["Domain"] == "stuck.example.com")
    sandbox.patch_state(["gaap", "listeners", 0, "Domains", stuck, "DomainStatus"], 0)  # the seed's never-settling domain
    source = tmp_path / "discovered.certops.yml"
    source.write_text(yaml.safe_dump({
        "plugin": "certops.cloud.endpoints", "tencentcloud": {"regions": [REGION, "ap-shanghai"]},
        "names": ["*.example.com", "example.com"],
        "compose": {"certops_endpoint": "certops_endpoint | combine({'verify_host': '127.0.0.1', 'verify_port': %d}, "
                                        "{'wait_interval': 0.05} if certops_endpoint.provider in ['gaap', 'clb'] else {})"
                                        % sandbox.tls_port()}}))
    env = dict(TENCENTCLOUD_SECRET_ID=SECRET_ID, TENCENTCLOUD_SECRET_KEY=SECRET_KEY, TENCENTCLOUD_ENDPOINT=sandbox.url,
               ALIBABA_CLOUD_ACCESS_KEY_ID=ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=ACCESS_KEY_SECRET,
               ALIBABA_CLOUD_ESA_ENDPOINT=sandbox.url, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    report = tmp_path / "report.json"
    play_vars = {"rotate_certificate": "{{ rotation_pem }}", "rotate_private_key": "{{ rotation_key }}", "rotate_report_file": str(report),
                 "rotate_verify_timeout": 5, "rotate_verify_delay": 0.2}
    first = playbook.run([], roles=[{"role": "certops.cloud.rotate"}], play_vars=play_vars, env=env, inventory_source=source)
    assert first.rc == 0, first.stdout + first.stderr
    rows = json.loads(report.read_text())
    by_provider = {}
    for row in rows:
        by_provider.setdefault(row["provider"], []).append(row)
    assert set(by_provider) == {"tse", "gaap", "teo", "clb", "esa"}
    assert len(by_provider["teo"]) == 45 and len(by_provider["gaap"]) == 3
    assert {row["result"] for row in rows} <= {"changed", "ok"} and all(row["verified"] for row in rows)
    assert all(row["after_fingerprint"] == certs.rotation.fingerprint_sha256 for row in rows)
    names = {row["endpoint"] for row in rows}
    assert {"clb-%s-lbl-sh000443" % LB_OTHER_REGION, "clb-%s-lbl-mtl00443" % LB_MTLS, "clb-%s-lbl-web00443" % LB_WEB,
            "clb-%s-lbl-sni00443-www.example.com" % LB_SNI, "gaap-%s-stuck.example.com" % LISTENER,
            "teo-%s-h01.example.com" % ZONE, "esa-%s-30001303" % SITE_ID} <= names
    assert any(name.startswith("tse-%s-" % GATEWAY) for name in names)
    second = playbook.run([], roles=[{"role": "certops.cloud.rotate"}], play_vars=play_vars, env=env, inventory_source=source)
    assert second.rc == 0, second.stdout
    assert [(w["action"], w["params"]) for w in second.writes] == []
    assert {row["result"] for row in json.loads(report.read_text())} == {"ok"}
