# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificates the SSL service issued or renewed (issue 37): status, source, renewal links, keys not held, pending
certificates, and binding them to TSE, TEO and CLB; driven through the real Tencent SDK against the integration
tests' world (``world.integration_state``)."""

from __future__ import annotations

import copy
import datetime
import ssl
import types

import pytest
import yaml
from cryptography.hazmat.primitives import serialization
from tencentcloud.clb.v20180317 import models as clb_models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models
from tencentcloud.teo.v20220901 import models as teo_models
from tencentcloud.tse.v20201207 import models as tse_models

from sandbox_cloud import pki, server, world
from sandbox_cloud.client import SandboxProcess
from sandbox_cloud.state import SeedError
from sandbox_helpers import clb_client, cred, ssl_client, teo_client, tse_client

A, B, C = world.ISSUED_A, world.ISSUED_B, world.ISSUED_C
NO_KEY, PENDING, L1, L2 = world.ISSUED_NO_KEY, world.ISSUED_PENDING, world.ISSUED_LOOP_1, world.ISSUED_LOOP_2
ISSUED = [A, B, C, NO_KEY, PENDING, L1, L2]
UPLOADED = [world.OLD_CERT_ID, world.TEO_CERT_ID, world.API_CERT_ID, world.CA_CERT_ID]
NOT_ISSUED = 'is not issued (Status 0, 审核中) and cannot be bound until the SSL service issues it'
NO_PRIVATE_KEY = 'The SSL service holds no private key for the certificate `%s` (its CSR was made elsewhere), so it cannot be bound.' % NO_KEY
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture(scope='module')
def world_pki():
    """The certificates ``world.integration_state`` needs (as ``tests/integration/harness.py``'s Pki makes them)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    root = pki.make_ca('Issued Test Root CA')
    inter = pki.make_ca('Issued Test Intermediate CA', parent=root)
    names, wildcard = ['www.example.com', 'example.com'], ['*.example.com', 'example.com']

    def leaf(common_name, sans, begin, end):
        return pki.make_leaf(common_name, sans, inter, now + datetime.timedelta(days=begin), now + datetime.timedelta(days=end))
    return types.SimpleNamespace(
        intermediate=inter, old=leaf('www.example.com', names, -80, 10), expired=leaf('www.example.com', names, -100, -10),
        other=leaf('api.example.com', ['api.example.com'], -1, 60), wildcard=leaf('*.example.com', wildcard, -1, 80),
        issued_a=leaf('*.example.com', wildcard, -85, 5), issued_b=leaf('*.example.com', wildcard, -30, 60),
        issued_c=leaf('*.example.com', wildcard, -2, 88), issued_nokey=leaf('*.example.com', wildcard, -1, 80),
        issued_l1=leaf('*.example.com', wildcard, -10, 80), issued_l2=leaf('*.example.com', wildcard, -5, 85),
    )


@pytest.fixture(scope='module')
def world_process(tmp_path_factory, world_pki):
    """A sandbox seeded with the integration tests' world."""
    path = tmp_path_factory.mktemp('issued-world') / 'state.yml'
    path.write_text(yaml.safe_dump(world.integration_state(world_pki)))
    with SandboxProcess(str(path)) as process:
        yield process


@pytest.fixture
def world_sandbox(world_process):
    world_process.client.reset()
    return world_process


def credentials():
    return cred(world.SECRET_ID, world.SECRET_KEY)


def describe(sandbox, **fields):
    request = models.DescribeCertificatesRequest()
    for name, value in fields.items():
        setattr(request, name, value)
    return ssl_client(sandbox, credentials()).DescribeCertificates(request)


def items(sandbox, **fields):
    """{CertificateId: DescribeCertificates item} of every certificate the filters select (one page of 1000)."""
    return {item.CertificateId: item for item in describe(sandbox, Limit=1000, **fields).Certificates}


def detail(sandbox, certificate_id):
    request = models.DescribeCertificateDetailRequest()
    request.CertificateId = certificate_id
    return ssl_client(sandbox, credentials()).DescribeCertificateDetail(request)


def beijing(moment):
    return moment.astimezone(BEIJING).strftime('%Y-%m-%d %H:%M:%S')


def failure(call):
    with pytest.raises(TencentCloudSDKException) as error:
        call()
    return error.value.get_code(), error.value.get_message()


