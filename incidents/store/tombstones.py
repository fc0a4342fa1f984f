"""Deleted records: a tombstone per record, so it can be listed and restored.

Why a table of its own: a deleted record leaves the incidents table, so every query,
count, summary, column index and export leaves it out without a filter anyone could
forget. Its content stays in the audit chain (the delete entry's 'before', covered
by the chain's hashes); the tombstone says where (audit_seq), who deleted it, when
and why, and keeps its id and source event id, so an import of the same rows finds
it and does not bring it back silently. A purge removes the tombstone too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from incidents.record import Incident
from incidents.store.audit import AuditEntry, chain_entry, is_purged, to_json
from incidents.store.backend import Backend
from incidents.store.base import DeletedRecord

TABLE = "deleted_incidents"
_CHUNK = 500


def ddl(integer: str) -> tuple[str, ...]:
    """The table, with integer the dialect's type for audit seqs (BIGINT on PostGIS;
    INTEGER in a GeoPackage, which GDAL reads without a warning)."""
    return (
        f"CREATE TABLE IF NOT EXISTS {TABLE} (id TEXT PRIMARY KEY, "
        "source_event_id TEXT NOT NULL DEFAULT '', title TEXT NOT NULL, "
        f"version INTEGER NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, "
        "deleted_at TEXT NOT NULL, deleted_by TEXT NOT NULL, reason TEXT NOT NULL, "
        f"audit_seq {integer} NOT NULL)",
        f"CREATE INDEX IF NOT EXISTS {TABLE}_source_event ON {TABLE} (source_event_id)",
    )


def bury(db: Backend, record: Incident, at: str, actor: str, reason: str, seq: int) -> None:
    """The tombstone of a record just deleted by audit entry seq."""
    db.execute(f"DELETE FROM {TABLE} WHERE id = %s", [record.id])
    db.execute(
        f"INSERT INTO {TABLE} (id, source_event_id, title, version, created_by, created_at, "
        "deleted_at, deleted_by, reason, audit_seq) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            record.id,
            record.source_event_id,
            record.title,
            record.version,
            record.created_by,
            record.created_at,
            at,
            actor,
            reason,
            seq,
        ],
    )


def tombstone(db: Backend, incident_id: str) -> dict[str, Any] | None:
    rows = db.fetch(f"SELECT * FROM {TABLE} WHERE id = %s", [incident_id])
    return rows[0] if rows else None


def buried_content(db: Backend, stone: dict[str, Any]) -> dict[str, Any] | None:
    """The content the record had when deleted (the delete entry's 'before'); None if
    that entry no longer holds it (purged)."""
    rows = db.fetch(
        "SELECT before FROM audit_log WHERE seq = %s AND incident_id = %s AND action = 'delete'",
        [stone["audit_seq"], stone["id"]],
    )
    text = rows[0]["before"] if rows else None
    if not text or is_purged(text):
        return None
    value = json.loads(text)
    return value if isinstance(value, dict) else None


def unbury(db: Backend, incident_id: str) -> None:
    db.execute(f"DELETE FROM {TABLE} WHERE id = %s", [incident_id])


def deleted_list(db: Backend) -> list[DeletedRecord]:
    rows = db.fetch(f"SELECT * FROM {TABLE} ORDER BY deleted_at DESC, audit_seq DESC")
    return [
        DeletedRecord(
            id=r["id"],
            title=r["title"],
            deleted_at=r["deleted_at"],
            deleted_by=r["deleted_by"],
            reason=r["reason"],
            version=int(r["version"]),
        )
        for r in rows
    ]


def deleted_keys(db: Backend, ids: Sequence[str], source_event_ids: Sequence[str]) -> set[str]:
    """Which of these ids and source event ids belong to deleted records."""
    found: set[str] = set()
    for column, values in (("id", ids), ("source_event_id", source_event_ids)):
        wanted = [v for v in dict.fromkeys(values) if v]
        for start in range(0, len(wanted), _CHUNK):
            part = wanted[start : start + _CHUNK]
            marks = ", ".join(["%s"] * len(part))
            sql = f"SELECT {column} AS key FROM {TABLE} WHERE {column} IN ({marks})"
            rows = db.fetch(sql, part)
            found.update(r["key"] for r in rows)
    return found


def deleted_among(db: Backend, incidents: Sequence[Incident]) -> set[str]:
    """Ids of the records among these that write_batch would leave deleted: a deleted
    record's id or source event id, and no record stored under that id."""
    dead = deleted_keys(db, [i.id for i in incidents], [i.source_event_id for i in incidents])
    hit = [i.id for i in incidents if i.id in dead or (i.source_event_id or None) in dead]
    stored: set[str] = set()
    for start in range(0, len(hit), _CHUNK):
        part = hit[start : start + _CHUNK]
        marks = ", ".join(["%s"] * len(part))
        rows = db.fetch(f"SELECT id FROM incidents WHERE id IN ({marks})", part)
        stored.update(r["id"] for r in rows)
    return set(hit) - stored


def carry(db: Backend, stone: dict[str, Any], content: str, actor: str, now: str) -> None:
    """A record deleted in another store, brought in by a migration still deleted: a
    create entry with its content and a delete entry in this store's chain (so it can
    be restored, and the record check finds it deleted, as the log says), and its
    tombstone as the other store had it (who deleted it, when, why, its version)."""
    rows = db.fetch("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
    last = AuditEntry(**rows[0]) if rows else None
    incident_id = stone["id"]
    made = chain_entry(last, now, actor, "migrate:create", incident_id, None, content)
    detail = {"reason": stone["reason"], "deleted_by": stone["deleted_by"],
              "deleted_at": stone["deleted_at"]}  # fmt: skip
    gone = chain_entry(made, now, actor, "delete", incident_id, content, to_json(detail))
    db.append_audits([made, gone])
    names = ", ".join(STONE_FIELDS)
    db.execute(
        f"INSERT INTO {TABLE} ({names}, audit_seq) VALUES ({', '.join(['%s'] * 10)})",
        [*(stone[name] for name in STONE_FIELDS), gone.seq],
    )


# A tombstone's own fields (all but audit_seq, which is of its store's chain).
STONE_FIELDS = (
    "id",
    "source_event_id",
    "title",
    "version",
    "created_by",
    "created_at",
    "deleted_at",
    "deleted_by",
    "reason",
)
