# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """Shared by every module: the attribute descriptions (a module sets the support), or the support too; and (with
    DOCUMENTATION) the see-also entry of the rotate role, which uses every module."""

    DOCUMENTATION = r"""
options: {}
seealso:
  - name: The certops.cloud.rotate role
    link: https://github.com/certops/cloud/blob/main/docs/rotate.md
    description: >-
      Rotates one certificate across every endpoint of the play - validates it, stores it once, binds it with the
      modules of this collection, checks what each endpoint serves over TLS, rolls a failed endpoint back and reports.
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
  idempotent:
    description:
      - When run twice in a row outside check mode, with the same arguments, the second invocation
        indicates no change.
"""

    # Check mode, diff and idempotency fully supported: the endpoint and store modules (with DOCUMENTATION).
    FULL = r"""
options: {}
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
  idempotent:
    support: full
    details:
      - Certificates are compared by the DER fingerprints of the leaf and the chain, never by PEM text or store id - an
        endpoint bound to any copy of the certificate in a store holds the certificate, and is not written again.
"""

    # Read only (with DOCUMENTATION).
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
  idempotent:
    support: full
"""
