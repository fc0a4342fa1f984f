"""Build the incident map: a selection (a DataFrame) in, a folium map or its HTML out.

Pure functions, no Streamlit: the app, the tests and the HTML export all call these.
The map is split in two so the app can keep the basemap mounted and swap only the
data: basemap() draws the bundled outlines; data_layer() draws the selection as
markers, grid cells, a heat map or a district choropleth.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.plugins import HeatMap

from geodata import ATTRIBUTION
from incidents.maps import aggregate, district_layer, layers, layers_geo, legend, pyramid
from incidents.maps.layers_grid import add_grid_levels
from incidents.maps.map_controls import (
    ControlWords,
    DataExtent,
    SelectedIncident,
    ViewControls,
    extent,
    fit_zoom,
)
from incidents.maps.map_options import MARKER_LIMIT, Drawn, MapOptions
from incidents.maps.marker_text import popup_html
from incidents.maps.offline_assets import STATIC_URL, inline_assets, localize
from incidents.maps.page_data import check_tree
from incidents.maps.place_labels import PlaceLabels
from incidents.maps.symbols import type_symbols
from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS
from incidents.styles import uncertainty_km
from incidents.translation import N_, readable

Bounds = tuple[float, float, float, float]  # west, south, east, north

LAYERS: dict[str, str] = {  # English, marked for the catalogue; shown through _()
    "markers": N_("Incidents"),
    "heat": N_("Heat map"),
    "districts": N_("Totals per district"),
}
MAP_COLUMNS: tuple[str, ...] = (
    "id", "type", "title", "date_start", "date_end", "latitude", "longitude",
    "location_precision", "location_uncertainty_km", "admin1_code",
    "killed_best", "disappeared_best", "displaced_best",
)  # fmt: skip
MAX_ZOOM = 16
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
UNDER_TILES = "outlinesUnderTiles"  # a pane under the tiles: the offline outlines
TILE_CREDIT = "&copy; OpenStreetMap contributors"
_TYPE_INDEX = {code: i for i, code in enumerate(INCIDENT_TYPES.codes)}
_PRECISION_INDEX = {code: i for i, code in enumerate(LOCATION_PRECISIONS.codes)}


def basemap(
    countries: str | Sequence[str] = ("LY",),
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    online_tiles: bool = False,
    height: int | str = "100%",
    animate_zoom: bool = True,
) -> folium.Map:
    """The bundled country and district outlines, ready to take a data layer.

    animate_zoom False: a zoom jumps and the new layer is drawn at once (about 60 ms),
    where Leaflet's animation holds it back by 0.4 to 0.8 s on a busy 2-core machine.
    No center or zoom (no shared view): the map fits the first data layer it is given.
    """
    countries = (countries,) if isinstance(countries, str) else tuple(countries)
    fit_data = center is None or zoom is None
    if center is None or zoom is None:
        home, home_zoom = default_view(countries[0])
        center, zoom = center or home, zoom or home_zoom
    m = folium.Map(
        location=list(center),
        zoom_start=zoom,
        tiles=None,
        control_scale=False,  # map_controls.ViewControls draws it, in the reader's words
        maxZoom=MAX_ZOOM,  # as map options: markercluster needs the map's own maxZoom
        minZoom=3,
        height=height,
        prefer_canvas=False,
        zoomAnimation=animate_zoom,
    )
    if online_tiles:  # the outlines under the tiles: offline, the map is not blank
        folium.TileLayer(
            TILE_URL, attr=TILE_CREDIT, name="OpenStreetMap", max_zoom=MAX_ZOOM
        ).add_to(m)
        layers_geo.Polygons(layers_geo.outline_geojson(countries), pane=UNDER_TILES).add_to(m)
    else:
        layers_geo.Polygons(layers_geo.outline_geojson(countries)).add_to(m)
        PlaceLabels(countries).add_to(m)
    layers.Assets(ATTRIBUTION).add_to(m)
    ViewControls(fit_data).add_to(m)
    return localize(m)


def default_view(
    country: str = "LY", width_px: int = 600, height_px: int = 560
) -> tuple[tuple[float, float], int]:
    """Centre and zoom that show the whole country in a map of about that size.

    Computed here rather than left to Leaflet's fitBounds, which runs before the app's
    map frame has its size and then reports a view of the whole world.
    """
    west, south, east, north = layers_geo.country_bounds(country)
    centre = ((south + north) / 2, (west + east) / 2)

    def mercator(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    span_x = max(east - west, 1e-3)
    span_y = max(mercator(north) - mercator(south), 1e-3)
    zoom = math.floor(
        min(math.log2(360 * width_px / (256 * span_x)), math.log2(360 * height_px / (256 * span_y)))
    )
    return (round(centre[0], 5), round(centre[1], 5)), max(3, min(zoom, MAX_ZOOM))


def data_layer(
    frame: pd.DataFrame, options: MapOptions, view: Bounds | None = None
) -> tuple[folium.FeatureGroup, Drawn]:
    """The selection drawn the way options.layer says, as one feature group."""
    group = folium.FeatureGroup(name="incidents", control=False)
    frame = frame.reindex(columns=list(dict.fromkeys([*frame.columns, *MAP_COLUMNS])))
    drawable = aggregate.located(frame)
    hidden = len(frame) - len(drawable)
    if options.layer == "heat":
        drawn = _heat(group, drawable, hidden)
    elif options.layer == "districts":
        drawn = district_layer.districts(group, frame, options)
    else:
        drawn = _markers_or_grid(group, drawable, options, view, hidden)
    drawn.not_drawable = hidden
    DataExtent(_extent(drawable)).add_to(group)
    ControlWords().add_to(group)
    localize_group(group)
    return group, drawn


def _extent(points: pd.DataFrame) -> list[list[float]] | None:
    """The points' extent for map_controls (a fit, "Zoom to the incidents")."""
    if points.empty or "latitude" not in points:
        return None
    return extent(points["latitude"].astype(float), points["longitude"].astype(float))


