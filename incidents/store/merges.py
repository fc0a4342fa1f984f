"""Merging two records of one incident, undoing it, and remembering "not the same".

Why here, beside lifecycle.py and on its write paths (writes.py, tombstones.py): a
merge is an update of the kept record and a delete of the absorbed one, chained in
the audit log in one transaction, so the audit checks, the column index patches and
every count treat it as they treat any edit and delete. The absorbed record becomes
a tombstone whose reason names the kept record: it is counted nowhere, and its id
and source event id stay known, so re-importing its file does not bring it back.
The link (which record went into which, and the audit entries that did it) is kept
in a table of its own, so the merge can be undone (unmerge) and the kept record's
detail can list every source record it came from. Nothing here merges on its own:
the caller (an editor, or the command line for the same data set's same event id)
decides.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from incidents.access import Viewer
from incidents.record import Incident, Source, incident_from_content
from incidents.schema import CONFIDENTIAL_FIELDS
from incidents.store import tombstones
from incidents.store.audit import chain_entry, now_utc, to_json
from incidents.store.backend import Backend, has_table
from incidents.store.base import NotAllowed, NotFound, StaleEdit, StoreError
from incidents.store.columns import load_records
from incidents.store.record_store import RecordStore
from incidents.store.writes import (
    Pending,
    bump_version,
    flush,
    last_entry,
    require_editor,
    stale_message,
    write_one,
)
from incidents.translation import _

MERGES = "incident_merges"
DECISIONS = "duplicate_decisions"
NOT_SAME_ACTION = "duplicates:not-same"
Side = Literal["kept", "absorbed"]
_UNITED = ("sources", "tags", "perpetrators")
MERGE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {MERGES} (absorbed_id TEXT PRIMARY KEY, "
    "kept_id TEXT NOT NULL, absorbed_event_id TEXT NOT NULL DEFAULT '', "
    "merged_at TEXT NOT NULL, merged_by TEXT NOT NULL, "
    "merge_seq BIGINT NOT NULL, absorb_seq BIGINT NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS {MERGES}_kept ON {MERGES} (kept_id)",
    f"CREATE TABLE IF NOT EXISTS {DECISIONS} (id_a TEXT NOT NULL, id_b TEXT NOT NULL, "
    "decision TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL, "
    "PRIMARY KEY (id_a, id_b))",
)


@dataclass(frozen=True)
class MergeLink:
    """A record merged into another: what the kept record's detail lists."""

    absorbed_id: str
    kept_id: str
    absorbed_event_id: str
    merged_at: str
    merged_by: str


def ensure_tables(db: Backend) -> None:
    """The two tables, made on first use (stores made before merges lack them); left
    alone when they exist, so an app role that may not create tables still merges."""
    if has_table(db, MERGES) and has_table(db, DECISIONS):
        return
    for statement in MERGE_DDL:
        db.execute(statement)


def merged_record(kept: Incident, absorbed: Incident, choices: Mapping[str, Side]) -> Incident:
    """The kept record with the chosen fields of the absorbed one; sources, tags and
    perpetrators united; an empty field filled from the other; never less protected
    than either (restricted if either is, dates to the month if either's are, both
    records' confidential notes kept)."""
    unknown = set(choices) - set(kept.content())
    if unknown:
        raise StoreError(
            _("Unknown field(s) to choose: {fields}.").format(fields=", ".join(sorted(unknown)))
        )
    values: dict[str, Any] = {}
    for name in kept.content():
        other = getattr(absorbed, name)
        if choices.get(name) == "absorbed" or (_empty(getattr(kept, name)) and not _empty(other)):
            values[name] = other
        else:
            values[name] = getattr(kept, name)
    for name in _UNITED:
        values[name] = _united(getattr(kept, name), getattr(absorbed, name))
    for name in CONFIDENTIAL_FIELDS:
        mine, theirs = getattr(kept, name).strip(), getattr(absorbed, name).strip()
        values[name] = mine if not theirs or theirs in mine else "\n\n".join(
            t for t in (mine, theirs) if t
        )  # fmt: skip
    if "restricted" in (kept.sensitivity, absorbed.sensitivity):
        values["sensitivity"] = "restricted"
    values["public_date_to_month"] = kept.public_date_to_month or absorbed.public_date_to_month
    # Each record keeps its own source event id, so each is named by its own data set;
    # the absorbed one's stays known in the merge link and the tombstone.
    values["id"], values["source_event_id"] = kept.id, kept.source_event_id
    if values["date_end"] < values["date_start"]:
        raise StoreError(_("The chosen dates end before they start: choose both from one record."))
    return kept.replace(**values)


