"""Slow reference implementations of grid counting, kept as oracles: incidents.grid
(and every caller of it) is checked against them on random data.

Each is what one of the fast paths computed before there was one grid module:
pandas group-bys and plain Python dictionaries, easy to read and obviously right.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from incidents.maps.aggregate import located, weights


def cell_counts(
    lat: np.ndarray,
    lon: np.ndarray,
    size: float,
    kind: np.ndarray | None = None,
    size_lon: float | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
) -> dict[tuple[int, int, int], int]:
    """(row, col, kind) -> points, one point at a time."""
    out: dict[tuple[int, int, int], int] = defaultdict(int)
    kinds = np.zeros(len(lat), np.int64) if kind is None else kind
    for a, b, k in zip(lat, lon, kinds, strict=True):
        row = math.floor((float(a) - origin[0]) / size)
        col = math.floor((float(b) - origin[1]) / (size_lon or size))
        out[(row, col, int(k))] += 1
    return dict(out)


def point_counts(
    lat: np.ndarray, lon: np.ndarray, kind: np.ndarray, labels: list[str], step: float
) -> pd.DataFrame:
    """ColumnIndex.point_counts by a pandas group-by: latitude, longitude (the mean of
    the cell's points of that type), type, n."""
    cols = ["latitude", "longitude", "type", "n"]
    if not len(lat):
        return pd.DataFrame({c: pd.Series(dtype=float) for c in cols})
    work = pd.DataFrame(
        {"row": np.floor(lat / step), "col": np.floor(lon / step), "kind": kind,
         "latitude": lat, "longitude": lon}
    )  # fmt: skip
    out = work.groupby(["row", "col", "kind"]).agg(
        latitude=("latitude", "mean"), longitude=("longitude", "mean"), n=("latitude", "size")
    )
    out = out.reset_index()
    out["type"] = np.asarray(labels, dtype=object)[out["kind"].to_numpy(int)]
    return out[cols]


def grid_cells(frame: pd.DataFrame, step: float) -> pd.DataFrame:
    """Incidents per square cell of step degrees, from rows (one per incident) or the
    store's point_counts (an n per row): south, west, count and a column per type."""
    pts = located(frame)
    if pts.empty:
        return pd.DataFrame(columns=["south", "west", "count"])
    work = pd.DataFrame(
        {
            "row": np.floor(pts["latitude"].to_numpy(float) / step).astype(np.int64),
            "col": np.floor(pts["longitude"].to_numpy(float) / step).astype(np.int64),
            "type": pts["type"].fillna("other").to_numpy(),
            "w": weights(pts),
        }
    )
    by_type = work.groupby(["row", "col", "type"])["w"].sum().unstack("type", fill_value=0)
    cells = by_type.round().astype(np.int64).reset_index()
    cells["count"] = by_type.sum(axis=1).round().astype(np.int64).to_numpy()
    cells["south"] = cells["row"] * step
    cells["west"] = cells["col"] * step
    return cells.drop(columns=["row", "col"])


def cell_totals(frame: pd.DataFrame, step: float) -> dict[tuple[float, float], int]:
    """grid_cells' count per (south, west)."""
    cells = grid_cells(frame, step)
    return cells.set_index(["south", "west"])["count"].sort_index().to_dict()
