# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The TLS frontend's audit states ``tls.drift``, ``tls.unrelated`` and ``tls.unreachable``, over real TLS with SNI."""

from __future__ import annotations

import _ssl
import datetime
import logging
import socket
import ssl
import threading
import time

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sandbox_cloud import server, tls
from sandbox_cloud.state import SeedError, State
from sandbox_helpers import SECRET_ID, SECRET_KEY, all_text


def client_context():
    """A client context that accepts any certificate (the chain is inspected, not verified)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def served_chain(port, name, timeout=10.0, host='127.0.0.1'):
    """Connect with SNI ``name`` (no verification); return the certificates the server sent, leaf first."""
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with client_context().wrap_socket(raw, server_hostname=name) as tls_socket:
            if hasattr(tls_socket, 'get_unverified_chain'):  # Python 3.13+: DER bytes
                chain = [bytes(der) for der in tls_socket.get_unverified_chain()]
            else:
                chain = [cert.public_bytes(_ssl.ENCODING_DER) for cert in tls_socket._sslobj.get_unverified_chain()]  # pylint: disable=protected-access
    return [x509.load_der_x509_certificate(der) for der in chain]


def verified_handshake(port, name, cadata):
    """A verifying handshake (hostname checked) trusting only ``cadata``; return the leaf (DER)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=cadata)
    with socket.create_connection(('127.0.0.1', port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=name) as tls_socket:
            return tls_socket.getpeercert(binary_form=True)


def fingerprint(cert):
    return cert.fingerprint(hashes.SHA256()).hex()


def fingerprints(chain):
    return [fingerprint(cert) for cert in chain]


def common_name(cert):
    return cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def issued_by(cert, issuer):
    """Whether ``issuer`` issued ``cert`` (names match and the signature verifies with its key)."""
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def dns_names(cert):
    return cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)


def _seed(certs_pki):
    """www.example.com (leaf + intermediate) on a tse gateway, api.example.com (leaf + intermediate) on a gaap listener."""
    ssl_store = [{'CertificateId': 'Www', 'CertificatePublicKey': certs_pki.www.chain_pem, 'CertificatePrivateKey': certs_pki.www.key_pem}]
    return {
        'accounts': [{'secret_id': SECRET_ID, 'secret_key': SECRET_KEY}],
        'ssl': {'certificates': ssl_store},
        'tse': {'gateways': [{'GatewayId': 'gw', 'Certificates': [{'Id': 't1', 'BindDomains': ['www.example.com'], 'CertId': 'Www'}]}]},
        'gaap': {'certificates': [{'CertificateId': 'cert-a', 'CertificateType': 2, 'CertificateContent': certs_pki.api.chain_pem,
                                   'CertificateKey': certs_pki.api.key_pem}],
                 'listeners': [{'CertificateId': 'cert-a', 'Domains': [{'Domain': 'api.example.com'}]}]},
    }


@pytest.fixture
def frontend(certs_pki, caplog):
    """An in-process TLS frontend over a fresh state (its ``state.data['tls']`` is the live section); logs captured."""
    caplog.set_level(logging.INFO, logger='sandbox_cloud')
    served = tls.TlsFrontend(State(server.build_seed(_seed(certs_pki)))).start_background()
    try:
        yield served
    finally:
        served.stop()


def bound(certs_pki):
    """The fingerprints of the bound chains: name -> [leaf, intermediate]."""
    return {'www.example.com': [certs_pki.www.fingerprint_sha256, certs_pki.inter.fingerprint_sha256],
            'api.example.com': [certs_pki.api.fingerprint_sha256, certs_pki.inter.fingerprint_sha256]}


# --- seed and precedence --------------------------------------------------------------------------------


def test_seed_checks_the_audit_lists(certs_pki):
    for key in ('drift', 'unrelated', 'unreachable'):
        for bad in ('www.example.com', [''], [None], {'www.example.com': True}):
            with pytest.raises(SeedError, match='tls.%s must be a list of server names' % key):
                server.build_seed(dict(_seed(certs_pki), tls={key: bad}))
    doc = server.build_seed(dict(_seed(certs_pki), tls={'drift': ['WWW.example.com'], 'unrelated': [], 'unreachable': ['api.example.com']}))
    assert doc['tls'] == {'stuck': [], 'leaf_only': [], 'stale_intermediate': [], 'drift': ['WWW.example.com'], 'unrelated': [],
                          'unreachable': ['api.example.com']}
    assert tls.listed(doc, tls.DRIFT, 'www.EXAMPLE.com.') and not tls.listed(doc, tls.DRIFT, 'api.example.com')
    assert tls.listed(doc, tls.UNREACHABLE, 'API.example.com')
    # an absent list is empty
    assert set(server.build_seed(_seed(certs_pki))['tls']) == set(tls.NAME_LISTS)
    assert not tls.listed(server.build_seed(_seed(certs_pki)), tls.UNRELATED, 'www.example.com')
    assert tls.listed({'tls': {'unreachable': 'WWW.example.com'}}, tls.UNREACHABLE, 'www.example.com')  # a patched-in string


