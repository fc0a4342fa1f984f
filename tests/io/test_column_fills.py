"""The import page says which fields each ACLED and UCDP column fills (the readers'
FILLS): held here to what the readers do with the real exports' columns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from incidents import translation
from incidents.column_choices import column_choices
from incidents.import_read import choose_format
from incidents.io import acled, hxl, template, ucdp
from incidents.io.formats import read_any
from incidents.io.tabular import Table

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
FILES = [
    "acled_2015_asia_uppercase.csv",
    "acled_2016_pandas_resaved_africa.csv",
    "acled_2018_api_africa.csv",
    "acled_2020_export_afghanistan.csv",
    "acled_2025_current_somalia.csv",
    "ucdp_ged_hdx_hxl_bangladesh.csv",
]


def _reader(table: Table) -> ModuleType:
    fmt = choose_format(table, None)
    if fmt.NAME == hxl.NAME:
        inner = hxl.inner_format(table)
        assert inner is not None
        return inner
    return acled if fmt.NAME == acled.NAME else ucdp


def _without(table: Table, index: int) -> Table:
    """The table with one column's cells emptied (a hashtag row kept as it is)."""
    rows = [
        (n, ["" if i == index and not str(c).startswith("#") else c for i, c in enumerate(cells)])
        for n, cells in table.rows
    ]
    return replace(table, rows=rows, notes=[])


@pytest.mark.parametrize("name", FILES)
def test_a_column_changes_only_the_fields_the_page_says_it_fills(name: str) -> None:
    table = read_any(REAL / name, None, name)
    reader = _reader(table)
    rows = [row for _n, row in reader.raw_rows(replace(table, notes=[]))]
    checked = 0
    for index, column in enumerate(table.header):
        own = reader.COLUMNS.own(column)
        if own is None:
            continue
        emptied = [row for _n, row in reader.raw_rows(_without(table, index))]
        changed = {k for a, b in zip(rows, emptied, strict=True) for k in a if a[k] != b.get(k)}
        assert changed <= set(reader.FILLS.get(own, ())), (name, own)
        checked += bool(changed)
    assert checked >= 10  # the file's columns do fill fields


@pytest.mark.parametrize("reader", [acled, ucdp])
def test_fills_name_the_readers_columns_and_template_fields(reader: ModuleType) -> None:
    assert set(reader.FILLS) <= reader.COLUMNS.known
    assert {f for fields in reader.FILLS.values() for f in fields} <= set(template.TEMPLATE_COLUMNS)


def test_the_mapping_says_where_a_column_goes_in_the_readers_language() -> None:
    table = read_any(REAL / FILES[4], None, FILES[4])
    choices = {c.column: c for c in column_choices(table, choose_format(table, None))}
    translation.set_language("en")
    assert choices["event_date"].label("event_date") == (
        "event_date (ACLED column) → From, To, and How exact the date is"
    )
    assert choices["timestamp"].label("timestamp") == "timestamp (ACLED column): not used"
    translation.set_language("ar")
    try:
        assert choices["notes"].label("notes") == "notes (عمود من ACLED) ← الوصف"
    finally:
        translation.set_language("en")


def test_a_ucdp_source_column_is_said_once_as_sources() -> None:
    table = read_any(REAL / FILES[5], None, FILES[5])
    choices = {c.column: c for c in column_choices(table, choose_format(table, None))}
    label = choices["id"].label("id")
    assert label == "id (UCDP GED column) → Source event id and Sources"
