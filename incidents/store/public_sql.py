"""The public view rules (incidents.access.coarsen_for_public) written as SQL.

The public sees a point as its district's centroid, or, without a known district
(or when the instance uses a grid), as the centre of a grid cell; and a date as its
month where the record says so. A time window or a box must act on those coarsened
values: filtering exact ones would let a narrow box or a one-day window reveal an
exact site or date. These conditions are exactly equivalent to filtering the
coarsened values, so SQL can count and group for the public without reading rows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from geodata import admin1_frame, available_countries, district_by_code
from incidents.access import PublicRules
from incidents.query import Query
from incidents.store.sql import Where

_CODE = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,6}")
_KM_PER_DEGREE = 111.32
_MONTHLY = "COALESCE(CAST(i.public_date_to_month AS INTEGER), 0) = 1"
# The public's order: a month-only record's start is the first of its month (as
# coarsen_for_public makes it), so no order among them betrays their exact dates.
PUBLIC_ORDER_SQLITE = (
    f"CASE WHEN {_MONTHLY} THEN substr(i.date_start, 1, 8) || '01' ELSE i.date_start END, i.id"
)
PUBLIC_ORDER_POSTGIS = (
    f"CASE WHEN {_MONTHLY} THEN CAST(date_trunc('month', i.date_start) AS DATE) "
    'ELSE i.date_start END, i.id COLLATE "C"'
)


@functools.lru_cache(maxsize=1)
@functools.cache
def district_centroids() -> dict[str, tuple[float, float]]:
    """Every bundled district code (upper case) and its centroid (lat, lon).

    Cached: districts of every country are bundled, and reading them all takes seconds.
    """
    out: dict[str, tuple[float, float]] = {}
    for country in available_countries():
        for code in admin1_frame(country)["code"]:
            district = district_by_code(str(code))
            if district is not None and _CODE.fullmatch(district.code):
                out[district.code] = (district.centroid_lat, district.centroid_lon)
    return out


@dataclass(frozen=True)
class PublicPlaces:
    """SQL for where the public sees a record's point."""

    centroids: dict[str, tuple[float, float]]  # empty when every point goes to the grid
    km: float

    @classmethod
    def for_rules(cls, rules: PublicRules) -> PublicPlaces:
        if rules.grid_km > 0:
            return cls({}, rules.grid_km)
        return cls(district_centroids(), rules.fallback_grid_km)

    @property
    def code(self) -> str:
        return "UPPER(TRIM(COALESCE(i.admin1_code, '')))"

    @property
    def known(self) -> str:
        """True for records shown at their district's centroid (codes checked: _CODE)."""
        if not self.centroids:
            return "1 = 0"
        return f"{self.code} IN ({', '.join(repr(c) for c in sorted(self.centroids))})"

    def cell_lat(self) -> str:
        step = self.km / _KM_PER_DEGREE
        return f"((floor(i.latitude / {step!r}) + 0.5) * {step!r})"

    def cell_lon(self) -> str:
        """As access.snap_to_grid: the cell width in longitude follows the cell's latitude."""
        cos = f"cos(radians({self.cell_lat()}))"
        floor_cos = f"CASE WHEN {cos} > 0.01 THEN {cos} ELSE 0.01 END"
        step = f"({self.km!r} / ({_KM_PER_DEGREE!r} * {floor_cos}))"
        return f"((floor(i.longitude / {step}) + 0.5) * {step})"

    def key_columns(self) -> str:
        """pd: the district code shown, or py/px: the grid cell's centre."""
        return (
            f"CASE WHEN {self.known} THEN {self.code} END AS pd, "
            f"CASE WHEN {self.known} THEN NULL ELSE {self.cell_lat()} END AS py, "
            f"CASE WHEN {self.known} THEN NULL ELSE {self.cell_lon()} END AS px"
        )

    def group_by(self) -> str:
        return "1, 2, 3"

    def points(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Add latitude and longitude (the public point) to rows keyed by key_columns()."""
        lat = pd.to_numeric(frame["py"], errors="coerce").to_numpy(float).copy()
        lon = pd.to_numeric(frame["px"], errors="coerce").to_numpy(float).copy()
        for k, code in enumerate(frame["pd"]):
            if code in self.centroids:
                lat[k], lon[k] = self.centroids[code]
        out = frame.copy()
        out["latitude"], out["longitude"] = lat, lon
        return out

    def inside(self, box: tuple[float, float, float, float]) -> list[str]:
        west, south, east, north = box
        return sorted(
            c for c, (y, x) in self.centroids.items() if south <= y <= north and west <= x <= east
        )


def add_public_box(where: Where, query: Query, places: PublicPlaces) -> None:
    """Keep records whose public point (centroid or grid cell) lies inside the box."""
    if query.bbox is None:
        return
    west, south, east, north = query.bbox
    codes = places.inside(query.bbox)
    district = "1 = 0"
    if codes:
        district = f"({places.known} AND {places.code} IN ({', '.join(map(repr, codes))}))"
    where.add(
        f"i.latitude IS NOT NULL AND ({district} OR (NOT ({places.known}) "
        f"AND {places.cell_lat()} BETWEEN %s AND %s AND {places.cell_lon()} BETWEEN %s AND %s))",
        south,
        north,
        west,
        east,
    )


def add_public_dates(where: Where, query: Query) -> None:
    """The time window on public dates: month-only records compared by their month."""
    exact, month = Where(where.placeholder), Where(where.placeholder)
    start, end = query.date_from, query.date_to
    if query.date_mode == "within":
        if start:
            exact.add("i.date_start >= %s", start.isoformat())
            month.add("i.date_start >= %s", _month_ceil(start).isoformat())
        if end:
            exact.add("i.date_end <= %s", end.isoformat())
            month.add("i.date_end <= %s", _month_end_floor(end).isoformat())
    else:
        if start:
            exact.add("i.date_end >= %s", start.isoformat())
            month.add("i.date_end >= %s", start.replace(day=1).isoformat())
        if end:
            exact.add("i.date_start <= %s", end.isoformat())
            month.add("i.date_start <= %s", _month_end(end).isoformat())
    if not exact.conditions:
        return
    where.add(
        f"(({_MONTHLY} AND {month.sql()}) OR (NOT ({_MONTHLY}) AND {exact.sql()}))",
        *month.params,
        *exact.params,
    )


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _month_ceil(day: date) -> date:
    """The first first-of-month on or after day: where a month-only start can be >= day."""
    return day if day.day == 1 else _month_end(day) + timedelta(days=1)


def _month_end_floor(day: date) -> date:
    """The last month end on or before day: where a month-only end can be <= day."""
    return day if day == _month_end(day) else day.replace(day=1) - timedelta(days=1)


__all__ = ["PublicPlaces", "add_public_box", "add_public_dates", "district_centroids"]
