"""A large selection counted in grid squares from the column index, for images.

Why: a slide cannot show 100,000 dots one by one (at any size a slide has they
overlap into a blot), and reading and drawing every row of a million-record
selection takes 15-20 s. Above CELLS_ABOVE incidents an image is drawn from the
column index instead: the incidents counted in squares about a dozen pixels wide
with a round size in km. The index is the one read for the export's own viewer
(coarsened for the public, as the rows would be), so a square never knows more than
the rows a point drawing would have read.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np

from incidents import grid
from incidents.export.basemap import KM_PER_DEG, Extent
from incidents.query import Query
from incidents.store.column_index import ColumnIndex
from incidents.styles import TYPE_STYLES
from incidents.translation import number

# Above this many incidents an image counts them in squares. At 20,000 the point
# drawing is already at its smallest dots (points.marker_size), about 2.6 pt across:
# on a 1920x1080 slide they cover each other wherever incidents cluster, so neither
# a dot nor a count can be read; a square with its count can.
CELLS_ABOVE = 20_000
MIN_CELL_PX = 12.0  # a square is at least this many pixels wide at 1x
NICE_KM = (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class Tally:
    """What the index says about one selection: every figure an image prints."""

    by_type: dict[str, int]  # all matches (drawable or not), in the styles' order
    lat: np.ndarray  # of each match (coarsened for the public; NaN without a point)
    lon: np.ndarray
    drawn: np.ndarray  # the match has a point the map can place
    kind: np.ndarray  # type code of each match, an index into labels
    start: np.ndarray  # days since 1970 (as the viewer may see them)
    end: np.ndarray
    labels: tuple[str, ...]
    version: str  # hash of what is drawn and counted, for the image's stamp

    @property
    def total(self) -> int:
        return len(self.kind)

    @property
    def drawable(self) -> int:
        return int(self.drawn.sum())

    @property
    def undrawable(self) -> int:
        """Matches without a point the map can place (no point, or only a country)."""
        return self.total - self.drawable

    def points(self, within: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of the drawable matches (of those within, if given)."""
        keep = self.drawn if within is None else self.drawn & within
        return self.lat[keep], self.lon[keep]


def tally(index: ColumnIndex, query: Query, profile: str) -> Tally:
    """Counts, points, types and dates of the query's matches, straight from the arrays."""
    keep = index.mask(query)
    labels = tuple(index.labels["type"])
    kind = index.codes["type"][keep]
    per_code = np.bincount(kind, minlength=len(labels))
    present = {labels[i]: int(n) for i, n in enumerate(per_code) if n}
    order = [c for c in TYPE_STYLES if c in present] + sorted(set(present) - set(TYPE_STYLES))
    return Tally(
        by_type={c: present[c] for c in order},
        lat=index.lat[keep],
        lon=index.lon[keep],
        drawn=index.drawable[keep],
        kind=kind,
        start=index.start[keep],
        end=index.end[keep],
        labels=labels,
        version=_version(index, keep, profile),
    )


def _version(index: ColumnIndex, keep: np.ndarray, profile: str) -> str:
    """Short, stable hash of what the image is drawn from (records, types, dates, points)."""
    digest = hashlib.sha256(profile.encode())
    digest.update("\x1f".join(index.labels["type"]).encode())
    for array in (index.fid, index.codes["type"], index.start, index.end, index.lat, index.lon):
        digest.update(np.ascontiguousarray(array[keep]).tobytes())
    return digest.hexdigest()[:10]


def sample_fids(index: ColumnIndex, query: Query, limit: int) -> list[int]:
    """At most limit matching fids spread evenly over the selection (in date order)."""
    fids = index.fid[np.flatnonzero(index.mask(query))]
    if len(fids) > limit:
        fids = fids[np.linspace(0, len(fids) - 1, limit).astype(np.int64)]
    return [int(f) for f in fids]


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


def class_of(n: np.ndarray, edges: list[int]) -> np.ndarray:
    """The class (0-based) of each count."""
    return np.searchsorted(np.asarray(edges), n, side="right") - 1


def class_labels(edges: list[int], top: int) -> list[str]:
    """'1', '2–4', '5–9' ... the last up to the largest count."""
    out = []
    for i, low in enumerate(edges):
        high = edges[i + 1] - 1 if i + 1 < len(edges) else top
        out.append(number(low) if high == low else f"{number(low)}–{number(high)}")
    return out
