# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seeded world: one set of accounts, the resource ids and the seed states of the tests, the demo and the bench.

- ``integration_state(certs)``: the integration tests' account (``tests/integration/harness.py`` re-exports the ids);
- ``demo_state(old, legacy)``: ``make demo``, one endpoint per provider and a GAAP domain ``demo/inventory.yml`` leaves out;
- ``Fleet(count).state()``: ``make bench``, N endpoints shaped like real accounts.

Each holds ``accounts()`` and is built from the same helpers (an SSL store entry, a TSE gateway, a GAAP listener, a
TEO zone, a CLB load balancer, an ESA site); the certificates come from ``pki``.
"""

from __future__ import annotations

import collections
import datetime
import typing as t
import uuid

from . import pki

Seed = dict[str, t.Any]

# The accounts: a Tencent Cloud key that may assume ROLE_ARN, a second Tencent Cloud account, an Alibaba Cloud key and
# an Alibaba Cloud STS credential (every request must carry its security token).
SECRET_ID = 'AKIDcertopsSandbox0001'
SECRET_KEY = 'certops-sandbox-secret-key-0001'
OTHER_SECRET_ID = 'AKIDcertopsOther0002'
OTHER_SECRET_KEY = 'certops-other-secret-key-0002'
ROLE_ARN = 'qcs::cam::uin/100000000002:roleName/certops-rotate'
REGION = 'ap-guangzhou'
ACCESS_KEY_ID = 'LTAIcertopsSandbox01'
ACCESS_KEY_SECRET = 'certops-sandbox-access-key-secret-01'
ALIBABA_REGION = 'cn-hangzhou'
STS_ACCESS_KEY_ID = 'STS.certopsSandbox02'
STS_ACCESS_KEY_SECRET = 'certops-sts-access-key-secret-02'
STS_SECURITY_TOKEN = 'CAIScertopsSandboxSecurityToken0002'

# The integration tests' resources.
# TSE
GATEWAY = 'gateway-9abf3b79'
SSL_ENTRY = 'f9a5d230-4fa6-4f45-86c3-c5f49d6ffc83'
NATIVE_ENTRY = '0c1e2d3f-5a6b-4c7d-8e9f-a0b1c2d3e4f5'
OLD_CERT_ID = 'OLDcert1'
# Alibaba Cloud ESA
SITE_ID = 1234567890123
FULL_SITE_ID = 1234567890999
ESA_CERT_ID = '30001303'
CAS_ID = 30000478
# GAAP
LISTENER = 'listener-2x9f0c1a'
GAAP_OLD_CERT = 'cert-old00001'
GAAP_CA_CERT = 'cert-ca000001'
# EdgeOne: 45 hosts, 38 already on TEO_CERT_ID, 7 on OLD_CERT_ID
ZONE = 'zone-2o3h21ed8bpu'
TEO_CERT_ID = 'TEOwild1'
TEO_HOSTS = ['h%02d.example.com' % n for n in range(1, 46)]
TEO_STALE_HOSTS = ['h%02d.example.com' % n for n in (3, 9, 17, 21, 30, 38, 44)]
# CLB
API_CERT_ID = 'APIcert1'
CA_CERT_ID = 'CAcert01'
LB_WEB = 'lb-web00001'
LB_WEB_VIP = '127.0.10.1'  # its listener (no SNI) answers every name on this loopback address
LB_SNI = 'lb-sni00001'
LB_MTLS = 'lb-mtls0001'
LB_OTHER_REGION = 'lb-sh000001'
# SSL certificates the SSL service issued (From trustasia; issue 37): A expires in ~5 days, its hosted renewal B
# (A's HostingRenewCertId) in ~60, B's renewal order C (B's HasRenewOrder) in ~88; one whose key the service does not
# hold, one pending (Status 0, nothing issued yet, www.example.com) and two whose renewal links loop (L1 -> L2 -> L1).
ISSUED_A = 'IssuedA1'
ISSUED_B = 'IssuedB1'
ISSUED_C = 'IssuedC1'
ISSUED_NO_KEY = 'IssuedNoKey'
ISSUED_PENDING = 'IssuedPend'
ISSUED_LOOP_1 = 'IssuedL1'
ISSUED_LOOP_2 = 'IssuedL2'


def accounts() -> list[Seed]:
    """The accounts every seed holds."""
    return [
        {'secret_id': SECRET_ID, 'secret_key': SECRET_KEY, 'uin': '100000000001', 'roles': [ROLE_ARN]},
        {'secret_id': OTHER_SECRET_ID, 'secret_key': OTHER_SECRET_KEY, 'uin': '100000000003', 'roles': []},
        {'access_key_id': ACCESS_KEY_ID, 'access_key_secret': ACCESS_KEY_SECRET, 'region': ALIBABA_REGION},
        {'access_key_id': STS_ACCESS_KEY_ID, 'access_key_secret': STS_ACCESS_KEY_SECRET,
         'security_token': STS_SECURITY_TOKEN, 'region': ALIBABA_REGION},
    ]


def credentials_env() -> dict[str, str]:
    """The environment that gives the modules, the role and the inventory plugin the first account of each cloud."""
    return {'TENCENTCLOUD_SECRET_ID': SECRET_ID, 'TENCENTCLOUD_SECRET_KEY': SECRET_KEY, 'TENCENTCLOUD_REGION': REGION,
            'ALIBABA_CLOUD_ACCESS_KEY_ID': ACCESS_KEY_ID, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET': ACCESS_KEY_SECRET}


# --- the builders ---------------------------------------------------------------------------------------------------

def ssl_certificate(certificate_id: str, alias: str, issued: pki.Issued | None, ca: bool = False, *, status: int = 1,
                    source: str = 'upload', hosting_renew: str | None = None, renew_order: str | None = None, key: bool = True,
                    domain: str | None = None) -> Seed:
    """An SSL store entry: a server certificate (chain and key) or, with ``ca``, a CA certificate.

    A certificate the SSL service issued or renewed sets ``status`` (1 issued, 0 pending review, ...), ``source``
    (``From``: ``trustasia``, ...), its renewal links ``hosting_renew`` (``HostingRenewCertId``) and ``renew_order``
    (``HasRenewOrder``), and ``key=False`` when the service does not hold its private key (a CSR made elsewhere).
    ``issued=None``: nothing issued yet (a pending certificate), ``domain`` names it.  The defaults give an uploaded
    certificate, the same entry as before these options existed.
    """
    if issued is None:
        entry: Seed = {'CertificateId': certificate_id, 'Alias': alias, 'Domain': domain}
    elif ca:
        entry = {'CertificateId': certificate_id, 'Alias': alias, 'CertificateType': 'CA', 'CertificatePublicKey': issued.cert_pem}
    else:
        entry = {'CertificateId': certificate_id, 'Alias': alias, 'CertificatePublicKey': issued.chain_pem}
        if key:
            entry['CertificatePrivateKey'] = issued.key_pem
    for field, value, default in (('Status', status, 1), ('From', source, 'upload'), ('HostingRenewCertId', hosting_renew, None),
                                  ('HasRenewOrder', renew_order, None)):
        if value != default:
            entry[field] = value
    return entry


def tse_entry(entry_id: str, name: str, domain: str, cert_id: str | None = None, native: pki.Issued | None = None) -> Seed:
    """A TSE gateway certificate for ``domain``: the SSL store's ``cert_id``, or a ``native`` one held by the gateway."""
    entry: Seed = {'Id': entry_id, 'Name': name, 'BindDomains': [domain]}
    if native is None:
        entry.update(CertSource='ssl', CertId=cert_id)
    else:
        entry.update(CertSource='native', Crt=native.chain_pem, Key=native.key_pem)
    return entry


