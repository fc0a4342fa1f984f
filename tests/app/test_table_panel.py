"""The map page's table with AppTest: unplaced incidents are listed and open; editors
tick several rows and change them together with one confirmation."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from incidents.importer import import_file
from incidents.store import open_store
from tests.app.conftest import EDITOR, EXAMPLE, point_app_at

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
TIMEOUT = 60
UNPLACED = "unplaced-001"
# The map's report of its extent: a box around Tarhuna (the example's points).
TARHUNA_BOX = {"bounds": {"_southWest": {"lat": 32.0, "lng": 13.0},
                          "_northEast": {"lat": 33.0, "lng": 14.5}}, "zoom": 9}  # fmt: skip


def write_with_unplaced(path: Path) -> Path:
    """The example plus one incident with no place at all (no name, no point)."""
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    extra = dict(rows[2])
    extra.update(
        id=UNPLACED, title="A disappearance reported with no place", place="", admin1="",
        admin1_code="", latitude="", longitude="", location_precision="",
        location_method="", location_uncertainty_km="", verification="reported",
    )  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, extra])
    return path


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
    assert table.loc["tarhuna-ex-001", "Location"] == "District"  # as the public sees it
    assert any(c.value.startswith("9 in the map view") for c in at.caption)
    assert any("1 of them is not on the map" in c.value for c in at.caption)


def test_unticking_no_place_leaves_it_out(unplaced_db: str) -> None:
    at = _page()
    at.checkbox(key="f_unlocated").uncheck().run()
    assert UNPLACED not in _table(at).index


def test_a_picked_unplaced_row_opens_in_the_detail_panel(unplaced_db: str) -> None:
    at = _page()
    key = str(at.dataframe[0].key)
    row = list(_table(at).index).index(UNPLACED)
    at.session_state[key] = {"selection": {"rows": [row], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.session_state["_selected"] == UNPLACED
    assert any("A disappearance reported with no place" in m.value for m in at.markdown)
