"""delete, restore, revert, purge, history and deleted from the command line: a real
process on a real GeoPackage, exit codes, sentences and no tracebacks; `audit verify`
still holds after each."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.conftest import EXAMPLE
from tests.core.test_cli import run, succeeds

RECORD = "tarhuna-ex-002"


def _intact(db: Path) -> None:
    assert "Audit log intact" in succeeds("audit", "verify", db=db)


def _count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM incidents").fetchone()
    conn.close()
    return int(n)


def test_delete_list_restore_revert_and_history(tmp_path):
    db = tmp_path / "s.gpkg"
    succeeds("import", str(EXAMPLE), db=db)
    before = _count(db)
    said = succeeds("delete", RECORD, "--reason", "duplicate entry", "--as", "amina", db=db)
    assert f"Deleted incident {RECORD}" in said and _count(db) == before - 1
    listed = succeeds("deleted", db=db)
    assert RECORD in listed and "amina" in listed and "reason: duplicate entry" in listed
    _intact(db)
    restored = succeeds("restore", RECORD, db=db)
    assert "as version 2" in restored and _count(db) == before
    assert succeeds("deleted", db=db).strip() == "No deleted records."
    reverted = succeeds("revert", RECORD, "--to-version", "1", db=db)
    assert "already reads as version 1" in reverted  # restored as it was
    history = succeeds("history", RECORD, db=db).splitlines()
    assert [line.split("  ")[2] for line in history] == [
        "Imported",
        "Deleted — reason: duplicate entry",
        "Restored",
    ]
    _intact(db)


def test_refusals_are_one_sentence_and_exit_2(tmp_path):
    db = tmp_path / "s.gpkg"
    succeeds("import", str(EXAMPLE), db=db)
    for args in (
        ("delete", "no-such-id", "--reason", "x"),
        ("restore", RECORD),
        ("revert", RECORD, "--to-version", "7"),
        ("purge", "no-such-id", "--reason", "court order"),
        ("history", "no-such-id"),
    ):
        result = run(*args, db=db)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        assert (result.stderr or result.stdout).count("\n") == 1, result.stderr
    missing = run("delete", RECORD, db=db)  # --reason is required
    assert missing.returncode == 2 and "--reason" in missing.stderr


def test_purge_leaves_only_who_when_and_why(tmp_path):
    db = tmp_path / "s.gpkg"
    succeeds("import", str(EXAMPLE), db=db)
    with sqlite3.connect(db) as conn:
        (title,) = conn.execute("SELECT title FROM incidents WHERE id = ?", [RECORD]).fetchone()
    conn.close()
    said = succeeds("purge", RECORD, "--reason", "Court order 4/2026", "--as", "admin-1", db=db)
    assert "Purged incident" in said
    assert title.encode() not in db.read_bytes()
    history = succeeds("history", RECORD, db=db)
    assert "Purged" in history and "admin-1" in history and title not in history
    _intact(db)
