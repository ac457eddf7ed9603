# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Provider-neutral module base: error handling and the read / compare / write flow."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    import fcntl
except ImportError:  # not POSIX: no lock between runs (see store_lock)
    fcntl = None

from ansible_collections.certops.cloud.plugins.module_utils._certificate import (
    CRYPTOGRAPHY_IMPORT_ERROR,
    HAS_CRYPTOGRAPHY,
    CertificateError,
    load_material,
    normalize_fingerprint,
)

CERTIFICATE_ARGUMENT_SPEC = dict(
    certificate=dict(type="str"),
    private_key=dict(type="str", no_log=True),
    private_key_passphrase=dict(type="str", no_log=True),
)


def parse_endpoint(endpoint):
    """Return (scheme, host[:port]) from a host name or an http(s) URL."""
    endpoint = endpoint.strip()
    if "://" not in endpoint:
        if "/" in endpoint:
            raise ValueError("endpoint %r must be a host name or an http(s):// URL" % endpoint)
        return "https", endpoint
    url = urlparse(endpoint)
    if url.scheme not in ("http", "https") or not url.netloc:
        raise ValueError("endpoint %r must be a host name or an http(s):// URL" % endpoint)
    if url.path not in ("", "/") or url.query:
        raise ValueError("endpoint %r must not contain a path or query" % endpoint)
    return url.scheme, url.netloc


# What the HTTP stacks of the SDKs (requests/urllib3) say when an endpoint cannot be reached.
_NETWORK_MARKERS = ("Max retries exceeded", "NewConnectionError", "ConnectTimeout", "ReadTimeout", "timed out", "Connection refused",
                    "Connection aborted", "ConnectionError", "RemoteDisconnected", "Name or service not known", "SSLError")
_ERRNO_REASON = re.compile(r"\[Errno -?\d+\] ([^'\"()\[\]\\]+)")


def paged(fetch, items, total="TotalCount", limit=100, result=None, **params):
    """Every item of an Offset/Limit listing: ``fetch(Offset=..., Limit=..., **params)`` (a dict) until its
    ``total`` count; ``result`` names the member that holds ``items`` and ``total`` (TSE's ``Result``)."""
    offset = 0
    while True:
        response = fetch(Offset=offset, Limit=limit, **params)
        container = (response.get(result) or {}) if result else response
        page = container.get(items) or []
        yield from page
        offset += len(page)
        if not page or offset >= (container.get(total) or 0):
            return


def network_problem(text):
    """A short reason (``Connection refused``, ``timed out``) when an SDK error means the endpoint was not reached; else None."""
    text = str(text)
    if not any(marker in text for marker in _NETWORK_MARKERS):
        return None
    match = _ERRNO_REASON.search(text)
    if match:
        return match.group(1).strip()
    if "SSLError" in text:
        return "TLS handshake failed"
    if "timed out" in text or "Timeout" in text:
        return "timed out"
    return "connection failed"


def unreachable_message(cloud, url, reason, retries):
    return ("cannot reach the %s API endpoint %s (%s, api_retries=%d); check endpoint, region and the network or proxy"
            % (cloud, url, reason, retries))


class ApiError(Exception):
    """An API call failed; carries the provider's error code and request id."""

    def __init__(self, service, action, code, message, request_id=None):
        super().__init__(message)
        self.service = service
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id

    def __str__(self):
        text = "%s %s failed: %s: %s" % (self.service, self.action, self.code, self.message)
        if self.request_id:
            text += " (request id %s)" % self.request_id
        return text

    def as_dict(self):
        return dict(service=self.service, action=self.action, code=self.code, message=self.message,
                    request_id=self.request_id)


