# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud-native API gateway certificates, driven through the real Tencent SDK."""

from __future__ import annotations

import re

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.tse.v20201207 import models

from sandbox_helpers import GATEWAY, NATIVE_ID, REGION, SEEDED_CERT, SSL_BOUND_ID, extend_state, ssl_client, tse_client


def details(client, certificate_id, gateway=GATEWAY):
    request = models.DescribeCloudNativeAPIGatewayCertificateDetailsRequest()
    request.GatewayId = gateway
    request.Id = certificate_id
    return client.DescribeCloudNativeAPIGatewayCertificateDetails(request).Result.Cert


def listing(client, gateway=GATEWAY, filters=None, **fields):
    request = models.DescribeCloudNativeAPIGatewayCertificatesRequest()
    request.GatewayId = gateway
    for name, value in fields.items():
        setattr(request, name, value)
    if filters:
        request.Filters = []
        for key, value in filters.items():
            item = models.ListFilter()
            item.Key, item.Value = key, value
            request.Filters.append(item)
    return client.DescribeCloudNativeAPIGatewayCertificates(request).Result


def gateways(client, filters=None, **fields):
    request = models.DescribeCloudNativeAPIGatewaysRequest()
    for name, value in fields.items():
        setattr(request, name, value)
    if filters:
        request.Filters = []
        for name, values in filters:
            item = models.Filter()
            item.Name, item.Values = name, values
            request.Filters.append(item)
    return client.DescribeCloudNativeAPIGateways(request).Result


def modify(client, certificate_id=SSL_BOUND_ID, gateway=GATEWAY, **fields):
    request = models.ModifyCloudNativeAPIGatewayCertificateRequest()
    request.GatewayId = gateway
    request.Id = certificate_id
    for name, value in fields.items():
        setattr(request, name, value)
    return client.ModifyCloudNativeAPIGatewayCertificate(request)


def upload(sandbox, leaf):
    request = ssl_models.UploadCertificateRequest()
    request.CertificatePublicKey = leaf.chain_pem
    request.CertificatePrivateKey = leaf.key_pem
    return ssl_client(sandbox).UploadCertificate(request).CertificateId


def code_of(func, *args, **kwargs):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args, **kwargs)
    return error.value.get_code()


def test_read_gateway_certificates(sandbox, certs_pki):
    client = tse_client(sandbox)
    result = listing(client)
    assert result.Total == 2 and result.Pages == 1
    assert [c.Id for c in result.CertificatesList] == [SSL_BOUND_ID, NATIVE_ID]
    assert all(c.Key is None for c in result.CertificatesList)
    bound = details(client, SSL_BOUND_ID)
    assert bound.CertSource == 'ssl' and bound.CertId == SEEDED_CERT
    assert bound.Crt == certs_pki.www.chain_pem
    assert bound.Status == 'active' and bound.BindDomains == ['www.example.com']
    native = details(client, NATIVE_ID)
    assert native.CertSource == 'native' and native.CertId == '' and native.Crt == certs_pki.api.chain_pem
    assert listing(client, filters={'Name': 'api'}).Total == 1
    assert listing(client, filters={'BindDomain': 'www.example.com'}).CertificatesList[0].Id == SSL_BOUND_ID
    assert listing(client, Limit=1, Offset=1).Pages == 2


def test_modify_with_ssl_source_then_delete_old(sandbox, certs_pki):
    new_id = upload(sandbox, certs_pki.new)
    client = tse_client(sandbox)
    since = sandbox.client.last_seq()
    modify(client, CertId=new_id)  # CertSource defaults to ssl
    bound = details(client, SSL_BOUND_ID)
    assert bound.CertId == new_id and bound.Crt == certs_pki.new.chain_pem
    writes = sandbox.client.writes(since)
    assert [(w['service'], w['action']) for w in writes] == [('tse', 'ModifyCloudNativeAPIGatewayCertificate')]
    # the old certificate is no longer bound and can be deleted; the new one cannot
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = SEEDED_CERT
    assert ssl_client(sandbox).DeleteCertificate(request).DeleteResult is True
    request.CertificateId = new_id
    assert code_of(ssl_client(sandbox).DeleteCertificate, request) == 'FailedOperation.DeleteResourceFailed'


