# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GAAP certificates and HTTPS listener domains, driven through the real Tencent SDK."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.gaap.v20180529 import models

from sandbox_helpers import (GAAP_BASIC, GAAP_CLIENT_CA, GAAP_CLIENT_CA2, GAAP_EMPTY_LISTENER, GAAP_LISTENER, GAAP_SERVER, GAAP_SERVER2,
                             gaap_client)


def call(client, name, **fields):
    request = getattr(models, name + 'Request')()
    for key, value in fields.items():
        setattr(request, key, value)
    return getattr(client, name)(request)


def code_of(func, *args, **kwargs):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args, **kwargs)
    return error.value


def rules(client, listener=GAAP_LISTENER):
    return {rule.Domain: rule for rule in call(client, 'DescribeRules', ListenerId=listener).DomainRuleSet}


def test_describe_rules(product_sandbox):
    client = gaap_client(product_sandbox)
    response = call(client, 'DescribeRules', ListenerId=GAAP_LISTENER)
    assert response.TotalCount == 3
    assert all(isinstance(rule, models.DomainRuleSet) for rule in response.DomainRuleSet)
    found = {rule.Domain: rule for rule in response.DomainRuleSet}
    www = found['www.example.com']
    assert www.CertificateId == 'default' and www.CertificateAlias == 'www server'  # the listener's certificate
    assert www.ClientCertificateId == 'default' and www.ClientCertificateAlias == 'client ca'
    assert www.DomainStatus == 0 and www.BanStatus == 'RECOVER' and www.RuleSet == []
    api = found['api.example.com']
    assert api.CertificateId == GAAP_SERVER2 and api.CertificateAlias == 'api server'
    assert api.ClientCertificateId == '' and api.ClientCertificateAlias == ''
    assert [(info.CertificateId, info.CertificateAlias) for info in api.PolyClientCertificateAliasInfo] == [
        (GAAP_CLIENT_CA, 'client ca'), (GAAP_CLIENT_CA2, 'client root ca')]
    assert isinstance(api.PolyClientCertificateAliasInfo[0], models.CertificateAliasInfo)
    assert found['busy.example.com'].DomainStatus == 1
    assert call(client, 'DescribeRules', ListenerId=GAAP_EMPTY_LISTENER).TotalCount == 0
    error = code_of(call, client, 'DescribeRules', ListenerId='listener-nope0001')
    assert error.get_code() == 'ResourceNotFound' and 'listener-nope0001' in error.get_message()


def test_describe_https_listeners(product_sandbox):
    client = gaap_client(product_sandbox)
    response = call(client, 'DescribeHTTPSListeners', ListenerId=GAAP_LISTENER)
    assert response.TotalCount == 1
    [listener] = response.ListenerSet
    assert isinstance(listener, models.HTTPSListener)
    assert (listener.ListenerId, listener.CertificateId, listener.CertificateAlias, listener.Port) == (GAAP_LISTENER, GAAP_SERVER, 'www server', 443)
    everything = call(client, 'DescribeHTTPSListeners')
    assert {item.ListenerId for item in everything.ListenerSet} >= {GAAP_LISTENER, GAAP_EMPTY_LISTENER}
    page = call(client, 'DescribeHTTPSListeners', Limit=1, Offset=1)
    assert page.TotalCount == everything.TotalCount and len(page.ListenerSet) == 1
    assert page.ListenerSet[0].ListenerId == everything.ListenerSet[1].ListenerId
    assert call(client, 'DescribeHTTPSListeners', ListenerId='listener-nope0001').TotalCount == 0
    assert code_of(call, client, 'DescribeHTTPSListeners', Limit=51).get_code() == 'InvalidParameterValue'


