"""The import formats the tool knows, and how a file's format is recognised.

Each format module offers NAME, LABEL, matches(table) and raw_rows(table, column_map),
turning its own columns into the template's field names, and layout(table), which of
the format's layouts the file is in (ACLED's editions, UCDP's releases ...), as the
summary says it; the rest of the import (validation, placing, storing) is the same for
all of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, cast

from incidents.dates import DayOrder
from incidents.io import hxl, template
from incidents.io.tabular import FileUnusable, Table, file_bytes, read_table
from incidents.translation import N_, _

# What the import reads, in one sentence (for a file that cannot be read or matches none).
ACCEPTED = N_(
    "CSV or XLSX sheets (the incident template, or a sheet with its own column names "
    "mapped to its fields, ACLED and UCDP GED exports, HXL-tagged tables), GeoJSON, "
    "timemap JSON and GeoPackage files"
)


class Format(Protocol):
    NAME: str
    LABEL: str

    def matches(self, table: Table) -> bool: ...

    def layout(self, table: Table) -> str: ...

    def raw_rows(
        self,
        table: Table,
        column_map: dict[str, str] | None = None,
        day_order: DayOrder | None = None,
    ) -> Iterator[tuple[int, dict[str, Any]]]: ...


def _modules() -> list[ModuleType]:
    """Most specific first: the template is the fallback that also accepts near-misses."""
    from incidents.io import acled, hxl, timemap, ucdp

    return [hxl, acled, ucdp, timemap, template]


def formats() -> dict[str, Format]:
    return {m.NAME: cast(Format, m) for m in _modules()}


def detect(table: Table) -> Format | None:
    """The first format whose columns the table has, or None."""
    for module in _modules():
        fmt = cast(Format, module)
        if fmt.matches(table):
            return fmt
    return None


def data_rows(table: Table) -> int:
    """Rows the import reads: a HXL hashtag row is not one (the page counted it)."""
    return len(hxl.split(table)[1].rows) if hxl.matches(table) else len(table.rows)


def renamed(table: Table, column_map: dict[str, str] | None) -> Table:
    """The table with each mapped column named as its map says (for recognising the
    format of a file whose columns a user renamed: 'Deaths' mapped to 'best' is UCDP's
    best again); rows shared, not copied."""
    if not column_map:
        return table
    header = [column_map.get(h) or h for h in table.header]
    return replace(table, header=header, _by_number=None)


def layout_of(fmt: Format, table: Table) -> str:
    """The layout the summary names: the format's own (ACLED's 2016 API columns ...),
    then what the file's reader found (nested GeoJSON properties, a workbook's sheet)."""
    parts = [fmt.layout(table), table.layout]
    if table.encoding != "xlsx":  # a GeoJSON or timemap file's shape says more than its names
        parts.reverse()
    return _("; ").join(dict.fromkeys(p for p in parts if p))  # "؛ " in Arabic


def raw_columns(
    fmt: Format,
    table: Table,
    column_map: dict[str, str] | None = None,
    day_order: DayOrder | None = None,
) -> tuple[list[int], dict[str, list[Any]]]:
    """The format's raw rows as row numbers and one list per field (None where a row
    lacks the field): the template reads its columns directly, the others transpose.
    day_order, the order the user chose for dates such as 03/04/2020, goes to readers
    that read dates themselves (ACLED); the template's dates are read in validation."""
    direct = getattr(fmt, "raw_columns", None)
    if direct is not None:
        return cast(tuple[list[int], dict[str, list[Any]]], direct(table, column_map))
    rows = list(fmt.raw_rows(table, column_map, day_order))
    names = list(dict.fromkeys(key for _, raw in rows for key in raw))
    columns = {name: [raw.get(name) for _, raw in rows] for name in names}
    return [number for number, _ in rows], columns


_NOT_SHEETS = (".geojson", ".json", ".gpkg")


def is_sheet(name: str) -> bool:
    """Whether read_any reads the file as a CSV or XLSX sheet (by its name)."""
    return Path(name).suffix.casefold() not in _NOT_SHEETS


def read_any(path: Path, data: bytes | None = None, name: str | None = None) -> Table:
    """A Table from CSV, XLSX, GeoJSON, timemap JSON or GeoPackage, by the file's name
    and content."""
    name = name or path.name
    suffix = Path(name).suffix.casefold()
    if suffix in _NOT_SHEETS[:2]:
        from incidents.io import broken_text, geojson, timemap

        data = file_bytes(path, data, name)
        document = geojson.load(data, name)
        if timemap.is_timemap(document):  # a timemap export; GeoJSON keeps its reader
            table = timemap.table_from_document(document, name)
        else:
            table = geojson.table_from_document(document, data, name)
        if broken_text.may_hold_surrogates(data):
            broken_text.mend_table(table)
        return table
    if suffix == ".gpkg":
        from incidents.io import geopackage

        return geopackage.read(path, data, name)
    table = read_table(path, data, name)
    from incidents.io import acled, hxl

    refusal = hxl.totals_refusal(table) or acled.totals_refusal(table)
    if refusal:
        raise FileUnusable(_("{file}: {error}").format(file=name, error=refusal))
    return table


__all__ = [
    "ACCEPTED",
    "FileUnusable",
    "Format",
    "Table",
    "detect",
    "formats",
    "layout_of",
    "raw_columns",
    "read_any",
]
