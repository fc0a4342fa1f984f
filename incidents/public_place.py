"""Where the public sees a located record: the one place this rule is written.

Every reader calls public_points: the rows a store returns (access.coarsen_for_public)
and the column snapshot every filter, count and grid is answered from
(store/column_load.py).

The rule (PublicRules.basis):
- "town" (the default): a record whose place is a populated place of the bundled
  gazetteer (a confident match in the record's country), with its site within
  TOWN_RADIUS_KM of that town, is shown at the town's gazetteer point; a record known
  only to its district is shown at its district's centre; any other site at the centre
  of its cell of the fallback grid. Never at another town than the one named, so a
  reader of a Tarhuna record sees Tarhuna, not a point 40 km away.
- "district": every record at its district's centre (the grid without a district).
- "grid": every record at the centre of its grid cell.

Whatever the basis, a record known only to its country gets no public point, no
district and no place text of its own: the public sees its country only (staff
maps do not draw it either), and under "town" and "district" a record known only to
its district gets none when its district is not known: a grid cell or a district
would place it finer than its record says, around whatever point it stores (an
editor may have set a site "country" so as to hide it; a country-level point was
shown as "approximate, within about 5 km", found in a browser walk).

The public point depends only on the town, district or cell, never on where in it the
site lies. A shown place name is the gazetteer's name of the town, or the record's own
text only for records known no finer than a district: a site's name ("the farm on the
Bani Walid road") would give back the site the point was moved away from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from geodata import district_by_code, geocode_many, km_between

if TYPE_CHECKING:
    from incidents.access import PublicRules

TOWN_RADIUS_KM = 15.0
# Place names of records known no finer than these say no more than the public point.
# Not "country": a record set to it (an editor may, to hide a site) showed the public
# its site's name and district, more than it showed while it was exact (a red-team
# pass); its country is shown by its own column.
COARSE_PRECISIONS = ("district",)
_KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class PublicPoints:
    """Per row: the public point (NaN without one), the precision it is shown at
    ('town', 'district', 'approximate'; '' without a point), the place text the public
    may see and the district it may see ('' for a record known only to its country)."""

    lat: np.ndarray
    lon: np.ndarray
    precision: np.ndarray
    place: np.ndarray
    district: np.ndarray


def public_points(frame: pd.DataFrame, rules: PublicRules) -> PublicPoints:
    """The public point of each row of frame (columns latitude, longitude, and where
    present admin1_code, location_precision, place, country)."""
    n = len(frame)
    lat, lon = _floats(frame, "latitude"), _floats(frame, "longitude")
    stored = _texts(frame, "location_precision")
    coarse_name = np.isin(stored, COARSE_PRECISIONS)
    place = np.where(coarse_name, _texts(frame, "place"), "").astype(object)
    district = np.where(stored == "country", "", _texts(frame, "admin1_code")).astype(object)
    out_lat, out_lon = np.full(n, np.nan), np.full(n, np.nan)
    precision = np.full(n, "", dtype=object)
    todo = ~np.isnan(lat) & ~np.isnan(lon) & (stored != "country")
    if rules.basis != "grid":
        codes = _texts(frame, "admin1_code")
        centres = _centres(codes[todo])
        known = todo & np.isin(codes, list(centres))
        if rules.basis == "town":
            known &= coarse_name
        for k in np.flatnonzero(known).tolist():
            out_lat[k], out_lon[k] = centres[codes[k]]
        precision[known] = "district"
        todo &= ~known & (stored != "district")
    if rules.basis == "town" and todo.any():
        town = _towns(frame, lat, lon, todo)
        for k, (t_lat, t_lon, name) in town.items():
            out_lat[k], out_lon[k], place[k] = t_lat, t_lon, name
            precision[k] = "town"
            todo[k] = False
    if todo.any():
        out_lat[todo], out_lon[todo] = snap_to_grid(lat[todo], lon[todo], rules.cell_km)
        precision[todo] = "approximate"
    return PublicPoints(out_lat, out_lon, precision, place, district)


def snap_to_grid(lat: np.ndarray, lon: np.ndarray, km: float) -> tuple[np.ndarray, np.ndarray]:
    """Centre of the grid cell (about km wide) holding each point."""
    step_lat = km / _KM_PER_DEGREE
    cell_lat = (np.floor(lat / step_lat) + 0.5) * step_lat
    step_lon = km / (_KM_PER_DEGREE * np.maximum(np.cos(np.radians(cell_lat)), 0.01))
    cell_lon = (np.floor(lon / step_lon) + 0.5) * step_lon
    return cell_lat, cell_lon


def _floats(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _texts(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    return frame[name].fillna("").astype(str).str.strip().to_numpy(dtype=object)


def _centres(codes: np.ndarray) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    for code in set(codes.tolist()):
        district = district_by_code(code) if code else None
        if district is not None:
            out[code] = (district.centroid_lat, district.centroid_lon)
    return out


def _towns(
    frame: pd.DataFrame, lat: np.ndarray, lon: np.ndarray, todo: np.ndarray
) -> dict[int, tuple[float, float, str]]:
    """Rows (of todo) whose place names a gazetteer town near the site: the town's point
    and name. The country is the record's, else its district code's; none: no town."""
    names = _texts(frame, "place")
    countries = _texts(frame, "country")
    codes = _texts(frame, "admin1_code")
    rows: dict[str, list[int]] = {}
    for k in np.flatnonzero(todo & (names != "")).tolist():
        country = countries[k].upper() or codes[k].split("-", 1)[0].upper()
        if len(country) == 2:
            rows.setdefault(country, []).append(k)
    out: dict[int, tuple[float, float, str]] = {}
    for country, ks in rows.items():
        found = geocode_many([names[k] for k in ks], country)
        for k in ks:
            result = found.get(names[k])
            best = result.best if result is not None and result.confident else None
            if (
                best is not None
                and km_between(lat[k], lon[k], best.lat, best.lon) <= TOWN_RADIUS_KM
            ):
                out[k] = (float(best.lat), float(best.lon), best.name)
    return out
