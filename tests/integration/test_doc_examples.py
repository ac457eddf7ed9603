# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every fenced example of README.md and docs/*.md, checked as a reader would use it (issue 33).

Every ```yaml block parses; a playbook (a list of plays with ``hosts``) passes ``ansible-playbook --syntax-check``
with the collection installed, a task list too, wrapped into a play; a ``certops.cloud.endpoints`` configuration and
a hand-written inventory (``all:``) load with ``ansible-inventory`` against the sandbox cloud. Every ```sh / ```bash
block passes ``bash -n``. Any other YAML (a fragment, a return value) is only parsed.

An HTML comment on the line right before a fence (invisible when the markdown is rendered) says more; its clauses,
separated by ``;``:

``run``
    Run it against the integration tests' world (``sandbox_cloud.world.integration_state``): a playbook or task
    list with ``ansible-playbook``, a shell block with ``bash -e``, in a directory holding ``fullchain.pem`` and
    ``privkey.pem`` (a ``*.example.com`` certificate of the test PKI) and the document's ``file`` blocks, the
    connection in the environment (the world's keys, ``TENCENTCLOUD_ENDPOINT``, ``ALIBABA_CLOUD_ESA_ENDPOINT``).
``run: make-sandbox``
    Run a shell block as the README's "Try it against the sandbox" describes: against the world ``make sandbox``
    serves (``hack/sandbox.sh``, started here on free ports, ``8443`` in the block read as its TLS port), in a
    directory with ``demo/``, ``build/sandbox/`` and the files above, after ``. build/sandbox/env.sh``.
``file: NAME``
    The block is the file NAME of the document's runnable shell blocks.
``no syntax check: REASON``
    Only parse it.

No ``ANSIBLE_PYTHON_INTERPRETER`` is set: an example runs as it is written.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
import yaml

from harness import BIN, ROOT
from sandbox_cloud import world
from sandbox_cloud.client import SandboxClient

DOCS = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
MARKER = re.compile(r"^<!-- example: (.*) -->$")
FENCE = re.compile(r"^```(\S*)\s*$")
DOC_TLS_PORT = re.compile(r"\b8443\b")  # make sandbox's TLS port (SANDBOX_TLS_PORT of the Makefile) as the docs name it
TIMEOUT = int(os.environ.get("CERTOPS_RUN_TIMEOUT", "300"))


class Example:
    """One fenced block: its document, line, language, text and marker clauses."""

    def __init__(self, doc, line, lang, text, marker):
        self.doc, self.line, self.lang, self.text = doc, line, lang, text
        self.clauses = {}
        for clause in filter(None, (part.strip() for part in (marker or "").split(";"))):
            key, value = clause.split(":", 1) if ":" in clause else (clause, "")
            self.clauses[key.strip()] = value.strip()
        self.data, self.error = None, None
        if lang == "yaml":
            try:
                self.data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                self.error = str(exc)

    @property
    def id(self):
        return "%s:%d" % (self.doc, self.line)

    @property
    def slug(self):
        return "%s_%d" % (re.sub(r"\W", "_", self.doc), self.line)

    @property
    def kind(self):
        if self.lang in ("sh", "bash"):
            return "shell"
        data = self.data
        if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
            return "playbook" if all("hosts" in item for item in data) else "tasks"
        if isinstance(data, dict) and data.get("plugin") == "certops.cloud.endpoints":
            return "inventory config"
        if isinstance(data, dict) and set(data) == {"all"}:
            return "inventory"
        return "text"

    def play(self):
        """The block as a playbook: a task list wrapped into a play on localhost."""
        if self.kind == "tasks":
            return yaml.safe_dump([{"name": "Example %s" % self.id, "hosts": "localhost", "gather_facts": False, "tasks": self.data}],
                                  sort_keys=False)
        return self.text


