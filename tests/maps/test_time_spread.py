"""One rule for a date range over histogram bars: whole in one bar, else spread evenly."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents import time_spread
from tests import frame_oracles


def _days(*days: date) -> np.ndarray:
    return np.array([(d - date(1970, 1, 1)).days for d in days], dtype=np.int64)


def test_five_long_ranges_are_not_one_tall_bar_at_their_start() -> None:
    start = _days(*[date(2015, 1, 1)] * 5)
    end = _days(*[date(2020, 6, 30)] * 5)
    bars = time_spread.spread(start, end, "month")
    assert len(bars) == 66  # every month of the range
    assert set(bars["certainty"]) == {time_spread.SPREAD}
    assert bars["count"].max() == pytest.approx(5 * 31 / 2008)  # a 31-day month's days
    assert bars["count"].sum() == pytest.approx(5)
    assert bars["start"].iloc[0] == date(2015, 1, 1)
    assert bars["end"].iloc[-1] == date(2020, 6, 30)


def test_a_range_within_one_bar_counts_whole() -> None:
    bars = time_spread.spread(_days(date(2023, 1, 1)), _days(date(2023, 1, 2)), "week")
    assert bars.to_dict("records") == [
        {"start": date(2022, 12, 26), "end": date(2023, 1, 1), "certainty": "uncertain",
         "count": 0.5},
        {"start": date(2023, 1, 2), "end": date(2023, 1, 8), "certainty": "uncertain",
         "count": 0.5},
    ]  # fmt: skip
    month = time_spread.spread(_days(date(2023, 1, 1)), _days(date(2023, 1, 2)), "month")
    assert month[["certainty", "count"]].values.tolist() == [["within the period", 1.0]]


@pytest.mark.parametrize("unit", time_spread.UNITS)
def test_period_numbers_round_trip(unit: str) -> None:
    days = np.arange(-800, 20000, 37)
    first = time_spread.period_first_day(time_spread.period_index(days, unit), unit)
    assert (first <= days).all()
    assert (time_spread.period_index(first, unit) == time_spread.period_index(days, unit)).all()


@settings(deadline=None, max_examples=60)
@given(
    st.lists(st.tuples(st.integers(0, 20000), st.integers(0, 800)), min_size=1, max_size=40),
    st.sampled_from(time_spread.UNITS),
)
def test_bars_add_up_to_the_incidents(ranges: list[tuple[int, int]], unit: str) -> None:
    start = np.array([a for a, _ in ranges])
    bars = time_spread.spread(start, start + np.array([b for _, b in ranges]), unit)
    assert bars["count"].sum() == pytest.approx(len(ranges))
    assert (bars["count"] > 0).all()


def test_rows_and_the_stores_date_counts_give_the_same_bars() -> None:
    rows = pd.DataFrame(
        {"date_start": ["2015-01-01", "2019-04-01", "2023-01-01"],
         "date_end": ["2020-06-30", "2020-06-30", "2023-01-02"]}
    )  # fmt: skip
    counts = rows.assign(span_days=[2007, 456, 1], n=[1, 1, 1])
    a, b = frame_oracles.histogram(rows, "month"), frame_oracles.histogram(counts, "month")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(("unit", "kind"), [("month", "datetime64[M]"), ("year", "datetime64[Y]")])
def test_month_and_year_numbers_agree_with_numpy(unit: str, kind: str) -> None:
    """The integer arithmetic (and its per-day table for many dates) is numpy's calendar."""
    few = np.arange(-800_000, 800_000, 997)
    many = np.random.default_rng(1).integers(-3000, 30000, 200_000)
    for days in (few, many):
        expected = days.astype("datetime64[D]").astype(kind).astype(np.int64)
        assert (time_spread.period_index(days, unit) == expected).all()
