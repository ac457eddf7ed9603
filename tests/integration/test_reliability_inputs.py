# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: the bad-input matrix.

Every case is bad input to a module or to the rotate role. Each must fail
before any write call - local input before any API call at all - with a
message that names the problem and the endpoint (the module's endpoint label,
or the inventory host names for the role). Module cases share one playbook
per kind (tasks with ``ignore_errors``, each named after its case id):

* local input (PEM, key, size, options, missing credentials): the sandbox
  sees no call at all during the whole run;
* an unreachable endpoint: no sandbox call either, and the run takes seconds;
* unknown ids and wrong secrets: reads only, the sandbox sees no write call.

The role cases (names not covered, bad ``certops_endpoint`` settings, no
certificate) are one run each and make no API call.

CRLF line ends, a UTF-8 byte order mark, a CA certificate alone and a
self-signed leaf are inputs that must work; they are in the matrix too.
The expected message texts are printed in docs/reliability.md: keep them
free of dates and random ids.
"""

from __future__ import annotations

import base64
import datetime
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from harness import (
    ESA_CERT_ID, GATEWAY, LISTENER, NATIVE_ENTRY, OLD_CERT_ID, SITE_ID, SSL_ENTRY, TEO_CERT_ID, ZONE,
)
from reliability import record
from test_role_rotate import ENDPOINTS, inventory

C = "certops.cloud."
TSE = "tencentcloud_tse_gateway_certificate"
SSL = "tencentcloud_ssl_certificate"
GAAP_STORE = "tencentcloud_gaap_certificate"
GAAP_DOMAIN = "tencentcloud_gaap_domain_certificate"
TEO = "tencentcloud_teo_hosts_certificate"
CLB = "tencentcloud_clb_certificate"
ESA = "alicloud_esa_certificate"
CHECK = "certificate_check"

# Endpoint labels: the prefix of every message of a module.
TSE_LABEL = "tencentcloud tse gateway %s certificate %s" % (GATEWAY, NATIVE_ENTRY)
SSL_LABEL = "tencentcloud ssl store"
GAAP_STORE_LABEL = "tencentcloud gaap store"
CLB_LABEL = "tencentcloud clb certificate %s" % OLD_CERT_ID
ESA_LABEL = "alicloud esa site %s certificate %s" % (SITE_ID, ESA_CERT_ID)
CHECK_LABEL = "certificate check"

PASSPHRASE = "certops-input-passphrase"
UNREACHABLE = "http://127.0.0.1:9"
HUGE_CERTIFICATE = 3 * 1024 * 1024
HUGE_KEY = 1024 * 1024
GOOD = {"certificate": "{{ new_pem }}", "private_key": "{{ new_key }}"}
INTERMEDIATE = "CN=certops test intermediate,O=certops sandbox"
ROOT_CA = "CN=certops test root,O=certops sandbox"
LEAF = "CN=www.example.com,O=certops sandbox"


def tse(**args):
    return (TSE, dict(dict(gateway_id=GATEWAY, id=NATIVE_ENTRY, cert_source="native"), **args), TSE_LABEL)


def esa(**args):
    return (ESA, dict(dict(site_id=SITE_ID, id=ESA_CERT_ID), **args), ESA_LABEL)


def clb(**args):
    return (CLB, dict(dict(old_certificate_id=OLD_CERT_ID), **args), CLB_LABEL)


def ssl(**args):
    return (SSL, args, SSL_LABEL)


def gaap_store(**args):
    return (GAAP_STORE, args, GAAP_STORE_LABEL)


def check(**args):
    return (CHECK, args, CHECK_LABEL)


class Inputs:
    """Bad (and good) certificate and key texts made from the harness PKI."""

    def __init__(self, certs, tmp_path):
        new = certs.new
        der = new.cert.public_bytes(serialization.Encoding.DER)
        self.der_base64 = base64.encodebytes(der).decode("ascii")
        key_der = new.key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
        self.key_der_base64 = base64.encodebytes(key_der).decode("ascii")
        leaf_length = len(new.cert_pem)
        self.cut_in_chain = new.chain_pem[:leaf_length + (len(new.chain_pem) - leaf_length) // 2]
        self.no_end_line = new.cert_pem.rsplit("-----END", 1)[0]
        self.cut_key = new.key_pem[:len(new.key_pem) // 2]
        self.encrypted_key = new.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE.encode())).decode("ascii")
        self.reversed_chain = certs.intermediate.cert_pem + new.cert_pem
        self.self_signed_pem, self.self_signed_key = self_signed("selfsigned.example.com")
        self.ca_pem = certs.intermediate.cert_pem
        # Big inputs go through a file lookup (which strips a trailing newline): the playbook stays small.
        self.huge_certificate = tmp_path / "huge.pem"
        self.huge_certificate.write_text((new.chain_pem * (HUGE_CERTIFICATE // len(new.chain_pem) + 1))[:HUGE_CERTIFICATE - 1] + "x")
        self.huge_key = tmp_path / "huge.key"
        self.huge_key.write_text("x" * HUGE_KEY)


def self_signed(name):
    """A self-signed leaf (not a CA) and its key, PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode("ascii")
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii"), key_pem


