"""The detail panel: a merged incident lists every source record it came from, with
its data set, for staff; the public sees the incident, not the records merged into it.
A count the record gives only as a minimum reads "at least", never a question mark."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.access import Role, Viewer
from incidents.store import open_store
from incidents.store.merges import merge
from incidents.store.record_store import RecordStore

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
WHOLE_PAGE = "_whole_page"  # map_page.WHOLE: set when the map has reported its first draw


def _detail(selected: str) -> str:
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["sel"] = selected
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception
    return "\n".join(m.value for m in at.markdown)


def _merged(example_db: str, editor: Viewer) -> None:
    store = open_store(example_db)
    assert isinstance(store, RecordStore)
    second = store.get("tarhuna-ex-002", editor)
    assert second is not None
    store.save(second.replace(source_event_id="acled:LBY999"), editor)
    first = store.get("tarhuna-ex-001", editor)
    assert first is not None
    store.save(first.replace(source_event_id="partner:7"), editor)
    merge(store, "tarhuna-ex-001", "tarhuna-ex-002", editor)


def test_staff_see_every_source_record_of_a_merged_incident(
    example_db: str, as_editor: Viewer
) -> None:
    _merged(example_db, as_editor)
    shown = _detail("tarhuna-ex-001")
    assert "Merged from 2 source records" in shown
    assert "tarhuna-ex-001 (partner; kept)" in shown
    assert "tarhuna-ex-002 (acled; merged " in shown
    assert "Merged from" not in _detail("tarhuna-ex-003")  # not merged: nothing said


def test_the_public_does_not_see_the_records_merged_in(
    example_db: str, as_editor: Viewer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _merged(example_db, as_editor)
    from app_pages import common

    monkeypatch.setattr(common, "viewer", lambda: Viewer("visitor", Role.PUBLIC))
    shown = _detail("tarhuna-ex-001")
    assert "At least 11 mass graves" in shown
    assert "tarhuna-ex-002" not in shown


def test_a_kept_record_without_source_event_id_is_named_as_own_and_can_be_unmerged(
    example_db: str, as_editor: Viewer
) -> None:
    store = open_store(example_db)
    assert isinstance(store, RecordStore)
    second = store.get("tarhuna-ex-002", as_editor)
    assert second is not None
    store.save(second.replace(source_event_id="acled:LBY999"), as_editor)
    merge(store, "tarhuna-ex-001", "tarhuna-ex-002", as_editor)  # ex-001 has no event id
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["sel"] = "tarhuna-ex-001"
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    shown = "\n".join(m.value for m in at.markdown)
    assert "tarhuna-ex-001 (own records; kept)" in shown  # not the absorbed one's data set
    assert "tarhuna-ex-002 (acled; merged " in shown
    assert at.button(key="unmerge-ask-detail-tarhuna-ex-002").label.startswith("Unmerge")


def test_a_minimum_alone_reads_at_least(example_db):
    text = _detail("tarhuna-ex-004")  # disappeared_min 338, no best estimate or maximum
    line = next(t for t in text.splitlines() if "People disappeared" in t)
    assert "at least 338" in line and "?" not in line
