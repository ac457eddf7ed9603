# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSL certificate store, driven through the real Tencent SDK."""

from __future__ import annotations

import datetime

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models

from sandbox_helpers import SEEDED_CERT, UIN, ssl_client


def upload(client, leaf, repeatable=None, alias='test'):
    request = models.UploadCertificateRequest()
    request.CertificatePublicKey = leaf.chain_pem
    request.CertificatePrivateKey = leaf.key_pem
    request.Alias = alias
    if repeatable is not None:
        request.Repeatable = repeatable
    return client.UploadCertificate(request)


def describe(client, **fields):
    request = models.DescribeCertificatesRequest()
    for name, value in fields.items():
        setattr(request, name, value)
    return client.DescribeCertificates(request)


def detail(client, certificate_id):
    request = models.DescribeCertificateDetailRequest()
    request.CertificateId = certificate_id
    return client.DescribeCertificateDetail(request)


def delete(client, certificate_id):
    request = models.DeleteCertificateRequest()
    request.CertificateId = certificate_id
    return client.DeleteCertificate(request)


def test_upload_list_detail_delete(sandbox, certs_pki):
    client = ssl_client(sandbox)
    uploaded = upload(client, certs_pki.api, alias='api cert')
    new_id = uploaded.CertificateId
    assert len(new_id) == 8 and new_id.isalnum()
    assert uploaded.RepeatCertId is None

    listed = describe(client)
    assert listed.TotalCount == 2
    assert [c.CertificateId for c in listed.Certificates] == [new_id, SEEDED_CERT]  # newest first
    item = listed.Certificates[0]
    assert item.Alias == 'api cert'
    assert item.Domain == 'api.example.com'
    assert item.SubjectAltName == ['api.example.com']
    assert item.From == 'upload' and item.CertificateType == 'SVR' and item.ProjectId == '0' and item.OwnerUin == UIN
    assert item.Status == 1 and item.Deployable is True and item.IsWildcard is False
    assert item.EncryptAlgorithm == 'ECC'
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    assert item.CertEndTime == certs_pki.api.not_after.astimezone(beijing).strftime('%Y-%m-%d %H:%M:%S')

    info = detail(client, new_id)
    assert info.CertificatePublicKey == certs_pki.api.chain_pem
    assert info.CertificatePrivateKey == certs_pki.api.key_pem
    assert info.CertFingerprint == certs_pki.api.fingerprint_sha1
    assert [c.Fingerprint for c in info.CertChainInfo] == [certs_pki.api.fingerprint_sha1, certs_pki.inter.fingerprint_sha1]

    assert delete(client, new_id).DeleteResult is True
    assert describe(client).TotalCount == 1
    with pytest.raises(TencentCloudSDKException) as error:
        detail(client, new_id)
    assert error.value.get_code() == 'FailedOperation.CertificateNotFound'


def test_repeatable_false_returns_existing_certificate(sandbox, certs_pki):
    client = ssl_client(sandbox)
    since = sandbox.client.last_seq()
    again = upload(client, certs_pki.www, repeatable=False)
    assert again.CertificateId == SEEDED_CERT and again.RepeatCertId == SEEDED_CERT
    assert describe(client).TotalCount == 1
    writes = sandbox.client.writes(since)
    assert [(w['action'], w['ok']) for w in writes] == [('UploadCertificate', True)]
    # default Repeatable=true uploads a duplicate
    duplicate = upload(client, certs_pki.www)
    assert duplicate.CertificateId != SEEDED_CERT
    assert describe(client).TotalCount == 2


def test_filters_and_paging(sandbox, certs_pki):
    client = ssl_client(sandbox)
    api_id = upload(client, certs_pki.api).CertificateId
    expired_id = upload(client, certs_pki.expired, alias='legacy').CertificateId
    wildcard_id = upload(client, certs_pki.wildcard).CertificateId
    rsa_id = upload(client, certs_pki.rsa).CertificateId
    assert describe(client, SearchKey='api.example').Certificates[0].CertificateId == api_id
    assert describe(client, SearchKey='LEGACY').Certificates[0].CertificateId == expired_id
    assert describe(client, SearchKey=SEEDED_CERT[:4]).TotalCount == 1
    assert describe(client, SearchKey='example.com').TotalCount == 5  # SANs match too
    assert {c.CertificateId for c in describe(client, CertIds=[api_id, rsa_id]).Certificates} == {api_id, rsa_id}
    page = describe(client, Offset=1, Limit=2)
    assert page.TotalCount == 5 and [c.CertificateId for c in page.Certificates] == [wildcard_id, expired_id]
    assert describe(client, FilterSource='upload').TotalCount == 5
    assert describe(client, FilterSource='buy').TotalCount == 0
    expired = detail(client, expired_id)
    assert expired.Status == 3 and expired.StatusName == '已过期' and expired.Deployable is False
    assert describe(client, CertificateStatus=[3]).Certificates[0].CertificateId == expired_id
    assert detail(client, wildcard_id).IsWildcard is True
    assert detail(client, rsa_id).EncryptAlgorithm == 'RSA'
    assert describe(client, ExpirationSort='ASC').Certificates[0].CertificateId == expired_id