def local_cases(inputs):
    """(case id, input description, (module, args, label), expected message) - no API call may happen."""
    return [
        ("not-pem", "plain text instead of PEM",
         tse(certificate="not a certificate", private_key="{{ new_key }}"),
         "certificate is not PEM text (no -----BEGIN CERTIFICATE----- block)"),
        ("der-as-pem", "base64 DER certificate without the PEM armour",
         ssl(certificate=inputs.der_base64, private_key="{{ new_key }}"),
         "certificate is DER (base64 without the PEM armour), not PEM text; convert to PEM: "
         "openssl x509 -inform DER -in cert.der -out cert.pem"),
        ("der-key-as-pem", "base64 DER private key without the PEM armour",
         check(certificate="{{ new_pem }}", private_key=inputs.key_der_base64),
         "private key is DER (base64 without the PEM armour), not PEM text; convert to PEM: "
         "openssl pkey -inform DER -in key.der -out key.pem"),
        ("truncated-pem", "chain cut in the middle of the intermediate",
         clb(certificate=inputs.cut_in_chain, private_key="{{ new_key }}"),
         "certificate contains no complete PEM certificate in block 2: it is truncated (-----BEGIN CERTIFICATE----- "
         "without its -----END CERTIFICATE----- line)"),
        ("pem-end-line-missing", "certificate without its END line",
         gaap_store(certificate=inputs.no_end_line, private_key="{{ new_key }}"),
         "certificate contains no complete PEM certificate in block 1: it is truncated (-----BEGIN CERTIFICATE----- "
         "without its -----END CERTIFICATE----- line)"),
        ("truncated-key", "private key cut in the middle",
         tse(certificate="{{ new_pem }}", private_key=inputs.cut_key),
         "private key is truncated: its PEM block has a BEGIN line but no END line"),
        ("key-mismatch", "the key of another certificate",
         ssl(certificate="{{ new_pem }}", private_key="{{ other_key }}"),
         "private key does not match the certificate (%s)" % LEAF),
        ("encrypted-key-no-passphrase", "encrypted private key, no passphrase",
         esa(certificate="{{ new_pem }}", private_key=inputs.encrypted_key),
         "private key is encrypted and no passphrase was given; set private_key_passphrase"),
        ("wrong-passphrase", "encrypted private key, wrong passphrase",
         tse(certificate="{{ new_pem }}", private_key=inputs.encrypted_key, private_key_passphrase="not-the-passphrase"),
         "private key could not be decrypted: wrong passphrase, or the key is malformed"),
        ("expired", "certificate expired 10 days ago",
         clb(certificate="{{ expired_pem }}", private_key="{{ expired_key }}"),
         "certificate is expired: expired on"),
        ("not-yet-valid", "certificate valid from in 10 days",
         gaap_store(certificate="{{ not_yet_pem }}", private_key="{{ not_yet_key }}"),
         "certificate is not yet valid: valid from"),
        ("chain-out-of-order", "intermediate first, then the leaf",
         tse(certificate=inputs.reversed_chain, private_key="{{ new_key }}"),
         "certificate chain out of order: certificate 1 (%s) its issuer %s is not the subject of the next certificate "
         "(%s); give the leaf first, then each issuer in order" % (INTERMEDIATE, ROOT_CA, LEAF)),
        ("chain-missing", "leaf issued by an intermediate, without the intermediate",
         ssl(certificate="{{ new_leaf_pem }}", private_key="{{ new_key }}"),
         "certificate chain missing: the certificate is issued by %s but no issuer certificate follows it; give the "
         "full chain, leaf first, then the intermediate certificates (fullchain.pem)" % INTERMEDIATE),
        ("key-in-certificate-field", "private key pasted into certificate",
         gaap_store(certificate="{{ new_key }}", private_key="{{ new_key }}"),
         "certificate contains a private key block; pass the key in private_key"),
        ("certificate-in-key-field", "certificate pasted into private_key",
         clb(certificate="{{ new_pem }}", private_key="{{ new_pem }}"),
         "private key holds a certificate, not a private key; the certificate goes in certificate"),
        ("empty-certificate", "certificate is an empty string",
         ssl(certificate="", private_key="{{ new_key }}"),
         "certificate is empty"),
        ("empty-private-key", "private_key is an empty string",
         tse(certificate="{{ new_pem }}", private_key=""),
         "private key is empty"),
        ("huge-certificate", "3 MiB certificate text",
         gaap_store(certificate="{{ lookup('file', '%s') }}" % inputs.huge_certificate, private_key="{{ new_key }}"),
         "certificate is too large: %d bytes, more than the limit of 262144 bytes (256 KiB); give the leaf and its chain only"
         % HUGE_CERTIFICATE),
        ("huge-private-key", "1 MiB private key text",
         check(certificate="{{ new_pem }}", private_key="{{ lookup('file', '%s') }}" % inputs.huge_key),
         "private key is too large: %d bytes, more than the limit of 65536 bytes (64 KiB)" % HUGE_KEY),
        ("malformed-endpoint-tencentcloud", "endpoint ftp://127.0.0.1/x",
         ssl(certificate="{{ new_pem }}", private_key="{{ new_key }}", endpoint="ftp://127.0.0.1/x"),
         "endpoint 'ftp://127.0.0.1/x' must be a host name or an http(s):// URL"),
        ("malformed-endpoint-alicloud", "endpoint with a path",
         esa(certificate="{{ new_pem }}", private_key="{{ new_key }}", endpoint="https://esa.example.com/v1"),
         "endpoint 'https://esa.example.com/v1' must not contain a path or query"),
        ("missing-credentials-tencentcloud", "no secret_id/secret_key, no environment, no profile",
         tse(secret_id="", secret_key="", **GOOD),
         "no Tencent Cloud credentials found: set secret_id and secret_key (or the environment variables "
         "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY), a profile file (~/.tencentcloud/credentials) "
         "or run on a CVM with a CAM role"),
        ("missing-credentials-alicloud", "no access keys, no environment, no profile",
         esa(access_key_id="", access_key_secret="", **GOOD),
         "no Alibaba Cloud credentials found: set access_key_id and access_key_secret (or the environment variables "
         "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET), a profile (~/.alibabacloud/credentials.ini "
         "or ~/.aliyun/config.json) or run on an ECS instance with a RAM role"),
    ]


