"""The profiles of many records as numpy columns, so that blocking and scoring work on
millions of pairs at once instead of one pair at a time in Python.

Why columns: a pair judged in Python costs about 20 microseconds, so the pairs that a
dense store of 100,000 records puts forward (millions) took minutes; the same
comparisons as array operations over chunks of pairs cost well under a microsecond
each. Sets (source event ids, URLs, publishers, gazetteer places, description words)
become integer ids; most records hold at most one of each small set, so "do they share
one" is a comparison of two integers, and only pairs where a record holds several go
through Python sets.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from incidents.duplicates.profile import Profile, dataset_of

Array = np.ndarray


def factorize(values: Iterable[Hashable]) -> tuple[Array, list[Hashable]]:
    """Each value's integer code and the distinct values, in order of appearance."""
    codes: dict[Hashable, int] = {}
    out = [codes.setdefault(v, len(codes)) for v in values]
    return np.asarray(out, dtype=np.int64), list(codes)


@dataclass(frozen=True)
class SetColumn:
    """One small set per record: its first member's code (-1 when empty) answers most
    pairs; pairs where either record holds more than one member are asked of the sets."""

    first: Array
    several: Array
    sets: dict[int, frozenset[int]]  # the records holding more than one member

    @classmethod
    def of(cls, values: Sequence[frozenset[Hashable]], codes: dict[Hashable, int]) -> SetColumn:
        first = np.full(len(values), -1, dtype=np.int64)
        sets: dict[int, frozenset[int]] = {}
        for k, members in enumerate(values):
            if len(members) == 1:
                (only,) = members
                first[k] = codes.setdefault(only, len(codes))
            elif members:
                sets[k] = frozenset(codes.setdefault(v, len(codes)) for v in members)
                first[k] = min(sets[k])
        several = np.zeros(len(values), dtype=bool)
        several[list(sets)] = True
        return cls(first, several, sets)

    def members(self, k: int) -> frozenset[int]:
        return self.sets.get(k) or frozenset([int(self.first[k])] if self.first[k] >= 0 else [])

    def shared(self, i: Array, j: Array) -> Array:
        """Whether records i and j (element-wise) share a member."""
        out = (self.first[i] == self.first[j]) & (self.first[i] >= 0)
        both = np.flatnonzero(self.several[i] | self.several[j])
        if len(both):
            members = self.members
            out[both] = [
                bool(members(a) & members(b))
                for a, b in zip(i[both].tolist(), j[both].tolist(), strict=True)
            ]
        return out


@dataclass(frozen=True)
class Table:
    """Every column the blocking and the scorer read, one row per profile."""

    profiles: Sequence[Profile]
    start: Array
    end: Array
    by_day: Array  # date precision is "day"
    lat: Array  # NaN without a point
    lon: Array
    radius: Array
    type: Array  # code into type_names
    type_names: list[Hashable]
    country: Array  # code; country_names[code] may be ""
    country_names: list[Hashable]
    admin1: Array  # code of admin1_code; -1 when empty
    district: Array  # code of "country/district"; -1 when the record names none
    place: Array  # code of the normalised place; -1 when empty
    text: list[str]  # the title's words sorted, as token_sort_ratio compares them
    has_text: Array
    perpetrators: Array  # code into perpetrator_names; -1 when none
    perpetrator_names: list[Hashable]
    killed: Array  # -1 when unknown
    words: Array  # code of the description's word set
    word_sets: list[frozenset[str]]
    word_count: Array
    places: SetColumn
    urls: SetColumn
    publishers: SetColumn
    event_ids: SetColumn
    dataset_events: SetColumn  # event ids that name their data set ("acled:...")
    datasets: Array  # code of the set of data sets; -1 when none

    def __len__(self) -> int:
        return len(self.profiles)


def _code_or_none(values: Iterable[str]) -> tuple[Array, list[Hashable]]:
    codes, names = factorize(values)
    if "" in names:
        empty = names.index("")
        codes = np.where(codes == empty, -1, codes)
    return codes, names


def table_of(items: Sequence[Profile]) -> Table:
    """The columns of the profiles (one pass in Python, then arrays)."""
    n = len(items)
    point = [p.lat is not None and p.lon is not None for p in items]
    words, word_sets = factorize(p.words for p in items)
    datasets, _ = _code_or_none(
        ",".join(sorted({dataset_of(e) for e in p.event_ids} - {""})) for p in items
    )
    types, type_names = factorize(p.type for p in items)
    countries, country_names = factorize(p.country for p in items)
    perpetrators, perpetrator_names = _code_or_none(p.perpetrators for p in items)
    keys: dict[Hashable, int] = {}
    return Table(
        profiles=items,
        start=np.fromiter((p.start for p in items), np.int64, n),
        end=np.fromiter((p.end for p in items), np.int64, n),
        by_day=np.fromiter((p.precision == "day" for p in items), bool, n),
        lat=np.fromiter(
            (p.lat if ok else np.nan for p, ok in zip(items, point, strict=True)), float, n
        ),
        lon=np.fromiter(
            (p.lon if ok else np.nan for p, ok in zip(items, point, strict=True)), float, n
        ),
        radius=np.fromiter((p.radius_km for p in items), float, n),
        type=types,
        type_names=type_names,
        country=countries,
        country_names=country_names,
        admin1=_code_or_none(p.admin1_code for p in items)[0],
        district=_code_or_none(f"{p.country}/{p.district}" if p.district else "" for p in items)[0],
        place=_code_or_none(p.place for p in items)[0],
        text=[" ".join(sorted(p.text.split())) for p in items],
        has_text=np.fromiter((bool(p.text) for p in items), bool, n),
        perpetrators=perpetrators,
        perpetrator_names=perpetrator_names,
        killed=np.fromiter((-1 if p.killed is None else p.killed for p in items), np.int64, n),
        words=words,
        word_sets=word_sets,  # type: ignore[arg-type]
        word_count=np.fromiter((len(p.words) for p in items), np.int64, n),
        places=SetColumn.of([p.places for p in items], {}),
        urls=SetColumn.of([p.urls for p in items], {}),
        publishers=SetColumn.of([p.publishers for p in items], {}),
        event_ids=SetColumn.of([p.event_ids for p in items], keys),
        dataset_events=SetColumn.of(
            [frozenset(e for e in p.event_ids if dataset_of(e)) for p in items], keys
        ),
        datasets=datasets,
    )
