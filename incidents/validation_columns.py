"""Validate a whole file column by column; only the rows that fail go row by row.

An import of 100,000 rows cannot afford a Python object and a dozen method calls per
cell. Here each column is cleaned in one pass, each distinct value of a coded, yes/no,
list or count column is read once (with the same per-value functions as
incidents.validation), and the date fields once per distinct combination. A row that
any check finds wrong is not described here: validate_row, the reference, reads it
again and writes its messages, so what a researcher is told is exactly what the
row validator says. tests/security/test_validation_columns.py checks that both give
the same records and the same rejections on hostile files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from incidents.dates import DayOrder
from incidents.record import Incident, Source, incidents_of, source_of
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.validation import (
    ID_FIELDS,
    MAX_ID_CHARS,
    MAX_SOURCES,
    boolean_of,
    clean_text,
    code_of,
    default_title,
    integer_of,
    is_placeholder,
    items_of,
    number_of,
    source_problems,
    time_values,
)

Columns = dict[str, list[Any]]
_BAD = object()  # a cell the row validator must look at
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10))  # and the NUL joins
_ONE_SPACE = bytes.maketrans(b"\t\n", b"  ")  # the white space _CONTROL_BYTES leaves
_CONTROL = re.compile("[\x01-\x08\x0b-\x1f]")  # what clean_text removes (NUL: see below)
_DECIMALS = re.compile(r"(?:-?[0-9]+(?:\.[0-9]+)?)?(?:\x00(?:-?[0-9]+(?:\.[0-9]+)?)?)*")
_TEXT = (
    "id",
    "source_event_id",
    "description",
    "place",
    "country",
    "admin1",
    *CONFIDENTIAL_FIELDS,
)
_CODES = {"verification": "reported", "sensitivity": "restricted"}
_BOOLEANS = {"public_date_to_month": False, "place_confirmed": True}
_TIME = ("date_start", "date_end", "date_precision", "date_kind")
_COUNT_GROUPS = ("killed", "disappeared", "displaced")


def validate_columns(
    columns: Columns, n: int, day_order: DayOrder, today: date
) -> list[Incident | None]:
    """For each of the n rows, its Incident when every check passes, else None: that
    row must go through validate_row (which rejects it, or takes it after all)."""
    cells = _Cells(columns, n)
    values: Columns = {name: cells.text(name) for name in _TEXT}
    for name in ID_FIELDS:  # a longer one goes to the row validator, which says why
        if max(map(len, values[name]), default=0) > MAX_ID_CHARS:
            cells.check([_BAD if len(t) > MAX_ID_CHARS else t for t in values[name]])
    values["admin1_code"] = _mapped(cells.text("admin1_code"), str.upper)
    type_text = cells.text("type")
    values["type"] = cells.check(_mapped(type_text, lambda t: _code("type", t, None)))
    for name, default in _CODES.items():
        values[name] = cells.check(_mapped(cells.text(name), _coder(name, default)))
    for name, flag in _BOOLEANS.items():
        values[name] = cells.check(_mapped(cells.text(name), _yes_no(flag)))
    for name in ("perpetrators", "tags"):
        values[name] = _mapped(cells.text(name), items_of)
    values.update(_place(cells))
    values.update(_counts(cells))
    values["sources"] = _sources(cells)
    values.update(_times(cells, day_order, today))
    values["title"] = _titles(cells.text("title"), values)
    taken = [i for i, fine in enumerate(cells.ok) if fine]
    made = incidents_of(list(values), ([column[i] for i in taken] for column in values.values()))
    out: list[Incident | None] = [None] * n
    for i, incident in zip(taken, made, strict=True):
        out[i] = incident
    return out


def _titles(texts: list[str], values: Columns) -> list[str]:
    """The title, or the default title (type and place) of a row that gives none."""
    if all(texts):
        return texts
    names = ("type", "place", "admin1", "country")
    return [
        t or default_title(dict(zip(names, (values[k][i] for k in names), strict=True)))
        for i, t in enumerate(texts)
    ]


class _Cells:
    """The raw columns, their cleaned text (made once), and which rows are still fine."""

    def __init__(self, columns: Columns, n: int) -> None:
        self.columns = columns
        self.n = n
        self.ok = [True] * n
        self._texts: dict[str, list[str]] = {}

    def raw(self, name: str) -> list[Any]:
        return self.columns.get(name) or [None] * self.n

    def text(self, name: str) -> list[str]:
        """clean_text of every cell ("" for none), as the row validator's text()."""
        if name not in self._texts:
            raw = self.columns.get(name)
            self._texts[name] = _clean_column(raw) if raw else [""] * self.n
        return self._texts[name]

    def check(self, column: list[Any]) -> list[Any]:
        """Mark rows whose value is _BAD; the column is returned for chaining."""
        if _BAD in column:
            for i, value in enumerate(column):
                if value is _BAD:
                    self.ok[i] = False
        return column


