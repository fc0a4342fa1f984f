"""The map under the incidents: outlines, scale bar, north arrow, locator, labels.

Drawn from the outlines bundled in geodata (no tile server), in longitude/latitude
with the axes' aspect set to 1/cos(latitude) so distances look right at the centre.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.path import Path

import geodata
from geodata.district_names import reader_name
from incidents import translation
from incidents.export import theme
from incidents.export.arabic import for_matplotlib
from incidents.translation import _, number

Extent = tuple[float, float, float, float]  # west, south, east, north
KM_PER_DEG = 111.32
MIN_SPAN_KM = 120.0
HALO = [patheffects.withStroke(linewidth=3, foreground="white")]


@dataclass(frozen=True)
class PlaceLabel:
    """A place to name on the map."""

    name: str
    lat: float
    lon: float


@functools.cache
def _countries() -> gpd.GeoDataFrame:
    return geodata.countries_frame()


@functools.cache
def _districts(country: str) -> gpd.GeoDataFrame:
    try:
        return geodata.admin1_frame(country)
    except FileNotFoundError:
        return gpd.GeoDataFrame({"code": [], "name_en": [], "name_ar": []}, geometry=[])


def _rings_path(geom: shapely.Geometry) -> Path | None:
    """One compound path for a (multi)polygon, holes included."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            c = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def add_shapes(ax: Axes, geoms: Sequence[shapely.Geometry], **style: Any) -> None:
    """Polygons as one PathCollection (geopandas' plot redraws the whole figure each call)."""
    paths = [p for p in (_rings_path(g) for g in geoms) if p is not None]
    if paths:
        ax.add_collection(PathCollection(paths, **style), autolim=False)


def aspect(extent: Extent) -> float:
    mid = (extent[1] + extent[3]) / 2
    return 1 / max(math.cos(math.radians(mid)), 0.05)


def fit_extent(lons: np.ndarray, lats: np.ndarray, box_ratio: float, pad_km: float = 0) -> Extent:
    """Extent around the points (padded, at least MIN_SPAN_KM) matching the box's ratio."""
    if len(lons) == 0:
        raise ValueError("no points to fit")
    west, east = float(np.nanmin(lons)), float(np.nanmax(lons))
    south, north = float(np.nanmin(lats)), float(np.nanmax(lats))
    return shape_extent((west, south, east, north), box_ratio, pad_km)


def shape_extent(
    extent: Extent,
    box_ratio: float,
    pad_km: float = 0,
    grow: float = 1.15,
    min_km: float = MIN_SPAN_KM,
) -> Extent:
    """Grow an extent to the box's width/height ratio, keeping its centre."""
    west, south, east, north = extent
    cy, cx = (south + north) / 2, (west + east) / 2
    coslat = max(math.cos(math.radians(cy)), 0.05)
    height_km = (north - south) * KM_PER_DEG * grow + 2 * pad_km
    width_km = (east - west) * KM_PER_DEG * coslat * grow + 2 * pad_km
    height_km, width_km = max(height_km, min_km), max(width_km, min_km)
    if width_km / height_km < box_ratio:
        width_km = height_km * box_ratio
    else:
        height_km = width_km / box_ratio
    half_w = width_km / 2 / (KM_PER_DEG * coslat)
    half_h = height_km / 2 / KM_PER_DEG
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def draw_outlines(ax: Axes, extent: Extent, country: str) -> None:
    """Sea, land, national borders and the districts of the mapped country."""
    west, south, east, north = extent
    ax.set_facecolor(theme.SEA)
    world = _countries().cx[west:east, south:north]
    if len(world):
        colours = [theme.LAND if c == country else theme.LAND_OTHER for c in world["iso2"]]
        add_shapes(ax, list(world.geometry), facecolors=colours, edgecolors=theme.BORDER,
                   linewidths=0.8, zorder=1)  # fmt: skip
    districts = _districts(country)
    if len(districts):
        visible = districts.cx[west:east, south:north]
        add_shapes(ax, list(visible.geometry), facecolors="none",
                   edgecolors=theme.DISTRICT_EDGE, linewidths=0.6, zorder=2)  # fmt: skip
    set_extent(ax, extent)


