# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection, observed through the real SDK (and its StandardRetryer)."""

from __future__ import annotations

import threading
import time

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.retry import StandardRetryer
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.tse.v20201207 import models as tse_models

from sandbox_cloud.client import SandboxError
from sandbox_helpers import GATEWAY, SEEDED_CERT, SSL_BOUND_ID, FixedRetryer, ssl_client, tse_client


def fast_retryer(delay=0.05, attempts=3):
    return FixedRetryer(max_attempts=attempts, backoff_fn=lambda n: delay)


def count_certificates(client):
    return client.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount


def upload(client, leaf):
    request = ssl_models.UploadCertificateRequest()
    request.CertificatePublicKey = leaf.chain_pem
    request.CertificatePrivateKey = leaf.key_pem
    return client.UploadCertificate(request)


def rename(client, name):
    request = tse_models.ModifyCloudNativeAPIGatewayCertificateRequest()
    request.GatewayId, request.Id, request.CertId, request.Name = GATEWAY, SSL_BOUND_ID, SEEDED_CERT, name
    return client.ModifyCloudNativeAPIGatewayCertificate(request)


def gateway_cert_name(sandbox):
    return sandbox.client.state()['tse']['gateways'][0]['Certificates'][0]['Name']


def sdk_error(func, *args):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args)
    return error.value


def test_error_fault(sandbox):
    fault_id = sandbox.client.add_fault(service='tse', action='ModifyCloudNativeAPIGatewayCertificate', kind='error',
                                        code='FailedOperation.FailedOperation', message='injected', count=1)
    client = tse_client(sandbox)
    error = sdk_error(rename, client, 'first')
    assert (error.get_code(), error.get_message()) == ('FailedOperation.FailedOperation', 'injected')
    assert gateway_cert_name(sandbox) == 'www'
    rename(client, 'second')
    assert gateway_cert_name(sandbox) == 'second'
    first, second = sandbox.client.log()
    assert first['fault'] == fault_id and first['ok'] is False and first['write'] is True
    assert second['fault'] is None and second['ok'] is True
    assert sandbox.client.faults()[0]['hits'] == 1


def test_http_status_fault(sandbox):
    sandbox.client.add_fault(service='ssl', action='*', kind='http_status', status=503, count=1)
    assert sdk_error(count_certificates, ssl_client(sandbox)).get_code() == 'ServerNetworkError'
    sandbox.client.add_fault(kind='http_status', status=502, count=1)
    assert count_certificates(ssl_client(sandbox, retryer=fast_retryer())) == 1
    assert [e['error_code'] for e in sandbox.client.log()] == ['Sandbox.HttpStatus503', 'Sandbox.HttpStatus502', None]


def test_latency_fault(sandbox):
    sandbox.client.add_fault(service='ssl', action='DescribeCertificates', kind='latency', seconds=0.3, count=1)
    started = time.monotonic()
    assert count_certificates(ssl_client(sandbox)) == 1
    assert time.monotonic() - started >= 0.3
    assert sandbox.client.log()[0]['ok'] is True and sandbox.client.log()[0]['fault']


def test_slow_reply_fault_answers_with_the_state_it_read_before_the_wait(sandbox, certs_pki):
    sandbox.client.add_fault(service='ssl', action='DescribeCertificates', kind='slow_reply', seconds=0.5, count=1)
    client = ssl_client(sandbox)
    listing = threading.Thread(target=lambda: found.append(count_certificates(client)))
    found = []
    listing.start()
    time.sleep(0.2)  # the listing was read; its reply is still on its way
    upload(ssl_client(sandbox), certs_pki.api)
    listing.join()
    assert found == [1] and count_certificates(client) == 2
    slow = [e for e in sandbox.client.log() if e['fault']]
    assert [(e['action'], e['ok']) for e in slow] == [('DescribeCertificates', True)]


def test_reset_fault_applies_nothing(sandbox):
    sandbox.client.add_fault(service='tse', kind='reset', count=1)
    client = tse_client(sandbox)
    assert sdk_error(rename, client, 'lost').get_code() == 'ClientNetworkError'
    assert gateway_cert_name(sandbox) == 'www'
    sandbox.client.add_fault(service='tse', kind='reset', count=1)
    rename(tse_client(sandbox, retryer=fast_retryer()), 'retried')
    assert gateway_cert_name(sandbox) == 'retried'
    assert [e['error_code'] for e in sandbox.client.log()] == ['Sandbox.ConnectionReset', 'Sandbox.ConnectionReset', None]


def test_lost_reply_fault_applies_the_write(sandbox, certs_pki):
    sandbox.client.add_fault(service='ssl', action='UploadCertificate', kind='lost_reply', count=1)
    client = ssl_client(sandbox)
    assert sdk_error(upload, client, certs_pki.api).get_code() == 'ClientNetworkError'
    assert count_certificates(client) == 2
    entry = sandbox.client.writes()[0]
    assert entry['action'] == 'UploadCertificate' and entry['ok'] is True and entry['fault']


def test_throttle_fault_with_retryer(sandbox):
    sandbox.client.add_fault(service='ssl', action='DescribeCertificates', kind='throttle', rate=1)
    plain = ssl_client(sandbox)
    assert count_certificates(plain) == 1
    assert sdk_error(count_certificates, plain).get_code() == 'RequestLimitExceeded'
    patient = ssl_client(sandbox, retryer=fast_retryer(delay=0.55, attempts=4))
    assert count_certificates(patient) == 1
    codes = [e['error_code'] for e in sandbox.client.log()]
    assert codes[0] is None and codes[1] == 'RequestLimitExceeded' and codes[-1] is None
    assert 'RequestLimitExceeded' in codes[2:-1]
    # other actions are not throttled
    request = ssl_models.DescribeCertificateDetailRequest()
    request.CertificateId = SEEDED_CERT
    for _attempt in range(3):
        assert ssl_client(sandbox).DescribeCertificateDetail(request).CertificateId == SEEDED_CERT


def test_fault_management(sandbox):
    with pytest.raises(SandboxError):
        sandbox.client.add_fault(kind='explode')
    with pytest.raises(SandboxError):
        sandbox.client.add_fault(kind='error')  # no code
    sandbox.client.add_fault(kind='error', code='InternalError')
    assert sdk_error(count_certificates, ssl_client(sandbox)).get_code() == 'InternalError'
    assert len(sandbox.client.faults()) == 1
    sandbox.client.clear_faults()
    assert sandbox.client.faults() == []
    assert count_certificates(ssl_client(sandbox)) == 1
    sandbox.client.add_fault(kind='error', code='InternalError')
    sandbox.client.reset()
    assert count_certificates(ssl_client(sandbox)) == 1


def test_sdk_standard_retryer_reports_stale_error(sandbox):
    """The SDK's own StandardRetryer retries RequestLimitExceeded, but keeps the first error.

    Documents a bug in tencentcloud-sdk-python-common (3.1.195): after one throttled attempt the
    successful retry is repeated until max_attempts and the stale error is raised.  Callers must
    use a corrected retryer (like ``FixedRetryer``); if this test fails, the SDK has been fixed.
    """
    sandbox.client.add_fault(service='ssl', action='DescribeCertificates', kind='error', code='RequestLimitExceeded', count=1)
    client = ssl_client(sandbox, retryer=StandardRetryer(max_attempts=3, backoff_fn=lambda n: 0.01))
    assert sdk_error(count_certificates, client).get_code() == 'RequestLimitExceeded'
    assert [e['error_code'] for e in sandbox.client.log()] == ['RequestLimitExceeded', None, None]
