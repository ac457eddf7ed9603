# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Per-key API policies (least privilege): the allow-list check and the denials as the real clouds answer them.

A policy is a list of allowed actions, each ``service:Action`` (``ssl:UploadCertificate``, ``esa:SetCertificate``) or a
pattern ending in one ``*`` (``ssl:Describe*``, ``tse:*``); matching is case-sensitive.  ``None`` allows everything, an
empty list nothing.  The dialects check it after authentication and before the action runs (``tc3``, ``acs3``); a
denial is an ``ApiError`` subclass so it travels through the dialects' error paths like any other error.

The replies copy what the clouds send when CAM/RAM implicitly denies a call:

- Tencent Cloud (API 3.0, HTTP 200): ``AuthFailure.UnauthorizedOperation``, message ``You are not authorized to perform
  this operation. Check your CAM policies, and ensure that you are using the correct access keys. [[request id:<id>]you
  are not authorized to perform operation (ssl:UploadCertificate)\\nresource (qcs::ssl::uin/<uin>:*) has no
  permission\\n]``; for ``sts:AssumeRole`` the resource is the role ARN.
- Alibaba Cloud (HTTP 403): ``NoPermission``, message ``You are not authorized to do this action. Resource:
  acs:esa:<region>:<uin>:* Action: esa:SetCertificate`` and the ``AccessDeniedDetail`` object the OpenAPI gateway adds
  (AuthAction, AuthPrincipalType, AuthPrincipalOwnerId, AuthPrincipalDisplayName, PolicyType, NoPermissionType,
  EncodedDiagnosticMessage: base64 JSON shaped like RAM DecodeDiagnosticMessage's answer).
"""

from __future__ import annotations

import base64
import json
import re
import typing as t

from .core import ApiError, Call

ENTRY_RE = re.compile(r'^[a-z][a-z0-9-]*:(?:\*|[A-Za-z][A-Za-z0-9]*\*?)$')

TENCENT_CODE = 'AuthFailure.UnauthorizedOperation'
TENCENT_MESSAGE = ('You are not authorized to perform this operation. Check your CAM policies, and ensure that you are using the correct access keys. '
                   '[[request id:%s]you are not authorized to perform operation (%s)\nresource (%s) has no permission\n]')
ALIBABA_CODE = 'NoPermission'
ALIBABA_MESSAGE = 'You are not authorized to do this action. Resource: %s Action: %s'
ALIBABA_POLICY_TYPE = 'AccountLevelIdentityBasedPolicy'

Policy = t.Optional[t.List[str]]


class Denial(ApiError):
    """A call the key's policy does not allow: ``action`` is ``service:Action``, ``body`` extra fields of the error body."""

    def __init__(self, code: str, message: str, action: str, http_status: int = 200, body: dict[str, t.Any] | None = None) -> None:
        super().__init__(code, message, http_status)
        self.action = action
        self.body = body or {}


def validate(policy: t.Any) -> Policy:
    """Return the policy (a copy) if it is None or a list of valid entries; raises ``ValueError`` saying what is wrong."""
    if policy is None:
        return None
    if not isinstance(policy, list):
        raise ValueError('policy must be a list of allowed actions or null, not %s' % type(policy).__name__)
    for index, entry in enumerate(policy):
        if not isinstance(entry, str) or not ENTRY_RE.match(entry):
            raise ValueError('policy[%d] %s is neither `service:Action` nor a pattern with one trailing `*` (e.g. `ssl:Describe*`, `tse:*`)'
                             % (index, json.dumps(entry)))
    return list(policy)


def allowed(policy: Policy, action: str) -> bool:
    """Whether ``action`` (``service:Action``) is allowed: no policy allows everything."""
    if policy is None:
        return True
    return any(action == entry or (entry.endswith('*') and action.startswith(entry[:-1])) for entry in policy)


def call_action(call: Call) -> str:
    """The ``service:Action`` a call is checked as."""
    return '%s:%s' % (call.service, call.action)


def _deny(call: Call, error: Denial) -> Denial:
    call.denied = error.action
    call.write = False  # nothing was attempted: the log's writes stay the calls that reached the state
    return error


def check_tencent(call: Call, policy: Policy, uin: str) -> None:
    """Raise the Tencent Cloud CAM denial unless ``policy`` allows the call."""
    action = call_action(call)
    if allowed(policy, action):
        return
    role_arn = call.params.get('RoleArn')
    if action == 'sts:AssumeRole' and isinstance(role_arn, str) and role_arn:
        resource = role_arn
    else:
        resource = 'qcs::%s:%s:uin/%s:*' % (call.service, call.region or '', uin)
    raise _deny(call, Denial(TENCENT_CODE, TENCENT_MESSAGE % (call.request_id, action, resource), action))


def check_alibaba(call: Call, policy: Policy, account: dict[str, t.Any], access_key_id: str) -> None:
    """Raise the Alibaba Cloud RAM denial (HTTP 403 NoPermission with AccessDeniedDetail) unless ``policy`` allows the call."""
    action = call_action(call)
    if allowed(policy, action):
        return
    owner = str(account.get('uin', ''))
    resource = 'acs:%s:%s:%s:*' % (call.service, call.region or '*', owner)
    principal = {
        'AuthPrincipalType': 'AssumedRoleUser' if account.get('security_token') else 'SubUser',
        'AuthPrincipalOwnerId': owner,
        'AuthPrincipalDisplayName': access_key_id,
    }
    diagnostic = {'ExplicitDeny': False, 'NoPermissionPolicyType': ALIBABA_POLICY_TYPE, 'AuthAction': action, 'AuthResource': resource,
                  'AuthPrincipal': principal}
    detail = dict(
        principal,
        AuthAction=action,
        PolicyType=ALIBABA_POLICY_TYPE,
        NoPermissionType='ImplicitDeny',
        EncodedDiagnosticMessage=base64.b64encode(json.dumps(diagnostic, separators=(',', ':')).encode('utf-8')).decode('ascii'),
    )
    raise _deny(call, Denial(ALIBABA_CODE, ALIBABA_MESSAGE % (resource, action), action, 403, {'AccessDeniedDetail': detail}))
