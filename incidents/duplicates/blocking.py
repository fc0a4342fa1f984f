"""Which pairs of records are compared at all: never all pairs.

Why blocking: a million records make 5 * 10^11 pairs; duplicates are close in time and
space, so only records whose dates lie within a few days of each other and whose points
share or neighbour a grid cell are compared. Records whose place is coarse (a
district, a country, no point) are compared with the records of their district (or,
without one, their country) in the same date window. A record dated only to its month
or year overlaps hundreds of others: it is compared with those of its own type only.
Records that share a source event id or a source URL are always compared, whatever
their dates and places say.

Why sorted arrays: each group (a cell, a district, a country; with its type for the
vague records) is sorted by first day once; each record then finds the records of its
neighbouring groups whose dates can lie within DAY_WINDOW of its own by two binary
searches, and the pairs are made and checked in numpy, in chunks of about a million,
so that a dense store never holds all its pairs at once.

Why a window in dense groups (sorted neighbourhood): when a record's group holds more
than 2 * DENSE_WINDOW records whose dates can lie within DAY_WINDOW of its own, it is
compared only with the DENSE_WINDOW records before and after it by first day in that
group. Real data never comes near this (a grid cell of 28 km holds a handful of
incidents a week even in Tarhuna's worst months); a synthetic or bulk-loaded store
whose cells hold hundreds a day would otherwise make pairs in the square of its
records. The trade-off: in such a group a duplicate more than DENSE_WINDOW records away
by first day is missed (docs/duplicates.md gives the share measured); groups below the
limit, which is every group of the labelled set and of real files seen so far, are
searched exactly as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from incidents.duplicates.profile import Profile
from incidents.duplicates.scoring import DAY_WINDOW
from incidents.duplicates.table import Array, Table

CELL_DEGREES = 0.25  # about 28 km north-south: the reach of two town-level points
FINE_RADIUS_KM = 10.0  # points at most this uncertain go into grid cells
DISTRICT_RADIUS_KM = 100.0  # coarser than cells: compared within their district
VAGUE_DAYS = 31  # a date range longer than this is a month or a year
CHUNK = 1 << 20  # pairs made at once
DENSE_WINDOW = 25  # in a group denser than twice this, compare with this many each side
_KEY_GROUP_LIMIT = 50  # a URL cited by more records than this is a front page, not an event
_NEIGHBOURS = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]

Pair = tuple[int, int]
Chunk = tuple[Array, Array]


@dataclass(frozen=True)
class _Index:
    """Rows of one kind sorted by (group key, first day), searchable by both at once."""

    rows: Array
    composite: Array
    longest: int
    ranked: Array  # composite * records + row: the order the window counts in


class _Groups:
    """The records of one way of grouping (cells, areas), ready to be asked which of
    them may pair with a record: short-dated ones by group, and month- or year-dated
    ones by group and type (with short-dated ones by group and type for those)."""

    def __init__(self, t: Table, rows: Array, keys: Array, frame: tuple[int, int]) -> None:
        self.t, (self.base, self.span) = t, frame
        self.types = len(t.type_names)
        vague = (t.end[rows] - t.start[rows]) > VAGUE_DAYS
        typed = keys * self.types + t.type[rows]
        self.short = self._index(rows[~vague], keys[~vague])
        self.short_typed = self._index(rows[~vague], typed[~vague])
        self.vague_typed = self._index(rows[vague], typed[vague])

    def _index(self, rows: Array, keys: Array) -> _Index:
        t = self.t
        order = np.lexsort((t.start[rows], keys))
        rows, keys = rows[order], keys[order]
        longest = int((t.end[rows] - t.start[rows]).max(initial=0))
        composite = keys * self.span + (t.start[rows] - self.base)
        return _Index(rows, composite, longest, composite * len(t) + rows)

    def pairs(self, left: Array, keys: Array) -> Iterator[Chunk]:
        """(i, j): i of left, j of the group keys[i] names, dates within DAY_WINDOW."""
        t = self.t
        vague = (t.end[left] - t.start[left]) > VAGUE_DAYS
        typed = keys * self.types + t.type[left]
        yield from self._join(self.short, left[~vague], keys[~vague])
        yield from self._join(self.vague_typed, left, typed)
        yield from self._join(self.short_typed, left[vague], typed[vague])

    def _join(self, index: _Index, left: Array, keys: Array) -> Iterator[Chunk]:
        t = self.t
        if not len(left) or not len(index.rows):
            return
        lo = np.searchsorted(
            index.composite,
            keys * self.span + (t.start[left] - index.longest - DAY_WINDOW - self.base),
        )
        hi = np.searchsorted(
            index.composite, keys * self.span + (t.end[left] + DAY_WINDOW - self.base), "right"
        )
        own = (keys * self.span + (t.start[left] - self.base)) * len(t) + left
        lo, hi = _windowed(index, own, lo, hi)
        some = hi > lo
        left, lo, count = left[some], lo[some], (hi - lo)[some]
        ends = np.cumsum(count)
        first = 0
        while first < len(left):
            before = int(ends[first - 1]) if first else 0
            stop = max(first + 1, int(np.searchsorted(ends, before + CHUNK, "right")))
            n = count[first:stop]
            starts = np.cumsum(n) - n
            i = np.repeat(left[first:stop], n)
            j = index.rows[np.repeat(lo[first:stop] - starts, n) + np.arange(int(n.sum()))]
            gap = np.maximum(t.start[i], t.start[j]) - np.minimum(t.end[i], t.end[j])
            near = gap <= DAY_WINDOW
            yield i[near], j[near]
            first = stop


def _windowed(index: _Index, own: Array, lo: Array, hi: Array) -> tuple[Array, Array]:
    """The ranges [lo, hi) of a dense group cut to the DENSE_WINDOW rows on each side
    of where the record sorts by first day, then row (its own place when it is in the
    group, so two records of one day near in that order see each other); others kept."""
    dense = (hi - lo) > 2 * DENSE_WINDOW
    if not dense.any():
        return lo, hi
    at = np.searchsorted(index.ranked, own[dense])
    lo, hi = lo.copy(), hi.copy()
    lo[dense] = np.maximum(lo[dense], at - DENSE_WINDOW)
    hi[dense] = np.minimum(hi[dense], at + DENSE_WINDOW + 1)
    return lo, hi


def near_chunks(t: Table, sides: Sequence[int] | None = None) -> Iterator[Chunk]:
    """Pairs close in time and space, in chunks: (i, j) with i < j, or with sides
    (i, j) with i a new row (side 1) and j a stored record."""
    n = len(t)
    if n < 2:
        return
    side = None if sides is None else np.asarray(sides)
    left = np.arange(n) if side is None else np.flatnonzero(side == 1)
    lengths = t.end - t.start
    base = int(t.start.min() - lengths.max() - DAY_WINDOW - 1)
    frame = (base, int(t.end.max()) + DAY_WINDOW - base + 1)
    fine = ~np.isnan(t.lat) & (t.radius <= FINE_RADIUS_KM)
    by_district = ~fine & (t.district >= 0) & (t.radius <= DISTRICT_RADIUS_KM)
    coarse = ~fine
    districts = int(t.district.max()) + 1
    district_area, country_area = t.district, districts + t.country
    own_area = np.where(by_district, district_area, country_area)

    def kept(chunk: Chunk, shut: bool = False) -> Chunk:
        i, j = chunk
        ok = (i < j) if side is None else (side[i] != side[j])
        if shut:  # (3) below: already made by (2) from the other side
            ok &= ~(coarse[i] & np.where(by_district[i], t.district[j] == t.district[i],
                                         t.country[j] == t.country[i]))  # fmt: skip
        return i[ok], j[ok]

    # (1) Points fine enough for grid cells, with the records of the 9 cells around.
    cells = np.flatnonzero(fine)
    if len(cells):
        x = np.floor_divide(t.lon[cells], CELL_DEGREES).astype(np.int64)
        y = np.floor_divide(t.lat[cells], CELL_DEGREES).astype(np.int64)
        x, y = x - x.min() + 1, y - y.min() + 1
        height = int(y.max()) + 2
        groups = _Groups(t, cells, x * height + y, frame)
        mine = np.isin(cells, left)
        for dx, dy in _NEIGHBOURS:
            keys = (x + dx) * height + (y + dy)
            for chunk in groups.pairs(cells[mine], keys[mine]):
                yield kept(chunk)
    # (2) A coarse record with every record of its district, or of its country.
    everyone = np.arange(n)
    has_district = np.flatnonzero(t.district >= 0)
    in_district = _Groups(t, has_district, district_area[has_district], frame)
    in_country = _Groups(t, everyone, country_area, frame)
    asking = left[by_district[left]]
    for chunk in in_district.pairs(asking, district_area[asking]):
        yield kept(chunk)
    asking = left[coarse[left] & ~by_district[left]]
    for chunk in in_country.pairs(asking, country_area[asking]):
        yield kept(chunk)
    # (3) A record with the coarse records whose district or country it lies in.
    rough = np.flatnonzero(coarse)
    around = _Groups(t, rough, own_area[rough], frame)
    asking = left[t.district[left] >= 0]
    for chunk in around.pairs(asking, district_area[asking]):
        yield kept(chunk, shut=True)
    for chunk in around.pairs(left, country_area[left]):
        yield kept(chunk, shut=True)


def shared_key_pairs(items: Sequence[Profile], sides: Sequence[int] | None = None) -> set[Pair]:
    """Pairs (i < j) citing the same source URL or carrying the same source event id:
    always compared, whatever their dates and places."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(items):
        for key in p.event_ids:
            groups["e:" + key].append(i)
        for key in p.urls:
            groups["u:" + key].append(i)
    pairs: set[Pair] = set()
    for members in groups.values():
        if 1 < len(members) <= _KEY_GROUP_LIMIT:
            for n, i in enumerate(members):
                pairs.update((i, j) for j in members[n + 1 :] if i != j)
    if sides is not None:
        pairs = {(i, j) for i, j in pairs if sides[i] != sides[j]}
    return pairs