def tse_gateway(gateway_id: str, entries: t.Iterable[Seed], region: str = REGION) -> Seed:
    """A TSE gateway with its certificates (``tse_entry``)."""
    return {'GatewayId': gateway_id, 'Region': region, 'Certificates': list(entries)}


def gaap_certificate(certificate_id: str, alias: str, issued: pki.Issued, ca: bool = False) -> Seed:
    """A GAAP certificate: a server certificate (type 2, chain and key) or, with ``ca``, a client CA (type 1)."""
    if ca:
        return {'CertificateId': certificate_id, 'CertificateType': 1, 'CertificateAlias': alias, 'CertificateContent': issued.cert_pem}
    return {'CertificateId': certificate_id, 'CertificateType': 2, 'CertificateAlias': alias,
            'CertificateContent': issued.chain_pem, 'CertificateKey': issued.key_pem}


def gaap_listener(listener_id: str, certificate_id: str, domains: t.Mapping[str, str], stuck: t.Collection[str] = ()) -> Seed:
    """An HTTPS listener on ``certificate_id`` with ``domains`` ({domain: GAAP certificate id, ``default`` for the
    listener's}); the ``stuck`` ones are still being configured (``DomainStatus`` 1)."""
    listed = []
    for domain, domain_certificate in domains.items():
        listed.append({'Domain': domain, 'CertificateId': domain_certificate})
        if domain in stuck:
            listed[-1]['DomainStatus'] = 1
    return {'ListenerId': listener_id, 'Protocol': 'HTTPS', 'CertificateId': certificate_id, 'Domains': listed}


