"""The offline outlines under the map (layers_geo.outline_geojson)."""

from __future__ import annotations

import json

import shapely

from incidents.maps.layers_geo import outline_geojson

RIYADH = shapely.Point(46.7, 24.7)  # between Libya and Afghanistan
TUNIS = shapely.Point(10.18, 36.8)  # Libya's neighbour


def _land(countries: tuple[str, ...]) -> shapely.Geometry:
    """The filled outlines (district lines are not land)."""
    features = json.loads(outline_geojson(countries))["features"]
    filled = [f for f in features if f["properties"]["_style"].get("fill", True)]
    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in filled])


def test_data_in_two_far_countries_draws_the_land_between_them() -> None:
    """Libya and Afghanistan were two squares of land in an empty world (the offline
    HTML map of an import of ACLED's Afghan rows beside the Tarhuna example)."""
    land = _land(("LY", "AF"))
    assert land.contains(RIYADH) and land.contains(TUNIS)


def test_one_country_draws_its_neighbours_only() -> None:
    land = _land(("LY",))
    assert land.contains(TUNIS) and not land.contains(RIYADH)
