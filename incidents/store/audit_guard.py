"""What the databases let change in the audit log: nothing, except a purge.

Why: the log is append-only (triggers in both stores); a purge (lifecycle.py) must
replace a record's before/after texts by their digest markers (audit.purge_marker)
and nothing else: not an entry's time, author, action, record, hashes, nor a text
by anything but a marker. The SQLite trigger and the PostgreSQL function say so
alike, for the store's own chain and for the chains a migration copied into it
(audit_copies.py); stores made before purges existed get them when opened (or, for
copied chains, at their first purge).
"""

from __future__ import annotations

import sqlite3

# What no change may touch; a copied chain also keeps which chain each entry is of.
FIXED = ("seq", "at", "actor", "action", "incident_id", "prev_hash", "hash")
COPY_FIXED = ("origin", "origin_label", *FIXED)

# The audit log takes no change but a purge's: the same entry, with its before/after
# texts replaced by their digest markers (audit.purge_marker); anything else aborts
# (COALESCE: a NULL written over a text makes the test NULL, which must abort too).
_PURGED = """(NEW.{0} IS OLD.{0} OR (NEW.{0} GLOB '{{"purged_sha256":"*"}}'
  AND length(NEW.{0}) = 84))"""


def sqlite_no_update(table: str, fixed: tuple[str, ...] = FIXED) -> str:
    """The SQLite trigger that lets only a purge's change through on table."""
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
        "WHEN NOT COALESCE(("
        + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in fixed)
        + f" AND {_PURGED.format('before')} AND {_PURGED.format('after')}"
        + "), 0) BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )


SQLITE_NO_UPDATE = sqlite_no_update("audit_log")
# In every trigger sqlite_no_update makes, and in none of the older refuse-all ones.
TRIGGER_MARK = "WHEN NOT COALESCE((NEW."


def upgrade_sqlite_guard(conn: sqlite3.Connection) -> None:
    """A store made before purges existed refuses every update of its audit log: its
    trigger is replaced by the one that lets a purge through (one transaction)."""
    found = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_update'"
    row = conn.execute(found).fetchone()
    if row is not None and TRIGGER_MARK in row[0]:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute(found).fetchone()
        if row is None or TRIGGER_MARK not in row[0]:
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            conn.execute(SQLITE_NO_UPDATE)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


# Refuses every change of an audit entry but a purge's: the same entry, its before/after
# texts replaced by their digest markers (audit.purge_marker).
_MARKER = r"""'^\{"purged_sha256":"[0-9a-f]{64}"\}$'"""


def postgres_append_only(function: str, fixed: tuple[str, ...] = FIXED) -> str:
    """The PostgreSQL trigger function that lets only a purge's change through."""
    return (
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' THEN IF "
        + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in fixed)
        + "".join(
            f" AND (NEW.{c} IS NOT DISTINCT FROM OLD.{c} OR NEW.{c} ~ {_MARKER})"
            for c in ("before", "after")
        )
        + " THEN RETURN NEW; END IF; END IF; "
        "RAISE EXCEPTION 'the audit log is append-only'; END $$"
    )


POSTGRES_APPEND_ONLY = postgres_append_only("audit_log_append_only")
