"""Importing real files into a real GeoPackage: every row accounted for, nothing lost."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import xlsxwriter

from incidents.importer import ImportFailed, ImportOptions, import_file
from incidents.query import Query
from tests.conftest import EDITOR, EXAMPLE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "template"


def reasons(report) -> dict[str, str]:
    return {r.cells.get("id", str(r.row)): r.reason_text() for r in report.rejected}


def test_mixed_file_keeps_good_rows_and_explains_bad_ones(gpkg_store):
    report = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    assert report.rows_read == 10
    assert report.accounted
    assert report.imported == 4
    why = reasons(report)
    assert "not a real calendar date" in why["syn-t-03"]
    assert "not one of" in why["syn-t-04"]
    assert "swapped" in why["syn-t-05"]
    assert "future" in why["syn-t-06"]
    assert "header" in why["id"]
    assert "TN" in why["syn-t-07"]
    rows = {r.row: r for r in report.rejected}
    assert rows[4].reasons[0][0] == "date_start"  # row numbers are spreadsheet rows


def test_reimporting_changes_nothing(gpkg_store):
    first = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    version = gpkg_store.data_version()
    again = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    assert again.imported == 0
    assert again.updated == again.unchanged == first.imported
    assert gpkg_store.data_version() == version


def test_geocoding_places_spellings_and_flags_nonsense(gpkg_store):
    import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    geocoded = gpkg_store.get("syn-t-02", EDITOR)
    assert geocoded.location_method == "geocoded" and geocoded.place_confirmed
    assert abs(geocoded.latitude - 32.435) < 0.05 and geocoded.admin1_code == "LY-MB"
    arabic = gpkg_store.get("syn-t-08", EDITOR)
    assert arabic.place == "ترهونة" and arabic.admin1_code == "LY-MB"
    nonsense = gpkg_store.get("syn-t-09", EDITOR)
    assert not nonsense.place_confirmed and nonsense.latitude is None


def test_rejected_rows_can_be_fixed_and_reimported(gpkg_store, tmp_path):
    report = import_file(FIXTURES / "mixed.csv", gpkg_store, EDITOR)
    rows = list(csv.DictReader(io.StringIO(report.rejected_csv().decode("utf-8-sig"))))
    assert len(rows) == len(report.rejected)
    fixed = [r for r in rows if r["id"] == "syn-t-03"]
    fixed[0]["date_start"] = "2020-02-28"
    path = tmp_path / "fixed.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(fixed)
    again = import_file(path, gpkg_store, EDITOR)
    assert again.imported == 1 and not again.rejected


@pytest.mark.parametrize("name", ["cp1256.csv", "bom.csv"])
def test_encodings_researchers_send(gpkg_store, name):
    report = import_file(FIXTURES / name, gpkg_store, EDITOR)
    assert report.accounted and report.imported >= 1
    titles = gpkg_store.query(Query(), EDITOR, ["title", "description", "place"])
    if name == "cp1256.csv":
        assert "مصراتة" in set(titles["place"]) or "ترهونة" in set(titles["place"])


def test_unusable_files_fail_whole_with_a_reason(gpkg_store, tmp_path):
    with pytest.raises(ImportFailed, match="empty"):
        import_file(FIXTURES / "empty.csv", gpkg_store, EDITOR)
    other = tmp_path / "other.csv"
    other.write_text("name,age\nx,1\n")
    with pytest.raises(ImportFailed, match="match no known format"):
        import_file(other, gpkg_store, EDITOR)


def test_ambiguous_dates_are_refused_unless_the_order_is_chosen(gpkg_store):
    report = import_file(FIXTURES / "ambiguous_dates.csv", gpkg_store, EDITOR)
    assert len(report.rejected) == 2 and "3 April" in report.rejected[0].reason_text()
    chosen = import_file(
        FIXTURES / "ambiguous_dates.csv", gpkg_store, EDITOR, ImportOptions(day_order="day_first")
    )
    assert chosen.imported == 2
    assert str(gpkg_store.get("syn-d-1", EDITOR).date_start) == "2020-04-03"


def test_xlsx_with_column_names_as_people_write_them(gpkg_store, tmp_path):
    path = tmp_path / "sheet.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Incident Type", "Date", "Location", "Lat", "Lon", "Notes"])
    sheet.write_row(1, 0, ["Torture", "2020-03-01", "Tarhuna", 32.435, 13.633, "SYNTHETIC"])
    book.close()
    report = import_file(path, gpkg_store, EDITOR)
    assert report.imported == 1, report.lines()


def test_zip_bombs_are_refused(gpkg_store, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_file(path, gpkg_store, EDITOR)


def test_the_bundled_example_imports_cleanly(gpkg_store):
    report = import_file(EXAMPLE, gpkg_store, EDITOR)
    assert report.rows_read >= 5 and not report.rejected, report.lines()
    frame = gpkg_store.query(Query(), EDITOR)
    assert set(frame["admin1_code"]) == {"LY-MB"}