def unreachable_cases():
    """An endpoint where nothing listens: no sandbox call, and a bounded number of retries."""
    return [
        ("unreachable-endpoint-tencentcloud", "endpoint %s (nothing listens), api_retries 1" % UNREACHABLE,
         tse(endpoint=UNREACHABLE, api_retries=1, **GOOD),
         "cannot reach the Tencent Cloud API endpoint %s (Connection refused, api_retries=1); check endpoint, region "
         "and the network or proxy" % UNREACHABLE),
        ("unreachable-endpoint-alicloud", "endpoint %s (nothing listens), api_retries 1" % UNREACHABLE,
         esa(endpoint=UNREACHABLE, api_retries=1, **GOOD),
         "cannot reach the Alibaba Cloud API endpoint %s (Connection refused, api_retries=1); check endpoint, region "
         "and the network or proxy" % UNREACHABLE),
    ]


# Inputs that must work, without any API call.
def local_good_cases(inputs):
    return [
        ("ca-certificate-alone", "a CA certificate alone (client CA), no key", check(certificate=inputs.ca_pem)),
        ("self-signed-leaf", "a self-signed leaf alone with its key",
         check(certificate=inputs.self_signed_pem, private_key=inputs.self_signed_key)),
    ]


def id_cases():
    """(case id, input, (module, args, label), expected message) - reads may happen, writes may not."""
    missing_entry = "00000000-0000-4000-8000-000000000000"
    return [
        ("unknown-tse-gateway", "gateway_id that does not exist",
         (TSE, dict(gateway_id="gateway-00000000", id=NATIVE_ENTRY, cert_source="native", **GOOD),
          "tencentcloud tse gateway gateway-00000000 certificate %s" % NATIVE_ENTRY),
         "ResourceNotFound.InstanceNotFound: The gateway instance `gateway-00000000` does not exist in region ap-guangzhou."),
        ("unknown-tse-entry", "certificate entry id that does not exist on the gateway",
         (TSE, dict(gateway_id=GATEWAY, id=missing_entry, cert_source="native", **GOOD),
          "tencentcloud tse gateway %s certificate %s" % (GATEWAY, missing_entry)),
         "ResourceNotFound.ResourceNotFound: The certificate `%s` does not exist on this gateway." % missing_entry),
        ("unknown-ssl-cert-id", "cert_id that is not in the SSL store",
         (TSE, dict(gateway_id=GATEWAY, id=SSL_ENTRY, cert_source="ssl", cert_id="NOSUCHID"),
          "tencentcloud tse gateway %s certificate %s" % (GATEWAY, SSL_ENTRY)),
         "cert_id NOSUCHID is not in the Tencent Cloud SSL certificate store"),
        ("unknown-gaap-listener", "listener_id that does not exist",
         (GAAP_DOMAIN, dict(listener_id="listener-00000000", domain="www.example.com", certificate_id="cert-old00001"),
          "tencentcloud gaap listener listener-00000000 domain www.example.com"),
         "listener listener-00000000 was not found: gaap DescribeRules failed: ResourceNotFound: "
         "The listener `listener-00000000` does not exist."),
        ("unknown-gaap-domain", "domain not configured on the listener",
         (GAAP_DOMAIN, dict(listener_id=LISTENER, domain="nope.example.com", certificate_id="cert-old00001"),
          "tencentcloud gaap listener %s domain nope.example.com" % LISTENER),
         "domain nope.example.com is not configured on listener %s" % LISTENER),
        ("unknown-gaap-certificate-id", "certificate_id not in the GAAP store",
         (GAAP_DOMAIN, dict(listener_id=LISTENER, domain="www.example.com", certificate_id="cert-00000000"),
          "tencentcloud gaap listener %s domain www.example.com" % LISTENER),
         "certificate cert-00000000 is not in the GAAP certificate store"),
        ("unknown-teo-zone", "zone_id that does not exist",
         (TEO, dict(zone_id="zone-000000000000", hosts=["h03.example.com"], cert_ids=[TEO_CERT_ID]),
          "tencentcloud teo zone zone-000000000000 host h03.example.com"),
         "zone zone-000000000000 was not found: teo DescribeAccelerationDomains failed: ResourceNotFound.ZoneNotFound: "
         "The zone `zone-000000000000` does not exist."),
        ("unknown-teo-host", "host that is not in the zone",
         (TEO, dict(zone_id=ZONE, hosts=["nope.example.com"], cert_ids=[TEO_CERT_ID]),
          "tencentcloud teo zone %s host nope.example.com" % ZONE),
         "hosts not found in zone %s: nope.example.com" % ZONE),
        ("unknown-clb-old-certificate-id", "old_certificate_id not in the SSL store",
         (CLB, dict(old_certificate_id="NOSUCHOLD", certificate_id=TEO_CERT_ID), "tencentcloud clb certificate NOSUCHOLD"),
         "old_certificate_id NOSUCHOLD is not in the Tencent Cloud SSL certificate store"),
        ("unknown-clb-new-certificate-id", "certificate_id (the new one) not in the SSL store",
         (CLB, dict(old_certificate_id=OLD_CERT_ID, certificate_id="NOSUCHNEW"), CLB_LABEL),
         "certificate_id NOSUCHNEW is not in the Tencent Cloud SSL certificate store"),
        ("unknown-esa-site", "site_id that does not exist",
         (ESA, dict(site_id=999, id=ESA_CERT_ID, **GOOD), "alicloud esa site 999 certificate %s" % ESA_CERT_ID),
         "InvalidParameter.SiteId: the site was not found; check site_id"),
        ("unknown-esa-certificate-id", "certificate id not on the site",
         (ESA, dict(site_id=SITE_ID, id="99999999", **GOOD), "alicloud esa site %s certificate 99999999" % SITE_ID),
         "certificate id 99999999 was not found on site %s" % SITE_ID),
        ("wrong-secret-tencentcloud", "secret_key that does not match secret_id",
         (SSL, dict(secret_key="wrong-secret-key", **GOOD), SSL_LABEL),
         "AuthFailure.SignatureFailure: authentication failed, check secret_id, secret_key and security_token"),
        ("wrong-secret-alicloud", "access_key_secret that does not match access_key_id",
         (ESA, dict(site_id=SITE_ID, id=ESA_CERT_ID, access_key_secret="wrong-access-key-secret", **GOOD), ESA_LABEL),
         "SignatureDoesNotMatch: authentication failed, check access_key_id, access_key_secret and security_token"),
    ]


