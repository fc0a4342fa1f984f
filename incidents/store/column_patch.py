"""Bringing a column index up to date from the records changed since it was read.

Why: reading the index again after every edit costs 7-11 s at a million records; the
audit log (changes.py) says which records changed since the index's audit entry, and
reading only those takes a fraction of a second. A patched index is exactly what a
full read would give: the same records in the same order (date, then fid), the same
codes and labels, the same coarsening (the changed rows go through column_load's
_compact like any others). When the changes cannot be told, are too many, or the
counts do not add up, there is no patch (None) and the caller reads everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from incidents.access import Viewer, Visibility
from incidents.store.changes import AuditMark, ChangeSet, changes_since, mark_holds, past_contents
from incidents.store.column_index import _CODED, ColumnIndex, IndexMeta, _plain_arrays
from incidents.store.reads import RecordReads

SHARE = 0.03  # more records changed than this share of the store: read everything
LEAST = 500  # ... but a small store is always allowed this many
_CANDIDATES = 200_000  # records to look through for deleted ones, at most
_CHUNK = 900
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Patch:
    """What to take out of an index (by fid) and which records to read into it."""

    remove: np.ndarray
    read: list[int]  # fids of changed records that exist now (visible or not)
    records: int  # the store's record count after the changes


def plan_patch(
    store: RecordReads, viewer: Viewer, old: ColumnIndex, identity: str, mark: AuditMark
) -> Patch | None:
    """How to bring old (read at an earlier audit entry) up to the entry mark, or None
    when it must be read again: another store, viewer kind or public rules, a log
    that was replaced or has a gap, unknown writes, too many changes."""
    meta = old.meta
    if meta.identity != identity or meta.audit_seq < 0 or meta.records < 0:
        return None
    if meta.audit_seq > mark.seq or not mark_holds(
        store, AuditMark(meta.audit_seq, meta.audit_hash)
    ):
        return None
    limit = max(LEAST, int(SHARE * meta.records))
    changes = changes_since(store, meta.audit_seq, mark.seq, limit)
    if changes is None:
        return None
    held = _fids_of(store, changes.ids)
    gone = _gone(store, viewer, old, changes, held, mark.seq)
    if gone is None:
        return None
    records = _count(store)
    if records != meta.records + len(held) - (len(changes.ids) - len(changes.new)):
        return None  # records came or went without an audit entry
    remove = np.asarray([*held.values(), *gone], dtype=np.int64)
    return Patch(remove, sorted(held.values()), records)


def _fids_of(store: RecordReads, ids: Sequence[str]) -> dict[str, int]:
    """The fid of each of these records that exists now."""
    found: dict[str, int] = {}
    for start in range(0, len(ids), _CHUNK):
        part = list(ids[start : start + _CHUNK])
        marks = ", ".join(["%s"] * len(part))
        rows = store._fetch(f"SELECT id, fid FROM incidents WHERE id IN ({marks})", part)
        found.update({str(r["id"]): int(r["fid"]) for r in rows})
    return found


def _gone(
    store: RecordReads,
    viewer: Viewer,
    old: ColumnIndex,
    changes: ChangeSet,
    held: dict[str, int],
    head: int,
) -> list[int] | None:
    """fids, in old, of the records deleted since it was read (the log keeps ids, not
    fids; a record deleted and made again has a new fid): old's records on the days the
    deleted ones had that no longer exist. None when that finds more or fewer than
    the deletions the log shows."""
    deleted = [
        i for i in changes.ids if i not in changes.new and (i not in held or i in changes.deleted)
    ]
    if not deleted:
        return []
    states = past_contents(store, deleted, old.meta.audit_seq, head)
    seen = Visibility.of(viewer)
    days: set[int] = set()
    expected = 0
    for record in deleted:
        contents = states.get(record)
        if not contents:
            return None
        expected += seen.restricted or contents[0].get("sensitivity") == "public"
        for content in contents:
            day = date.fromisoformat(str(content["date_start"])[:10])
            days |= {(day - _EPOCH).days, (day.replace(day=1) - _EPOCH).days}  # public: month
    near = np.isin(old.start, np.fromiter(days, np.int64, len(days)))
    near &= ~np.isin(old.fid, np.fromiter(held.values(), np.int64, len(held)))
    candidates = old.fid[near]
    if len(candidates) > _CANDIDATES:
        return None
    gone = sorted(set(candidates.tolist()) - _existing(store, candidates.tolist()))
    return gone if len(gone) == expected else None


def _existing(store: RecordReads, fids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(fids), _CHUNK):
        part = [int(f) for f in fids[start : start + _CHUNK]]
        marks = ", ".join(["%s"] * len(part))
        rows = store._fetch(f"SELECT fid FROM incidents WHERE fid IN ({marks})", part)
        found.update(int(r["fid"]) for r in rows)
    return found


def _count(store: RecordReads) -> int:
    rows = store._fetch("SELECT COUNT(*) AS n FROM incidents", [])
    return int(rows[0]["n"]) if rows else 0


def merged(
    old: ColumnIndex, remove: np.ndarray, rows: pd.DataFrame, meta: IndexMeta
) -> ColumnIndex:
    """old without the records of these fids, with these compact rows (column_load's
    _compact) added: what ColumnIndex.build gives for the same records, order, codes
    and labels included. old is left as it was (other readers may hold it)."""
    drop = np.concatenate([np.asarray(remove, np.int64), rows["fid"].to_numpy(np.int64)])
    keep = ~np.isin(old.fid, drop)
    order = np.lexsort((rows["fid"].to_numpy(), rows["start"].to_numpy()))
    new = _plain_arrays([rows], order)
    rows = rows.iloc[order]
    where = _positions(old.fid[keep], old.start[keep], new["fid"], new["start"])

    def put(array: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.insert(array[keep], where, values.astype(array.dtype))

    codes: dict[str, np.ndarray] = {}
    labels: dict[str, list[str]] = {}
    for name in _CODED:
        names = list(old.labels[name])
        number = {label: n for n, label in enumerate(names)}
        added = [number.setdefault(v, len(number)) for v in rows[name].fillna("").astype(str)]
        names += list(number)[len(names) :]
        combined = put(old.codes[name], np.asarray(added, np.int16))
        codes[name], labels[name] = _first_seen(combined, names)
    plain: dict[str, Any] = {k: put(getattr(old, k), v) for k, v in new.items() if k != "measures"}
    plain["measures"] = {m: put(old.measures[m], v) for m, v in new["measures"].items()}
    return ColumnIndex(**plain, codes=codes, labels=labels, lookup=old.lookup, meta=meta)


def _positions(
    fid: np.ndarray, start: np.ndarray, new_fid: np.ndarray, new_start: np.ndarray
) -> np.ndarray:
    """Where each new (start, fid) goes among the sorted (start, fid) pairs."""
    if not len(new_fid):
        return np.zeros(0, dtype=np.int64)
    low = int(min(start.min(initial=0), new_start.min()))
    span = int(max(fid.max(initial=0), new_fid.max())) + 1
    days = int(max(start.max(initial=0), new_start.max())) - low + 1
    if days * span < 2**62:
        key = (start.astype(np.int64) - low) * span + fid
        return np.searchsorted(key, (new_start.astype(np.int64) - low) * span + new_fid)
    out = np.empty(len(new_fid), dtype=np.int64)  # fids too large for one key
    for n, (s, f) in enumerate(zip(new_start.tolist(), new_fid.tolist(), strict=True)):
        lo, hi = np.searchsorted(start, s, "left"), np.searchsorted(start, s, "right")
        out[n] = lo + np.searchsorted(fid[lo:hi], f)
    return out


def _first_seen(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Codes renumbered in order of first appearance, unused labels dropped: what
    pandas.factorize gives, as ColumnIndex.build codes its columns."""
    present, first = np.unique(codes, return_index=True)
    order = present[np.argsort(first)]
    renumber = np.zeros(len(labels), dtype=np.int16)
    renumber[order] = np.arange(len(order), dtype=np.int16)
    return renumber[codes], [labels[int(i)] for i in order]
