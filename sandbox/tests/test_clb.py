# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud Load Balancer certificate bindings and asynchronous tasks, driven through the real Tencent SDK."""

from __future__ import annotations

import hashlib
import time

import pytest
import yaml
from tencentcloud.clb.v20180317 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.ssl.v20191205 import models as ssl_models

from sandbox_cloud import server
from sandbox_cloud.client import SandboxProcess
from sandbox_cloud.state import SeedError
from sandbox_helpers import (LB_GZ, LB_GZ2, LB_SH, LISTENER_MUTUAL, LISTENER_SNI, SSL_API, SSL_CA, SSL_CA2, SSL_EXPIRED, SSL_SPARE, SSL_WWW,
                             clb_client, extend_state, raw_call, ssl_client)

RUNNING, SUCCEEDED, FAILED = 2, 0, 1


def by_cert(client, cert_ids):
    request = models.DescribeLoadBalancerListByCertIdRequest()
    request.CertIds = cert_ids
    return client.DescribeLoadBalancerListByCertId(request).CertSet


def users(client, certificate_id):
    [entry] = by_cert(client, [certificate_id])
    return [lb.LoadBalancerId for lb in entry.LoadBalancers]


def certificate_input(fields):
    certificate = models.CertificateInput()
    for name, value in fields.items():
        setattr(certificate, name, value)
    return certificate


def replace(client, old_id, **fields):
    request = models.ReplaceCertForLoadBalancersRequest()
    request.OldCertificateId = old_id
    request.Certificate = certificate_input(fields)
    return client.ReplaceCertForLoadBalancers(request)


def modify_listener(client, load_balancer_id, listener_id, **fields):
    request = models.ModifyListenerRequest()
    request.LoadBalancerId, request.ListenerId = load_balancer_id, listener_id
    if fields:
        request.Certificate = certificate_input(fields)
    return client.ModifyListener(request)


def modify_domain(client, load_balancer_id, listener_id, domain, **fields):
    request = models.ModifyDomainAttributesRequest()
    request.LoadBalancerId, request.ListenerId, request.Domain = load_balancer_id, listener_id, domain
    if fields:
        request.Certificate = certificate_input(fields)
    return client.ModifyDomainAttributes(request)


def task_status(client, task_id=None, deal_name=None):
    request = models.DescribeTaskStatusRequest()
    request.TaskId, request.DealName = task_id, deal_name
    return client.DescribeTaskStatus(request)


def finish(client, response, limit=10):
    """Poll the task of a write (its RequestId) until it ends; return the last DescribeTaskStatusResponse."""
    for _attempt in range(limit):
        status = task_status(client, response.RequestId)
        if status.Status != RUNNING:
            return status
    raise AssertionError('task %s still running after %d polls' % (response.RequestId, limit))


def code_of(func, *args, **kwargs):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args, **kwargs)
    return error.value.get_code()


def error_of(func, *args, **kwargs):
    with pytest.raises(TencentCloudSDKException) as error:
        func(*args, **kwargs)
    return error.value.get_code(), error.value.get_message()


def bindings(sandbox, region='ap-guangzhou'):
    """``{listener or listener/location: (SSLMode, CertId, CertCaId)}`` from the state dump (which never ends a task)."""
    found = {}
    for lb in sandbox.client.state()['clb']['load_balancers']:
        if lb['Region'] != region:
            continue
        for listener in lb['Listeners']:
            if listener.get('Certificate'):
                cert = listener['Certificate']
                found[listener['ListenerId']] = (cert['SSLMode'], cert['CertId'], cert['CertCaId'])
            for rule in listener['Rules']:
                if rule.get('Certificate'):
                    cert = rule['Certificate']
                    found['%s/%s' % (listener['ListenerId'], rule['Domain'])] = (cert['SSLMode'], cert['CertId'], cert['CertCaId'])
    return found


def tasks(sandbox):
    return sandbox.client.state()['clb']['tasks']


def bound_resources(sandbox, certificate_id):
    """The SSL store's BoundResource of a certificate (which products reference it)."""
    request = ssl_models.DescribeCertificatesRequest()
    request.SearchKey = certificate_id
    [row] = [row for row in ssl_client(sandbox).DescribeCertificates(request).Certificates if row.CertificateId == certificate_id]
    return row.BoundResource


SEEDED_BINDINGS = {
    LISTENER_MUTUAL: ('MUTUAL', SSL_WWW, SSL_CA),
    LISTENER_SNI + '/api.example.com': ('UNIDIRECTIONAL', SSL_API, ''),
    LISTENER_SNI + '/www.example.com': ('UNIDIRECTIONAL', SSL_WWW, ''),
}
SEEDED_SH_BINDINGS = {'lbl-sh000001': ('UNIDIRECTIONAL', SSL_WWW, '')}


# --- reads -------------------------------------------------------------------------------------------


