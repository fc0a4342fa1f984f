"""Binning points in grid cells: the one place a cell is computed and counted.

Why one module: the app's grid levels, the heat layer, the images' squares and the
column index's per-cell sums each used to number cells and count them their own
way, and the offline HTML map drew a different grid than the app. Every caller now
numbers cells with keys() and counts them with group() or bin_points(); they differ only
in the cell size and origin they pass (degrees from 0 for map levels, km-sized
squares from an extent's corner for images).

Counting is O(n): distinct cells are found through a table of the keys' range where
that range is modest (sorting a million keys is not). People are summed by
count_totals' rule (unknown is not zero), not as plain weights.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from incidents import count_totals


def keys(values: np.ndarray, size: float, origin: float = 0.0) -> np.ndarray:
    """The cell number of each value along one axis: floor((value - origin) / size)."""
    return np.floor((np.asarray(values, float) - origin) / size).astype(np.int64)


def distinct(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, return_inverse=True) for integer keys, without sorting when the
    keys span a modest range."""
    if not len(key):
        return key[:0].astype(np.int64), key[:0].astype(np.int64)
    low = int(key.min())
    shifted = key - low
    top = int(shifted.max()) + 1
    if top > 4 * len(key) + 1_000_000:
        uniq, inverse = np.unique(shifted, return_inverse=True)
        return uniq + low, inverse.ravel()
    present = np.bincount(shifted, minlength=top) > 0
    uniq = np.flatnonzero(present)
    return uniq + low, (np.cumsum(present) - 1)[shifted]


@dataclass(frozen=True)
class Cells:
    """The non-empty cells of some points (row-major order) and, for each point, the
    slot it counts in: its cell times kinds plus its kind (type code)."""

    row: np.ndarray
    col: np.ndarray
    slot: np.ndarray
    kinds: int = 1

    def __len__(self) -> int:
        return len(self.row)

    def sum(self, weights: np.ndarray | None = None) -> np.ndarray:
        """cells x kinds: how many points (or the sum of weights) each slot holds;
        int64 when counting or summing integers."""
        size = len(self) * self.kinds
        out = np.bincount(self.slot, weights, minlength=size).reshape(len(self), self.kinds)
        if weights is None or np.issubdtype(np.asarray(weights).dtype, np.integer):
            return out.astype(np.int64)
        return out

    def counts(self) -> np.ndarray:
        return self.sum()

    def means(self, values: np.ndarray) -> np.ndarray:
        """cells x kinds: the mean of values over each slot's points (NaN where empty)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.sum(np.asarray(values, float)) / self.sum()

    def people(self, best: np.ndarray, low: np.ndarray) -> np.ndarray:
        """count_totals.COLUMNS per slot (a row per cell and kind): the people a slot's
        points give, a lower bound where some give no best estimate, never a false 0."""
        return count_totals.grouped(self.slot, best, low, len(self) * self.kinds)


def group(
    row: np.ndarray, col: np.ndarray, kind: np.ndarray | None = None, kinds: int = 1
) -> Cells:
    """The distinct (row, col) cells of numbered points, each point's kind kept apart."""
    row, col = np.asarray(row, np.int64), np.asarray(col, np.int64)
    if not len(row):
        empty = np.zeros(0, np.int64)
        return Cells(empty, empty, empty, kinds)
    r0, c0 = int(row.min()), int(col.min())
    width = int(col.max()) - c0 + 1
    uniq, inverse = distinct((row - r0) * width + (col - c0))
    slot = inverse * kinds + (0 if kind is None else np.asarray(kind, np.int64))
    return Cells(uniq // width + r0, uniq % width + c0, slot, kinds)


def bin_points(
    lat: np.ndarray,
    lon: np.ndarray,
    size: float,
    kind: np.ndarray | None = None,
    kinds: int = 1,
    *,
    size_lon: float | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
) -> Cells:
    """Points in cells of size degrees (size_lon across, if it differs) counted from
    origin (south, west): row floor((lat - south) / size), col likewise."""
    row = keys(lat, size, origin[0])
    col = keys(lon, size if size_lon is None else size_lon, origin[1])
    return group(row, col, kind, kinds)


def regroup(row: np.ndarray, col: np.ndarray, counts: np.ndarray) -> tuple[Cells, np.ndarray]:
    """Cells already counted (cells x kinds) summed again into (row, col), e.g. the
    same cells' rows and cols halved for a coarser level: the new cells and counts."""
    kinds = counts.shape[1]
    cells = group(
        np.repeat(row, kinds), np.repeat(col, kinds), np.tile(np.arange(kinds), len(row)), kinds
    )
    return cells, cells.sum(counts.ravel())
