# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud ESA site certificates, driven through the real Alibaba Cloud SDK (ACS3-HMAC-SHA256)."""

from __future__ import annotations

import time

import pytest
from alibabacloud_esa20240910 import models
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from darabonba.exceptions import UnretryableException
from Tea.exceptions import TeaException
from tencentcloud.ssl.v20191205 import models as ssl_models

from alibaba_helpers import (ACCESS_KEY_ID, CAS_API, CAS_NEW, ESA_CAS, ESA_FULL, ESA_OLD, ESA_REGION, ESA_WWW, FULL_SITE_ID, SITE_ID, SITE_NAME,
                             STS_KEY_ID, STS_KEY_SECRET, STS_TOKEN, acs3_call, esa_client, throttle_retry)
from sandbox_cloud import darafidelity
from sandbox_helpers import all_text, extend_state, ssl_client


def listing(client, site_id=SITE_ID, **fields):
    return client.list_certificates(models.ListCertificatesRequest(site_id=site_id, **fields)).body


def sites(client, **fields):
    return client.list_sites(models.ListSitesRequest(**fields)).body


def site_ids(body):
    return [site.site_id for site in body.sites]


def get(client, certificate_id, site_id=SITE_ID):
    return client.get_certificate(models.GetCertificateRequest(site_id=site_id, id=certificate_id)).body


def upload(client, leaf, name, certificate_id=None, site_id=SITE_ID):
    request = models.SetCertificateRequest(site_id=site_id, type='upload', name=name, certificate=leaf.chain_pem, private_key=leaf.key_pem,
                                           id=certificate_id)
    return client.set_certificate(request).body


def set_cas(client, cas_id, certificate_id=None, region=ESA_REGION, site_id=SITE_ID):
    return client.set_certificate(models.SetCertificateRequest(site_id=site_id, type='cas', cas_id=cas_id, region=region, id=certificate_id)).body


def delete(client, certificate_id, site_id=SITE_ID):
    return client.delete_certificate(models.DeleteCertificateRequest(site_id=site_id, id=certificate_id)).body


def error_of(func, *args, **kwargs):
    with pytest.raises(TeaException) as error:
        func(*args, **kwargs)
    return error.value


def code_of(func, *args, **kwargs):
    return error_of(func, *args, **kwargs).code


def test_sdk_reaches_the_sandbox_over_http(esa_sandbox, certs_pki):
    body = listing(esa_client(esa_sandbox))
    assert body.request_id and body.site_id == SITE_ID and body.site_name == SITE_NAME
    assert body.total_count == 3 and body.page_number == 1 and body.page_size == 20
    entry = esa_sandbox.client.log()[-1]
    assert (entry['provider'], entry['service'], entry['action'], entry['version']) == ('alibaba', 'esa', 'ListCertificates', '2024-09-10')
    assert entry['ok'] is True and entry['write'] is False and entry['secret_id'] == ACCESS_KEY_ID and entry['region'] == ESA_REGION
    assert entry['request_id'] == body.request_id and entry['params'] == {'SiteId': SITE_ID}