def test_describe_load_balancer_list_by_cert_id(product_sandbox):
    client = clb_client(product_sandbox)
    cert_set = by_cert(client, [SSL_WWW, SSL_CA, SSL_API, 'NoSuch01'])
    assert all(isinstance(entry, models.CertIdRelatedWithLoadBalancers) for entry in cert_set)
    assert [(entry.CertId, [lb.LoadBalancerId for lb in entry.LoadBalancers]) for entry in cert_set] == [
        (SSL_WWW, [LB_GZ]), (SSL_CA, [LB_GZ]), (SSL_API, [LB_GZ]), ('NoSuch01', [])]
    lb = cert_set[0].LoadBalancers[0]
    assert isinstance(lb, models.LoadBalancer)
    assert (lb.LoadBalancerName, lb.LoadBalancerType, lb.Forward, lb.Status) == ('web-gz', 'OPEN', 1, 1)
    assert lb.LoadBalancerVips and lb.VpcId.startswith('vpc-')
    # other regions only see their own load balancers
    assert users(clb_client(product_sandbox, region='ap-shanghai'), SSL_WWW) == [LB_SH]
    assert users(clb_client(product_sandbox, region='ap-beijing'), SSL_WWW) == []
    assert code_of(by_cert, client, ['id%d' % index for index in range(21)]) == 'InvalidParameterValue.Length'
    assert code_of(by_cert, client, []) == 'MissingParameter'
    response = raw_call(product_sandbox, 'clb', 'DescribeLoadBalancerListByCertId', '2018-03-17', {'CertIds': [SSL_WWW]})
    assert response['Error']['Code'] == 'MissingParameter'  # CLB is regional


def test_describe_listeners(product_sandbox):
    client = clb_client(product_sandbox)
    request = models.DescribeListenersRequest()
    request.LoadBalancerId = LB_GZ
    response = client.DescribeListeners(request)
    assert response.TotalCount == 2
    mutual, sni = response.Listeners
    assert isinstance(mutual, models.Listener) and isinstance(mutual.Certificate, models.CertificateOutput)
    assert (mutual.ListenerId, mutual.Protocol, mutual.Port, mutual.SniSwitch) == (LISTENER_MUTUAL, 'HTTPS', 443, 0)
    assert (mutual.Certificate.SSLMode, mutual.Certificate.CertId, mutual.Certificate.CertCaId) == ('MUTUAL', SSL_WWW, SSL_CA)
    assert sni.Certificate is None and sni.SniSwitch == 1
    assert [(rule.Domain, rule.Certificate.CertId, rule.Certificate.CertCaId) for rule in sni.Rules] == [
        ('api.example.com', SSL_API, None), ('www.example.com', SSL_WWW, None)]
    request.ListenerIds = [LISTENER_SNI]
    assert [listener.ListenerId for listener in client.DescribeListeners(request).Listeners] == [LISTENER_SNI]
    request.LoadBalancerId = LB_SH  # another region
    assert code_of(client.DescribeListeners, request) == 'InvalidParameter.LBIdNotFound'


def load_balancers(client, filters=None, **fields):
    request = models.DescribeLoadBalancersRequest()
    for name, value in fields.items():
        setattr(request, name, value)
    if filters is not None:
        request.Filters = []
        for name, values in filters:
            item = models.Filter()
            item.Name, item.Values = name, values
            request.Filters.append(item)
    return client.DescribeLoadBalancers(request)


def lb_ids(response):
    return [lb.LoadBalancerId for lb in response.LoadBalancerSet]


def test_describe_load_balancers_is_regional(product_sandbox):
    response = load_balancers(clb_client(product_sandbox))
    assert response.TotalCount == 2 and lb_ids(response) == [LB_GZ, LB_GZ2]
    web = response.LoadBalancerSet[0]
    assert isinstance(web, models.LoadBalancer) and isinstance(web.NetworkAttributes, models.InternetAccessible)
    assert (web.LoadBalancerName, web.LoadBalancerType, web.Forward, web.Status, web.ProjectId) == ('web-gz', 'OPEN', 1, 1, 0)
    assert web.LoadBalancerVips and web.VpcId.startswith('vpc-') and web.LoadBalancerDomain.startswith(LB_GZ + '.')
    assert web.TargetCount is None  # an AdditionalFields member, only returned when asked for
    assert load_balancers(clb_client(product_sandbox), AdditionalFields=['TargetCount']).LoadBalancerSet[0].TargetCount == 0
    assert lb_ids(load_balancers(clb_client(product_sandbox, region='ap-shanghai'))) == [LB_SH]
    assert load_balancers(clb_client(product_sandbox, region='ap-beijing')).TotalCount == 0
    response = raw_call(product_sandbox, 'clb', 'DescribeLoadBalancers', '2018-03-17', {})
    assert response['Error']['Code'] == 'MissingParameter'  # CLB is regional


