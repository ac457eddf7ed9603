# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""GAAP certificates and HTTPS listener domains, driven through the real Tencent SDK."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.gaap.v20180529 import models

from sandbox_cloud import server
from sandbox_cloud.state import SeedError
from sandbox_helpers import (GAAP_BASIC, GAAP_CLIENT_CA, GAAP_CLIENT_CA2, GAAP_EMPTY_LISTENER, GAAP_LISTENER, GAAP_PROXY, GAAP_SERVER,
                             GAAP_SERVER2, extend_state, gaap_client)


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
    assert listener.ProxyId == GAAP_PROXY  # a seeded listener naming no proxy belongs to the seed's default proxy
    everything = call(client, 'DescribeHTTPSListeners', ProxyId=GAAP_PROXY)
    assert [item.ListenerId for item in everything.ListenerSet] == [GAAP_LISTENER, GAAP_EMPTY_LISTENER]
    page = call(client, 'DescribeHTTPSListeners', ProxyId=GAAP_PROXY, Limit=1, Offset=1)
    assert page.TotalCount == everything.TotalCount and len(page.ListenerSet) == 1
    assert page.ListenerSet[0].ListenerId == everything.ListenerSet[1].ListenerId
    assert call(client, 'DescribeHTTPSListeners', ListenerId='listener-nope0001').TotalCount == 0
    assert code_of(call, client, 'DescribeHTTPSListeners', ProxyId=GAAP_PROXY, Limit=51).get_code() == 'InvalidParameterValue'
    # ListenerId, ProxyId or GroupId is required, and ProxyId excludes GroupId (as documented)
    assert code_of(call, client, 'DescribeHTTPSListeners').get_code() == 'MissingParameter'
    assert code_of(call, client, 'DescribeHTTPSListeners', ProxyId=GAAP_PROXY, GroupId='lg-00000001').get_code() == 'InvalidParameter'
    assert code_of(call, client, 'DescribeHTTPSListeners', ProxyId='link-nope0001').get_code() == 'ResourceNotFound'


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


# --- DescribeProxies and the listeners of a proxy (discovery) -------------------------------------------


def proxy_ids(response):
    return [proxy.ProxyId for proxy in response.ProxySet]


def test_describe_proxies_of_the_seed(product_sandbox):
    client = gaap_client(product_sandbox)
    response = call(client, 'DescribeProxies')
    assert response.TotalCount == 1 and proxy_ids(response) == [GAAP_PROXY]
    [proxy] = response.ProxySet
    assert isinstance(proxy, models.ProxyInfo) and isinstance(proxy.AccessRegionInfo, models.RegionDetail)
    assert (proxy.ProxyName, proxy.Status, proxy.AccessRegion, proxy.RealServerRegion, proxy.ProjectId) == (
        GAAP_PROXY, 'RUNNING', 'SouthChina', 'NorthChina', 0)
    assert proxy.AccessRegionInfo.RegionId == 'SouthChina' and proxy.GroupId is None and isinstance(proxy.CreateTime, int)
    assert isinstance(proxy.IPList[0], models.IPDetail) and proxy.IPList[0].IP == proxy.IP
    # InstanceSet is the deprecated copy of ProxySet, InstanceId that of ProxyId
    assert [(item.InstanceId, item.ProxyId) for item in response.InstanceSet] == [(GAAP_PROXY, GAAP_PROXY)]
    assert response.InstanceSet[0]._serialize() == proxy._serialize()


