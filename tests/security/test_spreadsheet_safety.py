"""No exported cell or header can start a formula; plain numbers stay numbers."""

from __future__ import annotations

import csv
import math
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.spreadsheet_safety import safe_cell, unguarded

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_spreadsheet_number(text: str) -> bool:
    """As the brief states it, independently of the module: ASCII digits, one optional
    leading minus, a decimal point, an exponent, and finite."""
    body = text[1:] if text.startswith("-") else text
    mantissa, _, exponent = body.lower().partition("e")
    digits = mantissa.replace(".", "", 1)
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    if "e" in body.lower():
        exponent = exponent[1:] if exponent[:1] in "+-" else exponent
        if not (exponent.isascii() and exponent.isdigit()):
            return False
    return math.isfinite(float(text))


def assert_cannot_run(value: object) -> None:
    out = safe_cell(value)
    if isinstance(out, int | float) or out is None:
        # csv and pandas write a float as repr (NaN as an empty cell): no formula start
        assert not repr(out).startswith(FORMULA_START) or math.isfinite(out)
        return
    shown = unicodedata.normalize("NFKC", out).lstrip()
    if out.startswith(FORMULA_START) or shown.startswith(FORMULA_START):
        assert is_spreadsheet_number(out), repr(out)


@pytest.mark.parametrize(
    "text",
    ["-inf", "-Infinity", "-nan", "-1_000", "+1e5", "+5", " =1", "  -1", "\t=1", "\r=1",
     "\n=1", "\u00a0=1", "\uff1dSUM(A1)", "-1e999", "-١٢", "-0x10", "@SUM(A1)", "=1+1",
     "-2+3", "- 1", "-1 ", "-"],
)  # fmt: skip
def test_text_python_reads_as_a_number_is_still_guarded(text):
    assert safe_cell(text) == "'" + text


def test_minus_infinity_is_written_as_guarded_text_and_nan_stays_missing():
    assert safe_cell(float("-inf")) == "'-inf"
    assert safe_cell(float("inf")) == float("inf")  # "inf" starts no formula
    assert math.isnan(safe_cell(float("nan")))  # a missing value, as before


@pytest.mark.parametrize("text", ["-3.5", "-1", "-0", "-1e-3", "-1.5E+10", "-.5", "-7.", "42"])
def test_plain_numbers_are_kept(text):
    assert safe_cell(text) == text
    assert safe_cell(float(text)) == float(text)


@settings(deadline=None, max_examples=500)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet="=+-@\t\r\n .eE0123456789_xinfa\u00a0\uff1d\uff0b\u0661", max_size=12),
        st.sampled_from(FORMULA_START).flatmap(lambda c: st.text().map(lambda t: c + t)),
        st.floats(),
        st.integers(),
    )
)
def test_no_guarded_output_starts_a_formula(value):
    assert_cannot_run(value)


@settings(deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, max_value=0, exclude_max=True))
def test_negative_numbers_are_kept_as_numbers(number):
    assert safe_cell(number) == number
    text = repr(number)
    assert safe_cell(text) == text  # as the text Python writes for it
    assert safe_cell(f"{number:.6f}") == f"{number:.6f}"


@settings(deadline=None, max_examples=100)
@given(st.lists(st.text(min_size=1), min_size=1, max_size=5))
def test_headers_and_cells_written_to_a_csv_file_cannot_run(tmp_path_factory, cells):
    """Through a real file, as the exports write it (headers pass through safe_cell too)."""
    path = Path(tmp_path_factory.mktemp("csv")) / "out.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([safe_cell(c) for c in cells])  # a header row
        writer.writerow([safe_cell(c) for c in reversed(cells)])
    with path.open(newline="", encoding="utf-8") as back:
        for row in csv.reader(back):
            for cell in row:
                shown = unicodedata.normalize("NFKC", cell).lstrip()
                if cell.startswith(FORMULA_START) or shown.startswith(FORMULA_START):
                    assert is_spreadsheet_number(cell), repr(cell)


@settings(deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(),
            st.text().map(lambda t: "'" + t),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
        max_size=6,
    )
)
def test_an_import_takes_off_the_guard_and_only_it(column):
    """What safe_cell wrote reads back as it was; any other text is left as it is. (Text
    typed as "'=" reads as "=": it is what the guard writes for "=".) A sheet's numbers
    beside the text are left as they are."""

    def guarded(v: object) -> bool:
        return type(v) is str and v != "" and v == safe_cell(v[1:])

    kept = [v for v in column if not guarded(v)]
    assert unguarded([safe_cell(v) for v in kept]) == kept
    assert unguarded(column) == [v[1:] if guarded(v) else v for v in column]


def test_the_rejected_rows_file_reimports_without_the_apostrophe(gpkg_store, tmp_path):
    """Fixing the rejected rows' file and importing it stored "'=HYPERLINK(...)"."""
    from incidents.importer import import_file
    from tests.conftest import EDITOR

    path = tmp_path / "fixed.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        title = safe_cell('=HYPERLINK("http://x","y")')
        row = ["g-1", "killing", "2020-06-05", "Tarhuna", title, "'plain"]
        csv.writer(out).writerows([["id", "type", "date_start", "place", "title", "tags"], row])
    import_file(path, gpkg_store, EDITOR)
    stored = gpkg_store.get("g-1", EDITOR)
    assert stored and stored.title == '=HYPERLINK("http://x","y")' and stored.tags == ("'plain",)


def test_a_geojson_file_keeps_its_apostrophes(gpkg_store, tmp_path):
    """The guard is only ever written into CSV and XLSX files: a GeoJSON title "'-' marks
    unknown victims" is not one of them, and is stored as written."""
    import json

    from incidents.importer import import_file
    from tests.conftest import EDITOR

    title = "'-' marks unknown victims"
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.6, 32.4]},
               "properties": {"id": "g-2", "type": "killing", "date_start": "2020-06-05",
                              "title": title}}  # fmt: skip
    path = tmp_path / "one.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    import_file(path, gpkg_store, EDITOR)
    stored = gpkg_store.get("g-2", EDITOR)
    assert stored and stored.title == title


def test_a_guarded_cell_after_a_space_is_unguarded_by_a_reader_that_strips_cells():
    """Found in review: an HXL file (its reader strips cells) whose only guarded cell
    followed a space (", '=...") kept the apostrophe once the CSV reader skipped the
    check for files with no apostrophe right after a delimiter."""
    from pathlib import Path

    from incidents.import_read import ImportOptions, read_rows
    from incidents.io.formats import detect, read_any

    sample = Path(__file__).parents[1] / "fixtures" / "formats" / "hxl_sample.csv"
    lines = sample.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[4] = ' \'=HYPERLINK("http://x")'  # the description, after a space
    text = "\n".join([*lines[:2], ",".join(cells), *lines[3:]]) + "\n"
    table = read_any(Path("x.csv"), text.encode(), "x.csv")
    rows = read_rows(table, detect(table), ImportOptions())
    assert rows.columns["description"][0] == '=HYPERLINK("http://x")'