def test_describe_load_balancers_pages_and_filters(product_sandbox):
    ids = ['lb-many%04d' % index for index in range(23)]
    extend_state(product_sandbox, {'clb': {'load_balancers': [
        {'LoadBalancerId': lb_id, 'LoadBalancerName': 'api-%02d' % index, 'CreateTime': '2026-01-01 00:00:%02d' % index,
         'LoadBalancerType': 'INTERNAL' if index % 2 else 'OPEN', 'ProjectId': 7 if index < 2 else 0,
         'Tags': [{'TagKey': 'env', 'TagValue': 'prod' if index < 5 else 'dev'}],
         'Listeners': [{'ListenerId': 'lbl-many%04d' % index, 'Protocol': 'HTTP', 'Port': 80}]}
        for index, lb_id in enumerate(ids)] + [{'LoadBalancerId': 'lb-manysh01', 'Region': 'ap-shanghai'}]}})
    client = clb_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    newest_first = [LB_GZ, LB_GZ2] + ids[::-1]  # the seeded load balancers were created now; CreateTime descending by default
    first = load_balancers(client)  # Limit defaults to 20
    assert first.TotalCount == 25 and lb_ids(first) == newest_first[:20]
    assert lb_ids(load_balancers(client, Offset=20)) == newest_first[20:]
    assert lb_ids(load_balancers(client, Limit=100)) == newest_first and load_balancers(client, Offset=25).LoadBalancerSet == []
    for bad in ({'Limit': 101}, {'Limit': -1}, {'Offset': -1}, {'OrderType': 2}):
        assert code_of(load_balancers, client, **bad) == 'InvalidParameterValue.Range'
    assert lb_ids(load_balancers(client, OrderBy='CreateTime', OrderType=0, Limit=2)) == ids[:2]
    assert lb_ids(load_balancers(client, OrderBy='LoadBalancerName', OrderType=0, Limit=3)) == ids[:3]  # api-00 < ... < plain-gz < web-gz
    assert code_of(load_balancers, client, OrderBy='Size') == 'InvalidParameterValue'
    # ids, names, attributes and filters
    assert lb_ids(load_balancers(client, LoadBalancerIds=[LB_GZ, LB_SH, ids[3]])) == [LB_GZ, ids[3]]  # LB_SH is in another region
    assert code_of(load_balancers, client, LoadBalancerIds=['lb-%08d' % index for index in range(21)]) == 'InvalidParameterValue.Length'
    assert lb_ids(load_balancers(client, LoadBalancerName='web')) == [LB_GZ]  # fuzzy
    assert load_balancers(client, LoadBalancerName='api-1').TotalCount == 10
    assert load_balancers(client, LoadBalancerType='INTERNAL').TotalCount == 11
    internal = load_balancers(client, LoadBalancerIds=[ids[1]]).LoadBalancerSet[0]
    assert (internal.LoadBalancerType, internal.VipIsp, internal.NetworkAttributes) == ('INTERNAL', 'INTERNAL', None)
    assert internal.LoadBalancerVips[0].startswith('10.')
    assert lb_ids(load_balancers(client, ProjectId=7)) == [ids[1], ids[0]]
    assert lb_ids(load_balancers(client, SearchKey=LB_GZ2.upper())) == [LB_GZ2]
    assert lb_ids(load_balancers(client, LoadBalancerVips=internal.LoadBalancerVips)) == [ids[1]]
    assert sorted(lb_ids(load_balancers(client, filters=[('tag:env', ['prod'])]))) == ids[:5]
    assert load_balancers(client, filters=[('tag-key', ['env'])]).TotalCount == 23
    assert load_balancers(client, filters=[('tag-key', ['env']), ('vip-isp', ['BGP'])]).TotalCount == 12
    assert load_balancers(client, filters=[('charge-type', ['PREPAID'])]).TotalCount == 0
    assert code_of(load_balancers, client, filters=[('color', ['red'])]) == 'InvalidParameterValue.InvalidFilter'
    assert code_of(load_balancers, client, filters=[('tag-key', ['k%d' % index for index in range(101)])]) == 'InvalidParameterValue.Length'
    assert sorted(lb_ids(load_balancers(clb_client(product_sandbox, region='ap-shanghai')))) == ['lb-manysh01', LB_SH]
    entries = product_sandbox.client.log(since)
    assert {entry['action'] for entry in entries} == {'DescribeLoadBalancers'} and not any(entry['write'] for entry in entries)


def test_ssl_store_refuses_certificates_bound_to_load_balancers(product_sandbox):
    """The client CA of a mutual-TLS listener (CertCaId) counts as a use, like a server certificate of a listener or rule."""
    request = ssl_models.DeleteCertificateRequest()
    for certificate_id in (SSL_CA, SSL_API, SSL_WWW):
        request.CertificateId = certificate_id
        assert code_of(ssl_client(product_sandbox).DeleteCertificate, request) == 'FailedOperation.DeleteResourceFailed'
    assert bound_resources(product_sandbox, SSL_CA) == ['clb']
    client = clb_client(product_sandbox)
    finish(client, replace(client, SSL_CA, CertCaId=SSL_CA2))  # the CA is replaced on the mutual listener
    request.CertificateId = SSL_CA
    assert ssl_client(product_sandbox).DeleteCertificate(request).DeleteResult is True
    request.CertificateId = SSL_CA2
    assert code_of(ssl_client(product_sandbox).DeleteCertificate, request) == 'FailedOperation.DeleteResourceFailed'


# --- ReplaceCertForLoadBalancers and DescribeTaskStatus ------------------------------------------------


