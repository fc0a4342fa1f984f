"""The map itself in Chromium with no internet: where it opens, names, selection, legend.

Most tests load the standalone export of the Tarhuna example (every script inlined,
the page set as content: nothing may be fetched, Guarded fails on any request that
leaves the machine); the last ones drive the app. Screenshots go to /tmp unless the
app's, which are the docs'.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from browser_support import EXAMPLE, SCREENSHOTS, Guarded, Server

from incidents.export.service import in_language
from incidents.maps import MapOptions, build_map, map_html

pytestmark = pytest.mark.browser
APP_MAP = 'iframe[title="streamlit_folium.st_folium"]'
HEADLINE = re.compile(r"([\d,]+) incidents? shown of ([\d,]+)")
TARHUNA = (32.43501, 13.6332)
DESKTOP, PHONE = (1280, 720), (390, 844)
MAP = "() => window[Object.keys(window).find(k => k.startsWith('map_'))]"


def _standalone(
    g: Guarded,
    size: tuple[int, int],
    selected: str | None = None,
    popups: bool = False,
    lang: str = "en",
) -> None:
    frame = pd.read_csv(EXAMPLE, dtype={"id": str})
    options = MapOptions(selected_id=selected, popups=popups)
    page = in_language(lang, lambda: map_html(build_map(frame, options), standalone=True))
    g.page.set_viewport_size({"width": size[0], "height": size[1]})
    g.page.set_content(page)
    g.page.locator(".leaflet-marker-icon").first.wait_for(timeout=30_000)
    g.page.wait_for_timeout(800)


def _js(g: Guarded, body: str) -> object:
    return g.page.evaluate(f"() => {{ const map = ({MAP})(); {body} }}")


def _rect(g: Guarded, selector: str) -> dict[str, float]:
    box = g.page.locator(selector).first.bounding_box()
    assert box, selector
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_the_map_opens_on_the_incidents_with_town_names(guarded: Guarded, size, tmp_path: Path):
    _standalone(guarded, size)
    zoom = _js(guarded, "return map.getZoom();")
    assert isinstance(zoom, int) and zoom >= 9  # not all of Libya at zoom 5
    assert _js(guarded, f"return map.getBounds().contains({list(TARHUNA)});")
    labels = guarded.page.locator(".place-label").all_inner_texts()
    assert "Tarhuna" in labels and len(labels) >= 5  # the town and its neighbours named
    guarded.page.screenshot(path=str(tmp_path / f"standalone-{size[0]}.png"))
    _js(guarded, "map.setZoom(5, {animate: false});")
    guarded.page.wait_for_timeout(300)
    far = guarded.page.locator(".place-label").all_inner_texts()
    assert "Tripoli" in far and "Benghazi" in far and "Tarhuna" not in far


def test_town_names_never_cover_a_marker(guarded: Guarded):
    _standalone(guarded, DESKTOP)
    cluster = _rect(guarded, ".marker-cluster")
    x, y = cluster["x"] + cluster["width"] / 2, cluster["y"] + cluster["height"] / 2
    on_top = guarded.page.evaluate(
        f"() => document.elementFromPoint({x}, {y}).closest('.marker-cluster') !== null"
    )
    assert on_top
    assert (
        guarded.page.evaluate(
            "() => getComputedStyle(document.querySelector('.place-labels')).pointerEvents"
        )
        == "none"
    )


# Moves the map so Tarhuna's name lies on the middle of the control picked ("on": the
# name, about 16 px high, starts LABEL_OFFSET_PX under its dot), or its dot 12 px above
# the control's top ("above": a name drawn under the dot would lie on the control).
_TOWN_AT = (
    "([selector, at, where]) => { const map = (" + MAP + ")();"
    """
  const box = map.getContainer().getBoundingClientRect();
  const c = document.querySelector(selector).getBoundingClientRect();
  const y = where === 'on' ? c.top + c.height / 2 - 28 : c.top - 12;
  const target = L.point(c.left + c.width / 2 - box.left, y - box.top);
  map.panBy(map.latLngToContainerPoint(at).subtract(target), {animate: false}); }"""
)
_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
_UNDER_CONTROLS = """() => [...document.querySelectorAll('.place-label, .place-dot')].flatMap(p => {
  const a = p.getBoundingClientRect();
  return [...document.querySelectorAll('.leaflet-control')].filter(c => {
    const b = c.getBoundingClientRect();
    return b.width && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }).map(c => (p.textContent || 'a dot') + ' under ' + c.className); })"""


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_town_names_never_lie_under_the_maps_controls(
    guarded: Guarded, size: tuple[int, int], lang: str, tmp_path: Path
):
    """Tarhuna's name brought onto the controls of each corner (in Arabic the buttons are
    at the top right, the legend at the bottom left, the scale at the bottom right): it
    lay under them, hidden. Over a control a name is not drawn; just above the scale bar
    its name goes above its dot, still read."""
    _standalone(guarded, size, lang=lang)
    tarhuna = "ترهونة" if lang == "ar" else "Tarhuna"
    for control, where in (
        (".leaflet-control-zoom", "on"),
        (".incident-legend", "on"),
        (".leaflet-control-scale", "on"),
        (".leaflet-control-scale", "above"),
    ):
        guarded.page.evaluate(_TOWN_AT, [control, list(TARHUNA), where])
        guarded.page.evaluate(_TWO_FRAMES)  # a redraw a control's change asked for is done
        shot = f"labels-{lang}-{size[0]}-{control[1:]}-{where}.png"
        guarded.page.screenshot(path=str(tmp_path / shot))
        assert guarded.page.evaluate(_UNDER_CONTROLS) == [], (control, where)
        if where == "above":
            assert tarhuna in guarded.page.locator(".place-label").all_inner_texts()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_a_click_on_a_marker_of_the_offline_map_opens_its_popup(guarded: Guarded, size):
    """The offline HTML map has no detail panel: a marker's click opens its popup. The
    popups were click targets of their own under the markers, which took every click
    (only the ring of a selection showed; on a touch screen nothing could be read)."""
    _standalone(guarded, size, popups=True)
    cluster = guarded.page.locator(".marker-cluster")
    if cluster.count():
        cluster.first.click()  # the example's nine share one point: they fan out
        guarded.page.wait_for_timeout(800)
    guarded.page.locator(".leaflet-marker-icon.incident-symbol").first.click()
    popup = guarded.page.locator(".leaflet-popup-content")
    popup.first.wait_for(timeout=10_000)
    titles = set(pd.read_csv(EXAMPLE)["title"])
    assert any(title in popup.first.inner_text() for title in titles), popup.first.inner_text()


def test_zoom_to_the_incidents_brings_them_back(guarded: Guarded):
    _standalone(guarded, DESKTOP)
    _js(guarded, "map.setView([32.1, 20.1], 9, {animate: false});")  # Benghazi
    assert not _js(guarded, f"return map.getBounds().contains({list(TARHUNA)});")
    guarded.page.get_by_role("button", name="Zoom to the incidents").click()
    guarded.page.wait_for_timeout(800)
    assert _js(guarded, f"return map.getBounds().contains({list(TARHUNA)});")


def test_full_screen_control_fills_the_screen(guarded: Guarded):
    _standalone(guarded, DESKTOP)
    guarded.page.get_by_role("button", name="Full screen").click()
    guarded.page.wait_for_function("() => document.fullscreenElement !== null", timeout=10_000)
    full = "() => document.fullscreenElement.classList.contains('folium-map')"
    assert guarded.page.evaluate(full)
    guarded.page.get_by_role("button", name="Full screen").click()
    guarded.page.wait_for_function("() => document.fullscreenElement === null", timeout=10_000)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_the_selected_incident_is_shown_out_of_its_cluster_and_marked(
    guarded: Guarded, size, tmp_path: Path
):
    _standalone(guarded, size, selected="tarhuna-ex-003")
    guarded.page.locator(".incident-picked").wait_for(timeout=10_000)
    picked = _rect(guarded, ".incident-picked")
    assert 0 <= picked["x"] < size[0] and 0 <= picked["y"] < size[1]  # visible, on screen
    assert guarded.page.locator(".incident-selected").count() == 1  # the ring at its place
    guarded.page.screenshot(path=str(tmp_path / f"selected-{size[0]}.png"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_the_legend_is_a_small_button_clear_of_the_scale_bar(guarded: Guarded, size):
    _standalone(guarded, size)
    legend, scale = _rect(guarded, ".incident-legend"), _rect(guarded, ".leaflet-control-scale")
    is_open = "() => document.querySelector('.incident-legend details').open"
    assert not guarded.page.evaluate(is_open)
    assert legend["width"] * legend["height"] < 0.02 * size[0] * size[1]
    assert not _overlap(legend, scale)
    guarded.page.locator(".incident-legend summary").click()
    assert guarded.page.evaluate(is_open)
    opened = _rect(guarded, ".incident-legend")
    assert not _overlap(opened, _rect(guarded, ".leaflet-control-scale"))
    assert opened["width"] * opened["height"] < 0.25 * size[0] * size[1]


def test_a_tooltip_does_not_outlive_a_click_nor_cover_the_zoom_buttons(guarded: Guarded):
    _standalone(guarded, DESKTOP)
    guarded.page.locator(".marker-cluster").first.click()  # the nine share one place
    symbol = guarded.page.locator(".incident-symbol").first
    symbol.wait_for(timeout=10_000)
    guarded.page.wait_for_timeout(600)
    symbol.hover()
    guarded.page.locator(".leaflet-tooltip").first.wait_for(timeout=5_000)
    symbol.click()
    guarded.page.wait_for_timeout(300)
    assert guarded.page.locator(".leaflet-tooltip").count() == 0
    guarded.page.mouse.move(5, 400)
    symbol.hover()
    guarded.page.locator(".leaflet-tooltip").first.wait_for(timeout=5_000)
    zoom_in = _rect(guarded, ".leaflet-control-zoom-in")
    guarded.page.mouse.move(zoom_in["x"] + 5, zoom_in["y"] + 5)
    guarded.page.wait_for_timeout(300)
    assert guarded.page.locator(".leaflet-tooltip").count() == 0
    x, y = zoom_in["x"] + zoom_in["width"] / 2, zoom_in["y"] + zoom_in["height"] / 2
    assert guarded.page.evaluate(
        f"() => document.elementFromPoint({x}, {y}).closest('.leaflet-control-zoom-in') !== null"
    )


_ALL_MARKERS_IN_VIEW = """() => { const view = window.map.getBounds(); let n = 0, inside = 0;
  window.map.eachLayer(l => { if (l.getLayers) l.getLayers().forEach(m => {
    if (m.incidentId) { n += 1; inside += view.contains(m.getLatLng()) ? 1 : 0; } }); });
  return n > 0 && n === inside; }"""


def _app_map(g: Guarded):  # type: ignore[no-untyped-def]
    return next(f for f in g.page.frames if "st_folium" in f.url)


def _open_app(g: Guarded, server: Server, size: tuple[int, int], query: str = "") -> None:
    g.page.set_viewport_size({"width": size[0], "height": size[1]})
    g.page.goto(f"{server.url}/{query}")
    g.page.get_by_text(HEADLINE).first.wait_for(timeout=90_000)
    g.page.frame_locator(APP_MAP).first.locator(".leaflet-marker-icon").first.wait_for(
        timeout=90_000
    )
    g.page.wait_for_timeout(2500)  # the map reports its view once: let that rerun finish


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x720", "390x844"])
def test_the_app_opens_its_map_on_the_incidents_and_links_that_view(
    guarded: Guarded, example_server: Server, size
):
    _open_app(guarded, example_server, size)
    frame = _app_map(guarded)
    assert frame.evaluate("() => window.map.getZoom()") >= 9
    assert frame.evaluate(_ALL_MARKERS_IN_VIEW)  # the public's points too (coarsened)
    assert frame.locator(".place-label").count() >= 2  # named places around them
    assert frame.locator(".incident-legend details[open]").count() == 0
    guarded.page.wait_for_url(re.compile(r"z=(9|1\d)"), timeout=30_000)  # the view is linked
    guarded.page.locator(APP_MAP).first.scroll_into_view_if_needed()
    guarded.page.screenshot(path=str(SCREENSHOTS / f"map-opens-on-incidents-{size[0]}.png"))


def test_the_app_marks_a_clicked_incident_and_brings_out_a_linked_one(
    guarded: Guarded, example_server: Server
):
    _open_app(guarded, example_server, DESKTOP)
    frame = guarded.page.frame_locator(APP_MAP).first
    frame.locator(".marker-cluster").first.click()  # the nine share one place
    symbol = frame.locator(".incident-symbol").first
    symbol.wait_for(timeout=10_000)
    guarded.page.wait_for_timeout(800)
    symbol.click()
    guarded.page.wait_for_url(re.compile(r"sel="), timeout=30_000)
    assert frame.locator(".incident-picked").count() == 1  # marked at once, on its own
    assert frame.locator(".leaflet-tooltip").count() == 0  # and its tooltip gone
    _open_app(guarded, example_server, DESKTOP, "?sel=tarhuna-ex-003")
    frame.locator(".incident-picked").wait_for(timeout=30_000)  # out of its cluster
    assert _app_map(guarded).evaluate("() => window.map._incidentShownId") == "tarhuna-ex-003"
    assert frame.locator(".incident-selected").count() == 1
