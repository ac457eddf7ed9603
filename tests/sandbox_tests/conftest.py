# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: a demo PKI, a seed state file and one sandbox process per test session."""

from __future__ import annotations

import types

import pytest
import yaml

from sandbox_cloud import pki
from sandbox_cloud.client import SandboxProcess
from sandbox_helpers import GATEWAY, NATIVE_ID, OTHER_ROLE, REGION, ROLE, SECRET_ID, SECRET_KEY, SEEDED_CERT, SSL_BOUND_ID, UIN


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