def test_list_items_of_issued_pending_keyless_and_renewal_certificates(world_sandbox, world_pki):
    listed = items(world_sandbox)
    assert sorted(listed) == sorted(ISSUED + UPLOADED)
    for certificate_id in UPLOADED:
        item = listed[certificate_id]
        assert (item.From, item.Status, item.HostingRenewCertId, item.HasRenewOrder) == ('upload', 1, '', '')
    assert {certificate_id: listed[certificate_id].From for certificate_id in ISSUED} == dict.fromkeys(ISSUED, 'trustasia')
    links = {certificate_id: (listed[certificate_id].HostingRenewCertId, listed[certificate_id].HasRenewOrder) for certificate_id in ISSUED}
    assert links == {A: (B, ''), B: ('', C), C: ('', ''), NO_KEY: ('', ''), PENDING: ('', ''), L1: (L2, ''), L2: ('', L1)}

    a, c = listed[A], listed[C]
    assert (a.Status, a.StatusName, a.Deployable, a.IsExpiring, a.IsWildcard) == (1, '已通过', True, True, True)
    assert a.Domain == '*.example.com' and a.SubjectAltName == ['*.example.com', 'example.com']
    assert a.CertEndTime == beijing(world_pki.issued_a.not_after) and a.CertBeginTime == beijing(world_pki.issued_a.not_before)
    assert a.CACommonNames == ['Issued Test Intermediate CA']
    assert (c.IsExpiring, c.CertEndTime) == (False, beijing(world_pki.issued_c.not_after))
    assert (a.CertificateExtra.RenewOrder, a.CertificateExtra.OriginCertificateId) == (B, '')

    keyless = listed[NO_KEY]
    assert (keyless.Status, keyless.Deployable, keyless.Domain) == (1, False, '*.example.com')

    pending = listed[PENDING]
    assert (pending.Status, pending.StatusName, pending.StatusMsg, pending.Deployable) == (0, '审核中', 'PENDING-DCV', False)
    assert (pending.Domain, pending.SubjectAltName, pending.CertSANs) == ('www.example.com', ['www.example.com'], ['www.example.com'])
    assert (pending.CertBeginTime, pending.CertEndTime, pending.ValidityPeriod) == (None, None, '')
    assert (pending.IsExpiring, pending.IsWildcard, pending.EncryptAlgorithm, pending.CACommonNames) == (False, False, 'RSA', [])


def test_detail_of_issued_pending_keyless_and_renewal_certificates(world_sandbox, world_pki):
    extras = {certificate_id: detail(world_sandbox, certificate_id).CertificateExtra for certificate_id in ISSUED}
    renewal = {certificate_id: (extra.RenewOrder, extra.OriginCertificateId) for certificate_id, extra in extras.items()}
    assert renewal == {A: (B, ''), B: (C, A), C: ('', B), NO_KEY: ('', ''), PENDING: ('', ''), L1: (L2, L2), L2: (L1, L1)}

    for certificate_id, issued in ((A, world_pki.issued_a), (B, world_pki.issued_b), (C, world_pki.issued_c)):
        info = detail(world_sandbox, certificate_id)
        assert (info.CertificatePublicKey, info.CertificatePrivateKey) == (issued.chain_pem, issued.key_pem)
        assert (info.Status, info.From, info.CertFingerprint) == (1, 'trustasia', issued.fingerprint_sha1)

    keyless = detail(world_sandbox, NO_KEY)
    assert (keyless.CertificatePublicKey, keyless.CertificatePrivateKey) == (world_pki.issued_nokey.chain_pem, '')
    assert (keyless.Status, keyless.Deployable) == (1, False)

    pending = detail(world_sandbox, PENDING)
    assert (pending.CertificatePublicKey, pending.CertificatePrivateKey, pending.CertFingerprint, pending.CertChainInfo) == ('', '', '', [])
    assert (pending.Status, pending.StatusName, pending.Domain, pending.CertBeginTime, pending.CertEndTime) == (
        0, '审核中', 'www.example.com', None, None)
    assert pending.CertificateExtra.DomainNumber == '1'


def test_filters_see_the_new_records(world_sandbox):
    assert sorted(items(world_sandbox, CertIds=[PENDING, NO_KEY, 'NoSuch01'])) == sorted([PENDING, NO_KEY])
    assert list(items(world_sandbox, CertIds=[A])) == [A]
    assert list(items(world_sandbox, CertificateStatus=[0])) == [PENDING]
    assert sorted(items(world_sandbox, CertificateStatus=[0, 1])) == sorted(ISSUED + UPLOADED)
    assert sorted(items(world_sandbox, FilterSource='trustasia')) == sorted(ISSUED)
    assert sorted(items(world_sandbox, FilterSource='upload')) == sorted(UPLOADED)
    assert sorted(items(world_sandbox, Deployable=0)) == sorted([NO_KEY, PENDING])
    assert PENDING in items(world_sandbox, SearchKey='www.example.com')
    assert A in items(world_sandbox, FilterExpiring=1) and PENDING not in items(world_sandbox, FilterExpiring=1)
    for order in ('ASC', 'DESC'):  # no expiry yet: last either way
        assert describe(world_sandbox, Limit=1000, ExpirationSort=order).Certificates[-1].CertificateId == PENDING
    assert describe(world_sandbox, ExpirationSort='ASC').Certificates[0].CertificateId == A
    page = describe(world_sandbox, Limit=5, Offset=10)  # 11 certificates, newest first
    assert (page.TotalCount, [item.CertificateId for item in page.Certificates]) == (11, [world.OLD_CERT_ID])