def _empty(value: object) -> bool:
    return value is None or value in ("", ())


def _united(first: tuple[Any, ...], second: tuple[Any, ...]) -> tuple[Any, ...]:
    seen: dict[Any, Any] = {}
    for item in (*first, *second):
        key = (item.url or item.label()).casefold() if isinstance(item, Source) else item
        seen.setdefault(key, item)
    return tuple(seen.values())


def merge(
    store: RecordStore,
    kept_id: str,
    absorbed_id: str,
    viewer: Viewer,
    choices: Mapping[str, Side] | None = None,
    versions: tuple[int, int] | None = None,
) -> Incident:
    """Merge absorbed into kept (one transaction): kept updated, absorbed a tombstone
    that names kept, the link stored. versions: what the editor saw; a record changed
    since is refused."""
    require_editor(viewer)
    if kept_id == absorbed_id:
        raise StoreError(_("A record cannot be merged with itself."))
    with store._backend() as db:
        ensure_tables(db)
        found = load_records(db, [kept_id, absorbed_id])
        kept, absorbed = _pair(found, kept_id, absorbed_id, versions)
        now = now_utc()
        pending = Pending(now)
        target = merged_record(kept, absorbed, choices or {})
        done, entry = write_one(target, kept, viewer, last_entry(db), "merge", pending)
        flush(db, pending)
        merge_seq = entry.seq if entry is not None and done.kind == "updated" else 0
        reason = f"merged into {kept_id}"
        after = to_json({"reason": reason, "merged_into": kept_id})
        gone = chain_entry(
            last_entry(db), now, viewer.name, "delete", absorbed_id,
            to_json(absorbed.content()), after,
        )  # fmt: skip
        db.delete_incident(absorbed_id)
        db.append_audit(gone)
        tombstones.bury(db, absorbed, now, viewer.name, reason, gone.seq)
        # a link left by an earlier merge of this record, undone by restoring it
        db.execute(f"DELETE FROM {MERGES} WHERE absorbed_id = %s", [absorbed_id])
        db.execute(
            f"INSERT INTO {MERGES} (absorbed_id, kept_id, absorbed_event_id, merged_at, "
            "merged_by, merge_seq, absorb_seq) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [absorbed_id, kept_id, absorbed.source_event_id, now, viewer.name, merge_seq, gone.seq],
        )
        bump_version(db)
        return load_records(db, [kept_id])[kept_id]


def _pair(
    found: dict[str, Incident], kept_id: str, absorbed_id: str, versions: tuple[int, int] | None
) -> tuple[Incident, Incident]:
    for incident_id in (kept_id, absorbed_id):
        if incident_id not in found:
            raise NotFound(_("Incident '{id}' does not exist.").format(id=incident_id))
    kept, absorbed = found[kept_id], found[absorbed_id]
    if versions is not None:
        for record, seen in zip((kept, absorbed), versions, strict=True):
            if record.version != seen:
                raise StaleEdit(stale_message(record), record)
    return kept, absorbed


def unmerge(store: RecordStore, absorbed_id: str, viewer: Viewer) -> tuple[Incident, Incident]:
    """Undo a merge: the absorbed record back as its next version, and each field of
    the kept record the merge changed back to what it was, unless edited since."""
    require_editor(viewer)
    with store._backend() as db:
        ensure_tables(db)
        rows = db.fetch(f"SELECT * FROM {MERGES} WHERE absorbed_id = %s", [absorbed_id])
        if not rows:
            raise NotFound(_("Incident '{id}' was not merged into another.").format(id=absorbed_id))
        link = rows[0]
        kept_id = str(link["kept_id"])
        kept = load_records(db, [kept_id]).get(kept_id)
        stone = tombstones.tombstone(db, absorbed_id)
        if kept is None or stone is None or load_records(db, [absorbed_id]):
            raise StoreError(
                _(
                    "The merge of '{absorbed}' into '{kept}' cannot be undone: one of the "
                    "records was deleted, restored or merged again since."
                ).format(absorbed=absorbed_id, kept=kept_id)
            )
        content = tombstones.buried_content(db, stone)
        if content is None:
            raise NotFound(
                _("Incident '{id}' was purged and cannot be brought back.").format(id=absorbed_id)
            )
        now = now_utc()
        back = incident_from_content(content).replace(
            created_by=stone["created_by"], created_at=stone["created_at"],
            updated_by=viewer.name, updated_at=now, version=int(stone["version"]) + 1,
        )  # fmt: skip
        entry = chain_entry(
            last_entry(db), now, viewer.name, "unmerge:create", absorbed_id, None,
            to_json(back.content()),
        )  # fmt: skip
        db.insert_incident(back)
        db.append_audit(entry)
        tombstones.unbury(db, absorbed_id)
        pending = Pending(now)
        undone = _before_merge(db, kept, int(link["merge_seq"]))
        write_one(undone, kept, viewer, entry, "unmerge", pending)
        flush(db, pending)
        db.execute(f"DELETE FROM {MERGES} WHERE absorbed_id = %s", [absorbed_id])
        bump_version(db)
        found = load_records(db, [kept_id, absorbed_id])
        return found[kept_id], found[absorbed_id]


