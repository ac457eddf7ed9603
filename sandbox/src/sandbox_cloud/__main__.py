# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``python -m sandbox_cloud serve|pki``."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import tempfile
import threading
import typing as t

from . import pki
from .server import SandboxApp, SandboxServer
from .state import SeedError


def write_ready_file(path: str, data: dict[str, t.Any]) -> None:
    """Write JSON to ``path`` atomically (temporary file + rename)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.ready-', suffix='.json')
    with os.fdopen(fd, 'w', encoding='utf-8') as handle:
        json.dump(data, handle)
    os.replace(tmp, path)


def serve(args: argparse.Namespace) -> int:
    """Run the sandbox until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format='%(asctime)s sandbox %(message)s')
    try:
        app = SandboxApp.from_file(args.state, log_file=args.log_file)
    except (OSError, SeedError) as exc:
        print('sandbox cloud: cannot load state: %s' % exc, file=sys.stderr)
        return 2
    try:
        server = SandboxServer(app, args.host, args.port, None if args.no_tls else args.tls_port)
    except OSError as exc:
        print('sandbox cloud: cannot listen: %s' % exc, file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server.start_background()
    if args.ready_file:
        write_ready_file(args.ready_file, {'url': server.url, 'port': server.port, 'pid': os.getpid(), 'tls_port': server.tls_port})
    print('sandbox cloud listening on %s%s' % (server.url, ', TLS (SNI) on port %d' % server.tls_port if server.tls_port else ''), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        if args.ready_file and os.path.exists(args.ready_file):
            os.unlink(args.ready_file)
    return 0


def make_pki(args: argparse.Namespace) -> int:
    """Write the demo PKI."""
    manifest = pki.generate_demo_pki(args.out, key_type=args.key_type)
    print('wrote %d certificates to %s' % (2 + len(manifest['leaves']), args.out))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog='python -m sandbox_cloud', description='Loopback emulation of the Tencent Cloud APIs used by certops.')
    commands = parser.add_subparsers(dest='command', required=True)
    serve_parser = commands.add_parser('serve', help='run the sandbox HTTP server')
    serve_parser.add_argument('--state', required=True, help='seed state file (YAML or JSON)')
    serve_parser.add_argument('--host', default='127.0.0.1')
    serve_parser.add_argument('--port', type=int, default=0, help='TCP port, 0 picks a free one')
    serve_parser.add_argument('--tls-port', type=int, default=0, help='TLS frontend port (serves the bound certificates by SNI), 0 picks a free one')
    serve_parser.add_argument('--no-tls', action='store_true', help='do not start the TLS frontend')
    serve_parser.add_argument('--ready-file', help='write {"url", "port", "pid", "tls_port"} here once listening (tls_port null with --no-tls)')
    serve_parser.add_argument('--log-file', help='append the request log here as JSON lines')
    serve_parser.add_argument('--verbose', action='store_true', help='also log HTTP-level details')
    serve_parser.set_defaults(func=serve)
    pki_parser = commands.add_parser('pki', help='generate a demo PKI (root, intermediate, leaves)')
    pki_parser.add_argument('--out', required=True, help='output directory')
    pki_parser.add_argument('--key-type', choices=('ec', 'rsa'), default='ec')
    pki_parser.set_defaults(func=make_pki)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == '__main__':
    sys.exit(main())
