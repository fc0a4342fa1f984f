"""Map building as pure functions: a selection in, a folium map or HTML out."""

from __future__ import annotations

import json
import re

import pandas as pd

from incidents.maps import MapOptions, basemap, build_map, clicked_id, map_html
from incidents.maps.folium_map import MARKER_LIMIT, data_layer
from tests.tooltip_oracle import tooltip_html

HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def _rows(page: str) -> list[list]:
    """The marker rows embedded in the page's script."""
    match = re.search(r"var rows = (\[.*?\]);\n", page, re.S)
    assert match, "no marker rows in the page"
    return json.loads(match.group(1))


def test_markers_carry_type_precision_and_id(tarhuna):
    page = map_html(build_map(tarhuna))
    rows = _rows(page)
    assert len(rows) == len(tarhuna)
    assert {r[4] for r in rows} == set(tarhuna["id"])
    assert all(r[3] == 0 for r in rows)  # all town-level: hollow symbols, not sharp dots
    assert "L.markerClusterGroup" in page


def test_user_text_never_reaches_the_page_as_html(tarhuna):
    frame = tarhuna.copy()
    frame.loc[0, "title"] = HOSTILE
    frame.loc[0, "id"] = "x<b>y"
    page = map_html(build_map(frame, MapOptions(popups=True)))
    assert "<script>alert(2)" not in page
    assert "<img src=x" not in page
    assert "function esc(s)" in page  # tooltips are escaped in the browser too
    popup_text = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert popup_text in page or popup_text.replace("&", "\\u0026") in page


def test_tooltip_text_leads_back_to_the_incident():
    tip = tooltip_html(
        "tarhuna-ex-001", "A <b>title</b>", "mass_grave", "2020-06-01", "2020-11-25", "town"
    )
    assert "&lt;b&gt;" in tip
    text = re.sub(r"<[^>]+>", "", tip).replace("&lt;", "<").replace("&gt;", ">")
    assert clicked_id(text, {"tarhuna-ex-001"}) == "tarhuna-ex-001"
    assert clicked_id(text, {"other"}) is None
    assert clicked_id("12 incidents here", {"a"}) is None
    assert clicked_id(None, {"a"}) is None


def test_uncertainty_is_drawn_not_hidden(tarhuna):
    frame = tarhuna.copy()
    frame.loc[0, "location_precision"] = "approximate"
    frame.loc[0, "location_uncertainty_km"] = 12
    frame.loc[1, "location_precision"] = "district"
    frame.loc[2, "location_precision"] = "country"
    _group, drawn = data_layer(frame, MapOptions())
    page = map_html(build_map(frame))
    assert "12000" in page  # the stated radius, in metres, as a ring
    assert "5000" in page  # town: the default ring of about 5 km
    assert "Shaded district" in page and "dashArray" in page
    assert drawn.not_drawable == 1  # country-only: counted, not drawn as a dot
    assert "not drawn" in page


def test_too_many_in_view_become_grid_cells(synthetic_10k):
    _group, drawn = data_layer(synthetic_10k, MapOptions(), (9.0, 19.0, 26.0, 34.0))
    assert drawn.kind == "grid"
    assert drawn.in_view > MARKER_LIMIT
    page = map_html(build_map(synthetic_10k, view=(9.0, 19.0, 26.0, 34.0)))
    assert len(page.encode()) < 400_000  # a grid, not ten thousand markers


def test_zoomed_in_view_gets_markers_only_for_that_view(synthetic_10k):
    tripoli = (12.9, 32.6, 13.5, 33.0)
    _group, drawn = data_layer(synthetic_10k, MapOptions(), tripoli)
    assert drawn.kind in ("markers", "grid")
    if drawn.kind == "markers":
        assert drawn.drawn <= MARKER_LIMIT


