"""What changed in a store since a point of its audit log, read from the log itself.

Why: the column index (column_index.py) is read once per data version, about 10 s at
a million records; after an edit it only needs the records that changed. Every change
to a record is written with its audit entry in the same transaction (record_store.py):
"<action>:create", "<action>:update" or "delete", with the record's id (a "purge"
entry follows the delete of the record it empties, and changes nothing); events
(sign-ins, exports, import summaries, user changes) carry no id and change no record.
Anything else (the benchmark's bulk load, a migration, an unknown action, an entry
missing from the chain) means the changes cannot be told from the log: the answer is
then None, and the caller reads everything again.

Writers take turns (one SQLite writer; an advisory lock on PostGIS), so entries are
numbered in the order their transactions committed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from incidents.store.audit import is_purged
from incidents.store.reads import RecordReads

# Events that change no record (RecordStore.log_event callers); any other event
# without a record id, such as "bulk-load" or "migrate", makes the change set unknown.
_EVENTS = frozenset({"import", "export", "sign-in", "sign-out", "sign-in-failed"})
_EVENT_PREFIXES = ("users:", "evidence:", "duplicates:")  # "not the same" decisions
_CHUNK = 900


@dataclass(frozen=True)
class AuditMark:
    """The last audit entry at some moment (seq 0 and no hash: an empty log)."""

    seq: int
    hash: str


@dataclass(frozen=True)
class ChangeSet:
    """The records touched between two audit marks."""

    ids: tuple[str, ...]  # every record created, changed or deleted, first change first
    new: frozenset[str]  # those whose first change created them (not held before)
    deleted: frozenset[str] = frozenset()  # those deleted at least once (maybe made again)


def audit_mark(store: RecordReads) -> AuditMark:
    """The store's last audit entry now."""
    rows = store._fetch("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [])
    return AuditMark(int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else AuditMark(0, "")


def mark_holds(store: RecordReads, mark: AuditMark) -> bool:
    """The entry the mark names is still in the log, unchanged: the log was not
    replaced (a restored copy of the store, another store at the same address)."""
    if mark.seq == 0:
        return True
    rows = store._fetch("SELECT hash FROM audit_log WHERE seq = %s", [mark.seq])
    return bool(rows) and str(rows[0]["hash"]) == mark.hash


def changes_since(store: RecordReads, since: int, head: int, limit: int) -> ChangeSet | None:
    """Records changed by entries since < seq <= head, or None when that cannot be
    told from the log or more than limit records changed."""
    if head < since or head - since > 3 * limit + 100:  # more entries than worth reading
        return None
    rows = store._fetch(
        "SELECT seq, action, incident_id FROM audit_log WHERE seq > %s AND seq <= %s ORDER BY seq",
        [since, head],
    )
    if [int(r["seq"]) for r in rows] != list(range(since + 1, head + 1)):
        return None  # an entry is missing: the chain has a gap
    changes = _touched(rows)
    return changes if changes is not None and len(changes.ids) <= limit else None


def _touched(rows: list[dict[str, Any]]) -> ChangeSet | None:
    """The records these entries changed; None if one of them is not understood."""
    ids: dict[str, None] = {}
    new: set[str] = set()
    deleted: set[str] = set()
    for r in rows:
        action, record = str(r["action"]), str(r["incident_id"] or "")
        if action == "purge":  # the record left with the delete entry before it
            continue
        if not record:
            if action in _EVENTS or action.startswith(_EVENT_PREFIXES):
                continue
            return None
        if not (action.endswith((":create", ":update")) or action == "delete"):
            return None
        if record not in ids and action.endswith(":create"):
            new.add(record)
        if action == "delete":
            deleted.add(record)
        ids.setdefault(record)
    return ChangeSet(tuple(ids), frozenset(new), frozenset(deleted))


def past_contents(
    store: RecordReads, ids: Sequence[str], since: int, head: int
) -> dict[str, list[dict[str, Any]]]:
    """Every content these records had from the mark since to head: the 'before' of
    their first entry after since, then each entry's 'after' (what an index read while
    they changed could hold). A deleted record's last content is its delete's before."""
    found: dict[str, list[dict[str, Any]]] = {}
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        marks = ", ".join(["%s"] * len(part))
        rows = store._fetch(
            "SELECT incident_id, action, before, after FROM audit_log "
            f"WHERE seq > %s AND seq <= %s AND incident_id IN ({marks}) ORDER BY seq",
            [since, head, *part],
        )
        for r in rows:
            states = found.setdefault(str(r["incident_id"]), [])
            after = None if r["action"] in ("delete", "purge") else r["after"]  # a reason
            for text in ([r["before"]] if not states else []) + [after]:
                if text and not is_purged(text):  # a purged content is gone
                    states.append(json.loads(text))
    return found
