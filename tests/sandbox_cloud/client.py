# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for tests: run the sandbox as a subprocess and talk to its control API.

Example::

    with SandboxProcess('state.yml') as sandbox:
        endpoint = sandbox.endpoint            # '127.0.0.1:PORT' for HttpProfile(endpoint=...)
        ...                                    # call the real SDK
        assert [e['action'] for e in sandbox.client.writes()] == ['UploadCertificate']
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import typing as t
import urllib.error
import urllib.request

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class SandboxError(RuntimeError):
    """The sandbox could not be started or a control call failed."""


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
        """Log entries of write actions (successful or not)."""
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
    """Runs ``python -m sandbox_cloud serve`` in a subprocess; usable as a context manager."""

    def __init__(self, state_path: str, host: str = '127.0.0.1', port: int = 0, log_file: str | None = None,
                 startup_timeout: float = 15.0) -> None:
        self.state_path = state_path
        self.host = host
        self.port = port
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
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(filter(None, [PACKAGE_PARENT, env.get('PYTHONPATH')]))
        with open(output_path, 'wb') as output:
            self._process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
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
        self.client = SandboxClient(self.url)
        return self

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
