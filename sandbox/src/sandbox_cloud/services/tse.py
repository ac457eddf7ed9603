# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud TSE (``tse``, 2020-12-07): certificates of cloud-native API gateways (Kong).

State: ``tse.gateways`` is a list of ``{GatewayId, Region, Name, Status, Type, GatewayVersion, FeatureVersion,
Description, CreateTime, VpcId, SubnetId, Tags, Certificates: [...]}``; each certificate has Id, Name,
BindDomains, CertSource (``ssl`` or ``native``), CertId (for ``ssl``), Crt, Key and CreateTime.
The gateway always holds the PEM it serves in ``Crt``: for ``ssl`` certificates it is copied from the
SSL store when bound.
"""

from __future__ import annotations

import hashlib
import math
import string
import typing as t
import uuid

from .. import certs
from ..core import ApiError, missing
from ..state import SeedError
from .base import ActionContext, Service, action, offset_limit, random_id

DEFAULT_REGION = 'ap-guangzhou'
DEFAULT_LIMIT = 20
MAX_GATEWAY_LIMIT = 100
CERT_SOURCES = ('ssl', 'native')
FILTER_KEYS = ('BindDomain', 'Name')
GATEWAY_FILTERS = ('Name', 'GatewayId', 'Tag')
GATEWAY_STATUSES = ('Creating', 'CreateFailed', 'Running', 'Modifying', 'Deleting', 'DeleteFailed', 'Isolated')
ID_ALPHABET = string.ascii_lowercase + string.digits


def _not_found(certificate_id: str) -> ApiError:
    return ApiError('ResourceNotFound.ResourceNotFound', 'The certificate `%s` does not exist on this gateway.' % certificate_id)


def _invalid(message: str) -> ApiError:
    return ApiError('InvalidParameterValue.InvalidParameterValue', message)


class TseService(Service):
    """Cloud-native API gateway certificates: list, describe and re-bind."""

    name = 'tse'
    version = '2020-12-07'
    models = 'tencentcloud.tse.v20201207.models'
    regional = True

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        store = {record['CertificateId']: record for record in doc.get('ssl', {}).get('certificates', [])}
        now = certs.beijing_time(certs.utcnow())
        for g_index, gateway in enumerate(doc.setdefault(cls.name, {}).setdefault('gateways', [])):
            if not gateway.get('GatewayId'):
                raise SeedError('tse.gateways[%d] needs a GatewayId' % g_index)
            gateway.setdefault('Region', DEFAULT_REGION)
            gateway.setdefault('Name', gateway['GatewayId'])
            gateway.setdefault('Status', 'Running')
            if gateway['Status'] not in GATEWAY_STATUSES:
                raise SeedError('tse.gateways[%d].Status must be one of %s' % (g_index, ', '.join(GATEWAY_STATUSES)))
            gateway.setdefault('Type', 'kong')
            gateway.setdefault('GatewayVersion', '2.5.1')
            gateway.setdefault('FeatureVersion', 'STANDARD')
            gateway.setdefault('Description', '')
            gateway.setdefault('CreateTime', now)
            gateway.setdefault('VpcId', 'vpc-' + random_id(8, ID_ALPHABET))
            gateway.setdefault('SubnetId', 'subnet-' + random_id(8, ID_ALPHABET))
            gateway.setdefault('Tags', [])
            if not isinstance(gateway['Tags'], list) or not all(isinstance(tag, dict) and tag.get('TagKey') for tag in gateway['Tags']):
                raise SeedError('tse.gateways[%d].Tags must be a list of {TagKey, TagValue}' % g_index)
            for c_index, cert in enumerate(gateway.setdefault('Certificates', [])):
                where = 'tse.gateways[%d].Certificates[%d]' % (g_index, c_index)
                cert.setdefault('Id', str(uuid.uuid4()))
                cert.setdefault('Name', '')
                cert.setdefault('BindDomains', [])
                cert.setdefault('CertSource', 'ssl' if cert.get('CertId') else 'native')
                cert.setdefault('CreateTime', certs.beijing_time(certs.utcnow()))
                if cert['CertSource'] == 'ssl':
                    record = store.get(cert.get('CertId'))
                    if record is None:
                        raise SeedError('%s: CertId %r is not in ssl.certificates' % (where, cert.get('CertId')))
                    if not record.get('CertificatePublicKey'):
                        raise SeedError('%s: CertId %r has no certificate issued yet (no CertificatePublicKey)' % (where, cert['CertId']))
                    cert['Crt'] = record['CertificatePublicKey']
                    cert['Key'] = record.get('CertificatePrivateKey', '')
                else:
                    cert['CertId'] = cert.get('CertId') or ''
                    try:
                        certs.parse_chain(cert.get('Crt'))
                    except ValueError as exc:
                        raise SeedError('%s: Crt: %s' % (where, exc)) from exc

    def certificate_references(self) -> dict[str, list[str]]:
        references: dict[str, list[str]] = {}
        for gateway in self.data.get('gateways', []):
            for cert in gateway.get('Certificates', []):
                if cert.get('CertSource') == 'ssl' and cert.get('CertId'):
                    references.setdefault(cert['CertId'], []).append('tse:%s/%s' % (gateway['GatewayId'], cert['Id']))
        return references

    # --- helpers ---------------------------------------------------------------------------------

    def _gateway(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        gateway_id = params.get('GatewayId')
        if not gateway_id:
            raise missing('GatewayId')
        for gateway in self.data.get('gateways', []):
            if gateway['GatewayId'] == gateway_id and gateway['Region'] == ctx.region:
                return gateway
        raise ApiError('ResourceNotFound.InstanceNotFound', 'The gateway instance `%s` does not exist in region %s.' % (gateway_id, ctx.region))

    @staticmethod
    def _certificate(gateway: dict[str, t.Any], params: dict[str, t.Any]) -> dict[str, t.Any]:
        certificate_id = params.get('Id')
        if not certificate_id:
            raise missing('Id')
        for cert in gateway['Certificates']:
            if cert['Id'] == certificate_id:
                return cert
        raise _not_found(certificate_id)

    @staticmethod
    def _preview(cert: dict[str, t.Any], with_key: bool) -> dict[str, t.Any]:
        leaf = certs.parse_chain(cert['Crt'])[0]
        preview = {
            'Id': cert['Id'],
            'Name': cert['Name'],
            'BindDomains': list(cert['BindDomains']),
            'Status': 'expired' if leaf.expired() else 'active',
            'Crt': cert['Crt'],
            'ExpireTime': certs.beijing_time(leaf.not_after),
            'IssueTime': certs.beijing_time(leaf.not_before),
            'CreateTime': cert['CreateTime'],
            'CertSource': cert['CertSource'],
            'CertId': cert.get('CertId') or '',
            'CertType': 'SVR',
            'CertUsage': 'SERVER',
        }
        if with_key:
            preview['Key'] = cert.get('Key') or ''
        return preview

    @staticmethod
    def _gateway_result(gateway: dict[str, t.Any]) -> dict[str, t.Any]:
        """A DescribeCloudNativeAPIGatewayResult (an item of DescribeCloudNativeAPIGateways)."""
        octet = 10 + int(hashlib.sha256(gateway['GatewayId'].encode()).hexdigest(), 16) % 200
        return {
            'GatewayId': gateway['GatewayId'],
            'Status': gateway['Status'],
            'Name': gateway['Name'],
            'Type': gateway['Type'],
            'GatewayVersion': gateway['GatewayVersion'],
            'NodeConfig': {'Specification': '2c4g', 'Number': 2},
            'VpcConfig': {'VpcId': gateway['VpcId'], 'SubnetId': gateway['SubnetId']},
            'Description': gateway['Description'],
            'CreateTime': gateway['CreateTime'],
            'Tags': [{'TagKey': tag['TagKey'], 'TagValue': tag.get('TagValue', '')} for tag in gateway['Tags']],
            'EnableCls': False,
            'TradeType': 0,
            'FeatureVersion': gateway['FeatureVersion'],
            'InternetMaxBandwidthOut': 10,
            'AutoRenewFlag': 0,
            'CurDeadline': '',
            'IsolateTime': '',
            'EnableInternet': True,
            'EngineRegion': gateway['Region'],
            'IngressClassName': '',
            'InternetPayMode': 'BANDWIDTH',
            'GatewayMinorVersion': gateway['GatewayVersion'],
            'InstancePort': {'HttpPort': '80', 'HttpsPort': '443', 'TcpPort': '', 'UdpPort': ''},
            'LoadBalancerType': 'OPEN',
            'PublicIpAddresses': ['198.51.100.%d' % octet],
            'DeleteProtect': False,
            'AvailableVersions': [],
            'AvailableUpgradeVersions': [],
            'AvailableUpgrade': False,
            'AvailableRollbackVersion': '',
            'ForceHTTPSRedirect': False,
        }

    @staticmethod
    def _gateway_matcher(item: dict[str, t.Any]) -> t.Callable[[dict[str, t.Any]], bool]:
        """A Filter of DescribeCloudNativeAPIGateways: any value matches (Name: substring, GatewayId: exact)."""
        name, values = item.get('Name'), [str(value) for value in item.get('Values') or []]
        if name == 'Name':
            return lambda gateway: any(value in gateway['Name'] for value in values)
        if name == 'GatewayId':
            return lambda gateway: gateway['GatewayId'] in values
        if name == 'Tag':
            raise ApiError('UnsupportedOperation', 'The sandbox does not emulate the Tag filter of DescribeCloudNativeAPIGateways.')
        raise _invalid('Filter name `%s` is not supported; use one of %s.' % (name, ', '.join(GATEWAY_FILTERS)))

    # --- actions ---------------------------------------------------------------------------------

    @action('DescribeCloudNativeAPIGateways')
    def describe_gateways(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The gateways of the request's region in seed order, filtered and paged (Limit default 20, at most 100)."""
        offset, limit = offset_limit(params, DEFAULT_LIMIT, MAX_GATEWAY_LIMIT, _invalid)
        matchers = [self._gateway_matcher(item) for item in params.get('Filters') or []]
        selected = [gateway for gateway in self.data.get('gateways', [])
                    if gateway['Region'] == ctx.region and all(test(gateway) for test in matchers)]
        return {'Result': {
            'TotalCount': len(selected),
            'GatewayList': [self._gateway_result(gateway) for gateway in selected[offset:offset + limit]],
        }}

    @action('DescribeCloudNativeAPIGatewayCertificates')
    def describe_certificates(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """List a gateway's certificates (without private keys)."""
        gateway = self._gateway(ctx, params)
        offset = params.get('Offset') or 0
        limit = params.get('Limit') or DEFAULT_LIMIT
        if offset < 0 or limit < 0:
            raise _invalid('Offset and Limit must not be negative.')
        selected = list(gateway['Certificates'])
        for item in params.get('Filters') or []:
            key, value = item.get('Key'), item.get('Value') or ''
            if key == 'Name':
                selected = [cert for cert in selected if value in cert['Name']]
            elif key == 'BindDomain':
                selected = [cert for cert in selected if value in cert['BindDomains']]
            else:
                raise _invalid('Filter key `%s` is not supported; use one of %s.' % (key, ', '.join(FILTER_KEYS)))
        if params.get('CertType') not in (None, '', 'SVR') or params.get('CertUsage') not in (None, '', 'SERVER'):
            selected = []
        page = selected[offset:offset + limit]
        return {'Result': {
            'Total': len(selected),
            'CertificatesList': [self._preview(cert, with_key=False) for cert in page],
            'Pages': math.ceil(len(selected) / limit) if limit else 0,
        }}

    @action('DescribeCloudNativeAPIGatewayCertificateDetails')
    def describe_certificate_details(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Describe one gateway certificate, including the PEM it serves."""
        cert = self._certificate(self._gateway(ctx, params), params)
        return {'Result': {'Cert': self._preview(cert, with_key=True)}}

    @action('ModifyCloudNativeAPIGatewayCertificate', write=True)
    def modify_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Bind a certificate from the SSL store (``ssl``) or an uploaded PEM pair (``native``)."""
        cert = self._certificate(self._gateway(ctx, params), params)
        source = params.get('CertSource') or 'ssl'
        if source not in CERT_SOURCES:
            raise _invalid('CertSource must be one of %s.' % ', '.join(CERT_SOURCES))
        if source == 'ssl':
            certificate_id = params.get('CertId')
            if not certificate_id:
                raise missing('CertId')
            store = self.peers['ssl']
            record = store.get(certificate_id)
            if record is None:
                raise _invalid('The SSL certificate `%s` does not exist.' % certificate_id)
            problem = store.binding_problem(record)  # not issued, or no private key held
            if problem:
                raise _invalid(problem)
            crt, key = record['CertificatePublicKey'], record['CertificatePrivateKey']
        else:
            crt, key = params.get('Crt'), params.get('Key')
            if not crt:
                raise missing('Crt')
            if not key:
                raise missing('Key')
            try:
                matches = certs.key_matches(certs.parse_chain(crt)[0], key)
            except (ValueError, TypeError) as exc:
                raise _invalid('The certificate or private key cannot be parsed.') from exc
            if not matches:
                raise _invalid('The certificate and the private key do not match.')
            certificate_id = ''
        cert.update({'CertSource': source, 'CertId': certificate_id, 'Crt': crt, 'Key': key})
        if params.get('Name'):
            cert['Name'] = params['Name']
        if params.get('BindDomains') is not None:
            cert['BindDomains'] = list(params['BindDomains'])
        return {}
