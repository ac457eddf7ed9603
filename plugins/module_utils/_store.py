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

try:
    import fcntl
except ImportError:  # not POSIX: no lock between runs (see store_lock)
    fcntl = None  # type: ignore[assignment]

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError
from ansible_collections.certops.cloud.plugins.module_utils._certificate import normalize_fingerprint


class CertificateStore:
    """A provider certificate store: never a second copy of the same certificate.

    Subclasses implement ``entries(certificate_type)`` (the listing),
    ``candidates(bundle, certificate_type)`` (the listed certificates that may be ``bundle``), ``detail(id)`` (dict
    with ``certificate_id``, ``bundle`` and ``certificate`` summary, or None) and
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

    def find(self, bundle, certificate_type=None):
        """The stored copies of ``bundle``: its candidates whose leaf and chain DER equal ``bundle``'s."""
        matches = []
        for entry in self.candidates(bundle, certificate_type):
            detail = self.detail(entry["CertificateId"])
            if detail and detail["bundle"] is not None and detail["bundle"].same_as(bundle):
                matches.append(detail)
        return matches

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
