"""How an incident's date range is counted in the bars of a histogram: one rule for
the app's time panel and the exports' timeline.

An incident whose dates fall within one bar counts 1 in that bar. An incident known
only to lie somewhere in a longer range (2015-01-01 to 2020-06-30, say) is spread
evenly over the days of its range, each bar getting the share of days it holds:
about 1/66 in each month of those 66 months, half as much to 2020 as to 2019. The
bars still add up to the number of incidents, and five such incidents no longer
stand as one tall bar in January 2015 telling the reader most events happened then
(which is what "counted at its start" drew).

Vectorised with a difference array: a million records in well under a second, however
long their ranges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WITHIN, SPREAD = "within the period", "uncertain"  # the certainty column's values
UNITS = ("day", "week", "month", "year")
COLUMNS = ["start", "end", "certainty", "count"]
_EPOCH = np.datetime64("1970-01-01", "D")


def period_index(days: np.ndarray, unit: str) -> np.ndarray:
    """The number of the day, week (from Monday), month or year holding each day
    (days since 1970); consecutive periods have consecutive numbers."""
    days = np.asarray(days, dtype=np.int64)
    if unit == "day":
        return days
    if unit == "week":
        return (days + 3) // 7  # 1970-01-01 was a Thursday: week 0 began on 1969-12-29
    if unit not in ("month", "year"):
        raise ValueError(f"unknown unit '{unit}'")
    if len(days) > 1000:  # many dates over a few decades: work out each day once
        low, high = int(days.min()), int(days.max())
        if high - low + 1 < len(days) // 2:
            return period_index(np.arange(low, high + 1), unit)[days - low]
    year, month = _civil(days)
    return (year - 1970) * 12 + month - 1 if unit == "month" else year - 1970


def _civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Year and month (1-12) of days since 1970, in integer arithmetic (H. Hinnant's
    civil_from_days): several times faster than numpy's datetime64 casts on a million
    dates, and a histogram is drawn on every filter change."""
    z = days + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (month <= 2), month


def period_first_day(index: np.ndarray, unit: str) -> np.ndarray:
    """The first day (days since 1970) of numbered periods: period_index's inverse."""
    index = np.asarray(index, dtype=np.int64)
    if unit == "day":
        return index
    if unit == "week":
        return index * 7 - 3
    kind = "datetime64[M]" if unit == "month" else "datetime64[Y]"
    return index.astype(kind).astype("datetime64[D]").astype(np.int64)


def spread(
    start: np.ndarray, end: np.ndarray, unit: str, weight: np.ndarray | None = None
) -> pd.DataFrame:
    """Bars of start, end (dates), certainty (WITHIN or SPREAD) and count: a range in
    one period counts there whole (an integer); a longer one gives each period it
    touches the share of its days that period holds (a fraction). start/end: days
    since 1970; weight: incidents each row stands for (1 each by default). Only bars
    with something in them."""
    start = np.asarray(start, dtype=np.int64)
    end = np.maximum(np.asarray(end, dtype=np.int64), start)
    w = np.ones(len(start)) if weight is None else np.asarray(weight, dtype=float)
    if not len(start):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    first, last = period_index(start, unit), period_index(end, unit)
    low = int(first.min())
    size = int(last.max()) - low + 1
    one = first == last
    within = np.bincount(first[one] - low, w[one], minlength=size)
    spread_counts = _spread_by_day(start[~one], end[~one], w[~one], unit, low, size)
    parts = []
    for certainty, counts in ((WITHIN, within), (SPREAD, spread_counts)):
        at = np.flatnonzero(counts > 1e-9)
        index = at + low
        parts.append(
            pd.DataFrame(
                {
                    "start": _dates(period_first_day(index, unit)),
                    "end": _dates(period_first_day(index + 1, unit) - 1),
                    "certainty": certainty,
                    "count": counts[at],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["start", "certainty"]).reset_index(drop=True)[COLUMNS]


def _spread_by_day(
    start: np.ndarray, end: np.ndarray, w: np.ndarray, unit: str, low: int, size: int
) -> np.ndarray:
    """Each range's weight spread evenly over its days, summed per period (numbered
    from low): a range ending mid-year gives that year only the days it covers."""
    out = np.zeros(size)
    if not len(start):
        return out
    first_day = int(start.min())
    days = int(end.max()) - first_day + 1
    share = w / (end - start + 1)
    diff = np.bincount(start - first_day, share, minlength=days + 1)
    diff -= np.bincount(end - first_day + 1, share, minlength=days + 1)
    density = np.cumsum(diff)[:days]
    periods = period_index(np.arange(first_day, first_day + days), unit) - low
    return out + np.bincount(periods, density, minlength=size)[:size]


def _dates(days: np.ndarray) -> list[object]:
    return list((_EPOCH + days.astype("timedelta64[D]")).astype(object))


def to_days(values: pd.Series) -> np.ndarray:
    """Dates (date objects, ISO text or timestamps) as days since 1970; NaT as -1."""
    stamps = pd.to_datetime(values.astype(str), errors="coerce")
    days = (stamps - pd.Timestamp("1970-01-01")).dt.days
    return days.fillna(-1).to_numpy(np.int64)
