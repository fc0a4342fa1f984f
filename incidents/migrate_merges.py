"""Merges and "not the same" decisions in a migration (migrate.py): the merged incident
is still one incident with both source records, a merge can still be undone in the
target, and a pair an editor said are different is still never proposed.

Why a step of its own: the links (incident_merges) and the decisions
(duplicate_decisions, store/merges.py) are tables beside the records, so copying the
records and the deleted ones (migrate_tombstones.py) leaves them behind. Without the
links the kept record's detail no longer lists the records merged into it, and the
merge cannot be undone; without the decisions the search proposes again every pair
someone already said are different.

A link points into its store's own audit chain: to the entry that changed the kept
record (merge_seq, whose before and after say which fields the merge changed, what
unmerge reads) and to the absorbed record's delete entry (absorb_seq). Neither seq
means anything in the target's chain, so the link is rewritten to point into it:
absorb_seq to the delete entry the tombstone step wrote for the absorbed record, and
merge_seq to an entry this step appends ("migrate:merge", the merge entry's before
and after verbatim). That entry changes no record (the record check and the version
count skip it; the kept record arrived already merged), and the source's own entries
reach the target verbatim with the copied chain (audit_log_imported). A decision is
copied as it is (who decided, when). A run repeated after an interruption adds only
what the target lacks.
"""

from __future__ import annotations

from typing import Any

from incidents.access import Viewer
from incidents.store import tombstones
from incidents.store.audit import chain_entry, is_purged, now_utc, to_json
from incidents.store.backend import Backend
from incidents.store.merges import DECISIONS, MERGES, ensure_tables
from incidents.store.record_store import RecordStore
from incidents.store.writes import bump_version, last_entry

CARRIED = "migrate:merge"
SUMMARY = "migrate:merges"
_LINK = ("absorbed_id", "kept_id", "absorbed_event_id", "merged_at", "merged_by")
_DECISION = ("id_a", "id_b", "decision", "decided_by", "decided_at")
_Change = tuple[str, str] | None  # a merge entry's (before, after); None: it holds none


def copy_merges(src: RecordStore, dst: RecordStore, viewer: Viewer) -> int:
    """Bring every merge link and decision of src into dst (those dst holds already
    from an earlier run are left); how many links and decisions src holds. Run after
    the deleted records are copied: a link points to its absorbed record's tombstone."""
    links, decisions = _links(src), _decisions(src)
    with dst._backend() as db:
        ensure_tables(db)
        held = {str(r["absorbed_id"]) for r in db.fetch(f"SELECT absorbed_id FROM {MERGES}")}
        decided = {_pair(r) for r in db.fetch(f"SELECT id_a, id_b FROM {DECISIONS}")}
        now = now_utc()
        added = [(link, change) for link, change in links if str(link["absorbed_id"]) not in held]
        for link, change in added:
            _insert_link(db, link, _carry(db, link, change, viewer.name, now))
        fresh = [d for d in decisions if _pair(d) not in decided]
        for decision in fresh:
            names = ", ".join(_DECISION)
            db.execute(
                f"INSERT INTO {DECISIONS} ({names}) VALUES ({', '.join(['%s'] * len(_DECISION))})",
                [decision[name] for name in _DECISION],
            )
        if added or fresh:
            detail = {
                "merges": [[link["absorbed_id"], link["kept_id"]] for link, _ in added],
                "not_same": [list(_pair(d)) for d in fresh],
            }
            db.append_audit(
                chain_entry(last_entry(db), now, viewer.name, SUMMARY, "", None, to_json(detail))
            )
            bump_version(db)
    return len(links) + len(decisions)


