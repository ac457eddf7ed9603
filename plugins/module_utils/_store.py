# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!

"""Certificate stores (the Tencent Cloud SSL store, the GAAP store): never a second copy of the same certificate."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time

try:
    import fcntl
except ImportError:  # not POSIX: no lock between runs (see store_lock)
    fcntl = None  # type: ignore[assignment]

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError
from ansible_collections.certops.cloud.plugins.module_utils._certificate import normalize_fingerprint


# A store module run in check mode returns no id for a certificate it would first upload: a task chained to it gets none.
NO_ID_HINT = ("A store id taken from a store module run in check mode is null until the certificate is uploaded: give the "
              "certificate as certificate and private_key instead, which works in check mode too")


class CertificateStore:
    """A provider certificate store: one copy of a certificate, the same one for every run.

    Subclasses implement ``entries(certificate_type)`` (the listing),
    ``candidates(bundle, certificate_type)`` (the listed certificates that may be ``bundle``), ``detail(id)`` (dict
    with ``certificate_id``, ``created`` (epoch seconds), ``bundle`` and ``certificate`` summary, or None),
    ``upload(bundle, private_key, certificate_type, **options)`` and ``delete(id)``.

    Copies of one certificate (the same leaf and chain) are equal: any of them is the certificate. When a store holds
    several (concurrent runs that each found none, AWX slices on other machines), every run takes the same one, the
    *canonical* copy: the oldest, then the lowest id. ``window`` is how many seconds a new copy is given for the copies
    other runs create at the same time to appear: a run that created a copy, or found one younger than that, waits
    until the window has passed and looks again before it chooses; a run whose copy is not the canonical one then
    removes it.
    """

    default_type = None
    name = "store"  # in the name of the lock file (store_lock)
    window = 0.0
    removed: list = []  # the extra copies the last ensure removed
    copies: list = []  # the copies the last ensure left, the canonical one first

    def upload_attempts(self):
        """How many uploads ``ensure`` may try when they fail ambiguously (see ``ambiguous``)."""
        return 1

    def ambiguous(self, exc):
        """Whether an upload that failed with ``exc`` (an ApiError) may have stored the certificate all the same."""
        return False

    def settle(self, exc):
        """Pause after an ambiguous failure, before looking for the certificate again."""

    def find(self, bundle, certificate_type=None):
        """The stored copies of ``bundle`` (its candidates whose leaf and chain DER equal ``bundle``'s), the
        canonical copy first."""
        matches = []
        for entry in self.candidates(bundle, certificate_type):
            detail = self.detail(entry["CertificateId"])
            if detail and detail["bundle"] is not None and detail["bundle"].same_as(bundle):
                matches.append(detail)
        return canonical_first(matches)

    def find_by_fingerprint(self, value, certificate_type=None):
        """Stored certificates whose leaf SHA-256 (or SHA-1) fingerprint is ``value``, the canonical copy first."""
        wanted = normalize_fingerprint(value)
        matches = []
        for entry in self.entries(certificate_type):
            detail = self.detail(entry["CertificateId"])
            summary = detail and detail["certificate"]
            if summary and wanted in (summary["fingerprint_sha256"], summary["fingerprint_sha1"]):
                matches.append(detail)
        return canonical_first(matches)

    def ensure(self, bundle, private_key=None, certificate_type=None, check_mode=False, tidy=False, **options):
        """Return (the canonical copy's id, or None in check mode when there is none, changed); ``removed`` holds the
        ids of the extra copies removed.

        Looks, then uploads, holding ``store_lock``.  An upload that failed ambiguously (its reply was lost, it timed
        out, the server failed) may have stored the certificate: look again, upload again only if it is absent.  With
        a ``window``, a new copy (its own or another run's) is given that long before the copy is chosen.  With
        ``tidy``, the copy this run made goes when another is the canonical one (see ``tidy``). ``copies`` holds the
        ids of the copies left, the canonical one first.
        """
        certificate_type = self.default_type if certificate_type is None else certificate_type
        self.removed = []
        if check_mode:
            found = self.find(bundle, certificate_type)
            self.copies = [copy["certificate_id"] for copy in found]
            return (found[0]["certificate_id"], False) if found else (None, True)
        with store_lock(self.name, certificate_type, bundle.fingerprint_sha256):
            found, mine, changed = self.look_then_upload(bundle, private_key, certificate_type, **options)
        wait = wait_for(found, self.window, time.time()) if self.window else 0
        if wait:
            time.sleep(wait)
            found = self.find(bundle, certificate_type) or found
        self.removed = self.tidy(found[0]["certificate_id"], mine) if tidy else []
        self.copies = [copy["certificate_id"] for copy in found if copy["certificate_id"] not in self.removed]
        return found[0]["certificate_id"], changed or bool(self.removed)

    def look_then_upload(self, bundle, private_key, certificate_type, **options):
        """(the copies found, the id this run uploaded or None, changed)."""
        attempt = 0
        while True:
            found = self.find(bundle, certificate_type)
            if found:
                return found, None, attempt > 0
            try:
                certificate_id, created = self.upload(bundle, private_key, certificate_type, **options)
            except ApiError as exc:
                attempt += 1
                if attempt >= self.upload_attempts() or not self.ambiguous(exc):
                    raise
                self.settle(exc)
                continue
            mine = certificate_id if created else None
            return [dict(certificate_id=certificate_id, created=time.time())], mine, created

    def tidy(self, canonical, mine):
        """Remove the copy this run made (``mine``) when another is the ``canonical`` one: no run binds it, every run
        takes the canonical copy once the window passed. A copy the store refuses to delete (something uses it) is
        kept. Other extra copies are left alone here: whether anything uses them takes a look at every product of the
        account (the rotate role's cleanup does that). Returns the ids removed."""
        if mine is None or mine == canonical:
            return []
        try:
            self.remove_copy(mine)
        except ApiError:
            return []
        return [mine]

    def remove_copy(self, certificate_id):
        """Delete an extra copy; raise ApiError when the store refuses (the copy is in use)."""
        self.delete(certificate_id)


def canonical_first(copies):
    """``copies`` of one certificate, the canonical one first: the oldest (``created``), then the lowest id."""
    return sorted(copies, key=lambda copy: (copy.get("created") or 0, copy["certificate_id"]))


def wait_for(copies, window, now):
    """Seconds to wait before choosing among ``copies``: until the youngest is older than ``window`` (creation times are
    whole seconds: one more), at most ``window`` + 1."""
    youngest = max((copy.get("created") or 0 for copy in copies), default=0)
    return min(window + 1, max(0.0, youngest + window + 1 - now))


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
        store.window = self.params.get("settle_seconds") or 0
        certificate_id, changed = store.ensure(
            bundle, key if self.needs_key() else None, self.store_type(), check_mode=self.module.check_mode, tidy=True,
            **self.upload_options())
        result = dict(changed=changed, certificate_id=certificate_id, certificate=summary, removed_copies=store.removed,
                      copies=store.copies)
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
