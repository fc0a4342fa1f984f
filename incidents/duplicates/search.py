"""Probable duplicates among records, or between new rows and stored records.

Why one entry point: the command line, the review page and the import summary all
ask the same question and must get the same answer, under the same access rule (a
record the viewer may not see is never part of a candidate shown to them) and the
same memory of pairs an editor said are not the same.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from incidents.duplicates.blocking import near_pairs, shared_key_pairs
from incidents.duplicates.prefilter import reachable
from incidents.duplicates.profile import profile
from incidents.duplicates.scoring import DEFAULT_THRESHOLD, Match, compare
from incidents.record import Incident


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The order-free key of a pair of record ids."""
    return (a, b) if a <= b else (b, a)


def find_candidates(
    records: Sequence[Incident],
    new: Sequence[Incident] = (),
    min_score: float = DEFAULT_THRESHOLD,
    sees_restricted: bool = True,
    not_same: Collection[tuple[str, str]] = (),
    merged_ids: Mapping[str, Sequence[str]] | None = None,
) -> list[Match]:
    """Pairs scoring at least min_score, best first.

    records: the stored records; new: rows about to be imported (then only pairs of a
    new row and a stored record are returned). not_same: pairs (pair_key) an editor
    said are different incidents. merged_ids: for a merged record, the source event ids
    of the records merged into it, so a row from either file still finds it.
    """
    if not sees_restricted:
        records = [r for r in records if r.sensitivity == "public"]
        new = [r for r in new if r.sensitivity == "public"]
    merged_ids = merged_ids or {}
    everything = [*records, *new]
    items = [profile(r, merged_ids.get(r.id, ())) for r in everything]
    sides = [0] * len(records) + [1] * len(new) if new else None
    skip = {pair_key(*p) for p in not_same}
    found = []
    shared = shared_key_pairs(items, sides)
    near = near_pairs(items, sides) - shared
    for i, j in [*shared, *reachable(items, near, min_score)]:
        # with new rows, a is the new row and b the stored record
        a, b = (items[j], items[i]) if sides and not sides[i] else (items[i], items[j])
        if a.id == b.id or pair_key(a.id, b.id) in skip:
            continue
        match = compare(a, b)
        if match.score >= min_score:
            found.append(match)
    found.sort(key=lambda m: (-m.score, m.a, m.b))
    return found


def reason_text(match: Match) -> str:
    """The reasons as one phrase an editor reads."""
    return ", ".join(match.reasons)
