"""The squares an image draws instead of dots when a selection is large.

Why: a slide cannot show 100,000 dots one by one (at any size a slide has they
overlap into a blot), and reading and drawing every row of a million-record
selection takes 15-20 s. Above CELLS_ABOVE incidents the selection is read from the
column index (selection.read_selection with an index) and the same figure pipeline
(static_map) counts its drawable incidents in squares about a dozen pixels wide with a
round size in km, counted by incidents.grid, the one module that bins points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_hex

from incidents import grid, translation
from incidents.export import theme
from incidents.export.basemap import HALO, KM_PER_DEG, Extent
from incidents.export.placement_words import km_words
from incidents.maps.aggregate import class_edges
from incidents.translation import _, ngettext, number

# Above this many incidents an image counts them in squares. At 20,000 the point
# drawing is already at its smallest dots (points.marker_size), about 2.6 pt across:
# on a 1920x1080 slide they cover each other wherever incidents cluster, so neither
# a dot nor a count can be read; a square with its count can.
CELLS_ABOVE = 20_000
MIN_CELL_PX = 12.0  # a square is at least this many pixels wide at 1x
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)
RAMP = plt.get_cmap("YlOrRd")
LABELLED = 6  # the largest squares get their count written on them
RASTER_CELLS = 3000  # above this many squares, PDF and SVG hold them as one image


@dataclass(frozen=True)
class CellGrid:
    """Squares of step_km over an extent, and how many incidents each holds."""

    step_km: float
    west: float
    south: float
    dlon: float  # the square's size in degrees (square on the map at its mid latitude)
    dlat: float
    row: np.ndarray  # of each non-empty square
    col: np.ndarray
    n: np.ndarray
    outside_view: int

    @property
    def shown(self) -> int:
        return int(self.n.sum())

    def corners(self) -> np.ndarray:
        """(squares, 4, 2) lon/lat corners, for a PolyCollection."""
        x0 = self.west + self.col * self.dlon
        y0 = self.south + self.row * self.dlat
        x1, y1 = x0 + self.dlon, y0 + self.dlat
        return np.stack(
            [np.stack(p, axis=1) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))], axis=1
        )

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        lon = self.west + (self.col + 0.5) * self.dlon
        lat = self.south + (self.row + 0.5) * self.dlat
        return lon, lat


def cell_km(extent: Extent, width_px: float, min_px: float = MIN_CELL_PX) -> float:
    """The smallest round size (km) at which a square is at least min_px wide."""
    west, south, east, north = extent
    coslat = max(math.cos(math.radians((south + north) / 2)), 0.05)
    km_per_px = (east - west) * KM_PER_DEG * coslat / max(width_px, 1.0)
    wanted = km_per_px * min_px
    return float(next((k for k in NICE_KM if k >= wanted), NICE_KM[-1]))


def count_cells(lat: np.ndarray, lon: np.ndarray, extent: Extent, step_km: float) -> CellGrid:
    """Count the points inside the extent in squares of step_km (squares on the map)."""
    west, south, east, north = extent
    coslat = max(math.cos(math.radians((south + north) / 2)), 0.05)
    dlat = step_km / KM_PER_DEG
    dlon = dlat / coslat
    inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    cells = grid.bin_points(lat[inside], lon[inside], dlat, size_lon=dlon, origin=(south, west))
    return CellGrid(
        step_km=step_km, west=west, south=south, dlon=dlon, dlat=dlat,
        row=cells.row, col=cells.col, n=cells.counts()[:, 0], outside_view=int((~inside).sum()),
    )  # fmt: skip


def class_labels(edges: list[int], top: int) -> list[str]:
    """'1', '2–4', '5–9' ... the last up to the largest count."""
    out = []
    for i, low in enumerate(edges):
        high = edges[i + 1] - 1 if i + 1 < len(edges) else top
        out.append(number(low) if high == low else f"{number(low)}–{number(high)}")
    return out


@dataclass(frozen=True)
class Squares:
    """What the squares of one image show (one map or every panel): for its legend and
    its file's description."""

    step_km: float
    edges: list[int]  # lower bound of each colour class
    colours: list[str]
    top: int  # the largest count in one square
    squares: int
    note: str  # how places were coarsened before counting ('' when they were not)

    def legend_rows(self) -> list[tuple[str, str]]:
        """(label, colour) of each colour class, smallest first."""
        return list(zip(class_labels(self.edges, self.top), self.colours, strict=True))

    def heading(self) -> str:
        return _("Incidents in each {km} km square").format(km=km_words(self.step_km))

    def sentence(self, shown: int) -> str:
        """What a square is, in words: its size and what its colour counts."""
        text = _(
            "Too many to draw one by one: the {n} incidents shown are counted in squares of "
            "{km} km; a square's colour says how many it holds (up to {top}); the counts of "
            "the largest are written on the map."
        ).format(n=number(shown), km=km_words(self.step_km), top=number(self.top))
        return f"{text} {self.note}" if self.note else text

    def counted_in(self) -> str:
        """'Counted in 10 km squares (12 squares).', for the file's description."""
        squares = ngettext("{n} square", "{n} squares", self.squares).format(n=number(self.squares))
        return _("Counted in {km} km squares ({squares}).").format(
            km=km_words(self.step_km), squares=squares
        )


def draw_squares(
    axes: Sequence[Axes],
    points: Sequence[tuple[np.ndarray, np.ndarray]],
    extent: Extent,
    width_px: float,
    note: str,
    raster: bool,
) -> Squares:
    """Each axes' points (lat, lon) counted in squares of one size and drawn in colour
    classes shared by every axes, so panels compare like with like."""
    step = cell_km(extent, width_px)
    grids = [count_cells(lat, lon, extent, step) for lat, lon in points]
    top = max((int(g.n.max()) for g in grids if len(g.n)), default=1)
    edges = class_edges(top)
    shades = np.linspace(0.3, 0.95, len(edges)) if len(edges) > 1 else np.array([0.75])
    colours = [to_hex(RAMP(v)) for v in shades]
    for ax, cells in zip(axes, grids, strict=True):
        if not len(cells.n):
            continue
        classes = np.searchsorted(np.asarray(edges), cells.n, side="right") - 1  # 0-based
        faces = np.asarray(colours, dtype=object)[classes]
        squares = PolyCollection(
            list(cells.corners()), facecolors=list(faces), edgecolors="white",
            linewidths=0.3, alpha=0.92, zorder=6,
        )  # fmt: skip
        squares.set_rasterized(raster or len(cells.n) > RASTER_CELLS)
        ax.add_collection(squares)
        _write_counts(ax, cells)
    return Squares(step, edges, colours, top, sum(len(g.n) for g in grids), note)


def _write_counts(ax: Axes, cells: CellGrid) -> None:
    """The counts of the largest squares, above them (no two within four squares)."""
    lon, lat = cells.centres()
    chosen: list[int] = []
    for i in np.argsort(-cells.n, kind="stable"):
        if len(chosen) == LABELLED:
            break
        near = any(abs(cells.row[i] - cells.row[j]) < 4 and abs(cells.col[i] - cells.col[j]) < 4
                   for j in chosen)  # fmt: skip
        if not near:
            chosen.append(int(i))
    size = max(7.0, 10 * theme.axes_inches(ax)[0] / 8.8)
    for i in chosen:
        ax.text(lon[i], lat[i] + cells.dlat * 0.6, translation.number(int(cells.n[i])),
                ha="center", va="bottom", fontsize=size, fontweight="bold", color=theme.INK,
                zorder=8, path_effects=HALO)  # fmt: skip
