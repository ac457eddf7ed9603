# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The least-privilege policies of docs/policies/ are the provider registry's actions, named one by one."""

from __future__ import annotations

import json
import pathlib
import re

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._providers import policy_actions, policy_document

POLICIES = pathlib.Path(__file__).resolve().parents[2] / "docs" / "policies"
FILES = [(cloud, job) for cloud in ("tencentcloud", "alicloud") for job in ("rotate", "audit")]


@pytest.mark.parametrize("cloud, job", FILES)
def test_the_shipped_policy_is_generated_from_the_registry(cloud, job):
    path = POLICIES / ("%s-%s.json" % (cloud, job))
    assert json.loads(path.read_text()) == policy_document(cloud, job), "run hack/policies.py --write"


@pytest.mark.parametrize("cloud, job", FILES)
def test_every_action_is_named_one_by_one(cloud, job):
    for action in policy_actions(cloud, job):
        assert re.match(r"^(ssl|tse|gaap|teo|clb|esa):[A-Z][A-Za-z]+$", action), action


@pytest.mark.parametrize("cloud", ["tencentcloud", "alicloud"])
def test_audit_holds_reads_only_and_rotate_holds_them_too(cloud):
    audit, rotate = policy_actions(cloud, "audit"), policy_actions(cloud, "rotate")
    assert all(re.match(r"^[a-z]+:(Describe|Get|List)", action) for action in audit), audit
    assert set(audit) < set(rotate)


def test_the_formats_are_cam_and_ram():
    cam, ram = policy_document("tencentcloud", "audit"), policy_document("alicloud", "audit")
    assert cam["version"] == "2.0" and cam["statement"][0]["effect"] == "allow" and cam["statement"][0]["resource"] == ["*"]
    assert ram["Version"] == "1" and ram["Statement"][0]["Effect"] == "Allow" and ram["Statement"][0]["Resource"] == "*"
