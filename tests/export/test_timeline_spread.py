"""The deck's timeline counts a long date range as the app does: spread over its bars."""

from __future__ import annotations

import io
from collections import defaultdict

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from frame_selection import selection_from_frame
from matplotlib.axes import Axes
from PIL import Image

from incidents.export.timeline import _histogram, timeline_png


def _rows() -> pd.DataFrame:
    """Five incidents dated 2015-01-01 to 2020-06-30 and 40 dated to a day in 2021."""
    long = [("2015-01-01", "2020-06-30")] * 5
    days = [(f"2021-{m:02d}-10", f"2021-{m:02d}-10") for m in range(1, 11)] * 4
    return pd.DataFrame(
        [{"id": f"r{i}", "type": "killing", "title": "t", "date_start": a, "date_end": b}
         for i, (a, b) in enumerate(long + days)]
    )  # fmt: skip


def test_long_ranges_are_spread_not_one_tall_bar_at_their_start() -> None:
    fig, ax = plt.subplots()
    try:
        _histogram(ax, _rows())
        heights: dict[float, float] = defaultdict(float)
        for bar in ax.patches:
            heights[round(bar.get_x())] += bar.get_height()
        labels = [t.get_text() for t in fig.legends[0].get_texts()]  # the legend is the figure's
        ticks = ax.get_yticks()
    finally:
        plt.close(fig)
    assert sum(heights.values()) == pytest.approx(45)
    jan_2015 = round(mdates.date2num(pd.Timestamp("2015-01-01")))
    assert heights[jan_2015] == pytest.approx(5 * 365 / 2008)  # 2015's days of the range
    assert max(heights.values()) == pytest.approx(40)  # 2021, dated to the day
    assert any("spread evenly" in label for label in labels)
    assert all(float(t).is_integer() for t in ticks)  # whole incidents on the axis


def test_the_png_renders() -> None:
    image = Image.open(io.BytesIO(timeline_png(selection_from_frame(_rows()))))
    assert image.size[0] > 1000


def test_the_axis_spans_the_period_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 2020-2022 deck drew 2015-2021: a range begun in 2015 set the axis's start."""
    from datetime import date

    from incidents.export import timeline
    from incidents.query import Query

    low, high = date(2020, 1, 1), date(2022, 12, 31)
    seen: list[tuple[tuple[float, float], list[float]]] = []
    period = timeline._period

    def period_seen(ax: Axes, a: date | None, b: date | None) -> None:
        period(ax, a, b)
        seen.append((ax.get_xlim(), [bar.get_x() for bar in ax.patches]))

    monkeypatch.setattr(timeline, "_period", period_seen)  # watched, not replaced
    timeline_png(selection_from_frame(_rows(), Query(date_from=low, date_to=high)))
    (xlim, bars), *_ = seen
    assert xlim == (mdates.date2num(low), mdates.date2num(high) + 0.99)
    assert min(bars) == mdates.date2num(low)  # 2015-2019's share of the range left out
    assert sum(1 for x in bars if x >= mdates.date2num(date(2021, 1, 1))) >= 10
