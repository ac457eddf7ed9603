# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Alibaba Cloud ESA (Edge Security Acceleration, ``esa``, 2024-09-10): the certificates of a site.

State: ``esa.sites`` is a list of ``{SiteId, SiteName, Region, CertQuota, Status, AccessType, Coverage, PlanName, PlanSpecName,
InstanceId, ResourceGroupId, Tags, CreateTime, UpdateTime, VisitTime, Certificates: [...]}``; a
certificate has Id, Name, Type (``upload``, ``cas`` or ``free``), CasId (``cas``), Certificate (PEM
chain), PrivateKey (never returned), CreateTime and UpdateTime.  ``esa.cas`` is a list of
``{CasId, Region, Name, Certificate, PrivateKey}``: certificates of Alibaba Cloud's Certificate
Management Service that ``Type=cas`` refers to (the site keeps a copy of the PEM when bound).

Derived fields follow the ESA documentation: times are ``YYYY-MM-DD HH:MM:SS`` in UTC, SAN is the
comma-separated DNS names, FingerprintSha256 is the lower-case hex SHA-256 of the leaf DER (no
colons), SerialNumber lower-case hex, SigAlg / PubAlg use Go's names (``SHA256-RSA``,
``ECDSA-SHA256``; ``RSA``, ``ECDSA``).  Status: ``Expired``, ``Expiring`` (within 30 days), else
``OK`` (``Issued`` for free certificates).
"""

from __future__ import annotations

import datetime
import json
import secrets
import typing as t

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID, SignatureAlgorithmOID

from .. import certs
from ..core import ApiError
from ..state import SeedError
from .base import ActionContext, Service, action, page_number_size

DEFAULT_REGION = 'cn-hangzhou'
DEFAULT_QUOTA = 10
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 500
DEFAULT_SITE_PAGE_SIZE = 500
SITE_STATUSES = ('pending', 'active', 'offline', 'moved')
ACCESS_TYPES = ('NS', 'CNAME')
COVERAGES = ('domestic', 'global', 'overseas')
SEARCH_TYPES = ('exact', 'prefix', 'suffix', 'fuzzy')
PLAN_TYPES = ('basicplan', 'standardplan', 'advancedplan', 'enterpriseplan')
SITE_ORDER_FIELDS = {'gmtCreate': 'CreateTime', 'visitTime': 'VisitTime'}
SITE_ATTRIBUTE_FILTERS = ('Status', 'AccessType', 'Coverage', 'PlanSubscribeType', 'ResourceGroupId')  # ListSites: exact matches
NAME_SERVERS = 'tom.ns.aliyunedge.com,jerry.ns.aliyunedge.com'
EXPIRING_DAYS = 30
TYPES = ('upload', 'cas', 'free')
SETTABLE_TYPES = ('upload', 'cas')
CUSTOM_TYPES = ('upload', 'cas')  # the types counted against CertQuota


def esa_time(moment: datetime.datetime) -> str:
    """ESA's certificate time format: ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')


def site_time(moment: datetime.datetime) -> str:
    """ESA's site time format (ListSites): ISO 8601 in UTC, ``yyyy-MM-ddTHH:mm:ssZ``."""
    return moment.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _bad(message: str, code: str = 'InvalidParameter') -> ApiError:
    return ApiError(code, message, 400)


def _missing(name: str) -> ApiError:
    return ApiError('Missing%s' % name, '%s is mandatory for this action.' % name, 400)


def _not_found(certificate_id: t.Any) -> ApiError:
    return ApiError('Certificate.NotFound', 'The specified certificate does not exist (Id %s).' % certificate_id, 404)


def _new_id(taken: t.Iterable[str]) -> str:
    used = set(taken)
    while True:
        candidate = str(30000000 + secrets.randbelow(69999999))
        if candidate not in used:
            return candidate


def _pub_alg(facts: certs.CertFacts) -> str:
    key = facts.cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return 'RSA'
    if isinstance(key, ec.EllipticCurvePublicKey):
        return 'ECDSA'
    if isinstance(key, ed25519.Ed25519PublicKey):
        return 'Ed25519'
    return type(key).__name__