def test_modify_certificate_then_settle(product_sandbox):
    client = gaap_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    call(client, 'ModifyCertificate', ListenerId=GAAP_LISTENER, Domain='www.example.com', CertificateId=GAAP_SERVER2)
    writes = product_sandbox.client.writes(since)
    assert [(w['service'], w['action'], w['ok']) for w in writes] == [('gaap', 'ModifyCertificate', True)]
    assert writes[0]['params']['CertificateId'] == GAAP_SERVER2
    # settle_calls=2: two describes report "changing", the third "running"
    statuses = []
    for _attempt in range(3):
        www = rules(client)['www.example.com']
        statuses.append(www.DomainStatus)
        assert www.CertificateId == GAAP_SERVER2 and www.CertificateAlias == 'api server'
        assert www.ClientCertificateId == 'default'  # omitted fields are kept
    assert statuses == [1, 1, 0]
    # while changing, the domain refuses another modification
    call(client, 'ModifyCertificate', ListenerId=GAAP_LISTENER, Domain='www.example.com', CertificateId='default')
    error = code_of(call, client, 'ModifyCertificate', ListenerId=GAAP_LISTENER, Domain='www.example.com', CertificateId=GAAP_SERVER)
    assert error.get_code() == 'FailedOperation.DomainStatusNotInRunning'
    assert [rules(client)['www.example.com'].DomainStatus for _attempt in range(3)] == [1, 1, 0]
    call(client, 'ModifyCertificate', ListenerId=GAAP_LISTENER, Domain='www.example.com', ClientCertificateId='',
         PolyClientCertificateIds=[GAAP_CLIENT_CA, GAAP_CLIENT_CA2])
    www = rules(client)['www.example.com']
    assert www.CertificateId == 'default' and www.ClientCertificateId == '' and www.ClientCertificateAlias == ''
    assert [info.CertificateId for info in www.PolyClientCertificateAliasInfo] == [GAAP_CLIENT_CA, GAAP_CLIENT_CA2]


def test_modify_certificate_errors(product_sandbox):
    client = gaap_client(product_sandbox)
    since = product_sandbox.client.last_seq()

    def modify_code(**fields):
        fields.setdefault('ListenerId', GAAP_LISTENER)
        fields.setdefault('Domain', 'www.example.com')
        return code_of(call, client, 'ModifyCertificate', **fields)

    error = modify_code(ListenerId='listener-nope0001', CertificateId=GAAP_SERVER)
    assert error.get_code() == 'ResourceNotFound' and 'listener-nope0001' in error.get_message()
    error = modify_code(Domain='nope.example.com', CertificateId=GAAP_SERVER)
    assert error.get_code() == 'InvalidParameterValue' and 'nope.example.com' in error.get_message()
    assert modify_code(Domain='busy.example.com', CertificateId=GAAP_SERVER).get_code() == 'FailedOperation.DomainStatusNotInRunning'
    assert modify_code(CertificateId='cert-missing1').get_code() == 'ResourceNotFound'
    assert modify_code(CertificateId=GAAP_CLIENT_CA).get_code() == 'InvalidParameterValue.InvalidCertificateId'
    assert modify_code(ClientCertificateId=GAAP_SERVER).get_code() == 'InvalidParameterValue.InvalidCertificateId'
    assert modify_code(CertificateId=GAAP_SERVER, PolyClientCertificateIds=[GAAP_CLIENT_CA, GAAP_BASIC]).get_code() == \
        'InvalidParameterValue.InvalidCertificateId'
    assert modify_code().get_code() == 'MissingParameter'
    writes = product_sandbox.client.writes(since)
    assert len(writes) == 8 and not any(w['ok'] for w in writes)
    www = rules(client)['www.example.com']
    assert (www.CertificateId, www.ClientCertificateId, www.DomainStatus) == ('default', 'default', 0)  # nothing changed


