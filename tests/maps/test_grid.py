"""incidents.grid, the one place cells are numbered and counted, checked against the
slow references in tests/grid_oracles.py on random points (hypothesis), and through
each caller: map levels (pyramid), image squares (export.cells), the column index's
per-cell sums, heat points. People per cell follow count_totals (unknown is not zero).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents import count_totals, grid
from incidents.export.cells import count_cells
from incidents.maps import aggregate, pyramid
from incidents.store.column_index import ColumnIndex
from tests import grid_oracles
from tests import people_words_oracle as oracle

LAT = st.floats(19.0, 34.0, allow_nan=False)
LON = st.floats(9.0, 26.0, allow_nan=False)
POINTS = st.lists(st.tuples(LAT, LON, st.integers(0, 3)), max_size=60)
SIZES = st.sampled_from([0.001, 0.05, 0.25, 1.0, 7.0])


def _arrays(points: list[tuple[float, float, int]]) -> tuple[np.ndarray, ...]:
    lat, lon, kind = (np.asarray(v) for v in zip(*points, strict=True)) if points else ([],) * 3
    return np.asarray(lat, float), np.asarray(lon, float), np.asarray(kind, np.int64)


def _slots(cells: grid.Cells, counts: np.ndarray) -> dict[tuple[int, int, int], int]:
    return {
        (int(r), int(c), k): int(counts[i, k])
        for i, (r, c) in enumerate(zip(cells.row, cells.col, strict=True))
        for k in range(cells.kinds)
        if counts[i, k]
    }


@settings(deadline=None, max_examples=80)
@given(POINTS, SIZES, st.floats(0.5, 2.0), st.tuples(LAT, LON))
def test_bin_points_counts_what_a_person_counts(points, size, stretch, origin) -> None:
    lat, lon, kind = _arrays(points)
    cells = grid.bin_points(lat, lon, size, kind, 4, size_lon=size * stretch, origin=origin)
    want = grid_oracles.cell_counts(lat, lon, size, kind, size * stretch, origin)
    assert _slots(cells, cells.counts()) == want
    keys = list(zip(cells.row.tolist(), cells.col.tolist(), strict=True))
    assert keys == sorted(set(keys))  # distinct, row-major


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(-(10**9), 10**9), max_size=50) | st.lists(st.integers(-50, 50)))
def test_distinct_is_numpys_unique(values) -> None:
    key = np.asarray(values, np.int64)
    uniq, inverse = grid.distinct(key)
    want, want_inverse = np.unique(key, return_inverse=True)
    assert uniq.tolist() == want.tolist() and inverse.tolist() == want_inverse.ravel().tolist()


@settings(deadline=None, max_examples=60)
@given(POINTS, st.integers(5, 12), st.integers(1, 4))
def test_a_coarser_level_is_the_points_counted_at_that_zoom(points, zoom, down) -> None:
    lat, lon, kind = _arrays(points)
    level = pyramid.from_points(lat, lon, kind, list("abcd"), None, zoom)
    if not points:
        assert level is None
        return
    assert level is not None
    coarse = level.whole.coarser(max(level.whole.zoom - down, pyramid.MIN_ZOOM))
    size = pyramid.step(coarse.zoom)
    want = Counter(
        (math.floor(a / size), math.floor(b / size)) for a, b in zip(lat, lon, strict=True)
    )
    got = {
        (int(r), int(c)): int(n)
        for r, c, n in zip(coarse.row, coarse.col, coarse.totals(), strict=True)
    }
    assert got == dict(want)


@settings(deadline=None, max_examples=60)
@given(POINTS, st.sampled_from([1, 5, 25, 100]))
def test_image_squares_count_the_points_inside_the_extent(points, km) -> None:
    lat, lon, _ = _arrays(points)
    extent = (12.0, 25.0, 20.0, 32.0)
    squares = count_cells(lat, lon, extent, km)
    west, south, east, north = extent
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    want = grid_oracles.cell_counts(
        lat[inside], lon[inside], squares.dlat, None, squares.dlon, (south, west)
    )
    got = {
        (int(r), int(c), 0): int(n)
        for r, c, n in zip(squares.row, squares.col, squares.n, strict=True)
    }
    assert got == want and squares.outside_view == int((~inside).sum())


def _index(lat: np.ndarray, lon: np.ndarray, kind: np.ndarray) -> ColumnIndex:
    n = len(lat)
    zeros = np.zeros(n, np.int16)
    return ColumnIndex(
        fid=np.arange(n, dtype=np.int64), codes={"type": kind.astype(np.int16), "x": zeros},
        labels={"type": list("abcd")}, start=np.zeros(n, np.int32), end=np.zeros(n, np.int32),
        lat=lat, lon=lon, has_latitude=np.ones(n, bool), drawable=np.ones(n, bool), measures={},
    )  # fmt: skip


@settings(deadline=None, max_examples=60)
@given(POINTS, SIZES)
def test_the_index_point_counts_are_a_group_by(points, step) -> None:
    from incidents.query import Query

    lat, lon, kind = _arrays(points)
    ours = _index(lat, lon, kind).point_counts(Query(), step)
    theirs = grid_oracles.point_counts(lat, lon, kind, list("abcd"), step)
    key = ["type", "n"]
    pd.testing.assert_frame_equal(
        ours.sort_values([*key, "latitude", "longitude"]).reset_index(drop=True)[key],
        theirs.sort_values([*key, "latitude", "longitude"]).reset_index(drop=True)[key],
        check_dtype=False,
    )
    assert np.allclose(np.sort(ours["latitude"]), np.sort(theirs["latitude"]))


NUMBER = st.one_of(st.none(), st.integers(0, 50))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(LAT, LON, NUMBER, NUMBER), max_size=40), SIZES)
def test_people_per_cell_are_count_totals_per_cell(rows, size) -> None:
    frame = pd.DataFrame(rows, columns=["latitude", "longitude", "killed_best", "killed_min"])
    lat, lon = frame["latitude"].to_numpy(float), frame["longitude"].to_numpy(float)
    cells = grid.bin_points(lat, lon, size)
    table = cells.people(frame["killed_best"].to_numpy(float), frame["killed_min"].to_numpy(float))
    for i, (r, c) in enumerate(zip(cells.row, cells.col, strict=True)):
        mine = frame[(np.floor(lat / size) == r) & (np.floor(lon / size) == c)]
        assert count_totals.as_total(table[i]) == count_totals.total(mine, "killed")


def test_a_cell_whose_records_give_no_number_is_unknown_not_zero() -> None:
    cells = grid.bin_points(np.array([32.1, 32.2]), np.array([13.1, 13.2]), 1.0)
    table = cells.people(np.array([np.nan, np.nan]), np.array([np.nan, np.nan]))
    assert oracle.words(count_totals.as_total(table[0])) == count_totals.UNKNOWN


def test_heat_points_binned_keep_every_incident(synthetic_10k) -> None:
    many = aggregate.heat_points(synthetic_10k, max_points=500)
    assert sum(p[2] for p in many) == len(aggregate.located(synthetic_10k))
