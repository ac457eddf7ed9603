# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants and helpers shared by the sandbox tests (real Tencent SDK clients, raw signed calls)."""

from __future__ import annotations

import hashlib
import json
import os
import time

import requests
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.common.retry import StandardRetryer
from tencentcloud.clb.v20180317.clb_client import ClbClient
from tencentcloud.common.sign import Sign
from tencentcloud.gaap.v20180529.gaap_client import GaapClient
from tencentcloud.ssl.v20191205.ssl_client import SslClient
from tencentcloud.sts.v20180813.sts_client import StsClient
from tencentcloud.teo.v20220901.teo_client import TeoClient
from tencentcloud.tse.v20201207.tse_client import TseClient

from sandbox_cloud import server

SECRET_ID = 'AKIDsandbox'
SECRET_KEY = 'sandbox-secret-key-0123456789'
UIN = '100000000001'
ROLE = 'qcs::cam::uin/100000000001:roleName/certops'
OTHER_ROLE = 'qcs::cam::uin/100000000002:roleName/admin'
REGION = 'ap-guangzhou'
GATEWAY = 'gateway-demo01'
SEEDED_CERT = 'Seed0001'
SSL_BOUND_ID = 'f9a5d230-0000-4000-8000-000000000001'
NATIVE_ID = 'f9a5d230-0000-4000-8000-000000000002'

# The products seed (gaap, teo, clb and the SSL store certificates they use), see conftest.product_state_file.
SSL_WWW = 'SslWww01'
SSL_API = 'SslApi01'
SSL_CA = 'SslCa001'
SSL_CA2 = 'SslCa002'
SSL_EXPIRED = 'SslOld01'
SSL_SPARE = 'SslNew01'
GAAP_SERVER = 'cert-server01'
GAAP_SERVER2 = 'cert-server02'
GAAP_CLIENT_CA = 'cert-clientca1'
GAAP_CLIENT_CA2 = 'cert-clientca2'
GAAP_BASIC = 'cert-basic001'
GAAP_LISTENER = 'listener-https01'
GAAP_EMPTY_LISTENER = 'listener-https02'
GAAP_PROXY = 'link-default0'  # the proxy the sandbox creates for the seeded listeners (the seed declares none)
ZONE = 'zone-2o3h4ksqfp1c'
ZONE_NAME = 'example.com'
FREE_CERT = 'teo-free000001'
LB_GZ = 'lb-gz000001'
LB_GZ2 = 'lb-gz000002'
LB_SH = 'lb-sh000001'
LISTENER_MUTUAL = 'lbl-mutual01'
LISTENER_SNI = 'lbl-sni00001'


def extend_state(sandbox, raw):
    """Add the objects of a partial seed to a running sandbox (until its next reset); returns the normalized seed.

    ``raw`` is a seed fragment such as ``{'tse': {'gateways': [...]}}``: it is normalized exactly as a seed file is
    (``server.build_seed``: defaults filled, references checked), then every item of each named list is appended to
    the live state, so listing tests get many objects without a sandbox of their own.
    """
    doc = server.build_seed(raw)
    for section, lists in raw.items():
        for key in lists:
            for item in doc[section][key]:
                sandbox.client.patch_state([section, key], item, op='append')
    return doc


def profile(sandbox, retryer=None, method='POST'):
    """A ClientProfile that sends plain HTTP to the sandbox."""
    client_profile = ClientProfile(httpProfile=HttpProfile(protocol='http', endpoint=sandbox.endpoint, reqMethod=method, reqTimeout=10))
    client_profile.retryer = retryer
    return client_profile


def cred(secret_id=SECRET_ID, secret_key=SECRET_KEY, token=None):
    """SDK credentials (seeded account by default)."""
    return credential.Credential(secret_id, secret_key, token)


def ssl_client(sandbox, credentials=None, **kwargs):
    """Real Tencent SSL SDK client against the sandbox."""
    return SslClient(credentials or cred(), '', profile(sandbox, **kwargs))


