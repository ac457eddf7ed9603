# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration harness: the collection installed from its tarball, a PKI, the sandbox cloud, ansible-playbook."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest
import yaml

import ansible

from reliability import record
from sandbox_cloud import pki
from sandbox_cloud.client import SandboxClient, SandboxProcess
# The seeded world's accounts and resource ids: the tests import them from here.
from sandbox_cloud.world import (  # noqa: F401 pylint: disable=unused-import
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, API_CERT_ID, CA_CERT_ID, CAS_ID, ESA_CERT_ID, FULL_SITE_ID, GAAP_CA_CERT, GAAP_OLD_CERT, GATEWAY,
    LB_MTLS, LB_OTHER_REGION, LB_SNI, LB_WEB, LB_WEB_VIP, LISTENER, NATIVE_ENTRY, OLD_CERT_ID, OTHER_SECRET_ID, OTHER_SECRET_KEY, REGION, ROLE_ARN,
    SECRET_ID, SECRET_KEY, SITE_ID, SSL_ENTRY, STS_ACCESS_KEY_ID, STS_ACCESS_KEY_SECRET, STS_SECURITY_TOKEN, TEO_CERT_ID, TEO_HOSTS,
    TEO_STALE_HOSTS, ZONE, integration_state as seed_state,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(sys.executable).parent
# The oldest supported ansible-core (requirements-2.16.txt, installed by `make test` in .venv-2.16): the tests marked
# ON_BOTH_CORES run with it as well.
OLDEST_BIN = pathlib.Path(os.environ.get("CERTOPS_OLDEST_ANSIBLE_BIN") or ROOT / ".venv-2.16" / "bin")
OLDEST_CORE = re.search(r"^ansible-core==(\S+)", (ROOT / "requirements-2.16.txt").read_text(), re.M).group(1)
ON_BOTH_CORES = pytest.mark.parametrize("ansible_bin", ["newest", "oldest"], indirect=True,
                                        ids=["core%s" % ansible.__version__, "core%s" % OLDEST_CORE])


def build_and_install(dest):
    """Build the tarball with ansible-galaxy and install it: what users get."""
    dist = dest / "dist"
    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "build", "--force", "--output-path", str(dist)],
                   cwd=ROOT, check=True, capture_output=True)
    tarball = next(dist.glob("certops-cloud-*.tar.gz"))
    path = dest / "collections"
    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "install", "--force", "-p", str(path), str(tarball)],
                   check=True, capture_output=True)
    return str(path)


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    return os.environ.get("CERTOPS_COLLECTIONS_PATH") or build_and_install(tmp_path_factory.mktemp("collection"))


