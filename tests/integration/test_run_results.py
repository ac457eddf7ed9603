# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""host_result and report_file (action plugins) through ansible-playbook: a run's results, once worked out, given to
every host and kept in a file on the controller. Neither calls an API."""

from __future__ import annotations

import json
import os

INVENTORY = {"all": {"hosts": {"web-1": {}, "web-2": {}, "web-3": {}}}}
OUTCOMES = {"web-1": {"changed": True, "msg": "web-1: changed"},
            "web-2": {"failed": True, "msg": "web-2: failed: the certificate is not served"},
            "web-3": {"msg": "web-3: ok"}}


def results(run, task):
    return {r["host"]: r for r in run.records if r["task"] == task}


def test_each_host_gets_its_own_result_in_check_mode_and_apply(playbook):
    tasks = [{"name": "work out", "ansible.builtin.set_fact": {"outcomes": OUTCOMES}, "run_once": True},
             {"name": "result", "certops.cloud.host_result": {"var": "outcomes"}}]
    for check in (True, False):
        run = playbook.run(tasks, inventory=INVENTORY, check=check)
        assert run.rc != 0  # web-2 failed
        by_host = results(run, "result")
        assert by_host["web-1"]["status"] == "ok" and by_host["web-1"]["result"]["changed"] is True
        assert by_host["web-2"]["status"] == "failed" and by_host["web-2"]["result"]["msg"] == OUTCOMES["web-2"]["msg"]
        assert by_host["web-3"]["status"] == "ok" and by_host["web-3"]["result"]["changed"] is False
        assert "web-1: changed" in run.stdout  # shown like a debug message
        assert run.writes == []
        recap = run.stdout[run.stdout.index("PLAY RECAP"):]
        assert "web-1" in recap and "web-3" in recap and "failed=1" in recap


def test_a_missing_table_or_host_fails_with_its_name(playbook):
    run = playbook.run([{"name": "work out", "ansible.builtin.set_fact": {"outcomes": {"web-1": OUTCOMES["web-1"]}}, "run_once": True},
                        {"name": "result", "certops.cloud.host_result": {"var": "outcomes"}},
                        {"name": "none", "certops.cloud.host_result": {"var": "no_such_table"}}], inventory=INVENTORY)
    assert run.rc != 0
    by_host = results(run, "result")
    assert by_host["web-1"]["status"] == "ok"
    assert "outcomes has no result for web-2" in by_host["web-2"]["result"]["msg"]
    assert "no variable no_such_table for web-1" in results(run, "none")["web-1"]["result"]["msg"]


def test_report_file_check_write_rewrite_and_bad_path(playbook, tmp_path):
    path = tmp_path / "reports" / "report.json"
    path.parent.mkdir()
    rows = [{"endpoint": "web-1", "result": "changed"}, {"endpoint": "web-2", "result": "ok"}]
    task = [{"name": "keep", "certops.cloud.report_file": {"path": str(path), "content": rows}}]

    check = playbook.run(task, check=True)
    assert check.rc == 0, check.stdout
    assert check.result("keep")["changed"] is True and not path.exists()

    apply = playbook.run(task)
    assert apply.rc == 0, apply.stdout
    assert apply.result("keep")["changed"] is True
    assert json.loads(path.read_text()) == rows and path.read_text().endswith("]\n")
    assert oct(os.stat(path).st_mode & 0o777) == "0o640"

    again = playbook.run(task)
    assert again.result("keep")["changed"] is False
    assert sorted(os.listdir(path.parent)) == ["report.json"]  # no temporary file left

    bad = playbook.run([{"name": "keep", "certops.cloud.report_file": {"path": str(tmp_path / "missing" / "r.json"), "content": rows}}])
    assert bad.rc != 0
    assert "the directory %s does not exist" % (tmp_path / "missing") in bad.result("keep")["msg"]
    mode = playbook.run([{"name": "mode", "certops.cloud.report_file": {"path": str(path), "content": [], "mode": "rw"}}])
    assert mode.rc != 0 and "mode rw is not an octal file mode" in mode.result("mode")["msg"]
    assert json.loads(path.read_text()) == rows  # nothing written