def test_modify_with_native_source(sandbox, certs_pki):
    client = tse_client(sandbox)
    modify(client, CertSource='native', Crt=certs_pki.new.chain_pem, Key=certs_pki.new.key_pem)
    bound = details(client, SSL_BOUND_ID)
    assert bound.CertSource == 'native' and bound.CertId == '' and bound.Crt == certs_pki.new.chain_pem
    # the SSL store certificate is no longer referenced
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = SEEDED_CERT
    assert ssl_client(sandbox).DeleteCertificate(request).DeleteResult is True
    # expired certificates are reported as such
    modify(client, NATIVE_ID, CertSource='native', Crt=certs_pki.expired.chain_pem, Key=certs_pki.expired.key_pem)
    assert details(client, NATIVE_ID).Status == 'expired'


def test_modify_errors(sandbox, certs_pki):
    client = tse_client(sandbox)
    assert code_of(modify, client, gateway='gateway-nope') == 'ResourceNotFound.InstanceNotFound'
    assert code_of(modify, tse_client(sandbox, region='ap-shanghai'), CertId=SEEDED_CERT) == 'ResourceNotFound.InstanceNotFound'
    assert code_of(details, client, 'no-such-cert') == 'ResourceNotFound.ResourceNotFound'
    assert code_of(modify, client, CertId='missing1') == 'InvalidParameterValue.InvalidParameterValue'
    assert code_of(modify, client) == 'MissingParameter'
    assert code_of(modify, client, CertSource='native', Crt=certs_pki.new.chain_pem) == 'MissingParameter'
    assert code_of(modify, client, CertSource='native', Crt=certs_pki.new.chain_pem,
                   Key=certs_pki.api.key_pem) == 'InvalidParameterValue.InvalidParameterValue'
    assert code_of(modify, client, CertSource='other', CertId=SEEDED_CERT) == 'InvalidParameterValue.InvalidParameterValue'
    assert code_of(listing, client, filters={'Color': 'red'}) == 'InvalidParameterValue.InvalidParameterValue'
    assert code_of(modify, tse_client(sandbox, region='xx-nowhere'), CertId=SEEDED_CERT) == 'UnsupportedRegion'
    assert details(client, SSL_BOUND_ID).CertId == SEEDED_CERT  # nothing changed


# --- DescribeCloudNativeAPIGateways (discovery) --------------------------------------------------------


def test_describe_gateways_of_the_seed(sandbox):
    result = gateways(tse_client(sandbox))
    assert isinstance(result, models.ListCloudNativeAPIGatewayResult) and result.TotalCount == 1
    [gateway] = result.GatewayList
    assert isinstance(gateway, models.DescribeCloudNativeAPIGatewayResult)
    assert (gateway.GatewayId, gateway.Name, gateway.Status, gateway.Type, gateway.EngineRegion) == (GATEWAY, GATEWAY, 'Running', 'kong', REGION)
    assert isinstance(gateway.NodeConfig, models.CloudNativeAPIGatewayNodeConfig) and gateway.NodeConfig.Number == 2
    assert isinstance(gateway.VpcConfig, models.CloudNativeAPIGatewayVpcConfig) and gateway.VpcConfig.VpcId.startswith('vpc-')
    assert isinstance(gateway.InstancePort, models.InstancePort) and gateway.InstancePort.HttpsPort == '443'
    assert re.fullmatch(r'\d{4}-\d\d-\d\d \d\d:\d\d:\d\d', gateway.CreateTime) and gateway.Tags == [] and gateway.EnableCls is False
    # regional: another region has no gateway
    assert gateways(tse_client(sandbox, region='ap-shanghai')).TotalCount == 0


