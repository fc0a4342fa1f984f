"""A deck of a large selection is made from the column index: squared map slides,
and title, timeline, table and sources that say what the row-by-row deck says.

A real GeoPackage store of synthetic records (restricted ones, month-only dates and
records without a point among them); the limit is lowered so 400 records are "large".
"""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from incidents.access import Role, Viewer
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.query import Query
from incidents.record import Incident
from incidents.store import open_store
from incidents.synthetic import write_synthetic_csv

EDITOR = Viewer("deck-editor", Role.EDITOR)
LOW = 50


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("cell-deck")
    store = open_store(str(folder / "deck.gpkg"))
    csv = write_synthetic_csv(folder / "s.csv", 400, seed=11)
    assert import_file(csv, store, EDITOR).accounted
    lost = Incident(id="deck-no-point", type="killing", title="No point", country="LY",
                    date_start=date(2019, 3, 1), date_end=date(2019, 3, 2),
                    location_precision="country", sensitivity="public")  # fmt: skip
    store.write_batch([lost], EDITOR)
    return str(folder / "deck.gpkg")


def _deck(db: str, profile: str, cells_above: int) -> Presentation:
    request = ExportRequest("pptx", profile=profile, title="Deck", cells_above=cells_above,
                            breaks=(date(2020, 6, 1),), panels="type")  # fmt: skip
    result = run_export(open_store(db), EDITOR, Query(), request)
    return Presentation(io.BytesIO(result.data))


def _slide_text(slide) -> list[str]:
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    tables = [
        "|".join(c.text for c in row.cells)
        for s in slide.shapes
        if s.has_table
        for row in s.table.rows
    ]
    return texts + tables


def _unstamped(texts: list[str]) -> list[str]:
    """Texts without the data version and the export time (two decks made a minute
    apart on a busy machine differ only there)."""
    texts = [re.sub(r"Data version \w+", "", t) for t in texts]
    return [re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "", t) for t in texts]


@pytest.mark.parametrize("profile", ["public", "internal"])
def test_the_index_deck_says_what_the_row_deck_says(db, profile):
    squares, points = _deck(db, profile, LOW), _deck(db, profile, 10**9)
    titles = [s.shapes.title.text for s in squares.slides]
    assert titles == [s.shapes.title.text for s in points.slides]
    assert titles[:4] == ["Deck", "Deck", "Before and after 1 June 2020", "By incident type"]
    # Title slide (counts line) and the table of counts by type and district; the
    # stamps differ only by data version (a squared picture's is that of its index).
    for n in (0, titles.index("Incidents by type and district")):
        got, expected = _slide_text(squares.slides[n]), _slide_text(points.slides[n])
        assert _unstamped(got) == _unstamped(expected)
        assert "incidents shown" in "".join(got) or n > 0
    notes = squares.slides[1].notes_slide.notes_text_frame.text
    assert "each square is coloured by how many incidents it holds" in notes
    assert "Solid markers" not in notes


def test_map_and_timeline_slides_carry_one_picture_each(db):
    deck = _deck(db, "internal", LOW)
    for slide in list(deck.slides)[1:5]:
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1


def test_sources_are_read_for_the_selection(db):
    deck = _deck(db, "internal", LOW)
    sources = [s for s in deck.slides if s.shapes.title.text.startswith("Sources")]
    assert "Synthetic publisher" in "\n".join(_slide_text(sources[0]))
