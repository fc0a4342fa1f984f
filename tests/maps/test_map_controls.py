"""The map's controls, town names and selection as strings: what the page is told to do."""

from __future__ import annotations

import json
import re

import pandas as pd

from incidents.maps import MapOptions, basemap, build_map, map_html
from incidents.maps.folium_map import data_layer
from incidents.maps.map_controls import FIT_MAX_ZOOM, extent
from incidents.maps.offline_assets import external_urls
from incidents.maps.place_labels import label_rows, min_zoom


def _page(m) -> str:  # type: ignore[no-untyped-def]
    return map_html(m)


def test_a_map_opened_without_a_view_fits_its_data_once():
    page = _page(basemap())
    assert "map._incidentFitPending = true" in page
    shared = _page(basemap(center=(32.4, 13.9), zoom=8))
    assert "map._incidentFitPending = false" in shared  # a shared link's view wins
    assert f"map._incidentFitMaxZoom = {FIT_MAX_ZOOM}" in page


def test_every_layer_tells_the_map_its_extent(tarhuna):
    frame = tarhuna.copy()
    frame.loc[0, ["latitude", "longitude"]] = [32.9, 13.1]  # one in Tripoli's suburbs
    page = map_html(build_map(frame))
    match = re.search(r"var bounds = (\[\[.*?\]\]);", page)
    assert match
    (south, west), (north, east) = json.loads(match.group(1))
    assert south <= 32.43501 <= north and west <= 13.1 and east >= 13.633 and north >= 32.9


def test_one_spot_is_grown_to_a_readable_extent():
    (south, west), (north, east) = extent([32.435, 32.435], [13.633, 13.633]) or []
    assert north - south >= 0.049 and east - west >= 0.049
    assert extent([], []) is None


def test_zoom_to_incidents_and_full_screen_are_controls_drawn_offline():
    page = map_html(basemap(), standalone=True)
    assert "requestFullscreen" in page and "_incidentButtons" in page
    assert "map.getSize().x < 450 ? 100 : 150" in page  # "1000 km" ran past a 50 px line
    assert external_urls(page) == []
    # Each data layer names the controls in the reader's language (ControlWords).
    drawn = map_html(build_map(pd.DataFrame(columns=["id"])), standalone=True)
    assert "Zoom to the incidents" in drawn and "Full screen" in drawn


def test_the_legend_starts_collapsed_and_keeps_the_readers_choice():
    page = _page(basemap())
    assert "map._incidentLegendOpen = false" in page
    assert "MutationObserver" in page  # each redrawn legend takes the kept state


def test_town_names_come_from_the_gazetteer_by_population():
    rows = {name: zoom for _lat, _lon, name, zoom in label_rows("LY")}
    assert rows["Tripoli"] <= 5 and rows["Benghazi"] <= 5
    assert 7 <= rows["Tarhuna"] <= 8  # a town of 52,000: named from the region's view
    assert all(z <= 9 for z in rows.values())  # every place named by zoom 9
    assert min_zoom(600) == 9 and min_zoom(1_500_000) == 4
    pops = [z for *_, z in label_rows("LY")]
    assert pops == sorted(pops)  # most populous first: placed before the villages


def test_town_names_sit_under_the_markers_and_only_offline():
    page = _page(basemap())
    assert '"Tarhuna"' in page and "placeLabels" in page
    assert 'pane.style.pointerEvents = "none"' in page
    z = int(re.search(r"pane.style.zIndex = (\d+);", page).group(1))  # type: ignore[union-attr]
    assert 400 < z < 600  # above the outlines, below Leaflet's marker pane
    assert "placeLabels" not in _page(basemap(online_tiles=True))  # the tiles name places


def test_town_names_keep_clear_of_the_maps_controls():
    """The buttons, legend, scale and credits stand over the names' pane, on the right in
    Arabic: each control is a box no name or dot is drawn in (it lay hidden under the
    zoom buttons), and the names are placed again when a control moves or opens."""
    page = _page(basemap())
    assert 'querySelectorAll(".leaflet-control")' in page
    assert "hits(box, covered)" in page  # tried under its dot, then above it
    assert 'querySelector(".leaflet-control-container")' in page


def test_the_selected_incident_is_brought_out_of_its_cluster(tarhuna):
    group, _ = data_layer(tarhuna, MapOptions(selected_id="tarhuna-ex-003"))
    page = map_html(build_map(tarhuna, MapOptions(selected_id="tarhuna-ex-003")))
    assert "zoomToShowLayer" in page and "incident-picked" in page
    assert '"tarhuna-ex-003"' in page
    assert "zoomToShowLayer" not in map_html(build_map(tarhuna))
    assert group is not None


def test_record_text_reaches_the_selection_only_as_inert_data(tarhuna):
    frame = tarhuna.copy()
    frame.loc[0, "id"] = 'x"</script>{{7*7}}'
    page = map_html(build_map(frame, MapOptions(selected_id=frame.loc[0, "id"])))
    assert "</script>{{" not in page and "{{7*7}}" not in page


def test_districts_and_heat_layers_carry_an_extent_too(tarhuna):
    for layer in ("districts", "heat"):
        page = map_html(build_map(tarhuna, MapOptions(layer=layer)))
        assert re.search(r"var bounds = \[\[", page), layer


def test_grid_levels_from_the_index_carry_their_extent():
    from incidents.maps import plan, pyramid

    rows, cols = pd.Series([100, 101]).to_numpy(), pd.Series([50, 52]).to_numpy()
    level = pyramid.Level(8, rows, cols, pd.DataFrame([[1], [2]]).to_numpy())
    box = plan.levels_extent(pyramid.Pyramid(["x"], level))
    size = pyramid.step(8)
    assert box == extent([100 * size, 102 * size], [50 * size, 53 * size])


def test_district_totals_from_the_index_open_on_the_districts_that_hold_incidents():
    from incidents.maps.folium_map import summary_layer
    from incidents.maps.map_controls import DataExtent

    table = pd.DataFrame(
        {"value": [9.0, 0.0], "records": [9, 0], "with_best": [9, 0], "with_number": [9, 0]},
        index=["LY-MB", "LY-KF"],
    )
    options = MapOptions(layer="districts")
    group, _drawn = summary_layer("districts", (table, 0, 9), options, None, 0)
    box = next(c.bounds for c in group._children.values() if isinstance(c, DataExtent))
    (south, west), (north, east) = box
    assert 31 < south < north < 33.5 and 13 < west < east < 15.5  # Murqub, not all of Libya