def test_tse_refuses_pending_and_keyless_certificates(world_sandbox):
    client = tse_client(world_sandbox, credentials(), region=world.REGION)

    def bind(certificate_id):
        request = tse_models.ModifyCloudNativeAPIGatewayCertificateRequest()
        request.GatewayId, request.Id, request.CertSource, request.CertId = world.GATEWAY, world.SSL_ENTRY, 'ssl', certificate_id
        return client.ModifyCloudNativeAPIGatewayCertificate(request)
    before = world_sandbox.client.state()['tse']
    code, message = failure(lambda: bind(PENDING))
    assert code == 'InvalidParameterValue.InvalidParameterValue' and ('The certificate `%s` %s.' % (PENDING, NOT_ISSUED)) in message
    assert failure(lambda: bind(NO_KEY)) == ('InvalidParameterValue.InvalidParameterValue', NO_PRIVATE_KEY)
    assert world_sandbox.client.state()['tse'] == before
    bind(C)  # issued, key held
    [gateway] = world_sandbox.client.state()['tse']['gateways']
    assert [cert['CertId'] for cert in gateway['Certificates'] if cert['Id'] == world.SSL_ENTRY] == [C]


def test_teo_refuses_pending_and_keyless_certificates(world_sandbox):
    client = teo_client(world_sandbox, credentials())

    def bind(certificate_id):
        request = teo_models.ModifyHostsCertificateRequest()
        request.ZoneId, request.Hosts, request.Mode = world.ZONE, ['h01.example.com'], 'sslcert'
        server_cert = teo_models.ServerCertInfo()
        server_cert.CertId = certificate_id
        request.ServerCertInfo = [server_cert]
        return client.ModifyHostsCertificate(request)
    before = world_sandbox.client.state()['teo']
    code, message = failure(lambda: bind(PENDING))
    assert code == 'InvalidParameter.InvalidCertInfo' and NOT_ISSUED in message and PENDING in message
    assert failure(lambda: bind(NO_KEY)) == ('OperationDenied.CertificatePrivateKeyIsEmpty', NO_PRIVATE_KEY)
    assert world_sandbox.client.state()['teo'] == before
    bind(C)


def test_clb_refuses_pending_and_keyless_certificates(world_sandbox):
    client = clb_client(world_sandbox, credentials(), region=world.REGION)

    def certificate(certificate_id):
        value = clb_models.CertificateInput()
        value.CertId = certificate_id
        return value

    def replace(certificate_id):
        request = clb_models.ReplaceCertForLoadBalancersRequest()
        request.OldCertificateId, request.Certificate = world.OLD_CERT_ID, certificate(certificate_id)
        return client.ReplaceCertForLoadBalancers(request)

    def modify_listener(certificate_id):
        request = clb_models.ModifyListenerRequest()
        request.LoadBalancerId, request.ListenerId, request.Certificate = world.LB_WEB, 'lbl-web00443', certificate(certificate_id)
        return client.ModifyListener(request)

    def modify_domain(certificate_id):
        request = clb_models.ModifyDomainAttributesRequest()
        request.LoadBalancerId, request.ListenerId, request.Domain = world.LB_SNI, 'lbl-sni00443', 'www.example.com'
        request.Certificate = certificate(certificate_id)
        return client.ModifyDomainAttributes(request)
    for call in (replace, modify_listener, modify_domain):
        code, message = failure(lambda call=call: call(PENDING))
        assert (code, message) == ('InvalidParameter', 'CertId: The certificate `%s` %s.' % (PENDING, NOT_ISSUED)), call.__name__
        assert failure(lambda call=call: call(NO_KEY)) == ('InvalidParameter', 'CertId: ' + NO_PRIVATE_KEY), call.__name__
    assert world_sandbox.client.state()['clb']['tasks'] == []  # refused at once: no task started
    assert [entry['ok'] for entry in world_sandbox.client.log()] == [False] * 6
    modify_listener(C)  # issued, key held: a task
    assert len(world_sandbox.client.state()['clb']['tasks']) == 1


