# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Certificate stores: every run takes the same copy of a certificate, waits out concurrent copies, removes extras."""

from __future__ import annotations

import pytest

from ansible_collections.certops.cloud.plugins.module_utils._api import ApiError
from ansible_collections.certops.cloud.plugins.module_utils._certificate import load_material
from ansible_collections.certops.cloud.plugins.module_utils._store import CertificateStore, canonical_first, wait_for


class FakeStore(CertificateStore):
    """A store of copies {id: (created, bundle)}; ``made_elsewhere`` are copies other runs make while this one waits."""

    name = "fake"

    def __init__(self, copies=None, in_use=(), made_elsewhere=None):
        self.copies = dict(copies or {})
        self.in_use = set(in_use)
        self.made_elsewhere = dict(made_elsewhere or {})
        self.uploads, self.deleted = [], []

    def candidates(self, bundle, certificate_type):
        return [dict(CertificateId=certificate_id) for certificate_id in sorted(self.copies)]

    def detail(self, certificate_id):
        created, bundle = self.copies[certificate_id]
        return dict(certificate_id=certificate_id, created=created, bundle=bundle, certificate=bundle.summary())

    def upload(self, bundle, private_key=None, certificate_type=None, **options):
        certificate_id = "mine%d" % len(self.uploads)
        self.uploads.append(certificate_id)
        self.copies[certificate_id] = (self.clock, bundle)
        self.copies.update(self.made_elsewhere)
        return certificate_id, True

    def delete(self, certificate_id):
        if certificate_id in self.in_use:
            raise ApiError("gaap", "DeleteCertificate", "FailedOperation.CertificateIsUsing", "in use")
        self.deleted.append(certificate_id)
        del self.copies[certificate_id]


@pytest.fixture
def bundle(certs):
    return load_material(certs["leaf"].chain_pem, certs["leaf"].key_pem)[0]


@pytest.fixture
def clock(monkeypatch):
    """A fake time.time() that sleeping moves on."""
    now = [1000.0]
    monkeypatch.setattr("time.time", lambda: now[0])
    monkeypatch.setattr("time.sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))
    return now


def test_the_canonical_copy_is_the_oldest_then_the_lowest_id():
    copies = [dict(certificate_id="cert-b", created=20), dict(certificate_id="cert-c", created=10), dict(certificate_id="cert-a", created=20)]
    assert [c["certificate_id"] for c in canonical_first(copies)] == ["cert-c", "cert-a", "cert-b"]


def test_a_run_waits_until_the_youngest_copy_is_older_than_the_window():
    assert wait_for([dict(created=100)], 5, 100.5) == 5.5  # whole-second creation times: one more
    assert wait_for([dict(created=90), dict(created=100)], 5, 104) == 2
    assert wait_for([dict(created=90)], 5, 200) == 0
    assert wait_for([dict(created=1e12)], 5, 100) == 6  # a clock far behind waits at most the window


def test_runs_that_each_made_a_copy_take_the_same_one_and_remove_their_own(bundle, clock):
    # Another run's copy (older, made while this run looked) appears during the window.
    store = FakeStore(made_elsewhere={"other": (999.0, bundle)})
    store.clock = clock[0]
    store.window = 5
    certificate_id, changed = store.ensure(bundle, tidy=True)
    assert certificate_id == "other" and changed and store.removed == ["mine0"] and store.deleted == ["mine0"]
    assert store.copies == ["other"]


def test_another_runs_copy_is_that_runs_to_remove(bundle, clock):
    store = FakeStore({"a": (990.0, bundle), "b": (999.0, bundle)})
    store.window = 5
    assert store.ensure(bundle, tidy=True) == ("a", False)
    assert clock[0] == 1005.0 and store.removed == [] and store.copies == ["a", "b"]  # waited for b's window, b's run took a too


def test_without_tidy_nothing_is_removed(bundle, clock):
    store = FakeStore({"a": (900.0, bundle), "b": (950.0, bundle)})
    assert store.ensure(bundle) == ("a", False) and store.removed == [] and store.deleted == []


def test_an_extra_copy_in_use_is_kept_and_nothing_is_uploaded_again(bundle, clock):
    store = FakeStore({"a": (900.0, bundle), "b": (950.0, bundle)}, in_use={"b"})
    store.window = 5
    assert store.ensure(bundle, tidy=True) == ("a", False)
    assert store.removed == [] and store.uploads == [] and clock[0] == 1000.0  # no young copy: no wait


def test_check_mode_takes_the_canonical_copy_and_changes_nothing(bundle):
    store = FakeStore({"b": (900.0, bundle), "a": (900.0, bundle)})
    store.window = 5
    assert store.ensure(bundle, check_mode=True, tidy=True) == ("a", False)
    assert store.deleted == [] and store.removed == []
