#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: served_certificate
short_description: Read the certificate an endpoint serves over TLS, and wait until it is the expected one
version_added: 0.1.0
description:
  - Opens a TLS connection with SNI to O(host) and O(port), reads the leaf certificate the endpoint presents and
    compares its DER SHA-256 fingerprint with O(expected_fingerprint), retrying every O(delay) seconds for up to
    O(timeout) seconds (edge networks take a while to propagate a new certificate).
  - The served chain is not checked against a trust store; the comparison is by fingerprint.
author:
  - certops.cloud contributors (@certops)
options:
  host:
    description: Host name or address to connect to.
    type: str
    required: true
  port:
    description: TCP port.
    type: int
    default: 443
  server_name:
    description: Name sent with SNI. Defaults to O(host).
    type: str
  expected_fingerprint:
    description: SHA-256 fingerprint of the expected leaf (hex, with or without colons). Without it the module only reads.
    type: str
  timeout:
    description: Seconds to keep retrying until the expected certificate is served.
    type: int
    default: 120
  delay:
    description: Seconds between two attempts.
    type: float
    default: 5
  connect_timeout:
    description: Seconds for one connection and handshake.
    type: float
    default: 10
extends_documentation_fragment:
  - certops.cloud.attributes
  - certops.cloud.attributes.info_module
"""

EXAMPLES = r"""
- name: Wait until the endpoint serves the new certificate
  certops.cloud.served_certificate:
    host: www.example.com
    expected_fingerprint: "{{ checked.certificate.fingerprint_sha256 }}"
    timeout: 300
"""

RETURN = r"""
fingerprint_sha256:
  description: SHA-256 fingerprint of the served leaf (lower-case hex), null when no handshake succeeded.
  returned: always
  type: str
certificate:
  description: Summary of the served leaf (subject, SANs, not_after, fingerprints).
  returned: when a handshake succeeded
  type: dict
matches:
  description: Whether the served leaf is the expected one.
  returned: when O(expected_fingerprint) is given
  type: bool
attempts:
  description: Number of connections made.
  returned: always
  type: int
"""

import socket
import ssl
import time

from ansible_collections.certops.cloud.plugins.module_utils._certificate import CertificateBundle, normalize_fingerprint
from ansible_collections.certops.cloud.plugins.module_utils._common import CertopsModule


class ServedCertificate(CertopsModule):
    argument_spec = dict(
        host=dict(type="str", required=True),
        port=dict(type="int", default=443),
        server_name=dict(type="str"),
        expected_fingerprint=dict(type="str"),
        timeout=dict(type="int", default=120),
        delay=dict(type="float", default=5),
        connect_timeout=dict(type="float", default=10),
    )

    def endpoint_label(self):
        return "tls %s:%s (SNI %s)" % (self.params["host"], self.params["port"], self.params["server_name"] or self.params["host"])

    def handshake(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with socket.create_connection((self.params["host"], self.params["port"]), timeout=self.params["connect_timeout"]) as sock:
            with context.wrap_socket(sock, server_hostname=self.params["server_name"] or self.params["host"]) as tls:
                der = tls.getpeercert(binary_form=True)
        return CertificateBundle.from_der(der).summary()

    def execute(self):
        expected = normalize_fingerprint(self.params["expected_fingerprint"]) if self.params["expected_fingerprint"] else None
        deadline = time.monotonic() + self.params["timeout"]
        attempts, summary, error = 0, None, None
        while True:
            attempts += 1
            try:
                summary, error = self.handshake(), None
            except (OSError, ssl.SSLError) as exc:
                summary, error = None, str(exc)
            served = summary and summary["fingerprint_sha256"]
            if expected is None or served == expected or time.monotonic() + self.params["delay"] > deadline:
                break
            time.sleep(self.params["delay"])
        result = dict(changed=False, fingerprint_sha256=served or None, certificate=summary, attempts=attempts)
        if expected is not None:
            result["matches"] = served == expected
            if not result["matches"]:
                what = "serves %s" % served if served else "no certificate (%s)" % error
                self.fail("expected certificate %s is not served after %s s: the endpoint %s" % (expected, self.params["timeout"], what), **result)
        elif error:
            self.fail("TLS handshake failed: %s" % error, **result)
        return result


def main():
    module = ServedCertificate.define_module()
    ServedCertificate(module).run()


if __name__ == "__main__":
    main()