def test_replace_is_a_task_that_applies_when_it_ends(product_sandbox):
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    client = clb_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    response = replace(client, SSL_WWW, CertId=SSL_SPARE)  # like the real API: SSLMode defaults to UNIDIRECTIONAL
    [task] = tasks(product_sandbox)
    assert (task['TaskId'], task['Status'], task['LoadBalancerIds']) == (response.RequestId, RUNNING, [LB_GZ, LB_SH])
    assert bindings(product_sandbox) == SEEDED_BINDINGS  # nothing changes while the task runs
    assert users(client, SSL_WWW) == [LB_GZ] and users(client, SSL_SPARE) == []
    statuses = []
    for _poll in range(2):
        status = task_status(client, response.RequestId)
        assert isinstance(status, models.DescribeTaskStatusResponse)
        statuses.append((status.Status, status.LoadBalancerIds))
        assert bindings(product_sandbox) == SEEDED_BINDINGS
    last = task_status(client, response.RequestId)
    assert statuses + [(last.Status, last.LoadBalancerIds)] == [(RUNNING, [LB_GZ, LB_SH])] * 2 + [(SUCCEEDED, [LB_GZ, LB_SH])]
    assert not last.Message
    assert bindings(product_sandbox) == {
        LISTENER_MUTUAL: ('UNIDIRECTIONAL', SSL_SPARE, ''),
        LISTENER_SNI + '/api.example.com': ('UNIDIRECTIONAL', SSL_API, ''),
        LISTENER_SNI + '/www.example.com': ('UNIDIRECTIONAL', SSL_SPARE, ''),
    }
    assert users(client, SSL_CA) == [] and users(client, SSL_WWW) == []
    # the API is called in ap-guangzhou and replaces the certificate in every region
    assert bindings(product_sandbox, 'ap-shanghai') == {'lbl-sh000001': ('UNIDIRECTIONAL', SSL_SPARE, '')}
    assert task_status(client, response.RequestId).Status == SUCCEEDED  # an ended task keeps its status
    # the write is logged as a write, the polls as reads
    entries = [(e['action'], e['write'], e['ok']) for e in product_sandbox.client.log(since) if e['service'] == 'clb']
    assert entries[0] == ('ReplaceCertForLoadBalancers', True, True)
    assert {entry for entry in entries[1:] if entry[0] == 'DescribeTaskStatus'} == {('DescribeTaskStatus', False, True)}
    assert [(w['action'], w['region']) for w in product_sandbox.client.writes(since)] == [('ReplaceCertForLoadBalancers', 'ap-guangzhou')]


def test_running_polls_zero_ends_the_task_at_the_first_poll(product_sandbox):
    product_sandbox.client.patch_state(['clb', 'task_running_polls'], 0)
    client = clb_client(product_sandbox)
    response = replace(client, SSL_API, CertId=SSL_SPARE)
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    status = task_status(client, response.RequestId)
    assert (status.Status, status.LoadBalancerIds) == (SUCCEEDED, [LB_GZ])
    assert bindings(product_sandbox)[LISTENER_SNI + '/api.example.com'] == ('UNIDIRECTIONAL', SSL_SPARE, '')
    product_sandbox.client.reset()
    assert product_sandbox.client.state()['clb']['task_running_polls'] == 2


def test_task_ends_by_time_for_a_client_that_never_polls(product_state_file, tmp_path, certs_pki):
    """With ``clb.task_seconds`` in the seed, the next CLB action after that time ends the task; TLS shows it only then."""
    with open(product_state_file, encoding='utf-8') as handle:
        seed = yaml.safe_load(handle)
    seed['clb']['task_seconds'] = 0.4
    seed['gaap']['listeners'], seed['teo']['zones'] = [], []  # let the CLB rules serve www.example.com
    path = tmp_path / 'state.yml'
    path.write_text(yaml.safe_dump(seed))

    def served(sandbox, name):
        return hashlib.sha256(sandbox.served_certificate(name)).hexdigest()

    with SandboxProcess(str(path)) as sandbox:
        assert sandbox.client.state()['clb']['task_seconds'] == 0.4
        client = clb_client(sandbox)
        response = replace(client, SSL_WWW, CertId=SSL_SPARE)
        assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256
        time.sleep(0.5)
        # the time has passed, but nothing ends a task before a CLB action runs (the TLS frontend and the state dump do not)
        assert served(sandbox, 'www.example.com') == certs_pki.www.fingerprint_sha256
        assert tasks(sandbox)[0]['Status'] == RUNNING
        assert users(clb_client(sandbox, region='ap-shanghai'), SSL_SPARE) == [LB_SH]  # any CLB action, any region
        assert tasks(sandbox)[0]['Status'] == SUCCEEDED
        assert served(sandbox, 'www.example.com') == certs_pki.new.fingerprint_sha256
        assert served(sandbox, 'example.com') == certs_pki.new.fingerprint_sha256  # the listener certificate
        assert task_status(client, response.RequestId).Status == SUCCEEDED  # a late first poll sees the end


