# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options every endpoint module takes."""

    DOCUMENTATION = r"""
options:
  read_only:
    description:
      - Only read what the endpoint holds (RV(before), with the certificate's summary where the store has it) and
        return it as RV(after) too, with C(changed=false); never write, in or out of check mode.
      - The options that name the endpoint are checked as usual; the options of the new certificate are not looked at
        and may be left out.
      - With O(batch), each entry's C(summary) then has the same C(before_) and C(after_) values. The
        C(certops.cloud.audit) role reads every endpoint this way, once per provider.
    type: bool
    default: false
"""
