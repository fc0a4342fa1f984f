"""The record commands on a migrated store, in real processes: a purge empties the
copied chains too and `audit verify` still holds; a record deleted before the
migration is listed and restored in the copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from incidents.migrate import IMPORTED
from tests.conftest import EXAMPLE
from tests.core.test_cli import succeeds

RECORD = "tarhuna-ex-002"
GONE = "tarhuna-ex-003"


def _migrated(tmp_path: Path) -> tuple[Path, str]:
    """A store with the example (one record deleted), copied to another: the copy, and
    the purged record's title."""
    source, copy = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    succeeds("import", str(EXAMPLE), db=source)
    succeeds("delete", GONE, "--reason", "duplicate entry", "--as", "amina", db=source)
    succeeds("migrate", "--to", str(copy), "--as", "admin-1", db=source)
    with sqlite3.connect(copy) as conn:
        (title,) = conn.execute("SELECT title FROM incidents WHERE id = ?", [RECORD]).fetchone()
        copied = conn.execute(f"SELECT COUNT(*) FROM {IMPORTED} WHERE after LIKE ?", [f"%{title}%"])
        assert copied.fetchone()[0] >= 1
    conn.close()
    return copy, str(title)


def test_a_purge_in_a_migrated_store_leaves_no_copy_of_the_content(tmp_path: Path) -> None:
    copy, title = _migrated(tmp_path)
    said = succeeds("purge", RECORD, "--reason", "Court order 4/2026", "--as", "admin-1", db=copy)
    assert "copied in by a migration too" in said
    assert title.encode() not in copy.read_bytes()
    assert "Audit log intact" in succeeds("audit", "verify", db=copy)
    history = succeeds("history", RECORD, db=copy)
    assert "Purged" in history and title not in history


def test_a_record_deleted_before_the_migration_is_restored_in_the_copy(tmp_path: Path) -> None:
    copy, _ = _migrated(tmp_path)
    listed = succeeds("deleted", db=copy)
    assert GONE in listed and "amina" in listed and "duplicate entry" in listed
    assert f"Restored incident {GONE}" in succeeds("restore", GONE, db=copy)
    assert "Audit log intact" in succeeds("audit", "verify", db=copy)