def test_chain_fault_precedence():
    doc = {'tls': {'leaf_only': ['a.example.com'], 'stale_intermediate': ['a.example.com', 'b.example.com'],
                   'unrelated': ['a.example.com', 'b.example.com', 'C.example.com']}}
    assert tls.CHAIN_FAULTS == (tls.LEAF_ONLY, tls.STALE_INTERMEDIATE, tls.UNRELATED)
    assert tls.chain_fault(doc, 'a.example.com') == tls.LEAF_ONLY
    assert tls.chain_fault(doc, 'b.example.com') == tls.STALE_INTERMEDIATE
    assert tls.chain_fault(doc, 'c.example.com') == tls.UNRELATED
    assert tls.chain_fault(doc, 'd.example.com') is None


# --- drift ----------------------------------------------------------------------------------------------


def test_drift_serves_a_sandbox_leaf_issued_by_the_sandbox_cdn_ca(frontend, certs_pki, caplog):
    expected = bound(certs_pki)
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == expected['www.example.com']
    frontend.state.data['tls']['drift'] = ['WWW.Example.com']
    leaf, ca = served_chain(frontend.port, 'www.example.com')
    assert fingerprint(leaf) not in expected['www.example.com'] and fingerprint(ca) not in expected['www.example.com']
    assert any(tls.name_covered(pattern, 'www.example.com') for pattern in dns_names(leaf))
    assert common_name(ca) == tls.CDN_CA_NAME and common_name(leaf) == 'www.example.com'
    assert issued_by(leaf, ca) and issued_by(ca, ca)  # a complete chain up to a self-signed CA
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey) and leaf.public_key().curve.name == 'secp256r1'
    now = datetime.datetime.now(datetime.timezone.utc)
    assert leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc
    assert datetime.timedelta(days=59) < leaf.not_valid_after_utc - now < datetime.timedelta(days=61)
    # well formed: a client trusting the sandbox CDN CA verifies it, hostname included
    verified_handshake(frontend.port, 'www.example.com', ca.public_bytes(serialization.Encoding.PEM).decode('ascii'))
    # the same certificate on every handshake
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == [fingerprint(leaf), fingerprint(ca)]
    # other names are not affected; another drifted name gets its own leaf from the same CA
    assert fingerprints(served_chain(frontend.port, 'api.example.com')) == expected['api.example.com']
    frontend.state.data['tls']['drift'].append('api.example.com')
    api_leaf, api_ca = served_chain(frontend.port, 'api.example.com')
    assert fingerprint(api_ca) == fingerprint(ca) and fingerprint(api_leaf) != fingerprint(leaf)
    assert dns_names(api_leaf) == ['api.example.com'] and issued_by(api_leaf, ca)
    assert 'tls www.example.com -> tse:gw/t1 sha256=%s [drift]' % fingerprint(leaf) in caplog.text
    # drift wins over the chain faults
    frontend.state.data['tls']['leaf_only'] = ['www.example.com']
    frontend.state.data['tls']['unrelated'] = ['www.example.com']
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == [fingerprint(leaf), fingerprint(ca)]
    # only where a binding resolves
    frontend.state.data['tls']['drift'].append('unknown.example.com')
    with pytest.raises(ssl.SSLError, match='UNRECOGNIZED_NAME'):
        served_chain(frontend.port, 'unknown.example.com')
    # taken off the list: the bound chain again
    frontend.state.data['tls'].update(drift=[], leaf_only=[], unrelated=[])
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == expected['www.example.com']
    assert 'PRIVATE KEY' not in caplog.text


def test_drift_applies_to_a_stuck_name(frontend, certs_pki, caplog):
    frontend.state.data['tls'].update(stuck=['www.example.com'], drift=['www.example.com'])
    leaf, ca = served_chain(frontend.port, 'www.example.com')
    assert common_name(ca) == tls.CDN_CA_NAME and issued_by(leaf, ca)
    assert '[stuck: seed binding] [drift]' in caplog.text


# --- unrelated ------------------------------------------------------------------------------------------


