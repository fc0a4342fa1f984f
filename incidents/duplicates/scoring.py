"""How alike two records are: a score between 0 and 1 and the reasons in words.

Why weights of evidence: each comparison (dates, distance, type, sources, titles,
counts) adds or takes away evidence that two records describe one incident, as in
the Fellegi-Sunter model record-linkage libraries use; the weights here are set by
hand and checked on the labelled pairs (tests/fixtures/duplicates, benchmark in
benchmarks/duplicates_bench.py). Every weight that moves the score says why in the
reasons an editor reads ("same day, 3 km apart, both cite the same source").

Why arrays: the pairs are judged in chunks, each comparison an array operation over
the whole chunk (table.py holds the columns). The cheap comparisons come first; a pair
that cannot reach the threshold even if its titles and descriptions agreed fully is
dropped before the fuzzy title ratio (rapidfuzz, in C) and the description words are
compared. Each comparison leaves a small code per pair; the reasons are written in
words (reasons.py) only for the pairs found. tests/duplicates/duplicates_oracle.py
keeps the one-pair-at-a-time version this replaced, and the tests check both agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from geodata import km_between
from incidents.duplicates.profile import Profile
from incidents.duplicates.table import Array, Table

DEFAULT_THRESHOLD = 0.4
PRIOR = -7.0  # most pairs that pass the blocking are different incidents
DAY_WINDOW = 3  # days between two records' dates beyond which they are never compared
_EARTH_KM = 6371.0088
_TEXT_MOST, _STORY_MOST = 1.5 + 0.8, 3.0
_MARGIN = 0.01  # a score rounds to 3 decimals: never drop a pair this close to the threshold

# Types a source may give for the same incident (a killing reported as an attack).
_COMPATIBLE: tuple[frozenset[str], ...] = (
    frozenset({"killing", "attack_on_civilians", "mass_grave"}),
    frozenset({"enforced_disappearance", "arbitrary_detention", "torture"}),
    frozenset({"destruction_of_property", "attack_on_civilians", "displacement"}),
    frozenset({"sexual_violence", "torture", "attack_on_civilians"}),
)

# Columns of the codes each judged pair keeps for its reasons (reasons.py reads them).
CODES = (
    "ids", "date", "gap", "place", "named", "coarse", "km", "kind", "text", "perpetrators",
    "story", "counts", "low", "high",
)  # fmt: skip
C = {name: n for n, name in enumerate(CODES)}


class Match(NamedTuple):
    """Two records judged: score 0-1, the reasons, and whether they are certainly one
    (the same data set's same event id: the only pairs merged without a person).
    A named tuple: a dense store's search makes hundreds of thousands of them."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    certain: bool = False


@dataclass(frozen=True)
class Judged:
    """The pairs (i, j) of a chunk that reached the threshold, with their codes."""

    i: Array
    j: Array
    score: Array
    certain: Array
    codes: Array  # one row per pair, columns CODES


def logit(min_score: float) -> float:
    """The weight a pair needs to score min_score."""
    if min_score <= 0:
        return -math.inf
    return math.log(min(min_score, 0.9995) / (1.0 - min(min_score, 0.9995)))


def could_reach(t: Table, i: Array, j: Array, min_score: float) -> Array:
    """Whether each pair could reach min_score whatever its titles, descriptions and
    the places they name say: what a table of profiles that are not whole can tell."""
    scratch = np.zeros((len(i), len(CODES)), dtype=np.int64)
    most = (
        PRIOR
        + _ids(t, i, j, scratch)
        + _date(t, i, j, scratch)
        + _place(t, i, j, scratch, named_or_not=True)
        + _kind(t, i, j, scratch)
        + _counts(t, i, j, scratch)
        + _TEXT_MOST
        + _STORY_MOST
    )
    return t.dataset_events.shared(i, j) | (most >= logit(min_score) - _MARGIN)


def judge(t: Table, i: Array, j: Array, min_score: float) -> Judged:
    """Score the pairs (i[k], j[k]); keep those reaching min_score."""
    codes = np.zeros((len(i), len(CODES)), dtype=np.int64)
    need = logit(min_score) - _MARGIN
    certain = t.dataset_events.shared(i, j)
    ids = _ids(t, i, j, codes)
    date = _date(t, i, j, codes)
    place = _place(t, i, j, codes)
    kind = _kind(t, i, j, codes)
    counts = _counts(t, i, j, codes)
    keep = np.flatnonzero(certain | (ids + date + place + kind + counts + PRIOR
                                     + _TEXT_MOST + _STORY_MOST >= need))  # fmt: skip
    i, j, codes, certain = i[keep], j[keep], codes[keep], certain[keep]
    ids, date, place, kind, counts = ids[keep], date[keep], place[keep], kind[keep], counts[keep]
    text = _text(t, i, j, codes)
    keep = np.flatnonzero(
        certain | (ids + date + place + kind + counts + text + PRIOR + _STORY_MOST >= need)
    )
    i, j, codes, certain = i[keep], j[keep], codes[keep], certain[keep]
    weight = PRIOR + ids[keep]  # summed in the order the reasons are read
    for part in (date, place, kind, text):
        weight = weight + part[keep]
    weight = weight + _story(t, i, j, codes)
    weight = weight + counts[keep]
    score = _scores(weight, certain)
    found = np.flatnonzero(score >= min_score)
    return Judged(i[found], j[found], score[found], certain[found], codes[found])


def _scores(weight: Array, certain: Array) -> Array:
    """1 for the certain, else the logistic of the weight rounded to 3 decimals (in
    Python, once per distinct weight: weights are sums of a few fixed values)."""
    distinct, back = np.unique(weight, return_inverse=True)
    rounded = np.array(
        [round(1.0 / (1.0 + math.exp(min(-w, 700.0))), 3) for w in distinct.tolist()]
    )
    score = rounded[back] if len(weight) else np.zeros(0)
    return np.where(certain, 1.0, score)


def _ids(t: Table, i: Array, j: Array, codes: Array) -> Array:
    same_event = t.event_ids.shared(i, j)
    one_set = (t.datasets[i] >= 0) & (t.datasets[i] == t.datasets[j]) & ~same_event
    rest = ~(same_event | one_set)
    url = rest & t.urls.shared(i, j)
    publisher = rest & ~url & t.publishers.shared(i, j)
    code = np.select([same_event, one_set, url, publisher], [1, 2, 3, 4], 0)
    codes[:, C["ids"]] = code
    return np.array([0.0, 12.0, -6.0, 5.0, 0.5])[code]


def _date(t: Table, i: Array, j: Array, codes: Array) -> Array:
    s1, s2, e1, e2 = t.start[i], t.start[j], t.end[i], t.end[j]
    gap = np.maximum(0, np.maximum(s1, s2) - np.minimum(e1, e2))
    same_day = (s1 == e1) & (e1 == s2) & (s2 == e2)
    vague = ~(t.by_day[i] & t.by_day[j]) | (np.maximum(e1 - s1, e2 - s2) > 7)
    code = np.select(
        [(gap == 0) & same_day, (gap == 0) & vague, gap == 0, gap == 1], [0, 1, 2, 3], 4
    )
    codes[:, C["date"]], codes[:, C["gap"]] = code, gap
    return np.where(code == 4, 3.0 - 2.0 * gap, np.array([3.0, 0.5, 2.0, 1.0, 0.0])[code])


def _haversine(lat1: Array, lon1: Array, lat2: Array, lon2: Array) -> Array:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def distance_km(a: Profile, b: Profile) -> float | None:
    """Great-circle distance in Python: for the few pairs whose distance lies within a
    hair of a limit, so that numpy's and the C library's last digits never differ."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return km_between(a.lat, a.lon, b.lat, b.lon, _EARTH_KM)


def _place(t: Table, i: Array, j: Array, codes: Array, named_or_not: bool = False) -> Array:
    """named_or_not: as if both named the same place (the most it could add)."""
    with np.errstate(invalid="ignore"):
        km = _haversine(t.lat[i], t.lon[i], t.lat[j], t.lon[j])
    point = ~np.isnan(km)
    reach = t.radius[i] + t.radius[j] + 1.0
    edges = (reach / 3, reach, 2 * reach, np.ones_like(km), np.floor(km) + 0.5)
    close = point & np.any([np.abs(km - e) < 1e-6 for e in edges], axis=0)
    for k in np.flatnonzero(close):
        km[k] = distance_km(t.profiles[i[k]], t.profiles[j[k]])
    named = np.ones(len(i), dtype=bool) if named_or_not else t.places.shared(i, j)
    fine = np.maximum(t.radius[i], t.radius[j]) <= 10
    same_place = named | ((t.place[i] >= 0) & (t.place[i] == t.place[j]))
    other_country = (
        (t.country[i] != t.country[j])
        & _nonempty(t.country_names, t.country[i])
        & _nonempty(t.country_names, t.country[j])
    )
    with np.errstate(invalid="ignore"):
        code = np.select(
            [
                point & (km <= reach / 3) & fine,
                point & (km <= reach),
                point & (km <= 2 * reach),
                point,
                same_place,
                (t.admin1[i] >= 0) & (t.admin1[i] == t.admin1[j]),
                other_country,
            ],
            [0, 1, 2, 3, 4, 5, 6],
            7,
        )
    named = named & (code <= 2)
    codes[:, C["place"]], codes[:, C["named"]] = code, named
    codes[:, C["coarse"]] = (code == 1) & (reach > 12)
    codes[:, C["km"]] = np.where(point & (km >= 1), np.rint(np.nan_to_num(km)), -1)
    return np.array([3.0, 1.5, -1.0, -6.0, 1.5, 0.5, -4.0, 0.0])[code] + np.where(named, 1.0, 0.0)


def _nonempty(names: list[object], code: Array) -> Array:
    empty = np.array([n == "" for n in names] or [False])
    return ~empty[code]


def _kind(t: Table, i: Array, j: Array, codes: Array) -> Array:
    names = [str(n) for n in t.type_names]
    other = np.array([n == "other" for n in names])
    compatible = np.array([[any(a in g and b in g for g in _COMPATIBLE) for b in names]
                           for a in names])  # fmt: skip
    a, b = t.type[i], t.type[j]
    code = np.select([a == b, other[a] | other[b], compatible[a, b]], [0, 1, 2], 3)
    codes[:, C["kind"]] = code
    return np.array([1.0, -1.0, -0.5, -3.0])[code]


def _text(t: Table, i: Array, j: Array, codes: Array) -> Array:
    both = np.flatnonzero(t.has_text[i] & t.has_text[j])
    ratio = np.zeros(len(i))
    if len(both):
        texts = t.text
        ratio[both] = process.cpdist(
            [texts[k] for k in i[both].tolist()],
            [texts[k] for k in j[both].tolist()],
            scorer=fuzz.ratio,
            dtype=np.float64,
            workers=1,
        )
    code = np.select([ratio >= 90, ratio >= 70], [2, 1], 0)
    weight = np.array([0.0, 0.5, 1.5])[code]
    same = _same_perpetrators(t, i, j)
    codes[:, C["text"]], codes[:, C["perpetrators"]] = code, same
    return np.where(same, weight + 0.8, weight)


def _same_perpetrators(t: Table, i: Array, j: Array) -> Array:
    a, b = t.perpetrators[i], t.perpetrators[j]
    both = (a >= 0) & (b >= 0)
    out = np.zeros(len(i), dtype=bool)
    if not both.any():
        return out
    size = len(t.perpetrator_names)
    pairs, back = np.unique(a[both] * size + b[both], return_inverse=True)
    names = t.perpetrator_names
    alike = np.array(
        [fuzz.token_set_ratio(str(names[k // size]), str(names[k % size])) >= 80
         for k in pairs.tolist()]
    )  # fmt: skip
    out[both] = alike[back.ravel()]
    return out


def _story(t: Table, i: Array, j: Array, codes: Array) -> Array:
    """How much of the shorter description the longer one tells too (a partner's
    summary of a report shares most of its words; two events share few)."""
    n1, n2 = t.word_count[i], t.word_count[j]
    smaller, larger = np.minimum(n1, n2), np.maximum(n1, n2)
    told = np.flatnonzero(smaller >= 5)
    share = np.zeros(len(i))
    if len(told):
        w1, w2 = t.words[i[told]], t.words[j[told]]
        size = len(t.word_sets)
        pairs, back = np.unique(np.minimum(w1, w2) * size + np.maximum(w1, w2),
                                return_inverse=True)  # fmt: skip
        sets = t.word_sets
        common = np.array(
            [len(sets[k // size] & sets[k % size]) for k in pairs.tolist()], dtype=np.int64
        )
        share[told] = common[back.ravel()] / larger[told]
    code = np.select(
        [smaller < 5, share >= 0.55, share >= 0.35, (share < 0.2) & (smaller >= 8)], [0, 1, 2, 3], 0
    )
    codes[:, C["story"]] = code
    return np.array([0.0, 3.0, 1.0, -2.5])[code]


def _counts(t: Table, i: Array, j: Array, codes: Array) -> Array:
    a, b = t.killed[i], t.killed[j]
    low, high = np.minimum(a, b), np.maximum(a, b)
    code = np.select(
        [
            low < 0,
            (a == b) & (a > 0),
            a == b,
            (high - low <= 2) | (high <= 1.3 * low),
            low == 0,
        ],
        [0, 1, 2, 3, 4],
        5,
    )
    codes[:, C["counts"]], codes[:, C["low"]], codes[:, C["high"]] = code, low, high
    return np.array([0.0, 1.5, 0.3, 0.5, -1.0, -2.0])[code]