def test_failing_task_changes_nothing(product_sandbox):
    client = clb_client(product_sandbox)
    assert product_sandbox.client.state()['clb']['fail_tasks'] == []
    response = replace(client, SSL_WWW, CertId=SSL_SPARE, SSLMode='MUTUAL', CertCaId=SSL_CA2)
    # switched on at run time, after the write: what counts is the moment the task ends
    product_sandbox.client.patch_state(['clb', 'fail_tasks'], [LB_SH])
    status = finish(client, response)
    assert (status.Status, status.LoadBalancerIds) == (FAILED, [LB_GZ, LB_SH])
    assert status.Message == 'The load balancer %s is being modified by another operation; nothing was changed.' % LB_SH
    assert bindings(product_sandbox) == SEEDED_BINDINGS and bindings(product_sandbox, 'ap-shanghai') == SEEDED_SH_BINDINGS
    assert task_status(client, response.RequestId).Status == FAILED
    # the SSL store still sees the old references: SSL_WWW is bound, the new certificate is not and can be deleted
    assert 'clb' in bound_resources(product_sandbox, SSL_WWW)
    assert bound_resources(product_sandbox, SSL_SPARE) == []
    assert users(client, SSL_WWW) == [LB_GZ] and users(client, SSL_CA) == [LB_GZ]
    delete = ssl_models.DeleteCertificateRequest()
    delete.CertificateId = SSL_WWW
    assert code_of(ssl_client(product_sandbox).DeleteCertificate, delete) == 'FailedOperation.DeleteResourceFailed'
    # several load balancers are named in the message
    product_sandbox.client.patch_state(['clb', 'fail_tasks'], [LB_GZ, LB_SH])
    status = finish(client, replace(client, SSL_WWW, CertId=SSL_SPARE))
    assert status.Status == FAILED and status.Message.startswith('The load balancers %s, %s are being modified' % (LB_GZ, LB_SH))
    # a task on other load balancers is not affected
    product_sandbox.client.patch_state(['clb', 'fail_tasks'], [LB_SH])
    assert finish(client, replace(client, SSL_API, CertId=SSL_SPARE)).Status == SUCCEEDED
    assert bindings(product_sandbox)[LISTENER_SNI + '/api.example.com'] == ('UNIDIRECTIONAL', SSL_SPARE, '')
    # reset restores the seed's (empty) list
    product_sandbox.client.reset()
    assert product_sandbox.client.state()['clb']['fail_tasks'] == [] and tasks(product_sandbox) == []


def test_task_fails_when_its_certificate_vanished(product_sandbox):
    client = clb_client(product_sandbox)
    response = replace(client, SSL_WWW, CertId=SSL_SPARE)
    delete = ssl_models.DeleteCertificateRequest()
    delete.CertificateId = SSL_SPARE  # not bound yet: the SSL store lets it go
    assert ssl_client(product_sandbox).DeleteCertificate(delete).DeleteResult
    status = finish(client, response)
    assert (status.Status, status.Message) == (FAILED, 'The certificate %s no longer exists; nothing was changed.' % SSL_SPARE)
    assert bindings(product_sandbox) == SEEDED_BINDINGS


def test_describe_task_status_errors(product_sandbox):
    client = clb_client(product_sandbox)
    response = replace(client, SSL_WWW, CertId=SSL_SPARE)
    assert code_of(task_status, client, 'c0ffee00-0000-4000-8000-000000000000') == 'InvalidParameter'
    code, message = error_of(task_status, clb_client(product_sandbox, region='ap-shanghai'), response.RequestId)
    assert code == 'InvalidParameter' and 'does not exist in region ap-shanghai' in message  # tasks are regional
    listeners = models.DescribeListenersRequest()
    listeners.LoadBalancerId = LB_GZ
    assert code_of(task_status, client, client.DescribeListeners(listeners).RequestId) == 'InvalidParameter'  # a read starts no task
    assert code_of(task_status, client) == 'MissingParameter'
    assert code_of(task_status, client, deal_name='20260101000000000001') == 'InvalidParameter'
    response = raw_call(product_sandbox, 'clb', 'DescribeTaskStatus', '2018-03-17', {'TaskId': response.RequestId}, region='ap-guangzhou')
    assert response['Status'] == RUNNING and response['LoadBalancerIds'] == [LB_GZ, LB_SH]


def test_replace_only_from_guangzhou(product_sandbox):
    assert code_of(replace, clb_client(product_sandbox, region='ap-shanghai'), SSL_WWW, CertId=SSL_SPARE) == 'UnsupportedRegion'
    assert tasks(product_sandbox) == []


def test_replace_keeping_mutual_tls(product_sandbox):
    client = clb_client(product_sandbox)
    assert finish(client, replace(client, SSL_WWW, CertId=SSL_SPARE, SSLMode='MUTUAL', CertCaId=SSL_CA)).Status == SUCCEEDED
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == ('MUTUAL', SSL_SPARE, SSL_CA)
    # the rule that was one-way TLS becomes mutual too: the new settings apply to every binding of the old id
    assert bindings(product_sandbox)[LISTENER_SNI + '/www.example.com'] == ('MUTUAL', SSL_SPARE, SSL_CA)
    # validation errors are synchronous and start no task
    assert code_of(replace, client, SSL_SPARE, CertId=SSL_WWW, SSLMode='MUTUAL') == 'InvalidParameter'
    assert len(tasks(product_sandbox)) == 1
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == ('MUTUAL', SSL_SPARE, SSL_CA)  # unchanged


