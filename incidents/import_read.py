"""A file as the import reads it: its format, its rows as template fields, and the
person's choices for it (ImportOptions). The import, its preview and the import page
read a file this one way, so what the preview shows is what the import stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidents.dates import DayOrder, infer_day_order
from incidents.import_fill import fill
from incidents.io.formats import ACCEPTED, Format, detect, formats, is_sheet, raw_columns, renamed
from incidents.io.tabular import Table, detect_delimiter
from incidents.spreadsheet_safety import unguarded
from incidents.translation import _


class ImportFailed(Exception):
    """The file as a whole could not be used (nothing was written)."""


@dataclass(frozen=True)
class ImportOptions:
    """Choices the user can make on the import page or the command line."""

    format: str | None = None  # None: detect
    column_map: dict[str, str] | None = None
    day_order: DayOrder | None = None  # None: infer from the file
    default_country: str = ""  # "": default_country.offered_country (the file's, ...)
    dry_run: bool = False
    fixed: dict[str, str] | None = None  # field -> value for every row that has none
    default_country_why: str = ""  # why default_country is it ("": given by the user)


@dataclass
class FileRows:
    """The table and the template fields its rows were read into: a rejected row keeps
    both (its original cells, and the fields the rejected rows' file is written in)."""

    table: Table
    numbers: list[int]
    columns: dict[str, list[Any]]
    index: dict[int, int]
    named: frozenset[str] = frozenset()  # the file's own fields (not values for every row)

    def fields(self, number: int) -> dict[str, Any]:
        at = self.index.get(number)
        if at is None:
            return {}
        return {name: column[at] for name, column in self.columns.items()}


def read_rows(table: Table, fmt: Format, options: ImportOptions) -> FileRows:
    """The file's rows as template fields: the format's mapping, then the values the
    user gave for every row that has none."""
    numbers, columns = raw_columns(fmt, table, options.column_map, options.day_order)
    if is_sheet(table.name) and table.apostrophe_cells:  # the tool's formula guard
        columns = {name: unguarded(values) for name, values in columns.items()}
    named = frozenset(columns)
    fill(columns, len(numbers), options.fixed or {})
    return FileRows(table, numbers, columns, {n: i for i, n in enumerate(numbers)}, named)


def delimiter_of(path: Path, data: bytes | None, name: str, table: Table) -> str:
    """The delimiter the CSV reader chose, found again the same way from the file's
    head (the reader does not report it); '' for workbooks and geodata."""
    if Path(name).suffix.casefold() in (".xlsx", ".geojson", ".json", ".gpkg"):
        return ""
    if table.encoding in ("", "xlsx", "gpkg"):
        return ""
    size = 4 * 65536 + 8
    if data is not None:
        head = data[:size]
    else:
        with path.open("rb") as handle:
            head = handle.read(size)
    try:
        return detect_delimiter(head.decode(table.encoding, errors="ignore"))
    except LookupError:
        return ""


def choose_format(
    table: Table,
    name: str | None,
    column_map: dict[str, str] | None = None,
    fixed: dict[str, str] | None = None,
) -> Format:
    """The format the user chose, else the one detected from the columns; a sheet whose
    columns (as mapped) and values for every row give 'type' and 'date_start' is read
    as the template."""
    known = formats()
    if name:
        if name not in known:
            said = _("unknown format '{format}'; choose one of: {formats}")
            raise ImportFailed(said.format(format=name, formats=", ".join(known)))
        return known[name]
    found = detect(table) or detect(renamed(table, column_map))
    if found is None and template_fields(table, column_map, fixed) >= {"type", "date_start"}:
        found = known["template"]
    if found is None:
        columns = ", ".join(table.header[:12])
        said = _(
            "{file}: the columns ({columns}) match no known format; the template needs at "
            "least 'type' and 'date_start' (map the file's columns to them with --map, or "
            "give one value for every row with --set). The tool reads {accepted}"
        )
        raise ImportFailed(said.format(file=table.name, columns=columns, accepted=_(ACCEPTED)))
    return found


def template_fields(
    table: Table, column_map: dict[str, str] | None = None, fixed: dict[str, str] | None = None
) -> set[str]:
    """The template fields a sheet fills, by its columns (as mapped) and the values
    given for every row."""
    from incidents.io import template

    mapped = {template.field_for(c, column_map) for c in table.header}
    return {f for f in mapped if f} | set(fixed or {})


def day_order_of(columns: dict[str, list[Any]], n: int) -> DayOrder:
    values = [
        str(v or "") for k in ("date_start", "date_end") for v in columns.get(k) or [None] * n
    ]
    return infer_day_order(values)
