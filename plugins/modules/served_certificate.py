#!/usr/bin/python
# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: served_certificate
short_description: Read the certificate and chain an endpoint serves over TLS, and wait until they are the expected ones
version_added: 0.1.0
description:
  - Opens a TLS connection with SNI to O(host) and O(port), reads the certificates the endpoint sends (the leaf and
    its chain, as sent, before any verification) and compares the leaf's DER SHA-256 fingerprint with
    O(expected_fingerprint), retrying every O(delay) seconds for up to O(timeout) seconds (edge networks take a while
    to propagate a new certificate).
  - With O(check_chain) and O(expected_chain), the chain sent after the leaf must be the certificate's own chain, in
    order. An endpoint that sends the leaf alone, a stale or an extra intermediate, or the chain out of order fails,
    naming the certificate concerned. A self-signed root at the end may be sent or left out.
  - With O(check_chain) and no O(expected_chain) (an audit), the chain's structure is checked, by signature. The
    leaf's issuer must be sent (unless the leaf is self-signed or issued by a trust anchor of O(ca_path); the root
    above an intermediate may be left out), each certificate must be followed by its issuer when that issuer is sent,
    and each certificate after the leaf must have issued another certificate sent (nothing unrelated). Each problem
    is named, with the subjects and SHA-256 fingerprints concerned.
  - With O(ca_path), the served chain must also validate to those trust anchors for the server name, with the
    X.509 verification of the Python library C(cryptography) (web PKI rules - names, validity, CA constraints).
  - With O(targets), many endpoints are checked at once, concurrently, in one module run; the module then fails
    only when O(fail_on_mismatch) is set and a target does not serve its expected certificate.
