# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud Load Balancer certificate bindings, driven through the real Tencent SDK."""

from __future__ import annotations

import pytest
from tencentcloud.clb.v20180317 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models

from sandbox_helpers import (LB_GZ, LB_SH, LISTENER_MUTUAL, LISTENER_SNI, SSL_API, SSL_CA, SSL_CA2, SSL_EXPIRED, SSL_SPARE, SSL_WWW,
                             clb_client, raw_call, ssl_client)


def by_cert(client, cert_ids):
    request = models.DescribeLoadBalancerListByCertIdRequest()
    request.CertIds = cert_ids
    return client.DescribeLoadBalancerListByCertId(request).CertSet


def users(client, certificate_id):
    [entry] = by_cert(client, [certificate_id])
    return [lb.LoadBalancerId for lb in entry.LoadBalancers]


def replace(client, old_id, **fields):
    request = models.ReplaceCertForLoadBalancersRequest()
    request.OldCertificateId = old_id
    request.Certificate = models.CertificateInput()
    for name, value in fields.items():
        setattr(request.Certificate, name, value)
    return client.ReplaceCertForLoadBalancers(request)


def code_of(func, *args, **kwargs):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args, **kwargs)
    return error.value.get_code()


def bindings(sandbox, region='ap-guangzhou'):
    """``{listener or listener/location: (SSLMode, CertId, CertCaId)}`` from the state dump."""
    found = {}
    for lb in sandbox.client.state()['clb']['load_balancers']:
        if lb['Region'] != region:
            continue
        for listener in lb['Listeners']:
            if listener.get('Certificate'):
                cert = listener['Certificate']
                found[listener['ListenerId']] = (cert['SSLMode'], cert['CertId'], cert['CertCaId'])
            for rule in listener['Rules']:
                if rule.get('Certificate'):
                    cert = rule['Certificate']
                    found['%s/%s' % (listener['ListenerId'], rule['Domain'])] = (cert['SSLMode'], cert['CertId'], cert['CertCaId'])
    return found


SEEDED_BINDINGS = {
    LISTENER_MUTUAL: ('MUTUAL', SSL_WWW, SSL_CA),
    LISTENER_SNI + '/api.example.com': ('UNIDIRECTIONAL', SSL_API, ''),
    LISTENER_SNI + '/www.example.com': ('UNIDIRECTIONAL', SSL_WWW, ''),
}


def test_describe_load_balancer_list_by_cert_id(product_sandbox):
    client = clb_client(product_sandbox)
    cert_set = by_cert(client, [SSL_WWW, SSL_CA, SSL_API, 'NoSuch01'])
    assert all(isinstance(entry, models.CertIdRelatedWithLoadBalancers) for entry in cert_set)
    assert [(entry.CertId, [lb.LoadBalancerId for lb in entry.LoadBalancers]) for entry in cert_set] == [
        (SSL_WWW, [LB_GZ]), (SSL_CA, [LB_GZ]), (SSL_API, [LB_GZ]), ('NoSuch01', [])]
    lb = cert_set[0].LoadBalancers[0]
    assert isinstance(lb, models.LoadBalancer)
    assert (lb.LoadBalancerName, lb.LoadBalancerType, lb.Forward, lb.Status) == ('web-gz', 'OPEN', 1, 1)
    assert lb.LoadBalancerVips and lb.VpcId.startswith('vpc-')
    # other regions only see their own load balancers
    assert users(clb_client(product_sandbox, region='ap-shanghai'), SSL_WWW) == [LB_SH]
    assert users(clb_client(product_sandbox, region='ap-beijing'), SSL_WWW) == []
    assert code_of(by_cert, client, ['id%d' % index for index in range(21)]) == 'InvalidParameterValue.Length'
    assert code_of(by_cert, client, []) == 'MissingParameter'
    response = raw_call(product_sandbox, 'clb', 'DescribeLoadBalancerListByCertId', '2018-03-17', {'CertIds': [SSL_WWW]})
    assert response['Error']['Code'] == 'MissingParameter'  # CLB is regional


def test_describe_listeners(product_sandbox):
    client = clb_client(product_sandbox)
    request = models.DescribeListenersRequest()
    request.LoadBalancerId = LB_GZ
    response = client.DescribeListeners(request)
    assert response.TotalCount == 2
    mutual, sni = response.Listeners
    assert isinstance(mutual, models.Listener) and isinstance(mutual.Certificate, models.CertificateOutput)
    assert (mutual.ListenerId, mutual.Protocol, mutual.Port, mutual.SniSwitch) == (LISTENER_MUTUAL, 'HTTPS', 443, 0)
    assert (mutual.Certificate.SSLMode, mutual.Certificate.CertId, mutual.Certificate.CertCaId) == ('MUTUAL', SSL_WWW, SSL_CA)
    assert sni.Certificate is None and sni.SniSwitch == 1
    assert [(rule.Domain, rule.Certificate.CertId, rule.Certificate.CertCaId) for rule in sni.Rules] == [
        ('api.example.com', SSL_API, None), ('www.example.com', SSL_WWW, None)]
    request.ListenerIds = [LISTENER_SNI]
    assert [listener.ListenerId for listener in client.DescribeListeners(request).Listeners] == [LISTENER_SNI]
    request.LoadBalancerId = LB_SH  # another region
    assert code_of(client.DescribeListeners, request) == 'InvalidParameter.LBIdNotFound'