def teo_zone(zone_id: str, zone_name: str, hosts: t.Mapping[str, str]) -> Seed:
    """An EdgeOne zone whose ``hosts`` ({host: SSL store certificate id}) serve an uploaded certificate."""
    return {'ZoneId': zone_id, 'ZoneName': zone_name, 'Domains': [
        {'DomainName': host, 'Certificate': {'Mode': 'sslcert', 'List': [{'CertId': cert_id}]}} for host, cert_id in hosts.items()]}


def _clb_certificate(cert_id: str, ca_id: str | None = None) -> Seed:
    if ca_id:
        return {'SSLMode': 'MUTUAL', 'CertId': cert_id, 'CertCaId': ca_id}
    return {'SSLMode': 'UNIDIRECTIONAL', 'CertId': cert_id}


def clb_rule(location_id: str, domain: str, cert_id: str) -> Seed:
    """An SNI rule of a CLB listener: ``domain`` on the SSL store's ``cert_id``."""
    return {'LocationId': location_id, 'Domain': domain, 'Url': '/', 'Certificate': _clb_certificate(cert_id)}


def clb_load_balancer(lb_id: str, name: str, listener_id: str, cert_id: str | None = None, ca_id: str | None = None,
                      rules: t.Iterable[Seed] = (), region: str = REGION, vip: str | None = None) -> Seed:
    """A load balancer with one HTTPS listener on port 443: on the SSL store's ``cert_id`` (mutual TLS with ``ca_id``),
    or with SNI ``rules`` (``clb_rule``); a loopback ``vip`` is served by the TLS frontend (its port) as the address."""
    listener: Seed = {'ListenerId': listener_id, 'Protocol': 'HTTPS', 'Port': 443}
    if cert_id:
        listener['Certificate'] = _clb_certificate(cert_id, ca_id)
    rules = list(rules)
    if rules:
        listener['Rules'] = rules
    load_balancer: Seed = {'LoadBalancerId': lb_id, 'LoadBalancerName': name, 'Region': region, 'Listeners': [listener]}
    if vip:
        load_balancer['LoadBalancerVips'] = [vip]
    return load_balancer


def esa_certificate(cert_id: str, name: str, issued: pki.Issued) -> Seed:
    """An uploaded certificate of an ESA site."""
    return {'Id': cert_id, 'Name': name, 'Type': 'upload', 'Certificate': issued.chain_pem, 'PrivateKey': issued.key_pem}


def esa_site(site_id: int, name: str, certificates: t.Iterable[Seed], quota: int | None = None) -> Seed:
    """An ESA site with its certificates (``esa_certificate``) and, if given, its certificate quota."""
    site: Seed = {'SiteId': site_id, 'SiteName': name}
    if quota:
        site['CertQuota'] = quota
    site['Certificates'] = list(certificates)
    return site


# --- the integration tests ------------------------------------------------------------------------------------------

