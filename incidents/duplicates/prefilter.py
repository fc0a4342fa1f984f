"""Pairs that cannot reach the threshold, dropped in numpy before any is scored.

Why: in a dense store the blocking puts forward many pairs whose dates and places
alone already rule them out (points farther apart than their precision allows, dates
days apart). Working out an upper bound of each pair's score for all pairs at once
costs a fraction of a microsecond per pair; scoring one in Python costs tens.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import numpy as np

from incidents.duplicates.profile import Profile
from incidents.duplicates.scoring import PRIOR, REST_MOST

Pair = tuple[int, int]
Array = np.ndarray
_EARTH_KM = 6371.0088


def reachable(items: Sequence[Profile], pairs: Collection[Pair], min_score: float) -> list[Pair]:
    """The pairs whose score could reach min_score, judged by dates and places (the
    most every other comparison could add is assumed)."""
    if not pairs or min_score <= 0:
        return list(pairs)
    if min_score >= 1:
        return []
    index = np.fromiter((k for p in pairs for k in p), dtype=np.int64, count=2 * len(pairs))
    first, second = index[0::2], index[1::2]
    start = np.fromiter((p.start for p in items), dtype=np.int64, count=len(items))
    end = np.fromiter((p.end for p in items), dtype=np.int64, count=len(items))
    lat = np.fromiter((np.nan if p.lat is None else p.lat for p in items), float, len(items))
    lon = np.fromiter((np.nan if p.lon is None else p.lon for p in items), float, len(items))
    radius = np.fromiter((p.radius_km for p in items), float, len(items))
    gap = np.maximum(
        0, np.maximum(start[first], start[second]) - np.minimum(end[first], end[second])
    )
    date_most = np.where(gap == 0, 3.0, np.where(gap == 1, 1.0, 3.0 - 2.0 * gap))
    km = _haversine(lat[first], lon[first], lat[second], lon[second])
    reach = radius[first] + radius[second] + 1.0
    fine = np.maximum(radius[first], radius[second]) <= 10
    place_most = np.select(
        [np.isnan(km), (km <= reach / 3) & fine, km <= reach, km <= 2 * reach],
        [1.5, 4.0, 2.5, 0.0],
        -6.0,
    )
    bound = PRIOR + date_most + place_most + REST_MOST
    keep = bound >= math.log(min_score / (1.0 - min_score))
    return [(int(a), int(b)) for a, b in zip(first[keep], second[keep], strict=True)]


def _haversine(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
