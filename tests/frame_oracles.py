"""Slow reference answers the product no longer computes itself, kept as oracles.

The map and the exports read bars, date spans and district totals from the column
snapshot (ColumnIndex.histogram, date_span, district_totals). These compute the same
from rows or from grouped date counts, the way the product once did, so tests can
check the snapshot's answers (and the SQL oracles' grouped counts) against them.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from incidents import grid, time_spread
from incidents.query import Query
from incidents.store.column_index import ColumnIndex

SPAN_CAP = 31  # days: a range this long crosses any day, week or month bar


def histogram(frame: pd.DataFrame, unit: str = "month") -> pd.DataFrame:
    """Counts per period (time_spread.COLUMNS) of rows, or of grouped date counts
    (span_days and an n per row, as date_counts gives them)."""
    if frame.empty:
        return pd.DataFrame(columns=time_spread.COLUMNS)
    start = time_spread.to_days(frame["date_start"])
    if "date_end" in frame.columns:
        end = time_spread.to_days(frame["date_end"].fillna(frame["date_start"]))
    else:
        end = start + frame["span_days"].to_numpy(np.int64)
    weight = frame["n"].to_numpy(float) if "n" in frame.columns else None
    keep = start >= 0
    end = np.where(end >= 0, end, start)
    return time_spread.spread(
        start[keep], end[keep], unit, None if weight is None else weight[keep]
    )


def date_span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """Earliest start and latest end of rows (None when empty)."""
    if frame.empty:
        return None
    start = pd.to_datetime(frame["date_start"].astype(str), errors="coerce").min()
    end = pd.to_datetime(frame["date_end"].astype(str), errors="coerce").max()
    if pd.isna(start) or pd.isna(end):
        return None
    return start.date(), end.date()


def _iso(days: np.ndarray) -> np.ndarray:
    """Days since 1970 as 'YYYY-MM-DD' text."""
    return np.datetime_as_string(days.astype("datetime64[D]"), unit="D").astype(object)


def date_counts(index: ColumnIndex, query: Query) -> pd.DataFrame:
    """A snapshot's matches per first date and range length (capped at SPAN_CAP):
    date_start, span_days, date_end, n, as SqlSummaries.date_counts groups them."""
    keep = index.mask(query)
    start, end = index.start[keep], index.end[keep]
    cols = ["date_start", "span_days", "date_end", "n"]
    if not len(start):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    span = np.minimum(end - start, SPAN_CAP)
    key = (start.astype(np.int64) - int(start.min())) * (SPAN_CAP + 1) + span
    uniq, inverse = grid.distinct(key)
    first = uniq // (SPAN_CAP + 1) + int(start.min())
    spans = (uniq % (SPAN_CAP + 1)).astype(np.int64)
    group_end = first + spans  # exact for every group but the capped ones
    capped = span == SPAN_CAP
    np.maximum.at(group_end, inverse[capped], end[capped].astype(np.int64))
    frame = {"date_start": _iso(first), "span_days": spans, "date_end": _iso(group_end)}
    return pd.DataFrame(frame | {"n": np.bincount(inverse)})


def district_sums(index: ColumnIndex, query: Query, measure: str) -> pd.Series:
    """Incidents, or people (count_totals' lower bound), per stored admin1_code."""
    table = index.district_totals(query, measure)
    return table["value"] if measure != "incidents" else table["records"]
