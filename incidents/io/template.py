"""The project's own spreadsheet template: its columns are the schema's field names.

Researchers' column names drift ("Lat", "Start date", "Type of incident"); common
variants are accepted, and a column map given at import time overrides them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from itertools import zip_longest
from typing import Any

from incidents.dates import DayOrder
from incidents.io.tabular import FileUnusable, Table
from incidents.schema import FIELDS, SOURCE_PARTS, VOCABULARIES
from incidents.translation import N_, _, isolate, ngettext

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
    targets = _targets(table.header, column_map)
    for number, cells in table.rows:
        raw: dict[str, Any] = {}
        fed: dict[str, int] = {}  # field -> the column whose value it holds
        for index, (target, value) in enumerate(zip(targets, cells, strict=False)):
            if not target:
                continue
            if target not in raw or raw[target] in (None, ""):
                raw[target], fed[target] = value, index
            elif _differ(raw[target], value):
                columns = (table.header[fed[target]], table.header[index])
                raise FileUnusable(_disagree(table.name, target, columns, [number]))
        yield number, raw


def raw_columns(
    table: Table, column_map: dict[str, str] | None = None
) -> tuple[list[int], dict[str, list[Any]]]:
    """What raw_rows gives, as row numbers and one list per field (None where a row has
    no cell), read column-wise: the import of a large file validates columns."""
    targets = _targets(table.header, column_map)
    cells = list(zip_longest(*(c for _, c in table.rows), fillvalue=None))
    numbers = [number for number, _ in table.rows]
    columns: dict[str, list[Any]] = {}
    first: dict[str, str] = {}  # field -> the first column feeding it
    for index, target in enumerate(targets):
        if not target:
            continue
        column = list(cells[index]) if index < len(cells) else [None] * len(table.rows)
        if target in columns:  # a later column fills only what the earlier left empty
            earlier = columns[target]
            clash = [n for n, a, b in zip(numbers, earlier, column, strict=True) if _differ(a, b)]
            if clash:
                columns_named = (first[target], table.header[index])
                raise FileUnusable(_disagree(table.name, target, columns_named, clash))
            column = [a if a not in (None, "") else b for a, b in zip(earlier, column, strict=True)]
        columns[target] = column
        first.setdefault(target, table.header[index])
    return numbers, columns


def _targets(header: Sequence[str], column_map: dict[str, str] | None) -> list[str | None]:
    """Each column's field. A field the map gives to a column comes from that column
    alone: a column the file names like the field is then not used (it filled the
    field's empty cells, or won over the mapped one: a map is never ignored)."""
    mapped = {column_map[c] for c in header if column_map and column_map.get(c)}
    return [
        None if column_map is not None and c not in column_map and t in mapped else t
        for c, t in ((c, field_for(c, column_map)) for c in header)
    ]


def _differ(earlier: Any, later: Any) -> bool:
    """Both cells hold a value, and not the same one (white space and case aside)."""
    if earlier in (None, "") or later in (None, ""):
        return False
    return str(earlier).strip().casefold() != str(later).strip().casefold()


def _disagree(file: str, field: str, columns: tuple[str, str], rows: Sequence[int]) -> str:
    """Two columns give one field different values: which one is meant is the user's
    choice (a sensitivity column and another saying 'restricted' published the record
    as the first said, without a word)."""
    from incidents.field_words import field_label

    shown = ", ".join(map(str, rows[:5])) + (", …" if len(rows) > 5 else "")
    where = ngettext("row {rows}", "rows {rows}", len(rows)).format(rows=shown)
    if columns[0] == columns[1]:
        said = _(
            "{file}: two columns named '{first}' disagree in {where}: keep one of them "
            "(delete or rename the other)"
        )
    else:
        said = _(
            "{file}: the columns '{first}' and '{second}' both give '{field}' and disagree "
            "in {where}: mark one of them as not used (in the Import page's column "
            "mapping, or with {option} on the command line)"
        )
    option = isolate(f"--map '{columns[1]}='")
    return said.format(file=file, first=columns[0], second=columns[1],
                       field=field_label(field), where=where, option=option)  # fmt: skip


def unused_columns(table: Table, column_map: dict[str, str] | None = None) -> list[str]:
    targets = _targets(table.header, column_map)
    return [c for c, t in zip(table.header, targets, strict=True) if c and t is None]


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
