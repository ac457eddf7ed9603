# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-key API policies (least privilege): allowed actions, the clouds' denials through the real SDKs, STS roles, control."""

from __future__ import annotations

import base64
import json
import os

import pytest
import requests
import yaml
from alibabacloud_esa20240910 import models as esa_models
from alibabacloud_tea_openapi.exceptions import ClientException
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.sts.v20180813 import models as sts_models
from tencentcloud.tse.v20201207 import models as tse_models

from alibaba_helpers import ACCESS_KEY_ID, ESA_REGION, SITE_ID, STS_KEY_ID, STS_KEY_SECRET, STS_TOKEN, acs3_call, esa_client
from sandbox_cloud import policy, server
from sandbox_cloud.client import SandboxError, SandboxProcess
from sandbox_cloud.state import SeedError
from sandbox_helpers import GATEWAY, OTHER_ROLE, REGION, ROLE, SECRET_ID, SECRET_KEY, SEEDED_CERT, UIN, cred, raw_call, ssl_client, sts_client, tse_client

CAM_MESSAGE = ('You are not authorized to perform this operation. Check your CAM policies, and ensure that you are using the correct access keys. '
               '[[request id:{request_id}]you are not authorized to perform operation ({action})\nresource ({resource}) has no permission\n]')


def describe(client):
    return client.DescribeCertificates(ssl_models.DescribeCertificatesRequest())


def upload(client, leaf):
    request = ssl_models.UploadCertificateRequest()
    request.CertificatePublicKey, request.CertificatePrivateKey = leaf.chain_pem, leaf.key_pem
    return client.UploadCertificate(request)


def delete(client, certificate_id):
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = certificate_id
    return client.DeleteCertificate(request)


def gateway_certificates(client):
    request = tse_models.DescribeCloudNativeAPIGatewayCertificatesRequest()
    request.GatewayId = GATEWAY
    return client.DescribeCloudNativeAPIGatewayCertificates(request)


def assume(sandbox, role=ROLE, credentials=None):
    request = sts_models.AssumeRoleRequest()
    request.RoleArn, request.RoleSessionName = role, 'policy-test'
    return sts_client(sandbox, credentials=credentials).AssumeRole(request).Credentials


def tencent_error(func, *args):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args)
    return error.value


def esa_error(func, *args):
    with pytest.raises(ClientException) as error:
        func(*args)
    return error.value


def certificate_ids(sandbox):
    return [record['CertificateId'] for record in sandbox.client.state()['ssl']['certificates']]


def set_esa_certificate(client, leaf, name):
    return client.set_certificate(esa_models.SetCertificateRequest(site_id=SITE_ID, type='upload', name=name, certificate=leaf.chain_pem,
                                                                   private_key=leaf.key_pem))


def list_esa_certificates(client):
    return client.list_certificates(esa_models.ListCertificatesRequest(site_id=SITE_ID))


def control(sandbox, body):
    return requests.post(sandbox.url + '/_sandbox/policy', json=body, timeout=10)


# --- the policy module and the seed ------------------------------------------------------------------


def test_allowed_exact_and_trailing_star():
    assert policy.allowed(None, 'ssl:DeleteCertificate')
    assert not policy.allowed([], 'ssl:DescribeCertificates')
    rules = ['ssl:Describe*', 'ssl:UploadCertificate', 'tse:*']
    assert policy.allowed(rules, 'ssl:DescribeCertificates') and policy.allowed(rules, 'ssl:DescribeCertificateDetail')
    assert policy.allowed(rules, 'ssl:UploadCertificate') and policy.allowed(rules, 'tse:ModifyCloudNativeAPIGatewayCertificate')
    assert not policy.allowed(rules, 'ssl:UploadCertificates') and not policy.allowed(rules, 'ssl:DeleteCertificate')
    assert not policy.allowed(rules, 'teo:DescribeZones') and not policy.allowed(rules, 'ssl:describeCertificates')  # case-sensitive
    assert not policy.allowed(['ssl:*'], 'ssls:DescribeCertificates') and not policy.allowed(['ssl:*'], 'esa:ListSites')


