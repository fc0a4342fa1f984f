"""Which layer a view gets, and the views it covers without a new one (what the app
keeps while the browser zooms and pans by itself). The layer is checked as the string
streamlit-folium sends. A real GeoPackage store holding synthetic incidents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit_folium import _get_feature_group_string

from incidents.access import PUBLIC
from incidents.importer import import_file
from incidents.maps import MapOptions, basemap, plan, pyramid
from incidents.maps.layers_grid import grid_data
from incidents.query import Query
from incidents.store import open_store
from incidents.store.base import Store
from incidents.store.column_index import ColumnIndex
from incidents.store.column_load import build_index
from incidents.synthetic import write_synthetic_csv
from tests.conftest import EDITOR

COUNTRY = (8.0, 18.0, 27.0, 35.0)
MANY = MapOptions(marker_limit=40)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder: Path = tmp_path_factory.mktemp("plan")
    store = open_store(str(folder / "synthetic.gpkg"))
    assert import_file(write_synthetic_csv(folder / "s.csv", 500, seed=9), store, EDITOR).accounted
    return store


def _layer(store: Store, idx: ColumnIndex, options: MapOptions, bounds, zoom, who=EDITOR):
    def rows(query, columns, limit):
        return store.rows_for(idx.first_fids(query, limit), who, list(columns))

    return plan.layer(idx, Query(), options, bounds, rows, zoom)


def _sent(group) -> str:
    return _get_feature_group_string(group, basemap("LY"))


def test_few_incidents_are_markers_that_cover_every_view(filled: Store) -> None:
    idx = build_index(filled, EDITOR)
    group, drawn, coverage = _layer(filled, idx, MapOptions(), COUNTRY, 6)
    assert drawn.kind == "markers" and drawn.drawn == idx.count(Query(), drawable=True)
    assert coverage.covers((20.0, 30.0, 21.0, 31.0), 14)
    assert "incidentId" in _sent(group)


def test_many_incidents_are_grid_levels_the_page_zooms_by_itself(filled: Store) -> None:
    idx = build_index(filled, EDITOR)
    group, drawn, coverage = _layer(filled, idx, MANY, COUNTRY, 6)
    assert drawn.kind == "grid"
    assert drawn.in_view == idx.count(Query(), drawable=True)
    assert coverage.levels is not None
    assert coverage.covers(COUNTRY, 6) and coverage.covers(COUNTRY, 6 + pyramid.FINER)
    assert coverage.covers((12.0, 32.0, 14.0, 33.0), 4)  # zoomed out: still drawn
    sent = _sent(group)
    data = json.loads(re.search(r"var data = (\{.*?\});\n", sent).group(1))
    assert data == json.loads(json.dumps(grid_data(coverage.levels, drawn.not_drawable)))


def test_zoomed_in_on_a_few_the_markers_cover_their_box_only(filled: Store) -> None:
    idx = build_index(filled, EDITOR)
    tripoli = (13.0, 32.75, 13.3, 32.95)
    in_box = idx.count(Query(bbox=plan.query_box(tripoli)), drawable=True)
    assert 0 < in_box < idx.count(Query(), drawable=True)
    _, drawn, coverage = _layer(filled, idx, MapOptions(marker_limit=in_box), tripoli, 12)
    assert drawn.kind == "markers"
    assert coverage.box is not None
    assert coverage.covers(tripoli, 13)
    assert not coverage.covers(COUNTRY, 6)


def test_district_totals_cover_every_view(filled: Store) -> None:
    idx = build_index(filled, EDITOR)
    _, drawn, coverage = _layer(filled, idx, MapOptions(layer="districts"), COUNTRY, 6)
    assert drawn.kind == "districts" and coverage.covers(None, 3)


def test_grid_text_is_escaped_and_public_levels_hold_no_exact_point(filled: Store) -> None:
    idx = build_index(filled, PUBLIC)
    levels = pyramid.build(idx, Query(), COUNTRY, 6)
    assert levels is not None
    data = grid_data(levels, 0)
    assert all("<" not in label for label in data["labels"])
    assert set(data["legends"]) == set(range(pyramid.MIN_ZOOM, levels.top + 1))
    exact = build_index(filled, EDITOR)
    assert len(levels.whole) < len(pyramid.build(exact, Query(), COUNTRY, 6).whole)


def test_a_map_not_yet_placed_gets_squares_for_its_incidents_extent(filled: Store) -> None:
    """Before the browser reports its view the page fits the incidents' extent; the
    squares were sized for Libya's box whatever the data (too fine for records
    worldwide, too coarse for one small area)."""
    idx = build_index(filled, EDITOR)
    small = Query(bbox=(13.0, 32.0, 14.5, 33.0))
    lat, lon, _ = idx.drawable_points(small)
    assert len(lat) > MANY.marker_limit
    wanted = pyramid.zoom_for(
        (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    )
    assert plan.first_zoom(idx, small) == wanted > pyramid.zoom_for(None)
    assert plan.first_zoom(idx, Query()) == plan.fit_zoom(*idx.drawable_points(Query())[:2])


def test_the_first_map_uses_the_levels_the_server_built_at_start(filled: Store) -> None:
    """The warm start (app_pages/common.py) builds the first map's grid levels with
    plan.first_zoom: the first visit finds them, not a second set for another zoom."""
    idx = build_index(filled, EDITOR)
    idx.derived.clear()
    pyramid.build(idx, Query(), None, plan.first_zoom(idx, Query()))
    built = set(idx.derived)
    _, drawn, _ = _layer(filled, idx, MANY, None, None)
    assert drawn.kind == "grid"
    assert set(idx.derived) == built
