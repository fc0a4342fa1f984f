"""The app in a real browser with no internet: load, filter by time, click, share, scale.

Screenshots of the main screens are written to docs/screenshots/ as a side effect.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from browser_support import SCREENSHOTS, Guarded, Server, idle

pytestmark = pytest.mark.browser
MAP = 'iframe[title="streamlit_folium.st_folium"]'
HEADLINE = re.compile(r"([\d,]+) incidents? shown of ([\d,]+)")
TIMEOUT = 90_000


def _open(g: Guarded, server: Server, query: str = "", drawn: str = ".leaflet-interactive") -> None:
    g.page.goto(f"{server.url}/{query}")
    _ready(g, drawn)


def _ready(g: Guarded, drawn: str = ".leaflet-interactive") -> None:
    """Wait for the headline and for the map to have drawn `drawn` (a CSS selector)."""
    g.page.get_by_text(HEADLINE).first.wait_for(timeout=TIMEOUT)
    g.page.frame_locator(MAP).first.locator(drawn).first.wait_for(timeout=TIMEOUT)
    g.page.wait_for_timeout(1500)  # the map reports its extent once: let that rerun finish


def _shown(g: Guarded) -> int:
    headline = g.page.get_by_text(HEADLINE).first
    headline.wait_for(timeout=TIMEOUT)  # a busy machine may take long to redraw the page
    match = HEADLINE.search(headline.inner_text(timeout=TIMEOUT))
    assert match
    return int(match.group(1).replace(",", ""))


def _map(g: Guarded):
    return next(f for f in g.page.frames if "st_folium" in f.url)


_MARKERS_JS = """() => { let n = 0; for (const k in window.map._layers) {
  const l = window.map._layers[k]; if (l._featureGroup) n += l.getLayers().length; } return n; }"""


def _markers(g: Guarded) -> int:
    return int(_map(g).evaluate(_MARKERS_JS))


def _wait_for_headline(g: Guarded, changed_from: int, seconds: float = 30) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        g.page.wait_for_timeout(500)
        if _shown(g) != changed_from:
            g.page.wait_for_timeout(1500)
            return _shown(g)
    return _shown(g)


def _no_exception(g: Guarded) -> None:
    assert g.page.locator('[data-testid="stException"]').count() == 0


def _centre_map(g: Guarded) -> None:
    g.page.locator(MAP).first.evaluate("e => e.scrollIntoView({block: 'center'})")
    g.page.wait_for_timeout(500)


def test_page_loads_and_shows_the_example_incidents(guarded: Guarded, example_server: Server):
    _open(guarded, example_server)
    _no_exception(guarded)
    assert _shown(guarded) == 9
    assert _markers(guarded) == 9
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    guarded.page.screenshot(path=str(SCREENSHOTS / "map-tarhuna.png"))


def test_the_map_comes_first_and_stays_when_the_page_fills_in(
    guarded: Guarded, example_server: Server
):
    """A first visit gets the map before the sidebar, timeline and table (their code
    would hold the map's frame back); the rest arrives without rebuilding the map."""
    page = guarded.page
    page.goto(example_server.url)
    page.frame_locator(MAP).first.locator(".leaflet-interactive").first.wait_for(timeout=TIMEOUT)
    _map(guarded).evaluate("() => { window.__first_map = window.map; }")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=TIMEOUT)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.wait_for()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    _no_exception(guarded)
    assert page.locator(MAP).count() == 1
    assert _map(guarded).evaluate("() => window.__first_map === window.map")
    assert _shown(guarded) == 9 and _markers(guarded) == 9


def test_the_page_fills_in_even_if_the_map_never_loads(guarded: Guarded, example_server: Server):
    """The rest of the page waits for the map's first report, but not for ever."""
    page = guarded.page
    page.route("**/component/streamlit_folium*/**", lambda route: route.abort())
    page.goto(example_server.url)
    page.get_by_text(HEADLINE).first.wait_for(timeout=TIMEOUT)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.wait_for(
        timeout=30_000
    )
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    assert _shown(guarded) == 9


