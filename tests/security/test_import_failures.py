"""Errors nobody foresaw: one sentence for the person, the trace in the server's log.

The failure is real: a store whose incidents table refuses every insert (an SQLite
trigger, as a damaged or tampered file might have). The command line, the import
page and the export panel must each show one sentence with a reference, and the
trace must be in the log under that reference, never on the screen.
"""

from __future__ import annotations

import html
import logging
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.query import Query
from incidents.store.gpkg import GeoPackageStore
from tests.app.conftest import point_app_at
from tests.conftest import EDITOR, ROOT

CSV = b"type,title,date_start,country\nkilling,t,2020-01-01,LY\n"
REFERENCE = re.compile(r"reference ([0-9a-f]{8})\)$")


def refusing_store(tmp_path: Path) -> Path:
    path = tmp_path / "refusing.gpkg"
    GeoPackageStore(path)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TRIGGER no_insert BEFORE INSERT ON incidents "
            "BEGIN SELECT RAISE(ABORT, 'secret internal detail'); END"
        )
    return path


def test_an_unforeseen_error_is_one_sentence_and_a_logged_trace(tmp_path, caplog):
    store = GeoPackageStore(refusing_store(tmp_path))
    with caplog.at_level(logging.ERROR, logger="incidents"), pytest.raises(ImportFailed) as failed:
        import_file(Path("a.csv"), store, EDITOR, data=CSV, name="a.csv")
    message = str(failed.value)
    assert message.startswith("The import of a.csv did not complete: an unexpected error")
    assert "secret internal detail" not in message and "\n" not in message
    found = REFERENCE.search(message)
    assert found is not None
    (logged,) = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert logged.exc_info is not None and "secret internal detail" in str(logged.exc_info[1])
    assert store.query(Query(), EDITOR).empty and store.verify_audit() == []  # all or nothing


def test_the_command_line_prints_a_sentence_and_logs_the_trace(tmp_path):
    db, upload, log = refusing_store(tmp_path), tmp_path / "a.csv", tmp_path / "errors.log"
    upload.write_bytes(CSV)
    env = {**os.environ, "INCIDENTS_LOG": str(log)}
    command = [sys.executable, "-m", "incidents", "--db", str(db), "import", str(upload)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("Could not import: The import of a.csv did not complete")
    found = REFERENCE.search(lines[0])
    assert found is not None
    logged = log.read_text(encoding="utf-8")
    assert found.group(1) in logged and "Traceback" in logged and "secret internal detail" in logged


def test_the_import_page_shows_a_sentence_never_a_traceback(tmp_path, monkeypatch, caplog):
    from app_pages import common

    point_app_at(str(refusing_store(tmp_path)), tmp_path, monkeypatch)
    monkeypatch.setattr(common, "viewer", lambda: EDITOR)
    at = AppTest.from_file(str(ROOT / "app_pages" / "import_page.py"), default_timeout=60)
    at.run()
    at.file_uploader[0].set_value(("a.csv", CSV, "text/csv")).run()
    with caplog.at_level(logging.ERROR, logger="incidents"):
        at.button[0].click().run()
    assert not at.exception
    (error,) = [html.unescape(e.value.replace("\\", "")) for e in at.error]  # as read
    assert error.startswith("Nothing was imported: The import of a.csv did not complete")
    assert "secret internal detail" not in error and "Traceback" not in error
    assert any(r.exc_info for r in caplog.records)


def test_a_failed_export_logs_the_trace_and_keeps_a_sentence(tmp_path, caplog):
    from app_pages.export_panel import ExportFailed, _maker
    from incidents.export.service import ExportRequest

    store = GeoPackageStore(tmp_path / "empty.gpkg")
    failed: dict[str, str] = {}
    make = _maker(store, EDITOR, Query(), ExportRequest(fmt="tiff"), failed)
    with caplog.at_level(logging.ERROR, logger="incidents"), pytest.raises(ExportFailed) as error:
        make()
    assert str(error.value) == failed["message"]
    assert failed["message"].startswith("The tiff export did not complete")
    assert "Traceback" not in failed["message"] and any(r.exc_info for r in caplog.records)


def test_a_failed_export_is_said_in_the_reader_s_language(tmp_path):
    """The sentence began "The Image (PNG) export" on an Arabic page (read in the code
    by an Arabic-speaking tester); the server's log keeps the English words. The file
    is made on a server thread, where the page's language is not set: the request's is."""
    import threading

    from app_pages.export_panel import ExportFailed, _maker
    from incidents import translation
    from incidents.export.service import ExportRequest

    store = GeoPackageStore(tmp_path / "empty.gpkg")
    failed: dict[str, str] = {}
    make = _maker(store, EDITOR, Query(), ExportRequest(fmt="tiff", lang="ar"), failed)

    def download() -> None:  # as Streamlit's deferred file handler runs it
        with pytest.raises(ExportFailed):
            make()

    thread = threading.Thread(target=download)
    thread.start()
    thread.join()
    translation.set_language("ar")
    try:
        said = translation._("The {file} export").format(file="tiff")
    finally:
        translation.set_language("en")
    assert failed["message"].startswith(said) and "export" not in failed["message"]