def test_replace_without_ssl_mode_drops_mutual_tls(product_sandbox):
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    client = clb_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    replace(client, SSL_WWW, CertId=SSL_SPARE)  # like the real API: SSLMode defaults to UNIDIRECTIONAL
    writes = product_sandbox.client.writes(since)
    assert [(w['service'], w['action'], w['ok'], w['region']) for w in writes] == [('clb', 'ReplaceCertForLoadBalancers', True, 'ap-guangzhou')]
    assert bindings(product_sandbox) == {
        LISTENER_MUTUAL: ('UNIDIRECTIONAL', SSL_SPARE, ''),
        LISTENER_SNI + '/api.example.com': ('UNIDIRECTIONAL', SSL_API, ''),
        LISTENER_SNI + '/www.example.com': ('UNIDIRECTIONAL', SSL_SPARE, ''),
    }
    assert users(client, SSL_CA) == [] and users(client, SSL_WWW) == []
    # the API is called in ap-guangzhou and replaces the certificate in every region
    assert bindings(product_sandbox, 'ap-shanghai') == {'lbl-sh000001': ('UNIDIRECTIONAL', SSL_SPARE, '')}


def test_replace_only_from_guangzhou(product_sandbox):
    with pytest.raises(TencentCloudSDKException) as error:
        replace(clb_client(product_sandbox, region='ap-shanghai'), SSL_WWW, CertId=SSL_SPARE)
    assert error.value.get_code() == 'UnsupportedRegion'


def test_replace_keeping_mutual_tls(product_sandbox):
    client = clb_client(product_sandbox)
    replace(client, SSL_WWW, CertId=SSL_SPARE, SSLMode='MUTUAL', CertCaId=SSL_CA)
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == ('MUTUAL', SSL_SPARE, SSL_CA)
    # the rule that was one-way TLS becomes mutual too: the new settings apply to every binding of the old id
    assert bindings(product_sandbox)[LISTENER_SNI + '/www.example.com'] == ('MUTUAL', SSL_SPARE, SSL_CA)
    assert code_of(replace, client, SSL_SPARE, CertId=SSL_WWW, SSLMode='MUTUAL') == 'InvalidParameter'
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == ('MUTUAL', SSL_SPARE, SSL_CA)  # unchanged


def test_replace_with_uploaded_content(product_sandbox, certs_pki):
    client = clb_client(product_sandbox)
    store = ssl_client(product_sandbox)
    before = store.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount
    replace(client, SSL_API, CertName='rsa upload', CertContent=certs_pki.rsa.chain_pem, CertKey=certs_pki.rsa.key_pem)
    listing = store.DescribeCertificates(ssl_models.DescribeCertificatesRequest())
    assert listing.TotalCount == before + 1
    new = listing.Certificates[0]  # newest first
    assert new.Alias == 'rsa upload' and new.Domain == 'rsa.example.com'
    assert bindings(product_sandbox)[LISTENER_SNI + '/api.example.com'] == ('UNIDIRECTIONAL', new.CertificateId, '')
    assert 'PRIVATE KEY' not in str(product_sandbox.client.log())
    # a bad upload creates nothing
    assert code_of(replace, client, SSL_WWW, CertContent=certs_pki.www.chain_pem, CertKey=certs_pki.api.key_pem) == 'InvalidParameter.FormatError'
    assert code_of(replace, client, SSL_WWW, CertContent=certs_pki.www.chain_pem, CertKey=certs_pki.www.key_pem,
                   SSLMode='MUTUAL', CertCaContent='junk') == 'InvalidParameter.FormatError'
    assert store.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount == before + 1


def test_replace_client_ca(product_sandbox, certs_pki):
    client = clb_client(product_sandbox)
    replace(client, SSL_CA, CertCaId=SSL_CA2)
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == ('MUTUAL', SSL_WWW, SSL_CA2)
    replace(client, SSL_CA2, CertCaContent=certs_pki.inter.cert_pem, CertCaName='uploaded ca')
    mode, server_id, ca_id = bindings(product_sandbox)[LISTENER_MUTUAL]
    assert (mode, server_id) == ('MUTUAL', SSL_WWW) and ca_id not in (SSL_CA, SSL_CA2)
    assert code_of(replace, client, ca_id, SSLMode='MUTUAL') == 'InvalidParameter'  # neither CertCaId nor CertCaContent


def test_replace_errors_and_no_op(product_sandbox):
    client = clb_client(product_sandbox)
    assert code_of(replace, client, 'NoSuch01', CertId=SSL_SPARE) == 'InvalidParameter'
    assert code_of(replace, client, SSL_WWW, CertId='NoSuch01') == 'InvalidParameter'
    assert code_of(replace, client, SSL_WWW, CertId=SSL_CA) == 'InvalidParameter'
    assert code_of(replace, client, SSL_WWW, SSLMode='UNIDIRECTIONAL') == 'InvalidParameter'  # neither CertId nor content
    assert code_of(replace, client, SSL_WWW) == 'MissingParameter'
    assert code_of(replace, client, SSL_WWW, CertId=SSL_SPARE, SSLMode='TWO-WAY') == 'InvalidParameter'
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    # nothing uses the old certificate: success, nothing changes
    since = product_sandbox.client.last_seq()
    assert replace(client, SSL_EXPIRED, CertId=SSL_SPARE).RequestId
    assert [w['ok'] for w in product_sandbox.client.writes(since)] == [True]
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    # the SSL store refuses to delete certificates bound to a load balancer
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = SSL_API
    assert code_of(ssl_client(product_sandbox).DeleteCertificate, request) == 'FailedOperation.DeleteResourceFailed'
