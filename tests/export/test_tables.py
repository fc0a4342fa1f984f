"""CSV, XLSX and GeoJSON: formulas neutralised, confidential fields only where allowed."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import openpyxl
import pandas as pd
import pytest
from export_fixtures import FORMULA_TITLE, RESTRICTED_TITLE, SECRET
from frame_selection import selection_from_frame

from incidents.access import Role, Viewer
from incidents.export.profiles import get_profile
from incidents.export.selection import read_selection
from incidents.export.tables import table_records, to_csv, to_geojson, to_xlsx
from incidents.query import Query
from incidents.record import Source

STAFF = Viewer("staff", Role.EDITOR)
PARTNER = Viewer("partner", Role.VIEWER)
PUBLIC = Viewer("anyone", Role.PUBLIC)


def _rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_neutralises_formulas_and_keeps_numbers(mixed_store):
    selection = read_selection(mixed_store, Query(), PARTNER, confidential=True)
    rows = _rows(to_csv(selection))
    formula = next(r for r in rows if r["id"] == "test-formula")
    assert formula["title"] == "'" + FORMULA_TITLE
    assert formula["description"] == "'-2+3 looks like a formula"
    assert float(formula["latitude"]) == pytest.approx(32.40)
    assert to_csv(selection).startswith("\ufeff".encode())  # Excel reads Arabic right


def test_xlsx_neutralises_formulas_and_has_an_about_sheet(mixed_store):
    selection = read_selection(mixed_store, Query(), PARTNER)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(selection, "Briefing")))
    sheet = book["Incidents"]
    header = [c.value for c in sheet[1]]
    titles = [row[header.index("title")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA_TITLE in titles
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Audience"].startswith("PARTNER") and about["Data version"]
    assert book.properties.creator in (None, "")


def test_internal_tables_carry_confidential_fields_partner_ones_do_not(mixed_store):
    internal = read_selection(mixed_store, Query(), STAFF, confidential=True)
    partner = read_selection(mixed_store, Query(), PARTNER, confidential=True)
    assert SECRET in to_csv(internal).decode("utf-8-sig")
    for data in (to_csv(partner), to_xlsx(partner), to_geojson(partner)):
        assert SECRET.encode() not in data
    assert "confidential_notes" not in _rows(to_csv(partner))[0]


def test_public_tables_have_no_restricted_records(mixed_store):
    selection = read_selection(mixed_store, Query(), PUBLIC, confidential=True)
    data = to_csv(selection)
    assert RESTRICTED_TITLE.encode() not in data and SECRET.encode() not in data
    # The public rules: a named town, else a grid square (or the district centre).
    assert {r["location_precision"] for r in _rows(data)} <= {"town", "approximate", "district"}


def test_geojson_is_a_feature_collection_with_face_metadata(tarhuna_store):
    selection = read_selection(tarhuna_store, Query(), PARTNER)
    doc = json.loads(to_geojson(selection, "Tarhuna"))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 9
    point = doc["features"][0]["geometry"]
    assert point["type"] == "Point" and point["coordinates"] == pytest.approx([13.6332, 32.43501])
    assert doc["metadata"]["Data version"] == selection.data_version
    assert "sources" in doc["features"][0]["properties"]


def _raw_rows() -> pd.DataFrame:
    """Rows as staff read them: a month-only record with its day, times and version."""
    return pd.DataFrame([{
        "id": "syn-month", "type": "mass_grave", "title": "Month only",
        "date_start": "2020-06-17", "date_end": "2020-06-17", "date_precision": "day",
        "public_date_to_month": True, "latitude": 32.4, "longitude": 13.7,
        "created_at": "2020-06-17T09:12:31Z", "updated_at": "2020-06-19T16:40:05Z", "version": 7,
    }])  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_public_tables_never_add_a_day_the_rows_do_not_carry(fmt):
    """The sources column is the tables' own: its dates follow the record's public date,
    and record times and version stay out even of rows read some other way."""
    sources = {"syn-month": (Source("Report", "Publisher", "2020-06-18", "https://example.org"),)}
    render = {"csv": to_csv, "xlsx": to_xlsx, "geojson": to_geojson}[fmt]
    public = selection_from_frame(_raw_rows(), sources=sources, profile=get_profile("public"))
    partner = selection_from_frame(_raw_rows(), sources=sources, profile=get_profile("partner"))
    columns, records = table_records(public)
    assert not {"created_at", "updated_at", "version"} & set(columns)
    assert records[0][columns.index("sources")] == "Publisher, Report, 2020-06, https://example.org"
    assert b"2020-06-18" not in _unzipped(render(public))
    assert b"2020-06-18" in _unzipped(render(partner))  # partners see the source's day
    assert "version" in table_records(partner)[0]


def _unzipped(data: bytes) -> bytes:
    if not data.startswith(b"PK"):
        return data
    archive = zipfile.ZipFile(io.BytesIO(data))
    return b"".join(archive.read(n) for n in archive.namelist())


def test_xlsx_cuts_a_cell_over_excels_limit_visibly_and_says_so(tmp_path):
    """xlsxwriter cuts text over 32,767 characters without a word (a megabyte description
    lost unseen): the cell says it was cut and how much, and the About sheet counts them."""
    long_text = "".join(f"{n:07d} " for n in range(125_000))  # 1,000,000 characters
    wide = "\U0001f4cd" * 20_000  # 20,000 characters, 40,000 UTF-16 units as Excel counts
    at_limit = "x" * 32_767
    rows = _raw_rows().assign(description=long_text, title=wide, place=at_limit)
    selection = selection_from_frame(rows, profile=get_profile("partner"))
    path = tmp_path / "cut.xlsx"
    path.write_bytes(to_xlsx(selection))
    book = openpyxl.load_workbook(path)
    sheet = book["Incidents"]
    header = [c.value for c in sheet[1]]
    record = dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    note = "; the CSV and GeoJSON exports hold the whole text]"
    description = record["description"]
    start, tail = description.split("… [cut: ")
    assert long_text.startswith(start) and len(start) >= 32_600 and tail.endswith(note)
    assert tail == f"{len(long_text) - len(start):,} more characters{note}"
    assert len(description.encode("utf-16-le")) // 2 <= 32_767
    title = record["title"]
    assert title.startswith("\U0001f4cd" * 16_000) and title.endswith(note)
    assert len(title.encode("utf-16-le")) // 2 <= 32_767 and "\ufffd" not in title
    assert record["place"] == at_limit  # at the limit: whole
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Cut cells"].startswith("2 cells held more than Excel's 32,767 characters")
    csv_rows = _rows(to_csv(selection))
    assert csv_rows[0]["description"] == long_text and csv_rows[0]["title"] == wide
    plain = openpyxl.load_workbook(io.BytesIO(to_xlsx(selection_from_frame(_raw_rows()))))
    assert "Cut cells" not in dict(plain["About"].iter_rows(values_only=True))
