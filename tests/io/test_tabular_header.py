"""Title rows above a sheet's header are skipped, and the table's notes say so."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import xlsxwriter

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.io.formats import detect
from incidents.io.tabular import read_table
from incidents.store.gpkg import GeoPackageStore

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
EDITOR = Viewer("test", Role.EDITOR)
TITLES = [
    ["Incidents reported by partners, Somalia, April 2025"],
    ["Source: ACLED (acleddata.com)"],
]


def real_rows() -> list[list[str]]:
    text = (REAL / "acled_2025_current_somalia.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def write(path: Path, rows: list[list[str]]) -> Path:
    if path.suffix == ".xlsx":
        book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
        sheet = book.add_worksheet()
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                sheet.write_string(r, c, cell)
        book.close()
    else:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_title_rows_above_a_real_acled_header_are_skipped(tmp_path: Path, suffix: str) -> None:
    rows = real_rows()
    path = write(tmp_path / f"somalia{suffix}", [*TITLES, [], *rows])
    table = read_table(path)
    assert table.header == rows[0]
    assert table.rows[0][0] == 5  # row numbers stay those the spreadsheet shows
    assert [cells for _, cells in table.rows] == [r for r in rows[1:] if any(r)]
    assert len(table.notes) == 1
    assert "row 4" in table.notes[0] and "rows 1-2" in table.notes[0]
    assert "Incidents reported by partners" in table.notes[0]
    assert detect(table) is not None and detect(table).NAME == "acled"  # type: ignore[union-attr]
    report = import_file(path, GeoPackageStore(tmp_path / "s.gpkg"), EDITOR)
    assert report.imported == len(rows) - 1


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_title_above_unknown_columns_is_skipped(tmp_path: Path, suffix: str) -> None:
    """Columns no format knows (to be mapped by hand): the first row with several
    distinct names, followed by data, is the header."""
    rows = [["Field report"], ["Ref", "Town", "Reported"], ["r1", "Tarhuna", "2020-06-05"]]
    table = read_table(write(tmp_path / f"report{suffix}", rows))
    assert table.header == ["Ref", "Town", "Reported"]
    assert [cells for _, cells in table.rows] == [rows[2]]
    assert table.notes and "row 2" in table.notes[0]


@pytest.mark.parametrize(
    "rows",
    [
        [["id", "type"], ["1", "killing"]],  # an ordinary header
        [["Ref", "Town", "When"], ["id", "type", "date_start"]],  # as full: not a title
        [["note"], ["1"], ["2"]],  # one column
    ],
)
def test_first_row_stays_the_header_without_a_title(tmp_path: Path, rows: list[list[str]]) -> None:
    table = read_table(write(tmp_path / "plain.csv", rows))
    assert table.header == rows[0]
    assert table.notes == []
