# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud SSL Certificates (``ssl``, 2019-12-05): the certificate store.

State: ``ssl.certificates`` is a list (oldest first) of records with the fields
CertificateId, Alias, CertificatePublicKey (PEM leaf + chain), CertificatePrivateKey, CertificateType,
ProjectId, OwnerUin, From, InsertTime, Tags, Status, HostingRenewCertId and HasRenewOrder.  Everything else is
derived from the PEM.

Certificates the SSL service issued or renewed (``From``: trustasia, wosign, sheca, ...):

- ``Status`` (default 1, issued) is the state of the certificate's order: 0 pending review (审核中), 1 issued, 2 review
  failed, ... 15 (the DescribeCertificates model's list).  An issued certificate is reported as 3 (expired) once its
  leaf expired, as before.  Statuses 1 and 3 need the PEM; a pending one (0) has none yet (nothing is issued); for the
  others it is optional.  Without a PEM, ``Domain`` (required) and ``SubjectAltName`` (default [Domain]) stand for
  the names, ``EncryptAlgorithm`` (default RSA) for the key algorithm, the dates are null and
  ``CertificatePublicKey`` is "".
- ``CertificatePrivateKey`` may be absent or "": the service does not hold the key (the CSR was made elsewhere).
- ``HostingRenewCertId`` (the new certificate of a hosted renewal) and ``HasRenewOrder`` (the certificate of an
  existing renewal order), default "", are returned on DescribeCertificates items as set (links to unknown ids or
  loops are kept as seeded).  DescribeCertificateDetail answers ``CertificateExtra.RenewOrder`` (续费证书 ID) =
  HasRenewOrder, else HostingRenewCertId (so that it and ``OriginCertificateId`` are inverse links), and
  ``CertificateExtra.OriginCertificateId`` (续费原证书 ID) = the first certificate (oldest) whose HasRenewOrder or
  HostingRenewCertId is this one, else "".
- Binding (``binding_problem``, used by tse, teo and clb): only an issued certificate (Status 1) can be bound, and a
  server certificate only when the service holds its key.
"""

from __future__ import annotations

import datetime
import string
import typing as t

from .. import certs
from ..core import ApiError, missing
from ..state import SeedError
from .base import ActionContext, CertificateRecords, Service, action, random_id

MAX_LIMIT = 1000
DEFAULT_LIMIT = 10
EXPIRING_WINDOW = datetime.timedelta(days=30)
STATUS_PENDING = 0
STATUS_ISSUED = 1
STATUS_EXPIRED = 3
# Certificates.Status of the SDK models (DescribeCertificates, DescribeCertificateDetail).
STATUS_NAMES = {STATUS_PENDING: '审核中', STATUS_ISSUED: '已通过', 2: '审核失败', STATUS_EXPIRED: '已过期', 4: '自动添加DNS记录',
                5: '企业证书，待提交资料', 6: '订单取消中', 7: '已取消', 8: '已提交资料，待上传确认函', 9: '证书吊销中', 10: '已吊销',
                11: '重颁发中', 12: '待上传吊销确认函', 13: '免费证书待提交资料', 14: '证书已退款', 15: '证书迁移中'}
WITH_PEM = (STATUS_ISSUED, STATUS_EXPIRED)  # the statuses whose records need the PEM
RENEWAL_LINKS = ('HasRenewOrder', 'HostingRenewCertId')  # CertificateExtra.RenewOrder takes the first one set
CERTIFICATE_TYPES = ('SVR', 'CA')
# DescribeDeleteCertificatesTaskResult Status: running, done, failed, no service role, bound to cloud resources.
DELETE_RUNNING, DELETE_DONE, DELETE_FAILED, DELETE_NO_ROLE, DELETE_BOUND = 0, 1, 2, 3, 4


def _parse_error(detail: str) -> ApiError:
    return ApiError('FailedOperation.CertificateParseError',
                    'Parsing failed. Please check whether the certificate meets the standard (%s).' % detail)


class SslService(CertificateRecords, Service):
    """The SSL certificate store: upload, list, describe and delete uploaded certificates."""

    not_found_code = 'FailedOperation.CertificateNotFound'

    name = 'ssl'
    version = '2019-12-05'
    models = 'tencentcloud.ssl.v20191205.models'
    regional = False

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        section = doc.setdefault(cls.name, {})
        records = section.setdefault('certificates', [])
        owner = doc['accounts'][0]['uin'] if doc.get('accounts') else '100000000001'
        seen = set()
        for index, record in enumerate(records):
            where = 'ssl.certificates[%d]' % index
            cls._seed_issue(where, record)
            record.setdefault('CertificateId', random_id())
            if record['CertificateId'] in seen:
                raise SeedError('%s: duplicate CertificateId %s' % (where, record['CertificateId']))
            seen.add(record['CertificateId'])
            record.setdefault('Alias', '')
            record.setdefault('CertificateType', 'SVR')
            if record['CertificateType'] == 'CA' and not record['CertificatePublicKey']:
                raise SeedError('%s: a CA certificate needs its CertificatePublicKey' % where)
            record['CertificatePrivateKey'] = record.get('CertificatePrivateKey') or ''
            record['ProjectId'] = str(record.get('ProjectId', '0'))
            record.setdefault('OwnerUin', owner)
            record.setdefault('From', 'upload')
            if not isinstance(record['From'], str) or not record['From']:
                raise SeedError('%s.From must be a source such as upload or trustasia, not %r' % (where, record['From']))
            record.setdefault('InsertTime', certs.beijing_time(certs.utcnow()))
            record.setdefault('Tags', [])
            for link in RENEWAL_LINKS:
                record[link] = record.get(link) or ''
                if not isinstance(record[link], str):
                    raise SeedError('%s.%s must be a certificate id, not %r' % (where, link, record[link]))
            # Resources of products the sandbox does not emulate (CDN, WAF, ...) using the certificate, e.g.
            # ['cdn:www.example.com']: DeleteCertificate's resource checks count them.
            record.setdefault('BoundElsewhere', [])
        section.setdefault('delete_tasks', [])
        # IsCheckResource needs the service role SSL_QCSLinkedRoleInReplaceLoadCertificate; false fails the task (3).
        section.setdefault('check_resource_role', True)

    @staticmethod
    def _seed_issue(where: str, record: dict[str, t.Any]) -> None:
        """Check ``Status`` and the PEM (or, without one, ``Domain``/``SubjectAltName``/``EncryptAlgorithm``)."""
        status = record.setdefault('Status', STATUS_ISSUED)
        if not isinstance(status, int) or isinstance(status, bool) or status not in STATUS_NAMES:
            raise SeedError('%s.Status must be one of %s, not %r' % (where, ', '.join(map(str, STATUS_NAMES)), status))
        pem = record.get('CertificatePublicKey')
        if pem and status == STATUS_PENDING:
            raise SeedError('%s: a pending certificate (Status 0) has nothing issued yet: leave out CertificatePublicKey' % where)
        if pem or status in WITH_PEM:
            try:
                certs.parse_chain(pem)
            except ValueError as exc:
                raise SeedError('%s: CertificatePublicKey: %s' % (where, exc)) from exc
            return
        record['CertificatePublicKey'] = ''
        if not isinstance(record.get('Domain'), str) or not record['Domain']:
            raise SeedError('%s: a certificate without CertificatePublicKey (Status %d) needs its Domain' % (where, status))
        names = record.setdefault('SubjectAltName', [record['Domain']])
        if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
            raise SeedError('%s.SubjectAltName must be a list of domain names' % where)
        record.setdefault('EncryptAlgorithm', 'RSA')

    # --- helpers used by peers -------------------------------------------------------------------

    @staticmethod
    def binding_problem(record: dict[str, t.Any], certificate_type: str = 'SVR') -> str | None:
        """Why a stored certificate cannot be bound to a cloud resource (TSE, TEO, CLB), or None: it is not issued, or
        (a server certificate) the service does not hold its private key.  The callers raise their own error codes."""
        status = record.get('Status', STATUS_ISSUED)
        if status != STATUS_ISSUED:
            return 'The certificate `%s` is not issued (Status %s, %s) and cannot be bound until the SSL service issues it.' % (
                record['CertificateId'], status, STATUS_NAMES.get(status, 'unknown'))
        if certificate_type == 'SVR' and not record.get('CertificatePrivateKey'):
            return ('The SSL service holds no private key for the certificate `%s` (its CSR was made elsewhere), '
                    'so it cannot be bound.' % record['CertificateId'])
        return None

    @staticmethod
    def chain_of(record: dict[str, t.Any]) -> tuple[certs.CertFacts, ...]:
        """The parsed PEM of a record, leaf first; () when it has none (a certificate not issued yet)."""
        pem = record.get('CertificatePublicKey')
        return certs.parse_chain(pem) if pem else ()

    def _origins(self) -> dict[str, str]:
        """{certificate id: the first (oldest) certificate whose HasRenewOrder or HostingRenewCertId is that id}."""
        origins: dict[str, str] = {}
        for record in self.records:
            for link in RENEWAL_LINKS:
                if record.get(link):
                    origins.setdefault(record[link], record['CertificateId'])
        return origins

    def _references(self) -> dict[str, list[str]]:
        references: dict[str, list[str]] = {}
        for record in self.records:
            if record.get('BoundElsewhere'):
                references.setdefault(record['CertificateId'], []).extend(record['BoundElsewhere'])
        for peer in self.peers.values():
            for certificate_id, resources in peer.certificate_references().items():
                references.setdefault(certificate_id, []).extend(resources)
        return references

    def _describe(self, record: dict[str, t.Any], references: dict[str, list[str]], origins: dict[str, str]) -> dict[str, t.Any]:
        """The descriptive fields shared by DescribeCertificates and DescribeCertificateDetail."""
        chain = self.chain_of(record)
        leaf = chain[0] if chain else None
        now = certs.utcnow()
        status = record.get('Status', STATUS_ISSUED)
        if status == STATUS_ISSUED and leaf is not None and leaf.expired(now):
            status = STATUS_EXPIRED
        if leaf is not None:
            domain, domains, algorithm = leaf.domain, leaf.domains, leaf.key_algorithm
        else:
            domain = record.get('Domain') or ''
            domains = [domain] + [name for name in record.get('SubjectAltName') or [] if name != domain]
            algorithm = record.get('EncryptAlgorithm') or 'RSA'
        keyed = record.get('CertificateType', 'SVR') == 'CA' or bool(record.get('CertificatePrivateKey'))
        bound = sorted({resource.split(':', 1)[0] for resource in references.get(record['CertificateId'], [])})
        return {
            'CertificateId': record['CertificateId'],
            'Alias': record['Alias'],
            'OwnerUin': record['OwnerUin'],
            'ProjectId': record['ProjectId'],
            'From': record['From'],
            'CertificateType': record['CertificateType'],
            'PackageType': '',
            'ProductZhName': '',
            'Domain': domain,
            'SubjectAltName': domains,
            'Status': status,
            'StatusName': STATUS_NAMES.get(status, ''),
            'StatusMsg': 'PENDING-DCV' if status == STATUS_PENDING else '',
            'VerifyType': '',
            'VulnerabilityStatus': 'INACTIVE',
            'CertBeginTime': certs.beijing_time(leaf.not_before) if leaf else None,
            'CertEndTime': certs.beijing_time(leaf.not_after) if leaf else None,
            'ValidityPeriod': str(max(1, round((leaf.not_after - leaf.not_before).days / 30))) if leaf else '',
            'InsertTime': record['InsertTime'],
            'IsVip': False,
            'IsDv': False,
            'IsWildcard': domain.startswith('*.'),
            'IsVulnerability': False,
            'RenewAble': False,
            'Deployable': status == STATUS_ISSUED and keyed,
            'Tags': record.get('Tags') or [],
            'EncryptAlgorithm': algorithm,
            'CertificateExtra': {'DomainNumber': str(len(domains)), 'OriginCertificateId': origins.get(record['CertificateId'], ''),
                                 'ReplacedBy': '', 'ReplacedFor': '',
                                 'RenewOrder': next((record[link] for link in RENEWAL_LINKS if record.get(link)), ''),
                                 'SMCert': 0, 'CompanyType': 0},
            '_leaf': leaf,
            '_chain': chain,
            '_now': now,
            '_bound': bound,
            '_record': record,
        }

    # --- actions ---------------------------------------------------------------------------------

    @action('UploadCertificate', write=True)
    def upload_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Store an uploaded certificate; with ``Repeatable=false`` return the existing duplicate instead."""
        public_pem = params.get('CertificatePublicKey')
        if not public_pem:
            raise missing('CertificatePublicKey')
        certificate_type = params.get('CertificateType') or 'SVR'
        if certificate_type not in CERTIFICATE_TYPES:
            raise ApiError('InvalidParameterValue', 'CertificateType must be one of %s.' % ', '.join(CERTIFICATE_TYPES))
        try:
            chain = certs.parse_chain(public_pem)
        except ValueError as exc:
            raise _parse_error(str(exc)) from exc
        problem = certs.chain_problem(chain)
        if problem:
            raise ApiError('FailedOperation.CertificateChainError', 'The certificate chain is invalid: %s.' % problem)
        private_pem = params.get('CertificatePrivateKey')
        if certificate_type == 'SVR':
            if not private_pem:
                raise missing('CertificatePrivateKey')
            try:
                matches = certs.key_matches(chain[0], private_pem, params.get('KeyPassword'))
            except (ValueError, TypeError) as exc:
                raise _parse_error('the private key cannot be read') from exc
            if not matches:
                raise ApiError('FailedOperation.CertificateMismatch', 'The certificate and the private key do not match.')
        if params.get('Repeatable') is False:
            for record in self.records:
                stored = self.chain_of(record)
                if stored and stored[0].fingerprint_sha256 == chain[0].fingerprint_sha256:
                    return {'CertificateId': record['CertificateId'], 'RepeatCertId': record['CertificateId']}
        record = {
            'CertificateId': self._new_id(),
            'Alias': params.get('Alias') or '',
            'CertificatePublicKey': public_pem,
            'CertificatePrivateKey': private_pem or '',
            'CertificateType': certificate_type,
            'ProjectId': str(params.get('ProjectId') or 0),
            'OwnerUin': ctx.uin,
            'From': 'upload',
            'InsertTime': certs.beijing_time(certs.utcnow()),
            'Tags': params.get('Tags') or [],
            'Status': STATUS_ISSUED,
            'HostingRenewCertId': '',
            'HasRenewOrder': '',
        }
        self.records.append(record)
        return {'CertificateId': record['CertificateId']}

    def _new_id(self) -> str:
        while True:
            candidate = random_id()
            if self.get(candidate) is None:
                return candidate

    @action('DescribeCertificates')
    def describe_certificates(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """List certificates, newest first, with the usual filters and paging."""
        offset = params.get('Offset') or 0
        limit = params.get('Limit')
        limit = DEFAULT_LIMIT if limit is None else min(limit, MAX_LIMIT)
        if offset < 0 or limit < 0:
            raise ApiError('InvalidParameterValue', 'Offset and Limit must not be negative.')
        references, origins = self._references(), self._origins()
        rows = [self._describe(record, references, origins) for record in reversed(self.records)]
        rows = [row for row in rows if self._selected(row, params)]
        sort = (params.get('ExpirationSort') or '').upper()
        if sort in ('ASC', 'DESC'):  # certificates without a PEM (no expiry yet) last
            dated = sorted((row for row in rows if row['_leaf']), key=lambda row: row['_leaf'].not_after, reverse=sort == 'DESC')
            rows = dated + [row for row in rows if not row['_leaf']]
        page = rows[offset:offset + limit]
        return {'TotalCount': len(rows), 'Certificates': [self._list_item(row) for row in page]}

    @staticmethod
    def _selected(row: dict[str, t.Any], params: dict[str, t.Any]) -> bool:
        search = (params.get('SearchKey') or '').lower()
        if search and not any(search in value.lower() for value in [row['CertificateId'], row['Alias'], row['Domain']] + row['SubjectAltName']):
            return False
        checks = [
            ('CertificateType', lambda value: row['CertificateType'] == value),
            ('FilterSource', lambda value: row['From'] == value),
            ('CertIds', lambda value: row['CertificateId'] in value),
            ('CertificateStatus', lambda value: row['Status'] in value),
            ('ProjectId', lambda value: row['ProjectId'] == str(value)),
            ('Deployable', lambda value: row['Deployable'] == bool(value)),
            ('FilterExpiring', lambda value: not value or SslService._expiring(row)),
        ]
        return all(test(params[name]) for name, test in checks if params.get(name) not in (None, '', []))

    @staticmethod
    def _expiring(row: dict[str, t.Any]) -> bool:
        """Issued and expiring within 30 days (IsExpiring, FilterExpiring)."""
        return row['Status'] == STATUS_ISSUED and row['_leaf'] is not None and row['_leaf'].not_after - row['_now'] < EXPIRING_WINDOW

    @staticmethod
    def _public(row: dict[str, t.Any]) -> dict[str, t.Any]:
        return {key: value for key, value in row.items() if not key.startswith('_')}

    def _list_item(self, row: dict[str, t.Any]) -> dict[str, t.Any]:
        chain = row['_chain']
        item = self._public(row)
        item.update({
            'BoundResource': row['_bound'],
            'CertSANs': row['SubjectAltName'],
            'CACommonNames': [facts.common_name for facts in chain[1:]],
            'CAEndTimes': [certs.beijing_time(facts.not_after) for facts in chain[1:]],
            'CAEncryptAlgorithms': [facts.key_algorithm for facts in chain[1:]],
            'IsExpiring': self._expiring(row),
            'AllowDownload': True,
            'IsIgnore': False,
            'IsSM': False,
            'KeyPasswordCustomFlag': False,
            'HostingRenewCertId': row['_record'].get('HostingRenewCertId') or '',
            'HasRenewOrder': row['_record'].get('HasRenewOrder') or '',
        })
        return item

    @action('DescribeCertificateDetail')
    def describe_certificate_detail(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Describe one certificate, including its PEM and (as the real API does) its private key."""
        record = self._require(params)
        row = self._describe(record, self._references(), self._origins())
        detail = self._public(row)
        detail.update({
            'CertificatePublicKey': record.get('CertificatePublicKey') or '',  # '' until issued
            'CertificatePrivateKey': record.get('CertificatePrivateKey') or '',  # '' when the service does not hold the key
            'CertFingerprint': row['_leaf'].fingerprint_sha1 if row['_leaf'] else '',
            'CertChainInfo': [{
                'Subject': facts.subject,
                'Issuer': facts.issuer,
                'Fingerprint': facts.fingerprint_sha1,
                'ValidFrom': certs.beijing_time(facts.not_before),
                'ValidTo': certs.beijing_time(facts.not_after),
            } for facts in row['_chain']],
            'OrderId': '',
            'TypeName': '',
            'HostingStatus': 0,
        })
        return detail

    @action('DeleteCertificate', write=True)
    def delete_certificate(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Delete a certificate unless a cloud resource still uses it.

        With ``IsCheckResource`` the deletion is asynchronous, as in the real API: the call returns a TaskId, and
        DescribeDeleteCertificatesTaskResult reports it running once, then its end (deleted, or kept because of the
        resources that use it, or failed for a missing service role).
        """
        record = self._require(params)
        if params.get('IsCheckResource'):
            task_id = 'del-' + random_id(12, string.ascii_lowercase + string.digits)
            self.data['delete_tasks'].append({'TaskId': task_id, 'CertId': record['CertificateId'], 'Status': DELETE_RUNNING,
                                              'Polls': 0, 'Error': '', 'Domains': []})
            return {'DeleteResult': True, 'TaskId': task_id}
        resources = self._references().get(record['CertificateId'])
        if resources:
            raise ApiError('FailedOperation.DeleteResourceFailed',
                           'The certificate is associated with cloud resources and cannot be deleted: %s.' % ', '.join(sorted(resources)))
        self.records.remove(record)
        return {'DeleteResult': True, 'TaskId': None}

    @action('DescribeDeleteCertificatesTaskResult')
    def describe_delete_certificates_task_result(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """The asynchronous deletions asked about (at most 100): running on the first poll, then ended."""
        task_ids = params.get('TaskIds')
        if not task_ids:
            raise missing('TaskIds')
        if len(task_ids) > 100:
            raise ApiError('InvalidParameter', 'TaskIds has %d items; at most 100 are allowed.' % len(task_ids))
        results = []
        for task in self.data['delete_tasks']:
            if task['TaskId'] not in task_ids:
                continue
            if task['Status'] == DELETE_RUNNING:
                task['Polls'] += 1
                if task['Polls'] > 1:
                    self._end_delete(task)
            results.append({'TaskId': task['TaskId'], 'CertId': task['CertId'], 'Status': task['Status'], 'Error': task['Error'],
                            'CacheTime': certs.beijing_time(certs.utcnow()), 'Domains': list(task['Domains'])})
        return {'DeleteTaskResult': results}

    def _end_delete(self, task: dict[str, t.Any]) -> None:
        record = self.get(task['CertId'])
        if record is None:
            task.update(Status=DELETE_FAILED, Error='The certificate `%s` does not exist.' % task['CertId'])
            return
        if not self.data.get('check_resource_role', True):
            task.update(Status=DELETE_NO_ROLE, Error='The service role SSL_QCSLinkedRoleInReplaceLoadCertificate is not authorized.')
            return
        resources = sorted(self._references().get(record['CertificateId']) or [])
        if resources:
            task.update(Status=DELETE_BOUND, Error='The certificate is associated with cloud resources: %s.' % ', '.join(resources),
                        Domains=self._describe(record, {}, {})['SubjectAltName'])
            return
        self.records.remove(record)
        task.update(Status=DELETE_DONE)
