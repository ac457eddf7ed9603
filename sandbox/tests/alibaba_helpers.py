# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Constants and helpers of the Alibaba Cloud (ESA) sandbox tests: real SDK clients and raw ACS3-signed calls."""

from __future__ import annotations

import hashlib
import time
import types
from urllib.parse import urlencode

import requests
from alibabacloud_esa20240910.client import Client as EsaClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_tea_openapi.utils import Utils
from darabonba.policy.retry import RetryCondition, RetryOptions

ACCESS_KEY_ID = 'LTAI5tSandboxKey01'
ACCESS_KEY_SECRET = 'sandbox-access-key-secret-0123'
STS_KEY_ID = 'STS.NSandboxTemporary01'
STS_KEY_SECRET = 'sandbox-sts-secret'
STS_TOKEN = 'CAISsandboxSecurityToken0123456789'
ESA_REGION = 'cn-hangzhou'
ESA_VERSION = '2024-09-10'
SITE_ID = 1234567890123
SITE_NAME = 'example.com'
FULL_SITE_ID = 1234567890124
ESA_WWW = '30000001'
ESA_CAS = '30000002'
ESA_OLD = '30000003'
ESA_FULL = '30000004'
CAS_API = 30000478
CAS_NEW = 30000479


def esa_seed(pki_set, tencent_account=None):
    """ESA sites (one with room for 3 certificates, all used; one with a quota of 1) and two CAS certificates."""
    accounts = [
        {'access_key_id': ACCESS_KEY_ID, 'access_key_secret': ACCESS_KEY_SECRET, 'region': ESA_REGION},
        {'access_key_id': STS_KEY_ID, 'access_key_secret': STS_KEY_SECRET, 'security_token': STS_TOKEN},
    ]
    if tencent_account:
        accounts[0].update(tencent_account)
    return {
        'accounts': accounts,
        'esa': {
            'cas': [
                {'CasId': CAS_API, 'Name': 'cas api', 'CertificateFile': 'certs/api.crt', 'PrivateKeyFile': 'certs/api.key'},
                {'CasId': CAS_NEW, 'Region': ESA_REGION, 'Certificate': pki_set.new.chain_pem, 'PrivateKey': pki_set.new.key_pem},
            ],
            'sites': [
                {'SiteId': SITE_ID, 'SiteName': SITE_NAME, 'CertQuota': 3, 'Certificates': [
                    {'Id': ESA_WWW, 'Name': 'www', 'Type': 'upload', 'Certificate': pki_set.www.chain_pem, 'PrivateKey': pki_set.www.key_pem,
                     'CreateTime': '2026-01-01 00:00:00'},
                    {'Id': ESA_CAS, 'Type': 'cas', 'CasId': CAS_API},
                    {'Id': ESA_OLD, 'Name': 'old', 'Certificate': pki_set.expired.chain_pem, 'PrivateKey': pki_set.expired.key_pem},
                ]},
                {'SiteId': FULL_SITE_ID, 'SiteName': 'full.example.org', 'CertQuota': 1, 'Certificates': [
                    {'Id': ESA_FULL, 'Name': 'rsa', 'Certificate': pki_set.rsa.chain_pem, 'PrivateKey': pki_set.rsa.key_pem},
                ]},
            ],
        },
    }


def esa_client(sandbox, access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET, security_token=None, retry_options=None):
    """The real ESA SDK client, sending plain HTTP to the sandbox."""
    config = open_api_models.Config(access_key_id=access_key_id, access_key_secret=access_key_secret, security_token=security_token,
                                    endpoint=sandbox.endpoint, protocol='http', region_id=ESA_REGION, read_timeout=10000,
                                    connect_timeout=5000, retry_options=retry_options)
    return EsaClient(config)


def throttle_retry(max_attempts=4, max_delay=2000, codes=('Throttling.User',)):
    """SDK retry options: retry throttling errors (by exception name or code), waiting x-acs-retry-after ms."""
    return RetryOptions(retryable=True, retry_condition=[
        RetryCondition(max_attempts=max_attempts, exception=['ThrottlingException'], error_code=list(codes), max_delay=max_delay),
    ])


def acs3_call(sandbox, action, query=None, form=None, method='POST', access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET,
              version=ESA_VERSION, date=None, nonce=None, host=None, extra_headers=None, tamper=None):
    """Send a request signed with the SDK's own ``Utils.get_authorization``; returns the ``requests`` response.

    ``tamper(headers)`` may change the headers after signing (to produce a bad signature).
    """
    query = {key: str(value) for key, value in (query or {}).items()}
    body = urlencode(sorted((form or {}).items())) if form else ''
    headers = {
        'host': host or sandbox.endpoint,
        'x-acs-action': action,
        'x-acs-version': version,
        'x-acs-date': date or time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
        'x-acs-signature-nonce': nonce or hashlib.md5(str(time.time_ns()).encode()).hexdigest(),  # nosec - a nonce, as the SDK does
        'x-acs-content-sha256': hashlib.sha256(body.encode()).hexdigest(),
        'accept': 'application/json',
    }
    if body:
        headers['content-type'] = 'application/x-www-form-urlencoded'
    headers.update(extra_headers or {})
    signable = types.SimpleNamespace(method=method, pathname='/', query=query, headers=headers)
    headers['Authorization'] = Utils.get_authorization(signable, 'ACS3-HMAC-SHA256', headers['x-acs-content-sha256'], access_key_id, access_key_secret)
    if tamper:
        tamper(headers)
    return requests.request(method, sandbox.url + '/', params=query, data=body.encode() if body else None, headers=headers, timeout=10)
