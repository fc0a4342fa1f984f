"""Incidents on the map, drawn as the app draws them, uncertainty included.

One scatter per type and fill (not one artist per point) so 100k incidents draw in
about a second; rings of the uncertainty radius as one EllipseCollection. Incidents
at the same spot (common: many records are placed at a town's centre) are fanned out
around it with leader lines, so none hides another.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import EllipseCollection, LineCollection
from matplotlib.colors import to_rgba
from matplotlib.markers import MarkerStyle

from incidents.export import theme
from incidents.export.basemap import KM_PER_DEG, Extent, shade_districts
from incidents.export.caption import counts_line
from incidents.export.cells import Squares
from incidents.export.selection import Selection
from incidents.styles import PRECISION_STYLES, TYPE_STYLES, type_style
from incidents.translation import number

SHADE_LIMIT = 2000  # shading every district of a huge selection would hide the map
FAN_LIMIT = 400  # fan out coincident markers only for selections up to this size
FAN_KM = 30.0  # a fan reaching further on the ground leaves its markers on their spot
COUNT_BOX = {"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "#55555a",
             "linewidth": 0.8}  # fmt: skip
RASTER_LIMIT = 3000  # above this, points are rasterized inside PDF and SVG files
RING_PRECISIONS = ("approximate", "town")
RING_LIMIT = 3000
MIN_RING_PT = 4.0  # rings smaller than this (radius, in points) cannot be read


@dataclass(frozen=True)
class Drawn:
    """What ended up on the map (dots, or counted squares), for the counts line, the
    legend and the file's description."""

    shown: int
    outside_view: int
    types: tuple[str, ...]
    precisions: tuple[str, ...]
    fans: tuple[tuple[float, float, float], ...] = ()  # lon, lat, radius in points
    stacks: int = 0  # places whose incidents stay on it, their number beside them (_fan_out)
    rings: int = 0  # uncertainty rings drawn (0 when all are smaller than their markers)
    shaded: bool = False  # districts of district-only incidents shaded
    unpanelled: int = 0  # small multiples: drawable incidents of types in no panel
    squares: Squares | None = None  # the incidents were counted in squares, not drawn

    @property
    def fanned(self) -> bool:
        return bool(self.fans)

    def counts_line(self, selection: Selection) -> str:
        """'N incidents shown; M not shown (...)': every incident of the selection is
        shown once or said not to be, and why."""
        not_shown = selection.not_shown(self.outside_view)
        if self.unpanelled:
            not_shown["of a type in no panel"] = self.unpanelled
        return counts_line(self.shown, not_shown)


def marker_size(n: int, scale: float = 1.0) -> float:
    """Marker area in points²: large for a handful, small for tens of thousands."""
    size = 110.0 if n <= 200 else 60.0 if n <= 2000 else 22.0 if n <= 20000 else 7.0
    return size * scale * scale


def in_extent(rows: pd.DataFrame, extent: Extent) -> pd.Series:
    west, south, east, north = extent
    return rows["longitude"].between(west, east) & rows["latitude"].between(south, north)


def draw_incidents(
    ax: Axes, rows: pd.DataFrame, extent: Extent, country: str, scale: float = 1.0
) -> Drawn:
    """Draw located rows inside the extent; rows must be drawable (see Selection.located)."""
    inside = in_extent(rows, extent)
    visible = rows[inside]
    n = len(visible)
    precision = _precision(visible)
    size = marker_size(n, scale)
    raster = n > RASTER_LIMIT
    rings = _rings(ax, visible, precision, raster, math.sqrt(size) / 2, extent)
    district_only = visible[precision == "district"]
    shaded = "admin1_code" in visible.columns and 0 < len(district_only) <= SHADE_LIMIT
    if shaded:
        codes = district_only["admin1_code"].dropna().astype(str).unique().tolist()
        shade_districts(ax, codes, country)
    lon, lat = visible["longitude"].to_numpy(float), visible["latitude"].to_numpy(float)
    fans: tuple[tuple[float, float, float], ...] = ()
    stacks = 0
    if 1 < n <= FAN_LIMIT:
        lon, lat, fans, stacks = _fan_out(ax, lon, lat, size, extent)
    filled = precision.map(lambda p: PRECISION_STYLES.get(p, PRECISION_STYLES["exact"]).filled)
    types = visible["type"].astype(str).to_numpy()
    counts = pd.Series(types).value_counts()
    for code in counts.index:  # most common first, so rare types are drawn on top
        style = type_style(code)
        mask = types == code
        for fill in (True, False):
            m = mask & (filled.to_numpy() == fill)
            if not m.any():
                continue
            ax.scatter(
                lon[m], lat[m], s=size, rasterized=raster, zorder=6,
                **marker_style(style.matplotlib_marker, style.colour, fill, scale, size),
            )  # fmt: skip
    return Drawn(
        shown=n,
        outside_view=int((~inside).sum()),
        types=tuple(c for c in TYPE_STYLES if c in counts.index),
        precisions=tuple(pd.unique(precision)),
        fans=fans,
        stacks=stacks,
        rings=rings,
        shaded=shaded,
    )