def localize_group(group: folium.FeatureGroup) -> None:
    """Point a feature group's assets at the app's copies (they are loaded with the basemap)."""
    m = folium.Map(tiles=None)
    m.add_child(group)
    localize(m)
    m._children.pop(group.get_name(), None)


def _markers_or_grid(
    group: folium.FeatureGroup,
    points: pd.DataFrame,
    options: MapOptions,
    view: Bounds | None,
    hidden: int,
) -> Drawn:
    visible = points  # few enough: send them all, so panning needs no redraw
    if len(points) > options.marker_limit and view is not None:
        visible = aggregate.in_bounds(points, aggregate.pad_bounds(view))
    if len(visible) > options.marker_limit and not one_place(
        visible["latitude"].to_numpy(float), visible["longitude"].to_numpy(float)
    ):
        return _grid(group, visible, view, hidden, options.standalone)
    rows = [_marker_row(r) for r in _rows(visible)]
    icons = [list(type_symbols()[code]) for code in INCIDENT_TYPES.codes]
    layers.UncertaintyRings(_rings(visible)).add_to(group)
    districts = set(
        visible.loc[visible["location_precision"] == "district", "admin1_code"].dropna()
    )
    if districts:
        layers_geo.Polygons(layers_geo.district_shading(options.countries, districts)).add_to(group)
    layers.IncidentMarkers(
        rows,
        icons,
        [INCIDENT_TYPES.shown(c) for c in INCIDENT_TYPES.codes],
        [LOCATION_PRECISIONS.shown(c) for c in LOCATION_PRECISIONS.codes],
        cluster=options.cluster,
        popups={str(r.id): popup_html(r) for r in _rows(visible)} if options.popups else None,
    ).add_to(group)
    _highlight(group, visible, options.selected_id)
    html_legend = legend.markers_legend(
        [c for c in INCIDENT_TYPES.codes if c in set(visible["type"])],
        set(visible["location_precision"]),
        hidden,
    )
    layers.Legend(html_legend).add_to(group)
    return Drawn("markers", len(rows), len(visible), ids=list(visible["id"]))


def one_place(lat: np.ndarray, lon: np.ndarray, hard_limit: int = 4 * MARKER_LIMIT) -> bool:
    """True when the points all sit in one small spot (a town's centre): a grid cannot
    split them however far one zooms, so they are drawn as one cluster instead."""
    if len(lat) > hard_limit or not len(lat):
        return False
    return float(np.ptp(lat)) < 0.01 and float(np.ptp(lon)) < 0.01


def _rows(frame: pd.DataFrame) -> list[Any]:
    """Rows as named tuples (typed Any: columns are checked by MAP_COLUMNS, not by mypy)."""
    return list(frame.itertuples(index=False))


def _marker_row(r: Any) -> list[Any]:
    precision = r.location_precision or "exact"
    filled = 1 if precision in ("exact", "approximate") else 0
    when = (
        str(r.date_start)
        if str(r.date_start) == str(r.date_end)
        else f"{r.date_start} – {r.date_end}"
    )
    return [
        round(float(r.latitude), 5),
        round(float(r.longitude), 5),
        _TYPE_INDEX.get(r.type, _TYPE_INDEX["other"]),
        filled,
        str(r.id),
        readable(r.title or "")[:120],
        when,
        _PRECISION_INDEX.get(precision, 0),
    ]


