"""A file as the import reads it (incidents.import_read): which format, which
delimiter the report names, the template fields a sheet fills, the day order. The
import, its preview and the import page all read through these; the rows are
SYNTHETIC."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.import_read import (
    ImportFailed,
    ImportOptions,
    choose_format,
    day_order_of,
    delimiter_of,
    read_rows,
    template_fields,
)
from incidents.io.tabular import read_table


def _table(tmp_path: Path, text: str, name: str = "notes.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path, read_table(path)


def test_the_report_names_the_delimiter_the_reader_chose(tmp_path):
    path, table = _table(tmp_path, "type;date_start;place\nkilling;2020-06-01;Tarhuna\n")
    assert delimiter_of(path, None, path.name, table) == ";"
    assert delimiter_of(path, path.read_bytes(), path.name, table) == ";"
    assert delimiter_of(path, None, "notes.geojson", table) == ""  # not a delimited file


def test_a_sheet_with_type_and_date_is_read_as_the_template(tmp_path):
    _, table = _table(tmp_path, "Kind,When,Town\nkilling,2020-06-01,Tarhuna\n")
    column_map = {"Kind": "type", "When": "date_start", "Town": "place"}
    assert template_fields(table, column_map) == {"type", "date_start", "place"}
    assert choose_format(table, None, column_map).NAME == "template"
    fixed = {"type": "killing"}  # one value for every row counts as a column
    assert choose_format(table, None, {"When": "date_start"}, fixed).NAME == "template"


def test_a_sheet_that_matches_nothing_is_refused_with_its_columns_named(tmp_path):
    _, table = _table(tmp_path, "Kind,When\nkilling,2020-06-01\n")
    with pytest.raises(ImportFailed, match=r"the columns \(Kind, When\) match no known format"):
        choose_format(table, None)
    with pytest.raises(ImportFailed, match="unknown format 'acled-v9'; choose one of: "):
        choose_format(table, "acled-v9")


def test_rows_are_read_into_template_fields_with_the_values_given_for_every_row(tmp_path):
    _, table = _table(tmp_path, "type,date_start\nkilling,03/04/2020\n,13/04/2020\n")
    fmt = choose_format(table, None)
    rows = read_rows(table, fmt, ImportOptions(fixed={"country": "Libya"}))
    assert rows.numbers == [2, 3]
    assert rows.fields(3)["date_start"] == "13/04/2020"
    assert rows.columns["country"] == ["Libya", "Libya"]
    assert "country" not in rows.named  # given, not the file's own
    assert rows.fields(99) == {}
    assert day_order_of(rows.columns, len(rows.numbers)) == "day_first"  # 13/04 settles it
