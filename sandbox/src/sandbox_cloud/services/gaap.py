# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud GAAP (``gaap``, 2018-05-29): the accelerator's own certificate store and HTTPS listener domains.

State: ``gaap.certificates`` is a list of ``{CertificateId, CertificateType, CertificateAlias, CertificateContent,
CertificateKey, CreateTime}`` (types: 0 basic auth, 1 client CA, 2 server SSL, 3 origin CA, 4 proxy SSL);
``gaap.proxies`` is a list of ``{ProxyId, ProxyName, AccessRegion, RealServerRegion, Bandwidth, Concurrent, Status,
ProjectId, GroupId, CreateTime, IP, Domain, TagSet, ...}`` (the accelerator instances, ``link-...``);
``gaap.listeners`` is a list of ``{ListenerId, ListenerName, Port, ProxyId, GroupId, Protocol, CertificateId,
ClientCertificateId, Domains: [...]}`` (a listener naming no proxy belongs to the first one) where
each domain has Domain, CertificateId (``default`` = the listener's certificate), ClientCertificateId,
PolyClientCertificateIds, DomainStatus (0 running, 1 changing) and PendingDescribes.  ``gaap.settle_calls`` is
how many DescribeRules calls on the listener still report a modified domain as changing (1).
GAAP certificates are not SSL-store certificates: nothing here refers to ``ssl``.
"""

from __future__ import annotations

import hashlib
import string
import time
import typing as t
from urllib.parse import unquote_plus

from .. import certs
from ..core import ApiError, missing
from ..state import SeedError
from .base import ActionContext, CertificateRecords, Service, action, random_id

DEFAULT_LIMIT = 20
MAX_LIMIT = 1000
MAX_LISTENER_LIMIT = 50
MAX_PROXY_LIMIT = 100
MAX_PROXY_IDS = 100
MAX_PROXY_FILTERS = 10
MAX_PROXY_FILTER_VALUES = 5
MAX_PROXY_TAGS = 5
DEFAULT_PROXY_ID = 'link-default0'
PROXY_STATUSES = ('RUNNING', 'CREATING', 'DESTROYING', 'OPENING', 'CLOSING', 'CLOSED', 'ADJUSTING', 'ISOLATING', 'ISOLATED',
                  'CLONING', 'RECOVERING', 'MOVING')
PROXY_FILTERS = {  # DescribeProxies Filters.Name -> proxy field
    'ProjectId': 'ProjectId',
    'AccessRegion': 'AccessRegion',
    'RealServerRegion': 'RealServerRegion',
    'GroupId': 'GroupId',
    'IPAddressVersion': 'IPAddressVersion',
    'PackageType': 'PackageType',
}
PROXY_ORDER_FIELDS = {'create_time': 'CreateTime', 'proxy_id': 'ProxyId', 'bandwidth': 'Bandwidth', 'concurrent_connections': 'Concurrent'}
REGION_NAMES = {  # GAAP region ids (DescribeAccessRegions) and their display names
    'SouthChina': '中国大陆-华南', 'EastChina': '中国大陆-华东', 'NorthChina': '中国大陆-华北', 'SouthwestChina': '中国大陆-西南',
    'HongKong': '中国香港', 'SEAsia': '东南亚', 'NorthAmerica': '北美', 'Europe': '欧洲',
}
REGION_AREAS = {'HongKong': ('HongKong', '中国香港'), 'SEAsia': ('Asia', '亚太'), 'NorthAmerica': ('NorthAmerica', '北美'),
                'Europe': ('Europe', '欧洲')}
DEFAULT_SETTLE_CALLS = 2
TYPE_BASIC_AUTH, TYPE_CLIENT_CA, TYPE_SERVER, TYPE_ORIGIN_CA, TYPE_PROXY = 0, 1, 2, 3, 4
CERTIFICATE_TYPES = (TYPE_BASIC_AUTH, TYPE_CLIENT_CA, TYPE_SERVER, TYPE_ORIGIN_CA, TYPE_PROXY)
KEYED_TYPES = (TYPE_SERVER, TYPE_PROXY)
DEFAULT = 'default'
ID_ALPHABET = string.ascii_lowercase + string.digits


def _decode(value: t.Any) -> t.Any:
    """The API documents PEM parameters as URL-encoded; raw PEM text is accepted too."""
    if isinstance(value, str) and '%' in value:
        return unquote_plus(value)
    return value


def _content_problem(certificate_type: int, content: t.Any, key: t.Any) -> ApiError | None:
    """Why a certificate (and key) cannot be stored, or None."""
    if certificate_type == TYPE_BASIC_AUTH:
        if not isinstance(content, str) or ':' not in content:
            return ApiError('InvalidParameterValue.InvalidCertificateContent', 'Basic auth content must be `user:password-hash` pairs.')
        return None
    try:
        chain = certs.parse_chain(content)
    except ValueError as exc:
        return ApiError('InvalidParameterValue.InvalidCertificateContent', 'The certificate content is not a valid PEM certificate (%s).' % exc)
    if certificate_type in KEYED_TYPES:
        if not key:
            return missing('CertificateKey')
        try:
            matches = certs.key_matches(chain[0], key)
        except (ValueError, TypeError):
            return ApiError('InvalidParameterValue.InvalidCertificateKey', 'The certificate key is not a valid PEM private key.')
        if not matches:
            return ApiError('InvalidParameterValue.CertificateContentNotMatchKey', 'The certificate content does not match the key.')
    return None


class GaapService(CertificateRecords, Service):
    """Global Application Acceleration Platform: certificates and HTTPS listener domain certificates."""

    not_found_code = 'ResourceNotFound'

    name = 'gaap'
    version = '2018-05-29'
    models = 'tencentcloud.gaap.v20180529.models'
    regional = False

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        section = doc.setdefault(cls.name, {})
        section['settle_calls'] = int(section.get('settle_calls', DEFAULT_SETTLE_CALLS))
        store: dict[str, dict[str, t.Any]] = {}
        for index, record in enumerate(section.setdefault('certificates', [])):
            where = 'gaap.certificates[%d]' % index
            record.setdefault('CertificateId', 'cert-' + random_id(8, ID_ALPHABET))
            if record['CertificateId'] in store:
                raise SeedError('%s: duplicate CertificateId %s' % (where, record['CertificateId']))
            if record.get('CertificateType') not in CERTIFICATE_TYPES:
                raise SeedError('%s: CertificateType must be one of %s' % (where, CERTIFICATE_TYPES))
            record.setdefault('CertificateAlias', '')
            record.setdefault('CreateTime', int(time.time()))
            if record['CertificateType'] not in KEYED_TYPES:
                record['CertificateKey'] = ''
            problem = _content_problem(record['CertificateType'], record.get('CertificateContent'), record.get('CertificateKey'))
            if problem is not None:
                raise SeedError('%s: %s' % (where, problem.message))
            store[record['CertificateId']] = record

        def check(where: str, certificate_id: str, types: tuple[int, ...]) -> None:
            if certificate_id in ('', DEFAULT):
                return
            record = store.get(certificate_id)
            if record is None or record['CertificateType'] not in types:
                raise SeedError('%s: %r is not a gaap certificate of type %s' % (where, certificate_id, types))

        proxies = section.setdefault('proxies', [])
        if not isinstance(proxies, list):
            raise SeedError('gaap.proxies must be a list')
        listeners = section.setdefault('listeners', [])
        if not proxies and any(not listener.get('ProxyId') for listener in listeners):
            proxies.append({'ProxyId': DEFAULT_PROXY_ID})  # listeners need a proxy; one fixed id keeps resets and reruns alike
        for listener in listeners:  # proxies named by listeners only (seeds written before gaap.proxies existed)
            if listener.get('ProxyId') and listener['ProxyId'] not in [proxy.get('ProxyId') for proxy in proxies]:
                proxies.append({'ProxyId': listener['ProxyId']})
        proxy_ids: list[str] = []
        for p_index, proxy in enumerate(proxies):
            cls._seed_proxy('gaap.proxies[%d]' % p_index, proxy, proxy_ids)
            proxy_ids.append(proxy['ProxyId'])

        for l_index, listener in enumerate(listeners):
            where = 'gaap.listeners[%d]' % l_index
            listener.setdefault('ListenerId', 'listener-' + random_id(8, ID_ALPHABET))
            listener.setdefault('ListenerName', listener['ListenerId'])
            listener.setdefault('Port', 443)
            if not listener.get('ProxyId'):
                listener['ProxyId'] = proxy_ids[0]
            listener.setdefault('GroupId', '')
            listener.setdefault('CreateTime', int(time.time()))
            listener.setdefault('Protocol', 'HTTPS')
            listener.setdefault('CertificateId', '')
            listener.setdefault('ClientCertificateId', '')
            check(where + '.CertificateId', listener['CertificateId'], (TYPE_SERVER,))
            check(where + '.ClientCertificateId', listener['ClientCertificateId'], (TYPE_CLIENT_CA,))
            for d_index, domain in enumerate(listener.setdefault('Domains', [])):
                here = '%s.Domains[%d]' % (where, d_index)
                if not domain.get('Domain'):
                    raise SeedError('%s needs a Domain' % here)
                domain.setdefault('CertificateId', DEFAULT)
                domain.setdefault('ClientCertificateId', '')
                domain.setdefault('PolyClientCertificateIds', [])
                domain['DomainStatus'] = int(domain.get('DomainStatus', 0))
                domain['PendingDescribes'] = int(domain.get('PendingDescribes', 0))
                check(here + '.CertificateId', domain['CertificateId'], (TYPE_SERVER,))
                check(here + '.ClientCertificateId', domain['ClientCertificateId'], (TYPE_CLIENT_CA,))
                for poly in domain['PolyClientCertificateIds']:
                    check(here + '.PolyClientCertificateIds', poly, (TYPE_CLIENT_CA,))

    @staticmethod
    def _seed_proxy(where: str, proxy: dict[str, t.Any], taken: list[str]) -> None:
        """Defaults and checks of one ``gaap.proxies`` entry."""
        if not isinstance(proxy, dict):
            raise SeedError('%s must be a mapping' % where)
        proxy.setdefault('ProxyId', 'link-' + random_id(8, ID_ALPHABET))
        if proxy['ProxyId'] in taken:
            raise SeedError('%s: duplicate ProxyId %s' % (where, proxy['ProxyId']))
        octet = 10 + int(hashlib.sha256(proxy['ProxyId'].encode()).hexdigest(), 16) % 200
        proxy.setdefault('ProxyName', proxy['ProxyId'])
        proxy.setdefault('AccessRegion', 'SouthChina')
        proxy.setdefault('RealServerRegion', 'NorthChina')
        proxy['Bandwidth'] = int(proxy.get('Bandwidth', 10))
        proxy['Concurrent'] = int(proxy.get('Concurrent', 2))
        proxy.setdefault('Status', 'RUNNING')
        if proxy['Status'] not in PROXY_STATUSES:
            raise SeedError('%s.Status must be one of %s' % (where, ', '.join(PROXY_STATUSES)))
        proxy['ProjectId'] = int(proxy.get('ProjectId', 0))
        proxy.setdefault('GroupId', '')
        proxy.setdefault('CreateTime', int(time.time()))
        proxy.setdefault('IP', '198.18.%d.%d' % (octet, 10 + octet % 200))
        proxy.setdefault('Domain', '%s.gaap.tencentcs.com' % proxy['ProxyId'])
        proxy.setdefault('Version', '2.0')
        proxy.setdefault('IPAddressVersion', 'IPv4')
        proxy.setdefault('NetworkType', 'normal')
        proxy.setdefault('PackageType', 'Thunder')
        proxy.setdefault('TagSet', [])
        if not isinstance(proxy['TagSet'], list) or not all(isinstance(tag, dict) and tag.get('TagKey') for tag in proxy['TagSet']):
            raise SeedError('%s.TagSet must be a list of {TagKey, TagValue}' % where)

    # --- helpers ---------------------------------------------------------------------------------

    def _listener(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        listener_id = params.get('ListenerId')
        if not listener_id:
            raise missing('ListenerId')
        for listener in self.data.get('listeners', []):
            if listener['ListenerId'] == listener_id:
                return listener
        raise ApiError('ResourceNotFound', 'The listener `%s` does not exist.' % listener_id)

    def _alias(self, certificate_id: str) -> str:
        record = self.get(certificate_id)
        return record['CertificateAlias'] if record else ''

    def _check_reference(self, name: str, certificate_id: str, expected_type: int) -> None:
        if certificate_id == DEFAULT or (certificate_id == '' and expected_type == TYPE_CLIENT_CA):
            return  # '' = no client CA (one-way TLS, or PolyClientCertificateIds only)
        if certificate_id == '':
            raise ApiError('InvalidParameterValue.InvalidCertificateId', '%s must not be empty.' % name)
        record = self.get(certificate_id)
        if record is None:
            raise ApiError('ResourceNotFound', '%s: the certificate `%s` does not exist.' % (name, certificate_id))
        if record['CertificateType'] != expected_type:
            raise ApiError('InvalidParameterValue.InvalidCertificateId',
                           '%s: the certificate `%s` is of type %d, expected type %d.' % (name, certificate_id, record['CertificateType'], expected_type))

    @staticmethod
    def _facts(record: dict[str, t.Any]) -> dict[str, t.Any]:
        if record['CertificateType'] == TYPE_BASIC_AUTH:
            return {'BeginTime': None, 'EndTime': None, 'IssuerCN': '', 'SubjectCN': ''}
        leaf = certs.parse_chain(record['CertificateContent'])[0]
        return {
            'BeginTime': int(leaf.not_before.timestamp()),
            'EndTime': int(leaf.not_after.timestamp()),
            'IssuerCN': leaf.issuer_common_name,
            'SubjectCN': leaf.common_name,
        }

    def _usage(self, certificate_id: str) -> list[str]:
        used = []
        for listener in self.data.get('listeners', []):
            if certificate_id in (listener['CertificateId'], listener['ClientCertificateId']):
                used.append(listener['ListenerId'])
            for domain in listener['Domains']:
                if certificate_id in [domain['CertificateId'], domain['ClientCertificateId']] + list(domain['PolyClientCertificateIds']):
                    used.append('%s/%s' % (listener['ListenerId'], domain['Domain']))
        return used

    def _rule_set(self, listener: dict[str, t.Any], domain: dict[str, t.Any]) -> dict[str, t.Any]:
        server_id = listener['CertificateId'] if domain['CertificateId'] == DEFAULT else domain['CertificateId']
        client_id = listener['ClientCertificateId'] if domain['ClientCertificateId'] == DEFAULT else domain['ClientCertificateId']
        return {
            'Domain': domain['Domain'],
            'RuleSet': [],
            'CertificateId': domain['CertificateId'],
            'CertificateAlias': self._alias(server_id),
            'ClientCertificateId': domain['ClientCertificateId'],
            'ClientCertificateAlias': self._alias(client_id),
            'BasicAuthConfId': '',
            'BasicAuth': 0,
            'BasicAuthConfAlias': '',
            'RealServerCertificateId': '',
            'RealServerAuth': 0,
            'RealServerCertificateAlias': '',
            'GaapCertificateId': '',
            'GaapAuth': 0,
            'GaapCertificateAlias': '',
            'RealServerCertificateDomain': '',
            'PolyClientCertificateAliasInfo': [{'CertificateId': poly, 'CertificateAlias': self._alias(poly)}
                                               for poly in domain['PolyClientCertificateIds']],
            'PolyRealServerCertificateAliasInfo': [],
            'DomainStatus': domain['DomainStatus'],
            'BanStatus': 'RECOVER',
            'Http3Supported': 0,
            'IsDefaultServer': False,
            'TLSCiphers': 'GAAP_TLS_CIPHERS_STRICT',
            'TLSSupportVersion': ['TLSv1.2', 'TLSv1.3'],
        }

    def _https_listener(self, listener: dict[str, t.Any]) -> dict[str, t.Any]:
        """An HTTPSListener of DescribeHTTPSListeners."""
        client_id = listener['ClientCertificateId']
        return {
            'ListenerId': listener['ListenerId'],
            'ListenerName': listener['ListenerName'],
            'Port': listener['Port'],
            'Protocol': 'HTTPS',
            'ListenerStatus': 0,
            'CertificateId': listener['CertificateId'],
            'ForwardProtocol': 'HTTPS',
            'CreateTime': listener['CreateTime'],
            'CertificateAlias': self._alias(listener['CertificateId']),
            'ClientCertificateId': client_id,
            'AuthType': 1 if client_id else 0,
            'ClientCertificateAlias': self._alias(client_id),
            'PolyClientCertificateAliasInfo': [],
            'Http3Supported': 0,
            'ProxyId': listener['ProxyId'],
            'GroupId': listener['GroupId'],
            'TLSSupportVersion': ['TLSv1.2', 'TLSv1.3'],
            'TLSCiphers': 'GAAP_TLS_CIPHERS_STRICT',
        }

    @staticmethod
    def _region_detail(region_id: str) -> dict[str, t.Any]:
        area, area_name = REGION_AREAS.get(region_id, ('MainlandChina', '中国大陆'))
        return {
            'RegionId': region_id,
            'RegionName': REGION_NAMES.get(region_id, region_id),
            'RegionArea': area,
            'RegionAreaName': area_name,
            'IDCType': 'dc',
            'FeatureBitmap': 3,
            'SupportFeature': {'NetworkType': ['normal']},
        }

    def _proxy_info(self, proxy: dict[str, t.Any]) -> dict[str, t.Any]:
        """A ProxyInfo of DescribeProxies."""
        return {
            'InstanceId': proxy['ProxyId'],
            'CreateTime': proxy['CreateTime'],
            'ProjectId': proxy['ProjectId'],
            'ProxyName': proxy['ProxyName'],
            'AccessRegion': proxy['AccessRegion'],
            'RealServerRegion': proxy['RealServerRegion'],
            'Bandwidth': proxy['Bandwidth'],
            'Concurrent': proxy['Concurrent'],
            'Status': proxy['Status'],
            'Domain': proxy['Domain'],
            'IP': proxy['IP'],
            'Version': proxy['Version'],
            'ProxyId': proxy['ProxyId'],
            'Scalarable': 1,
            'SupportProtocols': ['TCP', 'UDP', 'HTTP', 'HTTPS'],
            'GroupId': proxy['GroupId'] or None,
            'PolicyId': None,
            'AccessRegionInfo': self._region_detail(proxy['AccessRegion']),
            'RealServerRegionInfo': self._region_detail(proxy['RealServerRegion']),
            'ForwardIP': '',
            'TagSet': [{'TagKey': tag['TagKey'], 'TagValue': tag.get('TagValue', '')} for tag in proxy['TagSet']],
            'SupportSecurity': 1,
            'BillingType': 0,
            'RelatedGlobalDomains': [],
            'ModifyConfigTime': proxy['CreateTime'],
            'ProxyType': 100 if proxy['PackageType'] == 'Thunder' else 0,
            'ClientIPMethod': [0],
            'IPAddressVersion': proxy['IPAddressVersion'],
            'NetworkType': proxy['NetworkType'],
            'PackageType': proxy['PackageType'],
            'BanStatus': 'RECOVER',
            'IPList': [{'IP': proxy['IP'], 'Provider': 'BGP', 'Bandwidth': proxy['Bandwidth']}],
            'Http3Supported': 0,
            'InBanBlacklist': 0,
            'FeatureBitmap': 3,
            'IsAutoScaleProxy': 0,
            'IsSupportTLSChoice': 1,
        }

    @staticmethod
    def _page(params: dict[str, t.Any], maximum: int) -> tuple[int, int]:
        """``(offset, limit)`` of an Offset/Limit listing (Limit default 20, 0..maximum), else InvalidParameterValue."""
        limit = params.get('Limit')
        limit = DEFAULT_LIMIT if limit is None else limit
        offset = params.get('Offset')
        offset = 0 if offset is None else offset
        if not 0 <= limit <= maximum:
            raise ApiError('InvalidParameterValue', 'Limit must be between 0 and %d.' % maximum)
        if offset < 0:
            raise ApiError('InvalidParameterValue', 'Offset must not be negative.')
        return offset, limit

    def _proxy_selection(self, params: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        """The proxies DescribeProxies selects (ids, Filters, TagSet, Independent), in the requested order."""
        ids = list(params.get('ProxyIds') or []) + [item for item in params.get('InstanceIds') or [] if item not in (params.get('ProxyIds') or [])]
        filters = params.get('Filters') or []
        if ids and filters:
            raise ApiError('InvalidParameter', 'ProxyIds (InstanceIds) and Filters cannot be specified together.')
        if len(ids) > MAX_PROXY_IDS:
            raise ApiError('InvalidParameterValue', 'At most %d proxy ids can be queried at once, not %d.' % (MAX_PROXY_IDS, len(ids)))
        if len(filters) > MAX_PROXY_FILTERS:
            raise ApiError('InvalidParameterValue', 'At most %d Filters are allowed, not %d.' % (MAX_PROXY_FILTERS, len(filters)))
        tags = params.get('TagSet') or []
        if len(tags) > MAX_PROXY_TAGS:
            raise ApiError('InvalidParameterValue', 'At most %d tags are allowed in TagSet, not %d.' % (MAX_PROXY_TAGS, len(tags)))
        tests: list[t.Callable[[dict[str, t.Any]], bool]] = []
        for item in filters:
            name, values = item.get('Name'), [str(value) for value in item.get('Values') or []]
            if name not in PROXY_FILTERS:
                raise ApiError('InvalidParameter', 'The filter `%s` is not supported; use one of %s.' % (name, ', '.join(PROXY_FILTERS)))
            if not values or len(values) > MAX_PROXY_FILTER_VALUES:
                raise ApiError('InvalidParameterValue', 'The filter `%s` needs 1 to %d values.' % (name, MAX_PROXY_FILTER_VALUES))
            tests.append(lambda proxy, field=PROXY_FILTERS[name], values=values: str(proxy[field]) in values)
        if ids:
            tests.append(lambda proxy: proxy['ProxyId'] in ids)
        if tags:
            wanted = [(tag.get('TagKey'), tag.get('TagValue')) for tag in tags]
            tests.append(lambda proxy: any((tag['TagKey'], tag.get('TagValue', '')) in wanted for tag in proxy['TagSet']))
        independent = params.get('Independent')
        if independent not in (None, 0, 1):
            raise ApiError('InvalidParameterValue', 'Independent must be 0 or 1.')
        if independent is not None:
            tests.append(lambda proxy: bool(proxy['GroupId']) != bool(independent))
        order = (params.get('Order') or 'desc').lower()
        if order not in ('asc', 'desc'):
            raise ApiError('InvalidParameterValue', 'Order must be asc or desc.')
        field = params.get('OrderField') or 'create_time'
        if field not in PROXY_ORDER_FIELDS:
            raise ApiError('InvalidParameterValue', 'OrderField must be one of %s.' % ', '.join(PROXY_ORDER_FIELDS))
        selected = [proxy for proxy in self.data.get('proxies', []) if all(test(proxy) for test in tests)]
        selected.sort(key=lambda proxy: proxy[PROXY_ORDER_FIELDS[field]], reverse=order == 'desc')  # stable: ties keep seed order
        return selected

    @staticmethod
    def _search_matches(listener: dict[str, t.Any], value: t.Any) -> bool:
        """DescribeHTTPSListeners SearchValue: a substring of the name or port (or the exact listener id)."""
        if not value:
            return True
        return value in listener['ListenerName'] or value in str(listener['Port']) or value == listener['ListenerId']

    # --- actions ---------------------------------------------------------------------------------

    @action('DescribeProxies')
    def describe_proxies(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The accelerator instances (proxies), newest first by default; InstanceSet repeats ProxySet (the deprecated name)."""
        offset, limit = self._page(params, MAX_PROXY_LIMIT)
        selected = self._proxy_selection(params)
        page = [self._proxy_info(proxy) for proxy in selected[offset:offset + limit]]
        return {'TotalCount': len(selected), 'InstanceSet': page, 'ProxySet': [dict(item) for item in page]}

    @action('DescribeHTTPSListeners')
    def describe_https_listeners(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """HTTPS listeners of one proxy, group or listener, filtered by ListenerName, Port or SearchValue, paged (Limit at most 50)."""
        offset, limit = self._page(params, MAX_LISTENER_LIMIT)
        if not any(params.get(key) for key in ('ListenerId', 'ProxyId', 'GroupId')):
            raise ApiError('MissingParameter', 'One of ListenerId, ProxyId and GroupId is required.')
        if params.get('ProxyId') and params.get('GroupId'):
            raise ApiError('InvalidParameter', 'ProxyId and GroupId cannot be specified together.')
        if params.get('ProxyId') and params['ProxyId'] not in [proxy['ProxyId'] for proxy in self.data.get('proxies', [])]:
            raise ApiError('ResourceNotFound', 'The proxy `%s` does not exist.' % params['ProxyId'])
        listeners = [listener for listener in self.data.get('listeners', []) if listener['Protocol'] == 'HTTPS'
                     and all(params.get(key) in (None, '') or listener[key] == params[key] for key in ('ProxyId', 'GroupId', 'ListenerId', 'ListenerName'))
                     and (params.get('Port') is None or listener['Port'] == params['Port'])
                     and self._search_matches(listener, params.get('SearchValue'))]
        return {'TotalCount': len(listeners), 'ListenerSet': [self._https_listener(listener) for listener in listeners[offset:offset + limit]]}

    @action('DescribeRules')
    def describe_rules(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The listener's domains with their certificates; a changing domain settles after ``settle_calls`` describes."""
        listener = self._listener(params)
        rule_sets = [self._rule_set(listener, domain) for domain in listener['Domains']]
        for domain in listener['Domains']:
            if domain['PendingDescribes'] > 0:
                domain['PendingDescribes'] -= 1
                if domain['PendingDescribes'] == 0:
                    domain['DomainStatus'] = 0
        return {'DomainRuleSet': rule_sets, 'TotalCount': len(rule_sets)}

    @action('ModifyCertificate', write=True)
    def modify_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Change the server and/or client certificates of one listener domain (omitted fields are kept)."""
        listener = self._listener(params)
        name = params.get('Domain')
        if not name:
            raise missing('Domain')
        domain = next((item for item in listener['Domains'] if item['Domain'] == name), None)
        if domain is None:
            raise ApiError('InvalidParameterValue', 'The domain `%s` does not exist on listener `%s`.' % (name, listener['ListenerId']))
        if domain['DomainStatus'] != 0:
            raise ApiError('FailedOperation.DomainStatusNotInRunning',
                           'The domain `%s` is not in the running state (status %d).' % (name, domain['DomainStatus']))
        server_id, client_id, poly_ids = params.get('CertificateId'), params.get('ClientCertificateId'), params.get('PolyClientCertificateIds')
        if server_id is None and client_id is None and poly_ids is None:
            raise missing('CertificateId')
        if server_id is not None:
            self._check_reference('CertificateId', server_id, TYPE_SERVER)
        if client_id is not None:
            self._check_reference('ClientCertificateId', client_id, TYPE_CLIENT_CA)
        for poly in poly_ids or []:
            if poly in (DEFAULT, ''):
                raise ApiError('InvalidParameterValue.InvalidCertificateId', 'PolyClientCertificateIds cannot contain `%s`.' % poly)
            self._check_reference('PolyClientCertificateIds', poly, TYPE_CLIENT_CA)
        if server_id is not None:
            domain['CertificateId'] = server_id
        if client_id is not None:
            domain['ClientCertificateId'] = client_id
        if poly_ids is not None:
            domain['PolyClientCertificateIds'] = list(poly_ids)
        settle = int(self.data.get('settle_calls', DEFAULT_SETTLE_CALLS))
        domain['DomainStatus'] = 1 if settle > 0 else 0
        domain['PendingDescribes'] = max(settle, 0)
        return {}

    @action('CreateCertificate', write=True)
    def create_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Store a certificate; an identical certificate is stored again under a new id (as the real API does)."""
        certificate_type = params.get('CertificateType')
        if certificate_type is None:
            raise missing('CertificateType')
        if certificate_type not in CERTIFICATE_TYPES:
            raise ApiError('InvalidParameterValue', 'CertificateType must be one of %s.' % ', '.join(str(item) for item in CERTIFICATE_TYPES))
        content = _decode(params.get('CertificateContent'))
        if not content:
            raise missing('CertificateContent')
        key = _decode(params.get('CertificateKey')) if certificate_type in KEYED_TYPES else ''
        problem = _content_problem(certificate_type, content, key)
        if problem is not None:
            raise problem
        while True:
            certificate_id = 'cert-' + random_id(8, ID_ALPHABET)
            if self.get(certificate_id) is None:
                break
        self.records.append({
            'CertificateId': certificate_id,
            'CertificateType': certificate_type,
            'CertificateAlias': params.get('CertificateAlias') or '',
            'CertificateContent': content,
            'CertificateKey': key or '',
            'CreateTime': int(time.time()),
        })
        return {'CertificateId': certificate_id}

    @action('DescribeCertificates')
    def describe_certificates(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """List certificates (oldest first) without their content."""
        certificate_type = params.get('CertificateType')
        if certificate_type is None:
            certificate_type = -1
        if certificate_type != -1 and certificate_type not in CERTIFICATE_TYPES:
            raise ApiError('InvalidParameterValue', 'CertificateType must be -1 or one of %s.' % ', '.join(str(item) for item in CERTIFICATE_TYPES))
        offset = params.get('Offset') or 0
        limit = params.get('Limit')
        limit = DEFAULT_LIMIT if limit is None else limit
        if offset < 0 or limit < 0 or limit > MAX_LIMIT:
            raise ApiError('InvalidParameterValue', 'Offset must not be negative and Limit must be between 0 and %d.' % MAX_LIMIT)
        selected = [record for record in self.records if certificate_type in (-1, record['CertificateType'])]
        items = []
        for record in selected[offset:offset + limit]:
            item = {
                'CertificateId': record['CertificateId'],
                'CertificateName': record['CertificateAlias'],
                'CertificateType': record['CertificateType'],
                'CertificateAlias': record['CertificateAlias'],
                'CreateTime': record['CreateTime'],
            }
            item.update(self._facts(record))
            items.append(item)
        return {'CertificateSet': items, 'TotalCount': len(selected)}

    @action('DescribeCertificateDetail')
    def describe_certificate_detail(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """One certificate with its content and, for SSL certificates, its private key (as the real API does)."""
        record = self._require(params)
        detail = {
            'CertificateId': record['CertificateId'],
            'CertificateType': record['CertificateType'],
            'CertificateAlias': record['CertificateAlias'],
            'CertificateContent': record['CertificateContent'],
            'CertificateKey': record['CertificateKey'] if record['CertificateType'] in KEYED_TYPES else None,
            'CreateTime': record['CreateTime'],
        }
        detail.update(self._facts(record))
        return {'CertificateDetail': detail}

    @action('DeleteCertificate', write=True)
    def delete_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Delete a certificate unless a listener or domain uses it."""
        record = self._require(params)
        used = self._usage(record['CertificateId'])
        if used:
            raise ApiError('FailedOperation.CertificateIsUsing',
                           'The certificate `%s` is in use and cannot be deleted: %s.' % (record['CertificateId'], ', '.join(used)))
        self.records.remove(record)
        return {}
