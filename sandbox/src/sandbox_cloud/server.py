# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP plumbing: the sandbox application, its control API and the threading HTTP server.

Requests under ``/_sandbox/`` go to the control API (no signature).  Every other request is an API
call: the first *dialect* whose ``matches()`` accepts it handles it.  A dialect implements
``identify(request) -> Call``, ``handle(request, call) -> HttpReply`` and
``error_reply(call, ApiError) -> HttpReply``.  The Tencent dialect (``tc3.TencentDialect``) is the
default; an Alibaba Cloud dialect (ACS3-HMAC-SHA256, RPC-style parameters, error body
``{"RequestId", "Code", "Message", "HostId"}``) is added to ``SandboxApp.dialects`` in front of it,
matching requests whose Authorization starts with ``ACS3-HMAC-SHA256``.
"""

from __future__ import annotations

import copy
import json
import logging
import socket
import struct
import threading
import time
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import state as state_mod
from . import tls as tls_mod
from .acs3 import AlibabaDialect
from .core import ApiError, HttpReply, HttpRequest
from .faults import FaultRegistry
from .requestlog import RequestLog
from .services import ALIBABA_SERVICES, TENCENT_SERVICES
from .tc3 import TencentDialect

CONTROL_PREFIX = '/_sandbox/'
MAX_BODY = 16 * 1024 * 1024

logger = logging.getLogger('sandbox_cloud')


def build_seed(raw: dict[str, t.Any]) -> dict[str, t.Any]:
    """Normalize a raw seed document (accounts first, then every service in registry order)."""
    doc = copy.deepcopy(raw)
    state_mod.normalize_accounts(doc)
    for cls in TENCENT_SERVICES + ALIBABA_SERVICES:
        cls.seed(doc)
    tls_mod.seed(doc)
    return doc


class SandboxApp:
    """Everything but the sockets: state, dialects, faults, request log and the control API."""

    def __init__(self, seed: dict[str, t.Any], log_file: str | None = None) -> None:
        self.state = state_mod.State(build_seed(seed))
        self.faults = FaultRegistry()
        self.log = RequestLog(log_file)
        self.dialects = [AlibabaDialect(self.state), TencentDialect(self.state)]
        self.tls: tls_mod.TlsFrontend | None = None  # set by SandboxServer unless TLS is disabled

    @classmethod
    def from_file(cls, path: str, log_file: str | None = None) -> 'SandboxApp':
        """Create the application from a JSON/YAML seed file."""
        return cls(state_mod.read_seed(path), log_file=log_file)

    def handle(self, request: HttpRequest) -> HttpReply:
        """Route one HTTP request."""
        if request.path.startswith(CONTROL_PREFIX):
            return self.control(request)
        return self.api(request)

    # --- API calls ---------------------------------------------------------------------------------

    def api(self, request: HttpRequest) -> HttpReply:
        """Handle an API call: apply a matching fault, else dispatch; log it either way."""
        dialect = next(d for d in self.dialects if d.matches(request))
        call = dialect.identify(request)
        fault = self.faults.take(call)
        reply = None
        if fault is not None:
            call.fault = fault.id
            if fault.kind == 'latency':
                time.sleep(fault.seconds)
            elif fault.kind == 'reset':
                call.error_code = 'Sandbox.ConnectionReset'
                reply = HttpReply(disconnect=True)
            elif fault.kind == 'http_status':
                call.error_code = 'Sandbox.HttpStatus%d' % fault.status
                reply = HttpReply(status=fault.status, body=b'sandbox fault: HTTP %d\n' % fault.status, content_type='text/plain')
            elif fault.kind in ('error', 'throttle'):
                retry_after = self.faults.throttle_wait(fault, call) if fault.kind == 'throttle' else None
                reply = dialect.error_reply(call, ApiError(fault.code, fault.message, retry_after=retry_after))
        if reply is None:
            reply = dialect.handle(request, call)
            if fault is not None and fault.kind == 'lost_reply':
                reply = HttpReply(disconnect=True)
            elif fault is not None and fault.kind == 'slow_reply':
                time.sleep(fault.seconds)
        entry = self.log.append(call)
        logger.info('%s %s %s %s%s%s%s', entry['provider'], entry['service'], entry['action'], 'ok' if entry['ok'] else entry['error_code'],
                    ' [write]' if entry['write'] else '', ' [%s]' % entry['fault'] if entry['fault'] else '',
                    ' [denied %s]' % entry['denied'] if entry['denied'] else '')
        return reply

    # --- control API ---------------------------------------------------------------------------------

    def control(self, request: HttpRequest) -> HttpReply:
        """Serve ``/_sandbox/...``."""
        route = (request.method, request.path[len(CONTROL_PREFIX):].rstrip('/'))
        try:
            body = json.loads(request.body) if request.body else {}
        except ValueError:
            return HttpReply.json({'error': 'the body is not valid JSON'}, status=400)
        if route == ('GET', 'health'):
            return HttpReply.json({'ok': True})
        if route == ('GET', 'log'):
            since = parse_qs(request.query).get('since', ['0'])[0]
            if not since.isdigit():
                return HttpReply.json({'error': 'since must be a sequence number'}, status=400)
            entries, last = self.log.since(int(since))
            return HttpReply.json({'entries': entries, 'last_seq': last})
        if route == ('POST', 'reset'):
            self.state.reset()
            self.log.clear()
            self.faults.clear()
            return HttpReply.json({'ok': True})
        if route == ('GET', 'state'):
            return HttpReply.json(self.state.snapshot())
        if route == ('POST', 'state/patch'):
            try:
                self.state.patch(body.get('path'), body.get('value'), body.get('op', 'set'))
            except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
                return HttpReply.json({'error': 'cannot patch: %r' % exc}, status=400)
            return HttpReply.json({'ok': True})
        if route == ('POST', 'policy'):
            return self._set_policy(body)
        if route == ('GET', 'tls'):
            if self.tls is None:
                return HttpReply.json({'error': 'the TLS frontend is disabled'}, status=404)
            return HttpReply.json({'host': self.tls.host, 'port': self.tls.port})
        if route == ('GET', 'faults'):
            return HttpReply.json({'faults': self.faults.snapshot()})
        if route == ('POST', 'faults'):
            try:
                fault = self.faults.add(body)
            except (TypeError, ValueError) as exc:
                return HttpReply.json({'error': str(exc)}, status=400)
            return HttpReply.json({'id': fault.id})
        if route == ('DELETE', 'faults'):
            self.faults.clear()
            return HttpReply.json({'ok': True})
        return HttpReply.json({'error': 'no control endpoint %s %s' % route}, status=404)

    def _set_policy(self, body: t.Any) -> HttpReply:
        """``POST /_sandbox/policy``: ``{"key": <secret_id or access_key_id>, "policy": [...] | null}`` or ``{"role_arn", "policy"}``.

        404 for a key no account holds or a role no account lists, 400 for a malformed body or policy.
        """
        if not isinstance(body, dict) or 'policy' not in body or ('key' in body) == ('role_arn' in body):
            return HttpReply.json({'error': 'the body must be {"key": <SecretId or AccessKey ID>, "policy": [...] | null} '
                                            'or {"role_arn": <role ARN>, "policy": [...] | null}'}, status=400)
        try:
            if 'role_arn' in body:
                self.state.set_role_policy(body['role_arn'], body['policy'])
            else:
                self.state.set_policy(body['key'], body['policy'])
        except KeyError as exc:
            return HttpReply.json({'error': exc.args[0]}, status=404)
        except ValueError as exc:
            return HttpReply.json({'error': str(exc)}, status=400)
        return HttpReply.json({'ok': True})


class _Handler(BaseHTTPRequestHandler):
    """Adapts ``http.server`` to ``SandboxApp.handle``."""

    protocol_version = 'HTTP/1.1'
    server_version = 'SandboxCloud/1.0'
    # The headers and the body leave in two writes: without TCP_NODELAY the body waits for the client's delayed ACK
    # of the headers, 40 ms on Linux, on every call of a kept-alive connection.
    disable_nagle_algorithm = True
    server: 'SandboxServer'

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve()

    def log_message(self, format: str, *args: t.Any) -> None:  # pylint: disable=redefined-builtin
        logger.debug('%s - %s', self.address_string(), format % args)

    def _serve(self) -> None:
        length = int(self.headers.get('Content-Length') or 0)
        if length > MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b''
        parts = urlsplit(self.path)
        request = HttpRequest(
            method=self.command,
            path=parts.path or '/',
            query=parts.query,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        try:
            reply = self.server.app.handle(request)
        except Exception:  # pylint: disable=broad-except
            logger.exception('unexpected error while handling %s %s', self.command, self.path)
            reply = HttpReply.json({'error': 'internal sandbox error, see the sandbox log'}, status=500)
        if reply.disconnect:
            self._drop_connection()
            return
        self.send_response(reply.status)
        self.send_header('Content-Type', reply.content_type)
        self.send_header('Content-Length', str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def _drop_connection(self) -> None:
        """Close the connection abruptly (RST) without sending a reply."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        except OSError:
            pass


