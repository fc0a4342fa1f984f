"""A purge also empties the audit chains a migration copied into the store (table
audit_log_imported), on both stores as targets; every chain still verifies, and the
purge entry says what it emptied in them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import psycopg
import pytest

from incidents.migrate import IMPORTED, migrate
from incidents.store.audit_copies import DETAIL_KEY, verify_copies
from incidents.store.base import Store
from incidents.store.gpkg import GeoPackageStore
from tests.conftest import ADMIN, EDITOR
from tests.store.test_audit_rules import _old_store
from tests.store.test_store import incident


def _copied_texts(store: Store) -> str:
    with store._read_backend() as db:  # type: ignore[attr-defined]
        rows = db.fetch(f"SELECT * FROM {IMPORTED} ORDER BY origin, seq")
    return json.dumps(rows, ensure_ascii=False)


def _copies_verify(store: Store) -> list[str]:
    with store._read_backend() as db:  # type: ignore[attr-defined]
        return verify_copies(db)


def _source(path: Path) -> GeoPackageStore:
    source = GeoPackageStore(path)
    source.write_batch([incident(i) for i in range(1, 4)], EDITOR)
    secret = incident(2, title="PURGE-ME title", confidential_notes="PURGE-ME notes")
    source.save(secret.replace(version=1), EDITOR)
    source.delete("syn-3", 1, EDITOR, reason="duplicate")
    return source


def test_a_purge_empties_the_migrated_copies_of_the_chain(store: Store, tmp_path: Path) -> None:
    source = _source(tmp_path / "source.gpkg")
    assert migrate(source, store, ADMIN).ok
    assert "PURGE-ME" in _copied_texts(store)
    store.purge("syn-2", ADMIN, "Court order 12/2026")
    assert "PURGE-ME" not in _copied_texts(store)
    assert "PURGE-ME" not in json.dumps([e.__dict__ for e in store.audit_log(ADMIN)])
    if isinstance(store, GeoPackageStore):  # nor in the file's free space
        assert b"PURGE-ME" not in store.path.read_bytes()
    assert store.verify_audit() == [] and store.verify_records().ok
    assert _copies_verify(store) == []
    purge = store.audit_log(ADMIN)[-1]
    detail = json.loads(purge.after or "")
    (origin,) = detail[DETAIL_KEY]
    assert origin == source.audit_log(ADMIN)[0].hash
    assert detail[DETAIL_KEY][origin] == {"entries": 2, "rule1_entries": []}
    assert detail["reason"] == "Court order 12/2026"
    # The other records' copied history is untouched.
    assert "Synthetic incident 1" in _copied_texts(store)


def test_a_record_purged_before_migrating_arrives_purged(store: Store, tmp_path: Path) -> None:
    source = _source(tmp_path / "source.gpkg")
    source.purge("syn-2", ADMIN, "Court order 12/2026")
    assert migrate(source, store, ADMIN).ok
    assert "PURGE-ME" not in _copied_texts(store)  # the source's purge travelled along
    assert _copies_verify(store) == []


def test_rule1_entries_emptied_in_a_copy_are_named_and_the_copy_verifies(
    tmp_path: Path, store: Store
) -> None:
    old = _old_store(GeoPackageStore(tmp_path / "old.gpkg"))
    assert migrate(old, store, ADMIN).ok
    store.purge("syn-2", ADMIN, "Legal request 7")
    assert "OLD-SECRET" not in _copied_texts(store)
    detail = json.loads(store.audit_log(ADMIN)[-1].after or "")
    (chain,) = detail[DETAIL_KEY].values()
    assert chain == {"entries": 2, "rule1_entries": [2, 3]}
    assert _copies_verify(store) == []


def test_a_copy_emptied_outside_a_purge_is_reported(tmp_path: Path) -> None:
    old = _old_store(GeoPackageStore(tmp_path / "old.gpkg"))
    target = GeoPackageStore(tmp_path / "target.gpkg")
    assert migrate(old, target, ADMIN).ok
    target.purge("syn-2", ADMIN, "Legal request 7")
    with sqlite3.connect(target.path) as conn:  # syn-1's rule-1 entry, emptied by hand
        text = conn.execute(f"SELECT after FROM {IMPORTED} WHERE seq = 1").fetchone()[0]
        marker = json.dumps({"purged_sha256": "0" * 64}, separators=(",", ":"))
        conn.execute(f"UPDATE {IMPORTED} SET after = ? WHERE seq = 1", [marker])
    conn.close()
    assert text and _copies_verify(target) == [
        f"audit log of {tmp_path / 'old.gpkg'}: entry 1: its content was changed after it "
        "was written (it is marked as purged, but no purge entry names it)"
    ]


def test_a_copied_chain_still_refuses_any_change_but_a_purge(store: Store, tmp_path: Path) -> None:
    assert migrate(_source(tmp_path / "source.gpkg"), store, ADMIN).ok
    statements = (
        f"UPDATE {IMPORTED} SET actor = 'someone else' WHERE seq = 1",
        f"UPDATE {IMPORTED} SET origin = 'elsewhere' WHERE seq = 1",
        f"UPDATE {IMPORTED} SET after = NULL WHERE seq = 1",
        f"DELETE FROM {IMPORTED} WHERE seq = 1",
    )
    for statement in statements:
        refused = pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only")
        with refused, store._backend() as db:  # type: ignore[attr-defined]
            db.execute(statement)
    assert _copies_verify(store) == []
