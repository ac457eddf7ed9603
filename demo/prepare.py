# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prepare the demo: a PKI with an expiring and a renewed certificate, and the sandbox cloud's seed state."""

from __future__ import annotations

import datetime
import os
import sys

import yaml

from sandbox_cloud import pki

DEMO_SECRET_ID = "AKIDcertopsDemo0000001"
DEMO_SECRET_KEY = "certops-demo-secret-key"
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
    names = ["www.example.com", "example.com"]
    old = pki.make_leaf("www.example.com", names, intermediate, now - 81 * day, now + 9 * day)
    new = pki.make_leaf("www.example.com", names, intermediate, now - day, now + 89 * day)
    write(os.path.join(out, "new.fullchain.pem"), new.chain_pem)
    write(os.path.join(out, "new.key"), new.key_pem, private=True)
    write(os.path.join(out, "root.pem"), root.cert_pem)
    state = {
        "accounts": [{"secret_id": DEMO_SECRET_ID, "secret_key": DEMO_SECRET_KEY, "uin": "100000000001"}],
        "ssl": {"certificates": [{"CertificateId": "Demo0ld1", "Alias": "www-2026-q3",
                                  "CertificatePublicKey": old.chain_pem, "CertificatePrivateKey": old.key_pem}]},
        "tse": {"gateways": [
            {"GatewayId": "gateway-demo0001", "Region": REGION, "Certificates": [
                {"Id": "cert-www-ssl", "Name": "www", "BindDomains": ["www.example.com"],
                 "CertSource": "ssl", "CertId": "Demo0ld1"},
            ]},
            {"GatewayId": "gateway-demo0002", "Region": REGION, "Certificates": [
                {"Id": "cert-www-native", "Name": "www-native", "BindDomains": ["example.com"],
                 "CertSource": "native", "Crt": old.chain_pem, "Key": old.key_pem},
            ]},
        ]},
    }
    write(os.path.join(out, "state.yml"), yaml.safe_dump(state, sort_keys=False), private=True)
    write(os.path.join(out, "env.sh"), "export TENCENTCLOUD_SECRET_ID=%s TENCENTCLOUD_SECRET_KEY=%s TENCENTCLOUD_REGION=%s\n"
          % (DEMO_SECRET_ID, DEMO_SECRET_KEY, REGION), private=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
