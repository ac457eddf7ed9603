# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base class of an emulated cloud product and the ``@action`` declaration."""

from __future__ import annotations

import dataclasses
import secrets
import string
import typing as t

from ..core import ApiError, Call, missing
from ..state import State

WRITE_PREFIXES = ('Upload', 'Create', 'Modify', 'Delete', 'Replace', 'Set', 'Update', 'Bind', 'Unbind')

Handler = t.Callable[['Service', 'ActionContext', t.Dict[str, t.Any]], t.Dict[str, t.Any]]


def action(name: str, write: bool = False) -> t.Callable[[Handler], Handler]:
    """Declare a method as the handler of API action ``name``; ``write`` marks state-changing actions."""
    def decorate(func: Handler) -> Handler:
        func.api_action = name  # type: ignore[attr-defined]
        func.api_write = write  # type: ignore[attr-defined]
        return func
    return decorate


def require(params: dict[str, t.Any], *names: str) -> list[t.Any]:
    """The values of required request parameters, in order; the first one missing (or empty) raises MissingParameter."""
    values = []
    for name in names:
        if not params.get(name):
            raise missing(name)
        values.append(params[name])
    return values


def offset_limit(params: dict[str, t.Any], default: int, maximum: int, error: t.Callable[[str], Exception]) -> tuple[int, int]:
    """``(Offset, Limit)`` of a Tencent Cloud listing, defaults applied; raises ``error(message)`` when out of range."""
    offset, limit = params.get('Offset'), params.get('Limit')
    offset, limit = 0 if offset is None else offset, default if limit is None else limit
    if offset < 0 or not 0 <= limit <= maximum:
        raise error('Offset must not be negative and Limit must be between 0 and %d.' % maximum)
    return offset, limit


def page_number_size(params: dict[str, t.Any], default: int, maximum: int, error: t.Callable[[str], Exception]) -> tuple[int, int]:
    """``(PageNumber, PageSize)`` of an Alibaba Cloud listing, defaults applied; raises ``error(message)`` when out of range."""
    number, size = params.get('PageNumber'), params.get('PageSize')
    number, size = 1 if number is None else number, default if size is None else size
    if number < 1 or not 1 <= size <= maximum:
        raise error('PageNumber must be at least 1 and PageSize between 1 and %d.' % maximum)
    return number, size


def looks_like_write(action_name: str) -> bool:
    """The naming convention of write actions, used for actions a service does not implement."""
    return action_name.startswith(WRITE_PREFIXES)


def random_id(length: int = 8, alphabet: str = string.ascii_letters + string.digits) -> str:
    """A random identifier such as ``Kq3Zp0aB``."""
    return ''.join(secrets.choice(alphabet) for _index in range(length))


@dataclasses.dataclass
class ActionContext:
    """What a handler knows about the caller: the log record of the call and the seeded account."""

    call: Call
    account: dict[str, t.Any]

    @property
    def region(self) -> str | None:
        """The region the request was sent to (X-TC-Region / RegionId)."""
        return self.call.region

    @property
    def uin(self) -> str:
        """The account (owner) UIN of the caller."""
        return str(self.account.get('uin', ''))


class Service:
    """One emulated cloud product, e.g. Tencent Cloud SSL Certificates (``ssl``).

    Subclasses set the class attributes and implement actions as methods decorated with ``@action``.
    ``ACTIONS`` and ``WRITE_ACTIONS`` are collected from those declarations.  Handlers run while the
    state lock is held; they take the (already validated) request parameters and return the response
    fields without the envelope.  Services can reach each other through ``peers`` (name -> Service).
    """

    provider = 'tencent'
    name = ''
    version = ''
    models = ''  # the SDK models module used for fidelity checks, e.g. tencentcloud.ssl.v20191205.models
    regional = False  # whether the Region common parameter is required

    ACTIONS: dict[str, str] = {}
    WRITE_ACTIONS: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        actions, writes = {}, set()
        for attr, func in vars(cls).items():
            name = getattr(func, 'api_action', None)
            if name is None:
                continue
            actions[name] = attr
            if func.api_write:
                writes.add(name)
            elif looks_like_write(name):
                raise TypeError('%s.%s: action %s looks like a write action but is not declared write=True' % (cls.__name__, attr, name))
        cls.ACTIONS = actions
        cls.WRITE_ACTIONS = frozenset(writes)

    def __init__(self, state: State, peers: dict[str, 'Service']) -> None:
        self.state = state
        self.peers = peers

    @classmethod
    def is_write(cls, action_name: str) -> bool:
        """Whether an action changes state (declared, or by naming convention for unknown actions)."""
        if action_name in cls.ACTIONS:
            return action_name in cls.WRITE_ACTIONS
        return looks_like_write(action_name)

    @classmethod
    def seed(cls, doc: dict[str, t.Any]) -> None:
        """Validate the service's section of a seed document and fill in defaults (in place)."""

    @property
    def data(self) -> dict[str, t.Any]:
        """This service's section of the state document."""
        return self.state.section(self.name)

    def certificate_references(self) -> dict[str, list[str]]:
        """Return ``{ssl certificate id: [resource descriptions]}`` for SSL-store certificates in use here."""
        return {}

    def handle(self, action_name: str, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Run the handler of ``action_name``."""
        attr = self.ACTIONS.get(action_name)
        if attr is None:
            raise ApiError('InvalidAction', 'The action `%s` is not supported by the sandbox %s service.' % (action_name, self.name))
        return getattr(self, attr)(ctx, params)


class CertificateRecords:
    """Mixin of a service that keeps a certificate store in ``<section>.certificates``, keyed by CertificateId."""

    not_found_code = 'ResourceNotFound'
    data: dict[str, t.Any]

    @property
    def records(self) -> list[dict[str, t.Any]]:
        """The stored certificate records, oldest first."""
        return self.data.setdefault('certificates', [])

    def get(self, certificate_id: str | None) -> dict[str, t.Any] | None:
        """Return the record of a certificate, or None."""
        for record in self.records:
            if record['CertificateId'] == certificate_id:
                return record
        return None

    def _require(self, params: dict[str, t.Any]) -> dict[str, t.Any]:
        certificate_id = params.get('CertificateId')
        if not certificate_id:
            raise missing('CertificateId')
        record = self.get(certificate_id)
        if record is None:
            raise ApiError(self.not_found_code, 'The certificate `%s` does not exist.' % certificate_id)
        return record
