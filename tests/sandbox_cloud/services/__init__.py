# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulated cloud products, one module each.

To add a Tencent Cloud product (gaap, teo, clb): write ``services/<name>.py`` with a ``Service``
subclass (``name``, ``version``, ``models`` and ``@action`` handlers) and list it in
``TENCENT_SERVICES``.  Seed order matters: a service's ``seed()`` may read sections seeded before it.
Alibaba Cloud products (esa) get their own tuple and their own dialect (see ``server.SandboxApp``).
"""

from __future__ import annotations

from .base import ActionContext, Service, action
from .ssl import SslService
from .sts import StsService
from .tse import TseService

TENCENT_SERVICES: tuple[type[Service], ...] = (SslService, TseService, StsService)

__all__ = ['ActionContext', 'Service', 'action', 'TENCENT_SERVICES']
