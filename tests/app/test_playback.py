"""Playback's windows: one period, the last few, or everything up to the step."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

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


def _page(**params: str):
    from tests.app.test_pages import _map_page

    return _map_page(**params)


def test_playback_speed_and_window_come_from_the_link_and_go_back_to_it(example_db) -> None:
    at = _page(speed="0.5", step="trail3")
    assert not at.exception
    assert at.session_state["t_speed_widget"] == "0.5"
    assert at.session_state["t_trail_widget"] == "trail3"
    assert at.query_params["speed"] in ("0.5", ["0.5"])
    assert at.query_params["step"] in ("trail3", ["trail3"])
    at.segmented_control(key="t_speed_widget").set_value("2").run()
    assert at.query_params["speed"] in ("2", ["2"])


def test_stepping_starts_at_the_time_window_not_the_datas_first_month(example_db) -> None:
    at = _page(**{"from": "2019-01-01", "to": "2019-12-31"})
    at.button(key="t_next").click().run()
    assert not at.exception
    assert at.session_state["t_period"] == date(2019, 1, 1)


def test_day_windows_hold_a_week_and_a_month_of_days() -> None:
    days = timeline.periods(date(2020, 1, 1), date(2020, 3, 1), "day")
    assert step_window(days, 40, "day", "one") == (days[40], days[40])
    assert step_window(days, 40, "day", "trail3") == (date(2020, 2, 4), date(2020, 2, 10))
    assert step_window(days, 40, "day", "trail12") == (date(2020, 1, 12), date(2020, 2, 10))


def test_bars_per_day_step_by_day(example_db) -> None:
    """Bars per day used to step a month at a time: the step now matches the bars."""
    at = _page(**{"from": "2020-06-01", "to": "2020-06-30"})
    at.radio(key="t_bin").set_value("day").run()
    at.button(key="t_next").click().run()
    assert not at.exception
    assert at.session_state["t_period"] == date(2020, 6, 1)
    at.button(key="t_next").click().run()
    assert at.session_state["t_period"] == date(2020, 6, 2)
    assert at.session_state["_time_window"] == (date(2020, 6, 2), date(2020, 6, 2))
    assert "This day only" in [o for s in at.segmented_control for o in s.options]


def test_a_new_bar_width_starts_stepping_again(example_db) -> None:
    """A month stepped to, then bars per day: the line above the map no longer names
    "1 June 2020" (a month's first day) while the map shows all of June."""
    at = _page(**{"from": "2020-06-01", "to": "2020-06-30"})
    at.button(key="t_next").click().run()
    assert at.session_state["t_period"] == date(2020, 6, 1)
    at.radio(key="t_bin").set_value("day").run()
    assert not at.exception
    assert "t_period" not in at.session_state
    assert "Step or play through the data by day." in [c.value for c in at.caption]


def test_the_date_fields_reach_the_datas_first_years(example_db) -> None:
    """Streamlit's date fields stop ten years back by default: the calendar could not go
    before December 2016 on records from 2015. They reach 1800 now, as the entry form's."""
    at = _page()
    fields = [d for d in at.date_input if d.key.startswith(("d_from", "d_to"))]
    assert len(fields) == 2
    for field in fields:
        assert field.proto.min == "1800-01-01" and field.proto.max == "2200-12-31"


def test_a_link_before_1800_opens_the_page(example_db) -> None:
    """A shared link (or an old record's year) before the fields' bounds: the field takes
    it; with fixed bounds Streamlit refused the value and the map page failed."""
    at = _page(**{"from": "1700-01-01", "to": "2300-01-01"})
    assert not at.exception
    fields = [d for d in at.date_input if d.key.startswith(("d_from", "d_to"))]
    assert [f.value for f in fields] == [date(1700, 1, 1), date(2300, 1, 1)]


@pytest.mark.parametrize(("lang", "marks"), [("en", "◀▶⏵"), ("ar", "▶◀⏴")])
def test_the_arrows_point_the_way_time_runs(example_db, lang: str, marks: str) -> None:
    """Right to left, later is leftwards: the step arrows turned, but Play still
    pointed right (tried as an Arabic reader would)."""
    from app_pages import language
    from incidents import translation
    from tests.app.test_pages import MAP_PAGE, TIMEOUT, WHOLE_PAGE

    at = AppTest.from_file(MAP_PAGE, default_timeout=TIMEOUT)
    at.session_state[language.ACTIVE] = lang  # as app.py's run leaves it for the page
    before = list(translation._resolvers)
    translation.use_resolver(language._from_session)
    try:
        at.run()
        at.session_state[WHOLE_PAGE] = True
        at.run()
    finally:
        translation._resolvers[:] = before
    assert not at.exception
    labels = [at.button(key=k).label for k in ("t_prev", "t_next", "t_play")]
    assert "".join(label[0] for label in labels) == marks


def _scroll_frames(at: AppTest) -> list[str]:
    """The frames that bring the map into view (the map's own frame is not one)."""
    frames = [e.proto.srcdoc for e in at.get("iframe")]
    return [f for f in frames if "__incidentsPlayScrolled" in f]


def test_the_scroll_to_the_map_is_drawn_while_playing_once_for_each_press(
    example_db,
) -> None:
    """Drawn in two runs only, a run followed at once by another (the map reporting, the
    next step) could leave a busy browser without it: drawn while playing, the page
    remembers which press of Play it scrolled for."""
    at = _page()
    assert _scroll_frames(at) == []
    at.button(key="t_play").click().run()
    first = _scroll_frames(at)
    assert len(first) == 1 and "const pressed = 1;" in first[0]
    assert _scroll_frames(at.run()) == first
    assert _scroll_frames(at.run()) == first
    at.button(key="t_play").click().run()  # Pause
    assert _scroll_frames(at) == []
    at.button(key="t_play").click().run()
    assert ["const pressed = 2;" in f for f in _scroll_frames(at)] == [True]
