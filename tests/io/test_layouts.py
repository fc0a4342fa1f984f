"""The summary names the layout of every real file: which of its format's layouts
(ACLED's editions, UCDP's releases, HXL's inner data set, GeoJSON's property shapes,
timemap's blocks, the template's names or a sheet's own)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from incidents.access import Role, Viewer
from incidents.import_read import ImportOptions
from incidents.importer import import_file
from incidents.io import template
from incidents.io.formats import detect, layout_of, read_any
from incidents.store.gpkg import GeoPackageStore

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
EDITOR = Viewer("test", Role.EDITOR)


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("acled_2015_asia_uppercase.csv", "ACLED 2015-2016 upper-case columns"),
        ("ucdp_ged_hdx_hxl_bangladesh.csv", "HXL hashtags under the header; rows read as UCDP GED"),
        ("timemap_project_mariupol_excerpt.json", "timemap: events with sources and associations"),
        (
            "unmiss_incidents_osm_excerpt.geojson",
            "GeoJSON: properties nested one level down, namespaced keys (incident:...), "
            "OpenStreetMap tags (name, name:xx); points and shapes; own column names",
        ),
    ],
)
def test_each_real_file_names_its_layout(name: str, layout: str, tmp_path: Path) -> None:
    table = read_any(REAL / name)
    fmt = detect(table)
    assert fmt is not None
    assert layout_of(fmt, table).startswith(layout)
    report = import_file(
        REAL / name, GeoPackageStore(tmp_path / "s.gpkg"), EDITOR, ImportOptions(dry_run=True)
    )
    assert f"layout: {layout}" in report.lines()[1]


def test_a_workbook_names_its_sheet_after_the_data_sets_layout(tmp_path: Path) -> None:
    """An ACLED sheet saved as a workbook of two sheets (as HDX's downloads are)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ACLED events"
    text = (REAL / "acled_2020_export_afghanistan.csv").read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(text, newline="")):
        sheet.append(row)
    book.create_sheet("notes")
    path = tmp_path / "acled.xlsx"
    book.save(path)
    table = read_any(path)
    fmt = detect(table)
    assert fmt is not None
    assert layout_of(fmt, table) == (
        "ACLED 2019-2022 export (sub_event_type, no disorder_type); workbook sheet "
        "'ACLED events' (the first of 2; only one sheet is read)"
    )
    from incidents.export.service import in_language

    # The two parts are joined in the reader's punctuation (a Latin ';' read as stray).
    assert "؛ " in in_language("ar", lambda: layout_of(fmt, table))
    assert ") ; " in in_language("fr", lambda: layout_of(fmt, table))


def test_a_first_sheet_of_terms_is_passed_over_for_the_table(tmp_path: Path) -> None:
    """HDX's ACLED downloads open with a sheet of terms of use (one column of text);
    the data are on the next sheet, which is read (and said)."""
    book = openpyxl.Workbook()
    terms = book.active
    assert terms is not None
    terms.title = "TOU"
    for line in ("Licensing", "By using ACLED data you agree to abide by the Terms of Use.", ""):
        terms.append([line])
    sheet = book.create_sheet("Events")
    text = (REAL / "acled_2020_export_afghanistan.csv").read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(text, newline="")):
        sheet.append(row)
    path = tmp_path / "hdx.xlsx"
    book.save(path)
    table = read_any(path)
    assert (len(table.rows), table.header[0]) == (28, "data_id")
    assert table.layout == (
        "workbook sheet 'Events' (sheet 2 of 2; only one sheet is read; 'TOU' held no table)"
    )
    report = import_file(path, GeoPackageStore(tmp_path / "s.gpkg"), EDITOR)
    assert report.imported == 28


def test_a_sheet_with_its_own_names_says_how_many_the_template_knows(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("Kind,date,Town,Remarks\nkilling,2020-01-01,Tarhuna,x\n", encoding="utf-8")
    table = read_any(path)
    assert template.layout(table) == "own column names (1 of 4 named as the template names them)"
