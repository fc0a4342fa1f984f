"""Real ACLED and UCDP exports (tests/fixtures/real, see its README) imported with no flags.

Each file goes through incidents.importer.import_file into a real GeoPackage (and the
PostGIS test server when INCIDENTS_TEST_PG is set), as a researcher's upload does. The
target is that at least 97% of the rows are stored, and that every rejection is one a
researcher would agree with; the assertion message lists the rejection reasons, so a
failure says which rows and why. Today all six files are stored whole (100%).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from incidents.importer import import_file
from incidents.query import Query
from incidents.report import ImportReport
from incidents.store import open_store
from incidents.store.base import Store
from tests.conftest import EDITOR

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
TARGET = 0.97

# file -> (format detected, rows in the file, ISO code the rows' country resolves to)
FILES: dict[str, tuple[str, int, set[str]]] = {
    "acled_2025_current_somalia.csv": ("acled", 25, {"SO"}),
    "acled_2020_export_afghanistan.csv": ("acled", 28, {"AF"}),
    "acled_2018_api_africa.csv": (
        "acled",
        32,
        {"CD", "NG", "LY", "TN", "KE", "MA", "SO", "CM", "EG", "GH", "ML", "ZA"},
    ),
    "acled_2016_pandas_resaved_africa.csv": (
        "acled",
        26,
        {"ZA", "LY", "SO", "UG", "ZM", "ZW", "CD", "ML", "NG", "TN", "EG", "ET"},
    ),
    "acled_2015_asia_uppercase.csv": ("acled", 32, {"BD"}),
    # HDX's copy has an HXL row: the HXL reader hands it to the UCDP reader.
    "ucdp_ged_hdx_hxl_bangladesh.csv": ("hxl", 38, {"BD"}),
}


def rejections(report: ImportReport) -> str:
    """'row 12 latitude: ...' lines, for the assertion message."""
    counts = Counter(f"{field}: {reason}" for r in report.rejected for field, reason in r.reasons)
    return "; ".join(f"{n} x {reason}" for reason, n in counts.most_common())


@pytest.mark.parametrize("name", list(FILES))
def test_real_file_imports_with_no_flags(store: Store, name: str) -> None:
    """Into a GeoPackage in tmp_path, and into PostGIS when the test server runs."""
    detected, rows, countries = FILES[name]
    report = import_file(REAL / name, store, EDITOR)
    assert report.format == detected
    assert report.rows_read == rows
    assert report.accounted
    stored = report.imported + report.updated
    assert stored / rows >= TARGET, f"{name}: {stored}/{rows} stored; {rejections(report)}"
    table = store.query(Query(), EDITOR, ["type", "country", "source_event_id"])
    assert set(table["country"]) <= countries
    prefix = "ucdp:" if name.startswith("ucdp") else "acled:"
    assert all(str(s).startswith(prefix) for s in table["source_event_id"])


@pytest.mark.parametrize("name", list(FILES))
def test_real_file_reimport_changes_nothing(gpkg_store: Store, name: str) -> None:
    first = import_file(REAL / name, gpkg_store, EDITOR)
    again = import_file(REAL / name, gpkg_store, EDITOR)
    assert again.imported == 0
    assert again.unchanged == first.imported + first.updated


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("acled_2018_api_africa.csv", {"other": 25, "killing": 5, "attack_on_civilians": 2}),
        ("acled_2015_asia_uppercase.csv", {"other": 26, "attack_on_civilians": 6}),
        ("acled_2016_pandas_resaved_africa.csv", {"other": 24, "attack_on_civilians": 2}),
        (
            "acled_2025_current_somalia.csv",
            {
                "other": 21,
                "killing": 1,
                "attack_on_civilians": 1,
                "enforced_disappearance": 1,
                "arbitrary_detention": 1,
            },
        ),
        ("ucdp_ged_hdx_hxl_bangladesh.csv", {"killing": 17, "other": 21}),
    ],
)
def test_real_file_types(gpkg_store: Store, name: str, expected: dict[str, int]) -> None:
    """The codebooks' violence against civilians is not lost in 'other' (module tables)."""
    import_file(REAL / name, gpkg_store, EDITOR)
    kinds = gpkg_store.query(Query(), EDITOR, ["type"])["type"].value_counts().to_dict()
    assert kinds == expected


def _as_workbook(source: Path, target: Path) -> None:
    """The real CSV as Excel saves it: dates as date cells, numbers as numbers."""
    import csv
    from datetime import datetime

    import xlsxwriter

    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False})
    sheet = book.add_worksheet()
    dates = book.add_format({"num_format": "d-mmm-yy"})
    day = rows[0].index("EVENT_DATE")
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if r and c == day:
                sheet.write_datetime(r, c, datetime.strptime(cell, "%d-%B-%Y"), dates)
            elif r and cell.replace(".", "", 1).lstrip("-").isdigit():
                sheet.write_number(r, c, float(cell))
            else:
                sheet.write_string(r, c, cell)
    book.close()


def test_real_file_saved_by_excel_imports_alike(gpkg_store: Store, tmp_path: Path) -> None:
    """The 2015 file re-saved as XLSX (as HDX publishes ACLED): same records as the CSV."""
    name = "acled_2015_asia_uppercase.csv"
    path = tmp_path / "acled_2015.xlsx"
    _as_workbook(REAL / name, path)
    report = import_file(path, gpkg_store, EDITOR)
    assert (report.format, report.rows_read, report.imported) == ("acled", 32, 32)
    columns = ["source_event_id", "date_start", "date_end", "killed_best", "location_precision"]
    from_xlsx = gpkg_store.query(Query(), EDITOR, columns).sort_values("source_event_id")
    other = open_store(str(tmp_path / "csv.gpkg"))
    import_file(REAL / name, other, EDITOR)
    from_csv = other.query(Query(), EDITOR, columns).sort_values("source_event_id")
    assert from_xlsx.reset_index(drop=True).equals(from_csv.reset_index(drop=True))