class Pki:
    """Certificates for the tests: an old and a new leaf under one intermediate, and bad ones."""

    def __init__(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        day = datetime.timedelta(days=1)
        self.root = pki.make_ca("certops test root")
        self.intermediate = pki.make_ca("certops test intermediate", parent=self.root)
        names = ["www.example.com", "example.com"]
        self.old = pki.make_leaf("www.example.com", names, self.intermediate, now - 80 * day, now + 10 * day)
        self.new = pki.make_leaf("www.example.com", names, self.intermediate, now - day, now + 89 * day)
        self.expired = pki.make_leaf("www.example.com", names, self.intermediate, now - 100 * day, now - 10 * day)
        self.not_yet = pki.make_leaf("www.example.com", names, self.intermediate, now + 10 * day, now + 100 * day)
        self.other = pki.make_leaf("api.example.com", ["api.example.com"], self.intermediate, now - day, now + 60 * day)
        self.api_new = pki.make_leaf("api.example.com", ["api.example.com"], self.intermediate, now - day, now + 89 * day)
        self.rotation = pki.make_leaf("*.example.com", ["*.example.com", "example.com"], self.intermediate, now - day, now + 85 * day)
        self.wildcard = pki.make_leaf("*.example.com", ["*.example.com", "example.com"], self.intermediate, now - day, now + 80 * day)
        # The quarter after the rotation: the next renewal of *.example.com.
        self.next_quarter = pki.make_leaf("*.example.com", ["*.example.com", "example.com"], self.intermediate, now - day, now + 88 * day)
        # Issued by the SSL service (issue 37, world.ISSUED_*): A about to expire, its hosted renewal B, B's renewal order C;
        # one whose key the service does not hold; a pair whose renewal links loop.
        wildcard = ["*.example.com", "example.com"]
        self.issued_a = pki.make_leaf("*.example.com", wildcard, self.intermediate, now - 85 * day, now + 5 * day)
        self.issued_b = pki.make_leaf("*.example.com", wildcard, self.intermediate, now - 30 * day, now + 60 * day)
        self.issued_c = pki.make_leaf("*.example.com", wildcard, self.intermediate, now - 2 * day, now + 88 * day)
        self.issued_nokey = pki.make_leaf("*.example.com", wildcard, self.intermediate, now - day, now + 80 * day)
        self.issued_l1 = pki.make_leaf("*.example.com", wildcard, self.intermediate, now - 10 * day, now + 80 * day)
        self.issued_l2 = pki.make_leaf("*.example.com", wildcard, self.intermediate, now - 5 * day, now + 85 * day)

    def secrets(self):
        """Strings that must never appear in any output."""
        lines = set()
        for issued in (self.old, self.new, self.expired, self.not_yet, self.other, self.api_new, self.wildcard, self.rotation,
                       self.next_quarter, self.issued_a, self.issued_b, self.issued_c, self.issued_nokey, self.issued_l1, self.issued_l2):
            # An EC key's PEM also carries the public point, which the certificate shows too:
            # only the lines that are not in the certificate are secret.
            lines.update(line for line in issued.key_pem.splitlines()
                         if line and not line.startswith("-----") and line not in issued.chain_pem)
        return sorted(lines) + ["PRIVATE KEY-----", SECRET_KEY, OTHER_SECRET_KEY, ACCESS_KEY_SECRET,
                                STS_ACCESS_KEY_SECRET, STS_SECURITY_TOKEN]


@pytest.fixture(scope="session")
def certs():
    return Pki()


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory, certs):
    directory = tmp_path_factory.mktemp("sandbox")
    state = directory / "state.yml"
    state.write_text(yaml.safe_dump(seed_state(certs)))
    with SandboxProcess(str(state)) as process:
        yield SandboxClient(process.url)


@pytest.fixture
def sandbox(sandbox_server):
    sandbox_server.reset()
    return sandbox_server


class Run:
    """The outcome of one ansible-playbook run."""

    def __init__(self, proc, records, writes):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.records = records
        self.writes = writes

    def result(self, task):
        """The recorded result of the task with this name."""
        for record in self.records:
            if record["task"] == task:
                return record["result"]
        raise KeyError("no result for task %r in %s" % (task, [r["task"] for r in self.records]))

    def status(self, task):
        return next(r["status"] for r in self.records if r["task"] == task)

    def write_actions(self):
        return [entry["action"] for entry in self.writes]


