"""What the databases let change in the audit log: nothing, except a purge.

Why: the log is append-only (triggers in both stores); a purge (lifecycle.py) must
replace a record's before/after texts by their digest markers (audit.purge_marker)
and nothing else: not an entry's time, author, action, record, hashes, nor a text
by anything but a marker. The SQLite trigger and the PostgreSQL function say so
alike; stores made before purges existed get them when opened.
"""

from __future__ import annotations

import sqlite3

# The audit log takes no change but a purge's: the same entry, with its before/after
# texts replaced by their digest markers (audit.purge_marker); anything else aborts
# (COALESCE: a NULL written over a text makes the test NULL, which must abort too).
_PURGED = """(NEW.{0} IS OLD.{0} OR (NEW.{0} GLOB '{{"purged_sha256":"*"}}'
  AND length(NEW.{0}) = 84))"""
SQLITE_NO_UPDATE = (
    "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log "
    "WHEN NOT COALESCE(("
    + " AND ".join(
        f"NEW.{c} IS OLD.{c}"
        for c in ("seq", "at", "actor", "action", "incident_id", "prev_hash", "hash")
    )
    + f" AND {_PURGED.format('before')} AND {_PURGED.format('after')}"
    + "), 0) BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
)


_TRIGGER_MARK = "WHEN NOT COALESCE((NEW.seq"


def upgrade_sqlite_guard(conn: sqlite3.Connection) -> None:
    """A store made before purges existed refuses every update of its audit log: its
    trigger is replaced by the one that lets a purge through (one transaction)."""
    found = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_update'"
    row = conn.execute(found).fetchone()
    if row is not None and _TRIGGER_MARK in row[0]:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(found).fetchone()
        if row is None or _TRIGGER_MARK not in row[0]:
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            conn.execute(SQLITE_NO_UPDATE)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# Refuses every change of an audit entry but a purge's: the same entry, its before/after
# texts replaced by their digest markers (audit.purge_marker).
_MARKER = r"""'^\{"purged_sha256":"[0-9a-f]{64}"\}$'"""
POSTGRES_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'UPDATE' THEN IF "
    + " AND ".join(
        f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}"
        for c in ("seq", "at", "actor", "action", "incident_id", "prev_hash", "hash")
    )
    + "".join(
        f" AND (NEW.{c} IS NOT DISTINCT FROM OLD.{c} OR NEW.{c} ~ {_MARKER})"
        for c in ("before", "after")
    )
    + " THEN RETURN NEW; END IF; END IF; "
    "RAISE EXCEPTION 'the audit log is append-only'; END $$"
)