def read_examples():
    examples, problems = [], []
    for path in DOCS:
        doc = str(path.relative_to(ROOT))
        lines = path.read_text(encoding="utf-8").splitlines()
        index = 0
        while index < len(lines):
            found = FENCE.match(lines[index])
            marker = MARKER.match(lines[index - 1]) if index else None
            if MARKER.match(lines[index]) and not (index + 1 < len(lines) and FENCE.match(lines[index + 1])):
                problems.append("%s:%d: an example marker must be right before a fence" % (doc, index + 1))
            if not found:
                index += 1
                continue
            end = next((n for n in range(index + 1, len(lines)) if lines[n].startswith("```")), len(lines))
            examples.append(Example(doc, index + 1, found.group(1), "\n".join(lines[index + 1:end]) + "\n",
                                    marker.group(1) if marker else None))
            index = end + 1
    return examples, problems


EXAMPLES, PROBLEMS = read_examples()
YAML = [e for e in EXAMPLES if e.lang == "yaml"]
SHELL = [e for e in EXAMPLES if e.kind == "shell"]
RUNNABLE = [e for e in EXAMPLES if "run" in e.clauses]


def ids(examples):
    return [e.id for e in examples]


@pytest.mark.parametrize("example", YAML, ids=ids(YAML))
def test_yaml_parses(example):
    assert example.error is None, "%s is not YAML: %s" % (example.id, example.error)


def test_markers():
    """Every marker is known, sits right before a fence and fits its block."""
    problems = list(PROBLEMS)
    for example in EXAMPLES:
        unknown = set(example.clauses) - {"run", "file", "no syntax check"}
        if unknown:
            problems.append("%s: unknown clause %s" % (example.id, ", ".join(sorted(unknown))))
        if example.clauses.get("run") not in (None, "", "make-sandbox"):
            problems.append("%s: run against what? %r" % (example.id, example.clauses["run"]))
        if ("run" in example.clauses and example.kind not in ("shell", "playbook", "tasks")) or (
                example.clauses.get("run") == "make-sandbox" and example.kind != "shell"):
            problems.append("%s: a %s block does not run" % (example.id, example.kind))
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    if "SANDBOX_TLS_PORT ?= 8443" not in makefile:
        problems.append("Makefile: make sandbox's TLS port is no longer the 8443 of the docs")
    assert not problems, "\n".join(problems)
    assert {"README.md", "docs/modules.md", "docs/rotate.md"} <= {e.doc for e in RUNNABLE}


