"""Which data layer a map view gets, decided from the column index, never from rows.

A filter change or a pan asks the index how many drawable incidents the (padded)
view holds: a few thousand or fewer are read as rows, by fid, and drawn as markers;
more are sent as grid levels (pyramid.py) that the browser sums and redraws by itself
on zoom and pan. Each layer comes with its Coverage: the views it can draw without a
new one, so the app keeps it (and the map does not redraw) while the view stays in.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import folium
import pandas as pd

from incidents.maps import aggregate, pyramid
from incidents.maps.aggregate import Bounds
from incidents.maps.folium_map import (
    MAP_COLUMNS,
    MARKER_LIMIT,
    Drawn,
    MapOptions,
    localize_group,
    one_place,
    summary_layer,
)
from incidents.maps.layers_grid import add_grid_levels
from incidents.maps.map_controls import DataExtent, extent, fit_zoom
from incidents.maps.pyramid import Pyramid, zoom_for
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


@dataclass(frozen=True)
class Coverage:
    """The views a layer already draws: all of them, those inside a box (markers read
    for the box; markercluster zooms them), or those its grid levels cover."""

    everything: bool = False
    box: Bounds | None = None
    levels: Pyramid | None = None

    def covers(self, bounds: Bounds | None, zoom: int | None) -> bool:
        if self.everything:
            return True
        if self.levels is not None:
            return self.levels.covers(bounds, zoom)
        return self.box is not None and bounds is not None and pyramid.inside(bounds, self.box)


Layer = tuple[folium.FeatureGroup, Drawn, Coverage]


def layer(
    idx: ColumnIndex,
    query: Query,
    options: MapOptions,
    bounds: Bounds | None,
    rows: Rows,
    zoom: int | None = None,
) -> Layer:
    """The data layer for this view, from the index: markers (rows read by fid) when a
    few thousand or fewer are in view, else grid levels, heat or district totals."""
    shown = idx.count(query)
    hidden = shown - idx.count(query, drawable=True)
    if options.layer == "districts":
        totals = idx.district_totals(query, options.measure)
        unknown = int(totals["records"].get("", 0))
        group, drawn = summary_layer("districts", (totals, unknown, shown), options, bounds, hidden)
        return group, drawn, Coverage(everything=True)
    box = query_box(bounds) if bounds is not None else None
    boxed = query.replace(bbox=box) if box is not None else query
    if options.layer == "heat":
        step = aggregate.cell_size(box or _whole(idx, query), cells_across=160)
        group, drawn = summary_layer("heat", idx.point_counts(boxed, step), options, bounds, hidden)
        return group, drawn, Coverage()
    if shown - hidden <= options.marker_limit:  # few: send them all, panning needs no redraw
        frame = rows(query, MAP_COLUMNS, options.marker_limit + hidden)
        group, drawn = summary_layer("markers", frame, options, bounds, hidden)
        return group, drawn, Coverage(everything=True)
    in_box = idx.count(boxed, drawable=True)
    if in_box <= options.marker_limit or (
        in_box <= 4 * MARKER_LIMIT and one_place(*idx.drawable_points(boxed)[:2])
    ):
        frame = rows(boxed, MAP_COLUMNS, 4 * options.marker_limit)
        group, drawn = summary_layer("markers", frame, options, bounds, hidden)
        drawn.not_drawable = hidden
        return group, drawn, Coverage(box=box)
    if zoom is None:
        zoom = zoom_for(bounds) if bounds is not None else first_zoom(idx, query)
    return _grid_levels(idx, query, bounds, zoom, hidden, options.standalone)


def _grid_levels(
    idx: ColumnIndex,
    query: Query,
    bounds: Bounds | None,
    zoom: int,
    hidden: int,
    standalone: bool = False,
) -> Layer:
    levels = pyramid.build(idx, query, bounds, zoom)
    group = folium.FeatureGroup(name="incidents", control=False)
    if levels is None:
        return group, Drawn("grid", not_drawable=hidden), Coverage(everything=True)
    add_grid_levels(group, levels, hidden, standalone)
    DataExtent(levels_extent(levels)).add_to(group)
    localize_group(group)
    total = int(levels.whole.totals().sum())
    drawn = Drawn("grid", len(levels.whole), total, not_drawable=hidden)
    return group, drawn, Coverage(levels=levels)


def levels_extent(levels: Pyramid) -> list[list[float]] | None:
    """The extent of the selection's cells (the whole level), for map_controls."""
    whole = levels.whole
    if not len(whole):
        return None
    size = pyramid.step(whole.zoom)
    lat = [float(whole.row.min()) * size, float(whole.row.max() + 1) * size]
    lon = [float(whole.col.min()) * size, float(whole.col.max() + 1) * size]
    return extent(lat, lon)


def first_zoom(idx: ColumnIndex, query: Query) -> int:
    """The grid's zoom for a map that has not yet said where it is. The page opens on
    the incidents' extent (DataExtent), so the squares are sized for that extent: they
    were sized for Libya's box, too fine for records worldwide and too coarse for one
    small country's, until the browser first reported its view."""
    lat, lon, _ = idx.drawable_points(query)
    return fit_zoom(lat, lon)


def _whole(idx: ColumnIndex, query: Query) -> Bounds:
    lat, lon, _ = idx.drawable_points(query)
    if not len(lat):
        return (9.0, 19.0, 26.0, 34.0)
    return (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
