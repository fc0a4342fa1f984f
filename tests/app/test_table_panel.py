"""The map page's table with AppTest: unplaced incidents are listed and open; editors
tick several rows and change them together with one confirmation."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from incidents.importer import import_file
from incidents.store import open_store
from tests.app.conftest import EDITOR, point_app_at
from tests.example_copies import example_rows, write_rows

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
TIMEOUT = 60
UNPLACED = "unplaced-001"
# The map's report of its extent: a box around Tarhuna (the example's points).
TARHUNA_BOX = {"bounds": {"_southWest": {"lat": 32.0, "lng": 13.0},
                          "_northEast": {"lat": 33.0, "lng": 14.5}}, "zoom": 9}  # fmt: skip


def write_with_unplaced(path: Path) -> Path:
    """The example plus one incident with no place at all (no name, no point)."""
    rows = example_rows()
    extra = dict(rows[2])
    extra.update(
        id=UNPLACED, title="A disappearance reported with no place", place="", admin1="",
        admin1_code="", latitude="", longitude="", location_precision="",
        location_method="", location_uncertainty_km="", verification="reported",
    )  # fmt: skip
    return write_rows(path, [*rows, extra])


@pytest.fixture
def unplaced_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = str(tmp_path / "unplaced.gpkg")
    import_file(write_with_unplaced(tmp_path / "unplaced.csv"), open_store(path), EDITOR)
    return point_app_at(path, tmp_path, monkeypatch)


def _page(**state: object) -> AppTest:
    """The whole page, the map having reported the Tarhuna box as its extent."""
    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    at.run()
    at.session_state["_whole_page"] = True
    at.session_state["incident_map"] = TARHUNA_BOX
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def _table(at: AppTest) -> pd.DataFrame:
    frame = at.dataframe[0].value
    return frame.set_index("Ref.")


def test_an_unplaced_incident_is_listed_and_says_so(unplaced_db: str) -> None:
    at = _page()
    assert not at.exception
    table = _table(at)
    assert len(table) == 10  # nine in the box, one with no place
    assert table.loc[UNPLACED, "Location"] == "No place recorded"
    assert table.loc["tarhuna-ex-001", "Location"] == "Town"  # as the public sees it: at Tarhuna
    assert any(c.value.startswith("9 in the map view") for c in at.caption)
    assert any("1 of them is not on the map" in c.value for c in at.caption)


def test_a_view_with_none_of_the_matches_points_to_them(unplaced_db: str) -> None:
    """Searched for a place off screen, the map said '0 in the map view' and nothing
    pointed the way (a browser walk in Arabic): it now says how many are outside and
    which map button brings them into view."""
    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    at.run()
    at.session_state["_whole_page"] = True
    mogadishu = {"_southWest": {"lat": 1.0, "lng": 44.0}, "_northEast": {"lat": 3.0, "lng": 46.0}}
    at.session_state["incident_map"] = {"bounds": mogadishu, "zoom": 9}  # none of the example
    at.run()
    assert not at.exception
    said = " ".join(c.value for c in at.caption)
    assert "0 in the map view · 9 outside it: ⌖ (Zoom to the incidents) on the map" in said
    assert "1 more in the selection" in said  # the one with no place: not drawable


def test_unticking_no_place_leaves_it_out(unplaced_db: str) -> None:
    at = _page()
    at.checkbox(key="f_unlocated").uncheck().run()
    assert UNPLACED not in _table(at).index


def test_a_picked_unplaced_row_opens_in_the_detail_panel(unplaced_db: str) -> None:
    at = _page()
    _tick_rows(at, [UNPLACED])
    assert not at.exception
    assert at.session_state["_selected"] == UNPLACED
    assert any("A disappearance reported with no place" in m.value for m in at.markdown)


def _ticked_page(ticked: list[str]) -> AppTest:
    """The page for an editor who has ticked these rows."""
    return _page(_table_ticked=ticked)


def _tick_rows(at: AppTest, refs: list[str]) -> AppTest:
    """As if the person ticked exactly these rows in the table."""
    rows = list(_table(at).index)
    state = {"selection": {"rows": [rows.index(r) for r in refs], "columns": [], "cells": []}}
    at.session_state[str(at.dataframe[0].key)] = state
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [*at.success, *at.warning, *at.error, *at.markdown, *at.caption]
    return " ".join(str(p.value) for p in parts)


def test_viewers_pick_one_row_and_editors_tick_several(
    unplaced_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _page()
    assert "_single_" in str(at.dataframe[0].key)
    assert not [b for b in at.button if str(b.key).startswith("bulk_")]  # none for the public
    from app_pages import common

    monkeypatch.setattr(common, "viewer", lambda: EDITOR)
    at = _page()
    assert "_multi_" in str(at.dataframe[0].key)
    assert "Tick several rows in the table" in _texts(at)


def test_an_editor_sets_verification_on_two_incidents_with_one_confirmation(
    unplaced_db: str, as_editor: object
) -> None:
    at = _ticked_page(["tarhuna-ex-001", UNPLACED])
    assert "Change the 2 incidents ticked in the table" in at.radio(key="bulk_action").label
    at.selectbox(key="bulk_status").set_value("verified")
    at.button(key="bulk_ask").click().run()
    assert "Set verification to **Verified** on 2 incidents?" in _texts(at)
    store = open_store(unplaced_db)
    assert store.get(UNPLACED, EDITOR).verification == "reported"  # type: ignore[union-attr]
    at.button(key="bulk_yes").click().run()
    assert not at.exception
    assert "Verification set to Verified on 2 incidents." in _texts(at)
    for ref in ("tarhuna-ex-001", UNPLACED):
        assert store.get(ref, EDITOR).verification == "verified"  # type: ignore[union-attr]
        assert _table(at).loc[ref, "Verification"] == "Verified"
    assert at.session_state["_table_ticked"] == ["tarhuna-ex-001", UNPLACED]  # still ticked


def test_an_editor_adds_a_tag_to_two_incidents(unplaced_db: str, as_editor: object) -> None:
    at = _ticked_page(["tarhuna-ex-001", "tarhuna-ex-002"])
    at.radio(key="bulk_action").set_value("tag").run()
    at.text_input(key="bulk_tag").input("reviewed *2026*")
    at.button(key="bulk_ask").click().run()
    at.button(key="bulk_yes").click().run()
    assert r"Tag reviewed \*2026\* added to 1 incident (1 had it already)." not in _texts(at)
    assert r"Tag reviewed \*2026\* added to 2 incidents." in [s.value for s in at.success]
    store = open_store(unplaced_db)
    assert "reviewed *2026*" in store.get("tarhuna-ex-002", EDITOR).tags  # type: ignore[union-attr]


def test_a_delete_needs_a_reason_and_hides_the_incidents(
    unplaced_db: str, as_editor: object
) -> None:
    at = _ticked_page(["tarhuna-ex-001", "tarhuna-ex-002"])
    at.radio(key="bulk_action").set_value("delete").run()
    at.button(key="bulk_ask").click().run()
    assert "Say why they are deleted first." in _texts(at)
    assert not [b for b in at.button if b.key == "bulk_yes"]
    at.text_input(key="bulk_reason").input("duplicates of other records")
    at.button(key="bulk_ask").click().run()
    at.button(key="bulk_yes").click().run()
    assert not at.exception
    assert "2 incidents deleted." in _texts(at)
    assert "8 incidents shown of 8" in _texts(at)
    assert "tarhuna-ex-001" not in _table(at).index
    assert at.session_state["_table_ticked"] == []
    assert open_store(unplaced_db).get("tarhuna-ex-001", EDITOR) is None
    assert "2 incidents deleted." in _texts(at.run())  # still said, its rows gone


def test_what_was_done_stays_until_other_rows_are_ticked(
    unplaced_db: str, as_editor: object
) -> None:
    """The map reports its view right after the change and the page runs again: the
    sentence was shown in one run only, and gone before a busy browser drew it."""
    at = _ticked_page(["tarhuna-ex-001", UNPLACED])
    at.selectbox(key="bulk_status").set_value("verified")
    at.button(key="bulk_ask").click().run()
    at.button(key="bulk_yes").click().run()
    said = "Verification set to Verified on 2 incidents."
    assert said in _texts(at.run())  # the run the map's report asks for
    assert said in _texts(at.run())
    _tick_rows(at, ["tarhuna-ex-001", UNPLACED, "tarhuna-ex-002"])
    assert said not in _texts(at)
    _tick_rows(at, ["tarhuna-ex-001", UNPLACED])
    assert said not in _texts(at)  # said once for that change, not again


def test_the_question_goes_when_the_ticks_change(unplaced_db: str, as_editor: object) -> None:
    at = _ticked_page(["tarhuna-ex-001", "tarhuna-ex-002"])
    at.button(key="bulk_ask").click().run()
    assert [b for b in at.button if b.key == "bulk_yes"]
    _tick_rows(at, ["tarhuna-ex-001"])  # the editor unticks one row
    assert not [b for b in at.button if b.key == "bulk_yes"]  # it asked about two
    assert "Change the 1 incident ticked in the table" in at.radio(key="bulk_action").label


def test_ticked_rows_a_filter_hides_leave_the_ticks(unplaced_db: str, as_editor: object) -> None:
    at = _ticked_page(["tarhuna-ex-001", UNPLACED])  # a mass grave and a killing
    at.multiselect(key="f_types").set_value(["mass_grave"]).run()
    assert at.session_state["_table_ticked"] == ["tarhuna-ex-001"]
    at.multiselect(key="f_types").set_value([]).run()
    assert at.session_state["_table_ticked"] == ["tarhuna-ex-001"]  # it does not come back


def test_ticking_one_row_opens_it_and_a_map_click_replaces_the_ticks(
    unplaced_db: str, as_editor: object
) -> None:
    at = _page()
    _tick_rows(at, [UNPLACED])
    assert at.session_state["_selected"] == UNPLACED
    assert _table(at).index[0] == UNPLACED  # the open incident comes first
    at.session_state["_selected"] = "tarhuna-ex-002"  # as a marker click sets it
    at.run()
    assert at.session_state["_table_ticked"] == ["tarhuna-ex-002"]


def test_an_editors_ticks_after_signing_out_become_one_pick(unplaced_db: str) -> None:
    at = _ticked_page(["tarhuna-ex-001", "tarhuna-ex-002"])  # the public, single-row
    assert not at.exception
    assert "_single_" in str(at.dataframe[0].key)