def test_unrelated_appends_a_certificate_that_issued_nothing(frontend, certs_pki, caplog):
    expected = bound(certs_pki)
    frontend.state.data['tls']['unrelated'] = ['WWW.example.com']
    chain = served_chain(frontend.port, 'www.example.com')
    assert fingerprints(chain[:-1]) == expected['www.example.com'] and len(chain) == 3
    extra = chain[-1]
    assert common_name(extra) == tls.UNRELATED_CA_NAME and issued_by(extra, extra)
    assert extra.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert fingerprint(extra) not in (certs_pki.root.fingerprint_sha256, *expected['www.example.com'])
    for cert in chain[:-1] + [certs_pki.root.cert]:
        assert not issued_by(cert, extra) and cert.issuer != extra.subject
    # the same one on every handshake; the bound chain still verifies (the stray certificate is just ignored)
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == fingerprints(chain)
    verified_handshake(frontend.port, 'www.example.com', certs_pki.root.cert_pem)
    # other names are not affected
    assert fingerprints(served_chain(frontend.port, 'api.example.com')) == expected['api.example.com']
    assert 'tls www.example.com -> tse:gw/t1 sha256=%s [unrelated certificate]' % certs_pki.www.fingerprint_sha256 in caplog.text
    # precedence: leaf_only, then stale_intermediate, then unrelated
    frontend.state.data['tls']['stale_intermediate'] = ['www.example.com']
    leaf, stale = served_chain(frontend.port, 'www.example.com')
    assert fingerprint(leaf) == certs_pki.www.fingerprint_sha256 and stale.subject == certs_pki.inter.cert.subject
    assert fingerprint(stale) not in expected['www.example.com'] + [fingerprint(extra)]
    frontend.state.data['tls']['leaf_only'] = ['www.example.com']
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == [certs_pki.www.fingerprint_sha256]
    frontend.state.data['tls'].update(leaf_only=[], stale_intermediate=[], unrelated=[])
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == expected['www.example.com']


# --- unreachable ----------------------------------------------------------------------------------------


def _held_threads():
    return [thread for thread in threading.enumerate() if 'process_request_thread' in thread.name]


def test_unreachable_holds_the_handshake_silent(frontend, certs_pki, caplog):
    frontend.state.data['tls']['unreachable'] = ['WWW.example.com', 'unknown.example.com']
    started = time.monotonic()
    with pytest.raises((socket.timeout, TimeoutError)):
        served_chain(frontend.port, 'www.example.com', timeout=1.0)
    assert 0.9 < time.monotonic() - started < 3.0
    # whether or not a binding resolves: the endpoint does not answer at all
    with pytest.raises((socket.timeout, TimeoutError)):
        served_chain(frontend.port, 'unknown.example.com', timeout=0.5)
    # only those connections wait: other names are served at once, while they are held
    started = time.monotonic()
    assert fingerprints(served_chain(frontend.port, 'api.example.com')) == bound(certs_pki)['api.example.com']
    assert time.monotonic() - started < 1.0
    assert 'tls www.example.com: no answer, connection held silent for %gs then dropped [unreachable]' % tls.UNREACHABLE_HOLD in caplog.text
    # stop() is not held up by the waiting connections, and wakes them
    assert _held_threads()
    started = time.monotonic()
    frontend.stop()
    assert time.monotonic() - started < 2.0
    deadline = time.monotonic() + 3.0
    while _held_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _held_threads()


def test_unreachable_connection_is_dropped_after_the_hold(frontend, certs_pki, monkeypatch):
    monkeypatch.setattr(tls, 'UNREACHABLE_HOLD', 0.5)
    frontend.state.data['tls']['unreachable'] = ['www.example.com']
    started = time.monotonic()
    with pytest.raises(ssl.SSLError):  # a patient client gets the handshake failure, with no certificate
        served_chain(frontend.port, 'www.example.com', timeout=5.0)
    assert 0.4 < time.monotonic() - started < 3.0
    frontend.state.data['tls']['unreachable'] = []
    assert fingerprints(served_chain(frontend.port, 'www.example.com')) == bound(certs_pki)['www.example.com']


# --- the sandbox process (control API patches, console log) -------------------------------------------------


def test_audit_states_through_the_sandbox_process(sandbox, certs_pki):
    sandbox.client.patch_state(['tls', 'drift'], ['www.example.com'])
    sandbox.client.patch_state(['tls', 'unrelated'], ['api.example.com'])
    sandbox.client.patch_state(['tls', 'unreachable'], ['api.example.com'])
    leaf, ca = served_chain(sandbox.tls_port, 'www.example.com')
    assert common_name(ca) == tls.CDN_CA_NAME and issued_by(leaf, ca) and fingerprint(leaf) != certs_pki.www.fingerprint_sha256
    assert fingerprints(served_chain(sandbox.tls_port, 'www.example.com')) == [fingerprint(leaf), fingerprint(ca)]
    started = time.monotonic()
    with pytest.raises((socket.timeout, TimeoutError)):
        served_chain(sandbox.tls_port, 'api.example.com', timeout=1.0)
    assert time.monotonic() - started < 3.0
    sandbox.client.patch_state(['tls', 'unreachable'], [])
    chain = served_chain(sandbox.tls_port, 'api.example.com')
    assert fingerprints(chain[:2]) == [certs_pki.api.fingerprint_sha256, certs_pki.inter.fingerprint_sha256]
    assert len(chain) == 3 and common_name(chain[2]) == tls.UNRELATED_CA_NAME
    output = sandbox.output()
    assert '[drift]' in output and '[unrelated certificate]' in output and '[unreachable]' in output
    assert 'PRIVATE KEY' not in all_text(sandbox)
    sandbox.client.reset()
    assert [sandbox.client.state()['tls'][key] for key in ('drift', 'unrelated', 'unreachable')] == [[], [], []]
    assert fingerprint(served_chain(sandbox.tls_port, 'www.example.com')[0]) == certs_pki.www.fingerprint_sha256
