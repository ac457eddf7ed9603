# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sandbox world: a JSON-like document seeded from a file and guarded by one lock.

The document has one top-level section per service (``ssl``, ``tse``, ...) plus ``accounts``.
Services keep their resources there as plain dicts in the vendor's field names, so the state can
be dumped, patched and reset without any service-specific code.  Derived facts (dates, domains,
fingerprints) are not stored: services compute them from the PEM text (see ``certs``).
"""

from __future__ import annotations

import copy
import json
import os
import threading
import typing as t

import yaml

from . import policy as policy_mod
from . import redact

FILE_SUFFIX = 'File'


class SeedError(ValueError):
    """The seed file is unreadable or inconsistent."""


def read_seed(path: str) -> dict[str, t.Any]:
    """Read a JSON or YAML seed file and inline every ``<Field>File`` reference.

    A key such as ``CertificatePublicKeyFile: certs/www.crt`` becomes ``CertificatePublicKey: <file text>``;
    relative paths are relative to the seed file.
    """
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    try:
        data = json.loads(text) if path.endswith('.json') else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise SeedError('cannot parse %s: %s' % (path, exc)) from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SeedError('%s: the top level must be a mapping' % path)
    return _inline_files(data, os.path.dirname(os.path.abspath(path)))


def _inline_files(value: t.Any, base_dir: str) -> t.Any:
    if isinstance(value, list):
        return [_inline_files(item, base_dir) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if isinstance(key, str) and key.endswith(FILE_SUFFIX) and len(key) > len(FILE_SUFFIX) and isinstance(item, str):
            file_path = os.path.join(base_dir, item)
            try:
                with open(file_path, encoding='utf-8') as handle:
                    result[key[:-len(FILE_SUFFIX)]] = handle.read()
            except OSError as exc:
                raise SeedError('cannot read %s for %s: %s' % (file_path, key, exc)) from exc
        else:
            result[key] = _inline_files(item, base_dir)
    return result


def normalize_accounts(doc: dict[str, t.Any]) -> None:
    """Check the ``accounts`` section and fill defaults.

    An account has Tencent Cloud keys (``secret_id`` + ``secret_key``), Alibaba Cloud keys
    (``access_key_id`` + ``access_key_secret``, optionally ``security_token``: then every Alibaba
    request must carry it in ``x-acs-security-token``, as STS credentials do), or both.  Optional:
    ``uin`` (default ``100000000001``), ``roles`` (Tencent STS: role ARNs, or ``{arn, policy}``
    mappings), ``policy`` (the actions its keys may call, see ``policy``; absent or null: all) and
    ``region`` (the Alibaba region of calls whose endpoint host does not name one; default ``cn-hangzhou``).
    """
    accounts = doc.setdefault('accounts', [])
    if not isinstance(accounts, list):
        raise SeedError('accounts must be a list')
    for index, account in enumerate(accounts):
        if not isinstance(account, dict):
            raise SeedError('accounts[%d] must be a mapping' % index)
        tencent = bool(account.get('secret_id')) and bool(account.get('secret_key'))
        alibaba = bool(account.get('access_key_id')) and bool(account.get('access_key_secret'))
        if not tencent and not alibaba:
            raise SeedError('accounts[%d] needs secret_id and secret_key (Tencent) or access_key_id and access_key_secret (Alibaba)' % index)
        if bool(account.get('secret_id')) != bool(account.get('secret_key')):
            raise SeedError('accounts[%d] needs both secret_id and secret_key' % index)
        if bool(account.get('access_key_id')) != bool(account.get('access_key_secret')):
            raise SeedError('accounts[%d] needs both access_key_id and access_key_secret' % index)
        account['uin'] = str(account.get('uin') or '100000000001')
        if 'policy' in account:
            account['policy'] = _policy(account['policy'], 'accounts[%d].policy' % index)
        roles = account.setdefault('roles', [])
        if not isinstance(roles, list):
            raise SeedError('accounts[%d].roles must be a list' % index)
        for number, role in enumerate(roles):
            where = 'accounts[%d].roles[%d]' % (index, number)
            if isinstance(role, dict):
                if not role.get('arn') or not isinstance(role['arn'], str) or set(role) - {'arn', 'policy'}:
                    raise SeedError('%s must be a role ARN or a mapping {arn, policy}' % where)
                if 'policy' in role:
                    role['policy'] = _policy(role['policy'], where + '.policy')
            elif not role or not isinstance(role, str):
                raise SeedError('%s must be a role ARN or a mapping {arn, policy}' % where)


def _policy(value: t.Any, where: str) -> policy_mod.Policy:
    try:
        return policy_mod.validate(value)
    except ValueError as exc:
        raise SeedError('%s: %s' % (where, exc)) from exc


def role_arn(role: str | dict[str, t.Any]) -> str:
    """The ARN of an ``accounts[].roles[]`` entry (a role ARN or a ``{arn, policy}`` mapping)."""
    return role['arn'] if isinstance(role, dict) else role


def role_arns(account: dict[str, t.Any]) -> list[str]:
    """The ARNs of the roles an account may assume."""
    return [role_arn(role) for role in account.get('roles', [])]


class State:
    """The live sandbox state.

    ``data`` is the document; hold ``lock`` while reading or changing it.  ``reset()`` restores the
    (already normalized) seed, so ids generated while seeding stay stable across resets.
    """

    def __init__(self, seed: dict[str, t.Any]) -> None:
        self._seed = copy.deepcopy(seed)
        self.lock = threading.RLock()
        self.data: dict[str, t.Any] = copy.deepcopy(seed)

    @property
    def seed(self) -> dict[str, t.Any]:
        """The normalized seed document (what ``reset()`` restores); never changed, read it without the lock."""
        return self._seed

    def reset(self) -> None:
        """Restore the seed."""
        with self.lock:
            self.data = copy.deepcopy(self._seed)

    def section(self, name: str) -> dict[str, t.Any]:
        """Return (creating if needed) the top-level section of a service."""
        return self.data.setdefault(name, {})

    def account(self, secret_id: str) -> dict[str, t.Any] | None:
        """Find a seeded account by its (Tencent) SecretId."""
        for account in self.data.get('accounts', []):
            if secret_id and account.get('secret_id') == secret_id:
                return account
        return None

    def alibaba_account(self, access_key_id: str) -> dict[str, t.Any] | None:
        """Find a seeded account by its Alibaba Cloud AccessKey ID."""
        for account in self.data.get('accounts', []):
            if access_key_id and account.get('access_key_id') == access_key_id:
                return account
        return None

    def key_account(self, key: str) -> dict[str, t.Any] | None:
        """Find a seeded account by either of its keys (Tencent SecretId or Alibaba AccessKey ID)."""
        return self.account(key) or self.alibaba_account(key)

    def set_policy(self, key: str, policy: t.Any) -> None:
        """Set (or with None clear) the policy of the account holding ``key``; raises ``KeyError``/``ValueError``."""
        policy = policy_mod.validate(policy)
        with self.lock:
            account = self.key_account(key) if isinstance(key, str) else None
            if account is None:
                raise KeyError('no account has the key %s' % json.dumps(key))
            account['policy'] = policy

    def set_role_policy(self, arn: str, policy: t.Any) -> None:
        """Set (or with None clear) the policy of the STS role ``arn`` wherever an account lists it; raises ``KeyError``/``ValueError``."""
        policy = policy_mod.validate(policy)
        with self.lock:
            found = False
            for account in self.data.get('accounts', []):
                roles = account.get('roles', [])
                for index, role in enumerate(roles):
                    if isinstance(arn, str) and role_arn(role) == arn:
                        roles[index] = {'arn': arn, 'policy': policy}
                        found = True
            if not found:
                raise KeyError('no account lists the role %s' % json.dumps(arn))

    def role_policy(self, secret_id: str, arn: str) -> policy_mod.Policy:
        """The policy of role ``arn`` as listed by the account with ``secret_id`` (None: no policy, all allowed)."""
        account = self.account(secret_id) or {}
        for role in account.get('roles', []):
            if isinstance(role, dict) and role['arn'] == arn:
                return role.get('policy')
        return None

    def snapshot(self) -> dict[str, t.Any]:
        """Return a copy of the state with private keys, secret keys and tokens redacted."""
        with self.lock:
            return redact.redact(self.data)

    def patch(self, path: list[t.Any], value: t.Any = None, op: str = 'set') -> None:
        """Change the state at ``path`` (a list of keys and list indexes).

        ``op`` is ``set`` (replace or add the value), ``append`` (append to the list at path) or
        ``delete`` (remove the key or list item).  Raises ``KeyError``/``IndexError``/``ValueError``.
        """
        if not isinstance(path, list) or not path:
            raise ValueError('path must be a non-empty list')
        if op not in ('set', 'append', 'delete'):
            raise ValueError('op must be set, append or delete')
        with self.lock:
            parent: t.Any = self.data
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            if op == 'set':
                if isinstance(parent, list) and last == len(parent):
                    parent.append(value)
                else:
                    parent[last] = value
            elif op == 'append':
                parent[last].append(value)
            else:
                del parent[last]