seealso:
  - module: certops.cloud.certificate_check
    description: Gives the fingerprints to expect (RV(certops.cloud.certificate_check#module:certificate)) and each
      endpoint's target (RV(certops.cloud.certificate_check#module:endpoints)).
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
  expected_chain:
    description:
      - SHA-256 fingerprints of the certificate's chain after the leaf, in order (the C(chain) of the certificate's
        summary, as M(certops.cloud.certificate_check) returns it). Only with O(check_chain).
      - Without it, O(check_chain) checks the structure of the served chain instead (see the description).
    type: list
    elements: str
  check_chain:
    description:
      - Check the chain the endpoint sends after the leaf against O(expected_chain) when given, else its structure -
        the leaf's issuer sent unless the leaf is self-signed or issued by a trust anchor of O(ca_path), each
        certificate followed by its issuer when that issuer is sent, no unrelated certificate (see the description).
      - A target whose chain is wrong is not served as expected.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of trust anchors (root certificates), or a directory of C(*.pem), C(*.crt) and C(*.cer) files.
        Each served chain must validate to one of them for its server name. Read before any connection.
    type: path
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
      expected_chain:
        description: SHA-256 fingerprints of the certificate's chain after the leaf, in order (see O(expected_chain)).
        type: list
        elements: str
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
    expected_chain: "{{ checked.certificate.chain | map(attribute='fingerprint_sha256') }}"
    ca_path: /etc/pki/tls/certs/ca-bundle.crt
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
  sample: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec"
certificate:
  description: Summary of the served leaf, with the keys of RV(certops.cloud.certificate_check#module:certificate) but C(chain).
  returned: when a handshake succeeded
  type: dict
  sample: {subject: CN=www.example.com, common_name: www.example.com, issuer: "CN=R11,O=Let's Encrypt,C=US",
    serial_number: "3895027e3241b090084dae4d0478e3211465526e", subject_alt_names: [www.example.com, example.com],
    not_before: "2026-12-05T09:48:45Z", not_after: "2027-03-05T09:48:45Z",
    fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec", fingerprint_sha1: "a80bf87095c6361a6a3bdae412eedc8fda14ecc5"}
chain:
  description:
    - The certificates sent after the leaf, in order - C(subject), C(fingerprint_sha256), C(not_after).
    - Null when no handshake succeeded or the Python running the module cannot read a peer's chain (before 3.10).
  returned: always
  type: list
  elements: dict
  sample: [{subject: "CN=R11,O=Let's Encrypt,C=US", not_after: "2027-03-12T23:59:59Z",
            fingerprint_sha256: "267c5992c48292da517799436f5bd240218d6da7eaffd4079e5e09a53a349ec2"}]
chain_matches:
  description:
    - Whether the served chain is right (see O(check_chain)); null when it was not checked or could not be read.
    - With O(expected_chain), whether the chain sent after the leaf is that chain; without it, whether the chain is
      structurally right - the leaf's issuer sent (or a trust anchor of O(ca_path)), each certificate followed by its
      issuer, nothing unrelated.
  returned: always
  type: bool
  sample: true
chain_valid:
  description: With O(ca_path), whether the served chain validates to those trust anchors; null otherwise.
  returned: always
  type: bool
  sample: true
matches:
  description: Whether the served leaf is the expected one (the chain is in RV(chain_matches)).
  returned: when O(expected_fingerprint) is given
  type: bool
  sample: true
attempts:
  description: Number of connections made.
  returned: without O(targets)
  type: int
  sample: 1
endpoints:
  description:
    - With O(targets), one entry per target name, with the keys above and C(error) (why no expected certificate
      was seen, or null).
  returned: when O(targets) is given
  type: dict
  sample:
    www: {fingerprint_sha256: "52dd10ba389dfcc7c26dc4ea6c8cecd3616a7e6244a3528aa4d65f3a24437cec", matches: true, chain_matches: true,
          chain_valid: null, attempts: 1, error: null, certificate: {subject: CN=www.example.com, not_after: "2027-03-05T09:48:45Z"},
          chain: [{subject: "CN=R11,O=Let's Encrypt,C=US", not_after: "2027-03-12T23:59:59Z",
                   fingerprint_sha256: "267c5992c48292da517799436f5bd240218d6da7eaffd4079e5e09a53a349ec2"}]}
    nowhere.example.com: {fingerprint_sha256: null, certificate: null, chain: null, chain_matches: null, chain_valid: null, attempts: 1,
                          error: "TLS handshake failed: [SSL: TLSV1_UNRECOGNIZED_NAME] tlsv1 unrecognized name (_ssl.c:1000)"}
"""

import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.certops.cloud.plugins.module_utils._certificate import CertificateError, describe_certificate, normalize_fingerprint
from ansible_collections.certops.cloud.plugins.module_utils._module import CertopsModule
from ansible_collections.certops.cloud.plugins.module_utils._served import (
    chain_problem,
    describe_chain,
    load_anchors,
    load_chain,
    peer_chain_der,
    validation_problem,
)


class ServedCertificate(CertopsModule):
    argument_spec = dict(
        host=dict(type="str"),
        port=dict(type="int", default=443),
        server_name=dict(type="str"),
        expected_fingerprint=dict(type="str"),
        expected_chain=dict(type="list", elements="str"),
        check_chain=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="int", default=120),
        delay=dict(type="float", default=5),
        connect_timeout=dict(type="float", default=10),
        targets=dict(type="list", elements="dict", options=dict(
            name=dict(type="str"),
            host=dict(type="str", required=True),
            port=dict(type="int", default=443),
            server_name=dict(type="str"),
            expected_fingerprint=dict(type="str"),
            expected_chain=dict(type="list", elements="str"),
        )),
        concurrency=dict(type="int", default=20),
        fail_on_mismatch=dict(type="bool", default=False),
    )
    module_kwargs = dict(required_one_of=[("host", "targets")], mutually_exclusive=[("host", "targets")])
    anchors = None

    def endpoint_label(self):
        if self.params["targets"] is not None:
            return "tls (%d targets)" % len(self.params["targets"])
        return label(self.params)

    def handshake(self, target):
        """The certificates the endpoint sends, leaf first, and whether its chain could be read."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        with socket.create_connection((target["host"], target["port"]), timeout=self.params["connect_timeout"]) as sock:
            with context.wrap_socket(sock, server_hostname=server_name(target)) as tls:
                ders = peer_chain_der(tls)
                known = bool(ders)
                ders = ders or [tls.getpeercert(binary_form=True)]
        return load_chain(ders), known

    def inspect(self, target, certificates, known):
        """What one handshake showed, and the chain's problem (None when right or not checked)."""
        seen = dict(fingerprint_sha256=None, certificate=describe_certificate(certificates[0]),
                    chain=describe_chain(certificates) if known else None, chain_matches=None, chain_valid=None)
        seen["fingerprint_sha256"] = seen["certificate"]["fingerprint_sha256"]
        problem = None
        if self.params["check_chain"]:
            if not known:
                problem = "cannot read the served chain with this Python (needs 3.10 or later); set check_chain: false"
            else:
                expected = target.get("expected_chain")
                problem = chain_problem(certificates, [normalize_fingerprint(fp) for fp in expected] if expected is not None else None,
                                        anchors=self.anchors)
                seen["chain_matches"] = problem is None
        if self.anchors is not None:
            invalid = validation_problem(certificates, server_name(target), self.anchors, self.params["ca_path"])
            seen["chain_valid"] = invalid is None
            problem = problem or invalid
        return seen, problem

    def observe(self, target):
        """Connect until the expected leaf and a right chain are served or the time is up; the result of one target."""
        expected = normalize_fingerprint(target["expected_fingerprint"]) if target["expected_fingerprint"] else None
        deadline = time.monotonic() + self.params["timeout"]
        attempts = 0
        while True:
            attempts += 1
            seen, problem, error = dict(fingerprint_sha256=None, certificate=None, chain=None, chain_matches=None, chain_valid=None), None, None
            try:
                seen, problem = self.inspect(target, *self.handshake(target))
            except (OSError, ssl.SSLError, CertificateError) as exc:
                error = str(exc)
            served = seen["fingerprint_sha256"]
            settled = served is not None and (expected is None or served == expected) and problem is None
            if expected is None or settled or time.monotonic() + self.params["delay"] > deadline:
                break
            time.sleep(self.params["delay"])
        result = dict(seen, attempts=attempts, error=None)
        if expected is not None:
            result["matches"] = served == expected
            if not result["matches"]:
                what = "serves %s" % served if served else "no certificate (%s)" % error
                result["error"] = "expected certificate %s is not served after %s s: the endpoint %s" % (expected, self.params["timeout"], what)
        if not result["error"]:
            result["error"] = ("TLS handshake failed: %s" % error) if error else problem
        return result

    def execute(self):
        if self.params["ca_path"]:
            try:
                self.anchors = load_anchors(self.params["ca_path"])
            except CertificateError as exc:
                self.fail(str(exc))
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


def server_name(target):
    return target["server_name"] or target["host"]


def label(target):
    return "tls %s:%s (SNI %s)" % (target["host"], target["port"], server_name(target))


def main():
    ServedCertificate.run_module()


if __name__ == "__main__":
    main()
