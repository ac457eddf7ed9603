# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: a demo PKI, a seed state file and one sandbox process per test session."""

from __future__ import annotations

import types

import pytest
import yaml

from alibaba_helpers import esa_seed
from sandbox_cloud import pki
from sandbox_cloud.client import SandboxProcess
from sandbox_helpers import (FREE_CERT, GAAP_BASIC, GAAP_CLIENT_CA, GAAP_CLIENT_CA2, GAAP_EMPTY_LISTENER, GAAP_LISTENER, GAAP_SERVER, GAAP_SERVER2,
                             GATEWAY, LB_GZ, LB_GZ2, LB_SH, LISTENER_MUTUAL, LISTENER_SNI, NATIVE_ID, OTHER_ROLE, REGION, ROLE, SECRET_ID,
                             SECRET_KEY, SEEDED_CERT, SSL_API, SSL_BOUND_ID, SSL_CA, SSL_CA2, SSL_EXPIRED, SSL_SPARE, SSL_WWW, UIN, ZONE, ZONE_NAME)


@pytest.fixture(scope='session')
def certs_pki():
    """Root, intermediate and a few leaves (EC P-256; fast to generate)."""
    root = pki.make_ca('Test Root CA')
    inter = pki.make_ca('Test Intermediate CA', parent=root)
    return types.SimpleNamespace(
        root=root,
        inter=inter,
        www=pki.make_leaf('www.example.com', ['www.example.com', 'example.com'], inter),
        api=pki.make_leaf('api.example.com', ['api.example.com'], inter),
        new=pki.make_leaf('www.example.com', ['www.example.com', 'example.com'], inter),
        rsa=pki.make_leaf('rsa.example.com', None, inter, key_type='rsa'),
        expired=pki.make_expired_leaf('old.example.com', ['old.example.com'], inter),
        wildcard=pki.make_leaf('*.example.com', ['*.example.com'], inter),
    )


@pytest.fixture(scope='session')
def state_file(tmp_path_factory, certs_pki):
    """The seed: one account, one SSL certificate, one gateway with an ssl and a native certificate."""
    base = tmp_path_factory.mktemp('sandbox')
    (base / 'certs').mkdir()
    (base / 'certs' / 'api.crt').write_text(certs_pki.api.chain_pem)
    (base / 'certs' / 'api.key').write_text(certs_pki.api.key_pem)
    seed = {
        'accounts': [
            {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'uin': UIN, 'roles': [ROLE]},
            {'secret_id': 'AKIDother', 'secret_key': 'other-secret-key', 'uin': '100000000002', 'roles': [OTHER_ROLE]},
        ],
        'ssl': {'certificates': [{
            'CertificateId': SEEDED_CERT,
            'Alias': 'seeded www',
            'CertificatePublicKey': certs_pki.www.chain_pem,
            'CertificatePrivateKey': certs_pki.www.key_pem,
        }]},
        'tse': {'gateways': [{
            'GatewayId': GATEWAY,
            'Region': REGION,
            'Certificates': [
                {'Id': SSL_BOUND_ID, 'Name': 'www', 'BindDomains': ['www.example.com'], 'CertSource': 'ssl', 'CertId': SEEDED_CERT},
                {'Id': NATIVE_ID, 'Name': 'api', 'BindDomains': ['api.example.com'], 'CertSource': 'native',
                 'CrtFile': 'certs/api.crt', 'KeyFile': 'certs/api.key'},
            ],
        }]},
    }
    path = base / 'state.yml'
    path.write_text(yaml.safe_dump(seed))
    return str(path)


@pytest.fixture(scope='session')
def sandbox_process(state_file, tmp_path_factory):
    """One sandbox server for the whole session (reset before every test)."""
    log_file = str(tmp_path_factory.mktemp('sandbox-log') / 'requests.jsonl')
    process = SandboxProcess(state_file, log_file=log_file).start()
    process.log_path = log_file
    yield process
    process.stop()


@pytest.fixture
def sandbox(sandbox_process):
    """The running sandbox with its seed state, an empty log and no faults."""
    sandbox_process.client.reset()
    return sandbox_process