class EndpointFailure(Exception):
    """A run, or one endpoint of a batch, failed; ``msg`` names the endpoint, ``details`` go into the result."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = details


_PACE_LOCK = threading.Lock()
_PACE_NEXT = {}
# Calls are spaced 10 % wider than the rate: a thread that wakes late must not put two calls in one window of the
# server's limit (at N=2000 evenly spaced calls at exactly the limit were still throttled now and then).
PACE_HEADROOM = 1.1


def pace(key, rate):
    """Wait so that calls with the same ``key`` (a service and action) leave this process at most ``rate`` a second,
    evenly spaced: the runs of a batch share one pace per API action and stay under its rate limit instead of being
    throttled and retried. ``rate`` 0 or None: no pacing."""
    if not rate or rate <= 0:
        return
    with _PACE_LOCK:
        now = time.monotonic()
        slot = max(now, _PACE_NEXT.get(key, now))
        _PACE_NEXT[key] = slot + PACE_HEADROOM / rate
    if slot > now:
        time.sleep(slot - now)


class Shared:
    """Values the runs of one module process compute once: the entries of a batch share one (thread safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._slots = {}

    def memo(self, key, compute):
        """``compute()`` once per ``key``; a call that raises is not kept (the next caller tries again)."""
        with self._lock:
            slot = self._slots.setdefault(key, [threading.Lock(), False, None])
        with slot[0]:
            if not slot[1]:
                slot[2] = compute()
                slot[1] = True
            return slot[2]

    def known(self, key):
        """Whether ``memo`` has computed ``key`` already."""
        with self._lock:
            slot = self._slots.get(key)
        return bool(slot and slot[1])


BATCH_CONCURRENCY_SPEC = dict(type="int", default=4)
# How many asynchronous writes of a batch are awaited at the same time (threads that mostly sleep between polls; the
# polls themselves are paced to the API limit), whatever batch_concurrency is.
WAIT_CONCURRENCY = 20


class CertopsModule:
    """Base of every module: one instance per run, or per endpoint of a ``batch``.

    Endpoint modules implement :meth:`read_binding`, :meth:`desired_binding`,
    :meth:`bindings_equal` and :meth:`write_binding`; the flow in
    :meth:`execute` does the rest (check mode, diff, before/after). Other
    modules override :meth:`execute` and return the result dict.

    ``batch_options`` (names of options): the module also takes ``batch``, a list of endpoints each setting some of
    these options; one run then handles every endpoint (``batch_concurrency`` at a time, sharing credentials, store
    lookups and the parsed certificate) and returns ``endpoints``, one result per entry in order.  Options required
    for one endpoint are required in each entry instead (or at the top level, for every entry).
    """

    argument_spec = {}
    provider_argument_spec = {}
    module_kwargs = {}
    needs_cryptography = True
    batch_options = ()

    def __init__(self, module, params=None, shared=None):
        self.module = module
        self.params = module.params if params is None else params
        self.shared = Shared() if shared is None else shared
        self.changed = False
        self.written = False
        self.before = None

    @classmethod
    def define_module(cls):
        spec = dict(cls.provider_argument_spec)
        spec.update(cls.argument_spec)
        kwargs = dict(supports_check_mode=True)
        kwargs.update(cls.module_kwargs)
        if cls.batch_options:
            spec, kwargs = cls.batch_spec(spec, kwargs)
        return AnsibleModule(argument_spec=spec, **kwargs)

    @classmethod
    def batch_required(cls):
        """(options an endpoint needs, groups of which an endpoint needs one), among ``batch_options``."""
        spec = dict(cls.provider_argument_spec)
        spec.update(cls.argument_spec)
        required = [name for name in cls.batch_options if spec[name].get("required")]
        groups = [tuple(group) for group in cls.module_kwargs.get("required_one_of", []) if set(group) <= set(cls.batch_options)]
        return required, groups

    @classmethod
    def batch_spec(cls, spec, kwargs):
        """Add ``batch`` and ``batch_concurrency``: what one endpoint requires is required per entry or at the top."""
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

    def endpoint_label(self):
        """Human name of what this run acts on, used as the prefix of messages."""
        return self.module._name.split(".")[-1]

    def fail(self, msg, **kwargs):
        """Stop this run (or this endpoint of a batch) with ``msg``, prefixed with the endpoint."""
        raise EndpointFailure("%s: %s" % (self.endpoint_label(), msg), **kwargs)

    def fail_api(self, exc):
        self.fail(str(exc), error=exc.as_dict())

    # --- certificate input -------------------------------------------------

    def load_certificate_input(self, require_key=True, min_days_remaining=0, require_chain=True):
        """Parse and validate ``certificate``/``private_key``; fail before any API call.

        ``require_chain``: a leaf issued by another certificate must come with its chain.
        """
        def load():
            return load_material(
                self.params["certificate"], self.params.get("private_key"),
                passphrase=self.params.get("private_key_passphrase"),
                min_days_remaining=min_days_remaining, require_key=require_key, require_chain=require_chain)
        try:
            # Top-level options: every endpoint of a batch has the same, parsed once.
            return self.shared.memo(("certificate input", min_days_remaining, require_key, require_chain), load)
        except CertificateError as exc:
            self.fail(str(exc))

    def check_empty_input(self):
        """A certificate or private key given as an empty string is a mistake (an unset variable), not "no value"."""
        for name, what in (("certificate", "certificate"), ("private_key", "private key")):
            value = self.params.get(name)
            if isinstance(value, str) and not value.strip():
                self.fail("%s is empty" % what)

    # --- the flow ------------------------------------------------------------

    def run(self):
        if self.needs_cryptography and not HAS_CRYPTOGRAPHY:
            self.module.fail_json(msg=missing_required_lib("cryptography"), exception=CRYPTOGRAPHY_IMPORT_ERROR)
        self.check_requirements()
        try:
            result = self.execute_batch() if self.params.get("batch") is not None else self.execute_checked()
        except EndpointFailure as exc:
            self.module.fail_json(msg=exc.msg, **exc.details)
        self.module.exit_json(**result)

    def execute_checked(self):
        """:meth:`execute` after the checks of the input; API and certificate errors end as EndpointFailure."""
        if self.params.get("endpoint"):
            try:
                parse_endpoint(self.params["endpoint"])
            except ValueError as exc:
                self.fail(str(exc))
        self.check_empty_input()
        return self.attempt(self.execute)

    def attempt(self, function, *args):
        """``function(*args)``; API and certificate errors end as this endpoint's EndpointFailure."""
        try:
            return function(*args)
        except ApiError as exc:
            self.fail_api(exc)
        except CertificateError as exc:
            self.fail(str(exc))

    # --- batches -------------------------------------------------------------

    def for_entry(self, entry):
        """The run of one ``batch`` entry: the top-level options with the entry's on top."""
        params = dict(self.params, batch=None)
        params.update((key, value) for key, value in entry.items() if value is not None)
        return type(self)(self.module, params=params, shared=self.shared)

    def check_entry(self):
        required, groups = self.batch_required()
        missing = [name for name in required if self.params.get(name) is None]
        if missing:
            self.fail("batch entry misses %s" % ", ".join(missing))
        for group in groups:
            if all(self.params.get(name) is None for name in group):
                self.fail("batch entry needs one of %s" % ", ".join(group))

    def run_entry(self):
        """One endpoint's result; a failure is a result (``failed``, ``msg``) too, the other endpoints go on."""
        try:
            self.check_entry()
            result = self.execute_checked()
        except EndpointFailure as exc:
            result = dict(exc.details, failed=True, msg=exc.msg, changed=self.written, before=self.before)
        result = dict(result, endpoint=self.endpoint_label(), failed=result.get("failed", False))
        summary = self.summary(result)
        if summary is not None:
            result["summary"] = summary
        return result

    def execute_batch(self):
        """Every ``batch`` entry, ``batch_concurrency`` at a time; fails (after all of them ran) if one failed."""
        workers = [self.for_entry(entry) for entry in self.params["batch"]]
        return self.batch_result(self.run_workers(workers))

    def run_workers(self, workers):
        """``run_entry`` of each worker, ``batch_concurrency`` at a time; the results in order."""
        concurrency = max(1, min(self.params.get("batch_concurrency") or 1, len(workers) or 1))
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            return list(pool.map(lambda worker: worker.run_entry(), workers))

    def batch_result(self, results, diffs=None):
        result = dict(changed=any(r["changed"] for r in results), endpoints=results)
        diffs = (diffs or []) + [r.pop("diff") for r in results if "diff" in r]
        if self.module._diff:
            result["diff"] = diffs
        failed = [r for r in results if r["failed"]]
        if failed:
            raise EndpointFailure("%d of %d endpoints failed: %s" % (len(failed), len(results), "; ".join(r["msg"] for r in failed)),
                                  **result)
        return result

    def summary(self, result):
        """Of a batch entry's ``result``: ids, leaf fingerprint and expiry before and after, in the same keys for
        every module (see ``summary_row``); None for no summary."""
        return None

    def check_requirements(self):
        """Fail when a provider library is missing (provider bases override)."""

    def validate(self):
        """Local checks of the input; runs before any API call."""

    def execute(self):
        self.validate()
        before = self.before = self.read_binding()
        after = self.desired_binding(before)
        self.changed = not self.bindings_equal(before, after)
        if self.changed:
            self.check_desired(before, after)
        if self.changed and not self.module.check_mode:
            self.write_binding(before, after)
            self.written = True
            after = self.confirm_binding(after)
        result = dict(changed=self.changed, before=before, after=after)
        if self.module._diff:
            diff_before, diff_after = self.diff_view(before, after)
            result["diff"] = dict(before=diff_before, after=diff_after,
                                  before_header=self.endpoint_label(), after_header=self.endpoint_label())
        result.update(self.extra_results(before, after))
        return result

    def read_binding(self):
        raise NotImplementedError

    def desired_binding(self, before):
        raise NotImplementedError

    def bindings_equal(self, before, after):
        return before == after

    def check_desired(self, before, after):
        """Checks of a change before it is written (also in check mode), e.g. that the new certificate covers the
        names the endpoint serves."""

    def write_binding(self, before, after):
        raise NotImplementedError

    def confirm_binding(self, after):
        """Hook to re-read or wait after a write; returns the binding to report."""
        return after

    def diff_view(self, before, after):
        """What ``--diff`` shows (by default the whole bindings)."""
        return before, after

    def extra_results(self, before, after):
        return {}


class CertificateStore:
    """A provider certificate store: never a second copy of the same certificate.

    Subclasses implement ``entries(certificate_type)`` (the listing),
    ``detail(id)`` (dict with ``certificate_id``, ``bundle`` and ``certificate``
    summary, or None), ``find(bundle, certificate_type)`` and
    ``upload(bundle, private_key, certificate_type, **options)``.
    """

    default_type = None
    name = "store"  # in the name of the lock file (store_lock)

    def upload_attempts(self):
        """How many uploads ``ensure`` may try when they fail ambiguously (see ``ambiguous``)."""
        return 1

    def ambiguous(self, exc):
        """Whether an upload that failed with ``exc`` (an ApiError) may have stored the certificate all the same."""
        return False

    def settle(self, exc):
        """Pause after an ambiguous failure, before looking for the certificate again."""

    def find_by_fingerprint(self, value, certificate_type=None):
        """Stored certificates whose leaf SHA-256 (or SHA-1) fingerprint is ``value``."""
        wanted = normalize_fingerprint(value)
        matches = []
        for entry in self.entries(certificate_type):
            detail = self.detail(entry["CertificateId"])
            summary = detail and detail["certificate"]
            if summary and wanted in (summary["fingerprint_sha256"], summary["fingerprint_sha1"]):
                matches.append(detail)
        return matches

    def ensure(self, bundle, private_key=None, certificate_type=None, check_mode=False, **options):
        """Return (certificate_id or None in check mode, changed).

        Looks, then uploads, holding ``store_lock``.  An upload that failed ambiguously (its reply was lost, it timed
        out, the server failed) may have stored the certificate: look again, upload again only if it is absent.
        """
        certificate_type = self.default_type if certificate_type is None else certificate_type
        if check_mode:
            found = self.find(bundle, certificate_type)
            return (found[0]["certificate_id"], False) if found else (None, True)
        with store_lock(self.name, certificate_type, bundle.fingerprint_sha256):
            attempt = 0
            while True:
                found = self.find(bundle, certificate_type)
                if found:
                    return found[0]["certificate_id"], attempt > 0
                try:
                    return self.upload(bundle, private_key, certificate_type, **options)
                except ApiError as exc:
                    attempt += 1
                    if attempt >= self.upload_attempts() or not self.ambiguous(exc):
                        raise
                    self.settle(exc)


@contextlib.contextmanager
def store_lock(*key):
    """Hold an exclusive lock named after ``key``, shared by this user's processes on this machine.

    ``CertificateStore.ensure`` holds it around look-then-upload, so that two runs at once (two ansible-playbook
    processes, or forks of one) cannot both find a certificate absent and both upload it (GAAP would keep two
    copies).  An flock on a file in the system temporary directory, released when the holder exits.  It does not
    reach other machines (AWX jobs on other pods): there the SSL store's deduplication (Repeatable=False) still
    holds, and GAAP may get a second copy.  Without fcntl, or when the file cannot be opened, there is no lock.
    """
    fd = None
    if fcntl is not None:
        parts = "-".join(re.sub(r"[^A-Za-z0-9]", "", str(part)) for part in key)
        path = os.path.join(tempfile.gettempdir(), "certops-%d-%s.lock" % (os.getuid(), parts))
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            fd = None
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # releases the lock


def summary_row(before_id, before_certificate, after_id, after_certificate):
    """The ``summary`` of a batch entry: ids, leaf SHA-256 fingerprints and expiry, before and after."""
    before_certificate, after_certificate = before_certificate or {}, after_certificate or {}
    return dict(before_id=before_id, before_fingerprint=before_certificate.get("fingerprint_sha256"),
                before_not_after=before_certificate.get("not_after"),
                after_id=after_id, after_fingerprint=after_certificate.get("fingerprint_sha256"),
                after_not_after=after_certificate.get("not_after"))


def same_certificate(summary_a, summary_b):
    """Compare two certificate summaries by DER fingerprints (leaf and chain)."""
    if not summary_a or not summary_b:
        return summary_a == summary_b

    def ident(summary):
        return (summary.get("fingerprint_sha256"),
                tuple(c.get("fingerprint_sha256") for c in summary.get("chain") or []))
    return ident(summary_a) == ident(summary_b)


class CertificateStoreMixin:
    """``execute`` of the certificate-store modules (upload once, find by fingerprint, absent).

    The provider module supplies ``store`` (``ensure``, ``detail``, ``find``,
    ``find_by_fingerprint``, ``delete``), ``store_type()`` (the store's
    certificate type for the module's options) and ``needs_key()``.
    """

    def store_type(self):
        raise NotImplementedError

    def needs_key(self):
        return True

    def upload_options(self):
        return dict(alias=self.params.get("alias"))

    def delete_options(self):
        """Keyword arguments of the store's ``delete``."""
        return {}

    def execute(self):
        store = self.store
        if self.params["state"] == "absent":
            return self.absent(store)
        bundle, key = self.load_certificate_input(require_key=self.needs_key())
        summary = bundle.summary()
        certificate_id, changed = store.ensure(
            bundle, key if self.needs_key() else None, self.store_type(), check_mode=self.module.check_mode,
            **self.upload_options())
        result = dict(changed=changed, certificate_id=certificate_id, certificate=summary)
        if self.module._diff:
            result["diff"] = dict(before=dict(certificate_id=certificate_id) if not changed else {},
                                  after=dict(certificate_id=certificate_id or "(new)", certificate=summary))
        return result

    def absent(self, store):
        params = self.params
        certificate = None
        if params["certificate_id"]:
            found = [d for d in [store.detail(params["certificate_id"])] if d]
        elif params["fingerprint"]:
            found = store.find_by_fingerprint(params["fingerprint"], self.store_type())
        elif params["certificate"]:
            bundle, dummy = self.load_certificate_input(require_key=False, require_chain=False)
            certificate = bundle.summary()
            found = store.find(bundle, self.store_type())
        else:
            self.fail("state=absent needs certificate_id, fingerprint or certificate")
        ids = [d["certificate_id"] for d in found]
        if ids and not self.module.check_mode:
            for certificate_id in ids:
                store.delete(certificate_id, **self.delete_options())
        result = dict(changed=bool(ids), certificate_id=None, certificate_ids=ids)
        if certificate:
            result["certificate"] = certificate
        if self.module._diff:
            result["diff"] = dict(before=dict(certificate_ids=ids), after=dict(certificate_ids=[]))
        return result
