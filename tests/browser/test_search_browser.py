"""Text search in the sidebar, in a real browser: a town's Arabic name finds the records
that spell it in Latin script (through the gazetteer's alternate names)."""

from __future__ import annotations

import re
import time

import pytest
from browser_support import Guarded, Server

pytestmark = pytest.mark.browser
MAP = 'iframe[title="streamlit_folium.st_folium"]'
HEADLINE = re.compile(r"([\d,]+) incidents? shown of ([\d,]+)")
TIMEOUT = 90_000


def _shown(g: Guarded) -> int:
    match = HEADLINE.search(g.page.get_by_text(HEADLINE).first.inner_text())
    assert match
    return int(match.group(1).replace(",", ""))


def _search(g: Guarded, text: str) -> None:
    box = g.page.get_by_role("textbox", name="Text contains")
    box.scroll_into_view_if_needed()
    box.fill(text)
    box.press("Enter")


def _wait_until(g: Guarded, ok, seconds: float = 45) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not ok():
        g.page.wait_for_timeout(500)
    g.page.wait_for_timeout(1500)  # a rerun the last change started


def test_typing_the_arabic_name_of_tarhuna_finds_its_nine_incidents(
    guarded: Guarded, example_server: Server
) -> None:
    g = guarded
    g.page.goto(example_server.url)
    g.page.get_by_text(HEADLINE).first.wait_for(timeout=TIMEOUT)
    assert _shown(g) == 9
    _search(g, "no record says this")
    _wait_until(g, lambda: _shown(g) == 0)
    assert _shown(g) == 0  # the box filters
    _search(g, "ترهونة")
    _wait_until(g, lambda: _shown(g) == 9 and "q=" in g.page.url)
    assert _shown(g) == 9
    assert "q=" in g.page.url
    assert g.page.locator('[data-testid="stException"]').count() == 0
