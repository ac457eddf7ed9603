# Copyright (c) 2026 certops.cloud contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Schema checks against the Alibaba Cloud (Darabonba / Tea) SDK models.

The Alibaba SDK models (e.g. ``alibabacloud_esa20240910.models``) are ``DaraModel`` classes with
``from_map()`` / ``to_map()`` and type annotations on ``__init__`` (``str``, ``int``, ``bool``,
``List[main_models.X]``, ``main_models.X``, ...).  Two checks are derived from them:

* ``check_response``: a response body must survive ``<Action>ResponseBody().from_map(body).to_map()``
  without losing or changing any field (an unknown field would be silently dropped by the SDK), and
  every scalar must have the annotated type.
* ``coerce_request``: RPC parameters arrive as strings (query string / form body); they are converted
  to the types of ``<Action>Request``.  Unknown parameters are kept as they are (the real API ignores them).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import typing as t

_LIST_RE = re.compile(r'^(?:t\.|typing\.)?List\[(.+)\]$')
_SCALARS: dict[str, tuple[type, ...]] = {'str': (str,), 'int': (int,), 'float': (int, float), 'bool': (bool,)}


class DaraSchemaError(Exception):
    """A value does not fit the SDK model (``path`` is the dotted location, e.g. ``Result.0.Id``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


@functools.lru_cache(maxsize=None)
def _module(module_name: str):
    return importlib.import_module(module_name)


def model_class(module_name: str, name: str) -> type | None:
    """Return the SDK model class ``name`` of a models module, or None."""
    cls = getattr(_module(module_name), name, None)
    return cls if isinstance(cls, type) else None


@functools.lru_cache(maxsize=None)
def _annotations(cls: type) -> dict[str, str]:
    """``{python attribute: annotation text}`` of a model's ``__init__``."""
    result = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name == 'self':
            continue
        annotation = parameter.annotation
        result[name] = annotation if isinstance(annotation, str) else getattr(annotation, '__name__', str(annotation))
    return result


@functools.lru_cache(maxsize=None)
def wire_fields(cls: type) -> dict[str, tuple[str, str]]:
    """``{wire name: (python attribute, annotation)}`` for the scalar and scalar-list fields of a model.

    Found by probing ``to_map()`` with a unique marker per attribute (nested models are left out).
    """
    fields: dict[str, tuple[str, str]] = {}
    probes: dict[str, t.Any] = {}
    for attr, annotation in _annotations(cls).items():
        inner = _list_inner(annotation)
        if annotation in _SCALARS or annotation == 'Any':
            probes[attr] = '\x00%s' % attr
        elif inner is not None and (inner in _SCALARS or inner == 'Any'):
            probes[attr] = ['\x00%s' % attr]
    mapped = cls(**probes).to_map()
    for wire, value in mapped.items():
        marker = value[0] if isinstance(value, list) and value else value
        if isinstance(marker, str) and marker.startswith('\x00'):
            attr = marker[1:]
            fields[wire] = (attr, _annotations(cls)[attr])
    return fields


def _list_inner(annotation: str) -> str | None:
    match = _LIST_RE.match(annotation)
    return match.group(1).strip() if match else None


def _check_scalar(annotation: str, value: t.Any, path: str) -> None:
    expected = _SCALARS.get(annotation)
    if expected is None or value is None:
        return
    if not isinstance(value, expected) or (bool not in expected and isinstance(value, bool)):
        raise DaraSchemaError(path, '%s must be of type %s, not %s' % (path, annotation, type(value).__name__))


def _check_types(model: t.Any, path: str) -> None:
    for attr, annotation in _annotations(type(model)).items():
        value = getattr(model, attr, None)
        if value is None:
            continue
        where = '%s.%s' % (path, attr) if path else attr
        inner = _list_inner(annotation)
        if inner is not None:
            if not isinstance(value, list):
                raise DaraSchemaError(where, '%s must be a list' % where)
            for index, item in enumerate(value):
                if hasattr(item, 'to_map'):
                    _check_types(item, '%s.%d' % (where, index))
                else:
                    _check_scalar(inner, item, '%s.%d' % (where, index))
        elif hasattr(value, 'to_map'):
            _check_types(value, where)
        else:
            _check_scalar(annotation, value, where)


def _lost(original: t.Any, restored: t.Any, path: str) -> str | None:
    """Return the first location where ``original`` is not reproduced by ``restored``."""
    if isinstance(original, dict):
        if not isinstance(restored, dict):
            return path or '<root>'
        for key, value in original.items():
            where = '%s.%s' % (path, key) if path else key
            if value is None:
                continue
            if key not in restored:
                return where
            problem = _lost(value, restored[key], where)
            if problem:
                return problem
        return None
    if isinstance(original, list):
        if not isinstance(restored, list) or len(original) != len(restored):
            return path
        for index, (left, right) in enumerate(zip(original, restored)):
            problem = _lost(left, right, '%s.%d' % (path, index))
            if problem:
                return problem
        return None
    return None if original == restored else path


def check_response(module_name: str, model_name: str, body: dict[str, t.Any]) -> None:
    """Prove that the SDK model ``model_name`` reads ``body`` completely; raise ``DaraSchemaError`` otherwise."""
    cls = model_class(module_name, model_name)
    if cls is None:
        raise DaraSchemaError('', '%s has no model %s' % (module_name, model_name))
    model = cls().from_map(body)
    problem = _lost(body, model.to_map(), '')
    if problem:
        raise DaraSchemaError(problem, 'field %s is not in the SDK model %s (it would be dropped by from_map)' % (problem, model_name))
    _check_types(model, '')


def _coerce_scalar(annotation: str, name: str, value: t.Any) -> t.Any:
    if not isinstance(value, str):
        return value
    if annotation == 'int':
        if not re.fullmatch(r'-?\d+', value.strip()):
            raise DaraSchemaError(name, 'The specified parameter %s is not valid: an integer is expected.' % name)
        return int(value)
    if annotation == 'float':
        try:
            return float(value)
        except ValueError as exc:
            raise DaraSchemaError(name, 'The specified parameter %s is not valid: a number is expected.' % name) from exc
    if annotation == 'bool':
        if value.lower() not in ('true', 'false'):
            raise DaraSchemaError(name, 'The specified parameter %s is not valid: true or false is expected.' % name)
        return value.lower() == 'true'
    return value


def coerce_request(module_name: str, model_name: str, params: dict[str, t.Any]) -> dict[str, t.Any]:
    """Convert string parameters to the scalar types declared by the SDK request model (``DaraSchemaError`` when impossible)."""
    cls = model_class(module_name, model_name)
    if cls is None:
        return dict(params)
    fields = wire_fields(cls)
    result = {}
    for name, value in params.items():
        field = fields.get(name)
        if field is None:
            result[name] = value
            continue
        annotation = field[1]
        inner = _list_inner(annotation)
        if inner is not None and isinstance(value, list):
            result[name] = [_coerce_scalar(inner, '%s.%d' % (name, index + 1), item) for index, item in enumerate(value)]
        else:
            result[name] = _coerce_scalar(annotation, name, value)
    return result
