# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TLS frontend: each server name (SNI) gets the certificate chain currently bound to it, over real TLS."""

from __future__ import annotations

import _ssl
import datetime
import hashlib
import os
import socket
import ssl
import stat

import pytest
from alibabacloud_esa20240910 import models as esa_models
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from tencentcloud.clb.v20180317 import models as clb_models
from tencentcloud.gaap.v20180529 import models as gaap_models
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.teo.v20220901 import models as teo_models
from tencentcloud.tse.v20201207 import models as tse_models

from alibaba_helpers import CAS_NEW, ESA_CAS, ESA_OLD, ESA_REGION, SITE_ID, esa_client
from sandbox_cloud import pki, server, tls
from sandbox_cloud.client import SandboxError, SandboxProcess, fetch_served_certificate
from sandbox_cloud.state import SeedError, State
from sandbox_helpers import (GAAP_LISTENER, GAAP_SERVER2, GATEWAY, LB_SH, NATIVE_ID, SECRET_ID, SECRET_KEY, SSL_BOUND_ID, SSL_SPARE, SSL_WWW,
                             ZONE, all_text, clb_client, gaap_client, ssl_client, teo_client, tse_client)


TLS_DEFAULTS = {'stuck': [], 'leaf_only': [], 'stale_intermediate': [], 'drift': [], 'unrelated': [], 'unreachable': []}


def handshake(port, name, context=None):
    """Connect with SNI ``name``; return the SSL socket's leaf certificate (DER)."""
    if context is None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls_socket:
            return tls_socket.getpeercert(binary_form=True)


def served_chain(port, name):
    """Connect with SNI ``name`` (no verification); return the certificates the server sent, leaf first."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls_socket:
            if hasattr(tls_socket, 'get_unverified_chain'):  # Python 3.13+: DER bytes
                chain = [bytes(der) for der in tls_socket.get_unverified_chain()]
            else:
                chain = [cert.public_bytes(_ssl.ENCODING_DER) for cert in tls_socket._sslobj.get_unverified_chain()]  # pylint: disable=protected-access
    return [x509.load_der_x509_certificate(der) for der in chain]


def fingerprint(cert):
    return cert.fingerprint(hashes.SHA256()).hex()


def served(sandbox, name):
    """SHA-256 (lower-case hex) of the leaf served for ``name``."""
    return hashlib.sha256(handshake(sandbox.tls_port, name)).hexdigest()


def assert_unrecognized(sandbox, name):
    with pytest.raises(ssl.SSLError, match='UNRECOGNIZED_NAME'):
        handshake(sandbox.tls_port, name)


def verifying_context(certs_pki):
    """A client context that trusts only the test root: the server must send the intermediate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=certs_pki.root.cert_pem)
    return context


def sdk_call(client, models, name, **fields):
    request = getattr(models, name + 'Request')()
    for key, value in fields.items():
        setattr(request, key, value)
    return getattr(client, name)(request)


# --- discovery ---------------------------------------------------------------------------------------


def test_tls_port_from_ready_file_and_control_api(sandbox):
    assert isinstance(sandbox.tls_port, int) and sandbox.tls_port not in (0, sandbox.port)
    assert sandbox.client.tls() == {'host': '127.0.0.1', 'port': sandbox.tls_port}
    assert sandbox.client.tls_port() == sandbox.tls_port
    assert sandbox.client.state()['tls'] == TLS_DEFAULTS


def test_no_tls(state_file):
    with SandboxProcess(state_file, tls_port=None) as process:
        assert process.tls_port is None
        with pytest.raises(SandboxError, match='404'):
            process.client.tls_port()
        with pytest.raises(SandboxError):
            process.served_certificate('www.example.com')


# --- tse ---------------------------------------------------------------------------------------------