def _clean_column(raw: list[Any]) -> list[str]:
    """clean_text of each cell. One pass over the joined column decides whether it is
    plain already (all text, no control characters, NFC), as nearly every column is:
    then stripping is all clean_text would do. NUL joins: a cell holding one is
    not plain, and NUL never composes under NFC, so the parts normalise alone."""
    try:
        joined = "\x00".join(raw)
        texts = raw
    except TypeError:  # empty cells (None), or numbers or dates from a workbook
        texts = ["" if v is None else v for v in raw]
        try:
            joined = "\x00".join(texts)
        except TypeError:
            return [clean_text(v) for v in raw]
    if joined.isascii():  # bytes: control characters counted in one C pass
        data = joined.encode("ascii")
        if len(data) - len(data.translate(None, _CONTROL_BYTES)) == len(raw) - 1:
            return [v.strip() for v in texts] if _ascii_outer_space(data) else texts
        return [clean_text(v) for v in raw]
    plain = joined.count("\x00") == len(raw) - 1 and not _CONTROL.search(joined)
    if plain and unicodedata.is_normalized("NFC", joined):
        return [v.strip() for v in texts]
    return [clean_text(v) for v in raw]


def _ascii_outer_space(data: bytes) -> bool:
    """Whether a NUL-joined ASCII column (no control character but tab and line break:
    _clean_column) has a cell with white space at either end. Tabs and line breaks made
    spaces first: two searches instead of twelve (0.07 against 0.02 s for a column of 100k
    descriptions)."""
    if data[:1].isspace() or data[-1:].isspace():
        return True
    spaced = data.translate(_ONE_SPACE)
    return b"\x00 " in spaced or b" \x00" in spaced


def _mapped(column: list[Any], read: Callable[[Any], Any]) -> list[Any]:
    """read() applied once per distinct value, spread back over the column."""
    seen: dict[Hashable, Any] = {value: read(value) for value in set(column)}
    return [seen[value] for value in column]


def _code(name: str, text: str, default: str | None) -> Any:
    if not text:
        return _BAD if default is None else default
    code = code_of(name, text)
    return _BAD if code is None else code


def _coder(name: str, default: str) -> Callable[[str], Any]:
    return lambda text: _code(name, text, default)


def _yes_no(default: bool) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        value = boolean_of(text.casefold(), default)
        return _BAD if value is None else value

    return read


def _number(text: str, low: float, high: float) -> Any:
    value, message = number_of(text, low, high)
    return _BAD if message else value


def _place(cells: _Cells) -> Columns:
    """Coordinates, both or neither, and the defaults that depend on having a point."""
    lat = cells.check(_numbers(cells.text("latitude"), -90, 90))
    lon = cells.check(_numbers(cells.text("longitude"), -180, 180))
    has_lat, has_lon = cells.text("latitude"), cells.text("longitude")
    for i in [
        i for i, (a, b) in enumerate(zip(has_lat, has_lon, strict=True)) if bool(a) != bool(b)
    ]:
        cells.ok[i] = False
    point = [a is not None and b is not None for a, b in zip(lat, lon, strict=True)]
    uncertainty = _mapped(cells.text("location_uncertainty_km"), lambda t: _number(t, 0, 5000))
    precision = _by_point(cells, "location_precision", point, ("approximate", "town"))
    method = _by_point(cells, "location_method", point, ("source", "geocoded"))
    return {
        "latitude": lat,
        "longitude": lon,
        "location_precision": precision,
        "location_uncertainty_km": cells.check(uncertainty),
        "location_method": method,
    }


def _numbers(texts: list[str], low: float, high: float) -> list[Any]:
    """_number of each cell; a column of plain decimals is read without per-cell calls."""
    if not _DECIMALS.fullmatch("\x00".join(texts)):
        return [_number(t, low, high) for t in texts]
    values = [float(t) if t else None for t in texts]
    return [v if v is None or low <= v <= high else _BAD for v in values]


