# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS frontend: serve the certificate currently bound to a server name (SNI) over real TLS on loopback.

``served_certificate(doc, name)`` finds the ``(chain PEM, key PEM)`` a name is bound to in a state document
(first match wins): tse gateway certificates (BindDomains), gaap listener domains, teo ``sslcert`` domains,
clb SNI rules then listener certificates whose SANs cover the name, esa site certificates whose SANs cover the
name (those of the sites whose SiteName is the name or a parent of it first; most recently updated
first).  ``TlsFrontend`` is a threaded TCP server whose SNI callback resolves the
name against the live state and switches the connection to a cached ``SSLContext`` for that pair; after the
handshake it answers one minimal ``HTTP/1.1 200`` naming the server and closes.  Unknown names fail the
handshake with an ``unrecognized_name`` alert.

State section ``tls: {stuck: [...], leaf_only: [...], stale_intermediate: [...], drift: [...], unrelated: [...],
unreachable: [...]}`` (lists of server names, compared case-insensitively, read from the live state on every handshake;
``seed()`` checks all six and fills ``stuck``, ``leaf_only`` and ``stale_intermediate`` with ``[]`` when absent, an
absent list is empty):

- ``stuck``: those names are resolved against the seed instead of the live state, i.e. the edge keeps serving the
  certificate it had before any change ("stuck edge").
- ``leaf_only``: chain fault; those names are served the bound leaf alone, without its intermediates (only the first
  certificate of the bound chain PEM), as an edge with a misconfigured chain would.
- ``stale_intermediate``: chain fault; those names are served the bound leaf followed, in place of each intermediate,
  by a stale copy of it (``pki.make_stale_copy``: same subject and issuer names, another key and fingerprint, expired
  30 days ago, signed by a throwaway key, so the leaf does not verify against it).  Stale copies are cached per
  original fingerprint, so every handshake serves the same one.
- ``unrelated``: chain fault; those names are served the bound chain followed by one more certificate: a self-signed CA
  the frontend makes once (``CN=sandbox unrelated CA``), which issued none of the served certificates, as an edge whose
  chain file has a stray certificate appended.
- ``drift``: those names are served a certificate other than the bound one, as when a CDN was put in front or the
  certificate was changed in a console: a leaf the frontend makes for the name (it covers the name, EC P-256, valid
  from an hour ago for ``DRIFT_LEAF_DAYS`` days) followed by its issuer, a CA the frontend makes once
  (``CN=sandbox CDN CA``), so the chain is complete and well formed (only its root is not trusted anywhere).  The leaf
  is made once per name and cached, so every handshake serves the same one.  It applies only where a binding
  resolves: an unknown name still fails with ``unrecognized_name``.
- ``unreachable``: the handshake of those names gets no answer: the frontend holds the connection silent (no
  ServerHello) for ``UNREACHABLE_HOLD`` seconds, then fails the handshake and closes it, so a client with a shorter
  timeout times out.  Only that connection's thread waits (``stop()`` wakes it).  This applies whether or not a
  binding resolves (the endpoint itself does not answer).

Precedence, for a name in several lists: ``unreachable`` first (nothing is served), then ``drift`` (the sandbox's own
chain replaces the bound one, so the chain faults do not apply to it), then the chain faults, of which a name gets
only one, in this order: ``leaf_only``, ``stale_intermediate``, ``unrelated``.  ``stuck`` combines with all of them:
it only chooses which document (seed or live state) the binding is resolved against.

