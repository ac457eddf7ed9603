# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud EdgeOne (``teo``, 2022-09-01): certificates of acceleration domains.

State: ``teo.zones`` is a list of ``{ZoneId, ZoneName, AliasZoneName, Type, Area, Status, Paused, CreatedOn, ModifiedOn, Tags,
Domains: [...]}``; each domain has DomainName,
DomainStatus, Origin, CreatedOn, ModifiedOn, PendingDescribes and ``Certificate: {Mode, List: [{CertId, Status,
DeployTime}], ClientCertInfo}``.  ``sslcert`` certificate ids refer to the SSL store (``ssl``); alias, expiry and
algorithm are derived from it.  ``teo.settle_calls`` is how many DescribeAccelerationDomains calls returning a
modified domain still report its certificates as ``processing``.
"""

from __future__ import annotations

import datetime
import string
import typing as t

from .. import certs
from ..core import ApiError, missing
from ..state import SeedError
from .base import ActionContext, Service, action, offset_limit, random_id
from .ssl import STATUS_ISSUED

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
MAX_ZONE_LIMIT = 100
MAX_FILTER_VALUES = 20
ZONE_TYPES = ('full', 'partial', 'noDomainAccess', 'dnsPodAccess', 'pages', 'ai')
ZONE_AREAS = ('global', 'mainland', 'overseas')
ZONE_STATUSES = ('active', 'pending', 'moved', 'deactivated', 'initializing')
ZONE_FILTER_TYPES = {'partialComposite': 'noDomainAccess'}  # DescribeZones zone-type filter values that differ from Zone.Type
ZONE_FILTERS: dict[str, t.Callable[[dict[str, t.Any]], list[str]]] = {
    'zone-name': lambda zone: [zone['ZoneName']],
    'zone-type': lambda zone: [zone['Type']],
    'zone-id': lambda zone: [zone['ZoneId']],
    'status': lambda zone: [zone['Status']],
    'tag-key': lambda zone: [tag['TagKey'] for tag in zone['Tags']],
    'tag-value': lambda zone: [tag.get('TagValue', '') for tag in zone['Tags']],
    'alias-zone-name': lambda zone: [zone['AliasZoneName']],
}
ZONE_FUZZY_FILTERS = ('zone-name', 'alias-zone-name')
ZONE_ORDER_KEYS = {'type': 'Type', 'area': 'Area', 'create-time': 'CreatedOn', 'zone-name': 'ZoneName', 'use-time': 'ModifiedOn',
                   'active-status': 'ActiveStatus'}  # DescribeZones Order -> Zone field
NAME_SERVERS = ['ns1.teodns.com.', 'ns2.teodns.com.']
DEFAULT_SETTLE_CALLS = 1
MODES = ('disable', 'eofreecert', 'eofreecert_manual', 'sslcert')
MANAGED_MODES = ('eofreecert', 'eofreecert_manual')
FILTER_FIELDS = {
    'domain-name': lambda domain: domain['DomainName'],
    'origin-type': lambda domain: 'IP_DOMAIN',
    'origin': lambda domain: domain['Origin'],
    'backup-origin': lambda domain: '',
    'domain-cname': lambda domain: _cname(domain['DomainName']),
    'share-cname': lambda domain: '',
}
ORDER_KEYS = {'created_on': 'CreatedOn', 'domain-name': 'DomainName'}
ID_ALPHABET = string.ascii_lowercase + string.digits
FREE_CERT_DAYS = 90


def iso_time(moment: datetime.datetime) -> str:
    """EdgeOne's time format: ISO 8601 in UTC, e.g. ``2026-01-31T08:00:00Z``."""
    return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _cname(domain_name: str) -> str:
    return '%s.eo.dnse2.com' % domain_name


def _sign_algo(leaf: certs.CertFacts) -> str:
    return '%s %d' % (leaf.key_algorithm, leaf.cert.public_key().key_size)


def _zone_not_found(zone_id: str) -> ApiError:
    return ApiError('ResourceNotFound.ZoneNotFound', 'The zone `%s` does not exist.' % zone_id)


