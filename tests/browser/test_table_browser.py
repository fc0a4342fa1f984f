"""The map page's table in a real browser: an incident with no place opens from it, and
an editor ticks two rows and sets their verification with one confirmation.

The data set is the example plus one incident with no place (built in the test's tmp
dir; the bundled example is left as it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import TABLE, Guarded, Server, drawn_table, idle, serve
from test_app_browser import TIMEOUT, _no_exception, _open, _ready, _shown, _sign_in

from tests.app.test_table_panel import UNPLACED, write_with_unplaced

pytestmark = pytest.mark.browser
UNPLACED_TITLE = "A disappearance reported with no place"
HEADER_PX, ROW_PX, TICK_X = 35, 35, 14  # the grid's header and row heights; the tick box
_CELLS = """t => {
  const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent);
  return [...t.querySelectorAll('tbody tr')].map(tr => {
    const row = {_row: Number(tr.getAttribute('aria-rowindex')) - 2};
    for (const td of tr.querySelectorAll('td')) {
      row[heads[Number(td.getAttribute('aria-colindex')) - 1]] = td.textContent;
    }
    return row;
  });
}"""


@pytest.fixture(scope="module")
def unplaced_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app with the example and one incident with no place."""
    tmp = tmp_path_factory.mktemp("unplaced")
    yield from serve(tmp, write_with_unplaced(tmp / "with-unplaced.csv"))


def _rows(g: Guarded) -> dict[str, dict[str, object]]:
    """The table's rows the grid has drawn, by reference: {heading: text, _row: n}."""
    return {str(r["Ref."]): r for r in drawn_table(g, _CELLS) if isinstance(r, dict)}


def _tick(g: Guarded, ref: str) -> None:
    """Click the tick box of the row of this incident."""
    idle(g)
    row = _rows(g)[ref]["_row"]
    assert isinstance(row, int)
    box = g.page.locator(TABLE).first.bounding_box()
    assert box
    g.page.mouse.click(box["x"] + TICK_X, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)


def _tick_two(g: Guarded) -> tuple[str, str, str]:
    """Tick the table's first two rows (the first opens); the refs of its first three."""
    listed = _rows(g)
    first, second, third = sorted(listed, key=lambda ref: int(str(listed[ref]["_row"])))[:3]
    _tick(g, first)
    g.page.wait_for_url(re.compile(f"sel={first}"), timeout=30_000)
    g.page.wait_for_timeout(1500)
    _tick(g, second)
    g.page.get_by_text("Change the 2 incidents ticked in the table").wait_for(timeout=30_000)
    return first, second, third


def _click_words(g: Guarded, ref: str) -> None:
    """Click the words of this incident's row (not its tick box); it opens."""
    row = _rows(g)[ref]["_row"]
    assert isinstance(row, int)
    box = g.page.locator(TABLE).first.bounding_box()
    assert box
    g.page.mouse.click(box["x"] + 260, box["y"] + HEADER_PX + ROW_PX * row + ROW_PX / 2)
    g.page.wait_for_url(re.compile(f"sel={ref}"), timeout=30_000)


def _wait_for_cell(g: Guarded, ref: str, heading: str, text: str) -> None:
    for _ in range(60):
        if _rows(g).get(ref, {}).get(heading) == text:
            return
        g.page.wait_for_timeout(500)
    raise AssertionError(f"{heading} of {ref} is {_rows(g).get(ref, {}).get(heading)!r}")


def test_an_incident_with_no_place_opens_from_the_table(
    guarded: Guarded, unplaced_server: Server
) -> None:
    _open(guarded, unplaced_server)
    assert _shown(guarded) == 10
    rows = _rows(guarded)
    assert UNPLACED in rows, f"the table lists only {sorted(rows)}"
    assert rows[UNPLACED]["Location"] == "No place recorded"
    _tick(guarded, UNPLACED)
    guarded.page.wait_for_url(re.compile(f"sel={UNPLACED}"), timeout=30_000)
    guarded.page.get_by_text(UNPLACED_TITLE, exact=True).first.wait_for(timeout=30_000)
    _no_exception(guarded)