class SandboxServer(ThreadingHTTPServer):
    """A threading HTTP server bound to a ``SandboxApp``, with its TLS frontend (``tls.TlsFrontend``).

    ``tls_port`` is the TLS frontend's port on the same host (0 picks a free one, None disables it).
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, app: SandboxApp, host: str = '127.0.0.1', port: int = 0, tls_port: int | None = 0) -> None:
        self.app = app
        super().__init__((host, port), _Handler)
        self._thread: threading.Thread | None = None
        self.tls: tls_mod.TlsFrontend | None = None
        if tls_port is not None:
            try:
                self.tls = tls_mod.TlsFrontend(app.state, host, tls_port)
            except BaseException:
                self.server_close()
                raise
        app.tls = self.tls

    @property
    def tls_port(self) -> int | None:
        """The TLS frontend's port, None when disabled."""
        return self.tls.port if self.tls is not None else None

    @property
    def port(self) -> int:
        """The bound TCP port."""
        return self.server_address[1]

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8123``."""
        return 'http://%s:%d' % (self.server_address[0], self.port)

    def start_background(self) -> 'SandboxServer':
        """Serve from a daemon thread (for in-process tests); returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name='sandbox-cloud', daemon=True)
        self._thread.start()
        if self.tls is not None:
            self.tls.start_background()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()
        if self.tls is not None:
            self.tls.stop()