def test_a_time_filter_changes_the_count_and_the_markers(guarded: Guarded, example_server: Server):
    _open(guarded, example_server)
    before = _shown(guarded)
    year = guarded.page.get_by_role("spinbutton", name="year, From")  # the sidebar's date field
    year.scroll_into_view_if_needed()
    year.focus()
    guarded.page.keyboard.type("20210101")
    guarded.page.keyboard.press("Enter")
    guarded.page.keyboard.press("Escape")
    guarded.page.locator("h1").first.click()
    after = _wait_for_headline(guarded, before)
    _no_exception(guarded)
    assert 0 < after < before
    assert _markers(guarded) == after
    assert "from=2021-01-01" in guarded.page.url


def test_brushing_the_timeline_sets_the_time_window(guarded: Guarded, synthetic_server: Server):
    _open(guarded, synthetic_server, drawn="[data-grid-zoom]")
    idle(guarded)
    before = _shown(guarded)
    chart = guarded.page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    guarded.page.wait_for_timeout(500)
    box = chart.locator("canvas, svg").first.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] * 0.6
    guarded.page.mouse.move(box["x"] + box["width"] * 0.35, y)
    guarded.page.mouse.down()
    guarded.page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=8)
    guarded.page.mouse.up()
    after = _wait_for_headline(guarded, before)
    _no_exception(guarded)
    assert 0 < after < before
    assert "from=" in guarded.page.url and "to=" in guarded.page.url


def test_clicking_a_marker_opens_its_details(guarded: Guarded, example_server: Server):
    _open(guarded, example_server)
    _centre_map(guarded)
    frame = guarded.page.frame_locator(MAP).first
    frame.locator(".marker-cluster").first.click()  # the example's points share one place
    frame.locator(".incident-symbol").first.wait_for(timeout=10_000)
    guarded.page.wait_for_timeout(800)  # the cluster spreads out before a marker takes a click
    frame.locator(".leaflet-cluster-anim").wait_for(state="detached", timeout=10_000)
    frame.locator(".incident-symbol").first.click()
    guarded.page.wait_for_url(re.compile(r"sel="), timeout=30_000)
    selected = re.search(r"sel=([^&]+)", guarded.page.url).group(1)  # type: ignore[union-attr]
    # The detail panel's reference line (the public sees the id without its version).
    guarded.page.get_by_text(selected, exact=True).first.wait_for(timeout=30_000)
    _no_exception(guarded)
    guarded.page.screenshot(path=str(SCREENSHOTS / "detail-panel.png"))


def test_a_shared_link_reopens_the_same_view(guarded: Guarded, example_server: Server):
    link = "?type=mass_grave&lat=32.40000&lon=13.90000&z=8&sel=tarhuna-ex-001&bin=week"
    for _ in range(2):  # open, then reload
        if _ == 0:
            _open(guarded, example_server, link)
        else:
            guarded.page.reload()
            _ready(guarded)
        assert _shown(guarded) == 2
        assert _map(guarded).evaluate("() => window.map.getZoom()") == 8
        guarded.page.get_by_text("tarhuna-ex-001", exact=True).first.wait_for(timeout=30_000)
        assert "type=mass_grave" in guarded.page.url
        _no_exception(guarded)


_HEAT_ON_TOP = """() => {
  const heat = document.querySelector('canvas.leaflet-heatmap-layer');
  const z = (e) => Number(getComputedStyle(e).zIndex) || 0;
  const outlines = [...heat.parentElement.children].filter((e) => e.tagName === 'svg');
  return outlines.length > 0 && outlines.every((svg) => z(heat) > z(svg));
}"""


def test_heat_and_district_layers_draw(guarded: Guarded, example_server: Server):
    _open(guarded, example_server, "?layer=districts", drawn=".leaflet-overlay-pane svg")
    assert (
        _map(guarded).evaluate("() => document.querySelectorAll('path.leaflet-interactive').length")
        > 0
    )
    guarded.page.wait_for_timeout(1000)
    # Opened on the district that holds the incidents (Murqub), not on all of Libya.
    assert _map(guarded).evaluate("() => window.map.getZoom()") >= 7
    guarded.page.screenshot(path=str(SCREENSHOTS / "districts.png"))
    _open(guarded, example_server, "?layer=heat", drawn="canvas.leaflet-heatmap-layer")
    assert (
        _map(guarded).evaluate(
            "() => document.querySelectorAll('canvas.leaflet-heatmap-layer').length"
        )
        == 1
    )
    # Over the basemap's outlines (an SVG in the same pane once hid the heat entirely).
    assert _map(guarded).evaluate(_HEAT_ON_TOP)
    guarded.page.screenshot(path=str(SCREENSHOTS / "heat.png"))
    _no_exception(guarded)


