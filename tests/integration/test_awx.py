# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What an AWX user starts from: the tarball, the execution environment definition and the credential types.

The credential types are rendered the way AWX renders them (``CredentialType.inject_credential``: a namespace of the
inputs that are set, every ``env`` and ``extra_vars`` template rendered with Jinja's ImmutableSandboxedEnvironment,
the extra vars passed to ansible-playbook as ``-e @file``), then a module or the role runs with the result against
the sandbox cloud: a variable renamed on either side fails here.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import tarfile

import jinja2.meta
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment
from packaging.specifiers import SpecifierSet

import ansible
from harness import (ACCESS_KEY_ID, ACCESS_KEY_SECRET, BIN, GATEWAY, OLDEST_CORE, REGION, ROLE_ARN, ROOT, SECRET_ID, SECRET_KEY, SITE_ID, SSL_ENTRY,
                     STS_ACCESS_KEY_ID, STS_ACCESS_KEY_SECRET, STS_SECURITY_TOKEN, assume_role)

CREDENTIAL_TYPES = ROOT / "extensions" / "awx" / "credential_types.yml"
EE = ROOT / "ee"
DEV_ONLY = ("Makefile", "hack/", "bench/", "sandbox/", ".ansible-lint", ".gitignore", ".ci/", "pytest.ini", "requirements-dev.txt")
# AWX refuses injector env variables of these names (awx.main.fields.CredentialTypeInjectorField).
AWX_PROHIBITED_ENV = re.compile(r"^(ANSIBLE_.*|JOB_ID|INVENTORY_ID|PROJECT_REVISION|PATH|PYTHONPATH|HOME|VIRTUAL_ENV|AWX_.*|TOWER_.*)$")
SECRET_FIELDS = {"certops.cloud Tencent Cloud": {"secret_key", "security_token"},
                 "certops.cloud Alibaba Cloud": {"access_key_secret", "security_token"},
                 "certops.cloud certificate": {"private_key", "private_key_passphrase"}}


def credential_types():
    return dict((entry["name"], entry) for entry in yaml.safe_load(CREDENTIAL_TYPES.read_text())["credential_types"])


def inject(credential_type, inputs):
    """(env, extra_vars) as AWX injects a credential of ``credential_type`` with ``inputs``."""
    namespace = dict((key, value) for key, value in inputs.items() if isinstance(value, bool) or len(value))
    for field in credential_type["inputs"]["fields"]:
        if field["type"] == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
    sandbox_env = ImmutableSandboxedEnvironment()

    def render(node):
        if isinstance(node, dict):
            return dict((render(key), render(value)) for key, value in node.items())
        if isinstance(node, list):
            return [render(value) for value in node]
        return sandbox_env.from_string(node).render(**namespace)
    injectors = credential_type["injectors"]
    env = dict((name, sandbox_env.from_string(template).render(**namespace)) for name, template in injectors.get("env", {}).items())
    return env, render(injectors.get("extra_vars", {}))


@pytest.fixture(scope="module")
def tarball(tmp_path_factory):
    """The collection tarball as users get it (ansible-galaxy collection build): the one `make build` made and the other
    tests run installed (CERTOPS_COLLECTIONS_PATH, next to it), or a new one."""
    built = os.environ.get("CERTOPS_COLLECTIONS_PATH")
    found = sorted(pathlib.Path(built).parent.glob("dist/certops-cloud-*.tar.gz")) if built else []
    if len(found) == 1:
        return found[0]
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "build", "--output-path", str(dist)], cwd=ROOT, check=True,
                   capture_output=True)
    return next(dist.glob("certops-cloud-*.tar.gz"))


def test_tarball_ships_what_users_need(tarball):
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    assert [n for n in names if n.startswith(DEV_ONLY) or n in DEV_ONLY] == []
    for needed in ("ee/execution-environment.yml", "ee/requirements.yml", "extensions/awx/credential_types.yml",
                   "meta/execution-environment.yml", "meta/ee-requirements.txt", "requirements.txt", "roles/rotate/tasks/main.yml",
                   "playbooks/rotate.yml", "plugins/filter/rotate.py", "docs/awx.md"):
        assert needed in names, needed


def tested_releases():
    """The ansible-core releases `make test` runs: the oldest (requirements-2.16.txt) and this venv's (the newest)."""
    return OLDEST_CORE, ansible.__version__


