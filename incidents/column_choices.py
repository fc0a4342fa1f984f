"""The column mapping the import page offers, for every format: one choice per column of
the file, starting from what the format's reader does with it by itself.

What a choice can be depends on the format (the command line's --map takes the same):

- the template (and GeoJSON, GeoPackage): a template field, or not used;
- ACLED and UCDP GED, also when republished with HXL hashtags: one of the data set's own
  columns (its codes and rules then apply: 'Deaths' chosen as UCDP's 'best'), a template
  field (the cell is put there as it is), or not read;
- other HXL tables: a template field (over what the column's hashtag says), or not used;
- timemap events: as the reader takes them, or a template field the column also fills.

Only the choices a person changed go into the column map, so a file read as it is gets
no map at all, and the map is the one --map would give (incidents.io.fixed_columns).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from babel.lists import format_list

from incidents.field_words import field_label
from incidents.io import acled, hxl, template, timemap, ucdp
from incidents.io.fixed_columns import Columns
from incidents.io.formats import Format
from incidents.io.tabular import Table
from incidents.translation import N_, _, language

_SOURCE = re.compile(r"source\d+_")  # a source's part: shown as "Sources"
NOT_USED = ""  # the choice that leaves a column out (timemap: as the reader takes it)


NOT_USED_WORDS = N_("— not used —")
NOT_READ_WORDS = N_("— not read —")
AS_TIMEMAP_WORDS = N_("— as the timemap reader takes it —")


@dataclass(frozen=True)
class ColumnChoice:
    """One column of the file: where the reader puts it by itself, and where it may go
    (each option a template field or a data set's own column; the value stays the name,
    the person reads it in their language)."""

    index: int
    column: str
    start: str
    options: tuple[str, ...]
    not_used: str = NOT_USED_WORDS  # what leaving the column out is called (English)
    own: frozenset[str] = frozenset()  # the data set's own columns among the options
    data_set: str = ""  # set: the options mix a data set's columns and marked template fields
    fills: tuple[tuple[str, tuple[str, ...]], ...] = ()  # own column -> the fields it fills

    def label(self, option: str) -> str:
        """An option as the person reads it: a template field as the entry form names it,
        a data set's own column with the fields its reader fills from it (the mapping
        showed only "event_date (ACLED column)": where it went was left to guess)."""
        if option == NOT_USED:
            return _(self.not_used)
        if option in self.own:
            fields = dict(self.fills).get(option, ())
            if not fields:
                said = _("{column} ({data_set} column): not used")
                return said.format(column=option, data_set=self.data_set)
            names = dict.fromkeys("sources" if _SOURCE.match(f) else f for f in fields)
            said = _("{column} ({data_set} column) → {fields}")
            return said.format(
                column=option,
                data_set=self.data_set,
                fields=format_list([field_label(f) for f in names], locale=language()),
            )
        if self.data_set:
            return _("{field} (template field)").format(field=field_label(option))
        return field_label(option)


def column_choices(table: Table, fmt: Format) -> list[ColumnChoice]:
    """One choice per named column of the file, for the format it is read as."""
    if fmt.NAME == hxl.NAME:
        inner = hxl.inner_format(table)
        if inner is not None:
            return _own_columns(table, inner.COLUMNS, inner.FILLS)
        return _by_hashtag(table)
    if fmt.NAME in (acled.NAME, ucdp.NAME):
        reader = acled if fmt.NAME == acled.NAME else ucdp
        return _own_columns(table, reader.COLUMNS, reader.FILLS)
    if fmt.NAME == timemap.NAME:
        return _choices(
            table, lambda _: NOT_USED, (NOT_USED, *_fields()), AS_TIMEMAP_WORDS, data_set="timemap"
        )
    return _choices(table, _template_start, (NOT_USED, *template.TEMPLATE_COLUMNS))


def _template_start(column: str) -> str:
    return template.field_for(column) or NOT_USED


def chosen_map(choices: list[ColumnChoice], picked: dict[int, str]) -> dict[str, str]:
    """The column map of the choices a person changed (column -> target, '' not used)."""
    return {
        c.column: picked[c.index]
        for c in choices
        if c.index in picked and picked[c.index] != c.start
    }


def _own_columns(
    table: Table, columns: Columns, fills: dict[str, tuple[str, ...]]
) -> list[ColumnChoice]:
    own = tuple(sorted(columns.known))
    fields = tuple(f for f in _fields() if f not in columns.known)
    return [
        ColumnChoice(index, column, columns.own(column) or NOT_USED, (NOT_USED, *own, *fields),
                     NOT_READ_WORDS, frozenset(own), columns.label, tuple(fills.items()))
        for index, column in enumerate(table.header)
        if column.strip()
    ]  # fmt: skip


def _by_hashtag(table: Table) -> list[ColumnChoice]:
    tags, _ = hxl.split(table)
    by_column = dict(zip(table.header, tags, strict=False))
    return _choices(
        table,
        lambda c: hxl.field_for(by_column.get(c)) or NOT_USED,
        (NOT_USED, *_fields()),
        data_set="HXL",
    )


def _choices(
    table: Table,
    start: Callable[[str], str],
    options: tuple[str, ...],
    not_used: str = NOT_USED_WORDS,
    own: frozenset[str] = frozenset(),
    data_set: str = "",
) -> list[ColumnChoice]:
    return [
        ColumnChoice(index, column, start(column), options, not_used, own, data_set)
        for index, column in enumerate(table.header)
        if column.strip()
    ]


def _fields() -> tuple[str, ...]:
    return template.TEMPLATE_COLUMNS