def test_ten_thousand_incidents_stay_light(guarded: Guarded, synthetic_server: Server):
    started = time.monotonic()
    _open(guarded, synthetic_server, drawn="[data-grid-zoom]")
    first_map = time.monotonic() - started
    _no_exception(guarded)
    assert _map(guarded).evaluate(_GRID)[0] > 0  # counted cells drawn, not 10k markers
    guarded.page.screenshot(path=str(SCREENSHOTS / "grid-10k.png"))
    before, guarded.received = _shown(guarded), 0
    years = guarded.page.get_by_role("radiogroup", name="Period").get_by_role("radio")
    years.nth(1).click()  # the data's first year (after "Whole span")
    guarded.page.wait_for_timeout(6000)
    rerun_bytes = guarded.received
    print(f"10k: first map in {first_map:.1f} s; a filter change sent {rerun_bytes} bytes")
    assert rerun_bytes < 1_000_000
    assert _shown(guarded) != before or before == 0


_SENT_LAYER = "() => (window.__GLOBAL_DATA__.last_feature_group || '').length"
_GRID = "() => [Number(window.map.getContainer().dataset.gridZoom), window.map.getZoom()]"
_GRID_CELLS = """() => { let n = 0; for (const k in window.map._layers) {
  const l = window.map._layers[k]; if (l.cell) n += 1; } return n; }"""


def test_the_grid_redraws_on_zoom_without_asking_the_server(
    guarded: Guarded, synthetic_server: Server
):
    _open(guarded, synthetic_server, drawn="[data-grid-zoom]")
    frame = _map(guarded)
    sent, (drawn, zoom) = frame.evaluate(_SENT_LAYER), frame.evaluate(_GRID)
    assert drawn == zoom and frame.evaluate(_GRID_CELLS) > 0
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() + 1); }")
    frame.wait_for_timeout(150)  # no rerun can answer this fast (streamlit-folium waits 250 ms)
    assert frame.evaluate(_GRID) == [zoom + 1, zoom + 1]  # cells of the new zoom, not scaled
    guarded.page.wait_for_timeout(3000)
    frame = _map(guarded)
    assert frame.evaluate(_SENT_LAYER) == sent  # the server kept the layer it had sent
    assert frame.evaluate(_GRID) == [zoom + 1, zoom + 1]
    frame.evaluate("() => { window.map.setZoom(window.map.getZoom() - 1); }")
    frame.wait_for_timeout(150)
    assert frame.evaluate(_GRID) == [zoom, zoom]
    _no_exception(guarded)


def _sign_in(g: Guarded, server: Server) -> None:
    from browser_support import EDITOR_NAME, EDITOR_PASSWORD

    g.page.goto(f"{server.url}/account")
    g.page.get_by_role("textbox", name="Name").fill(EDITOR_NAME)
    g.page.get_by_role("textbox", name="Password").fill(EDITOR_PASSWORD)
    g.page.get_by_role("button", name="Sign in").click()
    _ready(g)


def test_an_editor_adds_an_incident_with_an_arabic_place_name(
    guarded: Guarded, example_server: Server
):
    _sign_in(guarded, example_server)
    guarded.page.get_by_role("link", name="Add or edit").click()
    guarded.page.get_by_text("Add or edit an incident").first.wait_for(timeout=TIMEOUT)
    guarded.page.get_by_label("Place name (as in the source; Arabic or Latin script)").fill(
        "ترهونة"
    )
    guarded.page.get_by_role("button", name="Find places").click()
    guarded.page.get_by_role("button", name=re.compile(r"^1\. ")).click()
    guarded.page.wait_for_timeout(2000)
    guarded.page.get_by_label("Title").fill("اختبار: حادثة في ترهونة")
    kind = guarded.page.get_by_role("combobox", name="Type")
    kind.click()
    kind.fill("Mass grave")
    kind.press("Enter")
    start = guarded.page.locator('[data-testid="stDateInput"]', has_text="From").locator("input")
    start.fill("2020-06-15")
    start.press("Enter")
    guarded.page.get_by_text("Add or edit an incident").first.click()  # closes the calendar
    guarded.page.wait_for_timeout(1000)
    guarded.page.screenshot(path=str(SCREENSHOTS / "add-incident.png"))
    guarded.page.get_by_role("button", name="Save").click()
    guarded.page.get_by_text(re.compile(r"Saved inc-")).first.wait_for(timeout=30_000)
    _no_exception(guarded)


