# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud Load Balancer (``clb``, 2018-03-17): listeners, which load balancers use a certificate, replacing it.

State: ``clb.load_balancers`` is a list of ``{LoadBalancerId, LoadBalancerName, Region, Listeners: [...]}``; each
listener has ListenerId, Protocol, Port, an optional ``Certificate: {SSLMode, CertId, CertCaId}`` and Rules
(``{LocationId, Domain, Url, Certificate}``, the rule certificate being set on SNI listeners only).  CertId and
CertCaId refer to the SSL store (``ssl``).  The read actions only see load balancers of the request's region;
``ReplaceCertForLoadBalancers`` can only be called in ap-guangzhou and replaces the certificate in every region,
as the API documentation says.
"""

from __future__ import annotations

import string
import typing as t

from .. import certs
from ..core import ApiError, missing
from ..state import SeedError
from .base import ActionContext, Service, action, random_id

REPLACE_REGION = 'ap-guangzhou'

DEFAULT_REGION = 'ap-guangzhou'
MAX_CERT_IDS = 20
SSL_MODES = ('UNIDIRECTIONAL', 'MUTUAL')
ID_ALPHABET = string.ascii_lowercase + string.digits


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


def _seed_certificate(where: str, certificate: dict[str, t.Any], store: dict[str, t.Any]) -> None:
    certificate.setdefault('SSLMode', 'UNIDIRECTIONAL')
    certificate.setdefault('CertCaId', '')
    if certificate['SSLMode'] not in SSL_MODES:
        raise SeedError('%s.SSLMode must be one of %s' % (where, ', '.join(SSL_MODES)))
    if certificate.get('CertId') not in store:
        raise SeedError('%s: CertId %r is not in ssl.certificates' % (where, certificate.get('CertId')))
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
        for b_index, load_balancer in enumerate(doc.setdefault(cls.name, {}).setdefault('load_balancers', [])):
            where = 'clb.load_balancers[%d]' % b_index
            load_balancer.setdefault('LoadBalancerId', 'lb-' + random_id(8, ID_ALPHABET))
            load_balancer.setdefault('LoadBalancerName', load_balancer['LoadBalancerId'])
            load_balancer.setdefault('Region', DEFAULT_REGION)
            load_balancer.setdefault('LoadBalancerVips', ['203.0.113.%d' % (10 + b_index % 200)])
            load_balancer.setdefault('VpcId', 'vpc-' + random_id(8, ID_ALPHABET))
            load_balancer.setdefault('CreateTime', now)
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
    def _describe(load_balancer: dict[str, t.Any]) -> dict[str, t.Any]:
        vpc = load_balancer['VpcId']
        return {
            'LoadBalancerId': load_balancer['LoadBalancerId'],
            'LoadBalancerName': load_balancer['LoadBalancerName'],
            'LoadBalancerType': 'OPEN',
            'Forward': 1,
            'Domain': '',
            'LoadBalancerVips': list(load_balancer['LoadBalancerVips']),
            'Status': 1,
            'CreateTime': load_balancer['CreateTime'],
            'StatusTime': load_balancer['CreateTime'],
            'ProjectId': 0,
            'VpcId': vpc,
            'OpenBgp': 0,
            'Snat': False,
            'Isolation': 0,
            'SubnetId': '',
            'Tags': [],
            'SecureGroups': [],
            'AnycastZone': '',
            'AddressIPVersion': 'ipv4',
            'NumericalVpcId': sum(ord(char) for char in vpc) * 97 % 1000000,
            'VipIsp': 'BGP',
            'IsolatedTime': '',
            'ExpireTime': '',
            'ChargeType': 'POSTPAID_BY_HOUR',
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
            'TargetCount': 0,
        }

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
        if certificate_type == 'SVR' and not record.get('CertificatePrivateKey'):
            raise _invalid('%s: the certificate `%s` has no private key.' % (name, certificate_id))
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
            'SniSwitch': 1 if any(rule.get('Certificate') for rule in listener['Rules']) else 0,
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
        """Replace a server or client CA certificate on every listener and rule (of every region) that uses it.

        For a server certificate the new SSLMode defaults to UNIDIRECTIONAL, which drops mutual TLS (and its CA)
        unless the caller repeats ``SSLMode=MUTUAL`` and a CA, exactly like the real API.
        """
        if ctx.region != REPLACE_REGION:
            raise ApiError('UnsupportedRegion', 'ReplaceCertForLoadBalancers can only be called in region %s.' % REPLACE_REGION)
        old_id = params.get('OldCertificateId')
        if not old_id:
            raise missing('OldCertificateId')
        new = params.get('Certificate')
        if not new:
            raise missing('Certificate')
        old = self.peers['ssl'].get(old_id)
        if old is None:
            raise _invalid('OldCertificateId: the certificate `%s` does not exist.' % old_id)
        ssl_records = self.peers['ssl'].records
        saved = list(ssl_records)
        try:
            if old.get('CertificateType', 'SVR') == 'CA':
                self._replace_ca(ctx, old_id, new)
            else:
                self._replace_server(ctx, old_id, new)
        except ApiError:
            ssl_records[:] = saved  # undo uploads
            raise
        return {}

    def _replace_server(self, ctx: ActionContext, old_id: str, new: dict[str, t.Any]) -> None:
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
        for load_balancer in self.data.get('load_balancers', []):
            for _resource, certificate in _bindings(load_balancer):
                if certificate.get('CertId') == old_id:
                    certificate.update({'CertId': server_id, 'SSLMode': ssl_mode, 'CertCaId': ca_id})

    def _replace_ca(self, ctx: ActionContext, old_id: str, new: dict[str, t.Any]) -> None:
        ca_id = self._new_ca(ctx, new)
        for load_balancer in self.data.get('load_balancers', []):
            for _resource, certificate in _bindings(load_balancer):
                if certificate.get('CertCaId') == old_id:
                    certificate['CertCaId'] = ca_id
