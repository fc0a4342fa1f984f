"""The time panel in a real browser, on the historic example (2015 to 2023): periods
offered are the data's own years and its whole span (not "Last 30 days", empty on old
records); playback has a speed, a trailing or cumulative window, and keeps the map in
view while it plays."""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import SCREENSHOTS, Guarded, Server
from playwright.sync_api import Locator
from test_dashboard_browser import MAP, TIMEOUT, _open

pytestmark = pytest.mark.browser


def _params(g: Guarded) -> dict[str, list[str]]:
    return parse_qs(urlparse(g.page.url).query)


def _window(g: Guarded) -> tuple[date | None, date | None]:
    params = _params(g)
    start, end = params.get("from", [None])[0], params.get("to", [None])[0]
    return (
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )


def _time_button(g: Guarded, name: str, role: Literal["radio", "button"] = "radio") -> Locator:
    """A pill or segment (radio role), or a button (role="button"), scrolled into view."""
    button = g.page.get_by_role(role, name=name, exact=True).first
    button.scroll_into_view_if_needed()
    return button


def test_the_periods_are_the_datas_years_and_whole_span(
    guarded: Guarded, example_server: Server
) -> None:
    _open(guarded, example_server)
    page = guarded.page
    assert page.get_by_role("button", name="Last 30 days").count() == 0
    assert page.get_by_role("button", name="Last year").count() == 0
    for year in ("2015", "2020", "2023"):
        assert page.get_by_role("radio", name=year, exact=True).count() == 1, year
    _time_button(guarded, "2020").click()
    page.wait_for_function("() => location.search.includes('from=2020-01-01')", timeout=TIMEOUT)
    assert _window(guarded) == (date(2020, 1, 1), date(2020, 12, 31))
    page.get_by_text("shown of 9").first.wait_for(timeout=TIMEOUT)
    _time_button(guarded, "Whole span").click()
    page.get_by_text("9 incidents shown of 9").first.wait_for(timeout=TIMEOUT)
    page.wait_for_function("() => !location.search.includes('from=')", timeout=TIMEOUT)


def test_a_trailing_window_steps_three_months_at_a_time(
    guarded: Guarded, example_server: Server
) -> None:
    _open(guarded, example_server, size=(1600, 1000))
    page = guarded.page
    _time_button(guarded, "Last 3 months").click()
    page.wait_for_timeout(1500)
    for n in range(1, 5):
        _time_button(guarded, "▶", "button").click()
        page.wait_for_function(f"() => location.search.includes('to=2015-0{n}-')", timeout=TIMEOUT)
    start, end = _window(guarded)
    assert (start, end) == (date(2015, 2, 1), date(2015, 4, 30)), (start, end)
    page.get_by_text("On the map: April 2015").first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    time_panel = page.locator('[data-testid="stExpander"] summary', has_text="Time").first
    time_panel.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(5, 5)  # no button's tooltip in the picture
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-time-1600x1000.png"))


def test_play_cumulative_fast_keeps_the_map_in_view(
    guarded: Guarded, example_server: Server
) -> None:
    _open(guarded, example_server)
    page = guarded.page
    _time_button(guarded, "Everything up to it").click()
    page.wait_for_timeout(1000)
    _time_button(guarded, "0.25 s").click()
    page.wait_for_timeout(1000)
    scrolled = "() => document.querySelector('.stMain').scrollTop"
    assert page.evaluate(scrolled) > 0  # the controls are under the map, out of view
    _time_button(guarded, "⏵ Play", "button").click()
    seen: set[date] = set()
    fields = 0  # date fields in the page: each step replaces the two with new ones
    for _ in range(120):
        start, end = _window(guarded)
        if end:
            assert start == date(2015, 1, 1), (start, end)  # cumulative: from the start
            seen.add(end)
        fields = max(fields, page.locator('[data-testid="stDateInput"]').count())
        if len(seen) >= 6:
            break
        page.wait_for_timeout(250)
    assert len(seen) >= 6, f"playback did not move on: {sorted(seen)}"
    # The replaced ones leave when a run ends; they piled up, two a step, until Pause.
    assert fields <= 4, f"{fields} date fields in the page after {len(seen)} steps"
    box = page.locator(MAP).first.bounding_box()
    assert box is not None
    viewport = page.viewport_size or {"height": 720}
    assert box["y"] >= -2 and box["y"] + box["height"] <= viewport["height"] + 2, box
    # What is shown, and a way to stop, are in view with the map (the step buttons are not).
    words = page.get_by_text("date range overlaps").first.bounding_box()
    assert words is not None and words["y"] >= 0, words
    pause = page.get_by_role("button", name="⏸ Pause").first
    near = pause.bounding_box()
    assert near is not None and near["y"] + near["height"] <= viewport["height"], near
    pause.click()


# Each legend label's box and the chart's, and the plot's height (the bars' frame).
_LEGEND_JS = """e => { const box = e.getBoundingClientRect();
  const labels = [...e.querySelectorAll('.role-legend-label text')].map(t => {
    const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.right]; });
  const frame = e.querySelector('.role-frame.root path.background');
  return {left: box.left, right: box.right, labels,
          plot: frame ? frame.getBoundingClientRect().height : 0}; }"""


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_timeline_legend_fits_a_phone(
    guarded: Guarded, example_server: Server, lang: str
) -> None:
    """At 390 px the legend's two entries went side by side past the chart's edge (the
    second cut off: at the right in English, at the left in Arabic). They now go one
    under the other, the long one in two lines, and the bars keep their height."""
    page = guarded.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{example_server.url}/?lang={lang}")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator(".role-legend-label text").nth(1).wait_for(timeout=TIMEOUT)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the chart is laid out to its width once in view
    seen = chart.evaluate(_LEGEND_JS)
    assert len(seen["labels"]) == 2, seen
    for text, left, right in seen["labels"]:
        assert seen["left"] - 1 <= left and right <= seen["right"] + 1, (text, seen)
        assert "…" not in text, text  # the long entry in two lines, not cut short
    assert seen["plot"] >= 90, seen


def test_a_set_date_can_be_emptied_from_its_field(guarded: Guarded, example_server: Server) -> None:
    """A date set by a link (or typed, or a period) had no way out of its field but
    another period; its clear button now empties it, the link follows, a reload keeps it."""
    _open(guarded, example_server, "?from=2023-01-01&to=2023-12-31")
    page = guarded.page
    page.get_by_text("1 incident shown of 9").first.wait_for(timeout=TIMEOUT)
    field = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').first
    field.scroll_into_view_if_needed()
    field.hover()
    field.get_by_role("button", name="Clear date").click()
    page.wait_for_function("() => !location.search.includes('from=')", timeout=TIMEOUT)
    page.get_by_text("9 incidents shown of 9").first.wait_for(timeout=TIMEOUT)
    assert _window(guarded) == (None, date(2023, 12, 31))
    page.reload()
    page.get_by_text("9 incidents shown of 9").first.wait_for(timeout=TIMEOUT)
    year = page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').first
    year = year.locator('[data-type="year"]')
    year.wait_for(timeout=TIMEOUT)
    assert year.get_attribute("aria-valuenow") is None  # empty: its placeholder shown
