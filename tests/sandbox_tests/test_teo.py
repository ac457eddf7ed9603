# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EdgeOne acceleration domain certificates, driven through the real Tencent SDK."""

from __future__ import annotations

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.teo.v20220901 import models

from sandbox_helpers import FREE_CERT, SSL_API, SSL_CA, SSL_EXPIRED, SSL_SPARE, SSL_WWW, ZONE, ssl_client, teo_client


def describe(client, zone=ZONE, filters=None, **fields):
    request = models.DescribeAccelerationDomainsRequest()
    request.ZoneId = zone
    for name, value in fields.items():
        setattr(request, name, value)
    if filters is not None:
        request.Filters = []
        for name, values, fuzzy in filters:
            item = models.AdvancedFilter()
            item.Name, item.Values, item.Fuzzy = name, values, fuzzy
            request.Filters.append(item)
    return client.DescribeAccelerationDomains(request)


def domains(client, **kwargs):
    return {domain.DomainName: domain for domain in describe(client, **kwargs).AccelerationDomains}


def modify(client, hosts, zone=ZONE, cert_ids=None, client_ca_ids=None, **fields):
    request = models.ModifyHostsCertificateRequest()
    request.ZoneId = zone
    if hosts is not None:
        request.Hosts = hosts
    if cert_ids is not None:
        request.ServerCertInfo = []
        for certificate_id in cert_ids:
            info = models.ServerCertInfo()
            info.CertId = certificate_id
            request.ServerCertInfo.append(info)
    if client_ca_ids is not None:
        request.ClientCertInfo = models.MutualTLS()
        request.ClientCertInfo.Switch = 'on'
        request.ClientCertInfo.CertInfos = []
        for certificate_id in client_ca_ids:
            info = models.CertificateInfo()
            info.CertId = certificate_id
            request.ClientCertInfo.CertInfos.append(info)
    for name, value in fields.items():
        setattr(request, name, value)
    return client.ModifyHostsCertificate(request)


def code_of(func, *args, **kwargs):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args, **kwargs)
    return error.value.get_code()


def test_describe_acceleration_domains(product_sandbox, certs_pki):
    client = teo_client(product_sandbox)
    response = describe(client)
    assert response.TotalCount == 3
    assert [d.DomainName for d in response.AccelerationDomains] == ['api.example.com', 'static.example.com', 'www.example.com']
    www = response.AccelerationDomains[2]
    assert isinstance(www, models.AccelerationDomain) and isinstance(www.Certificate, models.AccelerationDomainCertificate)
    assert www.ZoneId == ZONE and www.DomainStatus == 'online' and www.Cname == 'www.example.com.eo.dnse2.com'
    assert www.OriginDetail.OriginType == 'IP_DOMAIN' and www.OriginDetail.Origin == 'origin.example.com'
    assert www.CreatedOn == '2026-01-01T00:00:00Z'
    assert www.Certificate.Mode == 'sslcert'
    [info] = www.Certificate.List
    assert isinstance(info, models.CertificateInfo)
    assert (info.CertId, info.Alias, info.Type, info.Status, info.SignAlgo) == (SSL_WWW, 'www', 'upload', 'deployed', 'ECC 256')
    assert info.ExpireTime == certs_pki.www.not_after.strftime('%Y-%m-%dT%H:%M:%SZ')
    static = response.AccelerationDomains[1]
    assert static.Certificate.Mode == 'eofreecert' and static.Certificate.List[0].CertId == FREE_CERT
    assert static.Certificate.List[0].Type == 'managed'
    api = response.AccelerationDomains[0]
    assert api.Certificate.Mode == 'disable' and api.Certificate.List == []

    assert list(domains(client, filters=[('domain-name', ['www.example.com', 'nope.example.com'], False)])) == ['www.example.com']
    assert list(domains(client, filters=[('domain-name', ['www.example'], False)])) == []
    assert list(domains(client, filters=[('domain-name', ['WWW.example'], True)])) == ['www.example.com']
    assert list(domains(client, filters=[('domain-name', ['www.example.com'], False), ('domain-name', ['api.example.com'], False)],
                        Match='any')) == ['api.example.com', 'www.example.com']
    assert [d.DomainName for d in describe(client, Order='created_on', Direction='desc').AccelerationDomains] == [
        'api.example.com', 'static.example.com', 'www.example.com']
    page = describe(client, Offset=1, Limit=1)
    assert page.TotalCount == 3 and [d.DomainName for d in page.AccelerationDomains] == ['static.example.com']

    values = ['host%d.example.com' % index for index in range(21)]
    assert code_of(describe, client, filters=[('domain-name', values, False)]) == 'InvalidParameter.TooManyFilterValues'
    assert describe(client, filters=[('domain-name', values[:20], False)]).TotalCount == 0
    assert code_of(describe, client, filters=[('color', ['red'], False)]) == 'InvalidParameter.InvalidFilterName'
    assert code_of(describe, client, Limit=201) == 'InvalidParameterValue.NotWithinRange'
    assert code_of(describe, client, zone='zone-000000000000') == 'ResourceNotFound.ZoneNotFound'


