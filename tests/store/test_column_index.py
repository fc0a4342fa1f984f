"""ColumnIndex.build, a column at a time, against the whole-frame build it replaced
(kept here as the oracle): same rows, order, codes and labels, from chunks whose
categories differ, including empty chunks."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.query import Query
from incidents.store.column_index import _CODED, MEASURE_COLUMNS, ColumnIndex
from incidents.store.column_load import _NAMES, _compact, _empty

_WORDS = ["", "killing", "mass grave", "قتل", "{{ 7*7 }}", "=SUM(A1)", "\u202eabc"]


def _oracle(chunks: list[pd.DataFrame]) -> ColumnIndex:
    """The build before: concat, sort and factorize the strings of whole frames."""
    frame = pd.concat(chunks, ignore_index=True)
    order = np.lexsort((frame["fid"].to_numpy(), frame["start"].to_numpy()))
    frame = frame.iloc[order].reset_index(drop=True)
    codes, labels = {}, {}
    for name in _CODED:
        number, uniques = pd.factorize(frame[name].fillna("").astype(str))
        codes[name], labels[name] = number.astype(np.int16), [str(u) for u in uniques]
    return ColumnIndex(
        fid=frame["fid"].to_numpy(np.int64),
        start=frame["start"].to_numpy(np.int32),
        end=frame["end"].to_numpy(np.int32),
        lat=frame["latitude"].to_numpy(float),
        lon=frame["longitude"].to_numpy(float),
        has_latitude=frame["has_latitude"].to_numpy(bool),
        drawable=frame["drawable"].to_numpy(bool),
        measures={m: frame[m].to_numpy(np.float32) for m in MEASURE_COLUMNS},
        codes=codes,
        labels=labels,
    )


def _chunk(rng: np.random.Generator, fids: np.ndarray) -> pd.DataFrame:
    """Rows as column_load reads them (a chunk's own few values per column)."""
    n = len(fids)

    def text() -> np.ndarray:
        return rng.choice(np.array([*_WORDS, None], dtype=object)[: rng.integers(1, 9)], n)

    raw = {"fid": fids, "type": text(), "verification": text(), "date_kind": text()}
    raw |= {"location_precision": text(), "admin1_code": text()}
    raw |= {"start": rng.integers(16000, 16010, n), "end": rng.integers(16010, 16020, n)}
    raw |= {"by_month": rng.integers(0, 2, n)}
    lat = rng.uniform(-30, 30, n)
    lat[rng.random(n) < 0.2] = np.nan
    raw |= {"latitude": lat, "longitude": rng.uniform(-30, 30, n)}
    raw |= {m: rng.choice([np.nan, 0.0, 3.0], n) for m in MEASURE_COLUMNS}
    return _compact(pd.DataFrame(raw, columns=_NAMES), None)


@settings(deadline=None, max_examples=40)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=5), st.integers(0, 2**32 - 1))
def test_chunks_build_what_the_whole_frame_built(sizes: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    fids = rng.permutation(1000)[: sum(sizes)] + 1
    bounds = np.cumsum([0, *sizes])
    chunks = [_chunk(rng, fids[a:b]) if b > a else _empty() for a, b in pairwise(bounds)]
    built, expected = ColumnIndex.build(chunks), _oracle(chunks)
    for name in ("fid", "start", "end", "lat", "lon", "has_latitude", "drawable"):
        np.testing.assert_array_equal(getattr(built, name), getattr(expected, name))
        assert getattr(built, name).dtype == getattr(expected, name).dtype
    for name in MEASURE_COLUMNS:
        np.testing.assert_array_equal(built.measures[name], expected.measures[name])
    assert built.labels == expected.labels
    for name in _CODED:
        np.testing.assert_array_equal(built.codes[name], expected.codes[name])
        assert built.codes[name].dtype == np.int16


def test_district_counts_count_every_record_whatever_the_filter() -> None:
    rng = np.random.default_rng(7)
    index = ColumnIndex.build([_chunk(rng, np.arange(1, 60))])
    counts = dict(index.district_counts())
    assert sum(counts.values()) == len(index.fid)
    labels = np.asarray(index.labels["admin1_code"], dtype=object)
    for code, n in counts.items():
        assert n == int((labels[index.codes["admin1_code"]] == code).sum())


def test_district_counts_of_a_query_count_its_matches_only() -> None:
    """The export panel's title example said "Incidents in several countries" for a
    selection all in Libya: it counted the whole store."""
    rng = np.random.default_rng(7)
    index = ColumnIndex.build([_chunk(rng, np.arange(1, 60))])
    kind = index.labels["type"][int(index.codes["type"][0])]
    query = Query(types=(kind,), include_unlocated=True)
    counts = dict(index.district_counts(query))
    assert sum(counts.values()) == index.count(query) < len(index.fid)
