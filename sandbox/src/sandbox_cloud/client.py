# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for tests: run the sandbox as a subprocess and talk to its control API.

Example::

    with SandboxProcess('state.yml') as sandbox:
        endpoint = sandbox.endpoint            # '127.0.0.1:PORT' for HttpProfile(endpoint=...)
        ...                                    # call the real SDK
        assert [e['action'] for e in sandbox.client.writes()] == ['UploadCertificate']
        der = sandbox.served_certificate('www.example.com')   # the leaf the TLS frontend serves for that SNI name
"""

from __future__ import annotations

import json
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.error
import urllib.request


class SandboxError(RuntimeError):
    """The sandbox could not be started or a control call failed."""


def fetch_served_certificate(port: int, server_name: str, host: str = '127.0.0.1', timeout: float = 10.0) -> bytes:
    """Connect to the TLS frontend with SNI ``server_name`` (no verification) and return the leaf certificate (DER).

    Raises ``ssl.SSLError`` when the sandbox has no certificate bound to the name (``unrecognized_name`` alert).
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=timeout) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            return tls.getpeercert(binary_form=True)


class SandboxClient:
    """Control API client (``/_sandbox/...``) of a running sandbox."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self.url = url.rstrip('/')
        self.timeout = timeout

    def _request(self, method: str, path: str, body: t.Any = None) -> t.Any:
        data = json.dumps(body).encode('utf-8') if body is not None else None
        request = urllib.request.Request(self.url + '/_sandbox/' + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # nosec - loopback URL
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise SandboxError('%s %s failed: HTTP %d %s' % (method, path, exc.code, exc.read().decode('utf-8', 'replace'))) from exc

    def health(self) -> bool:
        """True when the sandbox answers."""
        return bool(self._request('GET', 'health').get('ok'))

    def log(self, since: int | None = None) -> list[dict[str, t.Any]]:
        """Request log entries (after sequence number ``since``)."""
        return self._request('GET', 'log' + ('?since=%d' % since if since is not None else ''))['entries']

    def last_seq(self) -> int:
        """The sequence number of the latest log entry (use as ``since`` later)."""
        return self._request('GET', 'log?since=%d' % (2 ** 62))['last_seq']

    def writes(self, since: int | None = None) -> list[dict[str, t.Any]]:
        """Log entries of write actions (successful or not; a call the key's policy denied is no write)."""
        return [entry for entry in self.log(since) if entry['write']]

    def reset(self) -> None:
        """Restore the seed state, clear the log and the faults."""
        self._request('POST', 'reset')

    def state(self) -> dict[str, t.Any]:
        """The current state (private keys and secrets redacted)."""
        return self._request('GET', 'state')

    def patch_state(self, path: list[t.Any], value: t.Any = None, op: str = 'set') -> None:
        """Change the state at ``path``; ``op`` is ``set``, ``append`` or ``delete``."""
        self._request('POST', 'state/patch', {'path': path, 'value': value, 'op': op})

    def set_policy(self, key: str, policy: list[str] | None) -> None:
        """Set the policy of the account holding ``key`` (SecretId or AccessKey ID); None allows everything (see ``policy``)."""
        self._request('POST', 'policy', {'key': key, 'policy': policy})

    def set_role_policy(self, role_arn: str, policy: list[str] | None) -> None:
        """Set the policy of an STS role (what its temporary credentials may call); None allows everything."""
        self._request('POST', 'policy', {'role_arn': role_arn, 'policy': policy})

    def tls(self) -> dict[str, t.Any]:
        """``{"host", "port"}`` of the TLS frontend (raises ``SandboxError`` when it is disabled)."""
        return self._request('GET', 'tls')

    def tls_port(self) -> int:
        """The TLS frontend's port (connect with SNI = the server name whose bound certificate you want)."""
        return int(self.tls()['port'])

    def add_fault(self, **fault: t.Any) -> str:
        """Register a fault (see ``sandbox_cloud.faults``); returns its id."""
        return self._request('POST', 'faults', fault)['id']

    def faults(self) -> list[dict[str, t.Any]]:
        """The registered faults with their hit counts."""
        return self._request('GET', 'faults')['faults']

    def clear_faults(self) -> None:
        """Remove all faults."""
        self._request('DELETE', 'faults')


class SandboxProcess:
    """Runs ``python -m sandbox_cloud serve`` in a subprocess; usable as a context manager.

    ``tls_port``: the TLS frontend's port (0 picks a free one, None starts it with ``--no-tls``); once started,
    ``tls_port`` is the bound port (None when disabled).
    """

    def __init__(self, state_path: str, host: str = '127.0.0.1', port: int = 0, log_file: str | None = None,
                 startup_timeout: float = 15.0, tls_port: int | None = 0) -> None:
        self.state_path = state_path
        self.host = host
        self.port = port
        self.tls_port = tls_port
        self.log_file = log_file
        self.startup_timeout = startup_timeout
        self.url = ''
        self.pid = 0
        self.client: SandboxClient | None = None
        self._process: subprocess.Popen | None = None
        self._workdir: tempfile.TemporaryDirectory | None = None

    @property
    def endpoint(self) -> str:
        """``host:port`` as the Tencent SDK's ``HttpProfile.endpoint`` expects."""
        return self.url.split('://', 1)[1]

    def start(self) -> 'SandboxProcess':
        """Spawn the server and wait until its ready file appears."""
        self._workdir = tempfile.TemporaryDirectory(prefix='sandbox-cloud-')
        ready = os.path.join(self._workdir.name, 'ready.json')
        output_path = os.path.join(self._workdir.name, 'output.txt')
        command = [sys.executable, '-m', 'sandbox_cloud', 'serve', '--state', self.state_path,
                   '--host', self.host, '--port', str(self.port), '--ready-file', ready]
        if self.log_file:
            command += ['--log-file', self.log_file]
        command += ['--no-tls'] if self.tls_port is None else ['--tls-port', str(self.tls_port)]
        with open(output_path, 'wb') as output:
            self._process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        deadline = time.monotonic() + self.startup_timeout
        while not os.path.exists(ready):
            if self._process.poll() is not None or time.monotonic() > deadline:
                output = self.output()
                self.stop()
                raise SandboxError('sandbox did not start:\n' + output)
            time.sleep(0.05)
        with open(ready, encoding='utf-8') as handle:
            info = json.load(handle)
        self.url, self.port, self.pid = info['url'], info['port'], info['pid']
        self.tls_port = info.get('tls_port')
        self.client = SandboxClient(self.url)
        return self

    def served_certificate(self, server_name: str, timeout: float = 10.0) -> bytes:
        """The leaf certificate (DER) the TLS frontend serves for SNI ``server_name`` (``ssl.SSLError`` if none)."""
        if not self.tls_port:
            raise SandboxError('the TLS frontend is not running')
        return fetch_served_certificate(self.tls_port, server_name, self.host, timeout)

    def output(self) -> str:
        """What the server printed so far (stdout and stderr)."""
        if self._workdir is None:
            return ''
        with open(os.path.join(self._workdir.name, 'output.txt'), encoding='utf-8', errors='replace') as handle:
            return handle.read()

    def stop(self) -> None:
        """Terminate the server (SIGTERM, then SIGKILL after 5 s)."""
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
                try:
                    self._process.wait(5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None

    @property
    def returncode(self) -> int | None:
        """Exit status once stopped by itself, else None."""
        return self._process.returncode if self._process is not None else None

    def __enter__(self) -> 'SandboxProcess':
        return self.start()

    def __exit__(self, *exc_info: t.Any) -> None:
        self.stop()
