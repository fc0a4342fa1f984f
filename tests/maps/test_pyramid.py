"""Grid levels: every level's counts are the rows' counts at that zoom, for each viewer;
the levels stay within their cell limits; `covers` says exactly which views they draw.

A real GeoPackage store holding synthetic incidents (incidents.synthetic).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from incidents.access import PUBLIC
from incidents.importer import import_file
from incidents.maps import aggregate, pyramid
from incidents.query import Query
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.column_load import build_index
from incidents.synthetic import write_synthetic_csv
from tests.conftest import EDITOR

TRIPOLI = (12.9, 32.6, 13.5, 33.0)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder: Path = tmp_path_factory.mktemp("pyramid")
    store = open_store(str(folder / "synthetic.gpkg"))
    assert import_file(write_synthetic_csv(folder / "s.csv", 600, seed=5), store, EDITOR).accounted
    return store


def _expected(store: Store, who, query: Query, zoom: int, box=None) -> Counter:
    """Counts per cell from the rows the viewer may read, as a person would count them."""
    rows = aggregate.located(store.query(query, who))
    rows = aggregate.in_bounds(rows, box)
    size = pyramid.step(zoom)
    return Counter(
        (math.floor(lat / size), math.floor(lon / size))
        for lat, lon in zip(rows["latitude"], rows["longitude"], strict=True)
    )


def _counted(level: pyramid.Level) -> Counter:
    totals = level.totals()
    return Counter(
        {(int(r), int(c)): int(n) for r, c, n in zip(level.row, level.col, totals, strict=True)}
    )


@pytest.mark.parametrize("who", [EDITOR, PUBLIC], ids=["editor", "public"])
def test_every_level_counts_what_the_viewer_may_read(filled: Store, who) -> None:
    query = Query(types=("killing", "mass_grave", "enforced_disappearance", "detention"))
    levels = pyramid.build(build_index(filled, who), query, TRIPOLI, 8)
    assert levels is not None
    for zoom in range(pyramid.MIN_ZOOM, levels.whole.zoom + 1):
        assert _counted(levels.level(zoom)) == _expected(filled, who, query, zoom), zoom
    if levels.box is not None:
        for zoom in range(levels.whole.zoom + 1, levels.box.zoom + 1):
            expected = _expected(filled, who, query, zoom, levels.box_bounds)
            assert _counted(levels.level(zoom)) == expected, zoom


def test_count_columns_follow_the_types_and_hold_only_types_present(filled: Store) -> None:
    index = build_index(filled, EDITOR)
    levels = pyramid.build(index, Query(types=("killing", "displacement")), None, 6)
    assert levels is not None
    assert sorted(levels.types) == ["displacement", "killing"]
    assert levels.whole.counts.shape == (len(levels.whole), 2)
    assert int(levels.whole.counts.sum()) == index.count(
        Query(types=("killing", "displacement")), drawable=True
    )


def test_levels_keep_to_their_cell_limits(filled: Store, monkeypatch) -> None:
    monkeypatch.setattr(pyramid, "WHOLE_CELLS", 12)
    monkeypatch.setattr(pyramid, "BOX_CELLS", 30)
    levels = pyramid.build(build_index(filled, EDITOR), Query(), TRIPOLI, 9)
    assert levels is not None and levels.box is not None
    assert len(levels.whole) <= 12
    assert len(levels.box) <= 30
    assert levels.box.zoom > levels.whole.zoom


def test_covers_says_which_views_the_page_draws_by_itself(filled: Store, monkeypatch) -> None:
    monkeypatch.setattr(pyramid, "WHOLE_CELLS", 12)
    levels = pyramid.build(build_index(filled, EDITOR), Query(), TRIPOLI, 9)
    assert levels is not None and levels.box is not None and levels.box_bounds is not None
    far = (20.0, 30.0, 20.6, 30.4)
    assert levels.covers(far, levels.whole.zoom)  # zoomed out: the whole level, anywhere
    assert levels.covers(TRIPOLI, levels.box.zoom)  # zoomed in, inside the box
    assert not levels.covers(TRIPOLI, levels.box.zoom + 1)  # deeper than the levels held
    assert not levels.covers(far, levels.whole.zoom + 1)  # outside the box
    assert not levels.covers(TRIPOLI, None)
    west, south, east, north = levels.box_bounds
    assert west <= TRIPOLI[0] and east >= TRIPOLI[2] and south <= TRIPOLI[1] and north >= TRIPOLI[3]


def test_an_empty_selection_has_no_levels(filled: Store) -> None:
    index = build_index(filled, EDITOR)
    assert pyramid.build(index, Query(types=("no_such_type",)), TRIPOLI, 8) is None


def test_a_view_asked_again_is_answered_from_the_snapshot(filled: Store) -> None:
    """Every new visitor's first map asks for the same view: the levels are kept with
    the snapshot (which never changes), and each other view gets its own."""
    index = build_index(filled, EDITOR)
    first = pyramid.build(index, Query(), TRIPOLI, 8)
    assert pyramid.build(index, Query(), TRIPOLI, 8) is first
    other = pyramid.build(index, Query(types=("killing",)), TRIPOLI, 8)
    deeper = pyramid.build(index, Query(), TRIPOLI, 10)
    assert other is not first and deeper is not first and other is not None
    fresh = pyramid.build(build_index(filled, EDITOR), Query(types=("killing",)), TRIPOLI, 8)
    assert fresh is not None and _counted(other.whole) == _counted(fresh.whole)


def test_a_fit_to_tall_narrow_data_fits_its_height_too():
    """Chile-like data: 4 degrees wide, 38 tall. By its width alone the map would be
    zoomed in past its height; a fit takes the smaller zoom."""
    tall = (-74.0, -55.0, -70.0, -17.0)
    assert pyramid.zoom_for(tall, height_px=560) < pyramid.zoom_for(tall)
    wide = (9.0, 30.0, 26.0, 33.0)  # wide and low: the width decides
    assert pyramid.zoom_for(wide, height_px=560) == pyramid.zoom_for(wide)
