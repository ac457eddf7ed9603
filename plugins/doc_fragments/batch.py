# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options shared by the modules that take a O(batch) of endpoints."""

    DOCUMENTATION = r"""
options:
  batch_concurrency:
    description:
      - With O(batch), how many endpoints are read and written at the same time.
      - Every endpoint's API calls are retried on throttling, so a higher value speeds up a batch until the API's
        rate limit is reached.
    type: int
    default: 4
notes:
  - With O(batch), one run handles many endpoints. The certificate is parsed once, credentials are resolved once,
    and a stored certificate is read once for all of them. Options given at the top level apply to every entry
    unless the entry sets them. An endpoint that fails does not stop the others. The task fails after all of them
    ran, and RV(endpoints) holds every endpoint's result. C(--diff) shows one diff per endpoint.
  - Each entry of RV(endpoints) holds what a run on that one endpoint returns, and C(endpoint) (the endpoint's name,
    as messages give it), C(failed), C(msg) (when it failed) and C(summary) - C(before_id), C(before_fingerprint),
    C(before_not_after), C(after_id), C(after_fingerprint), C(after_not_after), the certificate ids, leaf SHA-256
    fingerprints and expiry dates before and after the run, the same keys in every module (the C(after_) ones null
    when the module only reads).
"""
