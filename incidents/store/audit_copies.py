"""Audit chains a migration copied into a store (table audit_log_imported): made,
guarded, purged and checked here.

Why in the store: the copies hold every record's content as the old store's chain
wrote it, so a purge (lifecycle.py) must empty them as it empties the store's own
chain, in the same transaction; otherwise the content a legal request removed stays
readable in the copy. A copy is emptied as the own chain is (a text by its digest
marker, audit.purge_marker), so each copied chain still verifies: entries of hash
rule 2 check by their digests, and the purge entry in the store's own chain names
every emptied entry of rule 1 by its chain (origin) and seq.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from incidents.store import backend
from incidents.store.audit import (
    PURGE_ACTION,
    AuditEntry,
    follows_rule2,
    purge_marker,
    verify_chain,
)
from incidents.store.audit_guard import (
    COPY_FIXED,
    TRIGGER_MARK,
    postgres_append_only,
    sqlite_no_update,
)
from incidents.store.backend import Backend

TABLE = "audit_log_imported"
ENTRY = ("seq", "at", "actor", "action", "incident_id", "before", "after", "prev_hash", "hash")
_PAGE = 1000
_FUNCTION = f"{TABLE}_append_only"
# The key of a purge entry's detail that names what it emptied in copied chains.
DETAIL_KEY = "imported_chains"


def _sqlite(db: Backend) -> bool:
    return db.placeholder == "?"


def ensure_table(db: Backend) -> None:
    """The table for copied chains, in the store's own SQL dialect: rows are added,
    never changed, except by a purge."""
    if backend.has_table(db, TABLE):
        return
    db.execute(
        f"CREATE TABLE {TABLE} (origin TEXT NOT NULL, origin_label TEXT NOT NULL, "
        "seq BIGINT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, "
        "incident_id TEXT, before TEXT, after TEXT, prev_hash TEXT NOT NULL, "
        "hash TEXT NOT NULL, PRIMARY KEY (origin, seq))"
    )
    if _sqlite(db):
        db.execute(sqlite_no_update(TABLE, COPY_FIXED))
        db.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
        )
        db.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "description) VALUES (%s, 'attributes', %s, %s)",
            [TABLE, TABLE, "Audit chains copied verbatim from migrated stores"],
        )
        return
    db.execute(postgres_append_only(_FUNCTION, COPY_FIXED))
    refuse = f"EXECUTE FUNCTION {_FUNCTION}()"
    db.execute(
        f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW {refuse}"
    )
    db.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} {refuse}")


def _upgrade_guard(db: Backend) -> None:
    """A GeoPackage's copy made before purges existed refuses every update: its
    trigger becomes the one that lets a purge through. PostGIS copies already use
    audit_log_append_only(), which does."""
    if not _sqlite(db):
        return
    rows = db.fetch(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
        [f"{TABLE}_no_update"],
    )
    if rows and TRIGGER_MARK in rows[0]["sql"]:
        return
    db.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
    db.execute(sqlite_no_update(TABLE, COPY_FIXED))


def copies_of(db: Backend, incident_id: str) -> list[tuple[str, AuditEntry]]:
    """Every copied entry about one record but purge entries (which keep who purged
    it, when and why): (origin, entry), in chain order."""
    if not backend.has_table(db, TABLE):  # no chain was ever copied in
        return []
    rows = db.fetch(
        f"SELECT origin, {', '.join(ENTRY)} FROM {TABLE} "
        "WHERE incident_id = %s AND action <> %s ORDER BY origin, seq",
        [incident_id, PURGE_ACTION],
    )
    return [(r.pop("origin"), AuditEntry(**r)) for r in rows]


def scrub(db: Backend, copies: Sequence[tuple[str, AuditEntry]]) -> dict[str, dict[str, Any]]:
    """Each copied text replaced by its digest marker; per chain, how many entries
    were emptied and the seqs of those of rule 1 (the purge entry names them)."""
    if copies:
        _upgrade_guard(db)
    done: dict[str, dict[str, Any]] = {}
    for origin, e in copies:
        chain = done.setdefault(origin, {"entries": 0, "rule1_entries": []})
        chain["entries"] += 1
        if not follows_rule2(e):
            chain["rule1_entries"].append(e.seq)
        emptied = [purge_marker(e.before), purge_marker(e.after)]
        if emptied != [e.before, e.after]:
            db.execute(
                f"UPDATE {TABLE} SET before = %s, after = %s WHERE origin = %s AND seq = %s",
                [*emptied, origin, e.seq],
            )
    return done


def pinned(purges: Sequence[AuditEntry]) -> dict[str, set[tuple[int, str]]]:
    """origin -> (seq, record id) of the copied entries of rule 1 these purge entries
    (of the store's own chain) emptied."""
    out: dict[str, set[tuple[int, str]]] = {}
    for purge in purges:
        try:
            detail = json.loads(purge.after or "{}")
        except ValueError:
            continue
        chains = detail.get(DETAIL_KEY, {}) if isinstance(detail, dict) else {}
        for origin, chain in chains.items() if isinstance(chains, dict) else ():
            seqs = chain.get("rule1_entries", []) if isinstance(chain, dict) else []
            found = out.setdefault(origin, set())
            found.update((s, purge.incident_id) for s in seqs if type(s) is int)
    return out


def own_purges(db: Backend) -> list[AuditEntry]:
    rows = db.fetch("SELECT * FROM audit_log WHERE action = %s ORDER BY seq", [PURGE_ACTION])
    return [AuditEntry(**r) for r in rows]


def origins(db: Backend) -> dict[str, str]:
    """origin (the hash of a copied chain's first entry) -> its label."""
    if not backend.has_table(db, TABLE):
        return {}
    rows = db.fetch(f"SELECT DISTINCT origin, origin_label FROM {TABLE}")
    return {r["origin"]: r["origin_label"] for r in rows}


def chain(db: Backend, origin: str, after_seq: int = 0) -> Iterator[AuditEntry]:
    """One copied chain's entries after after_seq, in order, a page at a time."""
    seq = after_seq
    while True:
        rows = db.fetch(
            f"SELECT {', '.join(ENTRY)} FROM {TABLE} WHERE origin = %s AND seq > %s "
            f"ORDER BY seq LIMIT {_PAGE}",
            [origin, seq],
        )
        yield from (AuditEntry(**r) for r in rows)
        if len(rows) < _PAGE:
            return
        seq = rows[-1]["seq"]


def verify_copies(db: Backend) -> list[str]:
    """Problems in the copied chains, each checked on its own (purged entries of rule
    1 accepted where a purge entry of this store names them); empty when intact."""
    held = pinned(own_purges(db))
    problems: list[str] = []
    for origin, label in origins(db).items():
        found = verify_chain(chain(db, origin), held.get(origin, set()))
        problems += [f"{label}: {p}" for p in found]
    return problems
