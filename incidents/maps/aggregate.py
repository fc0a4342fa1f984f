"""Summaries of a selection that stay small however many incidents it holds.

The map never sends one marker per incident once a view holds more than a few
thousand: it sends grid levels (pyramid.py), district totals, or heat points
binned on a fine grid (incidents.grid). All functions are pure: a frame in, a small frame out.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from incidents import count_totals, grid
from incidents.translation import N_, _, number

Bounds = tuple[float, float, float, float]  # west, south, east, north

MEASURES: dict[str, str] = {  # English, marked for the catalogue; shown through _()
    "incidents": N_("Incidents"),
    "killed_best": N_("People killed"),
    "disappeared_best": N_("People disappeared"),
    "displaced_best": N_("People displaced"),
}

_NICE_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)


def located(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a point that can be drawn (country-only places are not drawn)."""
    if frame.empty:
        return frame
    keep = frame["latitude"].notna() & frame["longitude"].notna()
    if "location_precision" in frame.columns:
        keep &= frame["location_precision"].fillna("") != "country"
    return frame[keep]


def in_bounds(frame: pd.DataFrame, bounds: Bounds | None) -> pd.DataFrame:
    """Rows whose point lies inside bounds (all rows when bounds is None)."""
    if bounds is None or frame.empty:
        return frame
    west, south, east, north = bounds
    lat, lon = frame["latitude"], frame["longitude"]
    return frame[lat.between(south, north) & lon.between(west, east)]


def pad_bounds(bounds: Bounds, fraction: float = 0.25) -> Bounds:
    """The view grown on each side, so a small pan does not need a new query."""
    west, south, east, north = bounds
    dx, dy = (east - west) * fraction, (north - south) * fraction
    return (
        max(west - dx, -180.0),
        max(south - dy, -90.0),
        min(east + dx, 180.0),
        min(north + dy, 90.0),
    )


def cell_size(bounds: Bounds, cells_across: int = 24) -> float:
    """A round grid step in degrees giving about cells_across cells over the view's width."""
    west, _, east, _ = bounds
    raw = max(east - west, 1e-6) / max(cells_across, 1)
    for step in _NICE_STEPS:
        if step >= raw:
            return step
    return _NICE_STEPS[-1]


def weights(frame: pd.DataFrame) -> np.ndarray:
    """How many incidents each row stands for: its n when the store summed them, else 1."""
    if "n" in frame.columns:
        return frame["n"].to_numpy(dtype=float)
    return np.ones(len(frame))


def heat_points(frame: pd.DataFrame, max_points: int = 20000) -> list[list[float]]:
    """[lat, lon, weight] for a heat map; binned on a fine grid when there are too many."""
    pts = located(frame)
    if pts.empty:
        return []
    lat = pts["latitude"].to_numpy(float)
    lon = pts["longitude"].to_numpy(float)
    weight = weights(pts)
    if len(pts) <= max_points:
        return [
            [round(a, 5), round(b, 5), float(w)] for a, b, w in zip(lat, lon, weight, strict=True)
        ]
    span = max(float(lon.max() - lon.min()), float(lat.max() - lat.min()), 1e-3)
    step = span / math.sqrt(max_points)
    cells = grid.bin_points(lat, lon, step)
    return [
        [round((r + 0.5) * step, 5), round((c + 0.5) * step, 5), float(n)]
        for r, c, n in zip(cells.row, cells.col, cells.sum(weight)[:, 0], strict=True)
    ]


def district_totals(frame: pd.DataFrame, measure: str = "incidents") -> pd.Series:
    """Incidents, or people (count_totals' lower bound), per district code; districts
    without incidents omitted. district_table says which totals are exact."""
    table = district_table(frame, measure)
    return table["records" if measure == "incidents" else "value"]


def district_table(frame: pd.DataFrame, measure: str = "incidents") -> pd.DataFrame:
    """count_totals.COLUMNS per district code (no '' row): what the choropleth draws."""
    if frame.empty or "admin1_code" not in frame.columns:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in count_totals.COLUMNS})
    if measure == "incidents":
        ones = pd.Series(1.0, index=frame.index)
        frame = frame.assign(killed_best=ones)
        measure = "killed_best"
    table = count_totals.frame_totals(frame, measure, by="admin1_code")
    return table[table.index != ""]


def total_words(total: count_totals.Total) -> str:
    """A district's total as the reader's language writes it: '338', 'at least 338' or
    'unknown' (count_totals' rule: an unknown total is never a false 0)."""
    kind = total.kind
    if kind == count_totals.UNKNOWN:
        return _("unknown")
    written = number(round(total.value))
    return written if kind == count_totals.EXACT else _("at least {n}").format(n=written)


def district_words(table: pd.DataFrame, measure: str, names: dict[str, str]) -> pd.DataFrame:
    """district_table (or the index's district_totals) as the app lists it beside the
    map: District and the total in words ('at least 338', 'unknown', never a false 0),
    largest first; incidents without a district last. Headings and words in the
    reader's language."""
    people = measure != "incidents"
    district, title, incidents = (
        _("District"),
        _(MEASURES.get(measure, "Incidents")),
        _("Incidents"),
    )
    rows: list[dict[str, object]] = []
    nowhere: list[dict[str, object]] = []
    for code, row in table.sort_values("value", ascending=False).iterrows():
        found = count_totals.as_total(row)
        words = total_words(found) if people else number(found.records)
        name = names.get(str(code), str(code)) if code else _("No district recorded")
        (rows if code else nowhere).append({district: name, title: words, incidents: found.records})
    columns = [district, title, incidents] if people else [district, title]
    return pd.DataFrame(rows + nowhere, columns=columns)


def class_edges(top: int, most: int = 6) -> list[int]:
    """Lower bounds of stepped colour classes (1, 2, 5, 10 ...; decades when that is too
    many): counts per cell span several orders of magnitude, equal steps would colour
    nearly every cell alike."""
    if top <= 1:
        return [1]
    steps = [s * 10**p for p in range(0, 10) for s in (1, 2, 5) if s * 10**p <= top]
    if len(steps) > most:
        steps = [s for s in steps if str(s)[0] == "1"]
    while len(steps) > most:
        steps = steps[::2]
    return steps


def stepped_breaks(values: pd.Series | list[float]) -> list[float]:
    """class_edges as upper bounds (the form class_breaks gives), the last the largest."""
    top = math.ceil(float(max(values, default=0.0)))
    if top <= 0:
        return [0.0]
    edges = class_edges(top)
    return [float(e - 1) for e in edges[1:]] + [float(top)]


def class_breaks(values: pd.Series | list[float], classes: int = 5) -> list[float]:
    """Upper bounds of up to `classes` rounded classes from 0 to the largest value."""
    top = float(max(values, default=0.0))
    if top <= 0:
        return [0.0]
    if top <= classes:
        return [float(v) for v in range(1, math.ceil(top) + 1)]
    raw = [top * (i / classes) for i in range(1, classes + 1)]
    breaks = sorted({float(math.ceil(v)) for v in raw})
    breaks[-1] = max(breaks[-1], top)
    return breaks
