"""Grid counts at several zoom levels, so the browser redraws zoom and pan by itself.

A round trip to the server cannot be quicker than streamlit-folium's 250 ms wait
before it reports a move, so a zoom or pan that needed a new layer from the server
took 0.5 to 0.9 s. Instead, when a view holds too many incidents for markers, the
page receives counts per cell at the deepest level it may zoom to (FINER levels in
from the view, within the view grown by half each side) and at a level covering the
whole selection. Cells are CELL_PX pixels at their level and each level's step is
twice the next one's, so the browser sums four cells into one to zoom out.
`Pyramid.covers` tells the server when a reported view is already drawn, so it keeps
the layer it sent (no redraw) and sends a new one only past those levels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from incidents import grid
from incidents.maps.aggregate import Bounds, pad_bounds, stepped_breaks
from incidents.query import Query
from incidents.store.column_index import ColumnIndex

CELL_PX = 32
MIN_ZOOM = 3
FINER = 2  # levels beyond the view's zoom that the page can zoom into by itself
WHOLE_CELLS = 4000  # cells at most in the level that covers the whole selection
BOX_CELLS = 8000  # cells at most in the level that covers the view grown by half
COUNTED_CELLS = 200_000  # widest grid counted from the points; coarser ones are sums


def step(zoom: int) -> float:
    """A cell's size in degrees at a zoom: CELL_PX pixels of a 256-pixel map tile."""
    return 360.0 * CELL_PX / (256 * 2**zoom)


@dataclass(frozen=True)
class Level:
    """Counts per cell at one zoom: cell rows and cols (floor(lat or lon / step)) and a
    count per cell and type (columns in the order of the pyramid's types)."""

    zoom: int
    row: np.ndarray
    col: np.ndarray
    counts: np.ndarray  # cells x types, int64

    def __len__(self) -> int:
        return len(self.row)

    def totals(self) -> np.ndarray:
        return self.counts.sum(axis=1)

    def coarser(self, zoom: int) -> Level:
        """The same counts at a lower zoom: each cell's row and col halved per level."""
        shift = self.zoom - zoom
        if shift <= 0 or not len(self):
            return Level(min(zoom, self.zoom), self.row, self.col, self.counts)
        cells, counts = grid.regroup(self.row >> shift, self.col >> shift, self.counts)
        return Level(zoom, cells.row, cells.col, counts)


def _count(lat: np.ndarray, lon: np.ndarray, kind: np.ndarray, kinds: int, zoom: int) -> Level:
    cells = grid.bin_points(lat, lon, step(zoom), kind, kinds)
    return Level(zoom, cells.row, cells.col, cells.counts())


def _span(lat: np.ndarray, lon: np.ndarray, zoom: int) -> int:
    """How many cells the points' rectangle spans at a zoom (an upper bound on cells)."""
    s = step(zoom)
    across = math.floor(lon.max() / s) - math.floor(lon.min() / s) + 1
    return across * (math.floor(lat.max() / s) - math.floor(lat.min() / s) + 1)


def _level(points: tuple[np.ndarray, ...], kinds: int, zoom: int, most: int) -> Level | None:
    """The deepest level, up to zoom, with at most `most` non-empty cells."""
    lat, lon, kind = points
    if not len(lat):
        return None
    while zoom > MIN_ZOOM and _span(lat, lon, zoom) > COUNTED_CELLS:
        zoom -= 1
    level = _count(lat, lon, kind, kinds, zoom)
    while len(level) > most and level.zoom > MIN_ZOOM:
        level = level.coarser(level.zoom - 1)
    return level


def _snap(box: Bounds, size: float) -> Bounds:
    """The box grown to whole cells of a size, so no cell drawn from it is cut at its edge."""
    west, south, east, north = box
    return (
        math.floor(west / size) * size,
        math.floor(south / size) * size,
        math.ceil(east / size) * size,
        math.ceil(north / size) * size,
    )


def zoom_for(bounds: Bounds | None, width_px: int = 800, height_px: int | None = None) -> int:
    """The map zoom at which bounds span about width_px (the country's when None), and
    height_px too when given (a fit: tall, narrow data must fit the map's height)."""
    west, south, east, north = bounds if bounds is not None else (9.0, 19.0, 26.0, 34.0)
    zoom = math.floor(math.log2(360 * width_px / (256 * max(east - west, 1e-6))))
    if height_px is not None:  # Web Mercator: the world is 256 px tall at zoom 0
        tall = abs(_mercator(north) - _mercator(south)) * 256 / (2 * math.pi)
        zoom = min(zoom, math.floor(math.log2(height_px / max(tall, 1e-9))))
    return max(MIN_ZOOM, min(zoom, 18))


