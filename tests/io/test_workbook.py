"""Workbooks read safely (incidents.io.workbook): formulas without a saved value."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlsxwriter

from incidents.io.formats import read_any

HEADER = ["type", "title", "description", "date_start", "country"]


def test_formulas_the_workbook_saved_no_value_for_are_named_in_a_note(tmp_path: Path):
    """Tried as a red team would: a workbook written by a script (no computed values)
    had its formula cells read as empty without a word."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["killing", "plain", "plain text", "2020-01-01", "LY"])
    sheet.append(
        ["killing", '=CONCAT("a","b")', '=HYPERLINK("http://x","see")', "2020-01-02", "LY"]
    )
    path = tmp_path / "script.xlsx"
    book.save(path)
    table = read_any(path)
    assert table.notes[-1].startswith(
        "2 cells hold a formula the workbook saved no value for (row 3; columns 'title', "
        "'description'): read as empty."
    )
    assert dict(table.rows)[3][1:3] in ([None, None], ["", ""])  # never the formula's text


def test_a_formula_with_its_saved_value_is_read_as_that_value_without_a_note(tmp_path: Path):
    path = tmp_path / "computed.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ["killing"])
    sheet.write_formula(1, 1, '=CONCAT("Killing in ","Tarhuna")', None, "Killing in Tarhuna")
    sheet.write_row(1, 2, ["text", "2020-01-01", "LY"])
    book.close()
    table = read_any(path)
    assert dict(table.rows)[2][1] == "Killing in Tarhuna"
    assert not any("formula" in note for note in table.notes)
