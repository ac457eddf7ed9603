# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud-native API gateway certificates, driven through the real Tencent SDK."""

from __future__ import annotations

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.tse.v20201207 import models

from sandbox_helpers import GATEWAY, NATIVE_ID, SEEDED_CERT, SSL_BOUND_ID, ssl_client, tse_client


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