def test_replace_with_uploaded_content(product_sandbox, certs_pki):
    client = clb_client(product_sandbox)
    store = ssl_client(product_sandbox)
    before = store.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount
    response = replace(client, SSL_API, CertName='rsa upload', CertContent=certs_pki.rsa.chain_pem, CertKey=certs_pki.rsa.key_pem)
    # the upload is stored at once; the binding changes when the task ends
    listing = store.DescribeCertificates(ssl_models.DescribeCertificatesRequest())
    assert listing.TotalCount == before + 1
    new = listing.Certificates[0]  # newest first
    assert new.Alias == 'rsa upload' and new.Domain == 'rsa.example.com' and new.BoundResource == []
    assert bindings(product_sandbox)[LISTENER_SNI + '/api.example.com'] == ('UNIDIRECTIONAL', SSL_API, '')
    assert finish(client, response).Status == SUCCEEDED
    assert bindings(product_sandbox)[LISTENER_SNI + '/api.example.com'] == ('UNIDIRECTIONAL', new.CertificateId, '')
    assert 'PRIVATE KEY' not in str(product_sandbox.client.log()) + str(product_sandbox.client.state())
    # a bad upload creates nothing
    assert code_of(replace, client, SSL_WWW, CertContent=certs_pki.www.chain_pem, CertKey=certs_pki.api.key_pem) == 'InvalidParameter.FormatError'
    assert code_of(replace, client, SSL_WWW, CertContent=certs_pki.www.chain_pem, CertKey=certs_pki.www.key_pem,
                   SSLMode='MUTUAL', CertCaContent='junk') == 'InvalidParameter.FormatError'
    assert store.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount == before + 1
    assert len(tasks(product_sandbox)) == 1


def test_replace_client_ca(product_sandbox, certs_pki):
    client = clb_client(product_sandbox)
    status = finish(client, replace(client, SSL_CA, CertCaId=SSL_CA2))
    assert (status.Status, status.LoadBalancerIds) == (SUCCEEDED, [LB_GZ])
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == ('MUTUAL', SSL_WWW, SSL_CA2)
    finish(client, replace(client, SSL_CA2, CertCaContent=certs_pki.inter.cert_pem, CertCaName='uploaded ca'))
    mode, server_id, ca_id = bindings(product_sandbox)[LISTENER_MUTUAL]
    assert (mode, server_id) == ('MUTUAL', SSL_WWW) and ca_id not in (SSL_CA, SSL_CA2)
    assert code_of(replace, client, ca_id, SSLMode='MUTUAL') == 'InvalidParameter'  # neither CertCaId nor CertCaContent


def test_replace_errors_and_no_op(product_sandbox):
    client = clb_client(product_sandbox)
    assert code_of(replace, client, 'NoSuch01', CertId=SSL_SPARE) == 'InvalidParameter'
    assert code_of(replace, client, SSL_WWW, CertId='NoSuch01') == 'InvalidParameter'
    assert code_of(replace, client, SSL_WWW, CertId=SSL_CA) == 'InvalidParameter'
    assert code_of(replace, client, SSL_WWW, SSLMode='UNIDIRECTIONAL') == 'InvalidParameter'  # neither CertId nor content
    assert code_of(replace, client, SSL_WWW) == 'MissingParameter'
    assert code_of(replace, client, SSL_WWW, CertId=SSL_SPARE, SSLMode='TWO-WAY') == 'InvalidParameter'
    assert bindings(product_sandbox) == SEEDED_BINDINGS and tasks(product_sandbox) == []
    # nothing uses the old certificate: a task on no load balancer, which succeeds and changes nothing
    since = product_sandbox.client.last_seq()
    response = replace(client, SSL_EXPIRED, CertId=SSL_SPARE)
    assert [w['ok'] for w in product_sandbox.client.writes(since)] == [True]
    status = finish(client, response)
    assert (status.Status, status.LoadBalancerIds) == (SUCCEEDED, [])
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    # the SSL store refuses to delete certificates bound to a load balancer
    request = ssl_models.DeleteCertificateRequest()
    request.CertificateId = SSL_API
    assert code_of(ssl_client(product_sandbox).DeleteCertificate, request) == 'FailedOperation.DeleteResourceFailed'


# --- ModifyListener and ModifyDomainAttributes ---------------------------------------------------------


