"""The CSV reader reads what Python's csv module reads from an RFC 4180 file.

Only the delimiter is guessed; quoting never is. csv.Sniffer, used before, guessed
doublequote=False from a sample without doubled quotes, and a later '""' then ended
its field early: cells shifted (a note landing in a count column) or text changed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.io.tabular import FileUnusable, detect_delimiter, read_table

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"


def csv_truth(text: str, delimiter: str = ",") -> list[list[str]]:
    """What the csv module reads, blank rows left out (the tool skips them too)."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [r for r in rows if any(c.strip() for c in r)]


def read_back(path: Path) -> list[list[str]]:
    table = read_table(path)
    return [table.header, *(cells for _, cells in table.rows)]


@pytest.mark.parametrize(
    "name", ["ucdp_ged_hdx_hxl_bangladesh.csv", "acled_2015_asia_uppercase.csv"]
)
def test_real_files_read_as_the_csv_module_reads_them(name: str) -> None:
    """UCDP's source_article is full of doubled quotes; ACLED 2015 has newlines in notes."""
    path = REAL / name
    truth = csv_truth(path.read_text(encoding="utf-8"))
    assert read_back(path) == truth
    if name.startswith("acled"):
        two = next(r for r in truth if r[1] == "2BNG")
        assert (
            two[truth[0].index("NOTES")].count("\n") >= 5
        )  # the note with five newlines stays one cell


def test_doubled_quotes_after_the_first_64kb_do_not_shift_cells(tmp_path: Path) -> None:
    """ACLED 2020 rows (no doubled quote in them) fill the first 64 KB, as in a
    2,500-row export; then rows whose notes carry UCDP's real source_article texts,
    with doubled quotes. The sniffer guessed doublequote=False from the head and read
    those notes wrong."""
    acled = (REAL / "acled_2020_export_afghanistan.csv").read_text(encoding="utf-8")
    header, *rows = csv_truth(acled)
    ucdp = csv_truth((REAL / "ucdp_ged_hdx_hxl_bangladesh.csv").read_text(encoding="utf-8"))
    column = ucdp[0].index("source_article")
    articles = [r[column] for r in ucdp[2:] if '"' in r[column]]
    assert len(articles) >= 5
    notes = header.index("notes")
    body = rows * 6
    for n, article in enumerate(articles):
        row = list(rows[n % len(rows)])
        row[notes] = article
        body.append(row)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    path = tmp_path / "acled_long.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert len(out.getvalue().split('""')[0]) > 65536  # no doubled quote in the sniffed head
    read = read_back(path)
    assert read == [header, *body]
    assert [r[notes] for r in read[-len(articles) :]] == articles


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_counted_outside_quotes(delimiter: str) -> None:
    other = ";" if delimiter == "," else ","
    rows = [["id", "place", "notes"], ["1", f"a{other}b", f'say ""x{other}y"" {delimiter}']]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows * 3)
    assert detect_delimiter(out.getvalue()) == delimiter


NAMES = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)
TRICKY = st.sampled_from(['"', '""', "\n", "\r\n", ",", ";", "\t", "|", "=", "+", "-", "@", "'"])
CELL = st.lists(
    st.one_of(TRICKY, st.sampled_from(["مقبرة جماعية", "ترهونة", "Tarhuna", " ", "x"]), st.text()),
    max_size=6,
).map("".join)


@st.composite
def tables(draw: st.DrawFn) -> tuple[str, list[list[str]]]:
    width = draw(st.integers(2, 6))
    header = draw(st.lists(NAMES, min_size=width, max_size=width, unique=True))
    first = NAMES  # a first cell that is not blank, as an id would be
    row = st.tuples(first, st.lists(CELL, min_size=width - 1, max_size=width - 1))
    body = [[a, *rest] for a, rest in draw(st.lists(row, min_size=1, max_size=8))]
    return draw(st.sampled_from([",", ";", "\t", "|"])), [header, *body]


@settings(
    deadline=None, max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tables())
def test_any_table_python_writes_reads_back_cell_for_cell(
    tmp_path: Path, drawn: tuple[str, list[list[str]]]
) -> None:
    delimiter, rows = drawn
    rows = [[c.replace("\x00", "") for c in r] for r in rows]  # NUL: not text
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path = tmp_path / "table.csv"
    path.write_bytes(out.getvalue().encode("utf-8"))
    assert read_back(path) == rows
    # a file said to hold no cell led by the formula guard's apostrophe holds none,
    # nor one after spaces (the HXL and ACLED readers strip cells before unguarding)
    led = any(cell.lstrip(" \t").startswith("'") for row in rows for cell in row)
    assert read_table(path).apostrophe_cells or not led


def test_a_quoted_newline_does_not_make_commas_win(tmp_path: Path) -> None:
    """Found by the property test: a semicolon file whose last cell is ',\\n,' split
    as often into two cells by commas as into five by semicolons; the records the
    comma leaves whole (the header) now count against it."""
    rows = [["0", "1", "2", "00", "000"], ["0", "", "", "", ",\n,"]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path = tmp_path / "semicolons.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert read_back(path) == rows


def test_a_split_that_gives_every_record_one_width_wins(tmp_path: Path) -> None:
    """Found by the property test: semicolons gave three records of four cells, commas
    (cutting the quoted ',\\n,' cells) as many agreeing records but one of another width;
    the counts tied and the comma, first in order, won."""
    rows = [["0", "1", "00", "000"], ["0", "", "", ",\n,;"], ["0", "", ",\n,", ""]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path = tmp_path / "semicolons.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    assert read_back(path) == rows


def test_a_file_of_many_apostrophes_still_finds_a_guarded_cell(tmp_path: Path) -> None:
    """Past 10,000 apostrophes inside words the check searches the whole text instead."""
    words = "Tarhuna's " * 12_000
    path = tmp_path / "many.csv"
    path.write_text(f"title,notes\n{words},x\n", encoding="utf-8")
    assert not read_table(path).apostrophe_cells
    path.write_text(f"title,notes\n{words},'=1+1\n", encoding="utf-8")
    assert read_table(path).apostrophe_cells
    path.write_text("'=1+1,x\n", encoding="utf-8")
    assert read_table(path).apostrophe_cells


def test_a_quote_never_closed_refuses_the_file_naming_its_row(tmp_path: Path) -> None:
    """Tried as a red team would: the rows after an unclosed quote were swallowed into
    one cell and the record was refused for an empty date, far from the cause."""
    path = tmp_path / "unterminated.csv"
    path.write_text(
        'type,title,date_start\nkilling,a,2020-01-01\nkilling,"never closed,2020-01-02\n'
        "killing,b,2020-01-03\n",
        encoding="utf-8",
    )
    with pytest.raises(FileUnusable, match="a quote opened in row 3 is never closed"):
        read_table(path)


def test_a_last_record_with_a_closed_multi_line_cell_is_read(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text('type,title\r\nkilling,"two\r\nlines, one cell"\r\n', encoding="utf-8")
    assert read_table(path).rows == [(2, ["killing", "two\r\nlines, one cell"])]
