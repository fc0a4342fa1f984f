"""The audit log's canonical JSON of many records at once, built column by column.

An import writes one audit entry per record holding the record's whole content as
canonical JSON (audit.to_json of Incident.content()). Encoding each record's dict on
its own costs more than the database write; here every field is encoded once per
column with the encoder that fits its values, and each record's text is one string
formatting of its pieces. The text is exactly to_json(incident.content()) (the
tests compare both on every kind of value), so hashes and comparisons do not depend
on which path wrote an entry.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from incidents.record import CONTENT_FIELDS, NESTED_FIELDS, Incident, Source, content_value
from incidents.schema import SOURCE_PARTS
from incidents.store.audit import to_json

_ENCODE_STRING: Callable[[str], str] = json.encoder.encode_basestring
_TEMPLATE = "{" + ",".join(f"{_ENCODE_STRING(name)}:%s" for name in CONTENT_FIELDS) + "}"
_SOURCE_TEMPLATE = "{" + ",".join(f"{_ENCODE_STRING(p)}:%s" for p in sorted(SOURCE_PARTS)) + "}"
_SOURCE_ORDER = tuple(sorted(SOURCE_PARTS))
_NONE = type(None)


def contents_json(incidents: Sequence[Incident]) -> list[str]:
    """to_json(i.content()) for each record, in order."""
    if not incidents:
        return []
    states = [i.__dict__ for i in incidents]
    columns = [
        _column_json([s[name] for s in states], name in NESTED_FIELDS) for name in CONTENT_FIELDS
    ]
    template = _TEMPLATE
    return [template % row for row in zip(*columns, strict=True)]


def _column_json(values: list[Any], nested: bool) -> list[str]:
    """Each value as the canonical encoder writes it inside a record's content."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(_ENCODE_STRING, values))
    encode = _SIMPLE.get(frozenset(kinds - {_NONE}))
    if encode is None and nested:
        return _nested_column(values)
    if encode is None:
        encode = _plain_json
    return ["null" if v is None else encode(v) for v in values]


def _nested_column(values: list[Any]) -> list[str]:
    """Lists of names repeat (perpetrators, tags): each distinct one is encoded once,
    when equal values are sure to encode alike (every item a str)."""
    try:
        distinct = set(values)
    except TypeError:  # something unhashable: encode each
        return [_nested_json(v) for v in values]
    if len(distinct) * 2 > len(values) or not all(map(_all_text, distinct)):
        return [_nested_json(v) for v in values]
    seen = {v: _nested_json(v) for v in distinct}
    return [seen[v] for v in values]


def _all_text(value: Any) -> bool:
    return type(value) is tuple and all(type(v) is str for v in value)


def _float(value: float) -> str:
    if math.isfinite(value):
        return float.__repr__(value)
    return to_json(value) or "null"


def _plain_json(value: Any) -> str:
    return to_json(value) or "null"


def _nested_json(value: Any) -> str:
    """A nested field's value (lists of names, sources, anything unusual), converted
    exactly as Incident.content() converts it."""
    if type(value) is tuple:
        if all(type(v) is str for v in value):
            return "[" + ",".join(map(_ENCODE_STRING, value)) + "]"
        if all(type(v) is Source for v in value):
            return "[" + ",".join(map(_source_json, value)) + "]"
    return to_json(content_value(value)) or "null"


def _source_json(source: Source) -> str:
    parts = source.__dict__
    values = [parts[p] for p in _SOURCE_ORDER]
    if all(type(v) is str for v in values):
        return _SOURCE_TEMPLATE % tuple(map(_ENCODE_STRING, values))
    return to_json({p: parts[p] for p in _SOURCE_ORDER}) or "null"


# Columns of one type (besides None) whose values need no conversion: bool only on
# its own, because True == 1 and a column mixing them goes through to_json.
_SIMPLE: dict[frozenset[type], Callable[[Any], str]] = {
    frozenset({str}): _ENCODE_STRING,
    frozenset({int}): int.__repr__,
    frozenset({float}): _float,
    frozenset({bool}): lambda v: "true" if v else "false",
    frozenset({date}): lambda v: f'"{v.isoformat()}"',
}