@pytest.mark.parametrize('value, message', [
    ('ssl:*', 'accounts[0].policy: policy must be a list of allowed actions or null, not str'),
    ({'ssl': '*'}, 'accounts[0].policy: policy must be a list of allowed actions or null, not dict'),
    (['ssl:DescribeCertificates', 'UploadCertificate'], 'accounts[0].policy: policy[1] "UploadCertificate" is neither `service:Action`'),
    (['*'], 'policy[0] "*" is neither'),
    (['ssl:*Certificate'], 'policy[0] "ssl:*Certificate" is neither'),
    (['ssl:Describe**'], 'policy[0] "ssl:Describe**" is neither'),
    (['SSL:DescribeCertificates'], 'policy[0] "SSL:DescribeCertificates" is neither'),
    (['ssl:Describe Certificates'], 'is neither'),
    ([7], 'policy[0] 7 is neither'),
])
def test_seed_rejects_bad_policies(value, message):
    with pytest.raises(SeedError) as error:
        server.build_seed({'accounts': [{'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'policy': value}]})
    assert message in str(error.value)


def test_seed_roles_with_policies():
    seed = server.build_seed({'accounts': [
        {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'policy': ['sts:AssumeRole'],
         'roles': [OTHER_ROLE, {'arn': ROLE, 'policy': ['ssl:Describe*']}, {'arn': 'qcs::cam::uin/1:roleName/open'}]},
        {'access_key_id': ACCESS_KEY_ID, 'access_key_secret': 'secret', 'policy': None},
        {'access_key_id': 'LTAIother', 'access_key_secret': 'secret'},
    ]})
    first, second, third = seed['accounts']
    assert first['policy'] == ['sts:AssumeRole'] and first['roles'][1] == {'arn': ROLE, 'policy': ['ssl:Describe*']}
    assert second['policy'] is None and 'policy' not in third  # absent stays absent: the seeds without policies dump as before
    for roles, message in (('admin', 'accounts[0].roles must be a list'),
                           ([{'policy': []}], 'accounts[0].roles[0] must be a role ARN or a mapping {arn, policy}'),
                           ([{'arn': ROLE, 'polcy': []}], 'accounts[0].roles[0] must be a role ARN'),
                           ([''], 'accounts[0].roles[0] must be a role ARN'),
                           ([{'arn': ROLE, 'policy': 'ssl:*'}], 'accounts[0].roles[0].policy: policy must be a list')):
        with pytest.raises(SeedError) as error:
            server.build_seed({'accounts': [{'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'roles': roles}]})
        assert message in str(error.value)


# --- Tencent Cloud -------------------------------------------------------------------------------------


def test_no_policy_allows_everything(sandbox, certs_pki):
    client = ssl_client(sandbox)
    assert describe(client).TotalCount == 1
    new_id = upload(client, certs_pki.api).CertificateId
    assert delete(client, new_id).DeleteResult is True
    assert all(entry['ok'] and entry['denied'] is None for entry in sandbox.client.log())
    assert [entry['action'] for entry in sandbox.client.writes()] == ['UploadCertificate', 'DeleteCertificate']


def test_exact_and_pattern_entries_allow(sandbox, certs_pki):
    sandbox.client.set_policy(SECRET_ID, ['ssl:Describe*', 'ssl:UploadCertificate', 'tse:*'])
    client = ssl_client(sandbox)
    assert describe(client).TotalCount == 1
    new_id = upload(client, certs_pki.api).CertificateId
    assert gateway_certificates(tse_client(sandbox)).Result.Total == 2
    error = tencent_error(delete, client, new_id)
    assert error.get_code() == 'AuthFailure.UnauthorizedOperation'
    assert sorted(certificate_ids(sandbox)) == sorted([SEEDED_CERT, new_id])
    assert [(entry['action'], entry['ok'], entry['denied']) for entry in sandbox.client.log()] == [
        ('DescribeCertificates', True, None), ('UploadCertificate', True, None), ('DescribeCloudNativeAPIGatewayCertificates', True, None),
        ('DeleteCertificate', False, 'ssl:DeleteCertificate')]


def test_tencent_denial_of_a_read_and_a_write(sandbox, certs_pki):
    sandbox.client.set_policy(SECRET_ID, ['tse:Describe*'])
    client = ssl_client(sandbox)
    read = tencent_error(describe, client)
    assert read.get_code() == 'AuthFailure.UnauthorizedOperation' and read.get_request_id()
    assert read.get_message() == CAM_MESSAGE.format(request_id=read.get_request_id(), action='ssl:DescribeCertificates',
                                                    resource='qcs::ssl::uin/%s:*' % UIN)
    before = sandbox.client.state()['ssl']
    write = tencent_error(upload, client, certs_pki.api)
    assert write.get_code() == 'AuthFailure.UnauthorizedOperation'
    assert '(ssl:UploadCertificate)\nresource (qcs::ssl::uin/100000000001:*) has no permission\n]' in write.get_message()
    assert sandbox.client.state()['ssl'] == before
    # a regional service names the region in the resource
    sandbox.client.set_policy(SECRET_ID, ['ssl:*'])
    regional = tencent_error(gateway_certificates, tse_client(sandbox))
    assert 'resource (qcs::tse:%s:uin/%s:*) has no permission' % (REGION, UIN) in regional.get_message()
    entries = sandbox.client.log()
    assert [(entry['action'], entry['ok'], entry['error_code'], entry['denied'], entry['write']) for entry in entries] == [
        ('DescribeCertificates', False, 'AuthFailure.UnauthorizedOperation', 'ssl:DescribeCertificates', False),
        ('UploadCertificate', False, 'AuthFailure.UnauthorizedOperation', 'ssl:UploadCertificate', False),
        ('DescribeCloudNativeAPIGatewayCertificates', False, 'AuthFailure.UnauthorizedOperation', 'tse:DescribeCloudNativeAPIGatewayCertificates', False)]
    assert entries[0]['request_id'] == read.get_request_id() and sandbox.client.writes() == []


def test_tencent_denial_on_the_wire(sandbox):
    sandbox.client.set_policy(SECRET_ID, [])  # an empty policy allows nothing
    reply = raw_call(sandbox, 'ssl', 'DescribeCertificates', '2019-12-05', {})
    assert set(reply) == {'Error', 'RequestId'} and set(reply['Error']) == {'Code', 'Message'}
    assert reply['Error']['Message'] == CAM_MESSAGE.format(request_id=reply['RequestId'], action='ssl:DescribeCertificates',
                                                           resource='qcs::ssl::uin/%s:*' % UIN)
    # an unknown action or version is reported as before: the policy is checked only for a real action
    assert raw_call(sandbox, 'ssl', 'NoSuchAction', '2019-12-05', {})['Error']['Code'] == 'InvalidAction'
    assert raw_call(sandbox, 'ssl', 'DescribeCertificates', '2017-01-01', {})['Error']['Code'] == 'NoSuchVersion'


def test_authentication_comes_before_the_policy(sandbox):
    sandbox.client.set_policy(SECRET_ID, [])
    assert tencent_error(describe, ssl_client(sandbox, credentials=cred(secret_key='wrong'))).get_code() == 'AuthFailure.SignatureFailure'
    assert sandbox.client.log()[-1]['denied'] is None
    sandbox.client.set_policy(SECRET_ID, None)
    assert describe(ssl_client(sandbox)).TotalCount == 1


# --- Tencent STS ---------------------------------------------------------------------------------------


def test_assume_role_is_checked_against_the_caller(sandbox):
    sandbox.client.set_policy(SECRET_ID, ['ssl:*'])
    error = tencent_error(assume, sandbox)
    assert error.get_message() == CAM_MESSAGE.format(request_id=error.get_request_id(), action='sts:AssumeRole', resource=ROLE)
    assert sandbox.client.state().get('sts', {}).get('credentials', []) == []
    assert sandbox.client.log()[-1]['denied'] == 'sts:AssumeRole'
    sandbox.client.set_policy(SECRET_ID, ['sts:AssumeRole'])
    assert assume(sandbox).TmpSecretId.startswith('AKID')


def test_temporary_credentials_get_the_role_policy(sandbox, certs_pki):
    sandbox.client.set_policy(SECRET_ID, ['sts:AssumeRole'])  # the caller itself may not touch the SSL store
    sandbox.client.set_role_policy(ROLE, ['ssl:Describe*'])
    tmp = assume(sandbox)
    temporary = ssl_client(sandbox, credentials=cred(tmp.TmpSecretId, tmp.TmpSecretKey, tmp.Token))
    assert describe(temporary).TotalCount == 1
    error = tencent_error(upload, temporary, certs_pki.api)
    assert '(ssl:UploadCertificate)\nresource (qcs::ssl::uin/%s:*) has no permission' % UIN in error.get_message()
    assert tencent_error(describe, ssl_client(sandbox)).get_code() == 'AuthFailure.UnauthorizedOperation'
    entries = sandbox.client.log()
    assert [(entry['secret_id'], entry['action'], entry['denied']) for entry in entries] == [
        (SECRET_ID, 'AssumeRole', None), (tmp.TmpSecretId, 'DescribeCertificates', None),
        (tmp.TmpSecretId, 'UploadCertificate', 'ssl:UploadCertificate'), (SECRET_ID, 'DescribeCertificates', 'ssl:DescribeCertificates')]
    # the role's policy is read at every call; without one the role may call anything
    sandbox.client.set_role_policy(ROLE, None)
    assert upload(temporary, certs_pki.api).CertificateId
    sandbox.client.set_role_policy(ROLE, [])
    assert tencent_error(describe, temporary).get_code() == 'AuthFailure.UnauthorizedOperation'
    assert sandbox.client.state()['accounts'][0]['roles'] == [{'arn': ROLE, 'policy': []}]


# --- Alibaba Cloud ---------------------------------------------------------------------------------------


def test_alibaba_denial_through_the_sdk(esa_sandbox, certs_pki):
    esa_sandbox.client.set_policy(ACCESS_KEY_ID, ['esa:List*', 'esa:GetCertificate'])
    client = esa_client(esa_sandbox)
    assert list_esa_certificates(client).body.total_count == 3
    before = esa_sandbox.client.state()['esa']
    error = esa_error(set_esa_certificate, client, certs_pki.wildcard, 'wildcard')
    resource = 'acs:esa:%s:%s:*' % (ESA_REGION, UIN)
    assert (error.code, error.status_code) == ('NoPermission', 403)
    assert error.message == 'code: 403, You are not authorized to do this action. Resource: %s Action: esa:SetCertificate request id: %s' % (
        resource, error.request_id)
    detail = error.access_denied_detail
    assert {key: value for key, value in detail.items() if key != 'EncodedDiagnosticMessage'} == {
        'AuthAction': 'esa:SetCertificate', 'AuthPrincipalType': 'SubUser', 'AuthPrincipalOwnerId': UIN,
        'AuthPrincipalDisplayName': ACCESS_KEY_ID, 'PolicyType': 'AccountLevelIdentityBasedPolicy', 'NoPermissionType': 'ImplicitDeny'}
    assert json.loads(base64.b64decode(detail['EncodedDiagnosticMessage'])) == {
        'ExplicitDeny': False, 'NoPermissionPolicyType': 'AccountLevelIdentityBasedPolicy', 'AuthAction': 'esa:SetCertificate',
        'AuthResource': resource, 'AuthPrincipal': {'AuthPrincipalType': 'SubUser', 'AuthPrincipalOwnerId': UIN,
                                                    'AuthPrincipalDisplayName': ACCESS_KEY_ID}}
    assert esa_sandbox.client.state()['esa'] == before
    entry = esa_sandbox.client.log()[-1]
    assert (entry['action'], entry['ok'], entry['error_code'], entry['denied'], entry['write']) == (
        'SetCertificate', False, 'NoPermission', 'esa:SetCertificate', False)
    assert entry['request_id'] == error.request_id and esa_sandbox.client.writes() == []
    # the account's policy covers its Tencent key too (the ESA seed's first account holds both)
    assert tencent_error(describe, ssl_client(esa_sandbox)).get_code() == 'AuthFailure.UnauthorizedOperation'


def test_alibaba_denial_on_the_wire(esa_sandbox):
    esa_sandbox.client.set_policy(STS_KEY_ID, [])
    response = acs3_call(esa_sandbox, 'ListSites', access_key_id=STS_KEY_ID, access_key_secret=STS_KEY_SECRET,
                         extra_headers={'x-acs-security-token': STS_TOKEN})
    body = response.json()
    assert response.status_code == 403 and response.headers['x-acs-request-id'] == body['RequestId']
    assert set(body) == {'RequestId', 'HostId', 'Code', 'Message', 'Recommend', 'AccessDeniedDetail'}
    assert body['Code'] == 'NoPermission' and body['HostId'] == 'esa.%s.aliyuncs.com' % ESA_REGION
    assert body['Message'] == 'You are not authorized to do this action. Resource: acs:esa:%s:%s:* Action: esa:ListSites' % (ESA_REGION, UIN)
    assert body['Recommend'].endswith('?q=NoPermission&product=ESA&requestId=%s' % body['RequestId'])
    assert body['AccessDeniedDetail']['AuthPrincipalType'] == 'AssumedRoleUser'  # an STS key
    # a wrong signature is still reported as such
    assert acs3_call(esa_sandbox, 'ListSites', access_key_id=STS_KEY_ID, access_key_secret='wrong',
                     extra_headers={'x-acs-security-token': STS_TOKEN}).json()['Code'] == 'SignatureDoesNotMatch'
    assert esa_error(list_esa_certificates, esa_client(esa_sandbox, STS_KEY_ID, STS_KEY_SECRET, STS_TOKEN)).code == 'NoPermission'


# --- control ---------------------------------------------------------------------------------------------


def test_control_endpoint(sandbox, esa_sandbox):
    assert control(sandbox, {'key': 'AKIDnobody', 'policy': []}).status_code == 404
    assert control(sandbox, {'role_arn': 'qcs::cam::uin/1:roleName/nobody', 'policy': []}).status_code == 404
    bad = control(sandbox, {'key': SECRET_ID, 'policy': ['ssl']})
    assert bad.status_code == 400 and 'policy[0] "ssl" is neither' in bad.json()['error']
    for body in ({'key': SECRET_ID}, {'policy': []}, {'key': SECRET_ID, 'role_arn': ROLE, 'policy': []}, ['ssl:*']):
        assert control(sandbox, body).status_code == 400
    with pytest.raises(SandboxError, match='HTTP 404'):
        sandbox.client.set_policy('AKIDnobody', None)
    sandbox.client.set_policy(SECRET_ID, [])
    sandbox.client.set_role_policy(OTHER_ROLE, ['ssl:*'])
    accounts = sandbox.client.state()['accounts']
    assert accounts[0]['policy'] == [] and accounts[1]['roles'] == [{'arn': OTHER_ROLE, 'policy': ['ssl:*']}]
    sandbox.client.reset()
    accounts = sandbox.client.state()['accounts']
    assert 'policy' not in accounts[0] and accounts[1]['roles'] == [OTHER_ROLE]
    assert describe(ssl_client(sandbox)).TotalCount == 1
    # an Alibaba key is found too
    esa_sandbox.client.set_policy(ACCESS_KEY_ID, ['esa:ListSites'])
    assert esa_sandbox.client.state()['accounts'][0]['policy'] == ['esa:ListSites']


def test_seeded_policies_and_reset(state_file, certs_pki):
    with open(state_file, encoding='utf-8') as handle:
        seed = yaml.safe_load(handle)
    seed['accounts'][0].update(policy=['ssl:Describe*', 'sts:AssumeRole'], roles=[{'arn': ROLE, 'policy': ['tse:*']}])
    path = os.path.join(os.path.dirname(state_file), 'policy-state.yml')  # beside the main seed: its files are relative to it
    with open(path, 'w', encoding='utf-8') as handle:
        yaml.safe_dump(seed, handle)
    with SandboxProcess(path, tls_port=None) as sandbox:
        client = ssl_client(sandbox)
        assert describe(client).TotalCount == 1
        assert tencent_error(upload, client, certs_pki.api).get_code() == 'AuthFailure.UnauthorizedOperation'
        tmp = assume(sandbox)
        temporary = cred(tmp.TmpSecretId, tmp.TmpSecretKey, tmp.Token)
        assert gateway_certificates(tse_client(sandbox, credentials=temporary)).Result.Total == 2
        assert tencent_error(describe, ssl_client(sandbox, credentials=temporary)).get_code() == 'AuthFailure.UnauthorizedOperation'
        sandbox.client.set_policy(SECRET_ID, None)
        sandbox.client.set_role_policy(ROLE, None)
        assert upload(client, certs_pki.api).CertificateId
        sandbox.client.reset()
        assert tencent_error(upload, client, certs_pki.api).get_code() == 'AuthFailure.UnauthorizedOperation'
        assert sandbox.client.state()['accounts'][0]['roles'] == [{'arn': ROLE, 'policy': ['tse:*']}]