def test_bound_by_a_state_patch_never_served_nor_crashing(world_sandbox, world_pki):
    """A state patch may bind them anyway: the listings still answer, the TLS frontend skips them (unrecognized_name)."""
    state = world_sandbox.client.state()
    load_balancer = [lb['LoadBalancerId'] for lb in state['clb']['load_balancers']].index(world.LB_SNI)
    rules = state['clb']['load_balancers'][load_balancer]['Listeners'][0]['Rules']
    rule = [item['Domain'] for item in rules].index('lb.example.com')
    domain = [item['DomainName'] for item in state['teo']['zones'][0]['Domains']].index('h01.example.com')
    assert world_sandbox.served_certificate('lb.example.com') == world_pki.old.cert.public_bytes(serialization.Encoding.DER)
    for certificate_id in (PENDING, NO_KEY):
        world_sandbox.client.patch_state(['clb', 'load_balancers', load_balancer, 'Listeners', 0, 'Rules', rule, 'Certificate', 'CertId'],
                                         certificate_id)
        world_sandbox.client.patch_state(['teo', 'zones', 0, 'Domains', domain, 'Certificate', 'List', 0, 'CertId'], certificate_id)
        for name in ('lb.example.com', 'h01.example.com'):
            with pytest.raises(ssl.SSLError, match='UNRECOGNIZED_NAME'):
                world_sandbox.served_certificate(name)
        assert world_sandbox.served_certificate('h02.example.com') == world_pki.wildcard.cert.public_bytes(serialization.Encoding.DER)
        request = teo_models.DescribeAccelerationDomainsRequest()
        request.ZoneId, request.Limit = world.ZONE, 200
        listed = teo_client(world_sandbox, credentials()).DescribeAccelerationDomains(request).AccelerationDomains
        [host] = [item for item in listed if item.DomainName == 'h01.example.com']
        assert host.Certificate.List[0].CertId == certificate_id and host.Certificate.List[0].Type == 'managed'
        assert items(world_sandbox, CertIds=[certificate_id])[certificate_id].BoundResource == ['clb', 'teo']


def test_world_helper_defaults_give_todays_records(world_pki):
    leaf = world_pki.old
    assert world.ssl_certificate('X1', 'x', leaf) == {
        'CertificateId': 'X1', 'Alias': 'x', 'CertificatePublicKey': leaf.chain_pem, 'CertificatePrivateKey': leaf.key_pem}
    assert world.ssl_certificate('X2', 'ca', world_pki.intermediate, ca=True) == {
        'CertificateId': 'X2', 'Alias': 'ca', 'CertificateType': 'CA', 'CertificatePublicKey': world_pki.intermediate.cert_pem}
    assert world.ssl_certificate('X3', 'x', leaf, status=2, source='sheca', hosting_renew='X4', renew_order='X5', key=False) == {
        'CertificateId': 'X3', 'Alias': 'x', 'CertificatePublicKey': leaf.chain_pem, 'Status': 2, 'From': 'sheca',
        'HostingRenewCertId': 'X4', 'HasRenewOrder': 'X5'}
    assert world.ssl_certificate('X6', 'p', None, status=0, domain='a.example.com') == {
        'CertificateId': 'X6', 'Alias': 'p', 'Domain': 'a.example.com', 'Status': 0}


@pytest.mark.parametrize('record, message', [
    ({'Status': 0, 'Domain': 'www.example.com', 'PEM': True}, 'a pending certificate (Status 0) has nothing issued yet'),
    ({'Status': 1}, 'CertificatePublicKey: no PEM certificate found'),
    ({'Status': 0}, 'a certificate without CertificatePublicKey (Status 0) needs its Domain'),
    ({'Status': 16, 'PEM': True}, 'Status must be one of 0, 1, 2'),
    ({'Status': True, 'PEM': True}, 'Status must be one of'),
    ({'Status': 0, 'Domain': 'www.example.com', 'SubjectAltName': 'www.example.com'}, 'SubjectAltName must be a list'),
    ({'PEM': True, 'HasRenewOrder': 5}, 'HasRenewOrder must be a certificate id'),
    ({'PEM': True, 'From': ''}, 'From must be a source'),
])
def test_seed_errors(world_pki, record, message):
    record = dict(record, CertificateId='Bad00001')
    if record.pop('PEM', False):
        record['CertificatePublicKey'] = world_pki.old.chain_pem
    with pytest.raises(SeedError) as error:
        server.build_seed({'ssl': {'certificates': [record]}})
    assert message in str(error.value)


def test_seeds_may_not_bind_a_certificate_without_pem(world_pki):
    seed = world.integration_state(world_pki)
    paths = {'tse': ['gateways', 0, 'Certificates', 0, 'CertId'], 'teo': ['zones', 0, 'Domains', 0, 'Certificate', 'List', 0, 'CertId'],
             'clb': ['load_balancers', 0, 'Listeners', 0, 'Certificate', 'CertId']}
    for section, path in paths.items():
        broken = copy.deepcopy(seed)
        container = broken[section]
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] = PENDING
        with pytest.raises(SeedError) as error:
            server.build_seed(broken)
        assert "CertId '%s' has no certificate issued yet" % PENDING in str(error.value), section
    server.build_seed(seed)  # the world itself seeds