def set_extent(ax: Axes, extent: Extent) -> None:
    west, south, east, north = extent
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(aspect(extent))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")


def draw_district_names(
    ax: Axes,
    extent: Extent,
    country: str,
    fontsize: float,
    avoid: Sequence[tuple[float, float, float]] = (),
) -> None:
    """Name the districts in view (up to eight), moved clear of fanned-out markers, by
    the one name the reader sees for each in the app (geodata.district_names: its
    Arabic name on an Arabic image; an Arabic deck named them in English before)."""
    west, south, east, north = extent
    visible = _districts(country).cx[west:east, south:north]
    if not 0 < len(visible) <= 8:
        return
    per_pt = (north - south) / (theme.axes_inches(ax)[1] * 72)
    for _at, row in visible.iterrows():
        clipped = row.geometry.intersection(_box(extent))
        if clipped.is_empty or clipped.area < 0.04 * (east - west) * (north - south):
            continue
        point = clipped.representative_point()
        x, y = point.x, point.y
        for lon, lat, radius_pt in avoid:
            reach = (radius_pt + 12) * per_pt
            if abs(lon - x) < reach * 2.5 and abs(lat - y) < reach:
                y = lat - reach - 4 * per_pt  # just below the fan
        name = reader_name(str(row["code"]), translation.language(), str(row["name_en"]))
        ax.text(x, y, for_matplotlib(name), ha="center", va="top" if y != point.y else "center",
                fontsize=fontsize, color="#8a8279", style="italic", zorder=3,
                path_effects=HALO)  # fmt: skip


def _box(extent: Extent):  # type: ignore[no-untyped-def]
    from shapely.geometry import box

    return box(*extent)


def shade_districts(ax: Axes, codes: Sequence[str], country: str) -> None:
    """Shade the districts of incidents located only to their district."""
    districts = _districts(country)
    chosen = districts[districts["code"].isin(list(codes))]
    if len(chosen):
        add_shapes(ax, list(chosen.geometry), facecolors=theme.DISTRICT_SHADE, alpha=0.45,
                   edgecolors="#7d8fa6", linewidths=1.0, hatch="///", zorder=2.5)  # fmt: skip


def nice_length_km(width_km: float) -> float:
    """A round scale-bar length near a fifth of the map's width."""
    target = width_km / 5
    power = 10 ** math.floor(math.log10(target))
    return max(s * power for s in (1, 2, 5) if s * power <= target * 1.5)


def draw_scale_bar(ax: Axes, extent: Extent, fontsize: float) -> None:
    """A two-part bar in km at the lower left, true at the map's centre latitude."""
    west, south, east, north = extent
    coslat = max(math.cos(math.radians((south + north) / 2)), 0.05)
    width_km = (east - west) * KM_PER_DEG * coslat
    length = nice_length_km(width_km)
    deg = length / (KM_PER_DEG * coslat)
    x0 = west + (east - west) * 0.03
    y0 = south + (north - south) * 0.04
    h = (north - south) * 0.008
    for i, colour in enumerate((theme.INK, "white")):
        ax.add_patch(
            Rectangle((x0 + i * deg / 2, y0), deg / 2, h, facecolor=colour,
                      edgecolor=theme.INK, linewidth=0.8, zorder=8)
        )  # fmt: skip
    label = _("{km} km").format(km=number(length, 0 if float(length).is_integer() else 1))
    ax.text(
        x0, y0 + 2.2 * h, number(0), fontsize=fontsize, ha="center", zorder=8, path_effects=HALO
    )
    ax.text(x0 + deg, y0 + 2.2 * h, for_matplotlib(label), fontsize=fontsize, ha="center", zorder=8,
            path_effects=HALO)  # fmt: skip


def draw_north_arrow(ax: Axes, fontsize: float) -> None:
    ax.annotate(
        # The letter for north: N in English and French, ش (shamal) in Arabic
        for_matplotlib(_("N")), xy=(0.965, 0.95), xytext=(0.965, 0.86), xycoords="axes fraction",
        ha="center", va="center", fontsize=fontsize * 1.2, fontweight="bold", color=theme.INK,
        arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=0.9", "color": theme.INK,
                    "lw": 1.8},
        zorder=9, path_effects=HALO,
    )  # fmt: skip


