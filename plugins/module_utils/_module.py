# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""The module base classes: options, failing, certificate input, and the flow of an endpoint module (read, compare,
write) for one endpoint or a batch of them, in groups (see :class:`EndpointModule`)."""

from __future__ import annotations

import typing as t
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError, Shared, parse_endpoint
from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    HAS_CRYPTOGRAPHY,
    CertificateError,
    load_material,
)

CERTIFICATE_ARGUMENT_SPEC = dict(
    certificate=dict(type="str"),
    private_key=dict(type="str", no_log=True),
    private_key_passphrase=dict(type="str", no_log=True),
)
BATCH_CONCURRENCY_SPEC = dict(type="int", default=4)
# Every endpoint module: report what the endpoint holds, read as a run that would change it reads it, and nothing else.
READ_ONLY_SPEC = dict(read_only=dict(type="bool", default=False))
# How many asynchronous writes of a batch are awaited at the same time (threads that mostly sleep between polls; the
# polls themselves are paced to the API limit), whatever batch_concurrency is.
WAIT_CONCURRENCY = 20

Result = t.Dict[str, t.Any]


class EndpointFailure(Exception):
    """A run, or one endpoint of a batch, failed; ``msg`` names the endpoint, ``details`` go into the result."""

    def __init__(self, msg: str, **details: t.Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.details = details


class StepError(Exception):
    """A step failed (a task, a check of what a write touches); the message says what, the flow names the endpoint."""


class CertopsModule:
    """Base of every module: one instance per run, or per entry of a ``batch``.

    A module sets ``argument_spec`` (its provider base sets ``provider_argument_spec``) and implements :meth:`execute`
    (the result dict). ``batch_options`` (names of options): the module also takes ``batch``, a list of entries each
    setting some of these options; one run then handles every entry (``batch_concurrency`` at a time, sharing
    credentials, store lookups and the parsed certificate) and returns ``endpoints``, one result per entry in order.
    Options required for one entry are required in each entry instead (or at the top level, for every entry).
    """

    argument_spec: t.ClassVar[dict[str, t.Any]] = {}
    provider_argument_spec: t.ClassVar[dict[str, t.Any]] = {}
    common_argument_spec: t.ClassVar[dict[str, t.Any]] = {}  # the options of every module of a base (EndpointModule)
    module_kwargs: t.ClassVar[dict[str, t.Any]] = {}
    needs_cryptography: t.ClassVar[bool] = True
    batch_options: t.ClassVar[tuple[str, ...]] = ()

    def __init__(self, module: AnsibleModule, params: dict[str, t.Any] | None = None, shared: Shared | None = None) -> None:
        self.module = module
        self.params: dict[str, t.Any] = module.params if params is None else params
        self.shared = Shared() if shared is None else shared
        self.changed = False
        self.written = False
        self.before: t.Any = None
        self.after: t.Any = None
        self.failure: EndpointFailure | None = None

    @classmethod
    def run_module(cls) -> None:
        """A module's ``main()``: the AnsibleModule of the class's options, then :meth:`run`."""
        cls(cls.define_module()).run()

    @classmethod
    def define_module(cls) -> AnsibleModule:
        spec = dict(cls.provider_argument_spec)
        spec.update(cls.common_argument_spec)
        spec.update(cls.argument_spec)
        kwargs: dict[str, t.Any] = dict(supports_check_mode=True)
        kwargs.update(cls.module_kwargs)
        if cls.batch_options:
            spec, kwargs = cls.batch_spec(spec, kwargs)
        return AnsibleModule(argument_spec=spec, **kwargs)

    @classmethod
    def batch_required(cls) -> tuple[list[str], list[tuple[str, ...]]]:
        """(options an entry needs, groups of which an entry needs one), among ``batch_options``."""
        spec = dict(cls.provider_argument_spec)
        spec.update(cls.argument_spec)
        required = [name for name in cls.batch_options if spec[name].get("required")]
        groups = [tuple(group) for group in cls.module_kwargs.get("required_one_of", []) if set(group) <= set(cls.batch_options)]
        return required, groups

    @classmethod
    def batch_spec(cls, spec: dict[str, t.Any], kwargs: dict[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
        """Add ``batch`` and ``batch_concurrency``: what one entry requires is required per entry or at the top."""
        required, groups = cls.batch_required()
        entry = {}
        for name in cls.batch_options:
            option = dict(spec[name])
            option.pop("default", None)
            option.pop("fallback", None)
            option["required"] = False
            entry[name] = option
            if name in required:
                spec[name] = dict(spec[name], required=False)
        spec["batch"] = dict(type="list", elements="dict", options=entry)
        spec["batch_concurrency"] = dict(BATCH_CONCURRENCY_SPEC)
        kwargs["required_one_of"] = ([tuple(g) + ("batch",) if tuple(g) in groups else g for g in kwargs.get("required_one_of", [])]
                                     + [(name, "batch") for name in required])
        return spec, kwargs

    # --- naming and failing ------------------------------------------------

    def endpoint_label(self) -> str:
        """Human name of what this run acts on, used as the prefix of messages."""
        return self.module._name.split(".")[-1]

    def fail(self, msg: str, **kwargs: t.Any) -> t.NoReturn:
        """Stop this run (or this entry of a batch) with ``msg``, prefixed with the endpoint."""
        raise EndpointFailure("%s: %s" % (self.endpoint_label(), msg), **kwargs)

    def fail_api(self, exc: ApiError) -> t.NoReturn:
        self.fail(str(exc), error=exc.as_dict())

    def attempt(self, function: t.Callable[..., t.Any], *args: t.Any) -> t.Any:
        """``function(*args)``; API, certificate and step errors end as this endpoint's EndpointFailure."""
        try:
            return function(*args)
        except ApiError as exc:
            self.fail_api(exc)
        except (CertificateError, StepError) as exc:
            self.fail(str(exc))

    # --- certificate input -------------------------------------------------

    def load_certificate_input(self, require_key: bool = True, min_days_remaining: int = 0, require_chain: bool = True) -> t.Any:
        """Parse and validate ``certificate``/``private_key``; fail before any API call.

        ``require_chain``: a leaf issued by another certificate must come with its chain.
        """
        def load() -> t.Any:
            return load_material(
                self.params["certificate"], self.params.get("private_key"),
                passphrase=self.params.get("private_key_passphrase"),
                min_days_remaining=min_days_remaining, require_key=require_key, require_chain=require_chain)
        try:
            # Top-level options: every entry of a batch has the same, parsed once.
            return self.shared.memo(("certificate input", min_days_remaining, require_key, require_chain), load)
        except CertificateError as exc:
            self.fail(str(exc))

    def check_input(self) -> None:
        """The local checks every run makes first: the API endpoint option, and no empty certificate or key (an unset
        variable is a mistake, not "no value")."""
        if self.params.get("endpoint"):
            try:
                parse_endpoint(self.params["endpoint"])
            except ValueError as exc:
                self.fail(str(exc))
        for name, what in (("certificate", "certificate"), ("private_key", "private key")):
            value = self.params.get(name)
            if isinstance(value, str) and not value.strip():
                self.fail("%s is empty" % what)

    # --- the run -------------------------------------------------------------

    def run(self) -> None:
        if self.needs_cryptography and not HAS_CRYPTOGRAPHY:
            self.module.fail_json(msg=missing_required_lib("cryptography"), exception=CRYPTOGRAPHY_IMPORT_ERROR)
        self.check_requirements()
        try:
            result = self.execute_batch() if self.params.get("batch") is not None else self.execute_checked()
        except EndpointFailure as exc:
            self.module.fail_json(msg=exc.msg, **exc.details)
        self.module.exit_json(**result)

    def check_requirements(self) -> None:
        """Fail when a provider library is missing (provider bases override)."""

    def execute_checked(self) -> Result:
        """:meth:`execute` after the local checks; API and certificate errors end as EndpointFailure."""
        self.check_input()
        return self.attempt(self.execute)

    def execute(self) -> Result:
        raise NotImplementedError

    # --- batches -------------------------------------------------------------

    def for_entry(self, entry: dict[str, t.Any]) -> t.Any:
        """The run of one ``batch`` entry: the top-level options with the entry's on top."""
        params = dict(self.params, batch=None)
        params.update((key, value) for key, value in entry.items() if value is not None)
        return type(self)(self.module, params=params, shared=self.shared)

    def check_entry(self) -> None:
        required, groups = self.batch_required()
        missing = [name for name in required if self.params.get(name) is None]
        if missing:
            self.fail("batch entry misses %s" % ", ".join(missing))
        for group in groups:
            if all(self.params.get(name) is None for name in group):
                self.fail("batch entry needs one of %s" % ", ".join(group))

    def entries(self) -> list[t.Any]:
        return [self.for_entry(entry) for entry in self.params["batch"]]

    def execute_batch(self) -> Result:
        """Every ``batch`` entry run on its own (``execute``), ``batch_concurrency`` at a time; fails (after all of
        them ran) if one failed."""
        def run_entry(entry: CertopsModule) -> Result:
            try:
                entry.check_entry()
                return entry.execute_checked()
            except EndpointFailure as exc:
                entry.failure = exc
                return {}
        entries = self.entries()
        results = self.pool_map(run_entry, entries)
        return self.batch_result([entry.entry_result(result) for entry, result in zip(entries, results)])

    def entry_result(self, result: Result) -> Result:
        """This entry's result in a batch: ``endpoint``, ``failed`` (with ``msg``) and ``summary`` added."""
        if self.failure is not None:
            result = dict(self.failure.details, failed=True, msg=self.failure.msg, changed=self.written, before=self.before)
        result = dict(result, endpoint=self.endpoint_label(), failed=result.get("failed", False))
        summary = self.summary(result)
        if summary is not None:
            result["summary"] = summary
        return result

    def batch_result(self, results: list[Result]) -> Result:
        result: Result = dict(changed=any(r["changed"] for r in results), endpoints=results)
        diffs = [r.pop("diff") for r in results if "diff" in r]
        if self.module._diff:
            result["diff"] = diffs
        failed = [r for r in results if r["failed"]]
        if failed:
            raise EndpointFailure("%d of %d endpoints failed: %s" % (len(failed), len(results), "; ".join(r["msg"] for r in failed)),
                                  **result)
        return result

    def summary(self, result: Result) -> Result | None:
        """Of a batch entry's ``result``: ids, leaf fingerprint and expiry before and after, in the same keys for
        every module (see ``summary_row``); None for no summary."""
        return None

    def pool_map(self, function: t.Callable[[t.Any], t.Any], items: t.Sequence[t.Any], concurrency: int | None = None) -> list[t.Any]:
        """``function`` of each item, ``concurrency`` (default ``batch_concurrency``) at a time; the results in order."""
        concurrency = max(1, min(concurrency or self.params.get("batch_concurrency") or 1, len(items) or 1))
        if concurrency == 1:
            return [function(item) for item in items]
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(function, items))