class Certificates(t.Protocol):
    """The certificates of the integration tests' seed (``tests/integration/harness.py``'s ``Pki``)."""

    intermediate: pki.Issued
    old: pki.Issued
    expired: pki.Issued
    other: pki.Issued
    wildcard: pki.Issued
    # Issued by the SSL service (From trustasia), *.example.com: a renewal chain A -> B (hosted) -> C (renewal order),
    # one whose key the service does not hold and a pair whose renewal links loop.
    issued_a: pki.Issued
    issued_b: pki.Issued
    issued_c: pki.Issued
    issued_nokey: pki.Issued
    issued_l1: pki.Issued
    issued_l2: pki.Issued


def integration_state(certs: Certificates) -> Seed:
    """The integration tests' account: every kind of endpoint on ``certs.old``, and what the edge cases need."""
    old, other = certs.old, certs.other
    return {
        'accounts': accounts(),
        'ssl': {'certificates': [
            ssl_certificate(OLD_CERT_ID, 'www-old', old),
            ssl_certificate(TEO_CERT_ID, 'wildcard', certs.wildcard),
            ssl_certificate(API_CERT_ID, 'api-old', other),
            ssl_certificate(CA_CERT_ID, 'client-ca', certs.intermediate, ca=True),
            # Issue 37: certificates the SSL service issued and renewed.
            ssl_certificate(ISSUED_A, 'issued-a', certs.issued_a, source='trustasia', hosting_renew=ISSUED_B),
            ssl_certificate(ISSUED_B, 'issued-b', certs.issued_b, source='trustasia', renew_order=ISSUED_C),
            ssl_certificate(ISSUED_C, 'issued-c', certs.issued_c, source='trustasia'),
            ssl_certificate(ISSUED_NO_KEY, 'issued-nokey', certs.issued_nokey, source='trustasia', key=False),
            ssl_certificate(ISSUED_PENDING, 'issued-pending', None, source='trustasia', status=0, domain='www.example.com'),
            ssl_certificate(ISSUED_LOOP_1, 'issued-loop-1', certs.issued_l1, source='trustasia', hosting_renew=ISSUED_LOOP_2),
            ssl_certificate(ISSUED_LOOP_2, 'issued-loop-2', certs.issued_l2, source='trustasia', renew_order=ISSUED_LOOP_1),
        ]},
        'tse': {'gateways': [tse_gateway(GATEWAY, [
            tse_entry(SSL_ENTRY, 'www', 'www.example.com', OLD_CERT_ID),
            tse_entry(NATIVE_ENTRY, 'www-native', 'example.com', native=old),
        ])]},
        'gaap': {
            'certificates': [gaap_certificate(GAAP_OLD_CERT, 'www-old', old),
                             gaap_certificate(GAAP_CA_CERT, 'client-ca', certs.intermediate, ca=True)],
            'listeners': [gaap_listener(LISTENER, GAAP_OLD_CERT, {
                'www.example.com': GAAP_OLD_CERT, 'api.example.com': 'default', 'stuck.example.com': GAAP_OLD_CERT,
            }, stuck=['stuck.example.com'])],
        },
        'teo': {'zones': [teo_zone(ZONE, 'example.com', {
            host: OLD_CERT_ID if host in TEO_STALE_HOSTS else TEO_CERT_ID for host in TEO_HOSTS})]},
        'clb': {'load_balancers': [
            clb_load_balancer(LB_WEB, 'web', 'lbl-web00443', OLD_CERT_ID, vip=LB_WEB_VIP),
            clb_load_balancer(LB_SNI, 'sni', 'lbl-sni00443', rules=[clb_rule('loc-www00001', 'www.example.com', OLD_CERT_ID),
                                                                    clb_rule('loc-lb000001', 'lb.example.com', OLD_CERT_ID)]),
            clb_load_balancer(LB_MTLS, 'mtls', 'lbl-mtl00443', API_CERT_ID, ca_id=CA_CERT_ID),
            clb_load_balancer(LB_OTHER_REGION, 'shanghai', 'lbl-sh000443', OLD_CERT_ID, region='ap-shanghai'),
        ]},
        'esa': {
            'cas': [{'CasId': CAS_ID, 'Region': ALIBABA_REGION, 'Name': 'api-cas', 'Certificate': other.chain_pem,
                     'PrivateKey': other.key_pem}],
            'sites': [
                esa_site(SITE_ID, 'example.com', [esa_certificate(ESA_CERT_ID, 'www', old)], quota=10),
                esa_site(FULL_SITE_ID, 'full.example.com', [esa_certificate('30009001', 'old-expired', certs.expired),
                                                            esa_certificate('30009002', 'api', other)], quota=2),
            ],
        },
    }