def test_an_editor_imports_a_file_and_sees_the_report(
    guarded: Guarded, example_server: Server, tmp_path: Path
):
    from browser_support import EXAMPLE

    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace("tarhuna-ex-001,mass_grave,", "bad-row-1,mass_grave,", 1)
    bad = bad.replace("2020-06-01,2020-11-25,", "not a date,2020-11-25,", 1)
    upload = tmp_path / "tarhuna-plus-one-bad-row.csv"
    upload.write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    _sign_in(guarded, example_server)
    guarded.page.get_by_role("link", name="Import").click()
    guarded.page.get_by_text("Import incidents").first.wait_for(timeout=TIMEOUT)
    guarded.page.locator('input[type="file"]').set_input_files(str(upload))
    guarded.page.get_by_text("Detected format").wait_for(timeout=30_000)
    guarded.page.get_by_role("button", name=re.compile(r"^Import \d+ rows")).click()
    report = guarded.page.get_by_text("rows read as")
    report.wait_for(timeout=60_000)
    _no_exception(guarded)
    assert "rejected: 1" in guarded.page.locator('[data-testid="stText"]').first.inner_text()
    with guarded.page.expect_download() as download:
        guarded.page.get_by_role("button", name=re.compile("Download the rejected rows")).click()
    assert "not a date" in download.value.path().read_text(encoding="utf-8-sig")
    assert guarded.page.get_by_text("rows read as").count() == 1  # the report stays
    report.scroll_into_view_if_needed()
    guarded.page.screenshot(path=str(SCREENSHOTS / "import-report.png"))


def test_picking_a_table_row_flies_to_it_and_shows_its_uncertainty(
    guarded: Guarded, example_server: Server
):
    _sign_in(guarded, example_server)  # staff see the recorded town points, not districts
    table = guarded.page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box
    guarded.page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's checkbox
    guarded.page.wait_for_url(re.compile(r"sel="), timeout=30_000)
    guarded.page.wait_for_timeout(3000)
    assert _map(guarded).evaluate("() => window.map.getZoom()") >= 10
    rings = "() => document.querySelectorAll('path[stroke-dasharray]').length"
    assert _map(guarded).evaluate(rings) > 0  # the town's ring of uncertainty
    assert (
        _map(guarded).evaluate("() => document.querySelectorAll('.incident-selected').length") == 1
    )
    guarded.page.locator("h1").first.scroll_into_view_if_needed()
    _centre_map(guarded)
    guarded.page.screenshot(path=str(SCREENSHOTS / "map-uncertainty.png"))
    _no_exception(guarded)


_COARSE = r"() => /[?&]lat=-?\d+\.\d&lon=-?\d+\.\d(&|$)/.test(location.search)"


def test_a_staff_link_names_the_map_s_centre_to_a_tenth_of_a_degree(
    guarded: Guarded, example_server: Server
):
    """Tried as an editor would: after a record was opened from the table, the address
    and the copied link named its exact site to five decimals, and a signed-out browser
    opened the map centred on it. A staff page's address and link name the centre only
    to 0.1 degree; the record travels as its reference."""
    _sign_in(guarded, example_server)
    _open(guarded, example_server, "?z=15&lat=32.43501&lon=13.63320&sel=tarhuna-ex-001")
    _map(guarded).evaluate("() => window.map.panBy([40, 30])")  # the editor moves the map
    guarded.page.wait_for_function(_COARSE, timeout=TIMEOUT)
    assert "32.435" not in guarded.page.url and "13.633" not in guarded.page.url
    guarded.page.get_by_text("Copy link to this view").first.click()
    code = guarded.page.locator('[data-testid="stPopoverBody"] code').first
    code.wait_for(timeout=TIMEOUT)
    link = code.inner_text()
    assert re.search(r"lat=32\.4&lon=13\.6", link) and "sel=tarhuna-ex-001" in link, link
    _no_exception(guarded)
