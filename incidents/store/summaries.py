"""Counts and aggregates computed in the database, so the app never holds every row.

Each answer is what reading the rows (RecordStore.query) and summing them in pandas
would give, under the same access rules. For the public, a point is where
incidents.public_place puts it (town, district centre or grid cell) and a date may be
its month; the time window and the box act on those coarsened values (see
incidents.store.public_sql), never on the exact ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from incidents.access import PublicRules, Viewer, coarsen_for_public
from incidents.count_totals import lower_bound_sql, what_of
from incidents.query import Query
from incidents.schema import CONFIDENTIAL_FIELDS
from incidents.store.columns import INCIDENT_COLUMN_NAMES, INCIDENT_COLUMNS, LIST_SEPARATOR
from incidents.store.public_sql import (
    PUBLIC_ORDER_SQLITE,
    PublicPlaces,
    add_public_box,
    add_public_dates,
)
from incidents.store.sql import Where, where_for

if TYPE_CHECKING:
    from incidents.store.backend import Backend

LIST_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "list")
NUMBER_COLUMNS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind in ("integer", "number"))
_DATES = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "date")
_BOOLEANS = tuple(f.name for f in INCIDENT_COLUMNS if f.kind == "boolean")
SPAN_CAP = 31  # days: a range this long crosses any day, week or month bar


class Summaries:
    """SQL-side counts, grids, histograms and limited row reads, for RecordStore."""

    public_rules: PublicRules
    # Dialect: the GeoPackage (SQLite) values; the PostGIS store overrides them.
    like = "LIKE"
    order_by = "i.date_start, i.id"
    public_order_by = PUBLIC_ORDER_SQLITE
    days_sql = "CAST(julianday(i.date_end) - julianday(i.date_start) AS INTEGER)"
    epoch_day_sql = "CAST(julianday(i.{0}) - 2440587.5 AS INTEGER)"  # days since 1970

    def _read_backend(self) -> AbstractContextManager[Backend]:
        raise NotImplementedError

    def add_box(self, where: Where, query: Query) -> None:
        """The box on exact points, through the store's spatial index where it has one."""
        if query.bbox is not None:
            west, south, east, north = query.bbox
            where.add("i.longitude BETWEEN %s AND %s", west, east)
            where.add("i.latitude BETWEEN %s AND %s", south, north)

    def conditions(self, query: Query, viewer: Viewer) -> Where:
        """WHERE for what this viewer may see of the query, coarsened rules included."""
        if viewer.sees_exact_locations:
            where = where_for(query, "%s", self.like)
            self.add_box(where, query)
            return where
        where = where_for(query.replace(date_from=None, date_to=None), "%s", self.like)
        where.add("i.sensitivity = 'public'")
        add_public_dates(where, query)
        add_public_box(where, query, self._places)
        return where

    def _places(self) -> PublicPlaces:
        return PublicPlaces.for_store(self)

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self._read_backend() as db:
            return db.fetch(sql, params)

    def count_where(self, query: Query, viewer: Viewer) -> int:
        """How many records this viewer sees match: one COUNT in the database."""
        where = self.conditions(query, viewer)
        rows = self._fetch(
            f"SELECT COUNT(*) AS n FROM incidents i WHERE {where.sql()}", where.params
        )
        return int(rows[0]["n"]) if rows else 0

    def point_counts(self, query: Query, viewer: Viewer, step: float) -> pd.DataFrame:
        """Drawable incidents summed per cell of step degrees and type.

        Columns latitude, longitude (the mean point of the cell's incidents, or the public
        centroid), type, n. Rows without a drawable point are left out.
        """
        where = self.conditions(query, viewer)
        if viewer.sees_exact_locations:
            where.add("i.longitude IS NOT NULL")
            where.add("COALESCE(i.location_precision, '') <> 'country'")
            sql = (
                "SELECT AVG(i.latitude) AS latitude, AVG(i.longitude) AS longitude, "
                "i.type AS type, COUNT(*) AS n FROM incidents i "
                f"WHERE {where.sql()} AND i.latitude IS NOT NULL "
                f"GROUP BY floor(i.latitude / {float(step)!r}), "
                f"floor(i.longitude / {float(step)!r}), i.type"
            )
            return _frame(self._fetch(sql, where.params), ["latitude", "longitude", "type", "n"])
        places = self._places()
        keys = places.key_columns()
        sql = (
            f"SELECT {keys}, i.type AS type, COUNT(*) AS n FROM incidents i "
            f"WHERE {where.sql()} AND i.latitude IS NOT NULL GROUP BY {places.group_by()}, i.type"
        )
        frame = places.points(
            _frame(self._fetch(sql, where.params), ["pd", "py", "px", "type", "n"])
        )
        return frame.dropna(subset=["latitude", "longitude"])[
            ["latitude", "longitude", "type", "n"]
        ]

    def date_counts(self, query: Query, viewer: Viewer) -> pd.DataFrame:
        """Incidents per first date and length of range (capped at SPAN_CAP days).

        Columns date_start, span_days, date_end (the latest end in the group), n; for the
        public, dates are the coarsened ones. Enough for any day, week or month histogram.
        """
        where = self.conditions(query, viewer)
        span = f"CASE WHEN {self.days_sql} > {SPAN_CAP} THEN {SPAN_CAP} ELSE {self.days_sql} END"
        month = "COALESCE(CAST(i.public_date_to_month AS INTEGER), 0)"
        month = month if not viewer.sees_exact_locations else "0"
        sql = (
            "SELECT CAST(i.date_start AS TEXT) AS date_start, "
            f"{span} AS span_days, {month} AS by_month, "
            "MAX(CAST(i.date_end AS TEXT)) AS date_end, COUNT(*) AS n "
            f"FROM incidents i WHERE {where.sql()} GROUP BY 1, 2, 3"
        )
        cols = ["date_start", "span_days", "by_month", "date_end", "n"]
        frame = _frame(self._fetch(sql, where.params), cols)
        return _month_dates(frame)[["date_start", "span_days", "date_end", "n"]]

    def district_sums(self, query: Query, viewer: Viewer, measure: str) -> pd.Series:
        """Incidents (measure 'incidents') or people (count_totals' lower bound: the best
        estimate, else the minimum) summed per district code.

        The index holds admin1_code as stored, '' for records without one.
        """
        if measure != "incidents" and (measure not in NUMBER_COLUMNS or what_of(measure) is None):
            raise ValueError(f"cannot sum '{measure}'")
        value = "COUNT(*)" if measure == "incidents" else f"SUM({lower_bound_sql(measure)})"
        where = self.conditions(query, viewer)
        sql = (
            f"SELECT COALESCE(i.admin1_code, '') AS code, {value} AS total "
            f"FROM incidents i WHERE {where.sql()} GROUP BY COALESCE(i.admin1_code, '')"
        )
        frame = _frame(self._fetch(sql, where.params), ["code", "total"])
        return pd.Series(frame["total"].astype(float).to_numpy(), index=frame["code"].astype(str))

    def distinct_values(self, column: str, viewer: Viewer) -> list[str]:
        """Every value a list column (perpetrators, tags) holds among visible records."""
        if column not in LIST_COLUMNS:
            raise ValueError(f"'{column}' is not a list column")
        visible = "" if viewer.sees_restricted else "WHERE i.sensitivity = 'public'"
        rows = self._fetch(f"SELECT DISTINCT i.{column} AS v FROM incidents i {visible}", [])
        parts = {p.strip() for r in rows for p in str(r["v"] or "").split(LIST_SEPARATOR.strip())}
        return sorted((p for p in parts if p), key=str.casefold)

    def tuples(self, sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Column names and rows as plain tuples: several times cheaper than dicts for a
        large read; stores override this with their driver's fast path."""
        rows = self._fetch(sql, params)
        names = list(rows[0]) if rows else []
        return names, [tuple(r.values()) for r in rows]

    def matching_fids(self, query: Query, viewer: Viewer) -> list[int]:
        """fids of the records this viewer sees that match the query (for column_index)."""
        where = self.conditions(query, viewer)
        rows = self._fetch(
            f"SELECT i.fid AS fid FROM incidents i WHERE {where.sql()}", where.params
        )
        return [int(r["fid"]) for r in rows]

    def rows_for(self, fids: Sequence[int], viewer: Viewer, columns: Sequence[str]) -> pd.DataFrame:
        """The records with these fids (as column_index found them), in the usual order,
        coarsened for the public; restricted ones are never returned to the public."""
        wanted = [c for c in columns if c in INCIDENT_COLUMN_NAMES and c not in CONFIDENTIAL_FIELDS]
        needed = list(dict.fromkeys(["id", *wanted, "date_start"]))  # date_start: the order
        public = not viewer.sees_exact_locations
        if public:
            needed = list(dict.fromkeys([*needed, *PUBLIC_RULE_COLUMNS]))
        rows: list[dict[str, Any]] = []
        select = ", ".join(f"i.{c}" for c in needed)
        visible = "AND i.sensitivity = 'public'" if not viewer.sees_restricted else ""
        for start in range(0, len(fids), 900):
            part = [int(f) for f in fids[start : start + 900]]
            marks = ", ".join(["%s"] * len(part))
            rows += self._fetch(
                f"SELECT {select} FROM incidents i WHERE i.fid IN ({marks}) {visible}", part
            )
        frame = _typed(_frame(rows, needed))
        if public:  # ordered by the dates the public sees, never by the exact ones
            frame = coarsen_for_public(frame, self.public_rules)
        frame = public_order(frame)
        frame = frame[[c for c in frame.columns if c in ("id", *wanted)]]
        return frame.reset_index(drop=True)

    def first_rows(
        self, query: Query, viewer: Viewer, columns: Sequence[str], limit: int
    ) -> pd.DataFrame:
        """At most limit matching records, in the usual order, coarsened for the public."""
        wanted = [c for c in columns if c in INCIDENT_COLUMN_NAMES and c not in CONFIDENTIAL_FIELDS]
        needed = list(dict.fromkeys(["id", *wanted]))
        public = not viewer.sees_exact_locations
        if public:
            needed = list(dict.fromkeys([*needed, *PUBLIC_RULE_COLUMNS]))
        where = self.conditions(query, viewer)
        select = ", ".join(f"i.{c}" for c in needed)
        sql = (
            f"SELECT {select} FROM incidents i WHERE {where.sql()} "
            f"ORDER BY {self.public_order_by if public else self.order_by} LIMIT {int(limit)}"
        )
        frame = _typed(_frame(self._fetch(sql, where.params), needed))
        if public:
            frame = coarsen_for_public(frame, self.public_rules)
            frame = frame[[c for c in frame.columns if c in ("id", *wanted)]]
        return frame.reset_index(drop=True)


def public_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by start date (as the frame holds it: coarsened for the public) then id."""
    if frame.empty or "date_start" not in frame.columns:
        return frame
    start = frame["date_start"].astype(str)
    order = np.lexsort((frame["id"].astype(str).to_numpy(), start.to_numpy()))
    return frame.iloc[order]


PUBLIC_RULE_COLUMNS = (
    "latitude", "longitude", "admin1_code", "date_start", "date_end",
    "date_precision", "public_date_to_month", "location_precision", "place", "country",
)  # fmt: skip


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as 'YYYY-MM-DD' text and booleans as 0/1, whichever driver read them."""
    for name in _DATES:
        if name in frame.columns:
            frame[name] = frame[name].map(lambda v: v.isoformat() if isinstance(v, date) else v)
    for name in _BOOLEANS:
        if name in frame.columns:
            frame[name] = frame[name].map(lambda v: None if v is None else int(bool(v)))
    for name in NUMBER_COLUMNS:
        if name in frame.columns:
            frame[name] = pd.to_numeric(frame[name], errors="coerce")
    return frame


def _month_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Coarsen the dates of groups whose records show only their month to the public."""
    frame["n"] = frame["n"].astype(np.int64)
    frame["span_days"] = frame["span_days"].astype(np.int64)
    frame["date_start"] = frame["date_start"].astype(str).str[:10]
    frame["date_end"] = frame["date_end"].astype(str).str[:10]
    mask = frame["by_month"].astype(int) == 1
    if not mask.any():
        return frame
    start = pd.to_datetime(frame.loc[mask, "date_start"])
    real_end = start + pd.to_timedelta(frame.loc[mask, "span_days"], unit="D")
    first = start.dt.to_period("M").dt.start_time
    last = real_end.dt.to_period("M").dt.end_time.dt.normalize()
    frame.loc[mask, "date_start"] = first.dt.date.astype(str)
    frame.loc[mask, "span_days"] = np.minimum((last - first).dt.days, SPAN_CAP)
    ends = pd.to_datetime(frame.loc[mask, "date_end"]).dt.to_period("M").dt.end_time
    frame.loc[mask, "date_end"] = ends.dt.date.astype(str)
    return frame