@pytest.mark.parametrize("example", SHELL, ids=ids(SHELL))
def test_shell_syntax(example):
    proc = subprocess.run(["bash", "-n"], input=example.text, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, "%s: bash -n: %s" % (example.id, proc.stderr)


def base_env(playbook, tmp_path):
    """The environment of ansible-playbook as a user runs it: the tests' (harness.Playbook), with no interpreter set."""
    env = playbook.env(tmp_path / "records.jsonl")
    del env["ANSIBLE_PYTHON_INTERPRETER"]
    return env


def integration_env(playbook, tmp_path):
    env = base_env(playbook, tmp_path)
    env.update(world.credentials_env(), TENCENTCLOUD_ENDPOINT=playbook.sandbox.url, ALIBABA_CLOUD_ESA_ENDPOINT=playbook.sandbox.url,
               ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    return env


def run(cmd, cwd, env, stdin=None):
    try:
        return subprocess.run(cmd, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError("%s timed out after %s s; its output so far:\n%s" % (
            cmd, exc.timeout, (exc.stdout or b"").decode("utf-8", "replace")[-6000:])) from None


def test_playbooks_pass_syntax_check(tmp_path, collections_path):
    """Every playbook and task list, in one ansible-playbook --syntax-check (one by one only to name what fails)."""
    files = {}
    for example in YAML:
        if example.kind in ("playbook", "tasks") and "no syntax check" not in example.clauses:
            path = tmp_path / (example.slug + ".yml")
            path.write_text(example.play())
            files[str(path)] = example
    assert files
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_NOCOLOR="1")
    check = [str(BIN / "ansible-playbook"), "--syntax-check", "-i", "localhost,"]
    if run(check + list(files), tmp_path, env).returncode == 0:
        return
    failed = []
    for path, example in files.items():
        proc = run(check + [path], tmp_path, env)
        if proc.returncode:
            failed.append("%s (%s): %s" % (example.id, example.kind, proc.stderr.strip()))
    assert not failed, "\n\n".join(failed)


def test_inventories_load(tmp_path, playbook):
    """Every endpoints plugin configuration and hand-written inventory, in one ansible-inventory run against the
    integration tests' world; a source that does not parse fails it (ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED)."""
    sources = []
    for example in YAML:
        if example.kind == "inventory config":
            sources.append(tmp_path / (example.slug + ".certops.yml"))
        elif example.kind == "inventory":
            sources.append(tmp_path / (example.slug + ".yml"))
        else:
            continue
        sources[-1].write_text(example.text)
    assert any(path.name.endswith(".certops.yml") for path in sources)
    cmd = [str(BIN / "ansible-inventory"), "--list"] + [arg for path in sources for arg in ("-i", str(path))]
    proc = run(cmd, tmp_path, integration_env(playbook, tmp_path))
    assert proc.returncode == 0, "ansible-inventory %s:\n%s%s" % (", ".join(p.name for p in sources), proc.stdout[-3000:], proc.stderr)
    assert "certops_endpoint" in proc.stdout


@pytest.fixture(scope="module")
def make_sandbox(tmp_path_factory, collections_path):
    """``make sandbox`` (hack/sandbox.sh) on free ports: yields its directory (build/sandbox) and its control client."""
    directory = tmp_path_factory.mktemp("make-sandbox") / "sandbox"
    ready = directory / "ready.json"
    env = dict(os.environ, SANDBOX_DIR=str(directory), SANDBOX_PORT="0", SANDBOX_TLS_PORT="0", CERTOPS_COLLECTIONS_PATH=collections_path,
               PYTHON=sys.executable)
    command = ["bash", str(ROOT / "hack" / "sandbox.sh")]
    with open(directory.parent / "output.txt", "wb") as output:
        proc = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)  # pylint: disable=consider-using-with
    try:
        deadline = time.monotonic() + 30
        while not (ready.exists() and "export PATH=" in (directory / "env.sh").read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, (directory.parent / "output.txt").read_text()
            time.sleep(0.1)
        yield directory, SandboxClient(json.loads(ready.read_text())["url"])
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(10)


def prepare(example, cwd, certs, tls_port=None):
    """The directory an example runs in: fullchain.pem, privkey.pem and the document's file blocks; returns the
    example's text. With ``tls_port`` (make sandbox's), the docs' 8443 is that port."""
    def port(text):
        return DOC_TLS_PORT.sub(tls_port, text) if tls_port else text

    (cwd / "fullchain.pem").write_text(certs.rotation.chain_pem)
    (cwd / "privkey.pem").write_text(certs.rotation.key_pem)
    for other in EXAMPLES:
        if other.doc == example.doc and other.clauses.get("file"):
            (cwd / other.clauses["file"]).write_text(port(other.text))
    return port(example.text)


@pytest.mark.parametrize("example", RUNNABLE, ids=ids(RUNNABLE))
def test_example_runs(example, request, tmp_path, playbook, certs):
    if example.clauses["run"] == "make-sandbox":
        directory, client = request.getfixturevalue("make_sandbox")
        client.reset()
        text = prepare(example, tmp_path, certs, str(client.tls_port()))
        (tmp_path / "build").mkdir()
        (tmp_path / "build" / "sandbox").symlink_to(directory)
        (tmp_path / "demo").symlink_to(ROOT / "demo")
        env = base_env(playbook, tmp_path)
        del env["ANSIBLE_COLLECTIONS_PATH"]  # env.sh sets it
        proc = run(["bash", "-e", "-o", "pipefail"], tmp_path, env, ". build/sandbox/env.sh\n" + text)
    elif example.kind == "shell":
        proc = run(["bash", "-e", "-o", "pipefail"], tmp_path, integration_env(playbook, tmp_path), prepare(example, tmp_path, certs))
    else:
        prepare(example, tmp_path, certs)
        (tmp_path / "example.yml").write_text(example.play())
        proc = run([str(BIN / "ansible-playbook"), "example.yml"], tmp_path, integration_env(playbook, tmp_path))
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, "%s failed:\n%s\n--- output\n%s" % (example.id, example.text, output[-8000:])
