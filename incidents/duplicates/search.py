"""Probable duplicates among records, or between new rows and stored records.

Why one entry point: the command line, the review page and the import summary all
ask the same question and must get the same answer, under the same access rule (a
record the viewer may not see is never part of a candidate shown to them) and the
same memory of pairs an editor said are not the same.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence

import numpy as np

from incidents.duplicates.blocking import CHUNK, Chunk, near_chunks, shared_key_pairs
from incidents.duplicates.profile import Profile, Recorded, completed, profile
from incidents.duplicates.reasons import Found, ReasonBook, matches
from incidents.duplicates.scoring import DEFAULT_THRESHOLD, Match, could_reach, judge
from incidents.duplicates.table import Array, Table, table_of
from incidents.translation import _


def find_candidates(
    records: Sequence[Recorded],
    new: Sequence[Recorded] = (),
    min_score: float = DEFAULT_THRESHOLD,
    sees_restricted: bool = True,
    not_same: Collection[tuple[str, str]] = (),
    merged_ids: Mapping[str, Sequence[str]] | None = None,
) -> list[Match]:
    """Pairs scoring at least min_score, best first.

    records: the stored records; new: rows about to be imported (then only pairs of a
    new row and a stored record are returned, a being the new row). not_same: pairs
    (the two ids sorted) an editor said are different incidents. merged_ids: for a merged
    record, the source event ids of the records merged into it, so a row from either
    file still finds it.
    """
    if not sees_restricted:
        records = [r for r in records if r.sensitivity == "public"]
        new = [r for r in new if r.sensitivity == "public"]
    merged = merged_ids or {}
    everything = [*records, *new]
    if not new:  # the whole store: nearly every record of a dense one is in some pair
        items = [profile(r, merged.get(r.id, ())) for r in everything]
        return search(items, None, min_score, not_same)

    # New rows against stored records: most stored records of the rows' days are ruled
    # out by their outlines, and never profiled whole.
    outlines = [profile(r, merged.get(r.id, ()), whole=False) for r in everything]

    def whole(k: int) -> Profile:
        return completed(outlines[k], everything[k])

    sides = [0] * len(records) + [1] * len(new)
    return search(outlines, sides, min_score, not_same, whole)


def search(
    items: Sequence[Profile],
    sides: Sequence[int] | None = None,
    min_score: float = DEFAULT_THRESHOLD,
    not_same: Collection[tuple[str, str]] = (),
    whole: Callable[[int], Profile] | None = None,
) -> list[Match]:
    """The pairs of profiles (with sides: of a new row, side 1, and a stored record)
    scoring at least min_score, best first, an editor's "not the same" left out.

    whole: when the items are outlines (profiles that are not whole), makes item k's
    whole profile; only the records of pairs that their outlines cannot rule out are
    profiled whole (at import, about half of the stored records of the file's days)."""
    outline = table_of(items)
    near = [(i[ok], j[ok]) for i, j in _chunks(items, outline, sides)
            for ok in [could_reach(outline, i, j, min_score)]]  # fmt: skip
    first: Array = np.concatenate([p[0] for p in near] or [np.zeros(0, np.int32)])
    second: Array = np.concatenate([p[1] for p in near] or [np.zeros(0, np.int32)])
    del near
    if not len(first):
        return []
    first, second = first.astype(np.int32), second.astype(np.int32)
    if whole is None:  # the profiles are whole: their table is the one to score on
        t, involved = outline, np.arange(len(items))
    else:
        involved = np.unique(np.concatenate([first, second]))
        t = table_of([whole(k) for k in involved.tolist()])
        first, second = np.searchsorted(involved, first), np.searchsorted(involved, second)
    book = ReasonBook()
    found = [
        Found.of(judge(t, first[k : k + CHUNK], second[k : k + CHUNK], min_score), book)
        for k in range(0, len(first), CHUNK)
    ]
    i, j = (
        involved[np.concatenate([f.i for f in found])],
        involved[np.concatenate([f.j for f in found])],
    )
    score = np.concatenate([f.score for f in found])
    ids, rank = np.unique(np.array([p.id for p in items], dtype=object), return_inverse=True)
    rank = rank.ravel()
    keep = rank[i] != rank[j]
    skip = _pair_codes(ids, not_same)
    if len(skip):
        low, high = np.minimum(rank[i], rank[j]), np.maximum(rank[i], rank[j])
        keep &= ~np.isin(low * len(ids) + high, skip)
    order = np.flatnonzero(keep)
    order = order[np.lexsort((rank[j[order]], rank[i[order]], -score[order]))]
    ordered = Found(
        i[order],
        j[order],
        score[order],
        np.concatenate([f.certain for f in found])[order],
        np.concatenate([f.said for f in found])[order],
    )
    return matches(ordered, book, items)


def _chunks(items: Sequence[Profile], t: Table, sides: Sequence[int] | None) -> Iterator[Chunk]:
    """The pairs sharing a source key, then the pairs near in time and space that do not."""
    shared = sorted(shared_key_pairs(items, sides))
    n = len(items)
    if shared:
        pairs = np.array(shared, dtype=np.int64)
        first, second = pairs[:, 0], pairs[:, 1]
        if sides is not None:  # a is the new row
            new = np.asarray(sides)[first] == 1
            first, second = np.where(new, first, second), np.where(new, second, first)
        yield first, second
    known = np.array(sorted(i * n + j for i, j in shared), dtype=np.int64)
    for near in near_chunks(t, sides):
        i, j = near
        kept = ~np.isin(np.minimum(i, j) * n + np.maximum(i, j), known) if len(known) else None
        if kept is not None:
            yield i[kept], j[kept]
        elif len(i):
            yield i, j


def _pair_codes(ids: Array, pairs: Collection[tuple[str, str]]) -> Array:
    """The pairs of ids as codes of their ranks among ids (pairs of unknown ids left out)."""
    rank = {str(v): k for k, v in enumerate(ids.tolist())}
    n = len(ids)
    codes = [
        min(rank[a], rank[b]) * n + max(rank[a], rank[b])
        for a, b in pairs
        if a in rank and b in rank
    ]
    return np.array(codes, dtype=np.int64)


def reason_text(match: Match) -> str:
    """The reasons as one phrase an editor reads (joined as the language joins them)."""
    return _(", ").join(match.reasons)