def test_describe_proxies_pages_filters_and_listeners(product_sandbox):
    ids = ['link-p%07d' % index for index in range(24)]
    extend_state(product_sandbox, {'gaap': {
        'proxies': [{'ProxyId': proxy_id, 'ProxyName': 'proxy %02d' % index, 'CreateTime': 1767225600 + index,
                     'AccessRegion': 'HongKong' if index % 3 == 0 else 'SouthChina', 'Bandwidth': 100 - index,
                     'GroupId': 'lg-0000001' if index == 5 else '', 'TagSet': [{'TagKey': 'env', 'TagValue': 'prod'}] if index < 4 else []}
                    for index, proxy_id in enumerate(ids)],
        'listeners': [{'ListenerId': 'listener-m%07d' % index, 'ProxyId': ids[1], 'Port': 1000 + index, 'ListenerName': 'many %02d' % index}
                      for index in range(55)],
    }})
    client = gaap_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    newest_first = [GAAP_PROXY] + ids[::-1]  # the seed's default proxy was created last (now)
    first = call(client, 'DescribeProxies')  # Limit defaults to 20, newest first
    assert first.TotalCount == 25 and proxy_ids(first) == newest_first[:20] and proxy_ids(first) == [p.InstanceId for p in first.InstanceSet]
    assert proxy_ids(call(client, 'DescribeProxies', Offset=20)) == newest_first[20:]
    assert proxy_ids(call(client, 'DescribeProxies', Limit=100)) == newest_first
    assert proxy_ids(call(client, 'DescribeProxies', Order='asc', Limit=3)) == ids[:3]
    assert proxy_ids(call(client, 'DescribeProxies', OrderField='bandwidth', Limit=2)) == ids[:2]  # 100, 99 Mbps
    for bad in ({'Limit': 101}, {'Offset': -1}, {'Order': 'up'}, {'OrderField': 'name'}, {'Independent': 2}):
        assert code_of(call, client, 'DescribeProxies', **bad).get_code() == 'InvalidParameterValue'
    # ids (new and deprecated name), filters, tags, proxy groups
    assert sorted(proxy_ids(call(client, 'DescribeProxies', ProxyIds=[ids[2], ids[7], 'link-nope0001']))) == [ids[2], ids[7]]
    assert proxy_ids(call(client, 'DescribeProxies', InstanceIds=[GAAP_PROXY])) == [GAAP_PROXY]
    region_filter = models.Filter()
    region_filter.Name, region_filter.Values = 'AccessRegion', ['HongKong']
    assert sorted(proxy_ids(call(client, 'DescribeProxies', Filters=[region_filter]))) == sorted(ids[::3])
    assert code_of(call, client, 'DescribeProxies', ProxyIds=[ids[0]], Filters=[region_filter]).get_code() == 'InvalidParameter'
    assert code_of(call, client, 'DescribeProxies', ProxyIds=['link-%08d' % index for index in range(101)]).get_code() == 'InvalidParameterValue'
    bad_filter = models.Filter()
    bad_filter.Name, bad_filter.Values = 'Color', ['red']
    assert code_of(call, client, 'DescribeProxies', Filters=[bad_filter]).get_code() == 'InvalidParameter'
    region_filter.Values = ['a', 'b', 'c', 'd', 'e', 'f']
    assert code_of(call, client, 'DescribeProxies', Filters=[region_filter]).get_code() == 'InvalidParameterValue'
    tag = models.TagPair()
    tag.TagKey, tag.TagValue = 'env', 'prod'
    assert sorted(proxy_ids(call(client, 'DescribeProxies', TagSet=[tag]))) == ids[:4]
    assert proxy_ids(call(client, 'DescribeProxies', Independent=0)) == [ids[5]]
    assert call(client, 'DescribeProxies', Independent=1).TotalCount == 24
    # the HTTPS listeners of one proxy, paged (Limit at most 50)
    listeners = call(client, 'DescribeHTTPSListeners', ProxyId=ids[1])  # Limit defaults to 20
    assert listeners.TotalCount == 55 and len(listeners.ListenerSet) == 20 and {item.ProxyId for item in listeners.ListenerSet} == {ids[1]}
    found = []
    for offset in range(0, 55, 50):
        found += [item.ListenerId for item in call(client, 'DescribeHTTPSListeners', ProxyId=ids[1], Offset=offset, Limit=50).ListenerSet]
    assert found == ['listener-m%07d' % index for index in range(55)]
    assert call(client, 'DescribeHTTPSListeners', ProxyId=ids[2]).TotalCount == 0
    assert call(client, 'DescribeHTTPSListeners', ProxyId=GAAP_PROXY).TotalCount == 2
    assert [item.Port for item in call(client, 'DescribeHTTPSListeners', ProxyId=ids[1], SearchValue='1042').ListenerSet] == [1042]
    assert call(client, 'DescribeHTTPSListeners', ProxyId=ids[1], SearchValue='many 1').TotalCount == 10
    entries = product_sandbox.client.log(since)
    assert {entry['action'] for entry in entries} == {'DescribeProxies', 'DescribeHTTPSListeners'}
    assert not any(entry['write'] for entry in entries)


def test_proxy_seed_defaults_and_checks():
    # no proxy declared: one fixed proxy holds the listeners, the same on every seed
    doc = server.build_seed({'gaap': {'listeners': [{'ListenerId': 'listener-a0000001'}, {'ListenerId': 'listener-b0000001'}]}})
    assert [proxy['ProxyId'] for proxy in doc['gaap']['proxies']] == [GAAP_PROXY]
    assert [listener['ProxyId'] for listener in doc['gaap']['listeners']] == [GAAP_PROXY, GAAP_PROXY]
    # declared proxies: a listener naming none belongs to the first; a proxy only a listener names is created
    doc = server.build_seed({'gaap': {'proxies': [{'ProxyId': 'link-first001', 'ProxyName': 'first'}, {}],
                                      'listeners': [{'ListenerId': 'listener-a0000001'}, {'ListenerId': 'listener-b0000001', 'ProxyId': 'link-other001'}]}})
    proxies = doc['gaap']['proxies']
    assert [proxy['ProxyId'] for proxy in proxies][::2] == ['link-first001', 'link-other001'] and len(proxies) == 3
    assert proxies[1]['ProxyId'].startswith('link-') and len(proxies[1]['ProxyId']) == 13
    assert [listener['ProxyId'] for listener in doc['gaap']['listeners']] == ['link-first001', 'link-other001']
    assert (proxies[0]['ProxyName'], proxies[1]['ProxyName'], proxies[0]['Status'], proxies[0]['AccessRegion']) == (
        'first', proxies[1]['ProxyId'], 'RUNNING', 'SouthChina')
    assert server.build_seed({'gaap': {}})['gaap']['proxies'] == []
    for bad in ({'proxies': [{'ProxyId': 'link-same0001'}, {'ProxyId': 'link-same0001'}]}, {'proxies': [{'Status': 'SLEEPING'}]},
                {'proxies': [{'TagSet': ['env']}]}, {'proxies': {}}):
        with pytest.raises(SeedError):
            server.build_seed({'gaap': bad})
