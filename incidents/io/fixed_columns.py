"""Reading a data set with fixed column names (ACLED, UCDP GED), a user's column map included.

ACLED and UCDP have renamed, re-cased and truncated their columns over the years, and
users rename them again (a spreadsheet edited by hand, a pandas re-save with an extra
index column). Every column name is compared folded ("EVENT DATE", "Event-Date" and
"event_date" are one column) and through the format's aliases (old or truncated names).

A column map (``--map 'Deaths=best'``) names, for a column of the file, what it is:

- one of the format's own columns (``best``, ``fatalities``, ``event_date`` ...): the
  column is read as that column, so the data set's codes and rules apply to it (this
  wins when a name is both, e.g. ``country``);
- else a template field (``killed_best``, ``description`` ...): the cell is put in that
  field of the record as it is, after the format's own mapping;
- or nothing (``--map 'Notes='``): the column is not read.

Anything else is refused with a sentence naming the file, the column and the target,
as is a map naming a column the file does not have: a map is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from incidents.io.tabular import FileUnusable, Table
from incidents.translation import _


def fold(name: str) -> str:
    """'EVENT DATE ', 'Event-Date', 'event_date' -> 'event_date'."""
    text = str(name or "").strip().casefold().replace("-", " ").replace("/", " ")
    return "_".join(text.split())


@dataclass(frozen=True)
class Columns:
    """A format's own columns: every name it has used, and its older or truncated names."""

    label: str  # 'ACLED', 'UCDP GED': how messages name the format
    known: frozenset[str]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def own(self, name: str) -> str | None:
        """The format's column a header or map target names, or None."""
        key = fold(name)
        key = self.aliases.get(key, key)
        return key if key in self.known else None

    def present(self, header: Iterable[str]) -> set[str]:
        """The format's columns a header holds (folded, aliases resolved)."""
        return {c for c in (self.own(h) for h in header) if c}


@dataclass(frozen=True)
class Plan:
    """Where each column of the file goes: a format column, a template field, or nowhere."""

    own: list[str | None]
    fields: list[str | None]


def plan(table: Table, columns: Columns, column_map: Mapping[str, str] | None) -> Plan:
    """Each header cell's destination, the user's map applied (or refused, see module)."""
    from incidents.io.template import TEMPLATE_COLUMNS

    targets: dict[int, str] = {}
    for source, target in (column_map or {}).items():
        index = _column_index(table, source)
        if index is None:
            raise not_in_file(table, source)
        targets[index] = target
    own: list[str | None] = []
    fields: list[str | None] = []
    for index, header in enumerate(table.header):
        if index not in targets:
            own.append(columns.own(header))
            fields.append(None)
            continue
        target = targets[index].strip()
        mapped_own = columns.own(target) if target else None
        template = fold(target) if fold(target) in TEMPLATE_COLUMNS else None
        if target and mapped_own is None and template is None:
            said = _(
                "{file}: the column map sends column '{column}' to '{target}', which is neither "
                "one of the {format} columns nor a field of the incident template"
            )
            raise FileUnusable(said.format(file=table.name, column=header, target=target,
                                           format=columns.label))  # fmt: skip
        own.append(mapped_own)
        fields.append(None if mapped_own else template)
    _drop_overridden(own, targets)
    return Plan(own, fields)


def not_in_file(table: Table, key: str) -> FileUnusable:
    """The error of a column map naming a column the file does not have, with its own."""
    shown = ", ".join(h for h in table.header if h)[:300]
    said = _("{file}: the column map names a column '{column}' that the file does not have "
             "(its columns are: {columns})")  # fmt: skip
    return FileUnusable(said.format(file=table.name, column=key, columns=shown))


def _column_index(table: Table, source: str) -> int | None:
    """The header cell a map key names: as written first, then folded."""
    for index, header in enumerate(table.header):
        if header == source:
            return index
    wanted = fold(source)
    for index, header in enumerate(table.header):
        if wanted and fold(header) == wanted:
            return index
    return None


def _drop_overridden(own: list[str | None], mapped: Mapping[int, str]) -> None:
    """A column mapped onto 'best' replaces the file's own 'best' column, if it has one."""
    chosen = {own[i] for i in mapped if own[i]}
    for index, name in enumerate(own):
        if name in chosen and index not in mapped:
            own[index] = None


def records(
    table: Table, columns: Columns, column_map: Mapping[str, str] | None = None
) -> Iterator[tuple[int, dict[str, str], dict[str, Any]]]:
    """Each data row as (row number, {format column: text}, {template field: cell}).

    A leading row of HXL hashtags (HDX republications) is not data and is skipped;
    the first of two columns with the same name wins unless it is empty."""
    where = plan(table, columns, column_map)
    rows = table.rows
    if rows and hashtag_row(rows[0][1]):
        rows = rows[1:]
    for number, cells in rows:
        own: dict[str, str] = {}
        fields: dict[str, Any] = {}
        for name, target, value in zip(where.own, where.fields, cells, strict=False):
            if name and not own.get(name):
                own[name] = "" if value is None else str(value).strip()
            elif target and value not in (None, ""):
                fields[target] = value
        yield number, own, fields


def hashtag_row(cells: list[Any]) -> bool:
    """Whether a row is mostly HXL hashtags (HDX puts one under the header)."""
    filled = [str(c).strip() for c in cells if str(c if c is not None else "").strip()]
    return bool(filled) and sum(c.startswith("#") for c in filled) * 2 > len(filled)