def test_tse_bindings_are_served_and_follow_changes(sandbox, certs_pki):
    assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # ssl-store certificate
    assert served(sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256  # native certificate
    assert hashlib.sha256(sandbox.served_certificate('www.example.com')).hexdigest() == certs_pki.www.fingerprint_sha256
    # names compare case-insensitively, as DNS names do
    assert served(sandbox, 'WWW.Example.COM') == certs_pki.www.fingerprint_sha256
    sdk_call(tse_client(sandbox), tse_models, 'ModifyCloudNativeAPIGatewayCertificate', GatewayId=GATEWAY, Id=SSL_BOUND_ID,
             CertSource='native', Crt=certs_pki.new.chain_pem, Key=certs_pki.new.key_pem)
    assert served(sandbox, 'www.example.com') == certs_pki.new.fingerprint_sha256  # the next connection sees the change
    # a state patch works as well: bind one more name to the api certificate
    sandbox.client.patch_state(['tse', 'gateways', 0, 'Certificates', 1, 'BindDomains'], 'extra.example.com', op='append')
    assert served(sandbox, 'extra.example.com') == certs_pki.api.fingerprint_sha256
    sandbox.client.reset()
    assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256
    assert_unrecognized(sandbox, 'extra.example.com')


def test_unknown_name_fails_the_handshake(sandbox, certs_pki):
    assert_unrecognized(sandbox, 'unknown.example.com')
    assert_unrecognized(sandbox, 'example.com')  # a SAN of the www certificate, but no tse binding names it
    with pytest.raises(ssl.SSLError):
        handshake(sandbox.tls_port, None)  # no SNI at all
    assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # the frontend is still fine


def test_the_chain_is_sent(sandbox, certs_pki):
    # trusting only the root, with hostname checks: succeeds only if the intermediate is sent too
    der = handshake(sandbox.tls_port, 'www.example.com', verifying_context(certs_pki))
    assert hashlib.sha256(der).hexdigest() == certs_pki.www.fingerprint_sha256
    handshake(sandbox.tls_port, 'api.example.com', verifying_context(certs_pki))
    # control: a leaf bound without its intermediate cannot be verified
    sandbox.client.patch_state(['tse', 'gateways', 0, 'Certificates', 1, 'Crt'], certs_pki.api.cert_pem)
    with pytest.raises(ssl.SSLCertVerificationError, match='unable to get local issuer'):
        handshake(sandbox.tls_port, 'api.example.com', verifying_context(certs_pki))
    assert served(sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256
    # and a name bound to a certificate that does not cover it fails hostname verification
    sandbox.client.patch_state(['tse', 'gateways', 0, 'Certificates', 0, 'BindDomains'], ['www.example.com', 'other.example.org'])
    with pytest.raises(ssl.SSLCertVerificationError, match='mismatch'):
        handshake(sandbox.tls_port, 'other.example.org', verifying_context(certs_pki))


def test_http_reply_names_the_server(sandbox, certs_pki):
    with socket.create_connection(('127.0.0.1', sandbox.tls_port), timeout=10) as raw:
        with verifying_context(certs_pki).wrap_socket(raw, server_hostname='api.example.com') as tls_socket:
            tls_socket.sendall(b'GET /health HTTP/1.1\r\nHost: api.example.com\r\n\r\n')
            data = b''
            while True:
                chunk = tls_socket.recv(4096)
                if not chunk:
                    break
                data += chunk
    head, body = data.decode().split('\r\n\r\n', 1)
    lines = head.split('\r\n')
    headers = dict(line.split(': ', 1) for line in lines[1:])
    assert lines[0] == 'HTTP/1.1 200 OK' and int(headers['Content-Length']) == len(body.encode())
    assert headers['X-Sandbox-Server-Name'] == 'api.example.com'
    assert headers['X-Sandbox-Certificate-Sha256'] == certs_pki.api.fingerprint_sha256
    assert 'server_name: api.example.com\n' in body and 'source: tse:%s/%s\n' % (GATEWAY, NATIVE_ID) in body


# --- stuck edge ----------------------------------------------------------------------------------------


def test_stuck_name_keeps_serving_the_seed_certificate(sandbox, certs_pki):
    client = tse_client(sandbox)
    sandbox.client.patch_state(['tls', 'stuck'], ['www.example.com'])
    for certificate_id in (SSL_BOUND_ID, NATIVE_ID):
        sdk_call(client, tse_models, 'ModifyCloudNativeAPIGatewayCertificate', GatewayId=GATEWAY, Id=certificate_id,
                 CertSource='native', Crt=certs_pki.new.chain_pem, Key=certs_pki.new.key_pem)
    assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # stuck: still the seed binding
    assert served(sandbox, 'api.example.com') == certs_pki.new.fingerprint_sha256  # not stuck: the new one
    sandbox.client.patch_state(['tls', 'stuck'], 'api.example.com', op='append')
    assert served(sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256
    # a name bound only after seeding is unknown to a stuck edge
    sandbox.client.patch_state(['tse', 'gateways', 0, 'Certificates', 0, 'BindDomains'], 'late.example.com', op='append')
    assert served(sandbox, 'late.example.com') == certs_pki.new.fingerprint_sha256
    sandbox.client.patch_state(['tls', 'stuck'], 'late.example.com', op='append')
    assert_unrecognized(sandbox, 'late.example.com')
    # un-sticking serves the current binding again; reset forgets the stuck list
    sandbox.client.patch_state(['tls', 'stuck'], [])
    assert served(sandbox, 'www.example.com') == certs_pki.new.fingerprint_sha256
    sandbox.client.patch_state(['tls', 'stuck'], ['WWW.example.com'])
    assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256
    sandbox.client.reset()
    assert sandbox.client.state()['tls'] == TLS_DEFAULTS
    # nothing about the keys reached the log, the state dump or the console
    assert 'PRIVATE KEY' not in all_text(sandbox)
    assert 'tls www.example.com -> tse:%s/%s' % (GATEWAY, SSL_BOUND_ID) in sandbox.output()
    assert '[stuck: seed binding]' in sandbox.output()


# --- chain faults ---------------------------------------------------------------------------------------


def test_normal_binding_serves_leaf_and_intermediate(sandbox, certs_pki):
    chain = served_chain(sandbox.tls_port, 'www.example.com')
    assert [fingerprint(cert) for cert in chain] == [certs_pki.www.fingerprint_sha256, certs_pki.inter.fingerprint_sha256]


def test_leaf_only_serves_the_leaf_alone(sandbox, certs_pki):
    sandbox.client.patch_state(['tls', 'leaf_only'], ['WWW.example.com'])
    chain = served_chain(sandbox.tls_port, 'www.example.com')
    assert [fingerprint(cert) for cert in chain] == [certs_pki.www.fingerprint_sha256]
    with pytest.raises(ssl.SSLCertVerificationError, match='unable to get local issuer'):
        handshake(sandbox.tls_port, 'www.example.com', verifying_context(certs_pki))
    assert len(served_chain(sandbox.tls_port, 'api.example.com')) == 2  # other names are not affected
    handshake(sandbox.tls_port, 'api.example.com', verifying_context(certs_pki))
    sandbox.client.patch_state(['tls', 'leaf_only'], [])
    handshake(sandbox.tls_port, 'www.example.com', verifying_context(certs_pki))
    assert '[leaf only]' in sandbox.output()


def test_stale_intermediate_is_served_in_place_of_the_real_one(sandbox, certs_pki):
    sandbox.client.patch_state(['tls', 'stale_intermediate'], 'www.example.com', op='append')
    leaf, stale = served_chain(sandbox.tls_port, 'www.example.com')
    real = certs_pki.inter.cert
    assert fingerprint(leaf) == certs_pki.www.fingerprint_sha256
    assert stale.subject == real.subject and stale.issuer == real.issuer
    assert fingerprint(stale) != certs_pki.inter.fingerprint_sha256
    assert stale.not_valid_after_utc < datetime.datetime.now(datetime.timezone.utc)
    assert stale.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    with pytest.raises(InvalidSignature):
        leaf.verify_directly_issued_by(stale)
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(sandbox.tls_port, 'www.example.com', verifying_context(certs_pki))
    # the same stale copy on every handshake, also for another leaf under the same intermediate
    assert fingerprint(served_chain(sandbox.tls_port, 'www.example.com')[1]) == fingerprint(stale)
    sandbox.client.patch_state(['tls', 'stale_intermediate'], 'api.example.com', op='append')
    assert [fingerprint(cert) for cert in served_chain(sandbox.tls_port, 'api.example.com')] == [
        certs_pki.api.fingerprint_sha256, fingerprint(stale)]
    # leaf_only wins over stale_intermediate
    sandbox.client.patch_state(['tls', 'leaf_only'], ['api.example.com'])
    assert [fingerprint(cert) for cert in served_chain(sandbox.tls_port, 'api.example.com')] == [certs_pki.api.fingerprint_sha256]
    assert '[stale intermediate]' in sandbox.output()
    sandbox.client.reset()
    assert sandbox.client.state()['tls'] == TLS_DEFAULTS
    assert len(served_chain(sandbox.tls_port, 'www.example.com')) == 2
    handshake(sandbox.tls_port, 'www.example.com', verifying_context(certs_pki))


def test_chain_faults_apply_to_stuck_names(sandbox, certs_pki):
    sandbox.client.patch_state(['tls', 'stuck'], ['www.example.com'])
    sdk_call(tse_client(sandbox), tse_models, 'ModifyCloudNativeAPIGatewayCertificate', GatewayId=GATEWAY, Id=SSL_BOUND_ID,
             CertSource='native', Crt=certs_pki.new.chain_pem, Key=certs_pki.new.key_pem)
    sandbox.client.patch_state(['tls', 'leaf_only'], ['www.example.com'])
    assert [fingerprint(cert) for cert in served_chain(sandbox.tls_port, 'www.example.com')] == [certs_pki.www.fingerprint_sha256]
    sandbox.client.patch_state(['tls', 'leaf_only'], [])
    sandbox.client.patch_state(['tls', 'stale_intermediate'], ['www.example.com'])
    leaf, stale = served_chain(sandbox.tls_port, 'www.example.com')
    assert fingerprint(leaf) == certs_pki.www.fingerprint_sha256 and stale.subject == certs_pki.inter.cert.subject
    assert fingerprint(stale) != certs_pki.inter.fingerprint_sha256
    assert '[stuck: seed binding] [stale intermediate]' in sandbox.output()
    assert 'PRIVATE KEY' not in all_text(sandbox)


def test_bad_chain_fault_value_is_rejected(certs_pki):
    seed = dict(_seed(certs_pki), tls={'stale_intermediate': 'www.example.com'})
    with pytest.raises(SeedError, match='tls.stale_intermediate must be a list of server names'):
        server.build_seed(seed)
    # a patched-in string still works at run time (like stuck)
    state = State(server.build_seed(_seed(certs_pki)))
    frontend = tls.TlsFrontend(state).start_background()
    try:
        state.data['tls']['leaf_only'] = 'TSE.example.com'
        assert len(served_chain(frontend.port, 'tse.example.com')) == 1
        state.data['tls']['leaf_only'] = {'garbage': 1}
        assert len(served_chain(frontend.port, 'tse.example.com')) == 2
        state.data['tls']['stale_intermediate'] = ['tse.example.com', 'gaap.example.com']
        first = served_chain(frontend.port, 'tse.example.com')[1]
        assert fingerprint(served_chain(frontend.port, 'gaap.example.com')[1]) == fingerprint(first)  # cached per intermediate
        assert len(frontend._stale) == 1  # pylint: disable=protected-access
    finally:
        frontend.stop()


# --- gaap, teo, clb (products sandbox) ------------------------------------------------------------------


def test_gaap_domains_are_served(product_sandbox, certs_pki):
    assert served(product_sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # 'default': the listener's certificate
    assert served(product_sandbox, 'busy.example.com') == certs_pki.www.fingerprint_sha256
    assert served(product_sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256  # the domain's own certificate
    handshake(product_sandbox.tls_port, 'api.example.com', verifying_context(certs_pki))
    sdk_call(gaap_client(product_sandbox), gaap_models, 'ModifyCertificate', ListenerId=GAAP_LISTENER, Domain='www.example.com',
             CertificateId=GAAP_SERVER2)
    # gaap comes before teo and clb, which bind www.example.com to the www certificate
    assert served(product_sandbox, 'www.example.com') == certs_pki.api.fingerprint_sha256


def test_teo_sslcert_domains_are_served(product_sandbox, certs_pki):
    product_sandbox.client.patch_state(['gaap', 'listeners'], [])
    assert served(product_sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256
    info = teo_models.ServerCertInfo()
    info.CertId = SSL_SPARE
    sdk_call(teo_client(product_sandbox), teo_models, 'ModifyHostsCertificate', ZoneId=ZONE, Hosts=['www.example.com'], Mode='sslcert',
             ServerCertInfo=[info])
    assert served(product_sandbox, 'www.example.com') == certs_pki.new.fingerprint_sha256
    handshake(product_sandbox.tls_port, 'www.example.com', verifying_context(certs_pki))
    # a managed (eofreecert) domain has no PEM here, and no other product covers it
    assert_unrecognized(product_sandbox, 'static.example.com')


def test_clb_rules_then_listener_certificates(product_sandbox, certs_pki):
    product_sandbox.client.patch_state(['gaap', 'listeners'], [])
    product_sandbox.client.patch_state(['teo', 'zones'], [])
    assert served(product_sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256  # SNI rule
    assert served(product_sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # SNI rule
    assert served(product_sandbox, 'example.com') == certs_pki.www.fingerprint_sha256  # listener certificate whose SANs cover it
    request = clb_models.ReplaceCertForLoadBalancersRequest()
    request.OldCertificateId = SSL_WWW
    request.Certificate = clb_models.CertificateInput()
    request.Certificate.CertId = SSL_SPARE
    client = clb_client(product_sandbox)
    task = clb_models.DescribeTaskStatusRequest()
    task.TaskId = client.ReplaceCertForLoadBalancers(request).RequestId
    assert served(product_sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # the CLB task is still running
    assert [client.DescribeTaskStatus(task).Status for _poll in range(3)] == [2, 2, 0]
    assert served(product_sandbox, 'www.example.com') == certs_pki.new.fingerprint_sha256
    assert served(product_sandbox, 'example.com') == certs_pki.new.fingerprint_sha256
    # a wildcard listener certificate covers one label
    upload = ssl_models.UploadCertificateRequest()
    upload.CertificatePublicKey, upload.CertificatePrivateKey = certs_pki.wildcard.chain_pem, certs_pki.wildcard.key_pem
    wildcard_id = ssl_client(product_sandbox).UploadCertificate(upload).CertificateId
    [load_balancer] = [item for item in product_sandbox.client.state()['clb']['load_balancers'] if item['LoadBalancerId'] == LB_SH]
    index = product_sandbox.client.state()['clb']['load_balancers'].index(load_balancer)
    product_sandbox.client.patch_state(['clb', 'load_balancers', index, 'Listeners', 0, 'Certificate', 'CertId'], wildcard_id)
    assert served(product_sandbox, 'foo.example.com') == certs_pki.wildcard.fingerprint_sha256
    handshake(product_sandbox.tls_port, 'foo.example.com', verifying_context(certs_pki))
    assert_unrecognized(product_sandbox, 'a.b.example.com')


# --- esa (Alibaba) ------------------------------------------------------------------------------------


def test_esa_site_certificates_are_served(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    assert served(esa_sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256  # upload
    assert served(esa_sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256  # cas
    assert served(esa_sandbox, 'rsa.example.com') == certs_pki.rsa.fingerprint_sha256  # the other site
    assert served(esa_sandbox, 'old.example.com') == certs_pki.expired.fingerprint_sha256  # served even though expired
    handshake(esa_sandbox.tls_port, 'api.example.com', verifying_context(certs_pki))
    # a cas certificate without its own copy of the key is served from esa.cas
    esa_sandbox.client.patch_state(['esa', 'sites', 0, 'Certificates', 1, 'PrivateKey'], None, op='delete')
    assert served(esa_sandbox, 'api.example.com') == certs_pki.api.fingerprint_sha256
    # re-pointing the cas certificate at another CAS entry (a www certificate) moves the binding; for www.example.com
    # it is now the most recently updated of two covering certificates, so it wins
    client.set_certificate(esa_models.SetCertificateRequest(site_id=SITE_ID, type='cas', cas_id=CAS_NEW, region=ESA_REGION, id=ESA_CAS))
    assert_unrecognized(esa_sandbox, 'api.example.com')
    assert served(esa_sandbox, 'www.example.com') == certs_pki.new.fingerprint_sha256
    client.delete_certificate(esa_models.DeleteCertificateRequest(site_id=SITE_ID, id=ESA_CAS))
    assert served(esa_sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256
    client.delete_certificate(esa_models.DeleteCertificateRequest(site_id=SITE_ID, id=ESA_OLD))
    assert_unrecognized(esa_sandbox, 'old.example.com')


# --- pure functions and the frontend in-process -----------------------------------------------------------


def test_name_covered():
    assert tls.name_covered('www.example.com', 'WWW.example.com.')
    assert tls.name_covered('*.example.com', 'foo.example.com')
    assert not tls.name_covered('*.example.com', 'example.com')
    assert not tls.name_covered('*.example.com', 'a.b.example.com')
    assert not tls.name_covered('www.example.com', 'api.example.com')


def _seed(certs_pki):
    ssl_store = [{'CertificateId': 'Www', 'CertificatePublicKey': certs_pki.www.chain_pem, 'CertificatePrivateKey': certs_pki.www.key_pem},
                 {'CertificateId': 'Api', 'CertificatePublicKey': certs_pki.api.chain_pem, 'CertificatePrivateKey': certs_pki.api.key_pem}]
    return {
        'accounts': [{'secret_id': SECRET_ID, 'secret_key': SECRET_KEY}],
        'ssl': {'certificates': ssl_store},
        'tse': {'gateways': [{'GatewayId': 'gw', 'Certificates': [{'Id': 't1', 'BindDomains': ['tse.example.com'], 'CertId': 'Www'}]}]},
        'gaap': {'certificates': [{'CertificateId': 'cert-a', 'CertificateType': 2, 'CertificateContent': certs_pki.api.chain_pem,
                                   'CertificateKey': certs_pki.api.key_pem}],
                 'listeners': [{'CertificateId': 'cert-a', 'Domains': [{'Domain': 'tse.example.com'}, {'Domain': 'gaap.example.com'}]}]},
        'teo': {'zones': [{'Domains': [{'DomainName': 'gaap.example.com', 'Certificate': {'Mode': 'sslcert', 'List': [{'CertId': 'Www'}]}},
                                       {'DomainName': 'teo.example.com', 'Certificate': {'Mode': 'sslcert', 'List': [{'CertId': 'Www'}]}}]}]},
        'clb': {'load_balancers': [{'Listeners': [{'Certificate': {'CertId': 'Api'},
                                                   'Rules': [{'Domain': 'teo.example.com', 'Certificate': {'CertId': 'Api'}}]}]}]},
    }


def test_a_load_balancer_serves_its_listener_on_its_address_to_any_name(certs_pki):
    seed = _seed(certs_pki)
    seed['clb']['load_balancers'][0]['LoadBalancerVips'] = ['127.0.10.9']
    seed['clb']['load_balancers'].append({'LoadBalancerVips': ['203.0.113.10'], 'Listeners': [{'Certificate': {'CertId': 'Www'}}]})
    doc = server.build_seed(seed)
    assert tls.loopback_vips(doc, '127.0.0.1') == ['127.0.10.9']  # only loopback addresses are served
    www, api = certs_pki.www.fingerprint_sha256, certs_pki.api.fingerprint_sha256
    state = State(doc)
    frontend = tls.TlsFrontend(state).start_background()
    try:
        if not frontend.vip_frontends:
            pytest.skip('this system cannot bind 127.0.10.9')
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

        def at_address(name):
            with socket.create_connection(('127.0.10.9', frontend.port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname=name) as tls_socket:
                    return hashlib.sha256(tls_socket.getpeercert(binary_form=True)).hexdigest()

        assert at_address('teo.example.com') == api  # the SNI rule for the name
        assert at_address('anything.example.net') == api  # the listener's certificate, whatever the name
        assert served_at(frontend.port, 'teo.example.com') == www  # the shared address resolves by name: teo first
        state.data['clb']['load_balancers'][0]['Listeners'][0]['Certificate']['CertId'] = 'Www'
        assert at_address('anything.example.net') == www  # the live state
    finally:
        frontend.stop()
    assert frontend.vip_frontends == []


def served_at(port, name):
    return fingerprint(x509.load_der_x509_certificate(handshake(port, name)))


def test_served_certificate_order(certs_pki):
    doc = server.build_seed(_seed(certs_pki))
    assert doc['tls'] == TLS_DEFAULTS
    www, api = (certs_pki.www.chain_pem, certs_pki.www.key_pem), (certs_pki.api.chain_pem, certs_pki.api.key_pem)
    assert tls.served_certificate(doc, 'tse.example.com') == www  # tse before gaap
    assert tls.served_certificate(doc, 'gaap.example.com') == api  # gaap before teo
    assert tls.served_certificate(doc, 'teo.example.com') == www  # teo before clb
    assert tls.served_certificate(doc, 'api.example.com') == api  # clb listener certificate covering the name
    assert tls.served_certificate(doc, 'nothing.example.com') is None
    assert tls.served_certificate({}, 'www.example.com') is None
    with pytest.raises(SeedError):
        server.build_seed(dict(_seed(certs_pki), tls={'stuck': 'www.example.com'}))
    for key in ('leaf_only', 'stale_intermediate'):
        for bad in ('www.example.com', [''], [None], {'www.example.com': True}):
            with pytest.raises(SeedError, match='tls.%s must be a list of server names' % key):
                server.build_seed(dict(_seed(certs_pki), tls={key: bad}))
    doc = server.build_seed(dict(_seed(certs_pki), tls={'leaf_only': ['tse.example.com'], 'stale_intermediate': ['TEO.example.com']}))
    assert doc['tls'] == dict(TLS_DEFAULTS, leaf_only=['tse.example.com'], stale_intermediate=['TEO.example.com'])
    assert tls.chain_fault(doc, 'TSE.example.com') == tls.LEAF_ONLY
    assert tls.chain_fault(doc, 'teo.example.com') == tls.STALE_INTERMEDIATE
    assert tls.chain_fault(doc, 'gaap.example.com') is None
    assert tls.stuck_names({'tls': {'stuck': 'WWW.example.com'}}) == {'www.example.com'}  # a patched-in string
    assert tls._names({'tls': {'leaf_only': ['A.example.com', 7]}}, 'leaf_only') == {'a.example.com'}  # pylint: disable=protected-access
    assert tls._names({'tls': 'garbage'}, 'leaf_only') == set()  # pylint: disable=protected-access


def test_make_stale_copy(certs_pki):
    real = certs_pki.inter.cert
    stale = pki.make_stale_copy(real)
    now = datetime.datetime.now(datetime.timezone.utc)
    assert stale.subject == real.subject and stale.issuer == real.issuer
    assert fingerprint(stale) != fingerprint(real) and stale.public_key() != real.public_key()
    assert stale.not_valid_after_utc < now - datetime.timedelta(days=29)
    assert stale.not_valid_before_utc < now - datetime.timedelta(days=3 * 365 - 2)
    assert stale.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert (stale.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
            != real.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value)
    stale.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier)
    certs_pki.www.cert.verify_directly_issued_by(real)
    with pytest.raises(InvalidSignature):
        certs_pki.www.cert.verify_directly_issued_by(stale)  # another key: the leaf's signature does not verify
    with pytest.raises(InvalidSignature):
        stale.verify_directly_issued_by(certs_pki.root.cert)  # and the root did not sign it


def test_frontend_keeps_no_key_files(certs_pki):
    state = State(server.build_seed(_seed(certs_pki)))
    frontend = tls.TlsFrontend(state).start_background()
    try:
        assert stat.S_IMODE(os.stat(frontend.workdir).st_mode) == 0o700
        for name in ('tse.example.com', 'gaap.example.com', 'tse.example.com'):
            fetch_served_certificate(frontend.port, name)
        assert not os.listdir(frontend.workdir)  # key files only exist while a context loads them
        der = fetch_served_certificate(frontend.port, 'teo.example.com', host=frontend.host)
        assert hashlib.sha256(der).hexdigest() == certs_pki.www.fingerprint_sha256
    finally:
        frontend.stop()
    assert not os.path.exists(frontend.workdir)