# Module cases run spread over a few inventory hosts (all on the controller) with the free strategy: each
# module run is a Python process that is mostly start-up, and the hosts keep the cores busy.
WORKERS = 3


def run_cases(playbook, cases):
    """Run one task per case (named after the case), case n on worker n % WORKERS; return {case: record}."""
    tasks = [{"name": case, C + module: args, "ignore_errors": True, "when": "inventory_hostname == 'worker%d'" % (n % WORKERS)}
             for n, (case, module, args) in enumerate(cases)]
    hosts = {"worker%d" % n: {} for n in range(WORKERS)}
    run = playbook.run(tasks, inventory={"all": {"hosts": hosts}}, env={"ANSIBLE_STRATEGY": "free"})
    assert run.rc == 0, run.stdout[-3000:]
    outcomes = {r["task"]: r for r in run.records if r["status"] != "skipped"}
    assert sorted(outcomes) == sorted(case for case, module, args in cases)
    return run, outcomes


def problems(outcomes, cases):
    """Cases whose task did not fail with a message that starts with the endpoint label and holds the expected text."""
    found = []
    for case, dummy, (module, args, label), message in cases:
        status, msg = outcomes[case]["status"], outcomes[case]["result"].get("msg", "")
        if status != "failed" or not msg.startswith(label + ": ") or message not in msg:
            found.append("%s (%s): %s" % (case, status, msg))
    return found