def _rings(points: pd.DataFrame) -> list[list[float]]:
    """Distinct [lat, lon, metres] circles of the approximate and town points. Read
    column by column, not a row tuple each: at 10,000 records a map step spent 10 ms
    here, and the public map (its points at towns) draws a ring for most of its rows."""
    wanted = points[points["location_precision"].isin(["approximate", "town"])]
    radii = [
        round(uncertainty_km(precision, _num(stated)) * 1000)
        for precision, stated in zip(
            wanted["location_precision"], wanted["location_uncertainty_km"], strict=True
        )
    ]
    lat = [round(float(v), 5) for v in wanted["latitude"]]
    lon = [round(float(v), 5) for v in wanted["longitude"]]
    rings = set(zip(lat, lon, radii, strict=True))
    return [list(ring) for ring in sorted(rings) if ring[2] > 0]


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(out) else out


def _highlight(group: folium.FeatureGroup, points: pd.DataFrame, selected: str | None) -> None:
    """Ring the selected incident and bring it out of its cluster (map_controls)."""
    if not selected:
        return
    row = points[points["id"] == selected]
    if len(row):
        where = (row["latitude"].iloc[0], row["longitude"].iloc[0])
        SelectedIncident(selected, where).add_to(group)


def _grid(
    group: folium.FeatureGroup,
    points: pd.DataFrame,
    view: Bounds | None,
    hidden: int,
    standalone: bool = False,
) -> Drawn:
    """The grid levels the app draws from its index (pyramid.py), from rows at hand."""
    kind, types = pd.factorize(points["type"].fillna("other").astype(str))
    lat, lon = points["latitude"].to_numpy(float), points["longitude"].to_numpy(float)
    zoom = pyramid.zoom_for(view) if view is not None else fit_zoom(lat, lon)
    levels = pyramid.from_points(lat, lon, kind, list(types), view, zoom)
    if levels is None:
        return Drawn("grid")
    add_grid_levels(group, levels, hidden, standalone)
    return Drawn("grid", len(levels.whole), int(levels.whole.totals().sum()))


def _heat(group: folium.FeatureGroup, points: pd.DataFrame, hidden: int) -> Drawn:
    data = aggregate.heat_points(points)
    if data:
        top = max(p[2] for p in data)
        # max_zoom low: leaflet.heat fades points by 2^(max_zoom - zoom) below it.
        HeatMap(data, radius=20, blur=15, min_opacity=0.35, max_zoom=4, max=top).add_to(group)
    total = int(aggregate.weights(points).sum())
    layers.Legend(legend.heat_legend(total)).add_to(group)
    return Drawn("heat", len(data), total)


def summary_layer(
    kind: str, data: Any, options: MapOptions, view: Bounds | None, hidden: int
) -> tuple[folium.FeatureGroup, Drawn]:
    """A layer from what the store summed instead of rows: kind 'heat' takes
    point counts (latitude, longitude, type, n); 'districts' takes (count_totals.COLUMNS per code,
    incidents without a district, incidents shown); 'markers' takes rows (a few thousand)."""
    if kind == "markers":
        return data_layer(data, options, view)
    group = folium.FeatureGroup(name="incidents", control=False)
    if kind == "heat":
        drawn = _heat(group, data, hidden)
    else:
        table, unknown, shown = data
        drawn = district_layer.shading(group, table[table.index != ""], unknown, shown, options)
    if kind == "heat":
        DataExtent(_extent(data)).add_to(group)
    else:  # no points here: the districts that hold incidents (the country's, before)
        held = [str(c) for c, n in data[0]["records"].items() if c and n]
        DataExtent(layers_geo.districts_extent(options.countries, held)).add_to(group)
    ControlWords().add_to(group)
    drawn.not_drawable = hidden
    localize_group(group)
    return group, drawn


def build_map(
    frame: pd.DataFrame,
    options: MapOptions | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    view: Bounds | None = None,
    online_tiles: bool = False,
) -> folium.Map:
    """The whole map in one object: basemap plus the selection drawn as options say."""
    options = options or MapOptions()
    m = basemap(options.countries, center, zoom, online_tiles)
    group, _ = data_layer(frame, options, view)
    group.add_to(m)
    return localize(m)


def map_html(m: folium.Map, standalone: bool = False, base_url: str = STATIC_URL) -> str:
    """The map page as HTML; standalone inlines every script and stylesheet (no server needed).

    check_tree first: no element may render record text as template source (page_data).
    """
    check_tree(m)
    localize(m, base_url)
    page = m.get_root().render()
    return inline_assets(page, base_url) if standalone else page
