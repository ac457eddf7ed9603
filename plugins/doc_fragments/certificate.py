# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The certificate given as PEM, validated locally before any API call."""

    DOCUMENTATION = r"""
options:
  certificate:
    description:
      - PEM text of the certificate, leaf first, then the chain.
      - Validated locally before any API call - it parses, the key matches the leaf, the chain is in order, it is
        valid now.
    type: str
  private_key:
    description: PEM text of the private key of the leaf. Never logged or returned.
    type: str
  private_key_passphrase:
    description: Passphrase of an encrypted O(private_key); the key is decrypted locally.
    type: str
"""