def test_list_and_get_certificates(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    result = {item.id: item for item in listing(client).result}
    assert list(result) == [ESA_WWW, ESA_CAS, ESA_OLD]
    www = result[ESA_WWW]
    assert (www.name, www.type, www.status, www.common_name) == ('www', 'upload', 'OK', 'www.example.com')
    assert www.san == 'www.example.com,example.com'
    assert www.fingerprint_sha_256 == certs_pki.www.fingerprint_sha256  # lower-case hex, no colons
    assert www.not_after == certs_pki.www.not_after.strftime('%Y-%m-%d %H:%M:%S')
    assert www.create_time == '2026-01-01 00:00:00' and www.issuer_cn == 'Test Intermediate CA'
    assert www.serial_number == format(certs_pki.www.cert.serial_number, 'x')
    assert (www.pub_alg, www.sig_alg, www.region, www.cas_id) == ('ECDSA', 'ECDSA-SHA256', ESA_REGION, None)
    cas = result[ESA_CAS]
    assert (cas.type, cas.cas_id, cas.name, cas.common_name) == ('cas', str(CAS_API), 'cas api', 'api.example.com')
    assert result[ESA_OLD].status == 'Expired'
    # filters and paging
    assert [item.id for item in listing(client, valid_only=True).result] == [ESA_WWW, ESA_CAS]
    assert [item.id for item in listing(client, keyword='API').result] == [ESA_CAS]
    assert [item.id for item in listing(client, type='cas').result] == [ESA_CAS]
    page = listing(client, page_number=2, page_size=2)
    assert page.total_count == 3 and [item.id for item in page.result] == [ESA_OLD]
    # one certificate: PEM at the top level, never a key
    detail = get(client, ESA_WWW)
    assert detail.certificate == certs_pki.www.chain_pem and detail.status == 'OK' and detail.site_name == SITE_NAME
    assert detail.result.fingerprint_sha_256 == certs_pki.www.fingerprint_sha256
    assert 'PRIVATE KEY' not in str(detail.to_map())


def test_read_errors(esa_sandbox):
    client = esa_client(esa_sandbox)
    error = error_of(get, client, 'no-such-id')
    assert isinstance(error, ClientException)
    assert (error.code, error.status_code) == ('Certificate.NotFound', 404)
    assert error.request_id == esa_sandbox.client.log()[-1]['request_id']
    assert {'RequestId', 'HostId', 'Code', 'Message', 'Recommend'} <= set(error.data)
    assert error.data['HostId'] == 'esa.cn-hangzhou.aliyuncs.com'
    error = error_of(listing, client, site_id=999)
    assert (error.code, error.status_code) == ('InvalidParameter.SiteId', 400)
    assert code_of(listing, client, page_size=501) == 'InvalidParameter'


def test_signature_and_credentials(esa_sandbox):
    error = error_of(listing, esa_client(esa_sandbox, access_key_secret='wrong-secret'))
    assert isinstance(error, ClientException)
    assert (error.code, error.status_code) == ('SignatureDoesNotMatch', 400)
    error = error_of(listing, esa_client(esa_sandbox, access_key_id='LTAIunknown'))
    assert (error.code, error.status_code) == ('InvalidAccessKeyId.NotFound', 404)
    # STS credentials: the security token must come along
    assert listing(esa_client(esa_sandbox, STS_KEY_ID, STS_KEY_SECRET, STS_TOKEN)).total_count == 3
    assert code_of(listing, esa_client(esa_sandbox, STS_KEY_ID, STS_KEY_SECRET, 'forged')) == 'InvalidSecurityToken.MismatchWithAccessKey'
    assert code_of(listing, esa_client(esa_sandbox, STS_KEY_ID, STS_KEY_SECRET)) == 'InvalidSecurityToken.MismatchWithAccessKey'
    codes = [(entry['secret_id'], entry['error_code']) for entry in esa_sandbox.client.log()]
    assert codes == [(ACCESS_KEY_ID, 'SignatureDoesNotMatch'), ('LTAIunknown', 'InvalidAccessKeyId.NotFound'), (STS_KEY_ID, None),
                     (STS_KEY_ID, 'InvalidSecurityToken.MismatchWithAccessKey'), (STS_KEY_ID, 'InvalidSecurityToken.MismatchWithAccessKey')]


def test_raw_requests(esa_sandbox):
    def code(response):
        return response.status_code, response.json()['Code']

    ok = acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID})
    assert ok.status_code == 200 and ok.json()['TotalCount'] == 3 and ok.headers['x-acs-request-id'] == ok.json()['RequestId']
    # parameters may come in the query string or in the form body
    assert acs3_call(esa_sandbox, 'GetCertificate', form={'SiteId': SITE_ID, 'Id': ESA_WWW}).json()['Result']['Id'] == ESA_WWW
    stale = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - 1800))
    assert code(acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID}, date=stale)) == (400, 'InvalidTimeStamp.Expired')
    acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID}, nonce='fixed-nonce-1')
    assert code(acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID}, nonce='fixed-nonce-1')) == (400, 'SignatureNonceUsed')

    def add_unsigned(headers):
        headers['x-acs-extra'] = 'not signed'

    def change_action(headers):
        headers['x-acs-action'] = 'GetCertificate'

    assert code(acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID}, tamper=add_unsigned)) == (400, 'IncompleteSignature')
    assert code(acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID}, tamper=change_action)) == (400, 'SignatureDoesNotMatch')
    assert code(acs3_call(esa_sandbox, 'ListCertificates', version='2022-01-01')) == (400, 'InvalidVersion')
    assert code(acs3_call(esa_sandbox, 'ListRecords')) == (404, 'InvalidAction.NotFound')
    assert code(acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': 'abc'})) == (400, 'InvalidParameter')
    assert code(acs3_call(esa_sandbox, 'GetCertificate', query={'Id': ESA_WWW})) == (400, 'MissingSiteId')
    # the region comes from the endpoint host when it names one
    intl = acs3_call(esa_sandbox, 'ListCertificates', query={'SiteId': SITE_ID}, host='esa.ap-southeast-1.aliyuncs.com')
    assert intl.status_code == 200 and esa_sandbox.client.log()[-1]['region'] == 'ap-southeast-1'
    # Tencent requests still reach the Tencent dialect
    assert ssl_client(esa_sandbox).DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount == 0


def test_quota_duplicates_and_replace_in_place(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    # the site holds 3 of 3 custom certificates; the expired one counts too
    error = error_of(upload, client, certs_pki.wildcard, 'wildcard')
    assert (error.code, error.status_code) == ('CertQuotaCheckFailed', 400)
    # replacing in place needs no quota: the Id, name and creation time stay
    before = get(client, ESA_OLD).result
    assert upload(client, certs_pki.wildcard, 'old', certificate_id=ESA_OLD).id == ESA_OLD
    after = get(client, ESA_OLD)
    assert after.certificate == certs_pki.wildcard.chain_pem and after.status == 'OK'
    assert after.result.create_time == before.create_time and after.result.common_name == '*.example.com'
    assert listing(client).total_count == 3
    # make room, then add
    assert delete(client, ESA_OLD).id == ESA_OLD
    assert code_of(get, client, ESA_OLD) == 'Certificate.NotFound'
    assert code_of(delete, client, ESA_OLD) == 'Certificate.NotFound'
    assert code_of(upload, client, certs_pki.www, 'www again') == 'Certificate.Duplicated'  # same leaf as ESA_WWW
    assert code_of(upload, client, certs_pki.rsa, 'www') == 'Certificate.Duplicated'  # same name as ESA_WWW
    created = upload(client, certs_pki.rsa, 'rsa').id
    assert created not in (ESA_WWW, ESA_CAS, ESA_OLD) and created.isdigit()
    assert get(client, created).result.pub_alg == 'RSA' and get(client, created).result.sig_alg == 'ECDSA-SHA256'
    assert code_of(upload, client, certs_pki.new, 'new') == 'CertQuotaCheckFailed'
    # replacing a certificate with the leaf it already has is no duplicate
    assert upload(client, certs_pki.rsa, 'rsa', certificate_id=created).id == created
    writes = [(entry['action'], entry['ok'], entry['error_code']) for entry in esa_sandbox.client.writes()]
    assert writes[:3] == [('SetCertificate', False, 'CertQuotaCheckFailed'), ('SetCertificate', True, None), ('DeleteCertificate', True, None)]


def test_upload_validation(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    garbage_cert = models.SetCertificateRequest(site_id=FULL_SITE_ID, id=ESA_FULL, type='upload', name='x', certificate='-----BEGIN CERTIFICATE-----\nAAAA\n'
                                                '-----END CERTIFICATE-----\n', private_key=certs_pki.api.key_pem)
    assert code_of(client.set_certificate, garbage_cert) == 'InvalidSSLPub'
    garbage_key = models.SetCertificateRequest(site_id=FULL_SITE_ID, id=ESA_FULL, type='upload', name='x', certificate=certs_pki.api.chain_pem,
                                               private_key='-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')
    assert code_of(client.set_certificate, garbage_key) == 'InvalidSSLPri'
    mismatch = models.SetCertificateRequest(site_id=FULL_SITE_ID, id=ESA_FULL, type='upload', name='x', certificate=certs_pki.api.chain_pem,
                                            private_key=certs_pki.www.key_pem)
    assert code_of(client.set_certificate, mismatch) == 'CertificateNotMatchPrivateKey'
    no_key = models.SetCertificateRequest(site_id=FULL_SITE_ID, id=ESA_FULL, type='upload', certificate=certs_pki.api.chain_pem)
    assert code_of(client.set_certificate, no_key) == 'PrivateKey.MissingParameter'
    assert code_of(upload, client, certs_pki.api, 'x', certificate_id='31111111', site_id=FULL_SITE_ID) == 'Certificate.NotFound'
    assert code_of(upload, client, certs_pki.api, 'x', site_id=42) == 'InvalidParameter.SiteId'
    keyless = models.SetCertificateRequest(site_id=FULL_SITE_ID, type='keyless', key_server_id='ks-1', name='k')
    assert code_of(client.set_certificate, keyless) == 'InvalidParameter'
    assert get(client, ESA_FULL, FULL_SITE_ID).result.common_name == 'rsa.example.com'  # nothing changed
    assert not [entry for entry in esa_sandbox.client.writes() if entry['ok']]


def test_cas_certificates(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    assert set_cas(client, CAS_NEW, certificate_id=ESA_WWW).id == ESA_WWW
    bound = get(client, ESA_WWW)
    assert (bound.result.type, bound.result.cas_id, bound.result.name) == ('cas', str(CAS_NEW), 'www')
    assert bound.certificate == certs_pki.new.chain_pem
    # back to an uploaded certificate
    upload(client, certs_pki.www, 'www', certificate_id=ESA_WWW)
    assert get(client, ESA_WWW).result.type == 'upload' and get(client, ESA_WWW).result.cas_id is None
    assert code_of(set_cas, client, 99999, certificate_id=ESA_WWW) == 'InvalidParameter.CasId'
    assert code_of(set_cas, client, CAS_NEW, certificate_id=ESA_WWW, region='ap-southeast-1') == 'InvalidParameter.CasId'
    assert code_of(set_cas, client, CAS_NEW, certificate_id=ESA_WWW, region=None) == 'InvalidParameter'
    assert code_of(set_cas, client, None, certificate_id=ESA_WWW) == 'CasId.MissingParameter'
    assert code_of(set_cas, client, CAS_API, certificate_id=ESA_WWW) == 'Certificate.Duplicated'  # already bound as ESA_CAS
    assert code_of(set_cas, client, CAS_NEW, site_id=FULL_SITE_ID) == 'CertQuotaCheckFailed'


def test_private_keys_never_leave_the_sandbox(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    created = upload(client, certs_pki.wildcard, 'wildcard', certificate_id=ESA_OLD)
    bodies = [created.to_map(), listing(client).to_map(), get(client, ESA_OLD).to_map(), get(client, ESA_CAS).to_map()]
    set_entry = [entry for entry in esa_sandbox.client.log() if entry['action'] == 'SetCertificate'][0]
    assert set_entry['params']['PrivateKey'] == '<redacted>'
    assert set_entry['params']['Certificate'] == '<pem sha256=%s>' % certs_pki.wildcard.fingerprint_sha256
    text = all_text(esa_sandbox) + repr(bodies)
    assert 'PRIVATE KEY' not in text and 'sandbox-access-key-secret' not in text and STS_TOKEN not in text
    for leaf in (certs_pki.wildcard, certs_pki.www, certs_pki.api):
        assert leaf.key_pem.splitlines()[1] not in text
    state = esa_sandbox.client.state()
    assert state['esa']['sites'][0]['Certificates'][2]['PrivateKey'] == '<redacted>'


def test_throttle_fault_and_sdk_retry(esa_sandbox):
    esa_sandbox.client.add_fault(service='esa', action='ListCertificates', kind='throttle', rate=2)
    plain = esa_client(esa_sandbox)
    listing(plain)
    listing(plain)
    error = error_of(listing, plain)
    assert isinstance(error, ThrottlingException)
    assert (error.code, error.status_code) == ('Throttling.User', 400) and 0 < error.retry_after <= 1000
    # the SDK's retry policy waits x-acs-retry-after (ms) and tries again
    started = time.monotonic()
    assert listing(esa_client(esa_sandbox, retry_options=throttle_retry())).total_count == 3
    assert time.monotonic() - started < 5
    codes = [entry['error_code'] for entry in esa_sandbox.client.log()]
    assert codes[:3] == [None, None, 'Throttling.User'] and codes[-1] is None and 'Throttling.User' in codes[3:-1]
    assert esa_sandbox.client.faults()[0]['hits'] >= 2


def test_error_and_network_faults(esa_sandbox, certs_pki):
    client = esa_client(esa_sandbox)
    esa_sandbox.client.add_fault(service='esa', action='SetCertificate', kind='error', code='InternalError', message='injected', count=1)
    error = error_of(upload, client, certs_pki.wildcard, 'old', certificate_id=ESA_OLD)
    assert isinstance(error, ServerException) and (error.code, error.status_code) == ('InternalError', 500)
    assert get(client, ESA_OLD).certificate == certs_pki.expired.chain_pem
    # a lost reply: the write is applied, the client sees a network error
    esa_sandbox.client.add_fault(service='esa', action='SetCertificate', kind='lost_reply', count=1)
    with pytest.raises(UnretryableException):
        upload(client, certs_pki.wildcard, 'old', certificate_id=ESA_OLD)
    assert get(client, ESA_OLD).certificate == certs_pki.wildcard.chain_pem
    esa_sandbox.client.add_fault(service='esa', kind='http_status', status=503, count=1)
    with pytest.raises(Exception):  # noqa: B017 - the SDK cannot parse a non-JSON 503 body
        listing(client)
    entries = esa_sandbox.client.log()
    assert [(entry['action'], entry['error_code']) for entry in entries if entry['fault']] == [
        ('SetCertificate', 'InternalError'), ('SetCertificate', None), ('ListCertificates', 'Sandbox.HttpStatus503')]


def test_fidelity_check_catches_unknown_fields():
    module = 'alibabacloud_esa20240910.models'
    darafidelity.check_response(module, 'SetCertificateResponseBody', {'Id': '1', 'RequestId': 'x'})
    with pytest.raises(darafidelity.DaraSchemaError):
        darafidelity.check_response(module, 'SetCertificateResponseBody', {'Id': '1', 'RequestId': 'x', 'CertId': 1})
    with pytest.raises(darafidelity.DaraSchemaError):
        darafidelity.check_response(module, 'GetCertificateResponseBody', {'Result': {'Id': 1}})
    with pytest.raises(darafidelity.DaraSchemaError):
        darafidelity.check_response(module, 'ListCertificatesResponseBody', {'Result': [{'Id': '1', 'PrivateKey': 'x'}]})
    assert darafidelity.coerce_request(module, 'ListCertificatesRequest', {'SiteId': '12', 'ValidOnly': 'True', 'Other': '1'}) == {
        'SiteId': 12, 'ValidOnly': True, 'Other': '1'}


# --- ListSites and whole-site listings (discovery) -------------------------------------------------------


def test_list_sites_of_the_seed(esa_sandbox):
    body = sites(esa_client(esa_sandbox))
    assert isinstance(body, models.ListSitesResponseBody) and body.request_id
    assert (body.total_count, body.page_number, body.page_size) == (2, 1, 500)
    assert site_ids(body) == [SITE_ID, FULL_SITE_ID]
    site = body.sites[0]
    assert isinstance(site, models.ListSitesResponseBodySites)
    assert (site.site_name, site.status, site.access_type, site.coverage, site.cname_zone) == (SITE_NAME, 'active', 'NS', 'domestic', '')
    assert site.name_server_list and site.instance_id and site.plan_name == 'basic' and site.tags == {}
    assert site.create_time.endswith('Z') and site.update_time == site.create_time
    entry = esa_sandbox.client.log()[-1]
    assert (entry['action'], entry['ok'], entry['write']) == ('ListSites', True, False)


def test_list_sites_pages_and_filters(esa_sandbox):
    ids = [2000000000000 + index for index in range(23)]
    extend_state(esa_sandbox, {'esa': {'sites': [
        {'SiteId': site_id, 'SiteName': 'site%02d.example.net' % index, 'CreateTime': '2099-01-01T00:00:%02dZ' % index,
         'Status': 'pending' if index == 4 else 'active', 'AccessType': 'CNAME' if index == 5 else 'NS',
         'Coverage': 'global' if index < 3 else 'domestic', 'Tags': {'env': 'prod' if index < 2 else 'dev'}}
        for index, site_id in enumerate(ids)]}})
    client = esa_client(esa_sandbox)
    since = esa_sandbox.client.last_seq()
    everything = [SITE_ID, FULL_SITE_ID] + ids  # creation time ascending; the seeded sites were created now
    assert site_ids(sites(client)) == everything  # PageSize defaults to 500
    found, number = [], 1
    while True:
        page = sites(client, page_number=number, page_size=10)
        assert (page.total_count, page.page_number, page.page_size) == (25, number, 10)
        if not page.sites:
            break
        found += site_ids(page)
        number += 1
    assert found == everything and number == 4
    assert site_ids(sites(client, page_number=3, page_size=10)) == everything[20:]
    assert site_ids(sites(client, page_size=500)) == everything
    for bad in ({'page_size': 501}, {'page_size': 0}, {'page_number': 0}, {'site_search_type': 'regex', 'site_name': 'x'},
                {'status': 'sleeping'}, {'order_by': 'name'}):
        error = error_of(sites, client, **bad)
        assert (error.code, error.status_code) == ('InvalidParameter', 400)
    # names: exact (default), prefix, suffix, fuzzy
    assert site_ids(sites(client, site_name='site03.example.net')) == [ids[3]]
    assert sites(client, site_name='site03').total_count == 0
    assert sites(client, site_name='site1', site_search_type='prefix').total_count == 10
    assert sites(client, site_name='.example.net', site_search_type='suffix').total_count == 23
    assert site_ids(sites(client, site_name='FULL.example', site_search_type='fuzzy')) == [FULL_SITE_ID]
    # attributes and tags
    assert site_ids(sites(client, status='pending')) == [ids[4]]
    cname = sites(client, access_type='CNAME').sites
    assert [(site.site_id, site.cname_zone, site.name_server_list) for site in cname] == [(ids[5], 'site05.example.net.cname.aliyunedge.com', '')]
    assert site_ids(sites(client, coverage='global')) == ids[:3]
    assert site_ids(sites(client, tag_filter=[models.ListSitesRequestTagFilter(key='env', value='prod')])) == ids[:2]
    assert sites(client, tag_filter=[models.ListSitesRequestTagFilter(key='env')]).total_count == 23
    assert sites(client, order_by='visitTime').total_count == 25
    entries = esa_sandbox.client.log(since)
    assert {entry['action'] for entry in entries} == {'ListSites'} and not any(entry['write'] for entry in entries)


def test_list_certificates_pages_over_a_whole_site(esa_sandbox, certs_pki):
    extend_state(esa_sandbox, {'esa': {'sites': [{'SiteId': 3000000000001, 'SiteName': 'many.example.net', 'CertQuota': 30, 'Certificates': [
        {'Id': str(31000000 + index), 'Name': 'c%02d' % index, 'Certificate': certs_pki.api.chain_pem, 'PrivateKey': certs_pki.api.key_pem}
        for index in range(23)]}]}})
    client = esa_client(esa_sandbox)
    first = listing(client, site_id=3000000000001)  # PageSize defaults to 20
    assert (first.total_count, first.page_number, first.page_size, len(first.result)) == (23, 1, 20, 20)
    second = listing(client, site_id=3000000000001, page_number=2)
    assert [item.id for item in second.result] == ['31000020', '31000021', '31000022'] and second.site_name == 'many.example.net'
    assert listing(client, site_id=3000000000001, page_number=3).result == [] and listing(client, site_id=3000000000001, page_size=500).total_count == 23
    for bad in ({'page_size': 0}, {'page_size': 501}, {'page_number': 0}):
        assert code_of(listing, client, site_id=3000000000001, **bad) == 'InvalidParameter'
    assert not esa_sandbox.client.writes()
