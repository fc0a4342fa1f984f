"""Unknown is not zero in every export: the example records a minimum of 338 people
disappeared and no best estimate, and no number of people killed or displaced."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest
from pptx import Presentation

from incidents.access import Role, Viewer
from incidents.export.deck import DeckOptions, build_deck
from incidents.export.selection import read_selection
from incidents.export.service import ExportRequest, run_export
from incidents.export.static_map import MapOptions, render_map
from incidents.export.tables import to_csv, to_geojson, to_xlsx
from incidents.query import Query

WINDOW = Query(date_from=date(2015, 1, 1), date_to=date(2023, 12, 31))
AT_LEAST = "At least 338 people disappeared"
UNKNOWN = "People killed or displaced: unknown"


@pytest.fixture
def selection(tarhuna_store):
    return read_selection(tarhuna_store, WINDOW, Viewer("partner-reader", Role.VIEWER))


def test_selection_says_at_least_and_unknown(selection) -> None:
    lines = selection.people_lines()
    assert lines[0].startswith(AT_LEAST)
    assert "only 1 of 9 incidents gives a number" in lines[0]  # the other 8 say nothing of it
    assert lines[1].startswith(UNKNOWN)
    assert not any("0 people" in line for line in lines)


def test_xlsx_and_geojson_about_say_it(selection) -> None:
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(selection)))
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["People"].startswith(AT_LEAST) and UNKNOWN in about["People"]
    meta = json.loads(to_geojson(selection))["metadata"]
    assert meta["People"] == about["People"]


def test_csv_keeps_a_missing_best_estimate_blank(selection) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(selection).decode("utf-8-sig"))))
    record = next(r for r in rows if r["disappeared_min"] == "338")
    assert record["disappeared_best"] == ""  # blank, not 0


def test_the_image_face_says_it(selection) -> None:
    svg = render_map(selection, MapOptions(fit=True), "svg").decode()
    assert AT_LEAST in svg and UNKNOWN in svg
    assert "0 people" not in svg


def test_the_html_map_header_says_it(tarhuna_store) -> None:
    reader, request = Viewer("partner-reader", Role.VIEWER), ExportRequest("html", "partner")
    page = run_export(tarhuna_store, reader, WINDOW, request).data.decode()
    assert AT_LEAST in page and UNKNOWN in page


def test_the_deck_title_slide_and_notes_say_it(selection) -> None:
    prs = Presentation(io.BytesIO(build_deck(selection, DeckOptions(title="T"))))
    first = prs.slides[0]
    text = " ".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert AT_LEAST in text and UNKNOWN in text
    assert first.notes_slide.notes_text_frame is not None
    assert AT_LEAST in first.notes_slide.notes_text_frame.text


def test_an_image_drawn_in_squares_says_what_the_point_image_says(tarhuna_store) -> None:
    """A selection too large to read row by row is summed by the column index."""
    editor = Viewer("exporting-editor", Role.EDITOR)

    def svg(cells_above: int) -> str:
        request = ExportRequest("svg", profile="internal", cells_above=cells_above, fit=True)
        return run_export(tarhuna_store, editor, Query(), request).data.decode("utf-8")

    squares, points = svg(1), svg(10**9)
    assert "km square" in squares
    for text in (squares, points):
        assert AT_LEAST in text and UNKNOWN in text


@pytest.mark.parametrize(
    ("low", "best", "high", "words"),
    [
        (338, None, None, "at least 338"),
        (None, None, 12, "at most 12"),
        (30, 40, 55, "best estimate 40, between 30 and 55"),
        (None, 7, None, "best estimate 7"),
        (0, None, None, "at least 0"),
        (None, None, None, ""),
        (5, None, 5, "5"),
        (5, 5, 5, "best estimate 5"),
    ],
)
def test_one_records_count_in_words(low, best, high, words):
    from incidents.export.people_words import estimate_words

    assert estimate_words(low, best, high) == words
