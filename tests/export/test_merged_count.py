"""An export says how many source records were merged into the incidents it shows:
a merged incident is counted once, and the reader is told what that once stands for."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from pptx import Presentation

from incidents.access import Role, Viewer
from incidents.export.deck import build_deck
from incidents.export.selection import read_selection
from incidents.export.tables import about_lines, to_geojson, to_xlsx
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store
from incidents.store.column_load import build_index
from incidents.store.merges import merge
from incidents.store.record_store import RecordStore

ROOT = Path(__file__).resolve().parents[2]
EDITOR = Viewer("export-editor", Role.EDITOR)
SAID = "1 source record merged into the incidents shown (each incident counted once)"


def _merged_store(tmp_path: Path) -> RecordStore:
    store = open_store(str(tmp_path / "merged.gpkg"))
    import_file(ROOT / "data" / "examples" / "tarhuna.csv", store, EDITOR)
    merge(store, "tarhuna-ex-001", "tarhuna-ex-002", EDITOR)
    return store


def test_xlsx_geojson_and_deck_say_how_many_records_were_merged(tmp_path: Path) -> None:
    selection = read_selection(_merged_store(tmp_path), Query(), EDITOR)
    assert len(selection.rows) == 8 and selection.merged == 1
    assert ("Merged records", SAID) in about_lines(selection)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(selection, "Briefing")))
    assert dict(book["About"].iter_rows(values_only=True))["Merged records"] == SAID
    assert json.loads(to_geojson(selection))["metadata"]["Merged records"] == SAID
    deck = Presentation(io.BytesIO(build_deck(selection)))
    assert SAID in deck.slides[0].notes_slide.notes_text_frame.text


def test_an_export_that_shows_no_merged_incident_says_nothing_of_merges(tmp_path: Path) -> None:
    store = _merged_store(tmp_path)
    selection = read_selection(store, Query(ids=("tarhuna-ex-003",)), EDITOR)
    assert selection.merged == 0
    assert "Merged records" not in dict(about_lines(selection))


def test_a_selection_read_from_the_index_says_so_too(tmp_path: Path) -> None:
    """A large selection (read from the column index, its map counted in squares) holds
    no ids: the records merged into are found in the index, and its deck says the same."""
    store = _merged_store(tmp_path)
    index = build_index(store, EDITOR)
    selection = read_selection(store, Query(), EDITOR, index=index)
    assert selection.counted and len(selection.rows) == 8 and selection.merged == 1
    deck = Presentation(io.BytesIO(build_deck(selection)))
    assert SAID in deck.slides[0].notes_slide.notes_text_frame.text
    other = read_selection(store, Query(ids=("tarhuna-ex-003",)), EDITOR, index=index)
    assert other.merged == 0


def test_the_public_is_never_told_of_merges(tmp_path: Path) -> None:
    """Found in a red-team pass: a restricted record merged into a public one made it
    restricted; once an editor published it again, its public XLSX, GeoJSON and deck
    said "1 source record merged", telling the public that another record existed.
    The detail panel already said nothing of merges to the public."""
    from incidents.access import PUBLIC
    from incidents.store.merges import merge_links

    store = open_store(str(tmp_path / "merged.gpkg"))
    import_file(ROOT / "data" / "examples" / "tarhuna.csv", store, EDITOR)
    secret = store.get("tarhuna-ex-002", EDITOR)
    assert secret is not None
    store.save(secret.replace(sensitivity="restricted"), EDITOR)
    merge(store, "tarhuna-ex-001", "tarhuna-ex-002", EDITOR)
    kept = store.get("tarhuna-ex-001", EDITOR)
    assert kept is not None and kept.sensitivity == "restricted"
    store.save(kept.replace(sensitivity="public"), EDITOR)
    assert merge_links(store, PUBLIC) == [] and len(merge_links(store, EDITOR)) == 1
    for index in (None, build_index(store, PUBLIC)):
        selection = read_selection(store, Query(ids=("tarhuna-ex-001",)), PUBLIC, index=index)
        assert len(selection.rows) == 1 and selection.merged == 0
        assert "Merged records" not in dict(about_lines(selection))
        if index is None:  # a selection read from the index is drawn, not listed
            assert "merged" not in json.dumps(json.loads(to_geojson(selection))["metadata"])
        deck = Presentation(io.BytesIO(build_deck(selection)))
        assert "merged" not in deck.slides[0].notes_slide.notes_text_frame.text
