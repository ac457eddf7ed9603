# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tencent Cloud STS (``sts``, 2018-08-13): AssumeRole issues temporary credentials.

State: ``sts.credentials`` lists the issued credentials (TmpSecretId, TmpSecretKey, Token, ExpiredTime,
RoleArn, RoleSessionName and the SecretId of the account that assumed the role).  The TC3 verifier
accepts them when the request carries the matching ``X-TC-Token``; they may call what the role's policy allows
(``accounts[].roles[].policy`` of the assuming account, see ``policy``), whatever the caller's own policy.
"""

from __future__ import annotations

import datetime
import re
import string
import time
import typing as t

from ..core import ApiError
from ..state import State, role_arns
from .base import ActionContext, Service, action, random_id, require

DEFAULT_DURATION = 7200
MAX_DURATION = 43200
SESSION_NAME_RE = re.compile(r'^[\w+=,.@-]{2,128}$')


def temporary_credential(state: State, secret_id: str) -> dict[str, t.Any] | None:
    """Return the issued temporary credential with this TmpSecretId, or None."""
    for credential in state.section(StsService.name).get('credentials', []):
        if credential['TmpSecretId'] == secret_id:
            return credential
    return None


class StsService(Service):
    """Security Token Service."""

    name = 'sts'
    version = '2018-08-13'
    models = 'tencentcloud.sts.v20180813.models'
    regional = True

    @action('AssumeRole')
    def assume_role(self, ctx: ActionContext, params: dict[str, t.Any]) -> dict[str, t.Any]:
        """Issue temporary credentials for a role the calling account may assume (per the seed)."""
        role_arn, session_name = require(params, 'RoleArn', 'RoleSessionName')
        if not SESSION_NAME_RE.match(session_name):
            raise ApiError('InvalidParameter.ParamError', 'RoleSessionName must be 2-128 characters of [\\w+=,.@-].')
        duration = params.get('DurationSeconds') or DEFAULT_DURATION
        if not 0 < duration <= MAX_DURATION:
            raise ApiError('InvalidParameter.OverTimeError', 'DurationSeconds must be between 1 and %d.' % MAX_DURATION)
        if role_arn not in role_arns(ctx.account):
            if any(role_arn in role_arns(account) for account in self.state.data.get('accounts', [])):
                raise ApiError('UnauthorizedOperation', 'The caller is not allowed to assume the role `%s`.' % role_arn)
            raise ApiError('ResourceNotFound.RoleNotFound', 'The role `%s` does not exist.' % role_arn)
        expires = int(time.time()) + duration
        credential = {
            'TmpSecretId': 'AKID' + random_id(32),
            'TmpSecretKey': random_id(32),
            'Token': random_id(160, string.ascii_letters + string.digits + '-_'),
            'ExpiredTime': expires,
            'RoleArn': role_arn,
            'RoleSessionName': session_name,
            'secret_id': ctx.account['secret_id'],
        }
        self.data.setdefault('credentials', []).append(credential)
        return {
            'Credentials': {key: credential[key] for key in ('Token', 'TmpSecretId', 'TmpSecretKey')},
            'ExpiredTime': expires,
            'Expiration': datetime.datetime.fromtimestamp(expires, datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        }
