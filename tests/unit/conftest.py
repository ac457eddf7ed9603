# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Make this source tree importable as ansible_collections.certops.cloud, and share fixtures."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import sys
import tempfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
_TREE = pathlib.Path(tempfile.mkdtemp(prefix="certops-unit-"))
(_TREE / "ansible_collections" / "certops").mkdir(parents=True)
os.symlink(ROOT, _TREE / "ansible_collections" / "certops" / "cloud")
sys.path.insert(0, str(_TREE))

from ansible.module_utils import basic  # noqa: E402  pylint: disable=wrong-import-position
from ansible.module_utils.common.text.converters import to_bytes  # noqa: E402  pylint: disable=wrong-import-position
from sandbox_cloud import pki  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def certs():
    now = datetime.datetime.now(datetime.timezone.utc)
    day = datetime.timedelta(days=1)
    root = pki.make_ca("unit root")
    intermediate = pki.make_ca("unit intermediate", parent=root)
    return dict(
        root=root,
        intermediate=intermediate,
        leaf=pki.make_leaf("www.example.com", ["www.example.com", "*.example.org"], intermediate, now - day, now + 60 * day),
        other=pki.make_leaf("api.example.com", ["api.example.com"], intermediate, now - day, now + 60 * day),
        expired=pki.make_leaf("old.example.com", ["old.example.com"], intermediate, now - 90 * day, now - day),
        future=pki.make_leaf("new.example.com", ["new.example.com"], intermediate, now + day, now + 90 * day),
        rsa=pki.make_leaf("rsa.example.com", ["rsa.example.com"], intermediate, now - day, now + 30 * day, key_type="rsa"),
    )


@pytest.fixture
def patch_ansible_module(request, monkeypatch):
    """Feed module arguments the way Ansible does (community.hashi_vault style)."""
    args = dict(request.param)
    args.setdefault("_ansible_remote_tmp", "/tmp")
    args.setdefault("_ansible_keep_remote_files", False)
    monkeypatch.setattr(basic, "_ANSIBLE_ARGS", to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args})))
    monkeypatch.setattr(basic, "_ANSIBLE_PROFILE", "legacy", raising=False)
    return args