def test_modify_hosts_certificate_then_settle(product_sandbox):
    client = teo_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    modify(client, ['www.example.com', 'api.example.com'], Mode='sslcert', cert_ids=[SSL_SPARE])
    writes = product_sandbox.client.writes(since)
    assert [(w['service'], w['action'], w['ok']) for w in writes] == [('teo', 'ModifyHostsCertificate', True)]
    assert writes[0]['params']['Hosts'] == ['www.example.com', 'api.example.com']
    # settle_calls=1: a domain is "processing" in the first describe that returns it, then "deployed"
    first = domains(client, filters=[('domain-name', ['www.example.com'], False)])
    assert [(i.CertId, i.Status, i.Alias) for i in first['www.example.com'].Certificate.List] == [(SSL_SPARE, 'processing', 'new www')]
    second = domains(client)
    assert second['www.example.com'].Certificate.List[0].Status == 'deployed'
    assert second['api.example.com'].Certificate.Mode == 'sslcert'
    assert second['api.example.com'].Certificate.List[0].Status == 'processing'  # first time returned
    third = domains(client)
    assert {name: [i.Status for i in d.Certificate.List] for name, d in third.items()} == {
        'www.example.com': ['deployed'], 'api.example.com': ['deployed'], 'static.example.com': ['deployed']}
    # the SSL store knows the certificates are in use
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = SSL_SPARE
    assert code_of(ssl_client(product_sandbox).DeleteCertificate, request) == 'FailedOperation.DeleteResourceFailed'


def test_mode_defaults_to_disable(product_sandbox):
    client = teo_client(product_sandbox)
    modify(client, ['www.example.com'])  # no Mode: the real API disables HTTPS on the host
    www = domains(client)['www.example.com']
    assert www.Certificate.Mode == 'disable' and www.Certificate.List == []
    modify(client, ['www.example.com'], Mode='eofreecert')
    [info] = domains(client)['www.example.com'].Certificate.List
    assert info.Type == 'managed' and info.Status == 'processing' and info.CertId.startswith('teo-')


def test_client_ca(product_sandbox):
    client = teo_client(product_sandbox)
    modify(client, ['www.example.com'], Mode='sslcert', cert_ids=[SSL_WWW], client_ca_ids=[SSL_CA])
    mutual = domains(client)['www.example.com'].Certificate.ClientCertInfo
    assert isinstance(mutual, models.MutualTLS)
    assert mutual.Switch == 'on' and [(i.CertId, i.Alias) for i in mutual.CertInfos] == [(SSL_CA, 'client ca')]
    assert code_of(modify, client, ['www.example.com'], Mode='sslcert', cert_ids=[SSL_WWW],
                   client_ca_ids=[SSL_API]) == 'InvalidParameterValue.CertificateVerifyClientMustCa'


def test_modify_hosts_certificate_errors(product_sandbox):
    client = teo_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    assert code_of(modify, client, [], Mode='sslcert', cert_ids=[SSL_API]) == 'InvalidParameterValue'
    assert code_of(modify, client, None, Mode='sslcert', cert_ids=[SSL_API]) == 'InvalidParameterValue'
    with pytest.raises(TencentCloudSDKException) as error:
        modify(client, ['www.example.com', 'nope.example.com'], Mode='sslcert', cert_ids=[SSL_API])
    assert error.value.get_code() == 'InvalidParameter.HostNotFound' and 'nope.example.com' in error.value.get_message()
    assert code_of(modify, client, ['www.example.com'], Mode='sslcert', cert_ids=['NoSuch01']) == 'ResourceUnavailable.CertNotFound'
    assert code_of(modify, client, ['www.example.com'], Mode='sslcert') == 'InvalidParameter.InvalidCertInfo'
    assert code_of(modify, client, ['www.example.com'], Mode='sslcert', cert_ids=[SSL_CA]) == 'InvalidParameter.InvalidCertInfo'
    assert code_of(modify, client, ['www.example.com'], Mode='sslcert', cert_ids=[SSL_EXPIRED]) == 'FailedOperation.CertificateHasExpired'
    assert code_of(modify, client, ['www.example.com'], Mode='custom') == 'InvalidParameterValue.NotInEnumeration'
    assert code_of(modify, client, ['www.example.com'], zone='zone-000000000000', Mode='disable') == 'ResourceNotFound.ZoneNotFound'
    writes = product_sandbox.client.writes(since)
    assert len(writes) == 9 and not any(w['ok'] for w in writes)
    www = domains(client)['www.example.com']  # the call is atomic: nothing changed
    assert www.Certificate.Mode == 'sslcert' and [(i.CertId, i.Status) for i in www.Certificate.List] == [(SSL_WWW, 'deployed')]