def _mercator(lat: float) -> float:
    phi = math.radians(max(-85.0, min(85.0, lat)))
    return math.log(math.tan(math.pi / 4 + phi / 2))


def inside(bounds: Bounds, box: Bounds) -> bool:
    """Whether a view lies wholly inside a box."""
    west, south, east, north = box
    return bounds[0] >= west and bounds[1] >= south and bounds[2] <= east and bounds[3] <= north


@dataclass(frozen=True)
class Pyramid:
    """The levels a page holds: `whole` for every view at its zoom or less, `box` for
    views inside `box_bounds` up to its zoom. Count columns follow `types`."""

    types: list[str]
    whole: Level
    box: Level | None = None
    box_bounds: Bounds | None = None

    @property
    def top(self) -> int:
        return self.box.zoom if self.box is not None else self.whole.zoom

    def covers(self, bounds: Bounds | None, zoom: int | None) -> bool:
        """Whether the page can draw this view from what it already holds."""
        if zoom is None:
            return False
        if zoom <= self.whole.zoom:
            return True
        if self.box is None or self.box_bounds is None or bounds is None or zoom > self.box.zoom:
            return False
        return inside(bounds, self.box_bounds)

    def level(self, zoom: int) -> Level:
        """The counts the page draws at a zoom (inside the box past the whole level)."""
        if zoom <= self.whole.zoom or self.box is None:
            return self.whole.coarser(zoom)
        return self.box.coarser(zoom)

    def breaks(self) -> dict[int, list[float]]:
        """Class breaks per zoom, so colours stay put while panning at one zoom."""
        out = {}
        for z in range(MIN_ZOOM, self.top + 1):
            out[z] = stepped_breaks(self.level(z).totals().tolist())
        return out


def _drop_empty(types: list[str], *levels: Level | None) -> tuple[list[str], list[Level | None]]:
    """Keep only the type columns some level counts."""
    used = np.zeros(len(types), dtype=bool)
    for level in levels:
        if level is not None:
            used |= level.counts.sum(axis=0) > 0
    kept = [
        None if lv is None else Level(lv.zoom, lv.row, lv.col, lv.counts[:, used]) for lv in levels
    ]
    return [t for t, u in zip(types, used, strict=True) if u], kept


def build(idx: ColumnIndex, query: Query, bounds: Bounds | None, zoom: int) -> Pyramid | None:
    """The levels for a view at a zoom (bounds None: the whole selection); None if empty.

    Kept with the snapshot: every new visitor's first map asks for the same view (0.13 s
    at 1M incidents, in the first visit's time); the last 16 views are kept."""
    key = ("pyramid", query, None if bounds is None else tuple(bounds), zoom)
    found = idx.derived.get(key, _MISSING)  # one read: another thread may clear it
    if found is _MISSING:
        found = from_points(*idx.drawable_points(query), list(idx.labels["type"]), bounds, zoom)
        if len(idx.derived) >= 16:
            idx.derived.clear()
        idx.derived[key] = found
    return found


_MISSING = object()


def from_points(
    lat: np.ndarray,
    lon: np.ndarray,
    kind: np.ndarray,
    types: list[str],
    bounds: Bounds | None,
    zoom: int,
) -> Pyramid | None:
    """build() for points already at hand (kind: an index into types), e.g. rows."""
    whole = _level((lat, lon, kind), len(types), zoom + FINER, WHOLE_CELLS)
    if whole is None:
        return None
    box, box_bounds = None, None
    if bounds is not None and whole.zoom < zoom + FINER:
        box_bounds = _snap(pad_bounds(bounds, 0.5), step(whole.zoom + 1))
        west, south, east, north = box_bounds
        keep = (lat >= south) & (lat <= north) & (lon >= west) & (lon <= east)
        box = _level((lat[keep], lon[keep], kind[keep]), len(types), zoom + FINER, BOX_CELLS)
        if box is None or box.zoom <= whole.zoom:
            box, box_bounds = None, None
    types, (kept_whole, kept_box) = _drop_empty(types, whole, box)
    return Pyramid(types, kept_whole or whole, kept_box, box_bounds)