class Group:
    """Endpoints of a batch handled together (read from one listing, written in one call, awaited with one poll).

    ``key`` names the group, ``members`` are its endpoints (in batch order), ``data`` is the provider's own.
    """

    def __init__(self, key: t.Hashable, members: t.Iterable[EndpointModule]) -> None:
        self.key = key
        self.members = list(members)
        self.data: dict[str, t.Any] = {}
        self.written = False
        self.failed = False


class EndpointModule(CertopsModule):
    """Base of the endpoint modules: read what an endpoint holds, compare it with what is wanted, write only when they
    differ; check mode never writes, ``--diff`` shows before and after. One endpoint is a batch of one.

    Each endpoint (a member of the batch) has these hooks, in the order they run:

    - :meth:`validate`: local checks of the input; never calls an API.
    - :meth:`read`: :meth:`read_binding` (before), :meth:`desired_binding` (after), :meth:`bindings_equal`, and for a
      change :meth:`check_desired` (checks of the change, also in check mode). Every read happens here or in a group
      read.
    - :meth:`write`: :meth:`write_binding` (never in check mode).
    - :meth:`confirm`: :meth:`confirm_binding` (awaits an asynchronous write).
    - :meth:`result`: ``changed``, ``before``, ``after``, the diff (:meth:`diff_view`) and :meth:`extra_results`.

    With ``read_only`` (the audit) a member runs :meth:`validate_identity` and :meth:`read_held` only: what the
    endpoint holds, read as above (group reads included), ``after`` the same, never a write; the options of the new
    certificate are not looked at.

    The batching seam groups members so that a provider reads and writes as few times as its API allows:

    - :meth:`group_key` and :meth:`read_group`: members with the same key are read together (one listing), before
      each member's own :meth:`read`.
    - ``write_together`` with :meth:`write_groups`: which changed members are written together, once every member is
      read; :meth:`prepare_writes` reads and checks what the writes touch (also in check mode); :meth:`write_group`.
      Without it (the default) each member is written right after its own read, so the reads and writes of a batch
      overlap.
    - :meth:`await_groups` and :meth:`await_group`: which written groups are awaited together, and how.

    A group step that fails fails each of its members (an :class:`EndpointFailure` as it is; an API or step error
    naming each member); the other members go on.
    """

    common_argument_spec = READ_ONLY_SPEC
    failed_in_group = False  # this member's failure comes from a group step (another group's error is added to it)
    # Whether changed members are written in groups (write_groups), once every member is read; else each member is
    # written right after its own read.
    write_together: t.ClassVar[bool] = False

    # --- the flow ---------------------------------------------------------------------------------------------------

    def execute(self) -> Result:
        result = self.run_members([self])[0]
        if self.failure is not None:
            raise EndpointFailure(self.failure.msg, **dict(self.failure.details, changed=self.written, before=self.before))
        return result

    def execute_batch(self) -> Result:
        members = self.entries()
        results = self.run_members(members, entries=True)
        return self.batch_result([member.entry_result(result) for member, result in zip(members, results)])

    def run_members(self, members: list[t.Any], entries: bool = False) -> list[Result]:
        """The flow over ``members``: local checks, group reads, reads and writes, awaits; a result each."""
        read_only = bool(self.params.get("read_only"))
        self.each(members, "prepare_entry" if entries else ("validate_identity" if read_only else "validate"))
        read_groups: dict[t.Hashable, Group] = {}
        for member in self.live(members):
            key = member.group_key()
            read_groups.setdefault(id(member) if key is None else key, Group(key, [])).members.append(member)
        self.each_group(list(read_groups.values()), "read_group")
        if read_only:
            self.each(self.live(members), "read_held")
            written = []
        elif self.write_together:
            self.each(self.live(members), "read")
            writes = self.write_groups([member for member in self.live(members) if member.changed])
            self.guarded(lambda: self.prepare_writes(writes), writes)
            if not self.module.check_mode:
                self.each_group([group for group in writes if not group.failed], "write_group")
            written = [group for group in writes if group.written and not group.failed]
        else:
            self.each(self.live(members), "read_then_write")
            written = [Group(None, [member]) for member in members if member.written and member.failure is None]
        self.each_group(self.await_groups(written), "await_group", WAIT_CONCURRENCY)
        return [member.result() if member.failure is None else {} for member in members]

    @staticmethod
    def live(members: list[t.Any]) -> list[t.Any]:
        return [member for member in members if member.failure is None]

    def each(self, members: list[t.Any], step: str, concurrency: int | None = None) -> None:
        """The method ``step`` of every member, ``batch_concurrency`` at a time; a failure is kept on the member."""
        def run(member: EndpointModule) -> None:
            try:
                member.attempt(getattr(member, step))
            except EndpointFailure as exc:
                member.failure = exc
        self.pool_map(run, members, concurrency)

    def each_group(self, groups: list[Group], step: str, concurrency: int | None = None) -> None:
        """This run's method ``step`` of every group, ``concurrency`` (default ``batch_concurrency``) at a time."""
        self.pool_map(lambda group: self.guarded(lambda: getattr(self, step)(group), [group]), groups, concurrency)

    def guarded(self, step: t.Callable[[], t.Any], groups: list[Group]) -> None:
        """``step()``; when it fails, the members of ``groups`` fail (see :meth:`fail_groups`)."""
        try:
            step()
        except (EndpointFailure, ApiError, CertificateError, StepError) as exc:
            self.fail_groups(groups, exc)

    @staticmethod
    def fail_groups(groups: list[Group], exc: Exception) -> None:
        """Fail the members of ``groups``: with ``exc`` itself when it is an EndpointFailure, else naming each member
        (a member of several failed groups gets each error, joined)."""
        for group in groups:
            group.failed = True
            for member in group.members:
                if isinstance(exc, EndpointFailure):
                    member.failure = member.failure or exc
                elif member.failure is None:
                    member.failure = member.failure_of(str(exc))
                    member.failed_in_group = True
                elif member.failed_in_group:
                    member.failure = EndpointFailure("%s; %s" % (member.failure.msg, exc), **member.failure.details)

    def failure_of(self, msg: str, **details: t.Any) -> EndpointFailure:
        """This endpoint's failure with ``msg``, prefixed with the endpoint (for a step that failed elsewhere)."""
        return EndpointFailure("%s: %s" % (self.endpoint_label(), msg), **details)

    # --- what each member does ------------------------------------------------------------------------------------

    def prepare_entry(self) -> None:
        """A batch entry's local checks: the entry's options, the input, :meth:`validate` (:meth:`validate_identity`
        with ``read_only``)."""
        self.check_entry()
        self.check_input()
        if self.params.get("read_only"):
            self.validate_identity()
        else:
            self.validate()

    def validate(self) -> None:
        """Local checks of the input; runs before any API call. Includes :meth:`validate_identity`."""
        self.validate_identity()

    def validate_identity(self) -> None:
        """Local checks of the options that name the endpoint (all that ``read_only`` looks at); no API call."""

    def read_held(self) -> None:
        """``read_only``: what the endpoint holds, as :meth:`read` reads it; nothing changes."""
        self.before = self.after = self.read_binding()
        self.changed = False

    def read(self) -> None:
        """What the endpoint holds and will hold, and whether they differ (no write)."""
        self.before = self.read_binding()
        self.after = self.desired_binding(self.before)
        self.changed = not self.bindings_equal(self.before, self.after)
        if self.changed:
            self.check_desired(self.before, self.after)

    def write(self) -> None:
        self.write_binding(self.before, self.after)
        self.written = True

    def read_then_write(self) -> None:
        """:meth:`read`, then for a change :meth:`write` (not in check mode), in one go: the reads and writes of a
        batch overlap (each API action has its own rate limit)."""
        self.read()
        if self.changed and not self.module.check_mode:
            self.write()

    def confirm(self) -> None:
        self.after = self.confirm_binding(self.after)

    def result(self) -> Result:
        result: Result = dict(changed=self.changed, before=self.before, after=self.after)
        if self.module._diff:
            diff_before, diff_after = self.diff_view(self.before, self.after)
            result["diff"] = dict(before=diff_before, after=diff_after,
                                  before_header=self.endpoint_label(), after_header=self.endpoint_label())
        result.update(self.extra_results(self.before, self.after))
        return result

    # --- the endpoint's hooks ---------------------------------------------------------------------------------------

    def read_binding(self) -> t.Any:
        raise NotImplementedError

    def desired_binding(self, before: t.Any) -> t.Any:
        raise NotImplementedError

    def bindings_equal(self, before: t.Any, after: t.Any) -> bool:
        return bool(before == after)

    def check_desired(self, before: t.Any, after: t.Any) -> None:
        """Checks of a change before it is written (also in check mode), e.g. that the new certificate covers the
        names the endpoint serves."""

    def write_binding(self, before: t.Any, after: t.Any) -> None:
        raise NotImplementedError

    def confirm_binding(self, after: t.Any) -> t.Any:
        """Hook to re-read or wait after a write; returns the binding to report."""
        return after

    def diff_view(self, before: t.Any, after: t.Any) -> tuple[t.Any, t.Any]:
        """What ``--diff`` shows (by default the whole bindings)."""
        return before, after

    def extra_results(self, before: t.Any, after: t.Any) -> Result:
        return {}

    # --- the batching seam --------------------------------------------------------------------------------------

    def group_key(self) -> t.Hashable | None:
        """Members with the same key are read together by :meth:`read_group`; None (the default): on its own."""
        return None

    def read_group(self, group: Group) -> None:
        """Reads shared by the members of ``group``, before each member's :meth:`read` (default: none)."""

    def write_groups(self, members: list[t.Any]) -> list[Group]:
        """The writes of the changed ``members``: which are written together. Default: each on its own."""
        return [Group(None, [member]) for member in members]

    def prepare_writes(self, groups: list[Group]) -> None:
        """Reads and checks of what the writes touch, also in check mode (default: none); a failure fails every
        member (a group that fails on its own marks itself and its members)."""

    def write_group(self, group: Group) -> None:
        """Write one group: by default each member's :meth:`write`, a failure kept on the member."""
        self.each(group.members, "write", 1)
        group.written = any(member.written for member in group.members)

    def await_groups(self, groups: list[Group]) -> list[Group]:
        """Which written groups are awaited together (default: each written group on its own)."""
        return groups

    def await_group(self, group: Group) -> None:
        """Await one group: by default each written member's :meth:`confirm`."""
        self.each([member for member in group.members if member.written and member.failure is None], "confirm", 1)


def summary_row(before_id: t.Any, before_certificate: dict[str, t.Any] | None, after_id: t.Any,
                after_certificate: dict[str, t.Any] | None) -> Result:
    """The ``summary`` of a batch entry: ids, leaf SHA-256 fingerprints, expiry, subject and names, before and after."""
    row: Result = {}
    for side, certificate_id, certificate in (("before", before_id, before_certificate), ("after", after_id, after_certificate)):
        certificate = certificate or {}
        row.update({side + "_id": certificate_id, side + "_fingerprint": certificate.get("fingerprint_sha256"),
                    side + "_not_after": certificate.get("not_after"), side + "_subject": certificate.get("subject"),
                    side + "_subject_alt_names": certificate.get("subject_alt_names")})
    return row
