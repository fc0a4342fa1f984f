"""The app's time chart for the example: long ranges spread, whole-number axis, day bars
that cover their day (the chart spec, as the page sends it to the browser)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from incidents.maps import timeline_chart
from tests import frame_oracles

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "tarhuna.csv"


def _spec(unit: str) -> tuple[dict, list[dict]]:
    hist = frame_oracles.histogram(pd.read_csv(EXAMPLE), unit)
    spec = timeline_chart.spec(hist, unit, (None, None))
    (values,) = spec["datasets"].values()  # the inline values, named
    return spec["layer"][0], values


def test_january_2015_is_not_one_tall_bar() -> None:
    _, values = _spec("month")
    jan_2015 = sum(v["count"] for v in values if v["start"] == "2015-01-01")
    assert jan_2015 < 0.2  # five 2015-2020 ranges: about 5 * 31 / 2008 each month, not 5
    assert abs(sum(v["count"] for v in values) - 9) < 1e-6  # the bars add up to the incidents


def test_the_axis_counts_whole_incidents() -> None:
    layer, _ = _spec("week")
    y = layer["encoding"]["y"]
    assert y["axis"]["format"] == "d" and y["axis"]["tickMinStep"] == 1
    assert y["scale"]["domain"] == [0, 1]  # the tallest week holds half an incident


def test_a_day_bar_covers_its_day() -> None:
    _, values = _spec("day")
    assert all(v["end"] > v["start"] for v in values)  # end is the next day, not the same
