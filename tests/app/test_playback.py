"""Playback's windows: one period, the last few, or everything up to the step."""

from __future__ import annotations

from datetime import date

import pytest

from app_pages.playback import step_window
from incidents.maps import timeline

MONTHS = timeline.periods(date(2015, 1, 1), date(2015, 12, 31), "month")


@pytest.mark.parametrize(
    ("mode", "index", "window"),
    [
        ("one", 3, (date(2015, 4, 1), date(2015, 4, 30))),
        ("trail3", 0, (date(2015, 1, 1), date(2015, 1, 31))),  # fewer before the first
        ("trail3", 3, (date(2015, 2, 1), date(2015, 4, 30))),
        ("trail12", 11, (date(2015, 1, 1), date(2015, 12, 31))),
        ("cumulative", 5, (date(2015, 1, 1), date(2015, 6, 30))),
    ],
)
def test_each_step_shows_its_window(mode: str, index: int, window: tuple[date, date]) -> None:
    assert step_window(MONTHS, index, "month", mode) == window


def test_weeks_end_on_sunday() -> None:
    weeks = timeline.periods(date(2020, 1, 1), date(2020, 2, 1), "week")
    assert step_window(weeks, 2, "week", "trail3") == (weeks[0], date(2020, 1, 19))