def test_heat_and_district_layers(tarhuna):
    heat = map_html(build_map(tarhuna, MapOptions(layer="heat")))
    assert "L.heatLayer" in heat
    assert "canvas.leaflet-heatmap-layer { z-index: 300; }" in heat  # over the outlines
    choropleth = map_html(build_map(tarhuna, MapOptions(layer="districts")))
    assert "LY-MB" in choropleth and "Incidents" in choropleth
    people = map_html(build_map(tarhuna, MapOptions(layer="districts", measure="disappeared_best")))
    assert "People disappeared" in people


def test_selected_incident_is_ringed(tarhuna):
    page = map_html(build_map(tarhuna, MapOptions(selected_id="tarhuna-ex-003")))
    assert "incident-selected" in page


def test_basemap_is_bundled_outlines_and_tiles_are_opt_in():
    offline = map_html(basemap())
    assert "tile.openstreetmap" not in offline and "L.tileLayer" not in offline
    assert "L.geoJSON" in offline and "maxZoom" in offline
    online = map_html(basemap(online_tiles=True))
    assert "tile.openstreetmap.org" in online
    # The outlines still come, in a pane under the tiles: offline, the map is not blank.
    assert '"outlinesUnderTiles"' in online and "L.geoJSON" in online


def test_empty_selection_still_draws_a_map():
    empty = pd.DataFrame(columns=["id", "type", "title", "latitude", "longitude"])
    page = map_html(build_map(empty))
    assert "L.map(" in page


def test_many_incidents_at_one_town_centre_are_one_cluster_not_a_grid(tarhuna):
    frame = pd.concat([tarhuna] * 400, ignore_index=True)  # 3600 at the same point
    frame["id"] = [f"x{i}" for i in range(len(frame))]
    _group, drawn = data_layer(frame, MapOptions(), (13.5, 32.3, 13.8, 32.5))
    assert drawn.kind == "markers" and drawn.drawn == len(frame)


def test_popups_need_no_jquery() -> None:
    """folium's own Popup calls jQuery's $(), which is not bundled; ours does not."""
    import pandas as pd

    frame = pd.DataFrame(
        [{"id": "a", "type": "killing", "title": "T", "date_start": "2020-01-01",
          "date_end": "2020-01-01", "latitude": 32.4, "longitude": 13.6,
          "location_precision": "exact", "description": "D"}]
    )  # fmt: skip
    page = map_html(build_map(frame, MapOptions(popups=True)))
    assert "bindPopup" in page and "\\u003cb dir='auto'\\u003eT\\u003c/b\\u003e" in page
    assert "$(`" not in page and "`" not in page.split("<script>")[-1]  # no template literal


def test_a_clicked_districts_tooltip_text_names_its_code():
    from incidents.maps import clicked_district
    from incidents.maps.layers_geo import choropleth

    data = choropleth(("LY",), {"LY-MB": 9.0}, lambda v: "#123456", "incidents")
    tip = next(
        f["properties"]["_tip"] for f in data["features"] if f["properties"]["code"] == "LY-MB"
    )
    # What streamlit-folium sends for a click: the tooltip's textContent.
    text = re.sub(r"<[^>]+>", "", tip)
    assert clicked_district(text) == "LY-MB"
    assert "<span hidden>district:LY-MB;</span>" in tip  # not shown on hover
    assert clicked_district("Incident Ref. tarhuna-ex-001") is None
    assert clicked_district(None) is None


def test_direction_overrides_are_left_out_of_tooltips_and_popups(tarhuna):
    """A title "\u202e12 killed" drew "dellik 21" (tried as an Arabic reader would)."""
    frame = tarhuna.copy()
    frame["title"] = frame["title"].astype(object)
    frame.loc[0, "title"] = "\u202e12 killed\u202c \u2067عربي\u2069"
    page = map_html(build_map(frame, MapOptions(popups=True)))
    assert "12 killed" in page
    marks = ("\u202e", "\u202c", "\u2067", "\u2069", "\\u202e", "\\u202c", "\\u2067", "\\u2069")
    assert not [m for m in marks if m in page]
