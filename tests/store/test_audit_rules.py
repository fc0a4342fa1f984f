"""Stores made before purges existed: their chain (hash rule 1, over the texts) still
verifies, they get the tombstone table and the purge-aware trigger when opened, and a
purge of a record written under rule 1 leaves a chain that verifies."""

from __future__ import annotations

import json
import sqlite3

import psycopg
import pytest

from incidents.store.audit import (
    AuditEntry,
    entry_hash,
    follows_rule2,
    now_utc,
    to_json,
    verify_chain,
)
from incidents.store.base import Store
from incidents.store.gpkg import GeoPackageStore
from incidents.store.postgis import PostGISStore
from incidents.store.writes import last_entry
from tests.conftest import ADMIN, EDITOR
from tests.store.test_store import incident

_OLD_SQLITE_TRIGGER = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)
_OLD_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$"
)


def _rule1_entry(prev: AuditEntry | None, actor: str, action: str, record_id: str,
                 before: str | None, after: str | None) -> AuditEntry:  # fmt: skip
    """An entry as the code before hash rule 2 wrote it."""
    seq = prev.seq + 1 if prev else 1
    prev_hash = prev.hash if prev else "0" * 64
    at = now_utc()
    digest = entry_hash(prev_hash, seq, at, actor, action, record_id, before, after)
    return AuditEntry(seq, at, actor, action, record_id, before, after, prev_hash, digest)


def _old_store(store: Store) -> Store:
    """The store as the previous version left it: rule-1 entries, no tombstone table,
    an audit log that refuses every update."""
    first, second = incident(1), incident(2, title="OLD-SECRET title")
    with store._backend() as db:  # type: ignore[attr-defined]
        last = last_entry(db)
        for record in (first, second):
            stored = record.replace(created_by="old", updated_by="old", version=1)
            db.insert_incident(stored)
            last = _rule1_entry(last, "old", "import:create", record.id, None,
                                to_json(record.content()))  # fmt: skip
            db.append_audit(last)
        edited = second.replace(description="OLD-SECRET description")
        db.update_incident(edited.replace(created_by="old", updated_by="old", version=2))
        texts = to_json(second.content()), to_json(edited.content())
        db.append_audit(_rule1_entry(last, "old", "edit:update", second.id, *texts))
        db.execute("DROP TABLE deleted_incidents")
        if isinstance(store, GeoPackageStore):
            db.execute("DROP TRIGGER audit_log_no_update")
            db.execute(_OLD_SQLITE_TRIGGER)
        else:
            db.execute(_OLD_PG_FUNCTION)
    if isinstance(store, GeoPackageStore):
        return GeoPackageStore(store.path)
    assert isinstance(store, PostGISStore)
    return PostGISStore(store.url, schema=store.schema)


def test_an_old_store_verifies_and_purges_after_opening(store):
    old = _old_store(store)
    entries = old.audit_log(ADMIN)
    assert not any(follows_rule2(e) for e in entries)  # truly rule 1
    assert old.verify_audit() == [] and old.verify_records().ok
    old.save(old.get("syn-1", EDITOR).replace(title="New rule"), EDITOR)
    assert follows_rule2(old.audit_log(ADMIN)[-1])
    old.delete("syn-1", 2, EDITOR, reason="test")
    old.restore("syn-1", EDITOR)
    old.purge("syn-2", ADMIN, "Legal request 7")
    log = old.audit_log(ADMIN)
    assert "OLD-SECRET" not in json.dumps([e.__dict__ for e in log])
    purge = log[-1]
    assert json.loads(purge.after or "")["rule1_entries"] == [2, 3]
    assert old.verify_audit() == []
    assert old.verify_records().ok


def test_a_purged_rule1_entry_no_purge_entry_names_is_reported(store):
    old = _old_store(store)
    old.purge("syn-2", ADMIN, "Legal request 7")
    log = old.audit_log(ADMIN)
    assert verify_chain(log[:-1]) == [
        f"entry {seq}: its content was changed after it was written (it is marked as "
        "purged, but no purge entry names it)"
        for seq in (2, 3)
    ]


def test_the_audit_log_still_refuses_any_change_but_a_purge(store):
    store.write_batch([incident(1)], EDITOR)
    forged = "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1"
    emptied = "UPDATE audit_log SET after = NULL WHERE seq = 1"
    for statement in (forged, emptied, "DELETE FROM audit_log WHERE seq = 1"):
        refused = pytest.raises((sqlite3.DatabaseError, psycopg.Error), match="append-only")
        with refused, store._backend() as db:  # type: ignore[attr-defined]
            db.execute(statement)
    assert store.verify_audit() == []


def test_rule2_covers_every_field(store):
    store.write_batch([incident(1)], EDITOR)
    (entry,) = store.audit_log(ADMIN)
    assert follows_rule2(entry)
    for change in ({"actor": "x"}, {"at": "2020"}, {"after": to_json({"title": "x"})}):
        assert not follows_rule2(AuditEntry(**{**entry.__dict__, **change}))


def test_an_altered_entry_shows_under_either_rule_purged_or_not(store):
    old = _old_store(store)
    old.save(old.get("syn-1", EDITOR).replace(title="New rule"), EDITOR)
    old.purge("syn-1", ADMIN, "Legal request 8")
    log = old.audit_log(ADMIN)
    assert verify_chain(log) == []
    by_rule = {"rule 1": log[2], "rule 2, purged": log[3], "purge entry": log[-1]}
    for what, entry in by_rule.items():
        forged = [AuditEntry(**{**e.__dict__, "actor": "x"}) if e == entry else e for e in log]
        problems = verify_chain(forged)
        assert problems[0].startswith(f"entry {entry.seq}: its content was changed"), what
