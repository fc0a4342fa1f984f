"""Which data layer a map view gets, decided from the column index, never from rows.

A filter change or a pan asks the index how many drawable incidents the (padded)
view holds: a few thousand or fewer are read as rows, by fid, and drawn as markers;
more are drawn as grid cells counted by the index. The box is padded and snapped to
a coarse grid, so small pans keep the same box and the same layer.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import folium
import pandas as pd

from incidents.maps import aggregate
from incidents.maps.aggregate import Bounds
from incidents.maps.folium_map import MAP_COLUMNS, MARKER_LIMIT, Drawn, MapOptions, summary_layer
from incidents.query import Query
from incidents.store.column_index import ColumnIndex

Rows = Callable[[Query, tuple[str, ...], int], pd.DataFrame]  # query, columns, limit -> rows


def query_box(bounds: Bounds) -> Bounds:
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
    idx: ColumnIndex, query: Query, options: MapOptions, bounds: Bounds | None, rows: Rows
) -> tuple[folium.FeatureGroup, Drawn]:
    """The data layer for this view, from the index: markers (rows read by fid) when a
    few thousand or fewer are in view, else grid cells, heat or district totals."""
    shown = idx.count(query)
    hidden = shown - idx.count(query, drawable=True)
    if options.layer == "districts":
        totals = idx.district_sums(query, options.measure)
        unknown = int(idx.district_sums(query, "incidents").get("", 0))
        return summary_layer("districts", (totals, unknown, shown), options, bounds, hidden)
    box = query_box(bounds) if bounds is not None else None
    boxed = query.replace(bbox=box) if box is not None else query
    if options.layer == "heat":
        step = aggregate.cell_size(box or _whole(idx, query), cells_across=160)
        return summary_layer("heat", idx.point_counts(boxed, step), options, bounds, hidden)
    if shown - hidden <= options.marker_limit:  # few: send them all, panning needs no redraw
        frame = rows(query, MAP_COLUMNS, options.marker_limit + hidden)
        return summary_layer("markers", frame, options, bounds, hidden)
    step = aggregate.cell_size(bounds or _whole(idx, query))
    points = idx.point_counts(boxed, step)
    in_box = int(points["n"].sum())
    if in_box <= options.marker_limit or _one_place(points, in_box):
        frame = rows(boxed, MAP_COLUMNS, 4 * options.marker_limit)
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