def test_modify_listener_changes_one_listener(product_sandbox):
    client = clb_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    response = modify_listener(client, LB_GZ, LISTENER_MUTUAL, SSLMode='MUTUAL', CertId=SSL_SPARE, CertCaId=SSL_CA2)
    [task] = tasks(product_sandbox)
    assert (task['TaskId'], task['LoadBalancerIds']) == (response.RequestId, [LB_GZ])
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    assert [task_status(client, response.RequestId).Status for _poll in range(3)] == [RUNNING, RUNNING, SUCCEEDED]
    # only that listener: the www rule of the SNI listener and the Shanghai listener keep the certificate being rotated
    assert bindings(product_sandbox) == dict(SEEDED_BINDINGS, **{LISTENER_MUTUAL: ('MUTUAL', SSL_SPARE, SSL_CA2)})
    assert bindings(product_sandbox, 'ap-shanghai') == SEEDED_SH_BINDINGS
    request = models.DescribeListenersRequest()
    request.LoadBalancerId, request.ListenerIds = LB_GZ, [LISTENER_MUTUAL]
    [listener] = client.DescribeListeners(request).Listeners
    assert (listener.Certificate.SSLMode, listener.Certificate.CertId, listener.Certificate.CertCaId) == ('MUTUAL', SSL_SPARE, SSL_CA2)
    # without SSLMode the listener goes back to one-way TLS (the whole certificate setting is replaced)
    assert finish(client, modify_listener(client, LB_GZ, LISTENER_MUTUAL, CertId=SSL_WWW)).Status == SUCCEEDED
    assert bindings(product_sandbox) == dict(SEEDED_BINDINGS, **{LISTENER_MUTUAL: ('UNIDIRECTIONAL', SSL_WWW, '')})
    # no Certificate: nothing to change, the task still runs and ends
    assert finish(client, modify_listener(client, LB_GZ, LISTENER_MUTUAL)).Status == SUCCEEDED
    entries = [(e['action'], e['write']) for e in product_sandbox.client.log(since)]
    assert set(entries) == {('ModifyListener', True), ('DescribeTaskStatus', False), ('DescribeListeners', False)}
    assert [w['action'] for w in product_sandbox.client.writes(since)] == ['ModifyListener'] * 3


def test_modify_listener_errors(product_sandbox, certs_pki):
    client = clb_client(product_sandbox)
    store = ssl_client(product_sandbox)
    before = store.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount
    assert code_of(modify_listener, client, 'lb-nosuch01', LISTENER_MUTUAL, CertId=SSL_SPARE) == 'InvalidParameter.LBIdNotFound'
    assert code_of(modify_listener, client, LB_SH, 'lbl-sh000001', CertId=SSL_SPARE) == 'InvalidParameter.LBIdNotFound'  # other region
    assert code_of(modify_listener, client, LB_GZ, 'lbl-nosuch01', CertId=SSL_SPARE) == 'InvalidParameter.ListenerIdNotFound'
    assert code_of(modify_listener, client, LB_GZ2, 'lbl-http0001', CertId=SSL_SPARE) == 'InvalidParameter.ProtocolCheckFailed'
    code, message = error_of(modify_listener, client, LB_GZ, LISTENER_SNI, CertId=SSL_SPARE)
    assert code == 'InvalidParameter' and 'SNI enabled' in message and 'domain' in message
    assert code_of(modify_listener, client, LB_GZ, LISTENER_MUTUAL, CertId='NoSuch01') == 'InvalidParameter'
    assert code_of(modify_listener, client, LB_GZ, LISTENER_MUTUAL, CertId=SSL_CA) == 'InvalidParameter'
    assert code_of(modify_listener, client, LB_GZ, LISTENER_MUTUAL, CertId=SSL_SPARE, SSLMode='MUTUAL', CertCaId=SSL_WWW) == 'InvalidParameter'
    assert code_of(modify_listener, client, LB_GZ, LISTENER_MUTUAL, CertId=SSL_SPARE, SSLMode='MUTUAL') == 'InvalidParameter'
    assert code_of(modify_listener, client, LB_GZ, LISTENER_MUTUAL, CertContent=certs_pki.new.chain_pem, CertKey=certs_pki.new.key_pem,
                   SSLMode='MUTUAL', CertCaContent='junk') == 'InvalidParameter.FormatError'
    response = raw_call(product_sandbox, 'clb', 'ModifyListener', '2018-03-17', {'LoadBalancerId': LB_GZ}, region='ap-guangzhou')
    assert response['Error']['Code'] == 'MissingParameter'
    response = raw_call(product_sandbox, 'clb', 'ModifyListener', '2018-03-17', {
        'LoadBalancerId': LB_GZ, 'ListenerId': LISTENER_MUTUAL, 'MultiCertInfo': {'SSLMode': 'UNIDIRECTIONAL'}}, region='ap-guangzhou')
    assert response['Error']['Code'] == 'UnsupportedOperation'
    # nothing was uploaded, started or changed
    assert store.DescribeCertificates(ssl_models.DescribeCertificatesRequest()).TotalCount == before
    assert tasks(product_sandbox) == [] and bindings(product_sandbox) == SEEDED_BINDINGS
    # fail_tasks applies to ModifyListener too
    product_sandbox.client.patch_state(['clb', 'fail_tasks'], [LB_GZ])
    status = finish(client, modify_listener(client, LB_GZ, LISTENER_MUTUAL, CertId=SSL_SPARE))
    assert (status.Status, status.LoadBalancerIds) == (FAILED, [LB_GZ]) and LB_GZ in status.Message
    assert bindings(product_sandbox) == SEEDED_BINDINGS


