"""Grid cells, heat points, district totals and timeline bins."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from incidents import time_spread
from incidents.maps import aggregate, timeline
from tests import grid_oracles


def _points(rows):
    return pd.DataFrame(rows, columns=["id", "type", "latitude", "longitude", "location_precision"])


def test_grid_counts_per_cell_and_type():
    frame = _points([
        ("a", "killing", 32.1, 13.1, "exact"),
        ("b", "killing", 32.2, 13.2, "town"),
        ("c", "mass_grave", 32.3, 13.3, "exact"),
        ("d", "mass_grave", 30.5, 20.5, "exact"),
        ("e", "other", 30.5, 20.5, "country"),
    ])  # fmt: skip
    cells = grid_oracles.grid_cells(frame, 1.0).set_index(["south", "west"])
    assert cells.loc[(32.0, 13.0), "count"] == 3
    assert cells.loc[(32.0, 13.0), "killing"] == 2
    assert cells.loc[(30.0, 20.0), "count"] == 1  # the country-only one is not placed


def test_cell_size_is_round_and_follows_the_view():
    assert aggregate.cell_size((9, 19, 26, 34)) == 1.0
    assert aggregate.cell_size((13.0, 32.0, 13.5, 32.5)) == 0.05


def test_heat_points_are_binned_when_too_many(synthetic_10k):
    few = aggregate.heat_points(synthetic_10k.head(100))
    assert len(few) <= 100 and all(p[2] == 1.0 for p in few)
    many = aggregate.heat_points(synthetic_10k, max_points=500)
    assert len(many) <= 600
    assert sum(p[2] for p in many) == len(aggregate.located(synthetic_10k))


def test_district_totals_by_incidents_or_people():
    frame = pd.DataFrame(
        {"admin1_code": ["LY-MB", "LY-MB", "LY-TB", ""], "killed_best": [3, None, 5, 1]}
    )
    assert aggregate.district_totals(frame)["LY-MB"] == 2
    people = aggregate.district_totals(frame, "killed_best")
    assert people["LY-MB"] == 3 and people["LY-TB"] == 5 and "" not in people.index


def test_class_breaks_cover_the_largest_value():
    assert aggregate.class_breaks([0, 0]) == [0.0]
    assert aggregate.class_breaks([1, 3]) == [1.0, 2.0, 3.0]
    breaks = aggregate.class_breaks([1, 2598])
    assert breaks[-1] >= 2598 and breaks == sorted(breaks) and len(breaks) <= 5


def test_histogram_separates_certain_and_uncertain_dates(tarhuna):
    """time_spread.spread, as ColumnIndex.histogram calls it, on the example's dates."""
    start = time_spread.to_days(tarhuna["date_start"])
    hist = time_spread.spread(start, time_spread.to_days(tarhuna["date_end"]), "month")
    assert hist["count"].sum() == pytest.approx(len(tarhuna))
    jan_2023 = hist[hist["start"] == date(2023, 1, 1)]
    assert set(jan_2023["certainty"]) == {"within the period"}
    assert "uncertain" in set(hist["certainty"])  # 2015-2020 ranges are not a month


def test_periods_and_labels():
    months = timeline.periods(date(2020, 1, 15), date(2020, 4, 2), "month")
    assert months == [date(2020, m, 1) for m in (1, 2, 3, 4)]
    assert timeline.period_end(date(2020, 2, 1), "month") == date(2020, 2, 29)
    weeks = timeline.periods(date(2020, 1, 1), date(2020, 1, 14), "week")
    assert weeks[0] == date(2019, 12, 30) and len(weeks) == 3
    assert timeline.period_label(date(2020, 3, 1), "month") == "March 2020"