def marker_style(
    marker: str, colour: str, filled: bool, scale: float, size: float = 110.0
) -> dict[str, Any]:
    """Scatter keywords: filled markers get a white edge, hollow ones a thick coloured edge.

    Line markers (x, +) have no face: they are drawn in the colour, thicker when hollow.
    """
    if not MarkerStyle(marker).is_filled():
        width = min(2.6 if filled else 1.4, math.sqrt(size) / 5)
        return {"marker": marker, "c": colour, "linewidths": width * scale}
    if filled:
        return {"marker": marker, "facecolors": colour, "edgecolors": "white",
                "linewidths": 0.6 * scale}  # fmt: skip
    return {"marker": marker, "facecolors": "white", "edgecolors": colour,
            "linewidths": 1.8 * scale}  # fmt: skip


def _precision(rows: pd.DataFrame) -> pd.Series:
    if "location_precision" in rows.columns:
        return rows["location_precision"].fillna("exact").astype(str)
    return pd.Series("exact", index=rows.index)


def _ring_table(rows: pd.DataFrame, precision: pd.Series) -> pd.DataFrame:
    """One row per ring to draw: place, radius in km, colour, dashed (town) or not.

    One ring per place and radius: stacked translucent rings would darken into a blot;
    a ring shared by incidents of several types is drawn grey.
    """
    ringed = rows[precision.isin(RING_PRECISIONS).to_numpy()]
    stated = ringed.get("location_uncertainty_km", pd.Series(np.nan, index=ringed.index))
    kind = precision[ringed.index]
    default = kind.map(lambda p: PRECISION_STYLES[p].default_radius_km)
    table = pd.DataFrame(
        {
            "lon": ringed["longitude"].astype(float).round(5),
            "lat": ringed["latitude"].astype(float).round(5),
            "r": pd.to_numeric(stated.where(stated.fillna(0) > 0, default)).astype(float),
            "colour": [type_style(t).colour for t in ringed["type"].astype(str)],
            "dashed": (kind == "town").to_numpy(),
        }
    )
    keys = ["lon", "lat", "r"]
    mixed = table.groupby(keys, sort=False)["colour"].transform("nunique") > 1
    table.loc[mixed, "colour"] = "#5b5b60"
    return table.drop_duplicates(keys)


def _rings(
    ax: Axes,
    rows: pd.DataFrame,
    precision: pd.Series,
    raster: bool,
    marker_radius_pt: float,
    extent: Extent,
) -> int:
    """Uncertainty rings in km: solid for approximate places, dashed for towns.

    A ring smaller than its marker would not be seen at this scale, so it is not drawn
    (which also keeps 100k-point country maps fast); the marker's hollow or solid face
    still tells the precision.
    """
    table = _ring_table(rows, precision)
    _, per_pt_y = _degrees_per_point(ax, extent)
    visible_ring = max(marker_radius_pt * 1.15, MIN_RING_PT)
    table = table[table["r"] / KM_PER_DEG / per_pt_y > visible_ring]
    if table.empty:
        return 0
    heights = 2 * table["r"].to_numpy(float) / KM_PER_DEG
    widths = heights / np.maximum(np.cos(np.radians(table["lat"].to_numpy(float))), 0.05)
    palette = {c: to_rgba(c) for c in table["colour"].unique()}
    colours = [palette[c] for c in table["colour"]]
    few = len(table) < 500
    common: dict[str, Any] = {"units": "xy", "offsets": table[["lon", "lat"]].to_numpy(float),
              "offset_transform": ax.transData, "zorder": 4}  # fmt: skip
    fill = EllipseCollection(widths, heights, np.zeros(len(table)), facecolors=colours,
                             edgecolors="none", alpha=0.14 if few else 0.05, **common)  # fmt: skip
    fill.set_rasterized(raster)
    ax.add_collection(fill)
    if len(table) > RING_LIMIT:  # fill only: outlines on thousands of rings cost seconds
        return len(table)
    styles = ["--" if d else "-" for d in table["dashed"]]
    edge = EllipseCollection(widths, heights, np.zeros(len(table)), facecolors="none",
                             edgecolors=colours, linewidths=1.0, linestyles=styles,
                             alpha=0.75 if few else 0.2, **common)  # fmt: skip
    edge.set_rasterized(raster)
    ax.add_collection(edge)
    return len(table)


