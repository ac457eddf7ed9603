# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prepare the demo: a PKI with an expiring certificate and the next two renewals, another team's expiring certificate, and
the sandbox cloud's seed state."""

from __future__ import annotations

import datetime
import os
import sys

import yaml

from sandbox_cloud import pki, world


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
    # Another team's site, example.org: nobody rotates it, the audit finds it expiring.
    legacy = pki.make_leaf("www.example.org", ["www.example.org"], intermediate, now - 78 * day, now + 12 * day)
    write(os.path.join(out, "new.fullchain.pem"), new.chain_pem)
    write(os.path.join(out, "new.key"), new.key_pem, private=True)
    write(os.path.join(out, "next.fullchain.pem"), following.chain_pem)
    write(os.path.join(out, "next.key"), following.key_pem, private=True)
    write(os.path.join(out, "root.pem"), root.cert_pem)
    state = world.demo_state(old, legacy)
    write(os.path.join(out, "state.yml"), yaml.safe_dump(state, sort_keys=False), private=True)
    write(os.path.join(out, "env.sh"), "".join("export %s=%s\n" % item for item in world.credentials_env().items()), private=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