Load balancer addresses: a CLB load balancer whose ``LoadBalancerVips`` are loopback addresses (``127.0.0.0/8``, other
than the frontend's own host) is served on each of them at the frontend's port, as the real load balancer serves its
listeners on its VIP: a connection there gets the listener's SNI rule for the name, else the listener's certificate,
whatever the name (a listener without SNI serves every name).  ``vip_certificate(doc, vip, name)`` resolves those.
Where the system cannot bind an address (loopback aliases other than 127.0.0.1 are Linux-only), it is logged and
skipped.

The chain faults and ``drift`` apply to whatever is resolved (for a stuck name: to the seed binding), and the handshake
log line says so (``[leaf only]``, ``[stale intermediate]``, ``[unrelated certificate]``, ``[drift]``; an unreachable
name logs ``[unreachable]``).  Key material is never logged.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import logging
import os
import shutil
import socket
import socketserver
import ssl
import tempfile
import threading
import typing as t

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from . import certs, pki
from .state import SeedError, State

SECTION = 'tls'
HANDSHAKE_TIMEOUT = 5.0
REQUEST_TIMEOUT = 0.5
MAX_REQUEST_HEAD = 16 * 1024
MAX_CONTEXTS = 256
MAX_STALE_COPIES = 256
MAX_DRIFT_LEAVES = 256
UNREACHABLE_HOLD = 10.0  # seconds an unreachable name's connection is held silent before it is dropped
DRIFT_LEAF_DAYS = 60
CDN_CA_NAME = 'sandbox CDN CA'
UNRELATED_CA_NAME = 'sandbox unrelated CA'
LEAF_ONLY = 'leaf_only'
STALE_INTERMEDIATE = 'stale_intermediate'
UNRELATED = 'unrelated'
DRIFT = 'drift'
UNREACHABLE = 'unreachable'
NAME_LISTS = ('stuck', LEAF_ONLY, STALE_INTERMEDIATE, DRIFT, UNRELATED, UNREACHABLE)
# The lists seed() adds when absent (the others are optional: an absent list is empty).
CHAIN_FAULTS = (LEAF_ONLY, STALE_INTERMEDIATE, UNRELATED)  # in order of precedence: a name gets the first one listed
FAULT_LABELS = {LEAF_ONLY: 'leaf only', STALE_INTERMEDIATE: 'stale intermediate', UNRELATED: 'unrelated certificate',
                DRIFT: 'drift', UNREACHABLE: 'unreachable'}
ESA_SERVED_TYPES = ('upload', 'cas')

logger = logging.getLogger('sandbox_cloud')

Binding = t.Tuple[str, str, str]  # (source description, chain PEM, key PEM)


def seed(doc: dict[str, t.Any]) -> None:
    """Check the ``tls`` section of a seed document (every list of ``NAME_LISTS`` present must be a list of server
    names) and fill its defaults: an empty list for each."""
    section = doc.setdefault(SECTION, {})
    if not isinstance(section, dict):
        raise SeedError('tls must be a mapping')
    for key in NAME_LISTS:
        names = section.setdefault(key, [])
        if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
            raise SeedError('tls.%s must be a list of server names' % key)


def _names(doc: dict[str, t.Any], key: str) -> set[str]:
    """The lower-cased server names of ``tls.<key>`` (tolerates a patched-in string or garbage)."""
    section = doc.get(SECTION)
    names = section.get(key) if isinstance(section, dict) else None
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list):
        return set()
    return {name.lower() for name in names if isinstance(name, str)}


def stuck_names(doc: dict[str, t.Any]) -> set[str]:
    """The lower-cased server names of ``tls.stuck``."""
    return _names(doc, 'stuck')


def listed(doc: dict[str, t.Any], key: str, server_name: str) -> bool:
    """Whether a server name is in the list ``tls.<key>`` (e.g. ``DRIFT``, ``UNREACHABLE``), case-insensitively."""
    return (server_name or '').lower().rstrip('.') in _names(doc, key)


def chain_fault(doc: dict[str, t.Any], server_name: str) -> str | None:
    """The chain fault switched on for a server name: the first of ``CHAIN_FAULTS`` (``LEAF_ONLY``,
    ``STALE_INTERMEDIATE``, ``UNRELATED``) listing it, or None."""
    name = (server_name or '').lower().rstrip('.')
    for key in CHAIN_FAULTS:
        if name in _names(doc, key):
            return key
    return None


def name_covered(pattern: str, name: str) -> bool:
    """Whether a certificate name (``www.example.com`` or ``*.example.com``) covers a server name."""
    pattern, name = pattern.lower().rstrip('.'), name.lower().rstrip('.')
    if pattern == name:
        return True
    if pattern.startswith('*.'):
        head, sep, rest = name.partition('.')
        return bool(head) and bool(sep) and rest == pattern[2:]
    return False


def leaf_covers(chain_pem: t.Any, name: str) -> bool:
    """Whether the leaf of a PEM chain has a DNS SAN (or, without SANs, a common name) covering ``name``."""
    try:
        leaf = certs.parse_chain(chain_pem)[0]
    except (ValueError, TypeError):
        return False
    names = leaf.sans or ((leaf.common_name,) if leaf.common_name else ())
    return any(name_covered(pattern, name) for pattern in names)