def _sig_alg(facts: certs.CertFacts) -> str:
    oid = facts.cert.signature_algorithm_oid
    hash_algorithm = facts.cert.signature_hash_algorithm
    digest = hash_algorithm.name.upper().replace('-', '') if hash_algorithm else ''
    for attr in dir(SignatureAlgorithmOID):
        if getattr(SignatureAlgorithmOID, attr) != oid:
            continue
        if attr.startswith('ECDSA'):
            return 'ECDSA-%s' % digest
        if attr.startswith('RSASSA_PSS'):
            return '%s-RSAPSS' % digest
        if attr.startswith('RSA'):
            return '%s-RSA' % digest
        if attr == 'ED25519':
            return 'Ed25519'
    return oid.dotted_string


def _issuer_org(facts: certs.CertFacts) -> str:
    attrs = facts.cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(attrs[0].value) if attrs else facts.issuer_common_name


class EsaService(Service):
    """ESA site certificates: list, get, set (upload / cas, new or replace in place) and delete."""

    provider = 'alibaba'
    name = 'esa'
    version = '2024-09-10'
    models = 'alibabacloud_esa20240910.models'

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        section = doc.setdefault(cls.name, {})
        cas_entries = section.setdefault('cas', [])
        for index, entry in enumerate(cas_entries):
            where = 'esa.cas[%d]' % index
            if not str(entry.get('CasId') or '').isdigit():
                raise SeedError('%s needs a numeric CasId' % where)
            entry['CasId'] = int(entry['CasId'])
            entry.setdefault('Region', DEFAULT_REGION)
            entry.setdefault('Name', 'cas-%d' % entry['CasId'])
            cls._seed_pem(entry, where)
        sites = section.setdefault('sites', [])
        site_ids = set()
        for s_index, site in enumerate(sites):
            where = 'esa.sites[%d]' % s_index
            if not str(site.get('SiteId') or '').isdigit():
                raise SeedError('%s needs a numeric SiteId' % where)
            site['SiteId'] = int(site['SiteId'])
            if site['SiteId'] in site_ids:
                raise SeedError('%s: duplicate SiteId %d' % (where, site['SiteId']))
            site_ids.add(site['SiteId'])
            site.setdefault('SiteName', 'site-%d.example.com' % site['SiteId'])
            site.setdefault('Region', DEFAULT_REGION)
            site['CertQuota'] = int(site.get('CertQuota', DEFAULT_QUOTA))
            cls._seed_site(where, site)
            ids: list[str] = []
            for c_index, cert in enumerate(site.setdefault('Certificates', [])):
                c_where = '%s.Certificates[%d]' % (where, c_index)
                cert['Id'] = str(cert.get('Id') or _new_id(ids))
                if cert['Id'] in ids:
                    raise SeedError('%s: duplicate Id %s' % (c_where, cert['Id']))
                ids.append(cert['Id'])
                cert.setdefault('Type', 'cas' if cert.get('CasId') else 'upload')
                if cert['Type'] not in TYPES:
                    raise SeedError('%s: Type must be one of %s' % (c_where, ', '.join(TYPES)))
                if cert['Type'] == 'cas':
                    entry = next((item for item in cas_entries if str(item['CasId']) == str(cert.get('CasId'))), None)
                    if entry is None:
                        raise SeedError('%s: CasId %r is not in esa.cas' % (c_where, cert.get('CasId')))
                    cert['CasId'] = entry['CasId']
                    cert.setdefault('Certificate', entry['Certificate'])
                    cert.setdefault('PrivateKey', entry.get('PrivateKey', ''))
                    cert.setdefault('Region', entry['Region'])
                    cert.setdefault('Name', entry['Name'])
                cert.setdefault('Name', cert['Id'])
                cls._seed_pem(cert, c_where)
                now = esa_time(certs.utcnow())
                cert.setdefault('CreateTime', now)
                cert.setdefault('UpdateTime', cert['CreateTime'])

    @staticmethod
    def _seed_site(where: str, site: dict[str, t.Any]) -> None:
        """Defaults and checks of the site attributes ListSites reports."""
        for key, default, allowed in (('Status', 'active', SITE_STATUSES), ('AccessType', 'NS', ACCESS_TYPES), ('Coverage', 'domestic', COVERAGES),
                                      ('PlanSubscribeType', 'basicplan', PLAN_TYPES)):
            site.setdefault(key, default)
            if site[key] not in allowed:
                raise SeedError('%s.%s must be one of %s' % (where, key, ', '.join(allowed)))
        site.setdefault('PlanName', site['PlanSubscribeType'][:-len('plan')])
        site.setdefault('PlanSpecName', site['PlanName'])
        site.setdefault('InstanceId', 'esa-site-%x' % site['SiteId'])
        site.setdefault('ResourceGroupId', '')
        site.setdefault('Tags', {})
        if not isinstance(site['Tags'], dict):
            raise SeedError('%s.Tags must be a mapping of tag key to value' % where)
        site.setdefault('CreateTime', site_time(certs.utcnow()))
        site.setdefault('UpdateTime', site['CreateTime'])
        site.setdefault('VisitTime', site['UpdateTime'])

    @staticmethod
    def _seed_pem(entry: dict[str, t.Any], where: str) -> None:
        try:
            certs.parse_chain(entry.get('Certificate'))
        except ValueError as exc:
            raise SeedError('%s: Certificate: %s' % (where, exc)) from exc
        entry.setdefault('PrivateKey', '')

    # --- helpers ---------------------------------------------------------------------------------

    def _site(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        site_id = params.get('SiteId')
        if site_id in (None, ''):
            raise _missing('SiteId')
        for site in self.data.get('sites', []):
            if site['SiteId'] == site_id:
                return site
        raise _bad('Failed to query the website based on the SiteID you specified (%s). Check parameter SiteId and try again.' % site_id,
                   'InvalidParameter.SiteId')

    @staticmethod
    def _certificate(site: dict[str, t.Any], certificate_id: t.Any) -> dict[str, t.Any]:
        if certificate_id in (None, ''):
            raise _missing('Id')
        for cert in site['Certificates']:
            if cert['Id'] == str(certificate_id):
                return cert
        raise _not_found(certificate_id)

    @staticmethod
    def _status(cert: dict[str, t.Any], leaf: certs.CertFacts) -> str:
        now = certs.utcnow()
        if leaf.expired(now):
            return 'Expired'
        if cert['Type'] == 'free':
            return 'Issued'
        if leaf.not_after - now <= datetime.timedelta(days=EXPIRING_DAYS):
            return 'Expiring'
        return 'OK'

    def _summary(self, site: dict[str, t.Any], cert: dict[str, t.Any]) -> dict[str, t.Any]:
        leaf = certs.parse_chain(cert['Certificate'])[0]
        summary = {
            'Id': cert['Id'],
            'Name': cert['Name'],
            'Type': cert['Type'],
            'CommonName': leaf.common_name,
            'SAN': ','.join(leaf.sans),
            'FingerprintSha256': leaf.fingerprint_sha256,
            'NotBefore': esa_time(leaf.not_before),
            'NotAfter': esa_time(leaf.not_after),
            'Status': self._status(cert, leaf),
            'Issuer': _issuer_org(leaf),
            'IssuerCN': leaf.issuer_common_name,
            'SerialNumber': format(leaf.cert.serial_number, 'x'),
            'PubAlg': _pub_alg(leaf),
            'SigAlg': _sig_alg(leaf),
            'Region': cert.get('Region') or site['Region'],
            'CreateTime': cert['CreateTime'],
            'UpdateTime': cert['UpdateTime'],
        }
        if cert['Type'] == 'cas':
            summary['CasId'] = str(cert['CasId'])
        return summary

    @staticmethod
    def _pem_pair(certificate: t.Any, private_key: t.Any) -> certs.CertFacts:
        """Validate an uploaded PEM pair; return the leaf facts."""
        if not certificate:
            raise _bad('The Certificate parameter is required.', 'Certificate.MissingParameter')
        if not private_key:
            raise _bad('The PrivateKey parameter is required.', 'PrivateKey.MissingParameter')
        try:
            leaf = certs.parse_chain(certificate)[0]
        except ValueError as exc:
            raise _bad('The specified Certificate is invalid.', 'InvalidSSLPub') from exc
        try:
            matches = certs.key_matches(leaf, private_key)
        except (ValueError, TypeError) as exc:
            raise _bad('The specified PrivateKey is invalid.', 'InvalidSSLPri') from exc
        if not matches:
            raise _bad('The specified certificate does not match the private key.', 'CertificateNotMatchPrivateKey')
        return leaf

    def _cas_entry(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        cas_id = params.get('CasId')
        if cas_id in (None, ''):
            raise _bad('The CasId parameter is required.', 'CasId.MissingParameter')
        region = params.get('Region')
        if not region:
            raise _bad('Region is required when Type is cas (cn-hangzhou or ap-southeast-1).')
        for entry in self.data.get('cas', []):
            if entry['CasId'] == cas_id and entry['Region'] == region:
                return entry
        raise _bad('The certificate %s does not exist in the Certificate Management Service (region %s).' % (cas_id, region),
                   'InvalidParameter.CasId')

    @staticmethod
    def _site_output(site: dict[str, t.Any]) -> dict[str, t.Any]:
        """A ListSitesResponseBodySites entry."""
        cname = site['AccessType'] == 'CNAME'
        return {
            'AccessType': site['AccessType'],
            'CnameZone': '%s.cname.aliyunedge.com' % site['SiteName'] if cname else '',
            'Coverage': site['Coverage'],
            'CreateTime': site['CreateTime'],
            'InstanceId': site['InstanceId'],
            'NameServerList': '' if cname else NAME_SERVERS,
            'OfflineReason': 'proactively_disabled' if site['Status'] == 'offline' else '',
            'PlanName': site['PlanName'],
            'PlanSpecName': site['PlanSpecName'],
            'ResourceGroupId': site['ResourceGroupId'],
            'SiteId': site['SiteId'],
            'SiteName': site['SiteName'],
            'Status': site['Status'],
            'Tags': dict(site['Tags']),
            'UpdateTime': site['UpdateTime'],
            'VerifyCode': 'verify_%032x' % (site['SiteId'] * 2654435761 % (1 << 128)),
            'VisitTime': site['VisitTime'],
        }

    @staticmethod
    def _tag_filter(value: t.Any) -> list[dict[str, t.Any]]:
        """TagFilter: a JSON list of ``{Key, Value}`` in the query (the SDK's shrink form) or already a list."""
        if value in (None, ''):
            return []
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise _bad('TagFilter must be a JSON list of {Key, Value}.') from exc
        if not isinstance(value, list) or not all(isinstance(item, dict) and item.get('Key') for item in value):
            raise _bad('TagFilter must be a list of {Key, Value}.')
        return value

    def _site_selection(self, params: dict[str, t.Any]) -> list[dict[str, t.Any]]:
        name = params.get('SiteName') or ''
        search = params.get('SiteSearchType') or 'exact'
        if search not in SEARCH_TYPES:
            raise _bad('SiteSearchType must be one of %s.' % ', '.join(SEARCH_TYPES))
        for key, allowed in (('Status', SITE_STATUSES), ('AccessType', ACCESS_TYPES), ('Coverage', COVERAGES), ('PlanSubscribeType', PLAN_TYPES)):
            if params.get(key) not in (None, '') and params[key] not in allowed:
                raise _bad('%s must be one of %s.' % (key, ', '.join(allowed)))
        order = params.get('OrderBy') or 'gmtCreate'
        if order not in SITE_ORDER_FIELDS:
            raise _bad('OrderBy must be one of %s.' % ', '.join(SITE_ORDER_FIELDS))
        tags = self._tag_filter(params.get('TagFilter'))
        name_tests = {
            'exact': lambda site: site['SiteName'] == name,
            'prefix': lambda site: site['SiteName'].startswith(name),
            'suffix': lambda site: site['SiteName'].endswith(name),
            'fuzzy': lambda site: name.lower() in site['SiteName'].lower(),
        }
        checks: list[t.Callable[[dict[str, t.Any]], bool]] = [
            lambda site: not name or name_tests[search](site),
            lambda site: all(params.get(key) in (None, '') or site[key] == params[key] for key in SITE_ATTRIBUTE_FILTERS),
            lambda site: not params.get('OnlyEnterprise') or site['PlanSubscribeType'] == 'enterpriseplan',
            lambda site: all(tag['Key'] in site['Tags'] and tag.get('Value') in (None, '', site['Tags'][tag['Key']]) for tag in tags),
        ]
        selected = [site for site in self.data.get('sites', []) if all(check(site) for check in checks)]
        selected.sort(key=lambda site: site[SITE_ORDER_FIELDS[order]])  # stable: ties keep seed order
        return selected

    # --- actions ---------------------------------------------------------------------------------

    @action('ListSites')
    def list_sites(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The sites of the account (PageNumber default 1, PageSize default 500, 1..500), filtered by name, status and attributes."""
        page_number, page_size = page_number_size(params, DEFAULT_SITE_PAGE_SIZE, MAX_PAGE_SIZE, _bad)
        selected = self._site_selection(params)
        start = (page_number - 1) * page_size
        return {
            'Sites': [self._site_output(site) for site in selected[start:start + page_size]],
            'TotalCount': len(selected),
            'PageNumber': page_number,
            'PageSize': page_size,
        }

    @action('ListCertificates')
    def list_certificates(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """List a site's certificates (summaries, never keys or PEM)."""
        site = self._site(params)
        page_number, page_size = page_number_size(params, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, _bad)
        summaries = [self._summary(site, cert) for cert in site['Certificates']]
        keyword = (params.get('Keyword') or '').lower()
        if keyword:
            summaries = [item for item in summaries
                         if any(keyword in str(item[field]).lower() for field in ('Name', 'CommonName', 'SAN', 'Id'))]
        if params.get('Type'):
            summaries = [item for item in summaries if item['Type'] == params['Type']]
        if params.get('ValidOnly'):
            summaries = [item for item in summaries if item['Status'] != 'Expired']
        start = (page_number - 1) * page_size
        return {
            'Result': summaries[start:start + page_size],
            'TotalCount': len(summaries),
            'PageNumber': page_number,
            'PageSize': page_size,
            'SiteId': site['SiteId'],
            'SiteName': site['SiteName'],
        }

    @action('GetCertificate')
    def get_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """One certificate: its summary and the PEM chain (never the key)."""
        site = self._site(params)
        cert = self._certificate(site, params.get('Id'))
        summary = self._summary(site, cert)
        return {
            'Result': summary,
            'Certificate': cert['Certificate'],
            'Status': summary['Status'],
            'SiteId': site['SiteId'],
            'SiteName': site['SiteName'],
        }

    @action('SetCertificate', write=True)
    def set_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Add a certificate to a site, or replace one in place when ``Id`` is given."""
        site = self._site(params)
        cert_type = params.get('Type')
        if not cert_type:
            raise _missing('Type')
        if cert_type not in SETTABLE_TYPES:
            raise _bad('Type `%s` is not supported; use one of %s.' % (cert_type, ', '.join(SETTABLE_TYPES)))
        current = None
        if params.get('Id') not in (None, ''):
            current = self._certificate(site, params['Id'])
            if current['Type'] == 'free':
                raise _bad('The free certificate does not support the update operation.', 'UpdateFreeCertificate.NotSupport')
        others = [cert for cert in site['Certificates'] if cert is not current]
        if cert_type == 'upload':
            leaf = self._pem_pair(params.get('Certificate'), params.get('PrivateKey'))
            name = params.get('Name') or (current['Name'] if current else '')
            if not name:
                raise _bad('Name is required when Type is upload.')
            fields = {'Type': 'upload', 'Certificate': params['Certificate'], 'PrivateKey': params['PrivateKey'], 'CasId': None,
                      'Region': site['Region']}
        else:
            entry = self._cas_entry(params)
            leaf = certs.parse_chain(entry['Certificate'])[0]
            name = params.get('Name') or (current['Name'] if current else entry['Name'])
            fields = {'Type': 'cas', 'Certificate': entry['Certificate'], 'PrivateKey': entry.get('PrivateKey', ''),
                      'CasId': entry['CasId'], 'Region': entry['Region']}
        for cert in others:
            if cert['Name'] == name:
                raise _bad('The certificate name `%s` already exists on the site (Id %s).' % (name, cert['Id']), 'Certificate.Duplicated')
            if certs.parse_chain(cert['Certificate'])[0].fingerprint_sha256 == leaf.fingerprint_sha256:
                raise _bad('The certificate already exists on the site (Id %s).' % cert['Id'], 'Certificate.Duplicated')
        if current is None:
            used = sum(1 for cert in site['Certificates'] if cert['Type'] in CUSTOM_TYPES)
            if used >= site['CertQuota']:
                raise _bad('The custom certificate quota verification failed: the site already has %d of %d certificates.'
                           % (used, site['CertQuota']), 'CertQuotaCheckFailed')
        now = esa_time(certs.utcnow())
        if current is None:
            current = {'Id': _new_id(cert['Id'] for cert in site['Certificates']), 'CreateTime': now}
            site['Certificates'].append(current)
        current.update(fields, Name=name, UpdateTime=now)
        if current.get('CasId') is None:
            current.pop('CasId', None)
        return {'Id': current['Id']}

    @action('DeleteCertificate', write=True)
    def delete_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Remove a certificate from a site."""
        site = self._site(params)
        cert = self._certificate(site, params.get('Id'))
        site['Certificates'].remove(cert)
        return {'Id': cert['Id'], 'SiteId': site['SiteId'], 'SiteName': site['SiteName']}