# --- make demo ------------------------------------------------------------------------------------------------------

def demo_state(old: pki.Issued, legacy: pki.Issued | None = None) -> Seed:
    """``make demo``: one endpoint per provider on ``old`` (``*.example.com``; ids as in ``demo/inventory.yml``), and
    shop.example.com, a GAAP domain added since that ``demo/inventory.yml`` leaves out: discovery finds it. With
    ``legacy``, a second ESA site, example.org, holds it (www.example.org): no rotation of ``*.example.com`` touches it,
    the audit finds it expiring."""
    return {
        'accounts': accounts(),
        'ssl': {'certificates': [ssl_certificate('Demo0ld1', 'www-2026-q3', old)]},
        'tse': {'gateways': [tse_gateway('gateway-demo0001', [tse_entry('cert-www-ssl', 'www', 'www.example.com', 'Demo0ld1')])]},
        'gaap': {'certificates': [gaap_certificate('cert-demo0ld1', 'www-2026-q3', old)],
                 'listeners': [gaap_listener('listener-demo0001', 'cert-demo0ld1',
                                             dict.fromkeys(['global.example.com', 'shop.example.com'], 'cert-demo0ld1'))]},
        'teo': {'zones': [teo_zone('zone-demo00000001', 'example.com',
                                   dict.fromkeys(['edge.example.com', 'static.example.com'], 'Demo0ld1'))]},
        'clb': {'load_balancers': [clb_load_balancer('lb-demo0001', 'web', 'lbl-demo0443',
                                                     rules=[clb_rule('loc-demo0001', 'lb.example.com', 'Demo0ld1')])]},
        'esa': {'sites': [esa_site(1000000000001, 'example.com', [esa_certificate('30000001', 'site', old)])]
                + ([esa_site(1000000000002, 'example.org', [esa_certificate('30000002', 'legacy', legacy)])] if legacy else [])},
    }


# --- make bench -----------------------------------------------------------------------------------------------------

PROVIDERS = ('tse', 'gaap', 'teo', 'clb', 'esa')


