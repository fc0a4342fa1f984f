"""The public view rules (incidents.access.coarsen_for_public) for SQL reads.

The public sees a point where incidents.public_place puts it (its town, district
centre or grid cell) and a date as its month where the record says so. A time window
or a box must act on those coarsened values: filtering exact ones would let a narrow
box or a one-day window reveal an exact site or date. Dates are written as SQL here;
points are not (the rule looks names up in the gazetteer): public_place computes them
per record, and the box and the grid use those points, so SQL counts and groups for
the public exactly as the coarsened rows would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import numpy as np
import pandas as pd

from incidents.access import PublicRules
from incidents.public_place import public_points
from incidents.query import Query
from incidents.store.sql import Where

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


_POINTS_KEPT = 4
_POINTS: dict[tuple[object, ...], PublicPlaces] = {}


class _Readable(Protocol):
    public_rules: PublicRules

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]: ...

    def tuples(
        self, sql: str, params: Sequence[Any]
    ) -> tuple[list[str], list[tuple[Any, ...]]]: ...


@dataclass(frozen=True)
class PublicPlaces:
    """The public point of every located public record, by fid, as public_place places it.

    SQL cannot look a place name up in the gazetteer, so the rule is not written in SQL:
    the points are computed once per data version (and rules) by the same function that
    coarsens rows and builds the column index, and SQL filters and groups by record.
    """

    fids: np.ndarray  # sorted
    lat: np.ndarray
    lon: np.ndarray

    @classmethod
    def for_store(cls, store: _Readable) -> PublicPlaces:
        key = _version(store)
        if key not in _POINTS:
            if len(_POINTS) >= _POINTS_KEPT:
                _POINTS.pop(next(iter(_POINTS)))
            _POINTS[key] = cls._read(store)
        return _POINTS[key]

    @classmethod
    def _read(cls, store: _Readable) -> PublicPlaces:
        names = ["fid", *_RULE_INPUTS]
        _, rows = store.tuples(
            f"SELECT i.fid, {', '.join(f'i.{c}' for c in _RULE_INPUTS)} FROM incidents i "
            "WHERE i.sensitivity = 'public' AND i.latitude IS NOT NULL ORDER BY i.fid",
            [],
        )
        frame = pd.DataFrame.from_records(rows, columns=names, coerce_float=True)
        points = public_points(frame, store.public_rules)
        return cls(frame["fid"].to_numpy(np.int64), points.lat, points.lon)

    def key_columns(self) -> str:
        """pd: the record (its public point is looked up by points())."""
        return "i.fid AS pd, NULL AS py, NULL AS px"

    def group_by(self) -> str:
        return "1, 2, 3"

    def points(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Add latitude and longitude (the public point) to rows keyed by key_columns()."""
        fids = pd.to_numeric(frame["pd"], errors="coerce").fillna(-1).to_numpy(np.int64)
        at = np.clip(np.searchsorted(self.fids, fids), 0, max(len(self.fids) - 1, 0))
        found = (self.fids[at] == fids) if len(self.fids) else np.zeros(len(fids), bool)
        out = frame.copy()
        out["latitude"] = np.where(found, self.lat[at] if len(self.fids) else np.nan, np.nan)
        out["longitude"] = np.where(found, self.lon[at] if len(self.fids) else np.nan, np.nan)
        return out

    def inside(self, box: tuple[float, float, float, float]) -> list[int]:
        """fids of the records whose public point lies inside the box."""
        west, south, east, north = box
        with np.errstate(invalid="ignore"):
            keep = (self.lat >= south) & (self.lat <= north)
            keep &= (self.lon >= west) & (self.lon <= east)
        return [int(f) for f in self.fids[keep]]


_RULE_INPUTS = ("latitude", "longitude", "admin1_code", "location_precision", "place", "country")


def _version(store: _Readable) -> tuple[object, ...]:
    """What the points depend on: the store, its data version and the rules."""
    meta = store._fetch("SELECT value FROM store_meta WHERE key = 'data_version'", [])
    top = store._fetch("SELECT COUNT(*) AS n, MAX(fid) AS m FROM incidents", [])
    first = store._fetch("SELECT hash FROM audit_log ORDER BY seq LIMIT 1", [])
    return (
        getattr(store, "url", ""), str(getattr(store, "path", "")),
        getattr(store, "schema", ""), first[0]["hash"] if first else "",
        meta[0]["value"] if meta else "", top[0]["n"] if top else 0,
        top[0]["m"] if top else 0, repr(store.public_rules),
    )  # fmt: skip


def add_public_box(
    where: Where, query: Query, places: Callable[[], PublicPlaces] | PublicPlaces
) -> None:
    """Keep records whose public point lies inside the box (points read only when a box
    is asked for)."""
    if query.bbox is None:
        return
    found = places() if callable(places) else places
    fids = found.inside(query.bbox)
    # Integers from the store itself: no record text reaches the SQL.
    where.add(f"i.fid IN ({', '.join(map(str, fids))})" if fids else "1 = 0")


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


__all__ = ["PublicPlaces", "add_public_box", "add_public_dates"]