class Playbook:
    """Runs tasks through the real ansible-playbook against the sandbox, with the installed collection."""

    def __init__(self, tmp_path, collections_path, sandbox, certs, bin_dir=BIN):
        self.bin = bin_dir  # the ansible-core release's venv: its ansible-playbook, its Python runs the modules
        self.tmp_path = tmp_path
        self.collections_path = collections_path
        self.sandbox = sandbox
        self.certs = certs
        self.count = 0
        self.extra_secrets = []  # secrets a test obtains while it runs (temporary keys, tokens)

    def connection(self, **overrides):
        defaults = dict(secret_id=SECRET_ID, secret_key=SECRET_KEY, region=REGION, endpoint=self.sandbox.url,
                        api_retries=2)
        defaults.update(overrides)
        return defaults

    def env(self, record_file):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TENCENTCLOUD_", "ANSIBLE_", "ALIBABA_CLOUD_", "ALICLOUD_"))}
        env.update(
            PATH="%s:%s" % (self.bin, env.get("PATH", "")),
            ANSIBLE_COLLECTIONS_PATH=self.collections_path,
            ANSIBLE_CALLBACK_PLUGINS=str(pathlib.Path(__file__).parent / "callback"),
            ANSIBLE_CALLBACKS_ENABLED="certops_record",
            ANSIBLE_PYTHON_INTERPRETER=str(self.bin / "python"),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_LOCAL_TEMP=str(self.tmp_path / "ansible-local"),
            ANSIBLE_HOME=str(self.tmp_path / "ansible-home"),
            CERTOPS_RECORD_FILE=str(record_file),
            HOME=str(self.tmp_path),
        )
        return env

    def alicloud_connection(self, **overrides):
        defaults = dict(access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET, region="cn-hangzhou",
                        endpoint=self.sandbox.url, api_retries=2)
        defaults.update(overrides)
        return defaults

    def run(self, tasks, check=False, diff=False, verbosity=0, connection=None, play_vars=None, env=None,
            alicloud_connection=None, inventory=None, roles=None, extra_args=(), inventory_source=None):
        cmd, run_env, record_file = self.prepare(tasks, check, diff, verbosity, connection, play_vars, env, alicloud_connection,
                                                 inventory, roles, extra_args, inventory_source)
        since = self.sandbox.last_seq()
        try:
            proc = subprocess.run(cmd, env=run_env, capture_output=True, text=True, timeout=int(os.environ.get("CERTOPS_RUN_TIMEOUT", "300")),
                                  check=False)
        except subprocess.TimeoutExpired as exc:  # show where the run stood
            raise AssertionError("%s timed out after %s s; its output so far:\n%s" % (
                cmd[0], exc.timeout, (exc.stdout or b"").decode("utf-8", "replace")[-6000:])) from None
        return self.finish(proc, record_file, since)

    def start(self, tasks, **options):
        """Start ansible-playbook in its own process group (to be cut off like a cancelled AWX job); returns
        (Popen, record file, sandbox log position); end it with :meth:`finish`."""
        cmd, run_env, record_file = self.prepare(tasks, **options)
        since = self.sandbox.last_seq()
        proc = subprocess.Popen(cmd, env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,  # pylint: disable=consider-using-with
                                start_new_session=True)
        return proc, record_file, since

    def finish(self, proc, record_file, since):
        """The Run of a finished (or killed) ansible-playbook, scanned for secrets."""
        if isinstance(proc, subprocess.Popen):
            stdout, stderr = proc.communicate(timeout=300)
            proc = subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)
        records = []
        if record_file.exists():
            records = [json.loads(line) for line in record_file.read_text().splitlines() if line]
        run = Run(proc, records, self.sandbox.writes(since=since))
        self.assert_no_secrets(run, record_file)
        return run

    def prepare(self, tasks, check=False, diff=False, verbosity=0, connection=None, play_vars=None, env=None,
                alicloud_connection=None, inventory=None, roles=None, extra_args=(), inventory_source=None):
        """Write the playbook, vars and inventory of one run; returns (command, environment, record file).

        ``inventory_source``: the path of an inventory source (an inventory plugin's configuration) instead.
        """
        self.count += 1
        base = self.tmp_path / ("run%d" % self.count)
        base.mkdir()
        play = dict(
            name="certops integration", hosts="all" if inventory or inventory_source else "localhost", gather_facts=False,
            connection="local",
            module_defaults={"group/certops.cloud.tencentcloud": connection or self.connection(),
                             "group/certops.cloud.alicloud": alicloud_connection or self.alicloud_connection()},
            vars=dict(play_vars or {}), tasks=tasks,
        )
        if roles:
            play["roles"] = roles
        playbook = base / "playbook.yml"
        playbook.write_text(yaml.safe_dump([play], sort_keys=False))
        vars_file = base / "pki.yml"
        vars_file.write_text(yaml.safe_dump(dict(
            old_pem=self.certs.old.chain_pem, old_key=self.certs.old.key_pem,
            new_pem=self.certs.new.chain_pem, new_key=self.certs.new.key_pem,
            new_leaf_pem=self.certs.new.cert_pem,
            expired_pem=self.certs.expired.chain_pem, expired_key=self.certs.expired.key_pem,
            not_yet_pem=self.certs.not_yet.chain_pem, not_yet_key=self.certs.not_yet.key_pem,
            other_pem=self.certs.other.chain_pem, other_key=self.certs.other.key_pem,
            api_new_pem=self.certs.api_new.chain_pem, api_new_key=self.certs.api_new.key_pem,
            wildcard_pem=self.certs.wildcard.chain_pem, wildcard_key=self.certs.wildcard.key_pem,
            rotation_pem=self.certs.rotation.chain_pem, rotation_key=self.certs.rotation.key_pem,
            next_quarter_pem=self.certs.next_quarter.chain_pem, next_quarter_key=self.certs.next_quarter.key_pem,
        )))
        record_file = base / "records.jsonl"
        hosts = "localhost,"
        if inventory_source:
            hosts = str(inventory_source)
        elif inventory:
            hosts = str(base / "inventory.yml")
            (base / "inventory.yml").write_text(yaml.safe_dump(inventory))
        cmd = [str(self.bin / "ansible-playbook"), "-i", hosts, "-e", "@%s" % vars_file, str(playbook)]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        cmd.extend(extra_args)
        run_env = self.env(record_file)
        run_env.update(env or {})
        return cmd, run_env, record_file

    def assert_no_secrets(self, run, record_file):
        """Every run, whatever it tests: no key material, secret key or token in any output."""
        outputs = dict(stdout=run.stdout, stderr=run.stderr,
                       records=record_file.read_text() if record_file.exists() else "",
                       sandbox_log=json.dumps(self.sandbox.log()))
        scan(outputs, self.certs.secrets() + self.extra_secrets, "ansible-playbook run")


