# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""EdgeOne acceleration domain certificates, driven through the real Tencent SDK."""

from __future__ import annotations

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.teo.v20220901 import models

from sandbox_helpers import (FREE_CERT, SSL_API, SSL_CA, SSL_CA2, SSL_EXPIRED, SSL_SPARE, SSL_WWW, ZONE, ZONE_NAME, extend_state, ssl_client,
                             teo_client)


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


def advanced_filters(filters):
    items = []
    for name, values, fuzzy in filters:
        item = models.AdvancedFilter()
        item.Name, item.Values, item.Fuzzy = name, values, fuzzy
        items.append(item)
    return items


def zones(client, filters=None, **fields):
    request = models.DescribeZonesRequest()
    for name, value in fields.items():
        setattr(request, name, value)
    if filters is not None:
        request.Filters = advanced_filters(filters)
    return client.DescribeZones(request)


def zone_ids(response):
    return [zone.ZoneId for zone in response.Zones]


def delete_ssl(sandbox, certificate_id):
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = certificate_id
    return ssl_client(sandbox).DeleteCertificate(request)


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


# --- DescribeZones and whole-zone listings (discovery) ---------------------------------------------------


def test_describe_zones_of_the_seed(product_sandbox):
    response = zones(teo_client(product_sandbox))
    assert response.TotalCount == 1
    [zone] = response.Zones
    assert isinstance(zone, models.Zone) and isinstance(zone.NSDetail, models.NSDetail) and zone.CNAMEDetail is None
    assert (zone.ZoneId, zone.ZoneName, zone.Status, zone.Type, zone.Area, zone.ActiveStatus, zone.Paused) == (
        ZONE, ZONE_NAME, 'active', 'full', 'global', 'active', False)
    assert zone.NameServers == zone.NSDetail.NameServers == zone.NSDetail.OwnershipVerification.NsVerification.NameServers
    assert isinstance(zone.Resources[0], models.Resource) and zone.Resources[0].Status == 'normal' and zone.Tags == []
    assert zone.CreatedOn.endswith('Z') and zone.ModifiedOn == zone.CreatedOn


def test_describe_zones_pages_filters_and_order(product_sandbox):
    ids = ['zone-many%07d' % index for index in range(24)]
    extend_state(product_sandbox, {'teo': {'zones': [
        {'ZoneId': zone_id, 'ZoneName': 'site%02d.example.org' % index, 'CreatedOn': '2026-01-01T00:%02d:00Z' % index,
         'Type': 'partial' if index == 7 else 'full', 'Status': 'pending' if index == 8 else 'active', 'Area': 'mainland',
         'Tags': [{'TagKey': 'env', 'TagValue': 'prod' if index < 3 else 'dev'}]}
        for index, zone_id in enumerate(ids)]}})
    client = teo_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    newest_first = [ZONE] + ids[::-1]  # the seeded zone was created now
    first = zones(client)  # Limit defaults to 20, create-time descending
    assert first.TotalCount == 25 and zone_ids(first) == newest_first[:20]
    assert zone_ids(zones(client, Offset=20)) == newest_first[20:]
    assert zone_ids(zones(client, Limit=100)) == newest_first and zones(client, Offset=30).Zones == []
    for bad in ({'Limit': 101}, {'Limit': -1}, {'Offset': -1}):
        assert code_of(zones, client, **bad) == 'InvalidParameterValue.NotWithinRange'
    assert zone_ids(zones(client, Order='zone-name', Direction='asc', Limit=2)) == [ZONE, ids[0]]
    assert code_of(zones, client, Order='size') == 'InvalidParameter.InvalidSortBy'
    assert code_of(zones, client, Direction='up') == 'InvalidParameter.InvalidSortOrder'
    # filters
    assert sorted(zone_ids(zones(client, filters=[('zone-id', [ZONE, ids[4]], False)]))) == sorted([ZONE, ids[4]])
    assert zone_ids(zones(client, filters=[('zone-name', ['site03.example.org'], False)])) == [ids[3]]
    assert zone_ids(zones(client, filters=[('zone-name', ['site03'], False)])) == []
    assert len(zones(client, filters=[('zone-name', ['SITE0'], True)]).Zones) == 10
    partial = zones(client, filters=[('zone-type', ['partial'], False)])
    assert zone_ids(partial) == [ids[7]] and isinstance(partial.Zones[0].CNAMEDetail, models.CNAMEDetail) and partial.Zones[0].NSDetail is None
    pending = zones(client, filters=[('status', ['pending'], False)]).Zones
    assert [(zone.ZoneId, zone.ActiveStatus) for zone in pending] == [(ids[8], 'inactive')]
    assert sorted(zone_ids(zones(client, filters=[('tag-key', ['env'], False), ('tag-value', ['prod'], False)]))) == ids[:3]
    assert code_of(zones, client, filters=[('zone-id', ['zone-%012d' % index for index in range(21)], False)]) == 'InvalidParameter.TooManyFilterValues'
    assert code_of(zones, client, filters=[('color', ['red'], False)]) == 'InvalidParameter.InvalidFilterName'
    entries = product_sandbox.client.log(since)
    assert {entry['action'] for entry in entries} == {'DescribeZones'} and not any(entry['write'] for entry in entries)


def test_acceleration_domains_of_a_whole_zone_page_right(product_sandbox):
    names = ['h%03d.example.net' % index for index in range(205)]
    extend_state(product_sandbox, {'teo': {'zones': [{'ZoneId': 'zone-big000000001', 'ZoneName': 'example.net',
                                                      'Domains': [{'DomainName': name} for name in reversed(names)]}]}})
    client = teo_client(product_sandbox)
    first = describe(client, zone='zone-big000000001')  # no filter; Limit defaults to 20, domain-name ascending
    assert first.TotalCount == 205 and [d.DomainName for d in first.AccelerationDomains] == names[:20]
    found = []
    for offset in (0, 200):
        page = describe(client, zone='zone-big000000001', Offset=offset, Limit=200)
        assert page.TotalCount == 205
        found += [d.DomainName for d in page.AccelerationDomains]
    assert found == names
    assert describe(client, zone='zone-big000000001', Offset=205, Limit=200).AccelerationDomains == []
    assert code_of(describe, client, zone='zone-big000000001', Limit=201) == 'InvalidParameterValue.NotWithinRange'
    assert code_of(describe, client, zone='zone-big000000001', Offset=-1) == 'InvalidParameterValue.NotWithinRange'
    assert not product_sandbox.client.writes()


def test_ssl_store_refuses_every_certificate_of_a_host(product_sandbox):
    """A host with several server certificates and a client CA keeps each of them from being deleted."""
    client = teo_client(product_sandbox)
    modify(client, ['api.example.com'], Mode='sslcert', cert_ids=[SSL_API, SSL_SPARE], client_ca_ids=[SSL_CA2])
    assert [i.CertId for i in domains(client)['api.example.com'].Certificate.List] == [SSL_API, SSL_SPARE]
    for certificate_id in (SSL_SPARE, SSL_CA2):  # used by this host only (the second certificate, the client CA)
        assert code_of(delete_ssl, product_sandbox, certificate_id) == 'FailedOperation.DeleteResourceFailed'
    modify(client, ['api.example.com'], Mode='disable')
    assert delete_ssl(product_sandbox, SSL_SPARE).DeleteResult is True
    modify(client, ['www.example.com'], Mode='sslcert', cert_ids=[SSL_WWW], client_ca_ids=[SSL_CA2])
    assert code_of(delete_ssl, product_sandbox, SSL_CA2) == 'FailedOperation.DeleteResourceFailed'