def test_local_input_fails_before_any_api_call(playbook, certs, tmp_path):
    inputs = Inputs(certs, tmp_path)
    cases, good = local_cases(inputs), local_good_cases(inputs)
    since = playbook.sandbox.last_seq()
    run, outcomes = run_cases(playbook, [(case, module, args) for case, dummy, (module, args, label), message in cases]
                              + [(case, module, args) for case, dummy, (module, args, label) in good])
    assert playbook.sandbox.log(since=since) == []
    assert run.writes == []
    assert problems(outcomes, cases) == []
    for case, description, (module, args, label) in good:
        assert outcomes[case]["status"] == "ok", (case, outcomes[case]["result"].get("msg"))
        assert outcomes[case]["result"]["changed"] is False
    for case, description, (module, args, label), message in cases:
        record("input", case, target=C + module, input=description, message=message, api_calls=0, writes=0, expect="fail")
    for case, description, (module, args, label) in good:
        record("input", case, target=C + module, input=description, message="accepted", api_calls=0, writes=0, expect="ok")


def test_unreachable_endpoint_fails_within_seconds(playbook):
    cases = unreachable_cases()
    since = playbook.sandbox.last_seq()
    started = time.monotonic()
    run, outcomes = run_cases(playbook, [(case, module, args) for case, dummy, (module, args, label), message in cases])
    elapsed = time.monotonic() - started
    assert playbook.sandbox.log(since=since) == []
    assert problems(outcomes, cases) == []
    # two module runs side by side, one retry each: seconds, not the minutes of api_timeout and default retries
    assert elapsed < 20, "unreachable endpoints took %.1f s" % elapsed
    for case, description, (module, args, label), message in cases:
        record("input", case, target=C + module, input=description, message=message, api_calls=0, writes=0, expect="fail")