def tse_client(sandbox, credentials=None, region=REGION, **kwargs):
    """Real Tencent TSE SDK client against the sandbox."""
    return TseClient(credentials or cred(), region, profile(sandbox, **kwargs))


def sts_client(sandbox, credentials=None, region=REGION, **kwargs):
    """Real Tencent STS SDK client against the sandbox."""
    return StsClient(credentials or cred(), region, profile(sandbox, **kwargs))


def gaap_client(sandbox, credentials=None, **kwargs):
    """Real Tencent GAAP SDK client against the sandbox (GAAP needs no region)."""
    return GaapClient(credentials or cred(), '', profile(sandbox, **kwargs))


def teo_client(sandbox, credentials=None, **kwargs):
    """Real Tencent EdgeOne SDK client against the sandbox (EdgeOne needs no region)."""
    return TeoClient(credentials or cred(), '', profile(sandbox, **kwargs))


def clb_client(sandbox, credentials=None, region=REGION, **kwargs):
    """Real Tencent CLB SDK client against the sandbox."""
    return ClbClient(credentials or cred(), region, profile(sandbox, **kwargs))


def raw_call(sandbox, service, action, version, params, secret_id=SECRET_ID, secret_key=SECRET_KEY, region=None,
             timestamp=None, authorization=None):
    """Send a hand-signed API 3.0 request (for cases the SDK cannot produce); returns the Response object."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    body = json.dumps(params)
    date = time.strftime('%Y-%m-%d', time.gmtime(timestamp))
    headers = {'Content-Type': 'application/json', 'Host': sandbox.endpoint, 'X-TC-Action': action,
               'X-TC-Version': version, 'X-TC-Timestamp': str(timestamp)}
    if region:
        headers['X-TC-Region'] = region
    canonical = 'POST\n/\n\ncontent-type:application/json\nhost:%s\n\ncontent-type;host\n%s' % (
        sandbox.endpoint, hashlib.sha256(body.encode()).hexdigest())
    scope = '%s/%s/tc3_request' % (date, service)
    to_sign = 'TC3-HMAC-SHA256\n%d\n%s\n%s' % (timestamp, scope, hashlib.sha256(canonical.encode()).hexdigest())
    signature = Sign.sign_tc3(secret_key, date, service, to_sign)
    headers['Authorization'] = authorization or 'TC3-HMAC-SHA256 Credential=%s/%s, SignedHeaders=content-type;host, Signature=%s' % (
        secret_id, scope, signature)
    response = requests.post(sandbox.url + '/', data=body, headers=headers, timeout=10)
    assert response.headers['Content-Type'] == 'application/json'
    return response.json()['Response']


def all_text(sandbox):
    """Everything the sandbox exposes about itself: log, state, faults, console output and log file."""
    parts = [json.dumps(sandbox.client.log()), json.dumps(sandbox.client.state()), sandbox.output()]
    if os.path.exists(sandbox.log_path):
        with open(sandbox.log_path, encoding='utf-8') as handle:
            parts.append(handle.read())
    return '\n'.join(parts)


class FixedRetryer(StandardRetryer):
    """``StandardRetryer`` without the stale-error bug of tencentcloud-sdk-python-common 3.1.195.

    The SDK's ``send_request`` never clears ``err`` between attempts, so once an attempt fails every
    later attempt counts as failed too: a successful retry is sent again and the first error is
    finally raised.  See ``test_faults.test_sdk_standard_retryer_reports_stale_error``.
    """

    def send_request(self, fn):
        error = None
        for attempt in range(self._max_attempts):
            try:
                return fn()
            except TencentCloudSDKException as exc:
                error = exc
            if not self.should_retry(None, error):
                raise error
            sleep = self._backoff_fn(attempt)
            self.on_retry(attempt, sleep, None, error)
            time.sleep(sleep)
        raise error
