# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prepare the demo: a PKI with an expiring certificate and the next two renewals, and the sandbox cloud's seed state."""

from __future__ import annotations

import datetime
import os
import sys

import yaml

from sandbox_cloud import pki

DEMO_SECRET_ID = "AKIDcertopsDemo0000001"
DEMO_SECRET_KEY = "certops-demo-secret-key"
DEMO_ACCESS_KEY_ID = "LTAIcertopsDemo0001"
DEMO_ACCESS_KEY_SECRET = "certops-demo-access-key-secret"
REGION = "ap-guangzhou"


def write(path, text, private=False):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    if private:
        os.chmod(path, 0o600)


def main(out):
    os.makedirs(out, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    root = pki.make_ca("certops Demo Root CA")
    intermediate = pki.make_ca("certops Demo Intermediate CA", parent=root)
    names = ["*.example.com", "example.com"]
    old = pki.make_leaf("*.example.com", names, intermediate, now - 81 * day, now + 9 * day)
    new = pki.make_leaf("*.example.com", names, intermediate, now - day, now + 89 * day)
    following = pki.make_leaf("*.example.com", names, intermediate, now, now + 90 * day)  # the next quarter's renewal
    write(os.path.join(out, "new.fullchain.pem"), new.chain_pem)
    write(os.path.join(out, "new.key"), new.key_pem, private=True)
    write(os.path.join(out, "next.fullchain.pem"), following.chain_pem)
    write(os.path.join(out, "next.key"), following.key_pem, private=True)
    write(os.path.join(out, "root.pem"), root.cert_pem)
    state = {
        "accounts": [{"secret_id": DEMO_SECRET_ID, "secret_key": DEMO_SECRET_KEY, "uin": "100000000001"},
                     {"access_key_id": DEMO_ACCESS_KEY_ID, "access_key_secret": DEMO_ACCESS_KEY_SECRET}],
        "ssl": {"certificates": [{"CertificateId": "Demo0ld1", "Alias": "www-2026-q3",
                                  "CertificatePublicKey": old.chain_pem, "CertificatePrivateKey": old.key_pem}]},
        "tse": {"gateways": [
            {"GatewayId": "gateway-demo0001", "Region": REGION, "Certificates": [
                {"Id": "cert-www-ssl", "Name": "www", "BindDomains": ["www.example.com"],
                 "CertSource": "ssl", "CertId": "Demo0ld1"},
            ]},
        ]},
        "gaap": {
            "certificates": [{"CertificateId": "cert-demo0ld1", "CertificateType": 2, "CertificateAlias": "www-2026-q3",
                              "CertificateContent": old.chain_pem, "CertificateKey": old.key_pem}],
            "listeners": [{"ListenerId": "listener-demo0001", "Protocol": "HTTPS", "CertificateId": "cert-demo0ld1",
                           "Domains": [{"Domain": "global.example.com", "CertificateId": "cert-demo0ld1"},
                                       # An endpoint added since, missing from demo/inventory.yml: discovery finds it.
                                       {"Domain": "shop.example.com", "CertificateId": "cert-demo0ld1"}]}],
        },
        "teo": {"zones": [{"ZoneId": "zone-demo00000001", "ZoneName": "example.com", "Domains": [
            {"DomainName": host, "Certificate": {"Mode": "sslcert", "List": [{"CertId": "Demo0ld1"}]}}
            for host in ("edge.example.com", "static.example.com")]}]},
        "clb": {"load_balancers": [{"LoadBalancerId": "lb-demo0001", "LoadBalancerName": "web", "Region": REGION, "Listeners": [
            {"ListenerId": "lbl-demo0443", "Protocol": "HTTPS", "Port": 443, "Rules": [
                {"LocationId": "loc-demo0001", "Domain": "lb.example.com", "Url": "/",
                 "Certificate": {"SSLMode": "UNIDIRECTIONAL", "CertId": "Demo0ld1"}}]}]}]},
        "esa": {"sites": [{"SiteId": 1000000000001, "SiteName": "example.com", "Certificates": [
            {"Id": "30000001", "Name": "site", "Type": "upload", "Certificate": old.chain_pem, "PrivateKey": old.key_pem}]}]},
    }
    write(os.path.join(out, "state.yml"), yaml.safe_dump(state, sort_keys=False), private=True)
    write(os.path.join(out, "env.sh"),
          "export TENCENTCLOUD_SECRET_ID=%s TENCENTCLOUD_SECRET_KEY=%s TENCENTCLOUD_REGION=%s\n"
          "export ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n"
          % (DEMO_SECRET_ID, DEMO_SECRET_KEY, REGION, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET), private=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