class Fleet:
    """N endpoints (TSE, GAAP, TEO, CLB and ESA in turn), their seed state and their inventory, shaped like real
    accounts: TSE entries 20 to a gateway, GAAP domains 10 to a listener, TEO hosts 20 to a zone, CLB load balancers
    (one SNI rule each) 10 to an old certificate they share, one ESA site each."""

    PER_GATEWAY, PER_LISTENER, PER_ZONE, PER_CLB_CERT = 20, 10, 20, 10

    def __init__(self, count: int) -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        day = datetime.timedelta(days=1)
        root = pki.make_ca('certops bench root')
        self.intermediate = pki.make_ca('certops bench intermediate', parent=root)
        every = ['*.%s.bench.test' % provider for provider in PROVIDERS]
        self.old = pki.make_leaf('old.bench.test', every, self.intermediate, now - 80 * day, now + 10 * day)
        self.new = pki.make_leaf('new.bench.test', every, self.intermediate, now - day, now + 89 * day)
        self.endpoints: dict[str, tuple[str, int]] = {}
        for index in range(count):
            provider = PROVIDERS[index % len(PROVIDERS)]
            number = index // len(PROVIDERS) + 1
            self.endpoints['%s-%04d' % (provider, number)] = (provider, number)

    @staticmethod
    def group(number: int, size: int) -> int:
        """The group (gateway, listener, zone, CLB certificate) of the endpoint ``number``, groups of ``size``."""
        return (number - 1) // size + 1

    @staticmethod
    def server_name(provider: str, number: int) -> str:
        return 'e%04d.%s.bench.test' % (number, provider)

    @staticmethod
    def tse_id(number: int) -> str:
        return str(uuid.uuid5(uuid.NAMESPACE_DNS, 'tse-%d.bench.test' % number))

    def of(self, provider: str) -> list[int]:
        """The endpoint numbers of a provider."""
        return [number for kind, number in self.endpoints.values() if kind == provider]

    def groups(self, provider: str, size: int) -> dict[int, list[int]]:
        """{group number: [endpoint numbers]} of a provider's endpoints."""
        found: dict[int, list[int]] = collections.OrderedDict()
        for number in self.of(provider):
            found.setdefault(self.group(number, size), []).append(number)
        return found

    def shape(self) -> dict[str, int]:
        """What bounds the calls: GAAP listeners, TEO zones and CLB old certificates."""
        return dict(listeners=len(self.groups('gaap', self.PER_LISTENER)), zones=len(self.groups('teo', self.PER_ZONE)),
                    clb_certificates=len(self.groups('clb', self.PER_CLB_CERT)),
                    per_endpoint=sum(len(self.of(p)) for p in ('tse', 'gaap', 'esa')))

    def state(self) -> Seed:
        old = self.old
        return {
            'accounts': accounts(),
            'ssl': {'certificates': [ssl_certificate('BENCHold', 'old', old)] + [
                ssl_certificate('BENCHc%04d' % group, 'clb-old-%d' % group, old) for group in self.groups('clb', self.PER_CLB_CERT)]},
            'tse': {'gateways': [tse_gateway('gateway-bench%04d' % gateway, [
                tse_entry(self.tse_id(number), 'bench-%d' % number, self.server_name('tse', number), 'BENCHold') for number in numbers])
                for gateway, numbers in self.groups('tse', self.PER_GATEWAY).items()]},
            'gaap': {'certificates': [gaap_certificate('cert-benchold', 'old', old)],
                     'listeners': [gaap_listener('listener-bench%04d' % listener, 'cert-benchold',
                                                 dict.fromkeys([self.server_name('gaap', number) for number in numbers], 'cert-benchold'))
                                   for listener, numbers in self.groups('gaap', self.PER_LISTENER).items()]},
            'teo': {'zones': [teo_zone('zone-bench%08d' % zone, 'z%d.teo.bench.test' % zone,
                                       dict.fromkeys([self.server_name('teo', number) for number in numbers], 'BENCHold'))
                              for zone, numbers in self.groups('teo', self.PER_ZONE).items()]},
            'clb': {'load_balancers': [clb_load_balancer('lb-bench%05d' % number, 'bench-%d' % number, 'lbl-bench%05d' % number, rules=[
                clb_rule('loc-bench%05d' % number, self.server_name('clb', number),
                         'BENCHc%04d' % self.group(number, self.PER_CLB_CERT))]) for number in self.of('clb')]},
            'esa': {'sites': [esa_site(9000000000000 + number, self.server_name('esa', number),
                                       [esa_certificate(str(31000000 + number), 'www', old)], quota=10) for number in self.of('esa')]},
        }

    def inventory(self, tls_port: int) -> Seed:
        """The inventory of the fleet: a host per endpoint, its TLS check pointed at the sandbox's ``tls_port``."""
        hosts = {}
        for name, (provider, number) in self.endpoints.items():
            endpoint = {'provider': provider, 'server_name': self.server_name(provider, number),
                        'verify_host': '127.0.0.1', 'verify_port': tls_port}
            endpoint.update({
                'tse': lambda n: {'gateway_id': 'gateway-bench%04d' % self.group(n, self.PER_GATEWAY), 'id': self.tse_id(n), 'region': REGION},
                'gaap': lambda n: {'listener_id': 'listener-bench%04d' % self.group(n, self.PER_LISTENER), 'domain': self.server_name('gaap', n),
                                   'wait_interval': 0.2},
                'teo': lambda n: {'zone_id': 'zone-bench%08d' % self.group(n, self.PER_ZONE), 'hosts': [self.server_name('teo', n)]},
                'clb': lambda n: {'load_balancer_id': 'lb-bench%05d' % n, 'region': REGION, 'listener_id': 'lbl-bench%05d' % n,
                                  'domain': self.server_name('clb', n), 'wait_interval': 0.2},
                'esa': lambda n: {'site_id': 9000000000000 + n, 'id': str(31000000 + n)},
            }[provider](number))
            hosts[name] = {'certops_endpoint': endpoint}
        return {'all': {'hosts': hosts}}
