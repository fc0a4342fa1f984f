"""The map component: keeps the basemap mounted and swaps only the data layer.

streamlit-folium remounts its frame whenever the basemap's script changes, so the
basemap is built from the view the session started with; the selection is sent as
a feature group, and "fly to" uses the component's center/zoom arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from app_pages import common
from incidents.maps import (
    MAP_COLUMNS,
    MARKER_LIMIT,
    Drawn,
    MapOptions,
    aggregate,
    basemap,
    clicked_id,
    summary_layer,
)
from incidents.maps.aggregate import Bounds
from incidents.query import Query
from incidents.store.column_index import ColumnIndex
from incidents.view_state import ViewState

KEY = "incident_map"
HEIGHT = 560
RETURNED = ["bounds", "zoom", "center", "last_object_clicked_tooltip", "last_object_clicked_count"]


@dataclass
class MapState:
    """What the map reported back: where it looks, and which marker was clicked."""

    bounds: Bounds | None
    center: tuple[float, float] | None
    zoom: int | None
    clicked: str | None
    drawn: Drawn


def last_bounds() -> Bounds | None:
    """The map's extent as the browser last reported it (None before it has)."""
    value = st.session_state.get(KEY) or {}
    b = value.get("bounds") or {}
    sw, ne = b.get("_southWest") or {}, b.get("_northEast") or {}
    try:
        return (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        return None


def _center(value: dict) -> tuple[float, float] | None:
    c = value.get("center") or {}
    try:
        return (round(float(c["lat"]), 5), round(float(c["lng"]), 5))
    except (KeyError, TypeError, ValueError):
        return None


def _new_click(value: dict, ids: list[str]) -> str | None:
    mark = (value.get("last_object_clicked_count"), value.get("last_object_clicked_tooltip"))
    if mark == st.session_state.get("_last_click") or not mark[1]:
        return None
    st.session_state["_last_click"] = mark
    return clicked_id(str(mark[1]), ids)


def _query_box(bounds: Bounds) -> Bounds:
    """The view grown by a quarter each side and snapped outward to a coarse grid: small
    pans keep the same box, so the same (cached) layer and no redraw."""
    west, south, east, north = aggregate.pad_bounds(bounds)
    snap = aggregate.cell_size(bounds, cells_across=4)
    return (
        max(math.floor(west / snap) * snap, -180.0),
        max(math.floor(south / snap) * snap, -90.0),
        min(math.ceil(east / snap) * snap, 180.0),
        min(math.ceil(north / snap) * snap, 90.0),
    )


def layer(
    idx: ColumnIndex, query: Query, options: MapOptions, bounds: Bounds | None
) -> tuple[folium.FeatureGroup, Drawn]:
    """The data layer for this view, from the index: markers (rows read by fid) when a
    few thousand or fewer are in view, else grid cells, heat or district totals."""
    shown = idx.count(query)
    hidden = shown - idx.count(query, drawable=True)
    if options.layer == "districts":
        totals = idx.district_sums(query, options.measure)
        unknown = int(idx.district_sums(query, "incidents").get("", 0))
        return summary_layer("districts", (totals, unknown, shown), options, bounds, hidden)
    box = _query_box(bounds) if bounds is not None else None
    boxed = query.replace(bbox=box) if box is not None else query
    if options.layer == "heat":
        step = aggregate.cell_size(box or _whole(idx, query), cells_across=160)
        return summary_layer("heat", idx.point_counts(boxed, step), options, bounds, hidden)
    if shown - hidden <= options.marker_limit:  # few: send them all, panning needs no redraw
        frame = common.rows(idx, query, MAP_COLUMNS, options.marker_limit + hidden)
        return summary_layer("markers", frame, options, bounds, hidden)
    step = aggregate.cell_size(bounds or _whole(idx, query))
    points = idx.point_counts(boxed, step)
    in_box = int(points["n"].sum())
    if in_box <= options.marker_limit or _one_place(points, in_box):
        frame = common.rows(idx, boxed, MAP_COLUMNS, 4 * options.marker_limit)
        group, drawn = summary_layer("markers", frame, options, bounds, hidden)
    else:
        group, drawn = summary_layer("grid", points, options, bounds, hidden)
    drawn.not_drawable = hidden
    return group, drawn


def _whole(idx: ColumnIndex, query: Query) -> Bounds:
    points = idx.point_counts(query, 1.0)
    if points.empty:
        return (9.0, 19.0, 26.0, 34.0)
    lat, lon = points["latitude"], points["longitude"]
    return (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))


def _one_place(points: pd.DataFrame, total: int) -> bool:
    """All in one tiny spot (a town centre): a grid cannot split them, draw one cluster."""
    if total > 4 * MARKER_LIMIT or points.empty:
        return False
    lat, lon = points["latitude"], points["longitude"]
    return float(lat.max() - lat.min()) < 0.01 and float(lon.max() - lon.min()) < 0.01


def render(idx: ColumnIndex, view: ViewState, selected: str | None) -> MapState:
    """Draw the map for the selection; return its extent and any new marker click."""
    start = st.session_state.setdefault("_map_start", (view.center, view.zoom))
    base = basemap(center=start[0], zoom=start[1], online_tiles=view.online_tiles)
    bounds = last_bounds()
    options = MapOptions(layer=view.layer, measure=view.measure, selected_id=selected)
    group, drawn = layer(idx, view.query, options, bounds)
    fly = st.session_state.get("_fly")
    value = (
        st_folium(
            base,
            key=KEY,
            height=HEIGHT,
            use_container_width=True,
            feature_group_to_add=group,
            center=fly[:2] if fly else None,
            zoom=fly[2] if fly else None,
            returned_objects=RETURNED,
        )
        or {}
    )
    zoom = value.get("zoom")
    return MapState(
        bounds=last_bounds() or bounds,
        center=_center(value),
        zoom=int(zoom) if isinstance(zoom, int | float) else None,
        clicked=_new_click(value, drawn.ids),
        drawn=drawn,
    )