def test_create_describe_detail_delete(product_sandbox, certs_pki):
    client = gaap_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    created = call(client, 'CreateCertificate', CertificateType=2, CertificateAlias='rsa server',
                   CertificateContent=certs_pki.rsa.chain_pem, CertificateKey=certs_pki.rsa.key_pem).CertificateId
    assert created.startswith('cert-') and len(created) == 13
    # duplicates are allowed (a second copy under a new id), and URL-encoded PEM (as documented) is accepted
    again = call(client, 'CreateCertificate', CertificateType=2, CertificateAlias='rsa server',
                 CertificateContent=quote(certs_pki.rsa.chain_pem), CertificateKey=quote(certs_pki.rsa.key_pem)).CertificateId
    assert again != created
    assert [w['action'] for w in product_sandbox.client.writes(since)] == ['CreateCertificate', 'CreateCertificate']

    listed = call(client, 'DescribeCertificates', CertificateType=2)
    assert listed.TotalCount == 4
    assert [c.CertificateId for c in listed.CertificateSet] == [GAAP_SERVER, GAAP_SERVER2, created, again]
    item = listed.CertificateSet[2]
    assert isinstance(item, models.Certificate)
    assert item.CertificateAlias == item.CertificateName == 'rsa server' and item.CertificateType == 2
    assert item.SubjectCN == 'rsa.example.com' and item.IssuerCN == 'Test Intermediate CA'
    assert item.BeginTime == int(certs_pki.rsa.not_before.timestamp()) and item.EndTime == int(certs_pki.rsa.not_after.timestamp())
    assert isinstance(item.CreateTime, int)
    assert not hasattr(item, 'CertificateContent')

    detail = call(client, 'DescribeCertificateDetail', CertificateId=again).CertificateDetail
    assert isinstance(detail, models.CertificateDetail)
    assert detail.CertificateContent == certs_pki.rsa.chain_pem  # stored decoded
    assert detail.CertificateKey == certs_pki.rsa.key_pem  # the real API returns the key of SSL certificates
    ca_detail = call(client, 'DescribeCertificateDetail', CertificateId=GAAP_CLIENT_CA).CertificateDetail
    assert ca_detail.CertificateType == 1 and ca_detail.CertificateKey is None and ca_detail.SubjectCN == 'Test Intermediate CA'
    # key material never reaches the log or the state dump
    assert 'PRIVATE KEY' not in str(product_sandbox.client.log(since)) + str(product_sandbox.client.state())

    call(client, 'DeleteCertificate', CertificateId=created)
    assert call(client, 'DescribeCertificates', CertificateType=2).TotalCount == 3
    assert code_of(call, client, 'DescribeCertificateDetail', CertificateId=created).get_code() == 'ResourceNotFound'
    assert code_of(call, client, 'DeleteCertificate', CertificateId=created).get_code() == 'ResourceNotFound'
    for used in (GAAP_SERVER, GAAP_SERVER2, GAAP_CLIENT_CA, GAAP_CLIENT_CA2):
        error = code_of(call, client, 'DeleteCertificate', CertificateId=used)
        assert error.get_code() == 'FailedOperation.CertificateIsUsing'
    # once no domain uses it any more, a certificate can be deleted
    call(client, 'ModifyCertificate', ListenerId=GAAP_LISTENER, Domain='api.example.com', CertificateId='default', PolyClientCertificateIds=[GAAP_CLIENT_CA])
    call(client, 'DeleteCertificate', CertificateId=GAAP_SERVER2)
    call(client, 'DeleteCertificate', CertificateId=GAAP_CLIENT_CA2)


def test_create_certificate_errors(product_sandbox, certs_pki):
    client = gaap_client(product_sandbox)

    def create_code(**fields):
        return code_of(call, client, 'CreateCertificate', **fields).get_code()

    assert create_code(CertificateType=2, CertificateContent='not a pem', CertificateKey=certs_pki.www.key_pem) == \
        'InvalidParameterValue.InvalidCertificateContent'
    assert create_code(CertificateType=2, CertificateContent=certs_pki.www.chain_pem, CertificateKey=certs_pki.api.key_pem) == \
        'InvalidParameterValue.CertificateContentNotMatchKey'
    assert create_code(CertificateType=2, CertificateContent=certs_pki.www.chain_pem, CertificateKey='garbage') == \
        'InvalidParameterValue.InvalidCertificateKey'
    assert create_code(CertificateType=2, CertificateContent=certs_pki.www.chain_pem) == 'MissingParameter'
    assert create_code(CertificateType=7, CertificateContent=certs_pki.www.chain_pem) == 'InvalidParameterValue'
    assert create_code(CertificateContent=certs_pki.www.chain_pem) == 'MissingParameter'
    assert call(client, 'DescribeCertificates').TotalCount == 5
    # a client CA needs no key
    assert call(client, 'CreateCertificate', CertificateType=1, CertificateContent=certs_pki.root.cert_pem).CertificateId


def test_describe_certificates_types_and_paging(product_sandbox):
    client = gaap_client(product_sandbox)
    everything = call(client, 'DescribeCertificates', CertificateType=-1)
    assert everything.TotalCount == 5 and len(everything.CertificateSet) == 5
    assert call(client, 'DescribeCertificates', CertificateType=1).TotalCount == 2
    basic = call(client, 'DescribeCertificates', CertificateType=0).CertificateSet[0]
    assert basic.CertificateId == GAAP_BASIC and basic.BeginTime is None and basic.SubjectCN == ''
    page = call(client, 'DescribeCertificates', Offset=3, Limit=1)
    assert page.TotalCount == 5 and [c.CertificateId for c in page.CertificateSet] == [GAAP_CLIENT_CA2]
    assert code_of(call, client, 'DescribeCertificates', Limit=1001).get_code() == 'InvalidParameterValue'
    assert code_of(call, client, 'DescribeCertificates', CertificateType=9).get_code() == 'InvalidParameterValue'
