# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud Load Balancer (``clb``, 2018-03-17): listeners, which load balancers use a certificate, changing it.

State: ``clb.load_balancers`` is a list of ``{LoadBalancerId, LoadBalancerName, Region, LoadBalancerType, Forward, ProjectId,
ChargeType, Tags, LoadBalancerVips, VpcId, CreateTime, Listeners: [...]}``; each
listener has ListenerId, Protocol, Port, an optional ``Certificate: {SSLMode, CertId, CertCaId}`` and Rules
(``{LocationId, Domain, Url, Certificate}``, the rule certificate being set on SNI listeners only).  CertId and
CertCaId refer to the SSL store (``ssl``).  The read actions only see load balancers of the request's region;
``ReplaceCertForLoadBalancers`` can only be called in ap-guangzhou and replaces the certificate in every region,
as the API documentation says.

The write actions are asynchronous, as in the real API: they validate the request (and upload certificate content
to the SSL store) at once, record a task in ``clb.tasks`` whose TaskId is the call's RequestId, and change the
bindings only when the task ends.  ``DescribeTaskStatus`` answers Status 2 (running) for the first
``clb.task_running_polls`` polls, then ends the task: 0 (succeeded, the change applied) or 1 (failed, nothing
changed; a task touching a load balancer listed in ``clb.fail_tasks`` fails).  Every CLB action first ends the
tasks created at least ``clb.task_seconds`` ago, so a client that never polls still sees the change.
"""

from __future__ import annotations

import contextlib
import string
import time
import typing as t

from .. import certs
from ..core import ApiError, missing
from ..state import SeedError
from .base import ActionContext, Service, action, offset_limit, random_id, require

REPLACE_REGION = 'ap-guangzhou'

DEFAULT_REGION = 'ap-guangzhou'
MAX_CERT_IDS = 20
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_LOAD_BALANCER_IDS = 20
MAX_FILTERS = 10
MAX_FILTER_VALUES = 100
LOAD_BALANCER_TYPES = ('OPEN', 'INTERNAL')
CHARGE_TYPES = ('POSTPAID_BY_HOUR', 'PREPAID')
ORDER_FIELDS = ('LoadBalancerName', 'CreateTime', 'Domain', 'LoadBalancerType')
# DescribeLoadBalancers Filters.Name -> the values of a load balancer it matches ('tag:<key>' is handled apart)
LB_FILTERS: dict[str, t.Callable[[dict[str, t.Any]], list[str]]] = {
    'charge-type': lambda lb: [lb['ChargeType']],
    'internet-charge-type': lambda lb: ['TRAFFIC_POSTPAID_BY_HOUR'] if lb['LoadBalancerType'] == 'OPEN' else [],
    'master-zone-id': lambda lb: [],
    'tag-key': lambda lb: [tag['TagKey'] for tag in lb['Tags']],
    'function-name': lambda lb: [],
    'vip-isp': lambda lb: ['BGP' if lb['LoadBalancerType'] == 'OPEN' else 'INTERNAL'],
    'sla-type': lambda lb: ['shared'],
    'exclusive': lambda lb: ['0'],
}
SSL_MODES = ('UNIDIRECTIONAL', 'MUTUAL')
ID_ALPHABET = string.ascii_lowercase + string.digits
CERTIFICATE_PROTOCOLS = ('HTTPS', 'TCP_SSL', 'QUIC')

TASK_SUCCEEDED, TASK_FAILED, TASK_RUNNING = 0, 1, 2  # DescribeTaskStatus Status values
DEFAULT_TASK_RUNNING_POLLS = 2
DEFAULT_TASK_SECONDS = 3.0


def _invalid(message: str) -> ApiError:
    return ApiError('InvalidParameter', message)


def _bindings(load_balancer: dict[str, t.Any]) -> t.Iterator[tuple[str, dict[str, t.Any]]]:
    """Yield ``(resource name, certificate dict)`` for every listener and rule certificate of a load balancer."""
    for listener in load_balancer['Listeners']:
        if listener.get('Certificate'):
            yield '%s/%s' % (load_balancer['LoadBalancerId'], listener['ListenerId']), listener['Certificate']
        for rule in listener['Rules']:
            if rule.get('Certificate'):
                yield '%s/%s/%s' % (load_balancer['LoadBalancerId'], listener['ListenerId'], rule['LocationId']), rule['Certificate']


def _targets(load_balancer: dict[str, t.Any]) -> t.Iterator[tuple[dict[str, str], dict[str, t.Any]]]:
    """Yield ``({LoadBalancerId, ListenerId, LocationId ('' for the listener)}, certificate dict)`` for every binding."""
    for listener in load_balancer['Listeners']:
        where = {'LoadBalancerId': load_balancer['LoadBalancerId'], 'ListenerId': listener['ListenerId']}
        if listener.get('Certificate'):
            yield dict(where, LocationId=''), listener['Certificate']
        for rule in listener['Rules']:
            if rule.get('Certificate'):
                yield dict(where, LocationId=rule['LocationId']), rule['Certificate']


def _sni_on(listener: dict[str, t.Any]) -> bool:
    """Whether a listener has SNI enabled (its certificates are per rule)."""
    return any(rule.get('Certificate') for rule in listener['Rules'])


def _running_polls(section: dict[str, t.Any]) -> int:
    return int(section.get('task_running_polls', DEFAULT_TASK_RUNNING_POLLS))


def _seed_tasks(section: dict[str, t.Any]) -> None:
    """Defaults and checks of the task settings (``task_running_polls``, ``task_seconds``, ``fail_tasks``)."""
    polls = section.setdefault('task_running_polls', DEFAULT_TASK_RUNNING_POLLS)
    if not isinstance(polls, int) or isinstance(polls, bool) or polls < 0:
        raise SeedError('clb.task_running_polls must be an integer >= 0, not %r' % (polls,))
    seconds = section.setdefault('task_seconds', DEFAULT_TASK_SECONDS)
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        raise SeedError('clb.task_seconds must be a number >= 0, not %r' % (seconds,))
    section['task_seconds'] = float(seconds)
    fail = section.setdefault('fail_tasks', [])
    if not isinstance(fail, list) or not all(isinstance(item, str) for item in fail):
        raise SeedError('clb.fail_tasks must be a list of load balancer ids')
    if not isinstance(section.setdefault('tasks', []), list):
        raise SeedError('clb.tasks must be a list')


def _seed_certificate(where: str, certificate: dict[str, t.Any], store: dict[str, t.Any]) -> None:
    certificate.setdefault('SSLMode', 'UNIDIRECTIONAL')
    certificate.setdefault('CertCaId', '')
    if certificate['SSLMode'] not in SSL_MODES:
        raise SeedError('%s.SSLMode must be one of %s' % (where, ', '.join(SSL_MODES)))
    if certificate.get('CertId') not in store:
        raise SeedError('%s: CertId %r is not in ssl.certificates' % (where, certificate.get('CertId')))
    if not store[certificate['CertId']].get('CertificatePublicKey'):
        raise SeedError('%s: CertId %r has no certificate issued yet (no CertificatePublicKey)' % (where, certificate['CertId']))
    if certificate['SSLMode'] == 'MUTUAL' and certificate['CertCaId'] not in store:
        raise SeedError('%s: MUTUAL needs a CertCaId from ssl.certificates, not %r' % (where, certificate['CertCaId']))


class ClbService(Service):
    """Cloud Load Balancer certificate bindings."""

    name = 'clb'
    version = '2018-03-17'
    models = 'tencentcloud.clb.v20180317.models'
    regional = True

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        store = {record['CertificateId']: record for record in doc.get('ssl', {}).get('certificates', [])}
        now = certs.beijing_time(certs.utcnow())
        section = doc.setdefault(cls.name, {})
        _seed_tasks(section)
        for b_index, load_balancer in enumerate(section.setdefault('load_balancers', [])):
            where = 'clb.load_balancers[%d]' % b_index
            load_balancer.setdefault('LoadBalancerId', 'lb-' + random_id(8, ID_ALPHABET))
            load_balancer.setdefault('LoadBalancerName', load_balancer['LoadBalancerId'])
            load_balancer.setdefault('Region', DEFAULT_REGION)
            for key, default, allowed in (('LoadBalancerType', 'OPEN', LOAD_BALANCER_TYPES), ('ChargeType', 'POSTPAID_BY_HOUR', CHARGE_TYPES)):
                load_balancer.setdefault(key, default)
                if load_balancer[key] not in allowed:
                    raise SeedError('%s.%s must be one of %s' % (where, key, ', '.join(allowed)))
            vip_prefix = '203.0.113' if load_balancer['LoadBalancerType'] == 'OPEN' else '10.0.0'
            load_balancer.setdefault('LoadBalancerVips', ['%s.%d' % (vip_prefix, 10 + b_index % 200)])
            load_balancer.setdefault('VpcId', 'vpc-' + random_id(8, ID_ALPHABET))
            load_balancer.setdefault('CreateTime', now)
            load_balancer['Forward'] = int(load_balancer.get('Forward', 1))
            load_balancer['ProjectId'] = int(load_balancer.get('ProjectId', 0))
            load_balancer.setdefault('Tags', [])
            if not isinstance(load_balancer['Tags'], list) or not all(isinstance(tag, dict) and tag.get('TagKey') for tag in load_balancer['Tags']):
                raise SeedError('%s.Tags must be a list of {TagKey, TagValue}' % where)
            for l_index, listener in enumerate(load_balancer.setdefault('Listeners', [])):
                here = '%s.Listeners[%d]' % (where, l_index)
                listener.setdefault('ListenerId', 'lbl-' + random_id(8, ID_ALPHABET))
                listener.setdefault('Protocol', 'HTTPS')
                listener.setdefault('Port', 443)
                if listener.get('Certificate'):
                    _seed_certificate(here + '.Certificate', listener['Certificate'], store)
                for r_index, rule in enumerate(listener.setdefault('Rules', [])):
                    rule.setdefault('LocationId', 'loc-' + random_id(8, ID_ALPHABET))
                    rule.setdefault('Domain', '')
                    rule.setdefault('Url', '/')
                    if rule.get('Certificate'):
                        _seed_certificate('%s.Rules[%d].Certificate' % (here, r_index), rule['Certificate'], store)

    def certificate_references(self) -> dict[str, list[str]]:
        references: dict[str, list[str]] = {}
        for load_balancer in self.data.get('load_balancers', []):
            for resource, certificate in _bindings(load_balancer):
                for certificate_id in {certificate.get('CertId'), certificate.get('CertCaId')} - {None, ''}:
                    references.setdefault(certificate_id, []).append('clb:%s' % resource)
        return references

    # --- helpers ---------------------------------------------------------------------------------

    def _regional(self, ctx: ActionContext) -> list[dict[str, t.Any]]:
        return [load_balancer for load_balancer in self.data.get('load_balancers', []) if load_balancer['Region'] == ctx.region]

    @staticmethod
    def _describe(load_balancer: dict[str, t.Any], target_count: bool = True) -> dict[str, t.Any]:
        """A LoadBalancer; TargetCount only when asked for (DescribeLoadBalancers AdditionalFields)."""
        vpc = load_balancer['VpcId']
        public = load_balancer.get('LoadBalancerType', 'OPEN') == 'OPEN'
        output = {
            'LoadBalancerId': load_balancer['LoadBalancerId'],
            'LoadBalancerName': load_balancer['LoadBalancerName'],
            'LoadBalancerType': load_balancer.get('LoadBalancerType', 'OPEN'),
            'Forward': load_balancer.get('Forward', 1),
            'Domain': '',
            'LoadBalancerVips': list(load_balancer['LoadBalancerVips']),
            'Status': 1,
            'CreateTime': load_balancer['CreateTime'],
            'StatusTime': load_balancer['CreateTime'],
            'ProjectId': load_balancer.get('ProjectId', 0),
            'VpcId': vpc,
            'OpenBgp': 0,
            'Snat': False,
            'Isolation': 0,
            'SubnetId': '' if public else 'subnet-' + vpc[4:],
            'Tags': [{'TagKey': tag['TagKey'], 'TagValue': tag.get('TagValue', '')} for tag in load_balancer.get('Tags', [])],
            'SecureGroups': [],
            'AnycastZone': '',
            'AddressIPVersion': 'ipv4',
            'NumericalVpcId': sum(ord(char) for char in vpc) * 97 % 1000000,
            'VipIsp': 'BGP' if public else 'INTERNAL',
            'IsolatedTime': '',
            'ExpireTime': '',
            'ChargeType': load_balancer.get('ChargeType', 'POSTPAID_BY_HOUR'),
            'AddressIPv6': '',
            'IsDDos': False,
            'ConfigId': '',
            'LoadBalancerPassToTarget': True,
            'IPv6Mode': '',
            'SnatPro': False,
            'SnatIps': [],
            'SlaType': 'shared',
            'IsBlock': False,
            'IsBlockTime': '',
            'LocalBgp': False,
            'MixIpTarget': False,
            'AttributeFlags': [],
            'LoadBalancerDomain': '%s.clb.%s.tencentclb.com' % (load_balancer['LoadBalancerId'], load_balancer['Region']),
            'Egress': '',
            'Exclusive': 0,
        }
        if public:
            output['NetworkAttributes'] = {'InternetChargeType': 'TRAFFIC_POSTPAID_BY_HOUR', 'InternetMaxBandwidthOut': 10}
        if target_count:
            output['TargetCount'] = 0
        return output

    def _upload(self, ctx: ActionContext, content: t.Any, key: t.Any, name: t.Any, certificate_type: str) -> str:
        """Create an SSL store certificate from uploaded content (as the real API does) and return its id."""
        params = {'CertificatePublicKey': content, 'CertificateType': certificate_type, 'Alias': name or ''}
        if certificate_type == 'SVR':
            params['CertificatePrivateKey'] = key
        try:
            return self.peers['ssl'].upload_certificate(ctx, params)['CertificateId']
        except ApiError as error:
            raise ApiError('InvalidParameter.FormatError', 'The uploaded certificate is invalid: %s' % error.message) from error

    def _existing(self, certificate_id: str, certificate_type: str, name: str) -> str:
        record = self.peers['ssl'].get(certificate_id)
        if record is None:
            raise _invalid('%s: the certificate `%s` does not exist.' % (name, certificate_id))
        if record.get('CertificateType', 'SVR') != certificate_type:
            raise _invalid('%s: the certificate `%s` is of type %s, expected %s.' % (name, certificate_id, record.get('CertificateType'), certificate_type))
        problem = self.peers['ssl'].binding_problem(record, certificate_type)  # not issued, or (SVR) no private key held
        if problem:
            raise _invalid('%s: %s' % (name, problem))
        return certificate_id

    def _new_ca(self, ctx: ActionContext, new: dict[str, t.Any]) -> str:
        if new.get('CertCaId'):
            return self._existing(new['CertCaId'], 'CA', 'CertCaId')
        if new.get('CertCaContent'):
            return self._upload(ctx, new['CertCaContent'], None, new.get('CertCaName'), 'CA')
        raise _invalid('Certificate.CertCaId or Certificate.CertCaContent is required for a client (CA) certificate.')

    @staticmethod
    def _certificate_output(certificate: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
        if not certificate:
            return None
        output = {'SSLMode': certificate['SSLMode'], 'CertId': certificate['CertId'], 'ExtCertIds': []}
        if certificate['SSLMode'] == 'MUTUAL':
            output.update({'CertCaId': certificate['CertCaId'], 'SSLVerifyClient': 'ON'})
        return output

    def _listener_output(self, load_balancer: dict[str, t.Any], listener: dict[str, t.Any]) -> dict[str, t.Any]:
        created = load_balancer['CreateTime']
        return {
            'ListenerId': listener['ListenerId'],
            'ListenerName': listener.get('ListenerName', ''),
            'Protocol': listener['Protocol'],
            'Port': listener['Port'],
            'Certificate': self._certificate_output(listener.get('Certificate')),
            'Scheduler': 'WRR',
            'SessionExpireTime': 0,
            'SniSwitch': 1 if _sni_on(listener) else 0,
            'Rules': [{
                'LocationId': rule['LocationId'],
                'Domain': rule['Domain'],
                'Domains': [rule['Domain']] if rule['Domain'] else [],
                'Url': rule['Url'],
                'SessionExpireTime': 0,
                'Certificate': self._certificate_output(rule.get('Certificate')),
                'Scheduler': 'WRR',
                'ListenerId': listener['ListenerId'],
                'HttpGzip': True,
                'BeAutoCreated': False,
                'DefaultServer': False,
                'Http2': True,
                'ForwardType': 'HTTP',
                'CreateTime': created,
                'TargetType': 'NODE',
                'QuicStatus': 'QUIC_INACTIVE',
            } for rule in listener['Rules']],
            'CreateTime': created,
            'EndPort': 0,
            'TargetType': 'NODE',
            'SessionType': 'NORMAL',
            'KeepaliveEnable': 0,
            'Toa': False,
            'DeregisterTargetRst': False,
            'AttrFlags': [],
            'MaxConn': -1,
            'MaxCps': -1,
            'IdleConnectTimeout': 60,
        }

    # --- actions ---------------------------------------------------------------------------------

    @action('DescribeListeners')
    def describe_listeners(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The listeners of one load balancer of this region, with their (and their SNI rules') certificates."""
        load_balancer_id = params.get('LoadBalancerId')
        if not load_balancer_id:
            raise missing('LoadBalancerId')
        load_balancer = next((item for item in self._regional(ctx) if item['LoadBalancerId'] == load_balancer_id), None)
        if load_balancer is None:
            raise ApiError('InvalidParameter.LBIdNotFound', 'The load balancer `%s` does not exist in region %s.' % (load_balancer_id, ctx.region))
        listeners = [listener for listener in load_balancer['Listeners']
                     if (not params.get('ListenerIds') or listener['ListenerId'] in params['ListenerIds'])
                     and (not params.get('Protocol') or listener['Protocol'] == params['Protocol'])
                     and (params.get('Port') is None or listener['Port'] == params['Port'])]
        return {'Listeners': [self._listener_output(load_balancer, listener) for listener in listeners], 'TotalCount': len(listeners)}

    @staticmethod
    def _lb_filter(item: dict[str, t.Any]) -> t.Callable[[dict[str, t.Any]], bool]:
        """One DescribeLoadBalancers Filter (any of its values matches)."""
        name, values = item.get('Name'), [str(value) for value in item.get('Values') or []]
        if not name or not values:
            raise ApiError('InvalidParameterValue.InvalidFilter', 'Filter.Name and Filter.Values are both required.')
        if len(values) > MAX_FILTER_VALUES:
            raise ApiError('InvalidParameterValue.Length', 'The filter `%s` has %d values; at most %d are allowed.' % (name, len(values), MAX_FILTER_VALUES))
        if name.startswith('tag:'):
            key = name[len('tag:'):]
            return lambda lb: any(tag['TagKey'] == key and tag.get('TagValue', '') in values for tag in lb['Tags'])
        field = LB_FILTERS.get(name)
        if field is None:
            raise ApiError('InvalidParameterValue.InvalidFilter',
                           'The filter `%s` is not supported; use one of %s or tag:<key>.' % (name, ', '.join(LB_FILTERS)))
        return lambda lb: any(value in values for value in field(lb))

    def _lb_selection(self, ctx: ActionContext, params: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """The load balancers of this region DescribeLoadBalancers selects, in the requested order."""
        ids = params.get('LoadBalancerIds') or []
        if len(ids) > MAX_LOAD_BALANCER_IDS:
            raise ApiError('InvalidParameterValue.Length', 'LoadBalancerIds has %d items; at most %d are allowed.' % (len(ids), MAX_LOAD_BALANCER_IDS))
        filters = params.get('Filters') or []
        if len(filters) > MAX_FILTERS:
            raise ApiError('InvalidParameterValue.Length', 'Filters has %d items; at most %d are allowed.' % (len(filters), MAX_FILTERS))
        if params.get('LoadBalancerType') not in (None, '', *LOAD_BALANCER_TYPES):
            raise ApiError('InvalidParameterValue', 'LoadBalancerType must be OPEN or INTERNAL.')
        if params.get('WithRs') not in (None, -1, 0, 1):
            raise ApiError('InvalidParameterValue.Range', 'WithRs must be -1, 0 or 1.')
        order_by = params.get('OrderBy') or 'CreateTime'
        if order_by not in ORDER_FIELDS:
            raise ApiError('InvalidParameterValue', 'OrderBy must be one of %s.' % ', '.join(ORDER_FIELDS))
        order_type = params.get('OrderType')
        order_type = 1 if order_type is None else order_type
        if order_type not in (0, 1):
            raise ApiError('InvalidParameterValue.Range', 'OrderType must be 0 (ascending) or 1 (descending).')
        tests = [self._lb_filter(item) for item in filters]
        search = (params.get('SearchKey') or '').lower()
        name = params.get('LoadBalancerName') or ''
        domain = params.get('Domain') or ''
        checks: list[t.Callable[[dict[str, t.Any]], bool]] = [
            lambda lb: not ids or lb['LoadBalancerId'] in ids,
            lambda lb: params.get('LoadBalancerType') in (None, '') or lb['LoadBalancerType'] == params['LoadBalancerType'],
            lambda lb: params.get('Forward') is None or lb['Forward'] == params['Forward'],
            lambda lb: name in lb['LoadBalancerName'],
            lambda lb: domain in self._describe(lb)['LoadBalancerDomain'],
            lambda lb: not params.get('LoadBalancerVips') or bool(set(params['LoadBalancerVips']) & set(lb['LoadBalancerVips'])),
            lambda lb: not params.get('BackendPublicIps') and not params.get('BackendPrivateIps'),  # no backends are emulated
            lambda lb: params.get('ProjectId') is None or lb['ProjectId'] == params['ProjectId'],
            lambda lb: params.get('WithRs') != 1,
            lambda lb: not params.get('VpcId') or lb['VpcId'] == params['VpcId'],
            lambda lb: not params.get('SecurityGroup') and not params.get('MasterZone'),  # neither is emulated
            lambda lb: not search or any(search in value.lower() for value in [lb['LoadBalancerId'], lb['LoadBalancerName'],
                                                                               self._describe(lb)['LoadBalancerDomain']] + lb['LoadBalancerVips']),
        ]
        selected = [lb for lb in self._regional(ctx) if all(check(lb) for check in checks) and all(test(lb) for test in tests)]
        sort_key = {'Domain': lambda lb: self._describe(lb)['LoadBalancerDomain']}.get(order_by, lambda lb: lb[order_by])
        selected.sort(key=sort_key, reverse=order_type == 1)  # stable: ties keep seed order
        return selected

    @action('DescribeLoadBalancers')
    def describe_load_balancers(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The load balancers of this region, newest first by default (Limit default 20, at most 100)."""
        offset, limit = offset_limit(params, DEFAULT_LIMIT, MAX_LIMIT, lambda message: ApiError('InvalidParameterValue.Range', message))
        selected = self._lb_selection(ctx, params)
        with_targets = 'TargetCount' in (params.get('AdditionalFields') or [])
        return {'TotalCount': len(selected),
                'LoadBalancerSet': [self._describe(lb, target_count=with_targets) for lb in selected[offset:offset + limit]]}

    @action('DescribeLoadBalancerListByCertId')
    def describe_load_balancer_list_by_cert_id(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """For each certificate id, the load balancers of this region that use it (server or CA certificate)."""
        cert_ids = params.get('CertIds')
        if not cert_ids:
            raise missing('CertIds')
        if len(cert_ids) > MAX_CERT_IDS:
            raise ApiError('InvalidParameterValue.Length', 'CertIds has %d items; at most %d are allowed.' % (len(cert_ids), MAX_CERT_IDS))
        cert_set = []
        for certificate_id in dict.fromkeys(cert_ids):
            users = [load_balancer for load_balancer in self._regional(ctx)
                     if any(certificate_id in (cert.get('CertId'), cert.get('CertCaId')) for _resource, cert in _bindings(load_balancer))]
            cert_set.append({'CertId': certificate_id, 'LoadBalancers': [self._describe(load_balancer) for load_balancer in users]})
        return {'CertSet': cert_set}

    @action('ReplaceCertForLoadBalancers', write=True)
    def replace_cert_for_load_balancers(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Start a task replacing a server or client CA certificate on every listener and rule (of every region) using it.

        For a server certificate the new SSLMode defaults to UNIDIRECTIONAL, which drops mutual TLS (and its CA)
        unless the caller repeats ``SSLMode=MUTUAL`` and a CA, exactly like the real API.  The request is
        validated (and content uploaded to the SSL store) at once; the bindings change when the task ends.
        """
        if ctx.region != REPLACE_REGION:
            raise ApiError('UnsupportedRegion', 'ReplaceCertForLoadBalancers can only be called in region %s.' % REPLACE_REGION)
        old_id, new = require(params, 'OldCertificateId', 'Certificate')
        old = self.peers['ssl'].get(old_id)
        if old is None:
            raise _invalid('OldCertificateId: the certificate `%s` does not exist.' % old_id)
        field = 'CertCaId' if old.get('CertificateType', 'SVR') == 'CA' else 'CertId'
        with self._undo_uploads():
            if field == 'CertCaId':
                update = {'CertCaId': self._new_ca(ctx, new)}
            else:
                update = self._server_certificate(ctx, new)
        changes, load_balancer_ids = [], []
        for load_balancer in self.data.get('load_balancers', []):
            for target, certificate in _targets(load_balancer):
                if certificate.get(field) == old_id:
                    changes.append(dict(target, Match={field: old_id}, Set=dict(update)))
                    if load_balancer['LoadBalancerId'] not in load_balancer_ids:
                        load_balancer_ids.append(load_balancer['LoadBalancerId'])
        self._start_task(ctx, load_balancer_ids, changes)
        return {}

    @action('ModifyListener', write=True)
    def modify_listener(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Start a task setting the certificate of one listener without SNI (other listener attributes are ignored).

        The new ``Certificate`` replaces the listener's whole certificate setting: SSLMode defaults to
        UNIDIRECTIONAL (mutual TLS off) as in ReplaceCertForLoadBalancers.
        """
        load_balancer, listener = self._listener(ctx, params)
        changes = []
        new = self._certificate_param(params)
        if new is not None:
            self._require_https(listener)
            if _sni_on(listener):
                raise _invalid('The listener `%s` has SNI enabled; set the certificate on the domain (ModifyDomainAttributes).' % listener['ListenerId'])
            with self._undo_uploads():
                update = self._server_certificate(ctx, new)
            changes.append({'LoadBalancerId': load_balancer['LoadBalancerId'], 'ListenerId': listener['ListenerId'], 'LocationId': '',
                            'Match': {}, 'Set': update})
        self._start_task(ctx, [load_balancer['LoadBalancerId']], changes)
        return {}

    @action('ModifyDomainAttributes', write=True)
    def modify_domain_attributes(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Start a task setting the certificate of one domain (its rules) of an SNI listener; other attributes are ignored."""
        load_balancer, listener = self._listener(ctx, params)
        domain = params.get('Domain')
        if not domain:
            raise missing('Domain')
        new = self._certificate_param(params)
        if new is not None:
            self._require_https(listener)
            if not _sni_on(listener):
                raise _invalid('The listener `%s` does not have SNI enabled; set the certificate on the listener (ModifyListener).' % listener['ListenerId'])
        rules = [rule for rule in listener['Rules'] if str(rule['Domain']).lower() == str(domain).lower()]
        if not rules:
            raise ApiError('InvalidParameter.LocationNotFound', 'The listener `%s` has no rule for the domain `%s`.' % (listener['ListenerId'], domain))
        changes = []
        if new is not None:
            with self._undo_uploads():
                update = self._server_certificate(ctx, new)
            changes = [{'LoadBalancerId': load_balancer['LoadBalancerId'], 'ListenerId': listener['ListenerId'], 'LocationId': rule['LocationId'],
                        'Match': {}, 'Set': update} for rule in rules]
        self._start_task(ctx, [load_balancer['LoadBalancerId']], changes)
        return {}

    @action('DescribeTaskStatus')
    def describe_task_status(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The state of an asynchronous task (TaskId = the RequestId of the write); polling a running task advances it."""
        task_id = params.get('TaskId')
        if not task_id:
            if params.get('DealName'):
                raise _invalid('DealName: the order `%s` does not exist.' % params['DealName'])
            raise missing('TaskId')
        task = next((item for item in self._tasks() if item['TaskId'] == task_id and item['Region'] == ctx.region), None)
        if task is None:
            raise _invalid('TaskId: the task `%s` does not exist in region %s.' % (task_id, ctx.region))
        if task['Status'] == TASK_RUNNING:
            task['Polls'] += 1
            if task['Polls'] > _running_polls(self.data):
                self._end_task(task)
        return {'Status': task['Status'], 'LoadBalancerIds': list(task['LoadBalancerIds']), 'Message': task['Message']}

    # --- asynchronous tasks ----------------------------------------------------------------------

    def handle(self, action_name: str, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """End the tasks older than ``clb.task_seconds``, then run the action."""
        self.settle()
        return super().handle(action_name, ctx, params)

    def _tasks(self) -> list[dict[str, t.Any]]:
        return self.data.setdefault('tasks', [])

    def settle(self, now: float | None = None) -> None:
        """End every running task created at least ``clb.task_seconds`` ago (oldest first)."""
        now = time.time() if now is None else now
        limit = float(self.data.get('task_seconds', DEFAULT_TASK_SECONDS))
        for task in self._tasks():
            if task['Status'] == TASK_RUNNING and now - task['CreatedAt'] >= limit:
                self._end_task(task)

    def _start_task(self, ctx: ActionContext, load_balancer_ids: list[str], changes: list[dict[str, t.Any]]) -> None:
        """Record a running task whose TaskId is the RequestId of this call (JSON-serialisable, no certificate content)."""
        self._tasks().append({
            'TaskId': ctx.call.request_id,
            'Action': ctx.call.action,
            'Region': ctx.region,
            'LoadBalancerIds': list(load_balancer_ids),
            'CreatedAt': time.time(),
            'Polls': 0,
            'Status': TASK_RUNNING,
            'Message': '',
            'Changes': changes,
        })

    def _end_task(self, task: dict[str, t.Any]) -> None:
        """Fail the task (nothing changes) if it touches a ``clb.fail_tasks`` load balancer or a vanished certificate, else apply it."""
        failing = [load_balancer_id for load_balancer_id in task['LoadBalancerIds'] if load_balancer_id in (self.data.get('fail_tasks') or [])]
        if failing:
            task.update(Status=TASK_FAILED, Message='The load balancer%s %s %s being modified by another operation; nothing was changed.' % (
                's' if len(failing) > 1 else '', ', '.join(failing), 'are' if len(failing) > 1 else 'is'))
            return
        store = self.peers['ssl']
        for change in task['Changes']:
            for certificate_id in (change['Set'].get('CertId'), change['Set'].get('CertCaId')):
                if certificate_id and store.get(certificate_id) is None:
                    task.update(Status=TASK_FAILED, Message='The certificate %s no longer exists; nothing was changed.' % certificate_id)
                    return
        for change in task['Changes']:
            container = self._container(change)
            if container is None:
                continue
            certificate = container.get('Certificate')
            if any((certificate or {}).get(key) != value for key, value in change['Match'].items()):
                continue
            if certificate:
                certificate.update(change['Set'])
            else:
                container['Certificate'] = {'SSLMode': 'UNIDIRECTIONAL', 'CertCaId': '', **change['Set']}
        task.update(Status=TASK_SUCCEEDED, Message='')

    def _container(self, change: dict[str, t.Any]) -> dict[str, t.Any] | None:
        """The listener (LocationId '') or rule a change is about, or None when it no longer exists."""
        for load_balancer in self.data.get('load_balancers', []):
            if load_balancer['LoadBalancerId'] != change['LoadBalancerId']:
                continue
            for listener in load_balancer['Listeners']:
                if listener['ListenerId'] != change['ListenerId']:
                    continue
                if not change['LocationId']:
                    return listener
                return next((rule for rule in listener['Rules'] if rule['LocationId'] == change['LocationId']), None)
        return None

    # --- write helpers -----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _undo_uploads(self) -> t.Iterator[None]:
        """Remove the SSL-store certificates uploaded in the block when it raises an API error."""
        records = self.peers['ssl'].records
        saved = list(records)
        try:
            yield
        except ApiError:
            records[:] = saved
            raise

    def _server_certificate(self, ctx: ActionContext, new: dict[str, t.Any]) -> dict[str, t.Any]:
        """The ``{SSLMode, CertId, CertCaId}`` a CertificateInput with a server certificate asks for (uploading content)."""
        ssl_mode = new.get('SSLMode') or 'UNIDIRECTIONAL'
        if ssl_mode not in SSL_MODES:
            raise _invalid('Certificate.SSLMode must be one of %s.' % ', '.join(SSL_MODES))
        if new.get('CertId'):
            server_id = self._existing(new['CertId'], 'SVR', 'CertId')
        elif new.get('CertContent') and new.get('CertKey'):
            server_id = self._upload(ctx, new['CertContent'], new['CertKey'], new.get('CertName'), 'SVR')
        else:
            raise _invalid('Certificate.CertId, or Certificate.CertContent and Certificate.CertKey, are required.')
        ca_id = self._new_ca(ctx, new) if ssl_mode == 'MUTUAL' else ''
        return {'SSLMode': ssl_mode, 'CertId': server_id, 'CertCaId': ca_id}

    @staticmethod
    def _certificate_param(params: dict[str, t.Any]) -> dict[str, t.Any] | None:
        """The ``Certificate`` parameter of ModifyListener/ModifyDomainAttributes (None when absent)."""
        if params.get('MultiCertInfo'):
            if params.get('Certificate'):
                raise _invalid('Certificate and MultiCertInfo cannot be passed together.')
            raise ApiError('UnsupportedOperation', 'The sandbox does not emulate MultiCertInfo; pass Certificate.')
        return params.get('Certificate') or None

    def _listener(self, ctx: ActionContext, params: dict[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
        """The load balancer (of this region) and listener named by LoadBalancerId and ListenerId."""
        load_balancer_id, listener_id = require(params, 'LoadBalancerId', 'ListenerId')
        load_balancer = next((item for item in self._regional(ctx) if item['LoadBalancerId'] == load_balancer_id), None)
        if load_balancer is None:
            raise ApiError('InvalidParameter.LBIdNotFound', 'The load balancer `%s` does not exist in region %s.' % (load_balancer_id, ctx.region))
        listener = next((item for item in load_balancer['Listeners'] if item['ListenerId'] == listener_id), None)
        if listener is None:
            raise ApiError('InvalidParameter.ListenerIdNotFound', 'The load balancer `%s` has no listener `%s`.' % (load_balancer_id, listener_id))
        return load_balancer, listener

    @staticmethod
    def _require_https(listener: dict[str, t.Any]) -> None:
        if listener['Protocol'] not in CERTIFICATE_PROTOCOLS:
            raise ApiError('InvalidParameter.ProtocolCheckFailed', 'The listener `%s` uses %s; certificates are only for %s listeners.' % (
                listener['ListenerId'], listener['Protocol'], '/'.join(CERTIFICATE_PROTOCOLS)))
