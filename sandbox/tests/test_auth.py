# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TC3 signature verification, STS temporary credentials and API 3.0 common errors."""

from __future__ import annotations

import time

import pytest
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models
from tencentcloud.sts.v20180813 import models as sts_models

from sandbox_helpers import OTHER_ROLE, ROLE, SECRET_ID, cred, raw_call, ssl_client, sts_client


def list_certificates(client):
    return client.DescribeCertificates(ssl_models.DescribeCertificatesRequest())


def error_code(func, *args):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args)
    assert error.value.get_request_id()
    return error.value.get_code()


def assume(sandbox, role=ROLE, credentials=None, duration=None):
    request = sts_models.AssumeRoleRequest()
    request.RoleArn = role
    request.RoleSessionName = 'certops-test'
    if duration:
        request.DurationSeconds = duration
    return sts_client(sandbox, credentials=credentials).AssumeRole(request)


def test_valid_signature_has_fresh_request_ids(sandbox):
    client = ssl_client(sandbox)
    first, second = list_certificates(client), list_certificates(client)
    assert first.RequestId and second.RequestId and first.RequestId != second.RequestId


def test_bad_signature(sandbox):
    client = ssl_client(sandbox, credentials=cred(secret_key='wrong-key'))
    assert error_code(list_certificates, client) == 'AuthFailure.SignatureFailure'
    entry = sandbox.client.log()[-1]
    assert entry['ok'] is False and entry['error_code'] == 'AuthFailure.SignatureFailure'


def test_unknown_secret_id(sandbox):
    client = ssl_client(sandbox, credentials=cred(secret_id='AKIDunknown'))
    assert error_code(list_certificates, client) == 'AuthFailure.SecretIdNotFound'


def test_raw_requests(sandbox):
    version = '2019-12-05'
    assert 'Error' not in raw_call(sandbox, 'ssl', 'DescribeCertificates', version, {})
    stale = raw_call(sandbox, 'ssl', 'DescribeCertificates', version, {}, timestamp=int(time.time()) - 600)
    assert stale['Error']['Code'] == 'AuthFailure.SignatureExpire'
    garbage = raw_call(sandbox, 'ssl', 'DescribeCertificates', version, {}, authorization='Bearer abc')
    assert garbage['Error']['Code'] == 'AuthFailure.InvalidAuthorization'
    assert raw_call(sandbox, 'ssl', 'DescribeCertificates', '2017-01-01', {})['Error']['Code'] == 'NoSuchVersion'
    assert raw_call(sandbox, 'ssl', 'NoSuchAction', version, {})['Error']['Code'] == 'InvalidAction'
    assert raw_call(sandbox, 'cvm', 'DescribeInstances', '2017-03-12', {})['Error']['Code'] == 'InvalidAction'
    missing_region = raw_call(sandbox, 'tse', 'DescribeCloudNativeAPIGatewayCertificates', '2020-12-07', {'GatewayId': 'x'})
    assert missing_region['Error']['Code'] == 'MissingParameter'
    log = sandbox.client.log()
    assert len(log) == 7 and len({entry['request_id'] for entry in log}) == 7


def test_assume_role_and_use_temporary_credentials(sandbox):
    response = assume(sandbox, duration=900)
    tmp = response.Credentials
    assert tmp.TmpSecretId.startswith('AKID') and tmp.TmpSecretKey and tmp.Token
    assert abs(response.ExpiredTime - (time.time() + 900)) < 5
    assert response.Expiration.endswith('Z')
    listed = list_certificates(ssl_client(sandbox, credentials=cred(tmp.TmpSecretId, tmp.TmpSecretKey, tmp.Token)))
    assert listed.TotalCount == 1
    entries = sandbox.client.log()
    assert entries[-1]['secret_id'] == tmp.TmpSecretId and entries[-1]['ok'] is True
    # wrong or missing token
    wrong = ssl_client(sandbox, credentials=cred(tmp.TmpSecretId, tmp.TmpSecretKey, 'not-the-token'))
    assert error_code(list_certificates, wrong) == 'AuthFailure.TokenFailure'
    no_token = ssl_client(sandbox, credentials=cred(tmp.TmpSecretId, tmp.TmpSecretKey))
    assert error_code(list_certificates, no_token) == 'AuthFailure.TokenFailure'
    # temporary credentials disappear with a reset
    sandbox.client.reset()
    assert error_code(list_certificates, wrong) == 'AuthFailure.SecretIdNotFound'


def test_assume_role_refusals(sandbox):
    assert error_code(assume, sandbox, OTHER_ROLE) == 'UnauthorizedOperation'
    assert error_code(assume, sandbox, 'qcs::cam::uin/1:roleName/nobody') == 'ResourceNotFound.RoleNotFound'
    assert error_code(assume, sandbox, ROLE, None, 50000) == 'InvalidParameter.OverTimeError'
    assert [entry['secret_id'] for entry in sandbox.client.log()] == [SECRET_ID] * 3