def test_modify_domain_attributes_changes_one_rule(product_sandbox, certs_pki):
    client = clb_client(product_sandbox)
    since = product_sandbox.client.last_seq()
    response = modify_domain(client, LB_GZ, LISTENER_SNI, 'www.example.com', CertName='new www',
                             CertContent=certs_pki.new.chain_pem, CertKey=certs_pki.new.key_pem)
    [uploaded] = [row for row in ssl_client(product_sandbox).DescribeCertificates(ssl_models.DescribeCertificatesRequest()).Certificates
                  if row.Alias == 'new www' and row.CertificateId != SSL_SPARE]
    assert bindings(product_sandbox) == SEEDED_BINDINGS
    status = finish(client, response)
    assert (status.Status, status.LoadBalancerIds) == (SUCCEEDED, [LB_GZ])
    # only the www rule: the mutual listener and the Shanghai listener keep SSL_WWW, the api rule its own certificate
    assert bindings(product_sandbox) == dict(SEEDED_BINDINGS, **{LISTENER_SNI + '/www.example.com': ('UNIDIRECTIONAL', uploaded.CertificateId, '')})
    assert bindings(product_sandbox, 'ap-shanghai') == SEEDED_SH_BINDINGS
    # a domain is matched case-insensitively; MUTUAL with an existing CA
    finish(client, modify_domain(client, LB_GZ, LISTENER_SNI, 'API.example.com', CertId=SSL_SPARE, SSLMode='MUTUAL', CertCaId=SSL_CA))
    assert bindings(product_sandbox)[LISTENER_SNI + '/api.example.com'] == ('MUTUAL', SSL_SPARE, SSL_CA)
    assert bindings(product_sandbox)[LISTENER_MUTUAL] == SEEDED_BINDINGS[LISTENER_MUTUAL]
    assert [w['action'] for w in product_sandbox.client.writes(since)] == ['ModifyDomainAttributes'] * 2
    assert {e['write'] for e in product_sandbox.client.log(since) if e['action'] == 'DescribeTaskStatus'} == {False}


def test_modify_domain_attributes_errors(product_sandbox):
    client = clb_client(product_sandbox)
    assert code_of(modify_domain, client, 'lb-nosuch01', LISTENER_SNI, 'www.example.com', CertId=SSL_SPARE) == 'InvalidParameter.LBIdNotFound'
    assert code_of(modify_domain, client, LB_GZ, 'lbl-nosuch01', 'www.example.com', CertId=SSL_SPARE) == 'InvalidParameter.ListenerIdNotFound'
    assert code_of(modify_domain, client, LB_GZ, LISTENER_SNI, 'nosuch.example.com', CertId=SSL_SPARE) == 'InvalidParameter.LocationNotFound'
    code, message = error_of(modify_domain, client, LB_GZ, LISTENER_MUTUAL, 'www.example.com', CertId=SSL_SPARE)
    assert code == 'InvalidParameter' and 'does not have SNI enabled' in message
    assert code_of(modify_domain, client, LB_GZ2, 'lbl-http0001', 'www.example.com', CertId=SSL_SPARE) == 'InvalidParameter.ProtocolCheckFailed'
    assert code_of(modify_domain, client, LB_GZ, LISTENER_SNI, 'www.example.com', CertId='NoSuch01') == 'InvalidParameter'
    assert code_of(modify_domain, client, LB_GZ, LISTENER_SNI, 'www.example.com', CertId=SSL_CA) == 'InvalidParameter'
    assert code_of(modify_domain, client, LB_GZ, LISTENER_SNI, 'www.example.com', SSLMode='UNIDIRECTIONAL') == 'InvalidParameter'
    response = raw_call(product_sandbox, 'clb', 'ModifyDomainAttributes', '2018-03-17', {'LoadBalancerId': LB_GZ, 'ListenerId': LISTENER_SNI},
                        region='ap-guangzhou')
    assert response['Error']['Code'] == 'MissingParameter'
    assert tasks(product_sandbox) == [] and bindings(product_sandbox) == SEEDED_BINDINGS
    # fail_tasks applies to ModifyDomainAttributes too
    product_sandbox.client.patch_state(['clb', 'fail_tasks'], [LB_GZ])
    status = finish(client, modify_domain(client, LB_GZ, LISTENER_SNI, 'www.example.com', CertId=SSL_SPARE))
    assert status.Status == FAILED
    assert status.Message == 'The load balancer %s is being modified by another operation; nothing was changed.' % LB_GZ
    assert bindings(product_sandbox) == SEEDED_BINDINGS


# --- seed ------------------------------------------------------------------------------------------------


def test_task_seed_defaults_and_checks():
    doc = server.build_seed({})
    assert {key: doc['clb'][key] for key in ('task_running_polls', 'task_seconds', 'fail_tasks', 'tasks')} == {
        'task_running_polls': 2, 'task_seconds': 3.0, 'fail_tasks': [], 'tasks': []}
    assert server.build_seed({'clb': {'task_seconds': 1, 'fail_tasks': [LB_GZ]}})['clb']['task_seconds'] == 1.0
    for bad in ({'task_running_polls': -1}, {'task_running_polls': 'two'}, {'task_seconds': -0.5}, {'fail_tasks': LB_GZ},
                {'fail_tasks': [1]}, {'tasks': {}}):
        with pytest.raises(SeedError):
            server.build_seed({'clb': bad})