def _before_merge(db: Backend, kept: Incident, merge_seq: int) -> Incident:
    """kept with every field the merge changed, and nobody changed since, as it was."""
    rows = db.fetch("SELECT before, after FROM audit_log WHERE seq = %s", [merge_seq])
    if not merge_seq or not rows or not rows[0]["before"] or not rows[0]["after"]:
        return kept  # the merge changed nothing in kept (or its entry was purged)
    before, after = json.loads(rows[0]["before"]), json.loads(rows[0]["after"])
    now = kept.content()
    undone = {k: before[k] for k, v in now.items() if k in before and after.get(k) == v}
    content = {**now, **undone}
    return incident_from_content(content).replace(version=kept.version)


def not_same(store: RecordStore, a: str, b: str, viewer: Viewer) -> None:
    """Remember that two records are different incidents (never proposed again), with
    who said so and when, in the decisions table and the audit log."""
    require_editor(viewer)
    first, second = sorted((a, b))
    with store._backend() as db:
        ensure_tables(db)
        if len(load_records(db, [first, second])) < 2 - (first == second):
            raise NotFound(_("One of the two records does not exist."))
        now = now_utc()
        db.execute(f"DELETE FROM {DECISIONS} WHERE id_a = %s AND id_b = %s", [first, second])
        db.execute(
            f"INSERT INTO {DECISIONS} (id_a, id_b, decision, decided_by, decided_at) "
            "VALUES (%s, %s, 'not_same', %s, %s)",
            [first, second, viewer.name, now],
        )
        detail = to_json({"records": [first, second]})
        db.append_audit(
            chain_entry(last_entry(db), now, viewer.name, NOT_SAME_ACTION, "", None, detail)
        )


def not_same_pairs(store: RecordStore) -> set[tuple[str, str]]:
    """Pairs (sorted ids) editors said are different incidents."""
    with store._backend() as db:
        ensure_tables(db)
        rows = db.fetch(f"SELECT id_a, id_b FROM {DECISIONS} WHERE decision = 'not_same'")
    return {(str(r["id_a"]), str(r["id_b"])) for r in rows}


def merge_links(store: RecordStore, viewer: Viewer, kept_id: str | None = None) -> list[MergeLink]:
    """Records merged into others (into kept_id only, when given), oldest first; none
    for a viewer who may not see restricted records, nor for anyone when the kept one is
    restricted and they may not see it. A merged record restored from the deleted list
    is a record again, not listed.

    Merges are staff's: the absorbed record may have been restricted (merging it made
    the kept one restricted; an editor may publish it again), and that it existed is
    not the public's to know. Tried as a red team would, a public export of such an
    incident said "1 source record merged" where the detail panel said nothing."""
    if not viewer.sees_restricted:
        return []
    with store._backend() as db:
        ensure_tables(db)
        where, params = ("WHERE kept_id = %s", [kept_id]) if kept_id else ("", [])
        rows = db.fetch(f"SELECT * FROM {MERGES} {where} ORDER BY merged_at, absorbed_id", params)
        kept = load_records(db, sorted({str(r["kept_id"]) for r in rows}))
        back = set(load_records(db, sorted({str(r["absorbed_id"]) for r in rows})))
    rows = [r for r in rows if str(r["absorbed_id"]) not in back]
    return [
        MergeLink(
            str(r["absorbed_id"]),
            str(r["kept_id"]),
            str(r["absorbed_event_id"]),
            str(r["merged_at"]),
            str(r["merged_by"]),
        )
        for r in rows
        if str(r["kept_id"]) in kept
    ]