def _fan_out(
    ax: Axes, lon: np.ndarray, lat: np.ndarray, size: float, extent: Extent
) -> tuple[np.ndarray, np.ndarray, tuple[tuple[float, float, float], ...], int]:
    """Spread markers sharing a spot on a circle around it, with leader lines; where the
    circle would reach further than FAN_KM on the ground, leave them on the spot with
    their number beside it (a walk's world map fanned Tarhuna's incidents over Italy
    and Tunisia). Returns the points, the fans and how many spots kept a number."""
    keys = pd.Series(list(zip(np.round(lon, 5), np.round(lat, 5), strict=True)))
    groups = keys.groupby(keys).indices
    if all(len(ix) == 1 for ix in groups.values()):
        return lon, lat, (), 0
    deg_x, deg_y = _degrees_per_point(ax, extent)
    diameter = math.sqrt(size) * 1.4
    out_lon, out_lat = lon.copy(), lat.copy()
    segments = []
    fans = []
    stacks = 0
    for ix in groups.values():
        if len(ix) == 1:
            continue
        radius = max(diameter * 1.5, diameter * 1.5 * len(ix) / (2 * math.pi))
        if radius * deg_y * KM_PER_DEG > FAN_KM:
            _number_beside(ax, lon[ix[0]], lat[ix[0]], len(ix), diameter)
            stacks += 1
            continue
        fans.append((float(lon[ix[0]]), float(lat[ix[0]]), radius + diameter / 2))
        for k, i in enumerate(ix):
            angle = math.pi / 2 - 2 * math.pi * k / len(ix)
            out_lon[i] = lon[i] + radius * math.cos(angle) * deg_x
            out_lat[i] = lat[i] + radius * math.sin(angle) * deg_y
            segments.append([(lon[i], lat[i]), (out_lon[i], out_lat[i])])
        ax.plot(lon[ix[0]], lat[ix[0]], marker="o", markersize=4, color="#1d1d1f", zorder=5.5)
    ax.add_collection(LineCollection(segments, colors="#55555a", linewidths=0.8, zorder=5))
    return out_lon, out_lat, tuple(fans), stacks


def _number_beside(ax: Axes, lon: float, lat: float, n: int, diameter: float) -> None:
    """How many incidents share a spot, in a small box up and to the right of it."""
    offset = diameter * 0.55
    ax.annotate(number(n), (lon, lat), xytext=(offset, offset), textcoords="offset points",
                fontsize=8.5, fontweight="bold", color=theme.INK, zorder=7, ha="left",
                va="bottom", bbox=COUNT_BOX)  # fmt: skip


def _degrees_per_point(ax: Axes, extent: Extent) -> tuple[float, float]:
    width_in, height_in = theme.axes_inches(ax)
    west, south, east, north = extent
    # the axes box may be letterboxed by the fixed aspect: use the limiting side
    per_pt_x = (east - west) / (width_in * 72)
    per_pt_y = (north - south) / (height_in * 72)
    aspect = (per_pt_y / per_pt_x) if per_pt_x else 1.0
    from incidents.export.basemap import aspect as geo_aspect

    wanted = geo_aspect(extent)
    if aspect < wanted:  # height is the limiting side
        per_pt_x = per_pt_y / wanted
    else:
        per_pt_y = per_pt_x * wanted
    return per_pt_x, per_pt_y