def test_unknown_ids_and_wrong_secrets_fail_before_any_write(playbook):
    cases = id_cases()
    run, outcomes = run_cases(playbook, [(case, module, args) for case, dummy, (module, args, label), message in cases])
    assert run.writes == []
    assert problems(outcomes, cases) == []
    for case, description, (module, args, label), message in cases:
        record("input", case, target=C + module, input=description, message=message, api_calls=None, writes=0, expect="fail")


def test_crlf_and_bom_are_accepted_and_identity_is_der(playbook, certs):
    crlf = certs.new.chain_pem.replace("\n", "\r\n")
    bom = "\ufeff" + certs.new.chain_pem
    run = playbook.run([
        {"name": "crlf-line-ends", C + TSE: tse(certificate=crlf, private_key=certs.new.key_pem.replace("\n", "\r\n"))[1]},
        {"name": "utf8-bom", C + TSE: tse(certificate=bom, private_key="\ufeff" + certs.new.key_pem)[1]},
    ])
    assert run.rc == 0, run.stdout[-3000:]
    assert run.status("crlf-line-ends") == run.status("utf8-bom") == "ok"
    first, second = run.result("crlf-line-ends"), run.result("utf8-bom")
    assert first["changed"] is True, first
    assert second["changed"] is False, second  # same DER, whatever the text
    assert first["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256
    assert second["after"]["certificate"]["fingerprint_sha256"] == certs.new.fingerprint_sha256
    assert run.write_actions() == ["ModifyCloudNativeAPIGatewayCertificate"]  # the first task only
    record("input", "crlf-line-ends", target=C + TSE, input="certificate and key with CRLF line ends",
           message="accepted, bound (changed)", api_calls=None, writes=1, expect="ok")
    record("input", "utf8-bom", target=C + TSE, input="the same with a UTF-8 byte order mark, rerun",
           message="accepted, unchanged (same DER fingerprints)", api_calls=None, writes=0, expect="ok")


# --- the role --------------------------------------------------------------------------------------------------------


def rotate_role(playbook, endpoints=None, **extra):
    play_vars = {"rotate_certificate": "{{ rotation_pem }}", "rotate_private_key": "{{ rotation_key }}",
                 "rotate_verify_timeout": 2, "rotate_verify_delay": 0.2}
    play_vars.update(extra)
    since = playbook.sandbox.last_seq()
    run = playbook.run([], inventory=inventory(playbook.sandbox, endpoints), play_vars=play_vars,
                       roles=[{"role": "certops.cloud.rotate"}])
    return run, playbook.sandbox.log(since=since)


def role_message(run, task_name):
    failed = [r for r in run.records if r["status"] == "failed" and r["task"] == task_name]
    assert failed, (task_name, [(r["task"], r["status"]) for r in run.records])
    return failed[0]["result"]["msg"]


ROLE = "certops.cloud.rotate"
CHECK_TASK = "Validate every endpoint's settings and the certificate once, for every endpoint name"


def test_role_names_not_covered(playbook):
    run, calls = rotate_role(playbook, rotate_certificate="{{ new_pem }}", rotate_private_key="{{ new_key }}")
    assert run.rc != 0
    assert calls == []
    msg = role_message(run, CHECK_TASK)
    message = ("certificate names www.example.com, example.com do not cover endpoint clb-lb (lb.example.com), "
               "esa-site (esa.example.com), gaap-api (api.example.com), teo-h03 (h03.example.com)")
    assert message in msg, msg
    record("input", "role-wrong-sans", target=ROLE, input="certificate for www.example.com, endpoints with other names",
           message=message, api_calls=0, writes=0, expect="fail")


def test_role_validates_every_endpoint_before_any_call(playbook):
    endpoints = dict(ENDPOINTS)
    endpoints["cdn-azure"] = {"provider": "azure", "server_name": "www.example.com"}
    endpoints["tse-no-ids"] = {"provider": "tse", "server_name": "www.example.com"}
    endpoints["esa-no-id"] = {"provider": "esa", "site_id": SITE_ID, "server_name": "www.example.com"}
    endpoints["no-provider"] = {"gateway_id": GATEWAY, "server_name": "www.example.com"}
    run, calls = rotate_role(playbook, endpoints)
    assert run.rc != 0
    assert calls == []
    assert run.writes == []
    msg = role_message(run, CHECK_TASK)
    expected = {
        "role-unknown-provider": ("provider azure", "cdn-azure: unknown provider 'azure' (one of clb, esa, gaap, teo, tse)"),
        "role-missing-identity-keys": ("tse endpoint without gateway_id and id",
                                       "tse-no-ids: certops_endpoint of provider tse misses gateway_id, id"),
        "role-esa-without-id-or-name": ("esa endpoint with site_id only",
                                        "esa-no-id: certops_endpoint of provider esa misses id or name"),
        "role-provider-missing": ("endpoint without provider",
                                  "no-provider: certops_endpoint.provider is not set (one of clb, esa, gaap, teo, tse)"),
    }
    assert "4 endpoints are not configured right, nothing was changed" in msg, msg
    for case, (description, message) in expected.items():
        assert message in msg, (case, msg)
    for good in ENDPOINTS:
        assert good + ":" not in msg
    for case, (description, message) in expected.items():
        record("input", case, target=ROLE, input=description, message=message, api_calls=0, writes=0, expect="fail")


def test_role_without_certificate(playbook):
    run, calls = rotate_role(playbook, rotate_certificate="", rotate_certificate_file="")
    assert run.rc != 0
    assert calls == []
    msg = role_message(run, "Check that a certificate and a key are given, one way")
    message = ("no certificate given for the endpoints %s: set rotate_certificate (PEM text) or rotate_certificate_file"
               % ", ".join(sorted(ENDPOINTS)))
    assert message in msg, msg
    record("input", "role-no-certificate", target=ROLE, input="rotate_certificate and rotate_certificate_file empty",
           message=message, api_calls=0, writes=0, expect="fail")