def test_describe_gateways_pages_filters_and_regions(sandbox):
    extend_state(sandbox, {'tse': {'gateways': [
        {'GatewayId': 'gateway-gz%04d' % index, 'Name': 'web-%02d' % index, 'Tags': [{'TagKey': 'team', 'TagValue': 'web'}]}
        for index in range(24)] + [{'GatewayId': 'gateway-sh0001', 'Region': 'ap-shanghai', 'Name': 'web-sh', 'Status': 'Isolated'}]}})
    client = tse_client(sandbox)
    since = sandbox.client.last_seq()
    expected = [GATEWAY] + ['gateway-gz%04d' % index for index in range(24)]
    first = gateways(client)  # Limit defaults to 20
    assert first.TotalCount == 25 and [g.GatewayId for g in first.GatewayList] == expected[:20]
    assert [g.GatewayId for g in gateways(client, Offset=20).GatewayList] == expected[20:]
    found, offset = [], 0
    while True:
        page = gateways(client, Offset=offset, Limit=7)
        assert page.TotalCount == 25
        if not page.GatewayList:
            break
        found += [g.GatewayId for g in page.GatewayList]
        offset += len(page.GatewayList)
    assert found == expected
    assert len(gateways(client, Limit=100).GatewayList) == 25
    assert gateways(client, Offset=40).GatewayList == [] and gateways(client, Limit=0).TotalCount == 25
    for bad in ({'Limit': 101}, {'Limit': -1}, {'Offset': -1}):
        assert code_of(gateways, client, **bad) == 'InvalidParameterValue.InvalidParameterValue'
    # filters: Name is a substring, GatewayId exact; values of one filter are ORed, filters ANDed
    assert [g.GatewayId for g in gateways(client, filters=[('Name', ['web-0'])]).GatewayList] == expected[1:11]
    assert gateways(client, filters=[('GatewayId', [GATEWAY, 'gateway-gz0003', 'gateway-sh0001'])]).TotalCount == 2
    assert [g.GatewayId for g in gateways(client, filters=[('GatewayId', [GATEWAY, 'gateway-gz0003']), ('Name', ['web'])]).GatewayList] == [
        'gateway-gz0003']
    assert code_of(gateways, client, filters=[('Color', ['red'])]) == 'InvalidParameterValue.InvalidParameterValue'
    assert code_of(gateways, client, filters=[('Tag', ['team:web'])]) == 'UnsupportedOperation'
    # the other region sees only its own gateway
    shanghai = gateways(tse_client(sandbox, region='ap-shanghai'))
    assert [(g.GatewayId, g.Status, g.EngineRegion) for g in shanghai.GatewayList] == [('gateway-sh0001', 'Isolated', 'ap-shanghai')]
    entries = sandbox.client.log(since)
    assert {entry['action'] for entry in entries} == {'DescribeCloudNativeAPIGateways'} and not any(entry['write'] for entry in entries)


def test_gateway_certificates_page_over_several_pages(sandbox, certs_pki):
    extend_state(sandbox, {'tse': {'gateways': [{'GatewayId': 'gateway-many01', 'Certificates': [
        {'Id': 'cert-%02d' % index, 'Name': 'c%02d' % index, 'Crt': certs_pki.api.chain_pem, 'Key': certs_pki.api.key_pem,
         'BindDomains': ['h%02d.example.com' % index]} for index in range(23)]}]}})
    client = tse_client(sandbox)
    first = listing(client, gateway='gateway-many01')
    assert (first.Total, first.Pages, len(first.CertificatesList)) == (23, 2, 20)  # Limit defaults to 20
    second = listing(client, gateway='gateway-many01', Offset=20)
    assert [c.Id for c in second.CertificatesList] == ['cert-20', 'cert-21', 'cert-22']
    found = []
    for offset in range(0, 23, 10):
        page = listing(client, gateway='gateway-many01', Offset=offset, Limit=10)
        assert (page.Total, page.Pages) == (23, 3)
        found += [c.Id for c in page.CertificatesList]
    assert found == ['cert-%02d' % index for index in range(23)]
    assert listing(client, gateway='gateway-many01', Offset=30).CertificatesList == []
    assert listing(client, gateway='gateway-many01', filters={'Name': 'c1'}).Total == 10
    assert code_of(listing, client, gateway='gateway-many01', Offset=-1) == 'InvalidParameterValue.InvalidParameterValue'
    assert not sandbox.client.writes()