def _cert_not_found(certificate_id: str) -> ApiError:
    return ApiError('ResourceUnavailable.CertNotFound', 'The certificate `%s` does not exist or is not authorized.' % certificate_id)


class TeoService(Service):
    """EdgeOne acceleration domains: list them and change their HTTPS certificates."""

    name = 'teo'
    version = '2022-09-01'
    models = 'tencentcloud.teo.v20220901.models'
    regional = False

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        store = {record['CertificateId']: record for record in doc.get('ssl', {}).get('certificates', [])}
        section = doc.setdefault(cls.name, {})
        section['settle_calls'] = int(section.get('settle_calls', DEFAULT_SETTLE_CALLS))
        now = iso_time(certs.utcnow())
        for z_index, zone in enumerate(section.setdefault('zones', [])):
            zone.setdefault('ZoneId', 'zone-' + random_id(12, ID_ALPHABET))
            zone.setdefault('ZoneName', '')
            cls._seed_zone('teo.zones[%d]' % z_index, zone, now)
            for d_index, domain in enumerate(zone.setdefault('Domains', [])):
                where = 'teo.zones[%d].Domains[%d]' % (z_index, d_index)
                if not domain.get('DomainName'):
                    raise SeedError('%s needs a DomainName' % where)
                domain.setdefault('DomainStatus', 'online')
                domain.setdefault('Origin', 'origin.' + (zone['ZoneName'] or 'example.com'))
                domain.setdefault('CreatedOn', now)
                domain.setdefault('ModifiedOn', domain['CreatedOn'])
                domain['PendingDescribes'] = int(domain.get('PendingDescribes', 0))
                certificate = domain.setdefault('Certificate', {})
                certificate.setdefault('Mode', 'disable')
                if certificate['Mode'] not in MODES:
                    raise SeedError('%s.Certificate.Mode must be one of %s' % (where, ', '.join(MODES)))
                for item in certificate.setdefault('List', []):
                    if not item.get('CertId'):
                        raise SeedError('%s.Certificate.List entries need a CertId' % where)
                    if certificate['Mode'] == 'sslcert' and item['CertId'] not in store:
                        raise SeedError('%s: CertId %r is not in ssl.certificates' % (where, item['CertId']))
                    if certificate['Mode'] == 'sslcert' and not store[item['CertId']].get('CertificatePublicKey'):
                        raise SeedError('%s: CertId %r has no certificate issued yet (no CertificatePublicKey)' % (where, item['CertId']))
                    item.setdefault('Status', 'deployed')
                    item.setdefault('DeployTime', domain['ModifiedOn'])
                client = certificate.get('ClientCertInfo')
                if client is not None:
                    client.setdefault('Switch', 'on')
                    for item in client.setdefault('CertInfos', []):
                        if item.get('CertId') not in store:
                            raise SeedError('%s: ClientCertInfo CertId %r is not in ssl.certificates' % (where, item.get('CertId')))
                        item.setdefault('Status', 'deployed')
                        item.setdefault('DeployTime', domain['ModifiedOn'])

    @staticmethod
    def _seed_zone(where: str, zone: dict[str, t.Any], now: str) -> None:
        """Defaults and checks of the zone (site) attributes DescribeZones reports."""
        zone.setdefault('AliasZoneName', '')
        for key, default, allowed in (('Type', 'full', ZONE_TYPES), ('Area', 'global', ZONE_AREAS), ('Status', 'active', ZONE_STATUSES)):
            zone.setdefault(key, default)
            if zone[key] not in allowed:
                raise SeedError('%s.%s must be one of %s' % (where, key, ', '.join(allowed)))
        zone['Paused'] = bool(zone.get('Paused', False))
        zone.setdefault('CreatedOn', now)
        zone.setdefault('ModifiedOn', zone['CreatedOn'])
        zone.setdefault('Tags', [])
        if not isinstance(zone['Tags'], list) or not all(isinstance(tag, dict) and tag.get('TagKey') for tag in zone['Tags']):
            raise SeedError('%s.Tags must be a list of {TagKey, TagValue}' % where)

    def certificate_references(self) -> dict[str, list[str]]:
        references: dict[str, list[str]] = {}
        for zone in self.data.get('zones', []):
            for domain in zone.get('Domains', []):
                certificate = domain.get('Certificate') or {}
                ids = [item['CertId'] for item in certificate.get('List', [])] if certificate.get('Mode') == 'sslcert' else []
                ids += [item['CertId'] for item in (certificate.get('ClientCertInfo') or {}).get('CertInfos', [])]
                for certificate_id in ids:
                    references.setdefault(certificate_id, []).append('teo:%s/%s' % (zone['ZoneId'], domain['DomainName']))
        return references

    # --- helpers ---------------------------------------------------------------------------------

    def _zone(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        zone_id = params.get('ZoneId')
        if not zone_id:
            raise missing('ZoneId')
        for zone in self.data.get('zones', []):
            if zone['ZoneId'] == zone_id:
                return zone
        raise _zone_not_found(zone_id)

    def _certificate_info(self, item: dict[str, t.Any]) -> dict[str, t.Any]:
        info = {
            'CertId': item['CertId'],
            'Alias': item.get('Alias', ''),
            'Type': item.get('Type', 'managed'),
            'ExpireTime': item.get('ExpireTime', ''),
            'DeployTime': item.get('DeployTime', ''),
            'SignAlgo': item.get('SignAlgo', 'RSA 2048'),
            'Status': item['Status'],
        }
        record = self.peers['ssl'].get(item['CertId'])
        if record is not None:
            info.update({
                'Alias': record.get('Alias', ''),
                'Type': 'upload' if record.get('From', 'upload') == 'upload' else 'managed',
            })
        if record is not None and record.get('CertificatePublicKey'):  # none while not issued (a state patch may bind one)
            leaf = certs.parse_chain(record['CertificatePublicKey'])[0]
            info.update({'ExpireTime': iso_time(leaf.not_after), 'SignAlgo': _sign_algo(leaf)})
        return info

    def _domain(self, zone: dict[str, t.Any], domain: dict[str, t.Any]) -> dict[str, t.Any]:
        certificate = domain['Certificate']
        rendered = {'Mode': certificate['Mode'], 'List': [self._certificate_info(item) for item in certificate['List']]}
        client = certificate.get('ClientCertInfo')
        if client is not None:
            rendered['ClientCertInfo'] = {'Switch': client['Switch'], 'CertInfos': [self._certificate_info(item) for item in client['CertInfos']]}
        return {
            'ZoneId': zone['ZoneId'],
            'DomainName': domain['DomainName'],
            'DomainStatus': domain['DomainStatus'],
            'Cname': _cname(domain['DomainName']),
            'IPv6Status': 'follow',
            'IdentificationStatus': 'finished',
            'OriginDetail': {
                'OriginType': 'IP_DOMAIN',
                'Origin': domain['Origin'],
                'BackupOrigin': '',
                'OriginGroupName': '',
                'BackOriginGroupName': '',
                'PrivateAccess': 'off',
                'PrivateParameters': [],
                'HostHeader': '',
            },
            'OriginProtocol': 'FOLLOW',
            'HttpOriginPort': 80,
            'HttpsOriginPort': 443,
            'Certificate': rendered,
            'CreatedOn': domain['CreatedOn'],
            'ModifiedOn': domain['ModifiedOn'],
            'ComplianceRestrictions': [],
        }

    @staticmethod
    def _matcher(item: dict[str, t.Any]) -> t.Callable[[dict[str, t.Any]], bool]:
        name, values, fuzzy = item.get('Name'), item.get('Values') or [], bool(item.get('Fuzzy'))
        if name not in FILTER_FIELDS:
            raise ApiError('InvalidParameter.InvalidFilterName', 'The filter `%s` is not supported; use one of %s.' % (name, ', '.join(FILTER_FIELDS)))
        if len(values) > MAX_FILTER_VALUES:
            raise ApiError('InvalidParameter.TooManyFilterValues',
                           'The filter `%s` has %d values; at most %d are allowed.' % (name, len(values), MAX_FILTER_VALUES))
        field = FILTER_FIELDS[name]

        def matches(domain: dict[str, t.Any]) -> bool:
            actual = field(domain)
            if fuzzy:
                return any(value.lower() in actual.lower() for value in values)
            return actual in values
        return matches

    @staticmethod
    def _zone_output(zone: dict[str, t.Any]) -> dict[str, t.Any]:
        """A Zone of DescribeZones."""
        active = zone['Status'] == 'active'
        plan_id = 'edgeone-' + zone['ZoneId'].split('-', 1)[-1]
        name_servers = list(NAME_SERVERS)
        original = list(NAME_SERVERS) if active else ['ns1.%s.' % (zone['ZoneName'] or 'example.com'), 'ns2.%s.' % (zone['ZoneName'] or 'example.com')]
        vanity = {'Switch': 'off', 'Servers': []}
        output = {
            'ZoneId': zone['ZoneId'],
            'ZoneName': zone['ZoneName'],
            'AliasZoneName': zone['AliasZoneName'],
            'Area': zone['Area'],
            'Type': zone['Type'],
            'Tags': [{'TagKey': tag['TagKey'], 'TagValue': tag.get('TagValue', '')} for tag in zone['Tags']],
            'Resources': [{
                'Id': plan_id, 'PayMode': 0, 'CreateTime': zone['CreatedOn'], 'EnableTime': zone['CreatedOn'],
                'ExpireTime': '2099-12-31T15:59:59Z', 'Status': 'normal', 'Sv': [], 'AutoRenewFlag': 0, 'PlanId': plan_id,
                'Area': zone['Area'], 'Group': 'plan', 'ZoneNumber': 1, 'Type': '',
            }],
            'CreatedOn': zone['CreatedOn'],
            'ModifiedOn': zone['ModifiedOn'],
            'Status': zone['Status'],
            'CnameStatus': 'finished' if active or zone['Type'] != 'partial' else 'pending',
            'ActiveStatus': 'paused' if zone['Paused'] else ('active' if active else 'inactive'),
            'LockStatus': 'enable',
            'Paused': zone['Paused'],
            'IsFake': 0,
            'CnameSpeedUp': 'enabled',
            'OriginalNameServers': original,
            'NameServers': name_servers,
            'VanityNameServers': vanity,
            'VanityNameServersIps': [],
            'WorkModeInfos': [{'ConfigGroupType': group, 'WorkMode': 'immediate_effect'}
                              for group in ('l7_acceleration', 'edge_functions', 'web_security')],
        }
        if zone['Type'] == 'full':
            output['NSDetail'] = {
                'CnameSpeedUp': 'enabled', 'IsFake': 0, 'OwnershipVerification': {'NsVerification': {'NameServers': list(name_servers)}},
                'OriginalNameServers': list(original), 'NameServers': list(name_servers), 'VanityNameServers': dict(vanity), 'VanityNameServersIps': [],
            }
        elif zone['Type'] == 'partial':
            output['CNAMEDetail'] = {'IsFake': 0, 'OwnershipVerification': {
                'DnsVerification': {'Subdomain': '_edgeonereclaim', 'RecordType': 'TXT', 'RecordValue': 'reclaim-' + plan_id}}}
        elif zone['Type'] == 'dnsPodAccess':
            output['DNSPodDetail'] = {'IsFake': 0}
        return output

    @staticmethod
    def _zone_matcher(item: dict[str, t.Any]) -> t.Callable[[dict[str, t.Any]], bool]:
        name, values, fuzzy = item.get('Name'), [str(value) for value in item.get('Values') or []], bool(item.get('Fuzzy'))
        if name not in ZONE_FILTERS:
            raise ApiError('InvalidParameter.InvalidFilterName', 'The filter `%s` is not supported; use one of %s.' % (name, ', '.join(ZONE_FILTERS)))
        if len(values) > MAX_FILTER_VALUES:
            raise ApiError('InvalidParameter.TooManyFilterValues',
                           'The filter `%s` has %d values; at most %d are allowed.' % (name, len(values), MAX_FILTER_VALUES))
        if name == 'zone-type':
            values = [ZONE_FILTER_TYPES.get(value, value) for value in values]
        field = ZONE_FILTERS[name]
        fuzzy = fuzzy and name in ZONE_FUZZY_FILTERS  # the API documents fuzzy matching for these names only

        def matches(zone: dict[str, t.Any]) -> bool:
            actual = field(zone)
            if fuzzy:
                return any(value.lower() in item.lower() for value in values for item in actual)
            return any(item in values for item in actual)
        return matches

    # --- actions ---------------------------------------------------------------------------------

    @action('DescribeZones')
    def describe_zones(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The zones (sites) of the account, newest first by default (Limit default 20, at most 100); filters are ANDed."""
        offset, limit = offset_limit(params, DEFAULT_LIMIT, MAX_ZONE_LIMIT, lambda message: ApiError('InvalidParameterValue.NotWithinRange', message))
        matchers = [self._zone_matcher(item) for item in params.get('Filters') or []]
        order = params.get('Order') or 'create-time'
        if order not in ZONE_ORDER_KEYS:
            raise ApiError('InvalidParameter.InvalidSortBy', 'Order must be one of %s.' % ', '.join(ZONE_ORDER_KEYS))
        direction = (params.get('Direction') or 'desc').lower()
        if direction not in ('asc', 'desc'):
            raise ApiError('InvalidParameter.InvalidSortOrder', 'Direction must be asc or desc.')
        zones = [self._zone_output(zone) for zone in self.data.get('zones', []) if all(test(zone) for test in matchers)]
        zones.sort(key=lambda zone: zone[ZONE_ORDER_KEYS[order]], reverse=direction == 'desc')  # stable: ties keep seed order
        return {'TotalCount': len(zones), 'Zones': zones[offset:offset + limit]}

    @action('DescribeAccelerationDomains')
    def describe_acceleration_domains(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """List a zone's acceleration domains; returned domains being deployed count down towards ``deployed``."""
        zone = self._zone(params)
        offset = params.get('Offset') or 0
        limit = params.get('Limit')
        limit = DEFAULT_LIMIT if limit is None else limit
        if offset < 0 or limit < 0 or limit > MAX_LIMIT:
            raise ApiError('InvalidParameterValue.NotWithinRange', 'Offset must not be negative and Limit must be between 0 and %d.' % MAX_LIMIT)
        matchers = [self._matcher(item) for item in params.get('Filters') or []]
        match = (params.get('Match') or 'all').lower()
        if match not in ('all', 'any'):
            raise ApiError('InvalidParameterValue.NotInEnumeration', 'Match must be all or any.')
        combine = all if match == 'all' else any
        selected = [domain for domain in zone['Domains'] if not matchers or combine(test(domain) for test in matchers)]
        order = params.get('Order') or 'domain-name'
        if order not in ORDER_KEYS:
            raise ApiError('InvalidParameter.InvalidSortBy', 'Order must be one of %s.' % ', '.join(ORDER_KEYS))
        direction = (params.get('Direction') or 'asc').lower()
        if direction not in ('asc', 'desc'):
            raise ApiError('InvalidParameter.InvalidSortOrder', 'Direction must be asc or desc.')
        selected.sort(key=lambda domain: domain[ORDER_KEYS[order]], reverse=direction == 'desc')
        page = selected[offset:offset + limit]
        rendered = [self._domain(zone, domain) for domain in page]
        for domain in page:
            if domain['PendingDescribes'] > 0:
                domain['PendingDescribes'] -= 1
                if domain['PendingDescribes'] == 0:
                    for item in domain['Certificate']['List'] + (domain['Certificate'].get('ClientCertInfo') or {}).get('CertInfos', []):
                        if item['Status'] == 'processing':
                            item['Status'] = 'deployed'
        return {'TotalCount': len(selected), 'AccelerationDomains': rendered}

    def _server_cert_ids(self, params: dict[str, t.Any]) -> list[str]:
        infos = params.get('ServerCertInfo') or []
        ids = [info.get('CertId') for info in infos]
        if not ids or not all(ids):
            raise ApiError('InvalidParameter.InvalidCertInfo', 'Mode sslcert requires ServerCertInfo with at least one CertId.')
        now = certs.utcnow()
        store = self.peers['ssl']
        for certificate_id in ids:
            record = store.get(certificate_id)
            if record is None:
                raise _cert_not_found(certificate_id)
            if record.get('CertificateType', 'SVR') != 'SVR':
                raise ApiError('InvalidParameter.InvalidCertInfo', 'The certificate `%s` is not a server certificate with a private key.' % certificate_id)
            problem = store.binding_problem(record)
            if problem:  # not issued (invalid certificate information), or no private key held
                issued = record.get('Status', STATUS_ISSUED) == STATUS_ISSUED
                raise ApiError('OperationDenied.CertificatePrivateKeyIsEmpty' if issued else 'InvalidParameter.InvalidCertInfo', problem)
            if certs.parse_chain(record['CertificatePublicKey'])[0].expired(now):
                raise ApiError('FailedOperation.CertificateHasExpired', 'The certificate `%s` has expired.' % certificate_id)
        return ids

    def _client_cert_info(self, client: dict[str, t.Any]) -> dict[str, t.Any]:
        switch = client.get('Switch') or 'off'
        if switch not in ('on', 'off'):
            raise ApiError('InvalidParameterValue.NotInEnumeration', 'ClientCertInfo.Switch must be on or off.')
        ids = [item.get('CertId') for item in client.get('CertInfos') or []] if switch == 'on' else []
        if switch == 'on' and (not ids or not all(ids)):
            raise ApiError('InvalidParameterValue.CertificateVerifyClientNeedCert', 'ClientCertInfo.CertInfos needs a CA certificate id.')
        for certificate_id in ids:
            record = self.peers['ssl'].get(certificate_id)
            if record is None:
                raise _cert_not_found(certificate_id)
            if record.get('CertificateType') != 'CA':
                raise ApiError('InvalidParameterValue.CertificateVerifyClientMustCa', 'The certificate `%s` is not a CA certificate.' % certificate_id)
            problem = self.peers['ssl'].binding_problem(record, 'CA')
            if problem:
                raise ApiError('InvalidParameter.InvalidCertInfo', problem)
        return {'Switch': switch, 'CertInfos': [{'CertId': certificate_id} for certificate_id in ids]}

    @action('ModifyHostsCertificate', write=True)
    def modify_hosts_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Configure the certificates of several hosts at once (all or nothing).  Mode defaults to ``disable``."""
        zone = self._zone(params)
        hosts = params.get('Hosts') or []
        if not hosts:
            raise ApiError('InvalidParameterValue', 'Hosts must not be empty.')
        domains = []
        for host in hosts:
            domain = next((item for item in zone['Domains'] if item['DomainName'] == host), None)
            if domain is None:
                raise ApiError('InvalidParameter.HostNotFound', 'The host `%s` does not exist in zone `%s`.' % (host, zone['ZoneId']))
            domains.append(domain)
        mode = params.get('Mode') or 'disable'
        if mode not in MODES:
            raise ApiError('InvalidParameterValue.NotInEnumeration', 'Mode must be one of %s.' % ', '.join(MODES))
        server_ids = self._server_cert_ids(params) if mode == 'sslcert' else []
        client = self._client_cert_info(params['ClientCertInfo']) if params.get('ClientCertInfo') is not None else None
        settle = int(self.data.get('settle_calls', DEFAULT_SETTLE_CALLS))
        status = 'processing' if settle > 0 else 'deployed'
        now = certs.utcnow()
        for domain in domains:
            if mode == 'sslcert':
                entries = [{'CertId': certificate_id} for certificate_id in server_ids]
            elif mode in MANAGED_MODES:
                entries = [{'CertId': 'teo-' + random_id(10, ID_ALPHABET), 'Alias': '', 'Type': 'managed',
                            'ExpireTime': iso_time(now + datetime.timedelta(days=FREE_CERT_DAYS)), 'SignAlgo': 'RSA 2048'}]
            else:
                entries = []
            for entry in entries:
                entry.update({'Status': status, 'DeployTime': iso_time(now)})
            domain['Certificate']['Mode'] = mode
            domain['Certificate']['List'] = entries
            if client is not None:
                domain['Certificate']['ClientCertInfo'] = {
                    'Switch': client['Switch'],
                    'CertInfos': [dict(item, Status=status, DeployTime=iso_time(now)) for item in client['CertInfos']],
                }
            domain['ModifiedOn'] = iso_time(now)
            domain['PendingDescribes'] = max(settle, 0)
        return {}
