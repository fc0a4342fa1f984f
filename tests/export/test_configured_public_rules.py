"""A deployment's configured public rules (open_store(..., public_rules)) are the rules of
every output: the deck's notes name the store's rules, as the counted image's caption
does, and the points the public sees in the offline map are the ones the deck's
selection holds. Before, the deck built PublicRules() itself and named the default
10 km square while the store had coarsened to 25 km.

Both stores: the PostGIS one in its own schema when a server is at hand.
"""

from __future__ import annotations

import io
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation

from incidents.access import PublicRules, Role, Viewer
from incidents.export.placement_words import rules_words
from incidents.export.profiles import export_viewer, get_profile
from incidents.export.selection import DRAWING_COLUMNS, read_selection
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store
from incidents.store.record_store import RecordStore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "tarhuna.csv"
EDITOR = Viewer("rules-editor", Role.EDITOR)
RULES = PublicRules(grid_km=25.0)  # every public point at the centre of its 25 km square
_DATA = re.compile(r"var rows = (.*);$", re.MULTILINE)


def _open(kind: str, where: Path, schema: str, rules: PublicRules) -> RecordStore:
    if kind == "gpkg":
        return open_store(str(where / "rules.gpkg"), rules)
    from incidents.store.postgis import PostGISStore

    return PostGISStore(os.environ["INCIDENTS_TEST_PG"], rules, schema=schema)


@pytest.fixture(params=["gpkg", "postgis"])
def stores(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[RecordStore, RecordStore]]:
    """The Tarhuna example in a store configured with RULES, and the same data opened
    with the default rules (what the deck used to name)."""
    if request.param == "postgis":
        if not os.environ.get("INCIDENTS_TEST_PG"):
            if os.environ.get("CI"):
                pytest.fail("INCIDENTS_TEST_PG is not set: scripts/test.sh starts PostGIS")
            pytest.skip("no PostGIS server (scripts/test.sh starts one)")
        pytest.importorskip("psycopg")
    schema = "t_" + uuid.uuid4().hex[:12]
    ruled = _open(request.param, tmp_path, schema, RULES)
    assert import_file(EXAMPLE, ruled, EDITOR).imported == 9
    try:
        yield ruled, _open(request.param, tmp_path, schema, PublicRules())
    finally:
        drop = getattr(ruled, "drop_schema", None)  # PostGIS: the test's own schema
        if drop is not None:
            drop()


def _notes(deck: bytes) -> str:
    text = Presentation(io.BytesIO(deck)).slides[0].notes_slide.notes_text_frame.text
    return str(text)


def _public_points(store: RecordStore) -> set[tuple[float, float]]:
    reader = export_viewer(EDITOR, get_profile("public"))
    rows = store.query(Query(), reader, ["latitude", "longitude"])
    return {(round(a, 4), round(b, 4)) for a, b in zip(rows.latitude, rows.longitude, strict=True)}


def test_the_deck_names_the_stores_rules_as_the_counted_image_does(stores) -> None:
    ruled, _default = stores
    deck = run_export(ruled, EDITOR, Query(), ExportRequest("pptx", "public")).data
    notes = _notes(deck)
    assert "9 shown at the centre of a 25 km square" in notes
    assert "10 km" not in notes
    counted = ExportRequest("svg", "public", cells_above=0)
    svg = run_export(ruled, EDITOR, Query(), counted).data.decode("utf-8")
    assert "the centre of its 25 km square" in svg  # rules_words(RULES), wrapped
    assert "25 km square" in rules_words(ruled.public_rules)


def test_the_deck_and_the_offline_map_show_the_same_coarsened_points(stores) -> None:
    ruled, default = stores
    reader = export_viewer(EDITOR, get_profile("public"))
    selection = read_selection(ruled, Query(), reader, columns=DRAWING_COLUMNS)
    assert selection.public_rules == RULES  # what the deck's notes are worded from
    in_deck = {
        (round(a, 4), round(b, 4))
        for a, b in zip(selection.rows.latitude, selection.rows.longitude, strict=True)
    }
    page = run_export(ruled, EDITOR, Query(), ExportRequest("html", "public")).data.decode()
    found = [json.loads(text) for text in _DATA.findall(page)]
    markers = {row[4]: row for rows in found if rows and len(rows[0]) == 8 for row in rows}
    in_html = {(round(row[0], 4), round(row[1], 4)) for row in markers.values()}
    assert len(markers) == 9 and in_html == in_deck == _public_points(ruled)
    assert in_deck != _public_points(default)  # the configured rules, not the defaults
