# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Provider-neutral building blocks shared by the HTTP layer, the API dialects and the services."""

from __future__ import annotations

import dataclasses
import json
import typing as t


class ApiError(Exception):
    """A cloud API error that is reported to the caller in the provider's error envelope.

    ``code`` is the vendor error code (for example ``FailedOperation.CertificateNotFound``).
    ``http_status`` is the HTTP status (Tencent always answers 200; a dialect whose API uses real
    statuses derives one from the code when it is left at 200).  ``retry_after`` (seconds) is set for
    throttling: dialects that can advertise it (Alibaba's ``x-acs-retry-after``) do so.
    """

    def __init__(self, code: str, message: str, http_status: int = 200, retry_after: float | None = None) -> None:
        super().__init__('%s: %s' % (code, message))
        self.code = code
        self.message = message
        self.http_status = http_status
        self.retry_after = retry_after


class FidelityError(Exception):
    """A sandbox response does not match the vendor SDK model (a bug in the sandbox itself)."""


def missing(name: str) -> ApiError:
    """Return the standard error for a missing required request parameter."""
    return ApiError('MissingParameter', 'The request is missing a required parameter `%s`.' % name)


@dataclasses.dataclass
class HttpRequest:
    """An HTTP request as received by the sandbox (header names are lower-cased)."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str, default: str = '') -> str:
        """Return a header value (case-insensitive name)."""
        return self.headers.get(name.lower(), default)


@dataclasses.dataclass
class HttpReply:
    """What the HTTP layer sends back.

    ``disconnect`` means: close the TCP connection without sending anything.  ``headers`` are extra
    response headers (Content-Type and Content-Length are always sent).
    """

    status: int = 200
    body: bytes = b''
    content_type: str = 'application/json'
    disconnect: bool = False
    headers: dict[str, str] = dataclasses.field(default_factory=dict)

    @classmethod
    def json(cls, data: t.Any, status: int = 200) -> 'HttpReply':
        """Build a JSON reply."""
        return cls(status=status, body=json.dumps(data, ensure_ascii=False).encode('utf-8'))


@dataclasses.dataclass
class Call:
    """One API call as seen by the request log.

    The API dialect fills in what it learns while handling the request; the server turns the
    finished call into a log entry.  ``denied`` is the ``service:Action`` the key's policy refused (see ``policy``).
    """

    provider: str
    service: str | None = None
    action: str | None = None
    version: str | None = None
    region: str | None = None
    secret_id: str | None = None
    request_id: str | None = None
    params: dict[str, t.Any] = dataclasses.field(default_factory=dict)
    write: bool = False
    ok: bool = False
    error_code: str | None = None
    fault: str | None = None
    denied: str | None = None