def test_upload_errors(sandbox, certs_pki):
    client = ssl_client(sandbox)
    request = models.UploadCertificateRequest()
    request.CertificatePublicKey = '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n'
    request.CertificatePrivateKey = certs_pki.api.key_pem
    with pytest.raises(TencentCloudSDKException) as error:
        client.UploadCertificate(request)
    assert error.value.get_code() == 'FailedOperation.CertificateParseError'

    request.CertificatePublicKey = certs_pki.api.chain_pem
    request.CertificatePrivateKey = certs_pki.www.key_pem
    with pytest.raises(TencentCloudSDKException) as error:
        client.UploadCertificate(request)
    assert error.value.get_code() == 'FailedOperation.CertificateMismatch'

    request.CertificatePrivateKey = None
    with pytest.raises(TencentCloudSDKException) as error:
        client.UploadCertificate(request)
    assert error.value.get_code() == 'MissingParameter'

    request.CertificatePublicKey = certs_pki.inter.cert_pem + certs_pki.api.cert_pem  # wrong order
    request.CertificatePrivateKey = certs_pki.api.key_pem
    with pytest.raises(TencentCloudSDKException) as error:
        client.UploadCertificate(request)
    assert error.value.get_code() in ('FailedOperation.CertificateChainError', 'FailedOperation.CertificateMismatch')
    assert describe(client).TotalCount == 1


def test_unknown_and_invalid_parameters(sandbox):
    client = ssl_client(sandbox)
    with pytest.raises(TencentCloudSDKException) as error:
        client.call_json('DescribeCertificates', {'Limit': 10, 'Bogus': 1})
    assert error.value.get_code() == 'UnknownParameter'
    assert 'Bogus' in error.value.get_message()
    with pytest.raises(TencentCloudSDKException) as error:
        client.call_json('DescribeCertificates', {'Limit': 'ten'})
    assert error.value.get_code() == 'InvalidParameter'
    with pytest.raises(TencentCloudSDKException) as error:
        client.call_json('DescribeCertificates', {'Tags': [{'TagKey': 'a', 'Nope': 'b'}]})
    assert error.value.get_code() == 'UnknownParameter'
    with pytest.raises(TencentCloudSDKException) as error:
        client.call_json('ApplyCertificate', {})
    assert error.value.get_code() == 'InvalidAction'


def test_get_requests_with_query_string(sandbox):
    client = ssl_client(sandbox, method='GET')
    listed = describe(client, Limit=5, CertIds=[SEEDED_CERT], Deployable=1)
    assert listed.TotalCount == 1
    assert detail(client, SEEDED_CERT).CertificateId == SEEDED_CERT
    entry = sandbox.client.log()[0]
    assert entry['params'] == {'Limit': 5, 'CertIds': [SEEDED_CERT], 'Deployable': 1}


def test_delete_bound_certificate_is_refused(sandbox):
    client = ssl_client(sandbox)
    with pytest.raises(TencentCloudSDKException) as error:
        delete(client, SEEDED_CERT)
    assert error.value.get_code() == 'FailedOperation.DeleteResourceFailed'
    assert describe(client).Certificates[0].BoundResource == ['tse']
    with pytest.raises(TencentCloudSDKException) as error:
        delete(client, 'nope0000')
    assert error.value.get_code() == 'FailedOperation.CertificateNotFound'


def checked_delete(client, certificate_id):
    """DeleteCertificate with IsCheckResource, then DescribeDeleteCertificatesTaskResult until the task ended."""
    request = models.DeleteCertificateRequest()
    request.CertificateId, request.IsCheckResource = certificate_id, True
    task_id = client.DeleteCertificate(request).TaskId
    poll = models.DescribeDeleteCertificatesTaskResultRequest()
    poll.TaskIds = [task_id]
    statuses = [client.DescribeDeleteCertificatesTaskResult(poll).DeleteTaskResult[0] for _attempt in range(3)]
    return task_id, statuses


def test_delete_with_resource_check_is_a_task(sandbox, certs_pki):
    client = ssl_client(sandbox)
    new_id = upload(client, certs_pki.api).CertificateId
    task_id, statuses = checked_delete(client, new_id)
    assert task_id.startswith('del-')
    assert [s.Status for s in statuses] == [0, 1, 1]  # running, then deleted
    assert isinstance(statuses[1], models.DeleteTaskResult) and statuses[1].CertId == new_id
    assert new_id not in [c.CertificateId for c in describe(client).Certificates]
    # bound to the TSE gateway: kept, the task says why
    _task, statuses = checked_delete(client, SEEDED_CERT)
    assert statuses[-1].Status == 4 and 'tse' in statuses[-1].Error and statuses[-1].Domains
    assert SEEDED_CERT in [c.CertificateId for c in describe(client).Certificates]
    writes = [e['action'] for e in sandbox.client.log() if e['write']]
    assert writes == ['UploadCertificate', 'DeleteCertificate', 'DeleteCertificate']


def test_resource_check_sees_products_the_sandbox_does_not_emulate(sandbox, certs_pki):
    client = ssl_client(sandbox)
    new_id = upload(client, certs_pki.api).CertificateId
    index = [c['CertificateId'] for c in sandbox.client.state()['ssl']['certificates']].index(new_id)
    sandbox.client.patch_state(['ssl', 'certificates', index, 'BoundElsewhere'], ['cdn:api.example.com'])
    _task, statuses = checked_delete(client, new_id)
    assert statuses[-1].Status == 4 and 'cdn:api.example.com' in statuses[-1].Error
    with pytest.raises(TencentCloudSDKException) as error:
        delete(client, new_id)
    assert error.value.get_code() == 'FailedOperation.DeleteResourceFailed'
    sandbox.client.patch_state(['ssl', 'certificates', index, 'BoundElsewhere'], [])
    sandbox.client.patch_state(['ssl', 'check_resource_role'], False)
    _task, statuses = checked_delete(client, new_id)
    assert statuses[-1].Status == 3 and 'SSL_QCSLinkedRoleInReplaceLoadCertificate' in statuses[-1].Error
    poll = models.DescribeDeleteCertificatesTaskResultRequest()
    poll.TaskIds = ['del-nosuchtask0']
    assert client.DescribeDeleteCertificatesTaskResult(poll).DeleteTaskResult == []
