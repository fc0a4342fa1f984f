"""The duplicate search as it was before it ran on numpy columns, kept as an oracle:
incidents.duplicates (blocking and scoring) is checked against it on random records.

Plain Python, one pair at a time: easy to read and obviously what the docs say
(docs/duplicates.md), but about 20 microseconds a pair, far too slow for 100k records.
"""

# ruff: noqa

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from incidents.duplicates.profile import Profile, dataset_of

PRIOR = -7.0  # most pairs that pass the blocking are different incidents
DAY_WINDOW = 3  # days between two records' dates beyond which they are never compared
_EARTH_KM = 6371.0088

# Types a source may give for the same incident (a killing reported as an attack).
_COMPATIBLE: tuple[frozenset[str], ...] = (
    frozenset({"killing", "attack_on_civilians", "mass_grave"}),
    frozenset({"enforced_disappearance", "arbitrary_detention", "torture"}),
    frozenset({"destruction_of_property", "attack_on_civilians", "displacement"}),
    frozenset({"sexual_violence", "torture", "attack_on_civilians"}),
)


@dataclass(frozen=True)
class Match:
    """Two records judged: score 0-1, the reasons, and whether they are certainly one
    (the same data set's same event id: the only pairs merged without a person)."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    certain: bool = False


def compare(a: Profile, b: Profile) -> Match:
    """Weigh every comparison of two profiles into one score, with its reasons."""
    weight, reasons = PRIOR, []
    for part in (_ids, _date, _place, _kind, _text, _story, _counts):
        w, reason = part(a, b)
        weight += w
        if reason:
            reasons.append(reason)
    certain = _same_event(a, b)
    score = 1.0 if certain else 1.0 / (1.0 + math.exp(min(-weight, 700.0)))
    return Match(a.id, b.id, round(score, 3), tuple(reasons), certain)


# The most the comparisons after dates and places can add (ids aside): what a pair
# must still be able to reach for the full comparison to be worth making (prefilter.py).
REST_MOST = 0.5 + 1.0 + 2.3 + 3.0 + 1.5


def _same_event(a: Profile, b: Profile) -> bool:
    shared = a.event_ids & b.event_ids
    return any(dataset_of(e) for e in shared)


def _ids(a: Profile, b: Profile) -> tuple[float, str]:
    if a.event_ids & b.event_ids:
        return 12.0, "the same source event id"
    datasets_a = {dataset_of(e) for e in a.event_ids} - {""}
    if datasets_a and datasets_a == {dataset_of(e) for e in b.event_ids} - {""}:
        # one data set does not list one event twice under two ids
        return -6.0, "two different events of the same data set"
    if a.urls & b.urls:
        return 5.0, "both cite the same source"
    if a.publishers & b.publishers:
        return 0.5, "a publisher in common"
    return 0.0, ""


def day_gap(a: Profile, b: Profile) -> int:
    """Days between the two date ranges; 0 when they overlap."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def _date(a: Profile, b: Profile) -> tuple[float, str]:
    gap = day_gap(a, b)
    if gap == 0:
        if a.start == a.end == b.start == b.end:
            return 3.0, "same day"
        vague = a.precision != "day" or b.precision != "day"
        if vague or max(a.end - a.start, b.end - b.start) > 7:
            return 0.5, "dates overlap (one is known only to the month or year)"
        return 2.0, "dates overlap"
    if gap == 1:
        return 1.0, "one day apart"
    return 3.0 - 2.0 * gap, f"{gap} days apart"


def distance_km(a: Profile, b: Profile) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def _place(a: Profile, b: Profile) -> tuple[float, str]:
    km = distance_km(a, b)
    named = a.places & b.places
    if km is None:
        return _place_without_point(a, b)
    reach = a.radius_km + b.radius_km + 1.0
    shown = f"{km:.0f} km apart" if km >= 1 else "at the same point"
    bonus, also = (1.0, ", both name the same place") if named else (0.0, "")
    if km <= reach / 3 and max(a.radius_km, b.radius_km) <= 10:
        return 3.0 + bonus, shown + also
    if km <= reach:
        coarse = " (within the precision of their points)" if reach > 12 else ""
        return 1.5 + bonus, shown + coarse + also
    if km <= 2 * reach:
        return -1.0 + bonus, shown + " (farther than their precision allows)" + also
    return -6.0, shown + " (too far apart)"


def _place_without_point(a: Profile, b: Profile) -> tuple[float, str]:
    if (a.places & b.places) or (a.place and a.place == b.place):
        return 1.5, "same place named"
    if a.admin1_code and a.admin1_code == b.admin1_code:
        return 0.5, "same district"
    if a.country and b.country and a.country != b.country:
        return -4.0, "different countries"
    return 0.0, "no point to compare"


def _kind(a: Profile, b: Profile) -> tuple[float, str]:
    if a.type == b.type:
        return 1.0, "same type"
    if "other" in (a.type, b.type):
        return -1.0, "one type is Other"
    if any(a.type in group and b.type in group for group in _COMPATIBLE):
        return -0.5, "compatible types"
    return -3.0, "different types"


def _text(a: Profile, b: Profile) -> tuple[float, str]:
    ratio = fuzz.token_sort_ratio(a.text, b.text) if a.text and b.text else 0.0
    weight, reason = 0.0, ""
    if ratio >= 90:
        weight, reason = 1.5, "near-identical titles"
    elif ratio >= 70:
        weight, reason = 0.5, "similar titles"
    if (
        a.perpetrators
        and b.perpetrators
        and fuzz.token_set_ratio(a.perpetrators, b.perpetrators) >= 80
    ):
        weight += 0.8
        reason = ", ".join(r for r in (reason, "same perpetrators") if r)
    return weight, reason


def _story(a: Profile, b: Profile) -> tuple[float, str]:
    """How much of the shorter description the longer one tells too (a partner's
    summary of a report shares most of its words; two events share few)."""
    smaller, larger = sorted((len(a.words), len(b.words)))
    if smaller < 5:
        return 0.0, ""
    shared = len(a.words & b.words) / larger
    if shared >= 0.55:
        return 3.0, "descriptions tell the same story"
    if shared >= 0.35:
        return 1.0, "descriptions share much"
    if shared < 0.2 and smaller >= 8:
        return -2.5, "descriptions tell different stories"
    return 0.0, ""


def _counts(a: Profile, b: Profile) -> tuple[float, str]:
    if a.killed is None or b.killed is None:
        return 0.0, ""
    if a.killed == b.killed:
        return (1.5, f"both say {a.killed} killed") if a.killed else (0.3, "")
    low, high = sorted((a.killed, b.killed))
    if high - low <= 2 or high <= 1.3 * low:
        return 0.5, f"similar numbers killed ({low} and {high})"
    if low == 0:
        return -1.0, f"killed {low} and {high}"
    return -2.0, f"different numbers killed ({low} and {high})"


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


def oracle_candidates(
    items: Sequence[Profile], sides: Sequence[int] | None = None, min_score: float = 0.4
) -> list[Match]:
    """Every blocked pair scored one at a time; those reaching min_score, best first
    (with sides, a is the new row: side 1)."""
    found = []
    for i, j in near_pairs(items, sides) | shared_key_pairs(items, sides):
        a, b = (items[j], items[i]) if sides and not sides[i] else (items[i], items[j])
        if a.id == b.id:
            continue
        match = compare(a, b)
        if match.score >= min_score:
            found.append(match)
    found.sort(key=lambda m: (-m.score, m.a, m.b, m.reasons))
    return found