def _product_seed(pki_set):
    """SSL store certificates used by gaap/teo/clb, a GAAP listener, an EdgeOne zone and load balancers in two regions."""
    def ssl_cert(certificate_id, issued, alias, certificate_type='SVR'):
        return {'CertificateId': certificate_id, 'Alias': alias, 'CertificateType': certificate_type,
                'CertificatePublicKey': issued.chain_pem if certificate_type == 'SVR' else issued.cert_pem,
                **({'CertificatePrivateKey': issued.key_pem} if certificate_type == 'SVR' else {})}

    def gaap_cert(certificate_id, certificate_type, alias, issued=None, content=None):
        record = {'CertificateId': certificate_id, 'CertificateType': certificate_type, 'CertificateAlias': alias,
                  'CertificateContent': content or (issued.chain_pem if certificate_type == 2 else issued.cert_pem), 'CreateTime': 1767225600}
        if certificate_type == 2:
            record['CertificateKey'] = issued.key_pem
        return record

    return {
        'accounts': [{'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'uin': UIN, 'roles': [ROLE]}],
        'ssl': {'certificates': [
            ssl_cert(SSL_WWW, pki_set.www, 'www'),
            ssl_cert(SSL_API, pki_set.api, 'api'),
            ssl_cert(SSL_CA, pki_set.inter, 'client ca', 'CA'),
            ssl_cert(SSL_CA2, pki_set.root, 'client root ca', 'CA'),
            ssl_cert(SSL_EXPIRED, pki_set.expired, 'old'),
            ssl_cert(SSL_SPARE, pki_set.new, 'new www'),
        ]},
        'gaap': {
            'settle_calls': 2,
            'certificates': [
                gaap_cert(GAAP_SERVER, 2, 'www server', pki_set.www),
                gaap_cert(GAAP_SERVER2, 2, 'api server', pki_set.api),
                gaap_cert(GAAP_CLIENT_CA, 1, 'client ca', pki_set.inter),
                gaap_cert(GAAP_CLIENT_CA2, 1, 'client root ca', pki_set.root),
                gaap_cert(GAAP_BASIC, 0, 'basic auth', content='admin:$apr1$Vx1Jt3nQ$3G2yXJ8m5Zb0xMc2d1kqL/'),
            ],
            'listeners': [
                {'ListenerId': GAAP_LISTENER, 'CertificateId': GAAP_SERVER, 'ClientCertificateId': GAAP_CLIENT_CA, 'Domains': [
                    {'Domain': 'www.example.com', 'CertificateId': 'default', 'ClientCertificateId': 'default'},
                    {'Domain': 'api.example.com', 'CertificateId': GAAP_SERVER2, 'PolyClientCertificateIds': [GAAP_CLIENT_CA, GAAP_CLIENT_CA2]},
                    {'Domain': 'busy.example.com', 'DomainStatus': 1},
                ]},
                {'ListenerId': GAAP_EMPTY_LISTENER, 'CertificateId': GAAP_SERVER},
            ],
        },
        'teo': {
            'settle_calls': 1,
            'zones': [{'ZoneId': ZONE, 'ZoneName': ZONE_NAME, 'Domains': [
                {'DomainName': 'www.example.com', 'CreatedOn': '2026-01-01T00:00:00Z',
                 'Certificate': {'Mode': 'sslcert', 'List': [{'CertId': SSL_WWW}]}},
                {'DomainName': 'api.example.com', 'CreatedOn': '2026-01-03T00:00:00Z'},
                {'DomainName': 'static.example.com', 'CreatedOn': '2026-01-02T00:00:00Z', 'Certificate': {'Mode': 'eofreecert', 'List': [
                    {'CertId': FREE_CERT, 'Type': 'managed', 'ExpireTime': '2026-04-01T00:00:00Z', 'SignAlgo': 'RSA 2048'}]}},
            ]}],
        },
        'clb': {'load_balancers': [
            {'LoadBalancerId': LB_GZ, 'LoadBalancerName': 'web-gz', 'Region': REGION, 'Listeners': [
                {'ListenerId': LISTENER_MUTUAL, 'Port': 443, 'Certificate': {'SSLMode': 'MUTUAL', 'CertId': SSL_WWW, 'CertCaId': SSL_CA}},
                {'ListenerId': LISTENER_SNI, 'Port': 8443, 'Rules': [
                    {'LocationId': 'loc-api00001', 'Domain': 'api.example.com', 'Certificate': {'CertId': SSL_API}},
                    {'LocationId': 'loc-www00001', 'Domain': 'www.example.com', 'Certificate': {'CertId': SSL_WWW}},
                ]},
            ]},
            {'LoadBalancerId': LB_GZ2, 'LoadBalancerName': 'plain-gz', 'Region': REGION, 'Listeners': [
                {'ListenerId': 'lbl-http0001', 'Protocol': 'HTTP', 'Port': 80},
            ]},
            {'LoadBalancerId': LB_SH, 'LoadBalancerName': 'web-sh', 'Region': 'ap-shanghai', 'Listeners': [
                {'ListenerId': 'lbl-sh000001', 'Certificate': {'CertId': SSL_WWW}},
            ]},
        ]},
    }


@pytest.fixture(scope='session')
def product_state_file(tmp_path_factory, certs_pki):
    """The seed of the gaap/teo/clb tests (kept apart so the SSL store of the main seed stays small)."""
    path = tmp_path_factory.mktemp('product-sandbox') / 'state.yml'
    path.write_text(yaml.safe_dump(_product_seed(certs_pki)))
    return str(path)


@pytest.fixture(scope='session')
def product_sandbox_process(product_state_file, tmp_path_factory):
    """A second sandbox server for the gaap/teo/clb tests."""
    log_file = str(tmp_path_factory.mktemp('product-sandbox-log') / 'requests.jsonl')
    process = SandboxProcess(product_state_file, log_file=log_file).start()
    process.log_path = log_file
    yield process
    process.stop()


@pytest.fixture
def product_sandbox(product_sandbox_process):
    """The products sandbox with its seed state, an empty log and no faults."""
    product_sandbox_process.client.reset()
    return product_sandbox_process


@pytest.fixture(scope='session')
def esa_state_file(tmp_path_factory, certs_pki):
    """The seed of the Alibaba Cloud ESA tests (own sandbox; the first account also has the Tencent keys)."""
    base = tmp_path_factory.mktemp('esa-sandbox')
    (base / 'certs').mkdir()
    (base / 'certs' / 'api.crt').write_text(certs_pki.api.chain_pem)
    (base / 'certs' / 'api.key').write_text(certs_pki.api.key_pem)
    path = base / 'state.yml'
    path.write_text(yaml.safe_dump(esa_seed(certs_pki, {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY})))
    return str(path)


@pytest.fixture(scope='session')
def esa_sandbox_process(esa_state_file, tmp_path_factory):
    """A sandbox server for the ESA tests."""
    log_file = str(tmp_path_factory.mktemp('esa-sandbox-log') / 'requests.jsonl')
    process = SandboxProcess(esa_state_file, log_file=log_file).start()
    process.log_path = log_file
    yield process
    process.stop()


@pytest.fixture
def esa_sandbox(esa_sandbox_process):
    """The ESA sandbox with its seed state, an empty log and no faults."""
    esa_sandbox_process.client.reset()
    return esa_sandbox_process
