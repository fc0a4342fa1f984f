"""The project's own spreadsheet template: its columns are the schema's field names.

Researchers' column names drift ("Lat", "Start date", "Type of incident"); common
variants are accepted, and a column map given at import time overrides them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import zip_longest
from typing import Any

from incidents.dates import DayOrder
from incidents.io.tabular import Table
from incidents.schema import FIELDS, SOURCE_PARTS, VOCABULARIES
from incidents.translation import N_, _

NAME = "template"
LABEL = N_("Incident template (its field names)")
TEMPLATE_SOURCES = 3

TEMPLATE_COLUMNS: tuple[str, ...] = (
    *(f.name for f in FIELDS if f.group != "system" and f.name != "sources"),
    *(f"source{n}_{part}" for n in range(1, TEMPLATE_SOURCES + 1) for part in SOURCE_PARTS),
)

ALIASES: dict[str, str] = {
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "long": "longitude",
    "date": "date_start",
    "start_date": "date_start",
    "end_date": "date_end",
    "from": "date_start",
    "to": "date_end",
    "location": "place",
    "place_name": "place",
    "district": "admin1",
    "incident_type": "type",
    "type_of_incident": "type",
    "category": "type",
    "perpetrator": "perpetrators",
    "source_title": "source1_title",
    "source_publisher": "source1_publisher",
    "source_date": "source1_date",
    "source_url": "source1_url",
    "source_sha256": "source1_sha256",
    "url": "source1_url",
    "notes": "description",
    "summary": "description",
}


def normalise_column(name: str) -> str:
    """'Start Date ' -> 'start_date': how column names are compared."""
    return "_".join(name.strip().casefold().replace("-", " ").replace("/", " ").split())


def field_for(column: str, column_map: dict[str, str] | None = None) -> str | None:
    """The template field a column feeds, or None when it is not used."""
    if column_map and column in column_map:
        return column_map[column] or None
    key = normalise_column(column)
    known = set(TEMPLATE_COLUMNS) | {f"source{n}_{p}" for n in range(1, 10) for p in SOURCE_PARTS}
    if key in known:
        return key
    return ALIASES.get(key)


def matches(table: Table) -> bool:
    """A table is in the template format when it has the core columns."""
    fields = {field_for(c) for c in table.header}
    return {"type", "date_start"} <= fields


def layout(table: Table) -> str:
    """Whether the sheet uses the template's column names (or their common variants),
    or its own, to be mapped column by column (the import page, --map)."""
    named = [c for c in table.header if c.strip()]
    known = [c for c in named if field_for(c)]
    if named and len(known) == len(named):
        return _("the template's column names")
    said = _("own column names ({known} of {n} named as the template names them)")
    return said.format(known=len(known), n=len(named))


def raw_rows(
    table: Table, column_map: dict[str, str] | None = None, day_order: DayOrder | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Rows keyed by template field names; unused columns are left out. Dates are passed
    on as written: validation reads them in day_order (or the order the file settles)."""
    targets = [field_for(c, column_map) for c in table.header]
    for number, cells in table.rows:
        raw: dict[str, Any] = {}
        for target, value in zip(targets, cells, strict=False):
            if target and (target not in raw or raw[target] in (None, "")):
                raw[target] = value
        yield number, raw


def raw_columns(
    table: Table, column_map: dict[str, str] | None = None
) -> tuple[list[int], dict[str, list[Any]]]:
    """What raw_rows gives, as row numbers and one list per field (None where a row has
    no cell), read column-wise: the import of a large file validates columns."""
    targets = [field_for(c, column_map) for c in table.header]
    cells = list(zip_longest(*(c for _, c in table.rows), fillvalue=None))
    columns: dict[str, list[Any]] = {}
    for index, target in enumerate(targets):
        if not target:
            continue
        column = list(cells[index]) if index < len(cells) else [None] * len(table.rows)
        if target in columns:  # a later column fills only what the earlier left empty
            earlier = columns[target]
            column = [a if a not in (None, "") else b for a, b in zip(earlier, column, strict=True)]
        columns[target] = column
    return [number for number, _ in table.rows], columns


def unused_columns(table: Table, column_map: dict[str, str] | None = None) -> list[str]:
    return [c for c in table.header if c and field_for(c, column_map) is None]


def blank_template_csv() -> bytes:
    """The empty template researchers download: header row only, UTF-8 with BOM for Excel."""
    out = io.StringIO()
    csv.writer(out).writerow(TEMPLATE_COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def blank_template_xlsx() -> bytes:
    """The empty template as a workbook, with a sheet listing the accepted codes."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("incidents")
    bold = book.add_format({"bold": True})
    for col, name in enumerate(TEMPLATE_COLUMNS):
        sheet.write_string(0, col, name, bold)
    codes = book.add_worksheet("codes")
    codes.write_row(0, 0, ["field", "code", "label"], bold)
    row = 1
    for vocabulary in VOCABULARIES.values():
        for code, label in vocabulary.terms:
            codes.write_row(row, 0, [vocabulary.name, code, label])
            row += 1
    book.close()
    return out.getvalue()
