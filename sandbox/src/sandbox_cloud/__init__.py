# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sandbox cloud: a stateful loopback emulation of the Tencent Cloud APIs certops uses.

Point the real vendor SDK at it (``HttpProfile(protocol='http', endpoint='127.0.0.1:PORT')``); it
verifies TC3-HMAC-SHA256 signatures, keeps state seeded from a file, logs every call (secrets
redacted), injects faults on demand and proves its responses against the SDK models.

Alibaba Cloud products (ESA) are served by ``acs3`` (ACS3-HMAC-SHA256, RPC style) with the real
Alibaba SDK pointed at it (``Config(endpoint='127.0.0.1:PORT', protocol='http')``).

Modules: ``server`` (HTTP, control API), ``tc3`` (Tencent API 3.0 dialect), ``services.*`` (one per
product), ``state`` (seed and live state), ``faults``, ``requestlog``, ``pki`` (test certificates), ``tls``
(serves the bound certificates over TLS by SNI), ``client`` (helpers for tests) and ``world`` (the seeded world the
tests, ``make demo`` and ``make bench`` share).  Run ``python -m sandbox_cloud --help``.
"""

from __future__ import annotations

__version__ = '1.0.0'
