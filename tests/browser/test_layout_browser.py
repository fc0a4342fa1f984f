"""Labels shown whole and the map as tall as the screen allows, in a real browser.

Labels were cut short: a filter's chip read "Enforced disappear…" and the table's last
columns were scrolled out of view at 1600x1000. The map was a fixed 560 px whatever the
screen; now it fills the screen's height under the headline and stays on it.
"""

from __future__ import annotations

import pytest
from browser_support import EDITOR_NAME, EDITOR_PASSWORD, Guarded, Server
from test_dashboard_browser import MAP, TIMEOUT, _open

from app_pages.table_panel import WIDTHS
from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS, VERIFICATION_STATUSES

pytestmark = pytest.mark.browser
PADDING = 16  # a table cell's padding, both sides

# The drawn width of a text in the page's own font, as the table draws its cells.
_TEXT_WIDTH_JS = """texts => { const c = document.createElement('canvas').getContext('2d');
  c.font = '14px ' + getComputedStyle(document.body).fontFamily;
  return Math.max(...texts.map(t => c.measureText(t).width)); }"""


def test_the_table_shows_every_column_and_whole_labels_at_1600(
    guarded: Guarded, example_server: Server
) -> None:
    _open(guarded, example_server, size=(1600, 1000))
    table = guarded.page.locator('[data-testid="stDataFrame"]').last
    table.scroll_into_view_if_needed()
    scroller = table.locator(".dvn-scroller").first
    scroller.wait_for(timeout=TIMEOUT)
    wide, room = scroller.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert wide <= room + 1, f"columns scrolled out of view: {wide} px in {room}"
    labels = {
        "Type": [INCIDENT_TYPES.label(c) for c in INCIDENT_TYPES.codes],
        "Location": [LOCATION_PRECISIONS.label(c) for c in LOCATION_PRECISIONS.codes]
        + ["Only the country known", "No place recorded"],
        "Verification": [VERIFICATION_STATUSES.label(c) for c in VERIFICATION_STATUSES.codes],
        "From": ["2020-12-31"],
        "To": ["2020-12-31"],
    }
    for column, texts in labels.items():
        needed = guarded.page.evaluate(_TEXT_WIDTH_JS, [*texts, column])
        assert needed + PADDING <= WIDTHS[column], (column, needed)


def test_a_filters_chip_shows_its_whole_label(guarded: Guarded, example_server: Server) -> None:
    _open(guarded, example_server, "?type=enforced_disappearance", size=(1600, 1000))
    chip = guarded.page.locator('[data-testid="stSidebar"] [data-tag] > span').first
    chip.wait_for(timeout=TIMEOUT)
    assert chip.inner_text() == "Enforced disappearance"
    cut = chip.evaluate("e => e.scrollWidth > e.clientWidth + 1")
    assert not cut, "the chip's label is cut short"


def test_the_change_history_shows_whole_cells(guarded: Guarded, example_server: Server) -> None:
    """As an editor (the public sees no history), in the narrow detail panel."""
    page = guarded.page
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{example_server.url}/account")
    page.get_by_role("textbox", name="Name").fill(EDITOR_NAME)
    page.get_by_role("textbox", name="Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_timeout(3000)
    _open(guarded, example_server, "?sel=tarhuna-ex-004", size=(1600, 1000))
    page.get_by_text("Change history").first.click()
    cells = guarded.page.locator("table td")
    cells.first.wait_for(timeout=TIMEOUT)
    assert cells.count() > 0
    for i in range(cells.count()):
        cut = cells.nth(i).evaluate("e => e.scrollWidth > e.clientWidth + 1")
        assert not cut, cells.nth(i).inner_text()


@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000), (390, 844)])
def test_the_map_fills_the_screen_and_stays_on_it(
    guarded: Guarded, example_server: Server, size: tuple[int, int]
) -> None:
    _open(guarded, example_server, size=size)
    box = guarded.page.locator(MAP).first.bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], box  # whole on screen
    assert box["height"] >= 0.6 * size[1], box  # and most of its height
    inner = guarded.page.frame_locator(MAP).first.locator(".leaflet-container").first
    leaflet = inner.bounding_box()
    assert leaflet is not None and leaflet["height"] >= box["height"] - 2, (leaflet, box)