def merged_into(store: RecordStore, ids: Sequence[str]) -> dict[str, str]:
    """For those of ids deleted by a merge (their tombstone is still the merge's: a
    record restored and deleted again is a deleted record), the record that holds their
    content now, a merge of the kept record into another followed to its end."""
    with store._backend() as db:
        ensure_tables(db)
        rows = db.fetch(
            f"SELECT m.absorbed_id, m.kept_id FROM {MERGES} m JOIN {tombstones.TABLE} t "
            "ON t.id = m.absorbed_id AND t.audit_seq = m.absorb_seq"
        )
    into = {str(r["absorbed_id"]): str(r["kept_id"]) for r in rows}
    out = {}
    for start in (i for i in dict.fromkeys(ids) if i in into):
        seen, kept = {start}, into[start]
        while kept in into and kept not in seen:
            seen.add(kept)
            kept = into[kept]
        out[start] = kept
    return out


def merged_keys(links: Sequence[MergeLink]) -> dict[str, list[str]]:
    """For each kept record, the ids and source event ids of the records merged into
    it: a row of either file then still finds it."""
    keys: dict[str, list[str]] = {}
    for link in links:
        keys.setdefault(link.kept_id, []).extend(
            k for k in (link.absorbed_event_id, link.absorbed_id) if k
        )
    return keys


def merged_incidents(store: RecordStore, viewer: Viewer) -> list[tuple[Incident, list[MergeLink]]]:
    """Each merged incident this viewer may see with the records merged into it, the
    latest merge first: what an editor reviews to undo one. A merge involving a
    restricted record made the kept one restricted, so merge_links and the store's own
    read keep it from anyone who may not see it."""
    links = merge_links(store, viewer)
    grouped: dict[str, list[MergeLink]] = {}
    for link in links:
        grouped.setdefault(link.kept_id, []).append(link)
    out: list[tuple[Incident, list[MergeLink]]] = []
    for kept_id, absorbed in grouped.items():
        kept = store.get(kept_id, viewer)
        if kept is not None:
            out.append((kept, absorbed))
    return sorted(out, key=lambda pair: max(x.merged_at for x in pair[1]), reverse=True)


def visible_records(store: RecordStore, viewer: Viewer) -> list[Incident]:
    """Every record this viewer may see, whole, for the duplicate search: restricted
    ones only for those who may see them; confidential fields blanked for others. (An
    import's look reads only its days' records, and only what it profiles:
    profile_reads.py.)"""
    if not viewer.sees_restricted:
        raise NotAllowed(_("Only staff can review duplicate records."))
    with store._read_backend() as db:
        ids = [str(r["id"]) for r in db.fetch("SELECT id FROM incidents ORDER BY id", [])]
        records = load_records(db, ids)
    out = [records[i] for i in ids]
    if not viewer.sees_confidential:
        out = [r.replace(**dict.fromkeys(CONFIDENTIAL_FIELDS, "")) for r in out]
    return out


def count_between(store: RecordStore, between: tuple[date, date]) -> int:
    """How many stored records come within that span: what the duplicate look at
    import would read, counted first so that it can be skipped when too many."""
    sql = "SELECT COUNT(*) AS n FROM incidents WHERE date_end >= %s AND date_start <= %s"
    with store._read_backend() as db:
        rows = db.fetch(sql, [between[0].isoformat(), between[1].isoformat()])
    return int(rows[0]["n"])


def rows_into_merged(store: RecordStore, rows: Sequence[Incident]) -> list[Incident]:
    """Rows of a file imported again, each row of a record that others were merged
    into taken in as a merge takes a record (merged_record): its empty fields filled,
    sources, tags and perpetrators united, the values the editor chose kept. Without
    this the row would overwrite the merged record with the file's own version, losing
    the other records' sources: a re-import of the files a merge came from must change
    nothing, and a row that brings a new source adds it. Other rows are left as read."""
    if not rows:
        return []
    ids = [r.id for r in rows]
    kept: dict[str, Incident] = {}
    with store._backend() as db:
        ensure_tables(db)
        merged = db.fetch(f"SELECT 1 FROM {MERGES} LIMIT 1")  # none: no lookup per 500 rows
        for start in range(0, len(ids) if merged else 0, 500):
            part = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(part))
            found = db.fetch(
                f"SELECT DISTINCT kept_id FROM {MERGES} m WHERE kept_id IN ({marks}) "
                "AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = m.absorbed_id)",
                part,
            )
            kept.update(load_records(db, [str(r["kept_id"]) for r in found]))
    return [merged_record(kept[r.id], r, {}) if r.id in kept else r for r in rows]
