"""The public view of the example in a real browser: Tarhuna's incidents are drawn at
Tarhuna (the town the records name), not 40 km away at the district's centre, the
detail panel says where they are shown, and the district filter finds Murqub by any of
its names ("Marqab")."""

from __future__ import annotations

import re

import pytest
from browser_support import Guarded, Server

from tests.distance import km_between

pytestmark = pytest.mark.browser
MAP = 'iframe[title="streamlit_folium.st_folium"]'
HEADLINE = re.compile(r"([\d,]+) incidents? shown of ([\d,]+)")
TIMEOUT = 90_000
TARHUNA = (32.43501, 13.6332)  # GeoNames 2210221, the bundled gazetteer's point
# Every incident marker's place (a spiderfied one's place before it was brought out).
MARKERS_JS = """() => { const out = [];
  const visit = l => { if (l.getLayers) l.getLayers().forEach(visit);
    if (l.getLatLng && l.incidentId) {
      const p = l._preSpiderfyLatlng || l.getLatLng(); out.push([p.lat, p.lng]); } };
  window.map.eachLayer(visit); return out; }"""


def _open(g: Guarded, server: Server, query: str = "") -> None:
    g.page.set_viewport_size({"width": 1280, "height": 720})
    g.page.goto(f"{server.url}/{query}")
    g.page.get_by_text(HEADLINE).first.wait_for(timeout=TIMEOUT)
    g.page.frame_locator(MAP).first.locator(".leaflet-marker-icon").first.wait_for(timeout=TIMEOUT)
    g.page.wait_for_timeout(2500)  # the map reports its view once: let that rerun finish


def test_the_public_map_draws_tarhunas_incidents_at_tarhuna(
    guarded: Guarded, example_server: Server
) -> None:
    _open(guarded, example_server, "?sel=tarhuna-ex-002")
    frame = next(f for f in guarded.page.frames if "st_folium" in f.url)
    points = [tuple(p) for p in frame.evaluate(MARKERS_JS)]
    assert len(points) >= 9, points  # a marker may sit in more than one layer group
    far = [p for p in points if km_between(p, TARHUNA) > 2.0]
    assert not far, f"markers more than 2 km from Tarhuna: {far}"
    panel = guarded.page.get_by_text("On the public map:").first
    panel.wait_for(timeout=TIMEOUT)
    assert "shown at the town of Tarhuna" in (panel.locator("xpath=..").inner_text())
    assert guarded.page.get_by_text("Murqub (LY-MB)").count() >= 1  # the district's one name


def test_typing_marqab_in_the_district_filter_finds_murqub(
    guarded: Guarded, example_server: Server
) -> None:
    _open(guarded, example_server)
    box = guarded.page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="District")
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially("Marqab", delay=50)
    option = guarded.page.get_by_role("option", name=re.compile("Murqub \\(LY-MB\\)"))
    option.first.wait_for(timeout=TIMEOUT)
    option.first.click()
    guarded.page.wait_for_function("() => location.search.includes('LY-MB')", timeout=TIMEOUT)
    guarded.page.get_by_text("9 incidents shown of 9").first.wait_for(timeout=TIMEOUT)