def scan(outputs, secrets, what):
    """Assert that no secret occurs in any of ``outputs`` ({name: text}); record the figures."""
    found = sorted(name for name, text in outputs.items() for secret in secrets if secret in text)
    record("secrets", what, bytes=sum(len(text.encode("utf-8", "replace")) for text in outputs.values()),
           outputs=len(outputs), found=len(found))
    assert not found, "secret material found in %s" % ", ".join(found)


def assume_role(sandbox_url, session="it-token"):
    """Temporary credentials (TmpSecretId, TmpSecretKey, Token) from the sandbox's STS, through the SDK."""
    from tencentcloud.common.credential import Credential  # pylint: disable=import-outside-toplevel
    from tencentcloud.common.profile.client_profile import ClientProfile  # pylint: disable=import-outside-toplevel
    from tencentcloud.common.profile.http_profile import HttpProfile  # pylint: disable=import-outside-toplevel
    from tencentcloud.sts.v20180813 import models as sts_models  # pylint: disable=import-outside-toplevel
    from tencentcloud.sts.v20180813.sts_client import StsClient  # pylint: disable=import-outside-toplevel

    profile = ClientProfile(httpProfile=HttpProfile(protocol="http", endpoint=sandbox_url.split("://", 1)[1]))
    request = sts_models.AssumeRoleRequest()
    request.from_json_string(json.dumps({"RoleArn": ROLE_ARN, "RoleSessionName": session}))
    return StsClient(Credential(SECRET_ID, SECRET_KEY), REGION, profile).AssumeRole(request).Credentials


@pytest.fixture
def ansible_bin(request):
    """The bin directory of the ansible-core a test runs: the newest (this venv's) unless ON_BOTH_CORES asks for the
    oldest as well."""
    if getattr(request, "param", "newest") == "newest":
        return BIN
    if not (OLDEST_BIN / "ansible-playbook").exists():
        pytest.fail("ansible-core %s is not installed in %s: make .venv-2.16/.installed" % (OLDEST_CORE, OLDEST_BIN.parent))
    return OLDEST_BIN


@pytest.fixture
def playbook(tmp_path, collections_path, sandbox, certs, ansible_bin):
    return Playbook(tmp_path, collections_path, sandbox, certs, ansible_bin)
