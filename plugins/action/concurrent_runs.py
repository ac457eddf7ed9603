# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action of M(certops.cloud.concurrent_runs): several of the collection's modules, one module run each, at the same time.

Each run is an ordinary module execution on the task's host (the action's own ``_execute_module``: same connection,
same interpreter, the task's check mode and diff, the play's C(module_defaults) for that module), so each module
keeps its own options, validation, check mode, diff and no_log handling. Each run has its own remote temporary
directory, and the runs are started from threads: the time is spent waiting for the
modules, whose work is API calls with separate limits. Ansible's templating is not thread-safe, so each thread holds
one lock for everything but the commands it runs on the host (the module itself): only the modules run at the same
time. The lock goes to the run that comes first in the runs' order: a run is packed and its module started before
the next run is packed, so the runs start in their order, one module packing time apart (not all together, once the
last is packed).
Ansible's task workers run in their own session, so a playbook killed in the middle (an AWX job cancelled) does not
kill this one: a run not started by then is not started at all (its endpoints fail, "not started"); the runs already
going finish (they are idempotent, and the next run finds their work done).
"""

from __future__ import annotations

import concurrent.futures
import os
import threading

from ansible.errors import AnsibleActionFail

from ansible_collections.certops.cloud.plugins.module_utils._action_specs import CONCURRENT_RUNS_SPEC
from ansible_collections.certops.cloud.plugins.plugin_utils._compat import (
    CommandHookAction, module_args_with_defaults, set_shell_tmpdir, shell_tmpdir)
from ansible_collections.certops.cloud.plugins.plugin_utils._runs import InOrderLock, combined_result, run_problem


class ActionModule(CommandHookAction):
    TRANSFERS_FILES = False
    _requires_connection = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = InOrderLock()
        self._current = threading.local()
        self._playbook = None
        self._tmpdirs = []

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        self._playbook = os.getppid()  # the ansible-playbook process that started this task's worker
        dummy, args = self.validate_argument_spec(argument_spec=CONCURRENT_RUNS_SPEC)
        runs = args["runs"]
        modules = [self._resolve(run["module"]) for run in runs]
        problem = run_problem(runs, modules)
        if problem:
            raise AnsibleActionFail(problem)
        shared_tmp, self._tmpdirs = shell_tmpdir(self), []
        try:
            workers = max(1, min(args["concurrency"], len(runs)))
            with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(self._one, place, run, module, task_vars) for place, (run, module) in enumerate(zip(runs, modules))]
                outcomes = [future.result() for future in futures]
        finally:
            for tmpdir in self._tmpdirs:
                self._remove_tmp_path(tmpdir, force=True)
            set_shell_tmpdir(self, shared_tmp)
        result.update(combined_result(runs, outcomes))
        return result

    def _resolve(self, name):
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(name, collection_list=self._task.collections)
        return context.resolved_fqcn if context.resolved else None

    def _one(self, place, run, module, task_vars):
        if os.getppid() != self._playbook:
            return dict(failed=True, changed=False, msg="not started: the playbook that ran this task has ended")
        self._lock.acquire(place)
        self._current.place = place
        try:
            # Each run its own remote temporary directory: two runs of one module would share its file name.
            tmpdir = self._make_tmp_path()
            self._tmpdirs.append(tmpdir)
            set_shell_tmpdir(self, tmpdir)  # read by _execute_module before it lets go of the lock
            module_args = dict((key, value) for key, value in (run["args"] or {}).items() if value is not None)
            module_args = module_args_with_defaults(self, module, module_args)
            return self._execute_module(module_name=module, module_args=module_args, task_vars=task_vars)
        finally:
            self._current.place = None
            self._lock.release()

    def remote_command(self, cmd, execute):
        """A command on the host (the module run, a chmod): the one step the runs take at the same time."""
        del cmd
        place = getattr(self._current, "place", None)
        if place is None:
            return execute()
        self._lock.release()
        try:
            return execute()
        finally:
            self._lock.acquire(place)