def _by_point(cells: _Cells, name: str, point: list[bool], defaults: tuple[str, str]) -> list[Any]:
    """A coded column whose default depends on whether the row has a point."""
    codes = _mapped(cells.text(name), lambda t: _code(name, t, "") if t else None)
    with_point, without = defaults
    return cells.check(
        [
            c if c is not None else with_point if p else without
            for c, p in zip(codes, point, strict=True)
        ]
    )


def _counts(cells: _Cells) -> Columns:
    """min <= best <= max for killed, disappeared and displaced, where given."""
    out: Columns = {}
    for group in _COUNT_GROUPS:
        bounds = [
            cells.check(_mapped(cells.text(f"{group}_{b}"), _integer))
            for b in ("min", "best", "max")
        ]
        for i, trio in enumerate(zip(*bounds, strict=True)):
            if trio != (None, None, None) and _BAD not in trio:
                known = [v for v in trio if v is not None]
                if known != sorted(known):
                    cells.ok[i] = False
        out.update(
            {f"{group}_{b}": col for b, col in zip(("min", "best", "max"), bounds, strict=True)}
        )
    return out


def _integer(text: str) -> Any:
    value, message = integer_of(text)
    return _BAD if message else value


def _sources(cells: _Cells) -> list[Any]:
    """Each row's sources: source1..9 (source1 falling back to source_*), in order."""
    rows: list[tuple[Source, ...]] = [()] * cells.n
    for number in range(1, MAX_SOURCES + 1):
        names = [f"source{number}_{part}" for part in SOURCE_PARTS]
        fallback = [f"source_{part}" for part in SOURCE_PARTS] if number == 1 else []
        if not any(name in cells.columns for name in names + fallback):
            continue
        parts = [cells.text(name) for name in names]
        if any(name in cells.columns for name in fallback):
            backup = [cells.text(name) for name in fallback]
            parts = [
                [a or b for a, b in zip(x, y, strict=True)]
                for x, y in zip(parts, backup, strict=True)
            ]
        parts[4] = _mapped(parts[4], str.lower)  # sha256
        _check_source(cells, number, parts[3], parts[4])
        made = [
            source_of(*c) if c[0] or c[1] or c[2] or c[3] or c[4] else None
            for c in zip(*parts, strict=True)
        ]
        rows = [(*r, s) if s else r for r, s in zip(rows, made, strict=True)]
    return rows


def _check_source(cells: _Cells, number: int, urls: list[str], hashes: list[str]) -> None:
    """Rows whose source url or sha256 source_problems would refuse, or whose url is a
    placeholder (the row validator keeps the row and writes the warning)."""
    url = _mapped(
        urls,
        lambda u: bool(u) and (is_placeholder(u) or bool(source_problems(number, _part("url", u)))),
    )
    sha = _mapped(hashes, lambda h: bool(h) and bool(source_problems(number, _part("sha256", h))))
    if True in url or True in sha:
        for i, (u, h) in enumerate(zip(url, sha, strict=True)):
            if u or h:
                cells.ok[i] = False


def _part(name: str, value: str) -> dict[str, str]:
    return {"url": "", "sha256": ""} | {name: value}


def _times(cells: _Cells, day_order: DayOrder, today: date) -> Columns:
    """The date fields, read once per distinct (start, end, precision, kind) cells."""
    seen: dict[tuple[Any, ...], dict[str, Any] | None] = {}
    found: list[dict[str, Any]] = []
    for i, key in enumerate(zip(*(cells.raw(name) for name in _TIME), strict=True)):
        try:
            value = seen.get(key, _UNSEEN)
        except TypeError:  # an unhashable cell, e.g. a list from a GeoJSON
            value = None
        if value is _UNSEEN:
            values, problems = time_values(dict(zip(_TIME, key, strict=True)), day_order, today)
            value = seen[key] = None if problems else values
        if value is None:
            cells.ok[i] = False
            value = _NO_TIME
        found.append(value)
    return {name: [v[name] for v in found] for name in _TIME_FIELDS}


_TIME_FIELDS = ("date_start", "date_end", "date_precision", "date_kind")
_NO_TIME = dict.fromkeys(_TIME_FIELDS)
_UNSEEN: Any = object()