def _items(container: t.Any, key: str) -> list[t.Any]:
    """``container[key]`` when it is a list of mappings (state may have been patched into any shape)."""
    value = container.get(key) if isinstance(container, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _section(doc: dict[str, t.Any], name: str) -> dict[str, t.Any]:
    value = doc.get(name)
    return value if isinstance(value, dict) else {}


def _pair(source: str, chain: t.Any, key: t.Any) -> Binding | None:
    if isinstance(chain, str) and isinstance(key, str) and '-----BEGIN CERTIFICATE-----' in chain and 'PRIVATE KEY-----' in key:
        return source, chain, key
    return None


def _ssl_record(doc: dict[str, t.Any], certificate_id: t.Any, source: str) -> Binding | None:
    for record in _items(_section(doc, 'ssl'), 'certificates'):
        if certificate_id and record.get('CertificateId') == certificate_id:
            return _pair('%s -> ssl:%s' % (source, certificate_id), record.get('CertificatePublicKey'), record.get('CertificatePrivateKey'))
    return None


def _tse(doc: dict[str, t.Any], name: str) -> t.Iterator[Binding | None]:
    for gateway in _items(_section(doc, 'tse'), 'gateways'):
        for cert in _items(gateway, 'Certificates'):
            domains = cert.get('BindDomains') if isinstance(cert.get('BindDomains'), list) else []
            if any(isinstance(domain, str) and domain.lower() == name for domain in domains):
                yield _pair('tse:%s/%s' % (gateway.get('GatewayId'), cert.get('Id')), cert.get('Crt'), cert.get('Key'))


def _gaap(doc: dict[str, t.Any], name: str) -> t.Iterator[Binding | None]:
    section = _section(doc, 'gaap')
    store = {record.get('CertificateId'): record for record in _items(section, 'certificates')}
    for listener in _items(section, 'listeners'):
        for domain in _items(listener, 'Domains'):
            if str(domain.get('Domain') or '').lower() != name:
                continue
            certificate_id = domain.get('CertificateId') or 'default'
            if certificate_id == 'default':
                certificate_id = listener.get('CertificateId')
            record = store.get(certificate_id) if certificate_id else None
            if record is not None:
                yield _pair('gaap:%s/%s -> %s' % (listener.get('ListenerId'), name, certificate_id),
                            record.get('CertificateContent'), record.get('CertificateKey'))


def _teo(doc: dict[str, t.Any], name: str) -> t.Iterator[Binding | None]:
    for zone in _items(_section(doc, 'teo'), 'zones'):
        for domain in _items(zone, 'Domains'):
            certificate = domain.get('Certificate') if isinstance(domain.get('Certificate'), dict) else {}
            if str(domain.get('DomainName') or '').lower() != name or certificate.get('Mode') != 'sslcert':
                continue
            entries = _items(certificate, 'List')
            if entries:
                yield _ssl_record(doc, entries[0].get('CertId'), 'teo:%s/%s' % (zone.get('ZoneId'), name))


def _clb_rules(doc: dict[str, t.Any], name: str) -> t.Iterator[Binding | None]:
    """SNI rules whose Domain is the name."""
    load_balancers = _items(_section(doc, 'clb'), 'load_balancers')
    for load_balancer in load_balancers:
        for listener in _items(load_balancer, 'Listeners'):
            for rule in _items(listener, 'Rules'):
                certificate = rule.get('Certificate')
                if str(rule.get('Domain') or '').lower() == name and isinstance(certificate, dict):
                    yield _ssl_record(doc, certificate.get('CertId'), 'clb:%s/%s/%s' % (
                        load_balancer.get('LoadBalancerId'), listener.get('ListenerId'), rule.get('LocationId')))


def _clb_listeners(doc: dict[str, t.Any], name: str) -> t.Iterator[Binding | None]:
    """Listener certificates whose names cover the name (looked up after every exact match and ESA)."""
    for load_balancer in _items(_section(doc, 'clb'), 'load_balancers'):
        for listener in _items(load_balancer, 'Listeners'):
            certificate = listener.get('Certificate')
            if isinstance(certificate, dict):
                binding = _ssl_record(doc, certificate.get('CertId'), 'clb:%s/%s' % (load_balancer.get('LoadBalancerId'), listener.get('ListenerId')))
                if binding is not None and leaf_covers(binding[1], name):
                    yield binding


def _esa(doc: dict[str, t.Any], name: str) -> t.Iterator[Binding | None]:
    sites = _items(_section(doc, 'esa'), 'sites')
    # A site serves its own domain and the names under it: its certificates come first.
    own = [site for site in sites if _under(name, str(site.get('SiteName') or '').lower().rstrip('.'))]
    yield from _esa_certificates(doc, own, name)
    yield from _esa_certificates(doc, [site for site in sites if site not in own], name)


def _esa_certificates(doc: dict[str, t.Any], sites: list[dict[str, t.Any]], name: str) -> t.Iterator[Binding | None]:
    cas = _items(_section(doc, 'esa'), 'cas')
    found = []
    for site in sites:
        for index, cert in enumerate(_items(site, 'Certificates')):
            if cert.get('Type', 'upload') not in ESA_SERVED_TYPES:
                continue
            chain, key = cert.get('Certificate'), cert.get('PrivateKey')
            if cert.get('Type') == 'cas' and not (chain and key):
                entry = next((item for item in cas if str(item.get('CasId')) == str(cert.get('CasId'))
                              and (not cert.get('Region') or item.get('Region', cert.get('Region')) == cert.get('Region'))), {})
                chain, key = chain or entry.get('Certificate'), key or entry.get('PrivateKey')
            if leaf_covers(chain, name):
                found.append((str(cert.get('UpdateTime') or cert.get('CreateTime') or ''), index,
                              _pair('esa:%s/%s' % (site.get('SiteId'), cert.get('Id')), chain, key)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    for item in found:
        yield item[2]


def _under(name: str, domain: str) -> bool:
    return bool(domain) and (name == domain or name.endswith('.' + domain))


# Exact name matches first, then the certificates chosen by the names they cover.
RESOLVERS = (_tse, _gaap, _teo, _clb_rules, _esa, _clb_listeners)


def resolve(doc: dict[str, t.Any], server_name: str) -> Binding | None:
    """Like ``served_certificate`` but also return where the pair is bound (for logs): ``(source, chain, key)``."""
    name = (server_name or '').lower().rstrip('.')
    if not name:
        return None
    for resolver in RESOLVERS:
        for binding in resolver(doc, name):
            if binding is not None:
                return binding
    return None


def loopback_vips(doc: dict[str, t.Any], host: str) -> list[str]:
    """The CLB load balancer VIPs of a state document served on their own address: loopback ones, other than ``host``."""
    found: list[str] = []
    for load_balancer in _items(_section(doc, 'clb'), 'load_balancers'):
        vips = load_balancer.get('LoadBalancerVips')
        for vip in vips if isinstance(vips, list) else []:
            if isinstance(vip, str) and vip.startswith('127.') and vip != host and vip not in found:
                found.append(vip)
    return found


def vip_certificate(doc: dict[str, t.Any], vip: str, server_name: str) -> Binding | None:
    """What a load balancer serves on its VIP to a server name: the SNI rule for the name, else the listener's own
    certificate (an HTTPS listener without SNI serves it to every name)."""
    name = (server_name or '').lower().rstrip('.')
    for load_balancer in _items(_section(doc, 'clb'), 'load_balancers'):
        vips = load_balancer.get('LoadBalancerVips')
        if vip not in (vips if isinstance(vips, list) else []):
            continue
        for listener in _items(load_balancer, 'Listeners'):
            where = 'clb:%s/%s' % (load_balancer.get('LoadBalancerId'), listener.get('ListenerId'))
            for rule in _items(listener, 'Rules'):
                certificate = rule.get('Certificate')
                if str(rule.get('Domain') or '').lower() == name and isinstance(certificate, dict):
                    return _ssl_record(doc, certificate.get('CertId'), '%s/%s' % (where, rule.get('LocationId')))
            certificate = listener.get('Certificate')
            if isinstance(certificate, dict):
                return _ssl_record(doc, certificate.get('CertId'), where)
    return None


def served_certificate(state_doc: dict[str, t.Any], server_name: str) -> tuple[str, str] | None:
    """The ``(chain PEM, key PEM)`` bound to ``server_name`` in a state document, or None (first match wins).

    Order: tse (a gateway certificate whose BindDomains has the name), gaap (listener domain; ``default`` is the
    listener's certificate), teo (``sslcert`` domain: its first SSL-store id), clb (an SNI rule for the name, else a
    listener certificate whose leaf covers it), esa (an upload/cas site certificate whose leaf covers the name, the
    latest UpdateTime first).  Bindings without a usable PEM pair are skipped.  Names compare case-insensitively.
    """
    binding = resolve(state_doc, server_name)
    return (binding[1], binding[2]) if binding else None


def _write_private(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as handle:
        handle.write(text)


def _printable(value: str) -> str:
    """Keep a client-chosen value (the SNI name) from breaking the reply's header lines."""
    return ''.join(char for char in str(value) if char.isprintable() and not char.isspace())


class _Handler(socketserver.BaseRequestHandler):
    """One TLS connection: handshake (the SNI callback picks the certificate), one HTTP reply, close."""

    server: 'TlsFrontend'

    def handle(self) -> None:
        raw: socket.socket = self.request
        raw.settimeout(HANDSHAKE_TIMEOUT)
        try:
            tls = self.server.default_context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            logger.debug('tls handshake from %s:%d failed: %s', self.client_address[0], self.client_address[1], exc)
            return
        try:
            served = tuple(_printable(value) for value in getattr(tls, 'sandbox_served', None) or ('', '', ''))
            request_line = self._read_request(tls)
            body = ('sandbox cloud TLS frontend\nserver_name: %s\nsource: %s\nsha256: %s\n' % served).encode('utf-8')
            head = ('HTTP/1.1 200 OK\r\nServer: SandboxCloud/1.0\r\nContent-Type: text/plain; charset=utf-8\r\n'
                    'Content-Length: %d\r\nX-Sandbox-Server-Name: %s\r\nX-Sandbox-Certificate-Sha256: %s\r\nConnection: close\r\n\r\n'
                    % (len(body), served[0], served[2]))
            tls.sendall(head.encode('utf-8') + (b'' if request_line.startswith('HEAD ') else body))
            tls.settimeout(REQUEST_TIMEOUT)
            tls.unwrap()
        except (ssl.SSLError, OSError):
            pass
        finally:
            tls.close()

    @staticmethod
    def _read_request(tls: ssl.SSLSocket) -> str:
        """Read the request head if the client sends one (briefly); return its first line."""
        tls.settimeout(REQUEST_TIMEOUT)
        data = b''
        try:
            while b'\r\n\r\n' not in data and b'\n\n' not in data and len(data) < MAX_REQUEST_HEAD:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                data += chunk
        except (ssl.SSLError, OSError):
            pass
        return data.split(b'\n', 1)[0].decode('latin-1').strip()


class _Lookup(t.NamedTuple):
    """What the SNI callback needs about a server name, read under one state lock."""

    binding: Binding | None
    stuck: bool
    fault: str | None  # the chain fault (CHAIN_FAULTS), if any
    drift: bool
    unreachable: bool


class TlsFrontend(socketserver.ThreadingTCPServer):
    """Serve over TLS, selected by SNI, the certificate chain each server name is bound to in ``state``.

    Call ``start_background()`` then ``stop()``; ``port`` is the bound port (``port=0`` picks a free one).
    Key files only exist while an ``SSLContext`` loads them, in a private (0700) directory removed by ``stop()``.
    """

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, state: State, host: str = '127.0.0.1', port: int = 0, vip: str | None = None) -> None:
        self.state = state
        self.vip = vip  # set on the frontend serving one load balancer address
        self.vip_frontends: list[TlsFrontend] = []
        self.workdir = tempfile.mkdtemp(prefix='sandbox-tls-')
        self._contexts: collections.OrderedDict[str, ssl.SSLContext] = collections.OrderedDict()
        self._stale: collections.OrderedDict[str, str] = collections.OrderedDict()  # intermediate sha256 -> stale copy PEM
        self._drift: collections.OrderedDict[str, tuple[str, str]] = collections.OrderedDict()  # name -> (chain PEM, key PEM)
        self._cas: dict[str, pki.Issued] = {}  # the CAs the frontend makes (CDN_CA_NAME, UNRELATED_CA_NAME), by name
        self._closing = threading.Event()  # set by stop(): wakes the connections held silent (unreachable)
        self._lock = threading.Lock()
        self._counter = 0
        self._thread: threading.Thread | None = None
        try:
            fallback = pki.make_ca('certops sandbox TLS frontend (unrecognized name)')
            self.default_context = self._new_context(fallback.cert_pem, fallback.key_pem)
            self.default_context.sni_callback = self._sni_callback
            super().__init__((host, port), _Handler)
        except BaseException:
            shutil.rmtree(self.workdir, ignore_errors=True)
            raise

    @property
    def host(self) -> str:
        """The bound address."""
        return self.server_address[0]

    @property
    def port(self) -> int:
        """The bound TCP port."""
        return self.server_address[1]

    def _new_context(self, chain_pem: str, key_pem: str) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        with self._lock:
            self._counter += 1
            stem = os.path.join(self.workdir, 'pair-%d' % self._counter)
        cert_path, key_path = stem + '.crt', stem + '.key'
        try:
            _write_private(cert_path, chain_pem)
            _write_private(key_path, key_pem)
            context.load_cert_chain(cert_path, key_path)
        finally:
            for path in (cert_path, key_path):
                if os.path.exists(path):
                    os.unlink(path)
        return context

    def context_for(self, chain_pem: str, key_pem: str) -> ssl.SSLContext:
        """The cached ``SSLContext`` serving a chain/key pair (cached by the SHA-256 of both)."""
        digest = hashlib.sha256(chain_pem.encode('utf-8') + b'\0' + key_pem.encode('utf-8')).hexdigest()
        with self._lock:
            context = self._contexts.get(digest)
            if context is not None:
                self._contexts.move_to_end(digest)
                return context
        context = self._new_context(chain_pem, key_pem)
        with self._lock:
            self._contexts[digest] = context
            while len(self._contexts) > MAX_CONTEXTS:
                self._contexts.popitem(last=False)
        return context

    def lookup(self, server_name: str) -> tuple[Binding | None, bool]:
        """Resolve a server name against the live state (or the seed when it is stuck): ``(binding, stuck)``."""
        found = self._lookup(server_name)
        return found.binding, found.stuck

    def _lookup(self, server_name: str) -> _Lookup:
        """``lookup`` plus the chain fault, drift and unreachable switches for the name (read under the same state lock)."""
        name = (server_name or '').lower().rstrip('.')
        with self.state.lock:
            live = self.state.data
            if listed(live, UNREACHABLE, name):
                return _Lookup(None, False, None, False, True)
            stuck = name in stuck_names(live)
            doc = self.state.seed if stuck else live
            binding = vip_certificate(doc, self.vip, name) if self.vip else resolve(doc, name)
            return _Lookup(binding, stuck, chain_fault(live, name), listed(live, DRIFT, name), False)

    def sandbox_ca(self, common_name: str) -> pki.Issued:
        """A self-signed CA the frontend makes for itself (``CDN_CA_NAME``, ``UNRELATED_CA_NAME``): made once, then cached."""
        with self._lock:
            ca = self._cas.get(common_name)
        if ca is None:
            made = pki.make_ca(common_name)
            with self._lock:
                # another handshake may have made one meanwhile: everybody uses the first one stored
                ca = self._cas.setdefault(common_name, made)
        return ca

    def drift_pair(self, server_name: str) -> tuple[str, str]:
        """The ``(chain PEM, key PEM)`` served to a drifted name: a leaf for the name issued by the sandbox CDN CA, then
        that CA (made once per name, then cached)."""
        name = (server_name or '').lower().rstrip('.')
        with self._lock:
            pair = self._drift.get(name)
            if pair is not None:
                self._drift.move_to_end(name)
                return pair
        ca = self.sandbox_ca(CDN_CA_NAME)
        not_before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=1)
        leaf = pki.make_leaf(name, [name], ca, not_before, not_before + datetime.timedelta(days=DRIFT_LEAF_DAYS))
        made = (leaf.cert_pem + ca.cert_pem, leaf.key_pem)
        with self._lock:
            pair = self._drift.setdefault(name, made)
            while len(self._drift) > MAX_DRIFT_LEAVES:
                self._drift.popitem(last=False)
        return pair

    def stale_copy(self, cert: x509.Certificate) -> str:
        """The PEM of the stale copy of an intermediate (made once per intermediate fingerprint, then cached)."""
        digest = cert.fingerprint(hashes.SHA256()).hex()
        with self._lock:
            pem = self._stale.get(digest)
            if pem is not None:
                self._stale.move_to_end(digest)
                return pem
        pem = pki.make_stale_copy(cert).public_bytes(serialization.Encoding.PEM).decode('ascii')
        with self._lock:
            # another handshake may have made one meanwhile: everybody serves the first one stored
            pem = self._stale.setdefault(digest, pem)
            while len(self._stale) > MAX_STALE_COPIES:
                self._stale.popitem(last=False)
        return pem

    def faulty_chain(self, chain_pem: str, fault: str | None) -> str:
        """The chain PEM to serve for a bound chain under a chain fault (the bound chain itself without one)."""
        if fault is None:
            return chain_pem
        chain = [facts.cert for facts in certs.parse_chain(chain_pem)]
        served = [chain[0].public_bytes(serialization.Encoding.PEM).decode('ascii')]
        if fault == STALE_INTERMEDIATE:
            served.extend(self.stale_copy(cert) for cert in chain[1:])
        elif fault == UNRELATED:
            served.extend(cert.public_bytes(serialization.Encoding.PEM).decode('ascii') for cert in chain[1:])
            served.append(self.sandbox_ca(UNRELATED_CA_NAME).cert_pem)
        return ''.join(served)

    def _hold_silent(self, server_name: str) -> int:
        """Answer nothing to an unreachable name for ``UNREACHABLE_HOLD`` seconds (or until ``stop()``), then fail."""
        logger.info('tls %s: no answer, connection held silent for %gs then dropped [%s]', server_name, UNREACHABLE_HOLD,
                    FAULT_LABELS[UNREACHABLE])
        self._closing.wait(UNREACHABLE_HOLD)
        return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE

    def _sni_callback(self, ssl_socket: t.Any, server_name: str | None, _context: ssl.SSLContext) -> int | None:
        if not server_name:
            logger.info('tls handshake without SNI refused')
            return ssl.ALERT_DESCRIPTION_HANDSHAKE_FAILURE
        try:
            binding, stuck, fault, drift, unreachable = self._lookup(server_name)
            if unreachable:
                return self._hold_silent(server_name)
            if binding is None:
                logger.info('tls %s: no certificate bound, unrecognized_name', server_name)
                return ssl.ALERT_DESCRIPTION_UNRECOGNIZED_NAME
            source, chain_pem, key_pem = binding
            if drift:
                chain_pem, key_pem = self.drift_pair(server_name)
                fault = DRIFT
            else:
                chain_pem = self.faulty_chain(chain_pem, fault)
            ssl_socket.context = self.context_for(chain_pem, key_pem)
            fingerprint = certs.parse_chain(chain_pem)[0].fingerprint_sha256
        except Exception as exc:  # pylint: disable=broad-except
            # never log the exception text: it could quote state values
            logger.warning('tls %s: cannot serve the bound certificate (%s %s)', server_name, type(exc).__name__, getattr(exc, 'reason', '') or '')
            return ssl.ALERT_DESCRIPTION_INTERNAL_ERROR
        ssl_socket.sandbox_served = (server_name, source, fingerprint)
        logger.info('tls %s -> %s sha256=%s%s%s', server_name, source, fingerprint, ' [stuck: seed binding]' if stuck else '',
                    ' [%s]' % FAULT_LABELS[fault] if fault else '')
        return None

    def start_background(self) -> 'TlsFrontend':
        """Serve from a daemon thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name='sandbox-cloud-tls', daemon=True)
        self._thread.start()
        if self.vip is None:
            with self.state.lock:
                vips = loopback_vips(self.state.data, self.host)
            for vip in vips:
                try:
                    self.vip_frontends.append(TlsFrontend(self.state, vip, self.port, vip=vip).start_background())
                except OSError as exc:
                    logger.warning('tls: cannot serve load balancer address %s:%d (%s)', vip, self.port, exc.strerror or exc)
        return self

    def stop(self) -> None:
        """Stop serving, close the socket and remove the private directory (connections held silent are woken)."""
        self._closing.set()
        for frontend in self.vip_frontends:
            frontend.stop()
        self.vip_frontends = []
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()
        with self._lock:
            self._contexts.clear()
            self._stale.clear()
            self._drift.clear()
            self._cas.clear()
        shutil.rmtree(self.workdir, ignore_errors=True)