def test_an_editor_sets_the_verification_of_two_rows_at_once(
    guarded: Guarded, unplaced_server: Server
) -> None:
    page = guarded.page
    _sign_in(guarded, unplaced_server)
    first, second, _third = _tick_two(guarded)
    asked = page.get_by_text("Change the 2 incidents ticked in the table")
    # The ticks survive a visit to another page.
    idle(guarded)
    page.get_by_role("link", name="Import").click()
    page.get_by_text("Import incidents").first.wait_for(timeout=TIMEOUT)
    idle(guarded)
    page.get_by_role("link", name="Map").click()
    _ready(guarded)
    asked.wait_for(timeout=30_000)
    history = page.get_by_text(re.compile(r"^Change history \(\d+\)"))
    before = history.first.inner_text()
    main = page.locator('[data-testid="stMain"]')
    main.get_by_test_id("stSelectbox").filter(has_text="Verification").locator("input").click()
    page.keyboard.type("Verified")
    page.keyboard.press("Enter")
    page.wait_for_timeout(1000)
    page.get_by_role("button", name="Set verification on 2 incidents…").click()
    page.get_by_role("button", name="Yes, set verification").click()
    page.get_by_text("Verification set to Verified on 2 incidents").wait_for(timeout=30_000)
    _wait_for_cell(guarded, first, "Verification", "Verified")
    _wait_for_cell(guarded, second, "Verification", "Verified")
    assert history.first.inner_text() != before  # one more entry for the selected incident
    history.first.click()
    panel = page.locator('[data-testid="stExpander"]').filter(has_text="Change history")
    assert re.search("verification", panel.first.inner_text(), re.IGNORECASE)
    _no_exception(guarded)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_tables_toolbar_leaves_its_heading_readable_on_a_phone(
    browser: object, example_server: Server, lang: str
):
    """390x844 on a touch screen, where the table's toolbar always shows: it lies in the
    room kept above the table, not over the heading drawn above it (it covered "view" of
    "Incidents in the map view", and the whole second line of the Arabic heading)."""
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        page.goto(f"{example_server.url}/?lang={lang}")
        table = page.locator('[data-testid="stDataFrame"]').first
        table.wait_for(timeout=TIMEOUT)
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        gap = page.evaluate(
            """() => { const d = document.querySelector('[data-testid="stDataFrame"]');
              const box = d.closest('[data-testid="stElementContainer"]');
              const bar = box.querySelector('[data-testid="stElementToolbar"]');
              const above = box.previousElementSibling;
              return bar.getBoundingClientRect().top - above.getBoundingClientRect().bottom; }"""
        )
        assert gap >= 0, f"the toolbar lies {-gap:.0f} px over the heading above the table"
    finally:
        context.close()


def _on_screen(g: Guarded, selector: str, height: int) -> dict[str, float]:
    """The box of the first element matching selector once its top is on the screen,
    below Streamlit's fixed header (waits: the scroll runs in the page's last element)."""
    box = None
    for _ in range(40):
        box = g.page.locator(selector).first.bounding_box()
        header = g.page.locator('[data-testid="stHeader"]').first.bounding_box()
        below = header["y"] + header["height"] if header else 0
        if box and below - 1 <= box["y"] <= height - 20:
            return box
        g.page.wait_for_timeout(500)
    raise AssertionError(f"{selector} is at {box}, the screen {height} px high")


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["laptop", "phone"])
def test_a_row_picked_below_the_panel_brings_the_panel_into_view(
    guarded: Guarded, unplaced_server: Server, size: tuple[int, int]
) -> None:
    """The table is under the map; the incident opens in the panel beside the map (under
    it on a phone). At 1280x720 the panel opened above the screen's top and the page
    stayed where it was, so a pick seemed to do nothing. Twice: a second pick scrolls
    again (the first scroll's frame is still on the page then)."""
    width, height = size
    page = guarded.page
    page.set_viewport_size({"width": width, "height": height})
    _open(guarded, unplaced_server)
    others = [ref for ref in _rows(guarded) if ref != UNPLACED]
    for ref in (UNPLACED, others[0]):
        page.locator(TABLE).first.scroll_into_view_if_needed()
        idle(guarded)
        assert page.locator(TABLE).first.bounding_box()["y"] > 0  # type: ignore[index]
        _tick(guarded, ref)
        page.wait_for_url(re.compile(f"sel={ref}"), timeout=30_000)
        idle(guarded)
        _on_screen(guarded, ".st-key-detail_panel h3", height)
    assert page.locator(".st-key-detail_panel h3").first.inner_text() != UNPLACED_TITLE
    _no_exception(guarded)


def test_an_editor_ticking_a_row_stays_at_the_table(
    guarded: Guarded, unplaced_server: Server
) -> None:
    """An editor's first tick opens the incident too, but may start a choice of several
    rows for a change to all of them: the page does not leave the table."""
    page = guarded.page
    page.set_viewport_size({"width": 1280, "height": 720})
    _sign_in(guarded, unplaced_server)
    page.locator(TABLE).first.scroll_into_view_if_needed()
    idle(guarded)
    before = page.locator(TABLE).first.bounding_box()
    _tick(guarded, UNPLACED)
    page.wait_for_url(re.compile(f"sel={UNPLACED}"), timeout=30_000)
    idle(guarded)
    page.wait_for_timeout(1500)  # a scroll, were there one, would have run
    after = page.locator(TABLE).first.bounding_box()
    assert before and after and abs(after["y"] - before["y"]) < 100, (before, after)
    _no_exception(guarded)


def test_a_click_on_a_rows_words_opens_the_incident(guarded: Guarded, unplaced_server: Server):
    """Tried as a new user would: a click on a row's title, not on its tick box, opened
    nothing (the table says 'Pick a row to open it'). Now a cell opens its row."""
    _open(guarded, unplaced_server)
    idle(guarded)
    _click_words(guarded, UNPLACED)
    guarded.page.get_by_text(UNPLACED_TITLE, exact=True).first.wait_for(timeout=30_000)
    _no_exception(guarded)


def test_an_editors_ticks_stay_when_a_rows_words_open_another(
    guarded: Guarded, unplaced_server: Server
) -> None:
    """Two rows ticked for a change, then a third opened by a click on its words: the
    two stay ticked (the click replaced them with the opened row; found in a review)."""
    page = guarded.page
    _sign_in(guarded, unplaced_server)
    _first, _second, third = _tick_two(guarded)
    asked = page.get_by_text("Change the 2 incidents ticked in the table")
    idle(guarded)
    _click_words(guarded, third)
    idle(guarded)
    page.wait_for_timeout(1500)
    asked.wait_for(timeout=30_000)
    _no_exception(guarded)
