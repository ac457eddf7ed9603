# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulated cloud products, one module each.

To add a Tencent Cloud product: write ``services/<name>.py`` with a ``Service``
subclass (``name``, ``version``, ``models`` and ``@action`` handlers) and list it in
``TENCENT_SERVICES``.  Seed order matters: a service's ``seed()`` may read sections seeded before it.
Alibaba Cloud products (esa) get their own tuple and their own dialect (see ``server.SandboxApp``).
"""

from __future__ import annotations

from .base import ActionContext, Service, action
from .clb import ClbService
from .esa import EsaService
from .gaap import GaapService
from .ssl import SslService
from .sts import StsService
from .teo import TeoService
from .tse import TseService

TENCENT_SERVICES: tuple[type[Service], ...] = (SslService, GaapService, TeoService, ClbService, TseService, StsService)
ALIBABA_SERVICES: tuple[type[Service], ...] = (EsaService,)

__all__ = ['ActionContext', 'Service', 'action', 'ALIBABA_SERVICES', 'TENCENT_SERVICES']