def draw_labels(
    ax: Axes,
    labels: Sequence[PlaceLabel],
    fontsize: float,
    fans: Sequence[tuple[float, float, float]] = (),
) -> None:
    """Name chosen places with a small dot and haloed text, clear of fanned markers."""
    west, east = ax.get_xlim()
    south, north = ax.get_ylim()
    width_in, height_in = theme.axes_inches(ax)
    px, py = (east - west) / (width_in * 72), (north - south) / (height_in * 72)
    for place in labels:
        # fans as circles in points, relative to the place
        circles = [((lon - place.lon) / px, (lat - place.lat) / py, r) for lon, lat, r in fans]
        at_fan = [r for dx, dy, r in circles if math.hypot(dx, dy) < 3]
        if at_fan:  # a fan is drawn on the place itself: name it beside the fan
            offset, ha, va = (max(at_fan) + 6, 0.0), "left", "center"
        else:
            ax.plot(place.lon, place.lat, marker="o", markersize=3.5, color=theme.INK, zorder=7)
            offset, ha, va = _free_side(place.name, fontsize, circles)
        ax.annotate(
            for_matplotlib(place.name), (place.lon, place.lat), xytext=offset,
            textcoords="offset points", fontsize=fontsize, fontweight="bold", color=theme.INK,
            ha=ha, va=va, zorder=9, path_effects=HALO,
        )  # fmt: skip


def _free_side(
    name: str, fontsize: float, circles: Sequence[tuple[float, float, float]]
) -> tuple[tuple[float, float], str, str]:
    """Right, left, above or below the dot: the first side whose text misses every fan."""
    width, height = len(name) * fontsize * 0.62, fontsize * 1.2
    sides = (
        ((7.0, -7.0), "left", "top", (7, -7 - height, 7 + width, -7)),
        ((-7.0, -7.0), "right", "top", (-7 - width, -7 - height, -7, -7)),
        ((0.0, 9.0), "center", "bottom", (-width / 2, 9, width / 2, 9 + height)),
        ((0.0, -9.0), "center", "top", (-width / 2, -9 - height, width / 2, -9)),
    )
    for offset, ha, va, (x0, y0, x1, y1) in sides:
        if all(not _box_hits_circle((x0, y0, x1, y1), c) for c in circles):
            return offset, ha, va
    return sides[0][0], sides[0][1], sides[0][2]


def _box_hits_circle(
    box: tuple[float, float, float, float], circle: tuple[float, float, float]
) -> bool:
    x0, y0, x1, y1 = box
    cx, cy, r = circle
    nearest_x, nearest_y = min(max(cx, x0), x1), min(max(cy, y0), y1)
    return math.hypot(cx - nearest_x, cy - nearest_y) < r + 3


def draw_locator(ax: Axes, extent: Extent, country: str) -> Axes | None:
    """A small map of the country with the mapped area boxed; None if not useful."""
    try:
        cw, cs, ce, cn = geodata.country_bounds(country)
    except KeyError:
        return None
    west, south, east, north = extent
    if (east - west) * (north - south) > 0.6 * (ce - cw) * (cn - cs):
        return None
    inset = ax.inset_axes((0.745, 0.02, 0.245, 0.3), zorder=10)
    pad = 0.06 * max(ce - cw, cn - cs)
    box = shape_extent((cw - pad, cs - pad, ce + pad, cn + pad), 0.245 / 0.3 * _ratio(ax), 0)
    draw_outlines(inset, box, country)
    set_extent(inset, box)
    cx, cy = (west + east) / 2, (south + north) / 2
    side = max(east - west, north - south, 0.02 * (ce - cw))
    w = max(east - west, side * 0.6)
    h = max(north - south, side * 0.6)
    inset.add_patch(
        Rectangle((cx - w / 2, cy - h / 2), w, h, fill=False, edgecolor="#c62828",
                  linewidth=1.8, zorder=5)
    )  # fmt: skip
    for spine in inset.spines.values():
        spine.set_edgecolor(theme.MUTED)
    return inset


def _ratio(ax: Axes) -> float:
    width, height = theme.axes_inches(ax)
    return width / height
