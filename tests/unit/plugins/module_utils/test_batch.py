# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The batch layer of CertopsModule: one run, many endpoints, a result each."""

from __future__ import annotations

import json
import threading

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, Shared
from ansible_collections.certops.cloud.plugins.module_utils._module import EndpointModule


class Toy(EndpointModule):
    """An endpoint module over a dict 'cloud': identity `site` and `slot`, desired `value`."""

    needs_cryptography = False
    argument_spec = dict(
        site=dict(type="str", required=True),
        slot=dict(type="str"),
        label=dict(type="str"),
        value=dict(type="str", required=True),
    )
    module_kwargs = dict(required_one_of=[("slot", "label")])
    batch_options = ("site", "slot", "label")
    cloud = {}
    writes = []

    def endpoint_label(self):
        return "toy %s/%s" % (self.params.get("site"), self.params.get("slot") or self.params.get("label"))

    def read_binding(self):
        key = (self.params["site"], self.params["slot"] or self.params["label"])
        if key not in self.cloud:
            raise ApiError("toy", "Read", "ResourceNotFound", "no such slot %s/%s" % key)
        return dict(value=self.cloud[key])

    def desired_binding(self, before):
        return dict(value=self.params["value"])

    def write_binding(self, before, after):
        key = (self.params["site"], self.params["slot"] or self.params["label"])
        self.writes.append(key)
        self.cloud[key] = after["value"]

    def summary(self, result):
        return dict(before_id=(result.get("before") or {}).get("value"), after_id=(result.get("after") or {}).get("value"))


def run(args, capsys, check_mode=False):
    from ansible.module_utils import basic
    from ansible.module_utils.common.text.converters import to_bytes
    args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=True, _ansible_remote_tmp="/tmp", _ansible_keep_remote_files=False)
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    basic._ANSIBLE_PROFILE = "legacy"
    with pytest.raises(SystemExit):
        Toy(Toy.define_module()).run()
    return json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def toy_cloud():
    Toy.cloud = {("a", "1"): "old", ("a", "2"): "new", ("b", "1"): "old"}
    Toy.writes = []


def test_spec_requires_identity_per_entry_or_at_the_top():
    spec = Toy.batch_spec(dict(Toy.argument_spec), dict(Toy.module_kwargs))
    arguments, kwargs = spec
    assert arguments["site"]["required"] is False
    assert set(arguments["batch"]["options"]) == {"site", "slot", "label"}
    assert all(not option["required"] for option in arguments["batch"]["options"].values())
    assert ("site", "batch") in kwargs["required_one_of"]
    assert ("slot", "label", "batch") in kwargs["required_one_of"]


def test_batch_binds_each_entry_and_reports_in_order(capsys):
    result = run(dict(value="new", batch=[dict(site="a", slot="1"), dict(site="a", slot="2"), dict(site="b", label="1")]), capsys)
    assert result["changed"] is True
    assert [(e["endpoint"], e["changed"], e["failed"]) for e in result["endpoints"]] == [
        ("toy a/1", True, False), ("toy a/2", False, False), ("toy b/1", True, False)]
    assert [e["summary"] for e in result["endpoints"]][0] == dict(before_id="old", after_id="new")
    assert sorted(Toy.writes) == [("a", "1"), ("b", "1")]
    assert len(result["diff"]) == 3 and result["diff"][0]["before_header"] == "toy a/1"


def test_top_level_options_apply_to_entries_that_do_not_set_them(capsys):
    result = run(dict(value="new", site="b", batch=[dict(slot="1"), dict(site="a", slot="1")]), capsys)
    assert [e["endpoint"] for e in result["endpoints"]] == ["toy b/1", "toy a/1"]


def test_check_mode_writes_nothing(capsys):
    result = run(dict(value="new", batch=[dict(site="a", slot="1"), dict(site="b", slot="1")]), capsys, check_mode=True)
    assert result["changed"] is True and Toy.writes == []


def test_a_failing_entry_does_not_stop_the_others(capsys):
    result = run(dict(value="new", batch=[dict(site="a", slot="9"), dict(site="a", slot="1"), dict(slot="1"), dict(site="b")]), capsys)
    assert result["failed"] is True
    assert result["msg"].startswith("3 of 4 endpoints failed: toy a/9: toy Read failed: ResourceNotFound")
    first, second, third, fourth = result["endpoints"]
    assert first["failed"] and first["before"] is None and first["error"]["code"] == "ResourceNotFound"
    assert second["changed"] and not second["failed"]
    assert third["msg"] == "toy None/1: batch entry misses site"
    assert fourth["msg"] == "toy b/None: batch entry needs one of slot, label"
    assert Toy.writes == [("a", "1")]


def test_an_empty_batch_changes_nothing(capsys):
    result = run(dict(value="new", batch=[]), capsys)
    assert result["changed"] is False and result["endpoints"] == []


def test_shared_memo_computes_once_across_threads():
    shared, calls = Shared(), []

    def compute():
        calls.append(1)
        return "value"
    threads = [threading.Thread(target=shared.memo, args=(("key",), compute)) for dummy in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert shared.memo(("key",), compute) == "value"


def test_shared_memo_does_not_keep_a_failure():
    shared, attempts = Shared(), []

    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("first")
        return "second"
    with pytest.raises(ValueError):
        shared.memo(("key",), flaky)
    assert not shared.known(("key",))  # a failure is not known
    assert shared.memo(("key",), flaky) == "second"
    assert shared.known(("key",)) and not shared.known(("other",))
