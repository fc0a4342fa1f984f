"""Slow references the column snapshot (incidents/store/column_index.py) is checked
against: every filter of a Query in SQL, and in pandas over the rows as a viewer sees
them. The product evaluates a Query once, in ColumnIndex.mask; these are the
independent second and third answers (and the benchmark's "same summaries in SQL").

For the public, a point is where incidents.public_place puts it and a date may be its
month; the time window and the box act on those coarsened values, never the exact ones.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from incidents.access import Viewer, Visibility, coarsen_for_public
from incidents.count_totals import best_column, low_column, what_of
from incidents.public_place import public_points
from incidents.query import Query
from incidents.store import text_index
from incidents.store.reads import NUMBER_COLUMNS, frame_of
from incidents.store.record_store import RecordStore
from incidents.store.sql import Where, add_text, lookup_where
from incidents.store.text_marks import is_arabic, unmarked
from tests.frame_oracles import SPAN_CAP

_MONTHLY = "COALESCE(CAST(i.public_date_to_month AS INTEGER), 0) = 1"
_RULE_INPUTS = ("latitude", "longitude", "admin1_code", "location_precision", "place", "country")


class SqlSummaries:
    """Counts, grids, histograms and district sums of a store, all in SQL."""

    def __init__(self, store: Any) -> None:
        assert isinstance(store, RecordStore)
        self.store = store
        pg = store.like == "ILIKE"
        self.days_sql = (
            "(i.date_end - i.date_start)"
            if pg
            else "CAST(julianday(i.date_end) - julianday(i.date_start) AS INTEGER)"
        )

    def conditions(self, query: Query, viewer: Viewer) -> Where:
        """WHERE for what this viewer may see of the query, coarsened rules included."""
        seen = Visibility.of(viewer)
        where = lookup_where(query, self.store.like, public=not seen.exact)
        if not seen.exact and query.text.strip():  # and the sites shown at a town it names
            where = lookup_where(dataclasses.replace(query, text=""), self.store.like)
            text = Where("%s")
            add_text(text, query.text, self.store.like, public=True)
            towns = ", ".join(str(f) for f in self._town_fids(query.text))
            where.add(f"({text.sql()}{f' OR i.fid IN ({towns})' if towns else ''})", *text.params)
        where.add(seen.sql())
        for column, values in (
            ("i.date_kind", query.date_kinds), ("i.type", query.types),
            ("i.verification", query.verification), (_district(seen.exact), query.admin1_codes),
            ("i.country", query.countries),
        ):  # fmt: skip
            where.any_of(column, values)
        if seen.exact:
            where.any_of("i.location_precision", query.precisions())
            if not query.include_unlocated:
                where.add("i.latitude IS NOT NULL")
            _exact_dates(where, query)
            if query.bbox is not None:
                west, south, east, north = query.bbox
                where.add("i.longitude BETWEEN %s AND %s", west, east)
                where.add("i.latitude BETWEEN %s AND %s", south, north)
            return where
        _public_dates(where, query)
        if query.precisions() or not query.include_unlocated:  # as the public sees them
            fids = self._public_points().shown(query.precisions(), query.include_unlocated)
            where.add(f"i.fid IN ({', '.join(map(str, fids))})" if fids else "1 = 0")
        if query.bbox is not None:
            fids = self._public_points().inside(query.bbox)
            where.add(f"i.fid IN ({', '.join(map(str, fids))})" if fids else "1 = 0")
        return where

    def _town_fids(self, text: str) -> list[int]:
        """Public records shown at the town the text names (public_town_at)."""
        from incidents.access import PUBLIC, PUBLIC_PLACE_PRECISIONS

        rows = visible_rows(self.store, PUBLIC)
        if rows.empty:
            return []
        keep = [
            c not in PUBLIC_PLACE_PRECISIONS and public_town_at(la, lo, text)
            for c, la, lo in zip(
                rows["location_precision_stored"], rows["latitude"], rows["longitude"], strict=True
            )
        ]
        return [int(f) for f in rows["fid_stored"][keep]]

    def _public_points(self) -> _PublicPoints:
        _, rows = self.store.tuples(
            f"SELECT i.fid, {', '.join(f'i.{c}' for c in _RULE_INPUTS)} FROM incidents i "
            "WHERE i.sensitivity = 'public' ORDER BY i.fid",
            [],
        )
        frame = pd.DataFrame.from_records(rows, columns=["fid", *_RULE_INPUTS], coerce_float=True)
        points = public_points(frame, self.store.public_rules)
        stored = frame["location_precision"].fillna("").astype(str).to_numpy()
        precision = np.where(points.precision != "", points.precision, stored)
        return _PublicPoints(frame["fid"].to_numpy(np.int64), points.lat, points.lon, precision)

    def _rows(self, sql: str, where: Where, columns: list[str]) -> pd.DataFrame:
        return frame_of(self.store._fetch(sql.format(where=where.sql()), where.params), columns)

    def count(self, query: Query, viewer: Viewer) -> int:
        where = self.conditions(query, viewer)
        rows = self.store._fetch(
            f"SELECT COUNT(*) AS n FROM incidents i WHERE {where.sql()}", where.params
        )
        return int(rows[0]["n"])

    def point_counts(self, query: Query, viewer: Viewer, step: float) -> pd.DataFrame:
        """Drawable incidents per cell of step degrees and type: latitude, longitude
        (the cell's mean point, or the public point), type, n."""
        where = self.conditions(query, viewer)
        where.add("i.latitude IS NOT NULL AND i.longitude IS NOT NULL")
        cols = ["latitude", "longitude", "type", "n"]
        if Visibility.of(viewer).exact:
            where.add("COALESCE(i.location_precision, '') <> 'country'")
            sql = (
                "SELECT AVG(i.latitude) AS latitude, AVG(i.longitude) AS longitude, "
                "i.type AS type, COUNT(*) AS n FROM incidents i WHERE {where} "
                f"GROUP BY floor(i.latitude / {float(step)!r}), "
                f"floor(i.longitude / {float(step)!r}), i.type"
            )
            return self._rows(sql, where, cols)
        sql = "SELECT i.fid AS fid, i.type AS type, 1 AS n FROM incidents i WHERE {where}"
        frame = self._public_points().add(self._rows(sql, where, ["fid", "type", "n"]))
        return frame.dropna(subset=["latitude", "longitude"])[cols]

    def date_counts(self, query: Query, viewer: Viewer) -> pd.DataFrame:
        """Incidents per first date and range length (capped at SPAN_CAP days): date_start,
        span_days, date_end, n; for the public, the coarsened dates."""
        where = self.conditions(query, viewer)
        span = f"CASE WHEN {self.days_sql} > {SPAN_CAP} THEN {SPAN_CAP} ELSE {self.days_sql} END"
        month = "0" if Visibility.of(viewer).exact else f"CASE WHEN {_MONTHLY} THEN 1 ELSE 0 END"
        sql = (
            f"SELECT CAST(i.date_start AS TEXT) AS date_start, {span} AS span_days, "
            f"{month} AS by_month, MAX(CAST(i.date_end AS TEXT)) AS date_end, COUNT(*) AS n "
            "FROM incidents i WHERE {where} GROUP BY 1, 2, 3"
        )
        frame = self._rows(sql, where, ["date_start", "span_days", "by_month", "date_end", "n"])
        return _month_dates(frame)[["date_start", "span_days", "date_end", "n"]]

    def district_sums(self, query: Query, viewer: Viewer, measure: str) -> pd.Series:
        """Incidents, or people (count_totals' lower bound), per admin1_code ('' for none)."""
        if measure != "incidents" and (measure not in NUMBER_COLUMNS or what_of(measure) is None):
            raise ValueError(f"cannot sum '{measure}'")
        low = f"COALESCE(i.{best_column(measure)}, i.{low_column(measure)}, 0)"  # best, else min
        value = "COUNT(*)" if measure == "incidents" else f"SUM({low})"
        where = self.conditions(query, viewer)
        code = _district(Visibility.of(viewer).exact)
        sql = (
            f"SELECT COALESCE({code}, '') AS code, {value} AS total "
            f"FROM incidents i WHERE {{where}} GROUP BY COALESCE({code}, '')"
        )
        frame = self._rows(sql, where, ["code", "total"])
        return pd.Series(frame["total"].astype(float).to_numpy(), index=frame["code"].astype(str))


def _district(exact: bool) -> str:
    """The district as the viewer sees it: none for the public of a record known only to
    its country (public_place)."""
    if exact:
        return "i.admin1_code"
    return "CASE WHEN i.location_precision = 'country' THEN '' ELSE i.admin1_code END"


class _PublicPoints:
    """The public point and precision of every public record, by fid (public_place's
    rule; NaN where the public sees no point)."""

    def __init__(
        self, fids: np.ndarray, lat: np.ndarray, lon: np.ndarray, precision: np.ndarray
    ) -> None:
        self.fids, self.lat, self.lon, self.precision = fids, lat, lon, precision

    def shown(self, precisions: tuple[str, ...], unlocated: bool) -> list[int]:
        """Records whose precision as shown is one of precisions (any when empty), with a
        public point unless unlocated."""
        keep = (
            np.isin(self.precision, list(precisions))
            if precisions
            else np.ones(len(self.fids), bool)
        )
        if not unlocated:
            keep &= ~np.isnan(self.lat)
        return [int(f) for f in self.fids[keep]]

    def add(self, frame: pd.DataFrame) -> pd.DataFrame:
        where = dict(zip(self.fids.tolist(), zip(self.lat, self.lon, strict=True), strict=True))
        found = [where.get(int(f), (np.nan, np.nan)) for f in frame["fid"]]
        out = frame.copy()
        out["latitude"] = [p[0] for p in found]
        out["longitude"] = [p[1] for p in found]
        return out

    def inside(self, box: tuple[float, float, float, float]) -> list[int]:
        west, south, east, north = box
        with np.errstate(invalid="ignore"):
            keep = (self.lat >= south) & (self.lat <= north)
            keep &= (self.lon >= west) & (self.lon <= east)
        return [int(f) for f in self.fids[keep]]


def _exact_dates(where: Where, query: Query) -> None:
    if query.date_mode == "within":
        if query.date_from:
            where.add("i.date_start >= %s", query.date_from.isoformat())
        if query.date_to:
            where.add("i.date_end <= %s", query.date_to.isoformat())
        return
    if query.date_from:
        where.add("i.date_end >= %s", query.date_from.isoformat())
    if query.date_to:
        where.add("i.date_start <= %s", query.date_to.isoformat())


def _public_dates(where: Where, query: Query) -> None:
    """The time window on public dates: month-only records compared by their month."""
    exact, month = Where(where.placeholder), Where(where.placeholder)
    _exact_dates(exact, query)
    start, end = query.date_from, query.date_to
    if query.date_mode == "within":
        if start:
            month.add("i.date_start >= %s", _month_ceil(start).isoformat())
        if end:
            month.add("i.date_end <= %s", _month_end_floor(end).isoformat())
    else:
        if start:
            month.add("i.date_end >= %s", start.replace(day=1).isoformat())
        if end:
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


# --- pandas: the rows a viewer sees, filtered ---------------------------------------


def visible_rows(store: Any, viewer: Viewer) -> pd.DataFrame:
    """Every record this viewer reads, as stored (exact) and as shown (coarsened for
    the public), side by side: columns of the stored ones end in '_stored'."""
    seen = Visibility.of(viewer)
    rows = store._fetch(f"SELECT * FROM incidents i WHERE {seen.sql()} ORDER BY i.fid", [])
    if rows:
        stored = pd.DataFrame.from_records(rows)
    else:  # nothing visible: an empty frame that still has the table's columns
        sample = store._fetch("SELECT * FROM incidents i LIMIT 1", [])
        stored = pd.DataFrame(columns=list(sample[0]) if sample else ["fid"])
    stored = stored.drop(columns=[c for c in ("geom",) if c in stored.columns])
    for name in ("date_start", "date_end"):
        stored[name] = stored[name].map(str).str[:10]
    for name in ("latitude", "longitude"):
        stored[name] = pd.to_numeric(stored[name], errors="coerce")
    stored["public_date_to_month"] = stored["public_date_to_month"].map(
        lambda v: None if v is None else int(bool(v))
    )
    shown = stored if seen.exact else coarsen_for_public(stored, store.public_rules)
    return shown.join(stored.add_suffix("_stored"))


def filter_frame(frame: pd.DataFrame, query: Query, public: bool) -> pd.DataFrame:
    """Rows of visible_rows() matching every filter of the query: the window, the box,
    the precision and "with a point" on the shown values, the rest on the stored ones."""
    keep = pd.Series(True, index=frame.index)
    start, end = frame["date_start"].astype(str), frame["date_end"].astype(str)
    first, last = (start, end) if query.date_mode == "within" else (end, start)
    if query.date_from:
        keep &= first >= query.date_from.isoformat()
    if query.date_to:
        keep &= last <= query.date_to.isoformat()
    if query.bbox is not None:
        west, south, east, north = query.bbox
        keep &= frame["latitude"].between(south, north) & frame["longitude"].between(west, east)
    for name, wanted in (
        ("type", query.types), ("verification", query.verification),
        ("date_kind", query.date_kinds),
        ("country", query.countries), ("id", query.ids),
    ):  # fmt: skip
        if wanted:
            keep &= frame[f"{name}_stored"].fillna("").isin(wanted)
    if query.admin1_codes:  # as shown: no district for the public's country-level records
        keep &= frame["admin1_code"].fillna("").isin(query.admin1_codes)
    if query.precisions():  # as shown: the public's coarsened precision and point
        keep &= frame["location_precision"].fillna("").isin(query.precisions())
    if not query.include_unlocated:
        keep &= frame["latitude"].notna()
    for name, wanted in (("tags", query.tags), ("perpetrators", query.perpetrators)):
        if wanted:
            held = frame[f"{name}_stored"].fillna("").str.casefold()
            keep &= held.map(lambda v: any(w.casefold() in v for w in wanted))  # noqa: B023
    if query.text.strip():
        keep &= _text_matches(frame, query.text, public)
    return frame[keep]


def _text_matches(frame: pd.DataFrame, text: str, public: bool) -> pd.Series:
    """The search text (or a spelling of the town it names) in title, description, id,
    or place, an Arabic needle's marks aside (for the public, only where public rows
    show the place); for the public also every record shown at the town the text
    names (public_town_at)."""
    from incidents.access import PUBLIC_PLACE_PRECISIONS

    needles = [n.casefold() for n in text_index.search_needles(text)]
    place = frame["place_stored"].fillna("")
    if public:
        coarse = frame["location_precision_stored"].isin(PUBLIC_PLACE_PRECISIONS)
        place = place.where(coarse, "")
    fields = [frame[f"{c}_stored"].fillna("") for c in ("title", "description", "id")]
    haystack = (fields[0] + "\n" + fields[1] + "\n" + place + "\n" + fields[2]).str.casefold()
    found = haystack.map(lambda v: any(n in (unmarked(v) if is_arabic(n) else v) for n in needles))
    if public:
        points = zip(frame["latitude"], frame["longitude"], strict=True)
        at_town = [public_town_at(la, lo, text) for la, lo in points]
        found |= pd.Series(at_town, index=frame.index, dtype=bool) & ~coarse
    return found


def public_town_at(lat: float, lon: float, text: str) -> bool:
    """A record the public sees at this point is found by the text: the point is the
    town the gazetteer confidently names for the text (store/public_town_search)."""
    from geodata import geocode_many
    from geodata.spellings import same_place_names
    from incidents.validation import clean_text

    term, countries = clean_text(text), text_index.search_countries()
    if not same_place_names(term, countries):  # a text that is none of a town's names
        return False
    for country in countries:
        found = geocode_many([term], country).get(term)
        best = found.best if found is not None and found.confident else None
        if best is not None and (float(best.lat), float(best.lon)) == (lat, lon):
            return True
    return False