def merge_problems(src: RecordStore, dst: RecordStore) -> list[str]:
    """Merge links and decisions that did not arrive as the source has them (or whose
    undo would not work in the target); empty when all did."""
    mine, theirs = dict(_keyed(src)), dict(_keyed(dst))
    problems: list[str] = []
    for absorbed_id, (link, change) in mine.items():
        other = theirs.get(absorbed_id)
        if other is None:
            problems.append(f"merge of {absorbed_id}: missing in the target")
        elif any(other[0][name] != link[name] for name in _LINK) or other[1] != change:
            problems.append(f"merge of {absorbed_id}: differs in the target")
        elif not _points_to_tombstone(dst, other[0]):
            problems.append(
                f"merge of {absorbed_id}: the target's link does not point to the "
                "deleted record's delete entry"
            )
    problems += [
        f"merge of {absorbed_id}: in the target, not in the source"
        for absorbed_id in sorted(set(theirs) - set(mine))
    ]
    ours = {_pair(d): d for d in _decisions(src)}
    others = {_pair(d): d for d in _decisions(dst)}
    for pair, decision in ours.items():
        copied = others.get(pair)
        if copied is None or any(copied[name] != decision[name] for name in _DECISION):
            problems.append(f"decision on {pair[0]} and {pair[1]}: missing or different")
    problems += [
        f"decision on {a} and {b}: in the target, not in the source"
        for a, b in sorted(set(others) - set(ours))
    ]
    return problems


# --- reading -------------------------------------------------------------------


def _links(store: RecordStore) -> list[tuple[dict[str, Any], _Change]]:
    """Every merge link, oldest first, with its merge entry's before and after."""
    with store._backend() as db:
        ensure_tables(db)
        rows = db.fetch(f"SELECT * FROM {MERGES} ORDER BY merged_at, absorbed_id")
        return [(r, _change(db, int(r["merge_seq"]))) for r in rows]


def _keyed(store: RecordStore) -> list[tuple[str, tuple[dict[str, Any], _Change]]]:
    return [(str(link["absorbed_id"]), (link, change)) for link, change in _links(store)]


def _change(db: Backend, merge_seq: int) -> _Change:
    """What the merge entry says the kept record was before and after; None when
    the merge changed nothing (seq 0) or a purge emptied the entry."""
    if not merge_seq:
        return None
    rows = db.fetch("SELECT before, after FROM audit_log WHERE seq = %s", [merge_seq])
    if not rows:
        return None
    before, after = rows[0]["before"], rows[0]["after"]
    if not before or not after or is_purged(before) or is_purged(after):
        return None
    return str(before), str(after)


def _decisions(store: RecordStore) -> list[dict[str, Any]]:
    with store._backend() as db:
        ensure_tables(db)
        return db.fetch(f"SELECT * FROM {DECISIONS} ORDER BY decided_at, id_a, id_b")


def _pair(row: dict[str, Any]) -> tuple[str, str]:
    return str(row["id_a"]), str(row["id_b"])


def _points_to_tombstone(store: RecordStore, link: dict[str, Any]) -> bool:
    """The link's absorb_seq is its deleted record's delete entry (0 when the absorbed
    record is no longer deleted: restored, or purged, in the source)."""
    with store._read_backend() as db:
        stone = tombstones.tombstone(db, str(link["absorbed_id"]))
    return int(link["absorb_seq"]) == (int(stone["audit_seq"]) if stone else 0)


# --- writing -------------------------------------------------------------------


def _carry(db: Backend, link: dict[str, Any], change: _Change, actor: str, now: str) -> int:
    """The target's own entry holding the merge's before and after (0 if none)."""
    if change is None:
        return 0
    entry = chain_entry(last_entry(db), now, actor, CARRIED, str(link["kept_id"]), *change)
    db.append_audit(entry)
    return entry.seq


def _insert_link(db: Backend, link: dict[str, Any], merge_seq: int) -> None:
    stone = tombstones.tombstone(db, str(link["absorbed_id"]))
    absorb_seq = int(stone["audit_seq"]) if stone else 0
    names = ", ".join(_LINK)
    db.execute(
        f"INSERT INTO {MERGES} ({names}, merge_seq, absorb_seq) "
        f"VALUES ({', '.join(['%s'] * (len(_LINK) + 2))})",
        [*(link[name] for name in _LINK), merge_seq, absorb_seq],
    )
