# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    """The options of the certificate-store modules: upload once (found by fingerprint afterwards), or delete."""

    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) uploads the certificate unless it is already stored.
      - V(absent) deletes every stored copy, found by O(certificate_id), O(fingerprint) or O(certificate).
    type: str
    choices: [present, absent]
    default: present
  certificate:
    description:
      - PEM text of the certificate, leaf first, then the intermediate certificates.
      - Required with O(state=present).
    type: str
  private_key:
    description:
      - PEM text of the private key of the leaf, required for server certificates with O(state=present).
      - Never logged or returned.
    type: str
  private_key_passphrase:
    description:
      - Passphrase of an encrypted O(private_key). The key is decrypted locally and sent unencrypted over TLS.
    type: str
  alias:
    description:
      - Remark name given to a newly uploaded certificate. An existing copy is found by fingerprint, not by name.
    type: str
    aliases: [name]
  certificate_id:
    description:
      - With O(state=absent), the id of the certificate to delete.
    type: str
  fingerprint:
    description:
      - With O(state=absent), the SHA-256 (or SHA-1) fingerprint of the leaf to delete, hex with or without colons.
    type: str
  settle_seconds:
    description:
      - With O(state=present), how long a new copy of the certificate (this run's, or one another run made) is given
        for the copies that runs at the same time may make to appear, before one is chosen. Runs at the same time on
        other machines (AWX job slices) that each found no copy each make one; after this wait every run sees them
        all and takes the same one.
      - V(0) - no wait.
    type: float
notes:
  - Copies of a certificate (the same leaf and chain, by DER fingerprint) are the same certificate. When the store
    holds several, every run takes the same one - the oldest, then the lowest id (RV(certificate_id), RV(copies)). A
    run whose own new copy is not that one removes it (RV(removed_copies)); the other extra copies are removed by the
    C(certops.cloud.rotate) role's cleanup once nothing in the account uses them.
"""
