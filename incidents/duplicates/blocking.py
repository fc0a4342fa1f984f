"""Which pairs of records are compared at all: never all pairs.

Why blocking: a million records make 5 * 10^11 pairs; duplicates are close in time and
space, so only records whose dates lie within a few days of each other (a sweep over
records sorted by date) and whose points share or neighbour a grid cell are compared.
Records whose place is coarse (a district, a country, no point) are compared with the
records of their district (or, without one, their country) in the same date window.
Records that share a source event id or a source URL are always compared, whatever
their dates and places say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from incidents.duplicates.profile import Profile
from incidents.duplicates.scoring import DAY_WINDOW

CELL_DEGREES = 0.25  # about 28 km north-south: the reach of two town-level points
FINE_RADIUS_KM = 10.0  # points at most this uncertain go into grid cells
DISTRICT_RADIUS_KM = 100.0  # coarser than cells: compared within their district
_FORWARD = ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1))  # each neighbouring cell pair once
VAGUE_DAYS = 31  # a date range longer than this is a month or a year
_KEY_GROUP_LIMIT = 50  # a URL cited by more records than this is a front page, not an event

Pair = tuple[int, int]


def candidate_pairs(items: Sequence[Profile], sides: Sequence[int] | None = None) -> set[Pair]:
    """Index pairs (i < j) worth comparing. With sides, only pairs of different sides
    (new import rows against stored records)."""
    return near_pairs(items, sides) | shared_key_pairs(items, sides)


def near_pairs(items: Sequence[Profile], sides: Sequence[int] | None = None) -> set[Pair]:
    """Pairs close in time and space (grid cells, districts, countries)."""
    pairs: set[Pair] = set()
    fine: dict[tuple[int, int], list[int]] = defaultdict(list)
    coarse: dict[str, list[int]] = defaultdict(list)
    areas: dict[str, list[int]] = defaultdict(list)  # by country and by district
    for i, p in enumerate(items):
        areas[p.country].append(i)
        if p.district:
            areas[f"{p.country}/{p.district}"].append(i)
        if p.lat is not None and p.lon is not None and p.radius_km <= FINE_RADIUS_KM:
            fine[(int(p.lon // CELL_DEGREES), int(p.lat // CELL_DEGREES))].append(i)
        elif p.district and p.radius_km <= DISTRICT_RADIUS_KM:
            coarse[f"{p.country}/{p.district}"].append(i)
        else:
            coarse[p.country].append(i)
    for (x, y), here in fine.items():
        for dx, dy in _FORWARD:
            there = here if (dx, dy) == (0, 0) else fine.get((x + dx, y + dy))
            if there:
                pairs.update(_date_sweep(items, here, there))
    for area, rough in coarse.items():
        pairs.update(_date_sweep(items, rough, areas[area]))
    if sides is not None:
        pairs = {(i, j) for i, j in pairs if sides[i] != sides[j]}
    return pairs


def shared_key_pairs(items: Sequence[Profile], sides: Sequence[int] | None = None) -> set[Pair]:
    """Pairs citing the same source URL or carrying the same source event id: always
    compared, whatever their dates and places."""
    pairs = set(_shared_keys(items))
    if sides is not None:
        pairs = {(i, j) for i, j in pairs if sides[i] != sides[j]}
    return pairs


def _date_sweep(items: Sequence[Profile], left: list[int], right: list[int]) -> Iterator[Pair]:
    """Pairs of one record of left and one of right whose dates are at most DAY_WINDOW
    days apart (left may be right: then each pair once). A record dated only to its
    month or year overlaps hundreds of others: it is paired with those of its type."""
    same = left is right
    tagged = [(items[i].start, 0, i) for i in left]
    if not same:
        tagged += [(items[j].start, 1, j) for j in right]
    tagged.sort()
    active: list[tuple[int, int, int, bool, str]] = []  # (last day + window, side, index ...)
    for start, side, i in tagged:
        if active and min(a[0] for a in active) < start:
            active = [a for a in active if a[0] >= start]
        item = items[i]
        vague, kind = item.end - item.start > VAGUE_DAYS, item.type
        for _, other_side, j, other_vague, other_kind in active:
            if i == j or (not same and other_side == side):
                continue
            if (vague or other_vague) and kind != other_kind:
                continue
            yield (i, j) if i < j else (j, i)
        active.append((item.end + DAY_WINDOW, side, i, vague, kind))


def _shared_keys(items: Sequence[Profile]) -> Iterator[Pair]:
    """Pairs that cite the same source URL or carry the same source event id."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(items):
        for key in p.event_ids:
            groups["e:" + key].append(i)
        for key in p.urls:
            groups["u:" + key].append(i)
    for members in groups.values():
        if 1 < len(members) <= _KEY_GROUP_LIMIT:
            for n, i in enumerate(members):
                for j in members[n + 1 :]:
                    if i != j:
                        yield (i, j) if i < j else (j, i)
