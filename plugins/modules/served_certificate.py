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
  - With O(targets), many endpoints are checked at once, concurrently, in one module run; the module then fails
    only when O(fail_on_mismatch) is set and a target does not serve its expected certificate.
author:
  - certops.cloud contributors (@certops)
options:
  host:
    description:
      - Host name or address to connect to.
      - Required unless O(targets) is given.
    type: str
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
  targets:
    description:
      - Check many endpoints concurrently instead of O(host). O(timeout), O(delay) and O(connect_timeout) apply to each.
    type: list
    elements: dict
    suboptions:
      name:
        description: Key of this target in RV(endpoints). Defaults to O(targets[].server_name), else O(targets[].host).
        type: str
      host:
        description: Host name or address to connect to.
        type: str
        required: true
      port:
        description: TCP port.
        type: int
        default: 443
      server_name:
        description: Name sent with SNI. Defaults to O(targets[].host).
        type: str
      expected_fingerprint:
        description: SHA-256 fingerprint of the expected leaf.
        type: str
  concurrency:
    description: How many O(targets) are checked at the same time.
    type: int
    default: 20
  fail_on_mismatch:
    description: With O(targets), fail when a target does not serve its expected certificate.
    type: bool
    default: false
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

- name: Check many endpoints at once
  certops.cloud.served_certificate:
    targets:
      - host: 203.0.113.10
        server_name: www.example.com
        expected_fingerprint: "{{ checked.certificate.fingerprint_sha256 }}"
      - host: api.example.com
        expected_fingerprint: "{{ checked.certificate.fingerprint_sha256 }}"
    timeout: 300
  register: served
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
  returned: without O(targets)
  type: int
endpoints:
  description:
    - With O(targets), one entry per target name, with the keys above and V(error) (why no expected certificate
      was seen, or null).
  returned: when O(targets) is given
  type: dict
"""

import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.certops.cloud.plugins.module_utils._certificate import CertificateBundle, CertificateError, normalize_fingerprint
from ansible_collections.certops.cloud.plugins.module_utils._common import CertopsModule


class ServedCertificate(CertopsModule):
    argument_spec = dict(
        host=dict(type="str"),
        port=dict(type="int", default=443),
        server_name=dict(type="str"),
        expected_fingerprint=dict(type="str"),
        timeout=dict(type="int", default=120),
        delay=dict(type="float", default=5),
        connect_timeout=dict(type="float", default=10),
        targets=dict(type="list", elements="dict", options=dict(
            name=dict(type="str"),
            host=dict(type="str", required=True),
            port=dict(type="int", default=443),
            server_name=dict(type="str"),
            expected_fingerprint=dict(type="str"),
        )),
        concurrency=dict(type="int", default=20),
        fail_on_mismatch=dict(type="bool", default=False),
    )
    module_kwargs = dict(required_one_of=[("host", "targets")], mutually_exclusive=[("host", "targets")])

    def endpoint_label(self):
        if self.params["targets"] is not None:
            return "tls (%d targets)" % len(self.params["targets"])
        return label(self.params)

    def handshake(self, target):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with socket.create_connection((target["host"], target["port"]), timeout=self.params["connect_timeout"]) as sock:
            with context.wrap_socket(sock, server_hostname=target["server_name"] or target["host"]) as tls:
                der = tls.getpeercert(binary_form=True)
        return CertificateBundle.from_der(der).summary()

    def observe(self, target):
        """Connect until the expected leaf is served or the time is up; the result of one target."""
        expected = normalize_fingerprint(target["expected_fingerprint"]) if target["expected_fingerprint"] else None
        deadline = time.monotonic() + self.params["timeout"]
        attempts, summary, error = 0, None, None
        while True:
            attempts += 1
            try:
                summary, error = self.handshake(target), None
            except (OSError, ssl.SSLError, CertificateError) as exc:
                summary, error = None, str(exc)
            served = summary and summary["fingerprint_sha256"]
            if expected is None or served == expected or time.monotonic() + self.params["delay"] > deadline:
                break
            time.sleep(self.params["delay"])
        result = dict(fingerprint_sha256=served or None, certificate=summary, attempts=attempts, error=None)
        if expected is not None:
            result["matches"] = served == expected
            if not result["matches"]:
                what = "serves %s" % served if served else "no certificate (%s)" % error
                result["error"] = "expected certificate %s is not served after %s s: the endpoint %s" % (expected, self.params["timeout"], what)
        elif error:
            result["error"] = "TLS handshake failed: %s" % error
        return result

    def execute(self):
        if self.params["targets"] is not None:
            return self.execute_many(self.params["targets"])
        result = self.observe(self.params)
        error = result.pop("error")
        result["changed"] = False
        if error:
            self.fail(error, **result)
        return result

    def execute_many(self, targets):
        names = [target["name"] or target["server_name"] or target["host"] for target in targets]
        if len(set(names)) != len(names):
            self.fail("target names must be unique (set targets[].name)")
        with ThreadPoolExecutor(max_workers=max(1, min(self.params["concurrency"], len(targets) or 1))) as pool:
            results = dict(zip(names, pool.map(self.observe, targets)))
        failed = sorted("%s (%s): %s" % (name, label(target), results[name]["error"])
                        for name, target in zip(names, targets) if results[name]["error"])
        if failed and self.params["fail_on_mismatch"]:
            self.fail("%d of %d targets: %s" % (len(failed), len(targets), "; ".join(failed)), endpoints=results)
        return dict(changed=False, endpoints=results)


def label(target):
    return "tls %s:%s (SNI %s)" % (target["host"], target["port"], target["server_name"] or target["host"])


def main():
    module = ServedCertificate.define_module()
    ServedCertificate(module).run()


if __name__ == "__main__":
    main()
