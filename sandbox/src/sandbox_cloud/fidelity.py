# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Schema checks against the Tencent Cloud SDK models.

Every SDK model documents its fields in the ``__init__`` docstring as ``:type Name: <type>`` where
``<type>`` is ``str``, ``int``, ``float``, ``bool``, ``list of <type>``, a model class name, or
``:class:`tencentcloud...models.Name```.  That is the schema used here, both to reject unknown request
parameters (``UnknownParameter``) and to prove that every response field exists in the SDK model.
"""

from __future__ import annotations

import functools
import importlib
import re
import typing as t

_FIELD_RE = re.compile(r'^\s*:type (\w+): (.+?)\s*$', re.MULTILINE)
_CLASS_RE = re.compile(r':class:`(?:[\w.]+\.)?(\w+)`')
_SCALARS: dict[str, tuple[type, ...]] = {'str': (str,), 'int': (int,), 'float': (int, float), 'bool': (bool,)}


class SchemaError(Exception):
    """A value does not fit the SDK model.

    ``kind`` is ``unknown`` (a field the model does not have) or ``type`` (a value of the wrong type);
    ``path`` is the dotted location, e.g. ``Certificates.0.Alias``.
    """

    def __init__(self, kind: str, path: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.path = path


class ModelSchema:
    """The schema of one SDK models module, e.g. ``tencentcloud.ssl.v20191205.models``."""

    def __init__(self, module_name: str) -> None:
        self.module_name = module_name
        self._module = importlib.import_module(module_name)
        self._fields: dict[str, dict[str, str]] = {}

    def has_model(self, name: str) -> bool:
        """Tell whether the SDK defines a model called ``name``."""
        return isinstance(getattr(self._module, name, None), type)

    def fields(self, model: str) -> dict[str, str]:
        """Return ``{field: type}`` for a model (raises ``KeyError`` for an unknown model)."""
        if model not in self._fields:
            cls = getattr(self._module, model, None)
            if not isinstance(cls, type):
                raise KeyError('%s has no model %s' % (self.module_name, model))
            self._fields[model] = dict(_FIELD_RE.findall(cls.__init__.__doc__ or ''))
        return self._fields[model]

    def _element(self, type_name: str) -> tuple[str, str]:
        """Classify a type as ('scalar'|'list'|'model', inner)."""
        if type_name.startswith('list of '):
            return 'list', type_name[len('list of '):]
        match = _CLASS_RE.match(type_name)
        if match:
            return 'model', match.group(1)
        if type_name in _SCALARS:
            return 'scalar', type_name
        if self.has_model(type_name):
            return 'model', type_name
        # e.g. "int non-negative"
        return 'scalar', type_name.split()[0]

    def validate(self, model: str, data: t.Any, path: str = '') -> None:
        """Check ``data`` against ``model`` recursively; raise ``SchemaError`` on the first problem.

        ``None`` is accepted for any field (the real APIs return null for optional fields).
        """
        if not isinstance(data, dict):
            raise SchemaError('type', path, '%s must be an object (%s)' % (path or model, model))
        fields = self.fields(model)
        for name, value in data.items():
            where = '%s.%s' % (path, name) if path else name
            if name not in fields:
                raise SchemaError('unknown', where, 'field %s is not in the SDK model %s' % (where, model))
            self._check(fields[name], value, where)

    def _check(self, type_name: str, value: t.Any, path: str) -> None:
        if value is None:
            return
        kind, inner = self._element(type_name)
        if kind == 'list':
            if not isinstance(value, list):
                raise SchemaError('type', path, '%s must be a list of %s' % (path, inner))
            for index, item in enumerate(value):
                self._check(inner, item, '%s.%d' % (path, index))
        elif kind == 'model':
            self.validate(inner, value, path)
        else:
            expected = _SCALARS.get(inner, (object,))
            if not isinstance(value, expected) or (bool not in expected and isinstance(value, bool)):
                raise SchemaError('type', path, '%s must be of type %s, not %s' % (path, inner, type(value).__name__))

    def coerce(self, model: str, data: dict[str, t.Any]) -> dict[str, t.Any]:
        """Convert string leaves (from a GET query string) to the scalar types the model declares."""
        fields = self.fields(model)
        return {name: self._coerce(fields.get(name, 'str'), value) for name, value in data.items()}

    def _coerce(self, type_name: str, value: t.Any) -> t.Any:
        kind, inner = self._element(type_name)
        if kind == 'list' and isinstance(value, list):
            return [self._coerce(inner, item) for item in value]
        if kind == 'model' and isinstance(value, dict):
            return self.coerce(inner, value)
        if kind == 'scalar' and isinstance(value, str):
            if inner == 'int' and re.fullmatch(r'-?\d+', value):
                return int(value)
            if inner == 'float' and re.fullmatch(r'-?\d+(\.\d+)?', value):
                return float(value)
            if inner == 'bool' and value.lower() in ('true', 'false', '1', '0'):
                return value.lower() in ('true', '1')
        return value


@functools.lru_cache(maxsize=None)
def schema(module_name: str) -> ModelSchema:
    """Return the (cached) schema for an SDK models module."""
    return ModelSchema(module_name)