def test_claims_the_tested_range():
    """meta/runtime.yml claims from the oldest tested release on; the execution environment's default admits both
    tested releases and no untested newer minor; its documented --build-arg picks the oldest."""
    oldest, newest = tested_releases()
    claimed = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["requires_ansible"]
    assert claimed == ">=%s.0" % ".".join(oldest.split(".")[:2])
    assert SpecifierSet(claimed).contains(newest)
    definition = yaml.safe_load((EE / "execution-environment.yml").read_text())
    default = SpecifierSet(definition["dependencies"]["ansible_core"]["package_pip"][len("ansible-core"):])
    major, minor = newest.split(".")[:2]
    assert default.contains(oldest) and default.contains(newest) and not default.contains("%s.%d.0" % (major, int(minor) + 1))
    picked = re.search(r'ANSIBLE_INSTALL_REFS="ansible-core(\S+) ansible-runner"', (EE / "execution-environment.yml").read_text())
    assert SpecifierSet(picked.group(1)).contains(oldest) and not SpecifierSet(picked.group(1)).contains(newest)


def test_execution_environment_build_context(tarball, tmp_path):
    """ansible-builder create (no container runtime needed), then the galaxy and introspection stages of the build
    replayed from the context: the collection is in it, and so is every package of requirements.txt."""
    source = tmp_path / "ee"
    shutil.copytree(EE, source)
    shutil.copy(tarball, source)
    context = tmp_path / "context"
    subprocess.run([str(BIN / "ansible-builder"), "create", "-f", str(source / "execution-environment.yml"), "--context", str(context)],
                   check=True, capture_output=True, text=True)
    build = context / "_build"
    assert (build / "collections" / tarball.name).read_bytes() == tarball.read_bytes()
    containerfile = next(p for p in (context / "Containerfile", context / "Dockerfile") if p.exists()).read_text()
    assert "FROM $EE_BASE_IMAGE" in containerfile and "introspect" in containerfile
    # The build argument docs/awx.md and the definition tell users to set to pick their ansible-core.
    assert "pip install --no-cache-dir $ANSIBLE_INSTALL_REFS" in containerfile

    # The galaxy stage (WORKDIR /build): the collection from the context's requirements.yml.
    installed = tmp_path / "installed"
    subprocess.run([str(BIN / "ansible-galaxy"), "collection", "install", "-r", "requirements.yml", "-p", str(installed)],
                   cwd=build, check=True, capture_output=True, text=True)
    manifest = json.loads((installed / "ansible_collections" / "certops" / "cloud" / "MANIFEST.json").read_text())
    assert manifest["collection_info"]["version"] == yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]

    # The builder stage: the context's own introspect.py over the installed collections.
    pip, bindep = tmp_path / "requirements.txt", tmp_path / "bindep.txt"
    subprocess.run([str(BIN / "python"), str(build / "scripts" / "introspect.py"), "introspect", str(installed),
                    "--write-pip=%s" % pip, "--write-bindep=%s" % bindep], check=True, capture_output=True, text=True)
    wanted = [re.split(r"[<>=!~ \[]", line, maxsplit=1)[0].lower() for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    found = [re.split(r"[<>=!~ \[#]", line, maxsplit=1)[0].lower() for line in pip.read_text().splitlines() if line.strip()]
    assert [name for name in wanted if name not in found] == []
    assert "ca-certificates" in bindep.read_text()


@pytest.mark.parametrize("name", sorted(SECRET_FIELDS))
def test_credential_type_shape(name):
    """What AWX validates, and what keeps a rename from going unnoticed: every template names a declared field."""
    credential_type = credential_types()[name]
    assert credential_type["kind"] == "cloud"
    assert credential_type["natural_key"] == {"type": "credential_type", "name": name, "kind": "cloud"}  # awx import
    fields = dict((field["id"], field) for field in credential_type["inputs"]["fields"])
    assert all(re.match(r"^[a-z_][a-z0-9_]*$", key) and field["type"] in ("string", "boolean") and field["label"]
               for key, field in fields.items())
    assert set(credential_type["inputs"]["required"]) <= set(fields)
    assert {key for key, field in fields.items() if field.get("secret")} == SECRET_FIELDS[name]
    environment = ImmutableSandboxedEnvironment()
    templates = list(credential_type["injectors"].get("env", {}).values()) + list(credential_type["injectors"].get("extra_vars", {}).values())
    used = set().union(*(jinja2.meta.find_undeclared_variables(environment.parse(template)) for template in templates))
    assert used <= set(fields)
    assert set(fields) <= used  # nothing asked for and then dropped
    assert [env for env in credential_type["injectors"].get("env", {}) if AWX_PROHIBITED_ENV.match(env)] == []


def test_tencentcloud_credential_drives_the_modules(playbook, sandbox):
    credential_type = credential_types()["certops.cloud Tencent Cloud"]
    info = [{"name": "read", "certops.cloud.tencentcloud_tse_gateway_certificate_info": {"gateway_id": GATEWAY, "id": SSL_ENTRY}}]
    sandbox_only = {"endpoint": sandbox.url, "api_retries": 2}  # the keys come from the credential alone

    env, extra_vars = inject(credential_type, {"secret_id": SECRET_ID, "secret_key": SECRET_KEY, "region": REGION})
    assert extra_vars == {} and env["TENCENTCLOUD_SECURITY_TOKEN"] == "" and env["TENCENTCLOUD_ROLE_ARN"] == ""
    since = sandbox.last_seq()
    run = playbook.run(info, connection=sandbox_only, env=env)
    assert run.rc == 0, run.stdout + run.stderr
    assert {call["secret_id"] for call in sandbox.log(since=since)} == {SECRET_ID}

    env = inject(credential_type, {"secret_id": SECRET_ID, "secret_key": SECRET_KEY, "region": REGION, "role_arn": ROLE_ARN})[0]
    since = sandbox.last_seq()
    run = playbook.run(info, connection=sandbox_only, env=env)
    assert run.rc == 0, run.stdout + run.stderr
    calls = sandbox.log(since=since)
    assert calls[0]["action"] == "AssumeRole" and calls[0]["params"]["RoleArn"] == ROLE_ARN
    assert calls[-1]["secret_id"] != SECRET_ID  # the role's temporary key

    temporary = assume_role(sandbox.url)
    playbook.extra_secrets += [temporary.TmpSecretKey, temporary.Token]
    env = inject(credential_type, {"secret_id": temporary.TmpSecretId, "secret_key": temporary.TmpSecretKey,
                                   "security_token": temporary.Token, "region": REGION})[0]
    run = playbook.run(info, connection=sandbox_only, env=env)
    assert run.rc == 0, run.stdout + run.stderr


@pytest.mark.parametrize("inputs", [
    {"access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET},
    {"access_key_id": STS_ACCESS_KEY_ID, "access_key_secret": STS_ACCESS_KEY_SECRET, "security_token": STS_SECURITY_TOKEN,
     "region": "cn-hangzhou"},
], ids=["access-key", "sts-token"])
def test_alicloud_credential_drives_the_modules(playbook, sandbox, inputs):
    env = inject(credential_types()["certops.cloud Alibaba Cloud"], inputs)[0]
    since = sandbox.last_seq()
    run = playbook.run([{"name": "read", "certops.cloud.alicloud_esa_certificate_info": {"site_id": SITE_ID}}],
                       alicloud_connection={"endpoint": sandbox.url, "api_retries": 2}, env=env)
    assert run.rc == 0, run.stdout + run.stderr
    assert {call["secret_id"] for call in sandbox.log(since=since)} == {inputs["access_key_id"]}


def test_certificate_credential_feeds_the_role(playbook, sandbox, certs, tmp_path):
    extra_vars = inject(credential_types()["certops.cloud certificate"],
                        {"certificate": certs.rotation.chain_pem, "private_key": certs.rotation.key_pem})[1]
    assert extra_vars["rotate_private_key_passphrase"] == ""
    extra = tmp_path / "credential-extra-vars.yml"
    extra.write_text(yaml.safe_dump(extra_vars))  # AWX: -e @<private data dir>/env/tmpXXXX
    extra.chmod(0o400)
    report = tmp_path / "report.json"
    inventory = {"all": {"hosts": {"prod-gateway": {"certops_endpoint": {
        "provider": "tse", "gateway_id": GATEWAY, "id": SSL_ENTRY, "region": REGION}}}}}
    run = playbook.run([], check=True, inventory=inventory, roles=[{"role": "certops.cloud.rotate"}],
                       play_vars={"rotate_verify": False, "rotate_report_file": str(report)}, extra_args=["-e", "@%s" % extra])
    assert run.rc == 0, run.stdout + run.stderr
    assert [row["result"] for row in json.loads(report.read_text())] == ["changed"]
    assert run.writes == []


def test_docs_show_the_commands_that_work():
    text = (ROOT / "docs" / "awx.md").read_text()
    assert "ansible-builder build -f" in text and "awx import -f yaml < " in text
    assert "meta/execution-environment.yml" not in re.findall(r"ansible-builder \w+ -f (\S+)", text)
    oldest, newest = tested_releases()
    assert "--build-arg ANSIBLE_INSTALL_REFS=" in text and oldest in text and newest in text
    for path in re.findall(r"(?:ee|extensions/awx)/[\w./-]+\.yml", text):
        assert (ROOT / path).exists(), path
