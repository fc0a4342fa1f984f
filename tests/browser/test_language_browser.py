"""The interface in Arabic in a real browser: right to left with the sidebar on the
right, Arabic navigation and sign-in, the map page with a record open and its map's
legend and controls mirrored, the language kept in the link when switched and on the
account of whoever chose it.

Screenshots of the Arabic map page (also with a record open) and sign-in are written
to docs/screenshots/.
"""

from __future__ import annotations

import contextlib
import csv
import re
from pathlib import Path

import pytest
from browser_support import (
    EDITOR_NAME,
    EDITOR_PASSWORD,
    EXAMPLE,
    SCREENSHOTS,
    Guarded,
    Server,
    idle,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from test_layout_browser import _TEXT_WIDTH_JS, PADDING

from app_pages.table_panel import COUNTRY_ONLY, NO_PLACE, WIDTHS_RTL
from incidents.export.service import in_language
from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS, VERIFICATION_STATUSES
from incidents.translation import _

pytestmark = pytest.mark.browser
MAP = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT = 90_000


def _map_ready(g: Guarded) -> None:
    g.page.frame_locator(MAP).first.locator(".leaflet-interactive").first.wait_for(timeout=TIMEOUT)
    g.page.wait_for_timeout(1500)  # the map reports its extent once: let that rerun finish


def _direction(g: Guarded) -> tuple[str, str]:
    return (
        str(g.page.evaluate("document.documentElement.getAttribute('dir')")),
        str(g.page.evaluate("document.documentElement.getAttribute('lang')")),
    )


def _nav(g: Guarded) -> list[str]:
    links = g.page.locator('[data-testid="stSidebarNav"] a')
    return [links.nth(i).inner_text().strip() for i in range(links.count())]


def _sidebar_on_the_right(g: Guarded) -> bool:
    box = g.page.locator('[data-testid="stSidebar"]').bounding_box()
    width = g.page.viewport_size["width"] if g.page.viewport_size else 1400
    return box is not None and box["x"] + box["width"] / 2 > width / 2


def test_map_page_in_arabic_reads_right_to_left(guarded: Guarded, example_server: Server):
    g = guarded
    g.page.goto(f"{example_server.url}/?lang=ar")
    g.page.get_by_text("الخريطة").first.wait_for(timeout=TIMEOUT)
    _map_ready(g)
    g.page.wait_for_function("document.documentElement.dir === 'rtl'", timeout=TIMEOUT)
    assert _direction(g) == ("rtl", "ar")
    assert _sidebar_on_the_right(g)
    assert "الخريطة" in _nav(g) and "تسجيل الدخول" in _nav(g)
    assert "Map" not in _nav(g) and "Sign in" not in _nav(g)
    assert "lang=ar" in g.page.url  # the map page's link keeps the language
    # The timeline's legend: Vega lays its texts out left to right, so its drawing must
    # not inherit the page's right-to-left (its Arabic labels ran over each other).
    chart = g.page.locator(
        '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas'
    )
    chart.first.wait_for(timeout=TIMEOUT)
    assert chart.first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    _chart_speaks_arabic(g)
    # the scale bar holds its words, at the country's zoom and at the world's ("1000 كم"
    # ran past a 50 px bar in a walk)
    frame = g.page.frame_locator(MAP).first
    line = frame.locator(".leaflet-control-scale-line").first
    fits = "el => el.scrollWidth <= el.clientWidth + 1"
    assert line.evaluate(fits), line.inner_text()
    before = line.inner_text()
    frame.locator("body").evaluate(
        "() => { for (const k in window) { const m = window[k];"
        " if (m && m instanceof L.Map) { m.setZoom(3, {animate: false}); } } }"
    )
    expect(line).not_to_have_text(before, timeout=TIMEOUT)  # the world's scale
    assert line.evaluate(fits), (before, line.inner_text())
    g.page.screenshot(path=str(SCREENSHOTS / "map-arabic.png"))


# What a screen reader reads of the timeline: Vega writes "X-axis for a time scale ...",
# "start: ...; certainty: uncertain" and calls the parts "axis", "legend", "... mark
# container", whatever the chart's language.
_SPOKEN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg *')]
  .flatMap(e => ['aria-label', 'aria-roledescription'].map(a => e.getAttribute(a)))
  .filter(Boolean)"""


def _chart_speaks_arabic(g: Guarded) -> None:
    g.page.wait_for_function(  # the page's script has named the chart's parts
        f"({_SPOKEN})().every(t => !/axis|legend|container/.test(t))", timeout=TIMEOUT
    )
    spoken = g.page.evaluate(_SPOKEN)
    assert len(spoken) > 10 and any(t == "محور" for t in spoken)
    english = [t for t in spoken if re.search(r"[A-Za-z]{3,}", t)]
    assert not english, english[:5]
    assert any(t.startswith("يناير 2015") for t in spoken), spoken[:8]  # a bar, by its month


def test_sign_in_in_arabic(guarded: Guarded, example_server: Server):
    g = guarded
    g.page.goto(f"{example_server.url}/account?lang=ar")
    g.page.get_by_role("heading", name="تسجيل الدخول").wait_for(timeout=TIMEOUT)
    g.page.wait_for_function("document.documentElement.dir === 'rtl'", timeout=TIMEOUT)
    assert _sidebar_on_the_right(g)
    body = g.page.inner_text("body")
    assert "دون تسجيل الدخول ترى العرض العام" in body
    assert "Sign in" not in body and "Password" not in body
    g.page.screenshot(path=str(SCREENSHOTS / "sign-in-arabic.png"))
    g.page.get_by_role("textbox", name="الاسم").fill(EDITOR_NAME)
    g.page.get_by_role("textbox", name="كلمة المرور").fill(EDITOR_PASSWORD)
    g.page.get_by_role("button", name="تسجيل الدخول").click()
    g.page.get_by_text("الخريطة").first.wait_for(timeout=TIMEOUT)  # signed in: the map
    g.page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=\"stSidebarNav\"] a')]"
        ".some(a => a.innerText.includes('إضافة أو تعديل'))",
        timeout=TIMEOUT,
    )
    assert "استيراد" in _nav(g) and "الحساب" in _nav(g)


def test_switching_language_keeps_the_view_in_the_link(guarded: Guarded, example_server: Server):
    g = guarded
    g.page.goto(f"{example_server.url}/?type=mass_grave")
    _map_ready(g)
    assert _direction(g)[0] == "ltr" and "Map" in _nav(g)
    g.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    g.page.get_by_role("option", name="العربية").click()
    g.page.wait_for_function("document.documentElement.dir === 'rtl'", timeout=TIMEOUT)
    g.page.wait_for_url(re.compile(r"lang=ar"), timeout=TIMEOUT)
    assert "type=mass_grave" in g.page.url  # the filter stays in the link
    assert "الخريطة" in _nav(g)
    shared = g.page.url
    g.page.goto("about:blank")
    g.page.goto(shared)  # the shared link reopens in Arabic, with its filter
    g.page.wait_for_function("document.documentElement.dir === 'rtl'", timeout=TIMEOUT)
    _map_ready(g)
    assert "type=mass_grave" in g.page.url and "lang=ar" in g.page.url
    g.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    g.page.get_by_role("option", name="Français").click()
    g.page.wait_for_url(re.compile(r"lang=fr"), timeout=TIMEOUT)
    g.page.wait_for_function("document.documentElement.dir === 'ltr'", timeout=TIMEOUT)
    assert "Carte" in _nav(g) and "type=mass_grave" in g.page.url


def test_back_after_a_switch_keeps_the_language_in_the_link(
    guarded: Guarded, example_server: Server
):
    """The switch is kept for the session: Back to the view before it left the page in
    Arabic but wrote its link without lang=ar, so a copied link opened in English."""
    g = guarded
    g.page.goto(f"{example_server.url}/?type=mass_grave")
    _map_ready(g)
    g.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    g.page.get_by_role("option", name="العربية").click()
    g.page.wait_for_url(re.compile(r"lang=ar"), timeout=TIMEOUT)
    idle(g)
    g.page.go_back()
    g.page.wait_for_url(re.compile(r"lang=ar"), timeout=TIMEOUT)
    idle(g)
    assert _direction(g) == ("rtl", "ar") and "الخريطة" in _nav(g)
    assert "lang=ar" in g.page.url and "type=mass_grave" in g.page.url


def _sign_in_arabic(g: Guarded, server: Server) -> None:
    g.page.goto(f"{server.url}/account?lang=ar")
    g.page.get_by_role("textbox", name="الاسم").fill(EDITOR_NAME)
    g.page.get_by_role("textbox", name="كلمة المرور").fill(EDITOR_PASSWORD)
    g.page.get_by_role("button", name="تسجيل الدخول").click()
    g.page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=\"stSidebarNav\"] a')]"
        ".some(a => a.innerText.includes('استيراد'))",
        timeout=TIMEOUT,
    )
    idle(g)  # the map reports its extent once: a click during that rerun may be lost


def test_add_or_edit_and_import_pages_in_arabic(guarded: Guarded, example_server: Server):
    g = guarded
    _sign_in_arabic(g, example_server)
    g.page.get_by_role("link", name="إضافة أو تعديل").click()
    g.page.get_by_role("heading", name="إضافة حادثة أو تعديلها").wait_for(timeout=TIMEOUT)
    g.page.get_by_text("الحقول المعلَّمة بـ * إلزامية.").wait_for(timeout=TIMEOUT)
    idle(g)  # the page drawn whole, nothing of the map page left
    assert _direction(g) == ("rtl", "ar") and _sidebar_on_the_right(g)
    words = ("النوع *", "العنوان *", "التحقق", "من يحق له رؤيتها", "حفظ")
    g.page.wait_for_function(  # the main area can be redrawn once more after a run
        "words => words.every(w => document.body.innerText.includes(w))",
        arg=words,
        timeout=TIMEOUT,
    )
    body = g.page.inner_text("body")
    g.page.get_by_label("خط العرض").first.wait_for(timeout=TIMEOUT)  # number fields' labels
    for english in ("Add or edit", "Save", "Fields marked", "Verification", "Where"):
        assert english not in body, english
    # English in a field reads left to right: its full stop stood at the line's start
    description = g.page.locator('[data-testid="stTextArea"] textarea').first
    assert description.evaluate("e => getComputedStyle(e).unicodeBidi") == "plaintext"
    g.page.screenshot(path=str(SCREENSHOTS / "add-incident-arabic.png"), full_page=True)
    g.page.get_by_role("link", name="استيراد").click()
    g.page.get_by_role("heading", name="استيراد الحوادث").wait_for(timeout=TIMEOUT)
    g.page.get_by_role("button", name="نموذج فارغ (CSV)").wait_for(timeout=TIMEOUT)
    idle(g)
    assert "Blank template" not in g.page.inner_text("body")
    assert _direction(g)[0] == "rtl"


def test_the_browsers_language_is_the_default(browser: object, example_server: Server):
    """A browser set to French opens the app in French, with no lang= in its link."""
    context = browser.new_context(locale="fr-FR")  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(f"{example_server.url}/account")
        page.get_by_role("heading", name="Se connecter").wait_for(timeout=TIMEOUT)
        page.wait_for_function("document.documentElement.lang === 'fr'", timeout=TIMEOUT)
        assert "lang=" not in page.url
    finally:
        context.close()


LATIN = re.compile(r"[A-Za-z]{2,}")
# Latin words on an Arabic page that are not interface words: the language switch names
# each language in itself, the credit line names its sources and licence, the date
# fields write a format, and Streamlit's hidden skip link and icon names (material
# ligatures) are no words anyone reads. The map's scale bar writes كم (no km, no miles).
NOT_INTERFACE = {
    "Language", "Langue", "English", "GeoNames", "CC", "BY", "Natural", "Earth", "UTC",
    "dd", "mm", "yyyy", "sha", "Skip", "to", "main", "content", "keyboard",
    "arrow", "down", "right", "left", "up", "expand", "more", "less", "close", "search",
}  # fmt: skip


def _data_words() -> set[str]:
    """Every Latin word the example's records hold, and the map's place and district names."""
    from geodata.district_names import known_names
    from incidents.maps.place_labels import label_rows

    words: set[str] = set()
    with EXAMPLE.open(encoding="utf-8") as stream:
        for row in csv.reader(stream):
            words.update(LATIN.findall(" ".join(row)))
    for _lat, _lon, name, _zoom in label_rows("LY"):
        words.update(LATIN.findall(name))
    for code in ("LY-MB", "LY-TB", "LY-JI", "LY-ZA", "LY-MI", "LY-NQ", "LY-JG", "LY-SR"):
        words.update(LATIN.findall(" ".join([code, *known_names(code)])))
    return words


def test_the_map_with_a_record_open_in_arabic(guarded: Guarded, example_server: Server):
    """A record selected, its detail panel open, the legend opened: right to left, the
    legend on the left, the map's buttons on the right, and no English word of the
    interface left anywhere on the page or on the map (record text is data)."""
    g = guarded
    g.page.goto(f"{example_server.url}/?lang=ar&sel=tarhuna-ex-001")
    _map_ready(g)
    g.page.get_by_text("المصادر").first.wait_for(timeout=TIMEOUT)  # the detail panel
    idle(g)
    assert _direction(g) == ("rtl", "ar") and _sidebar_on_the_right(g)
    frame = g.page.frame_locator(MAP).first
    frame.locator(".incident-legend summary").click()
    frame.get_by_text("نوع الحادثة").wait_for(timeout=TIMEOUT)  # the legend, open
    legend = frame.locator(".incident-legend").bounding_box()
    zoom = frame.locator(".leaflet-control-zoom").bounding_box()
    box = g.page.locator(MAP).bounding_box()
    assert legend and zoom and box
    middle = box["x"] + box["width"] / 2
    assert legend["x"] < box["x"] + 20 and zoom["x"] > middle  # legend left, buttons right
    assert frame.locator(".incident-legend").get_attribute("dir") == "rtl"
    titles = frame.locator(".leaflet-control a[title]").evaluate_all(
        "links => links.map(a => a.title)"
    )
    assert "ملء الشاشة" in titles and "التقريب إلى الحوادث" in titles and "تقريب" in titles
    scale = frame.locator(".leaflet-control-scale")
    assert re.fullmatch(r"\d+ (كم|م)", scale.inner_text().strip())  # the scale bar, in Arabic
    assert (
        scale.locator(".leaflet-control-scale-line").first.evaluate(
            "el => getComputedStyle(el).direction"
        )
        == "rtl"
    )  # read as Arabic: the number first, on the right
    shown = g.page.inner_text("body") + "\n" + frame.locator("body").inner_text()
    english = set(LATIN.findall(shown)) - _data_words() - NOT_INTERFACE
    assert not english, f"English words left on the Arabic page: {sorted(english)}"
    # each field line ("النوع: ...") starts at the right edge, its label first (they
    # stood left-aligned, labels out of line, in a walk)
    edges = g.page.locator('[data-testid="stMarkdownContainer"] div:has(> b)').evaluate_all(
        "ds => ds.map(d => [d.getBoundingClientRect().right,"
        " d.querySelector('b').getBoundingClientRect().right])"
    )
    assert len(edges) >= 4 and all(abs(line - label) < 2 for line, label in edges), edges
    g.page.screenshot(path=str(SCREENSHOTS / "map-ar-detail.png"))


def _sign_in(page: object, name: str, password: str) -> None:
    page.get_by_role("textbox", name=re.compile("^(Name|الاسم)$")).fill(name)  # type: ignore[attr-defined]
    page.get_by_role("textbox", name=re.compile("^(Password|كلمة المرور)$")).fill(password)  # type: ignore[attr-defined]
    page.get_by_role("button", name=re.compile("^(Sign in|تسجيل الدخول)$")).click()  # type: ignore[attr-defined]


def test_a_phone_in_arabic_shows_nothing_of_the_closed_sidebar(
    guarded: Guarded, example_server: Server
):
    """390x844, Arabic: the sidebar starts closed and none of it lies over the page (a
    strip of it, its words one syllable a line, covered the map's left edge and the
    legend button); opened, it is all there."""
    g = guarded
    g.page.set_viewport_size({"width": 390, "height": 844})
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    sidebar = '[data-testid="stSidebar"]'
    assert g.page.get_attribute(sidebar, "data-collapsed") == "true"
    covered = g.page.evaluate(
        """s => { const hits = [];
          for (let x = 2; x < 390; x += 12) { for (let y = 60; y < 844; y += 40) {
            const el = document.elementFromPoint(x, y);
            if (el && el.closest(s)) { hits.push([x, y]); } } }
          return hits; }""",
        sidebar,
    )
    assert covered == [], f"the closed sidebar lies over the page at {covered[:5]}"
    g.page.locator('[data-testid="stExpandSidebarButton"]').click()
    g.page.get_by_role("heading", name="عوامل التصفية").wait_for(timeout=TIMEOUT)
    g.page.wait_for_timeout(1000)  # the sidebar slides in
    g.page.screenshot(path=str(SCREENSHOTS / "phone-ar-sidebar-open.png"))


def test_the_entry_forms_map_speaks_arabic(guarded: Guarded, example_server: Server):
    """Add or edit, in Arabic, a record open: the form's small map names its buttons,
    writes its scale and credit line, and labels its towns in Arabic, as the main map
    does (it showed Zoom in, 300 km / 200 mi, the English credit and Latin town names)."""
    g = guarded
    g.page.goto(f"{example_server.url}/account?lang=ar")
    _sign_in(g.page, EDITOR_NAME, EDITOR_PASSWORD)
    g.page.get_by_role("link", name="إضافة أو تعديل").wait_for(timeout=TIMEOUT)
    g.page.goto(f"{example_server.url}/entry_page?lang=ar&id=tarhuna-ex-001")
    frame = g.page.frame_locator(MAP).first
    frame.locator(".leaflet-control-scale").wait_for(timeout=TIMEOUT)
    frame.get_by_text("ترهونة").first.wait_for(timeout=TIMEOUT)  # the town, labelled in Arabic
    g.page.wait_for_timeout(1000)
    assert re.fullmatch(r"\d+ (كم|م)", frame.locator(".leaflet-control-scale").inner_text().strip())
    titles = frame.locator(".leaflet-control a[title]").evaluate_all("a => a.map(x => x.title)")
    assert "تقريب" in titles and "Zoom in" not in titles
    assert frame.locator(".leaflet-control-attribution").inner_text().startswith("الأماكن")


@pytest.mark.parametrize(("lang", "select_all", "download"), [
    ("ar", "تحديد الكل", "تنزيل بصيغة CSV"),
    ("fr", "Tout sélectionner", "Télécharger en CSV"),
])  # fmt: skip
def test_streamlits_own_words_in_the_readers_language(
    guarded: Guarded, example_server: Server, lang: str, select_all: str, download: str
):
    """Streamlit's own words: "Select all" atop a filter's choices, the table toolbar's
    button names, the sidebar's; in Arabic and French, none left in English."""
    g = guarded
    g.page.goto(f"{example_server.url}/?lang={lang}")
    _map_ready(g)
    g.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    listbox = g.page.locator('[role="listbox"]').first
    listbox.get_by_text(select_all).wait_for(timeout=TIMEOUT)
    assert "Select all" not in listbox.inner_text()
    g.page.keyboard.press("Escape")
    names = g.page.evaluate(
        "() => [...document.querySelectorAll('[aria-label]')]"
        ".map(e => e.getAttribute('aria-label'))"
    )
    assert download in names
    english = {"Select all", "Download as CSV", "Search", "Fullscreen", "Open", "Sidebar"}
    assert not english & set(names), sorted(english & set(names))


def test_segmented_choices_are_mirrored_in_arabic(guarded: Guarded, example_server: Server):
    """The time panel's speed and step choices, right to left: the first choice stands at
    the right, with its rounded corners there, inside its row (it ran past the row's edge
    with square corners and looked cut off)."""
    g = guarded
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    groups = g.page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stButtonGroup"]')]
          .filter(group => group.querySelector('button[data-variant="segmented_control"]'))
          .map(group => {
          const buttons = [...group.querySelectorAll('button')];
          const row = buttons[0].parentElement.getBoundingClientRect();
          const first = buttons[0].getBoundingClientRect();
          const style = getComputedStyle(buttons[0]);
          return {overrun: first.right - row.right, rightmost: first.right >= Math.max(
                    ...buttons.map(b => b.getBoundingClientRect().right)),
                  rounded: [style.borderTopRightRadius, style.borderTopLeftRadius],
                  edge: style.borderRightColor}; })"""
    )
    assert len(groups) == 2  # speed and step (the year pills are round on both sides)
    for group in groups:
        assert group["overrun"] <= 0 and group["rightmost"], group
        assert group["rounded"][0] != "0px" and group["rounded"][1] == "0px", group
        assert group["edge"] != "rgba(0, 0, 0, 0)", group  # its outer edge has a border


def test_export_buttons_show_their_whole_label_in_arabic(guarded: Guarded, example_server: Server):
    """The export panel's buttons, in Arabic: each label whole, wrapped if need be (the
    GeoJSON one ended in '…' and lost its format's name)."""
    g = guarded
    g.page.set_viewport_size({"width": 1280, "height": 900})
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    g.page.get_by_text("تصدير لإحاطة").first.click()
    button = g.page.get_by_role("button", name="نظم المعلومات الجغرافية (GeoJSON)")
    button.wait_for(timeout=TIMEOUT)
    cut = g.page.evaluate(
        """() => [...document.querySelectorAll(
             '[data-testid="stDownloadButton"] button [data-testid="stMarkdownContainer"]')]
           .filter(m => m.scrollWidth > m.clientWidth + 1).map(m => m.innerText)"""
    )
    assert cut == [], f"labels cut off: {cut}"


def test_the_language_chosen_opens_the_next_sign_in(browser: object, example_server: Server):
    """Signed in, Arabic chosen in the switch, signed out; a new browser (no cookie, no
    lang= in its link, English Accept-Language) signs in and opens in Arabic. Last in
    this module: the editor's account keeps Arabic afterwards."""
    first = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    try:
        page = first.new_page()
        page.goto(f"{example_server.url}/account")
        page.get_by_role("heading", name="Sign in").wait_for(timeout=TIMEOUT)
        _sign_in(page, EDITOR_NAME, EDITOR_PASSWORD)
        page.get_by_role("link", name="Import").wait_for(timeout=TIMEOUT)  # signed in
        page.goto(f"{example_server.url}/account")
        page.get_by_role("button", name="Sign out").wait_for(timeout=TIMEOUT)
        page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
        page.get_by_role("option", name="العربية").click()
        page.wait_for_function("document.documentElement.dir === 'rtl'", timeout=TIMEOUT)
        page.get_by_role("button", name="تسجيل الخروج").click()
        page.get_by_role("heading", name="تسجيل الدخول").wait_for(timeout=TIMEOUT)
    finally:
        first.close()
    second = browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    try:
        page = second.new_page()
        page.goto(f"{example_server.url}/account")
        page.get_by_role("heading", name="Sign in").wait_for(timeout=TIMEOUT)
        page.wait_for_function("document.documentElement.dir === 'ltr'", timeout=TIMEOUT)
        _sign_in(page, EDITOR_NAME, EDITOR_PASSWORD)
        page.wait_for_function("document.documentElement.dir === 'rtl'", timeout=TIMEOUT)
        page.get_by_role("link", name="استيراد").wait_for(timeout=TIMEOUT)
        assert "lang=" not in page.url  # the account's language, not a link's
    finally:
        second.close()


def test_the_date_fields_and_calendar_in_arabic(guarded: Guarded, example_server: Server):
    """In a browser set to English, an Arabic page's date fields and calendar speak
    Arabic: Streamlit drew them from the browser's language (December, "yyyy")."""
    g = guarded
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    field = g.page.locator('[data-testid="stSidebar"] [data-testid="stDateInput"]').first
    field.scroll_into_view_if_needed()
    assert "سنة" in field.inner_text() and "yyyy" not in field.inner_text()
    # Year, month, day from the left, as every date on the page reads: Streamlit's field
    # of parts followed the page's direction, and the entry form showed "15-03-2020".
    left = field.evaluate(
        """f => ['سنة', 'شهر', 'يوم'].map(t => [...f.querySelectorAll('*')]
             .find(e => !e.children.length && e.textContent.trim() === t)
             .getBoundingClientRect().left)"""
    )
    assert left == sorted(left), left
    field.locator('[data-testid="stDateInputCalendarButton"]').click()
    calendar = g.page.get_by_role("dialog")
    calendar.wait_for(timeout=TIMEOUT)
    shown = calendar.inner_text()
    assert "يناير" in shown and "January" not in shown, shown[:200]
    assert not re.search(r"[A-Za-z]{3,}", shown.replace("Enter", "").replace("Escape", ""))
    g.page.keyboard.press("Escape")


def test_a_phone_in_arabic_opens_the_table_at_its_first_column(
    guarded: Guarded, example_server: Server
):
    """390x844, Arabic: the table is wider than the screen and its columns come right to
    left, so it opens scrolled to its right end, where the reference and title are (it
    opened at the left, on the last columns); a reader's own scroll is left alone."""
    g = guarded
    g.page.set_viewport_size({"width": 390, "height": 844})
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    table = g.page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    scroller = table.locator(".dvn-scroller").first
    g.page.wait_for_function(
        "s => s.scrollWidth > s.clientWidth + 100 && "
        "s.scrollLeft >= s.scrollWidth - s.clientWidth - 2",
        arg=scroller.element_handle(),
        timeout=TIMEOUT,
    )
    g.page.screenshot(path=str(SCREENSHOTS / "phone-ar-table.png"))
    scroller.hover()
    g.page.mouse.wheel(-300, 0)  # the reader scrolls back towards the last columns
    g.page.wait_for_timeout(1000)
    assert scroller.evaluate("s => s.scrollLeft < s.scrollWidth - s.clientWidth - 100")


def _arabic_labels() -> dict[str, list[str]]:
    """Each column's heading and longest texts as an Arabic page shows them."""
    shown = {
        "Type": [INCIDENT_TYPES.shown(c) for c in INCIDENT_TYPES.codes],
        "Location": [LOCATION_PRECISIONS.shown(c) for c in LOCATION_PRECISIONS.codes]
        + [_(NO_PLACE), _(COUNTRY_ONLY)],
        "Verification": [VERIFICATION_STATUSES.shown(c) for c in VERIFICATION_STATUSES.codes],
        "From": ["2020-12-31"],
        "To": ["2020-12-31"],
        "Ref.": ["tarhuna-ex-003"],
    }
    return {name: [_(name), *shown.get(name, [])] for name in WIDTHS_RTL}


def test_the_arabic_table_is_read_whole_at_1400_px_and_kept_at_its_start_when_narrowed(
    guarded: Guarded, example_server: Server, tmp_path: Path
):
    """1400x1500, Arabic: every column of the table in view, no sideways scroll (with the
    English widths it opened scrolled to its right end, the place out of view and the
    "To" dates half under the tick column). Narrowed to 1100 px, it scrolls again to its
    right end, where the reference and title are (it stayed put and showed its last
    columns, the reference out of view)."""
    g = guarded
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    table = g.page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    scroller = table.locator(".dvn-scroller").first
    fits = "s => s.clientWidth > 300 && s.scrollWidth <= s.clientWidth + 1"
    with contextlib.suppress(PlaywrightTimeout):  # the grid settles its widths; if not,
        g.page.wait_for_function(fits, arg=scroller.element_handle(), timeout=20_000)
    table.screenshot(path=str(tmp_path / "table-ar-1400.png"))
    wide, shown = scroller.evaluate("s => [s.scrollWidth, s.clientWidth]")
    assert wide <= shown + 1, f"the table scrolls {wide - shown} px sideways"
    headings = table.locator("thead th").all_inner_texts()  # the columns the grid draws
    assert len(headings) == 8 and {"المرجع", "المكان (المنطقة)"} <= set(headings), headings
    for column, texts in in_language("ar", _arabic_labels).items():  # each label whole
        needed = g.page.evaluate(_TEXT_WIDTH_JS, texts)
        assert needed + PADDING <= WIDTHS_RTL[column], (column, needed)
    g.page.set_viewport_size({"width": 1100, "height": 1500})
    g.page.wait_for_function(
        "s => s.scrollWidth > s.clientWidth + 100 && "
        "s.scrollLeft >= s.scrollWidth - s.clientWidth - 2",
        arg=scroller.element_handle(),
        timeout=20_000,
    )
    table.screenshot(path=str(tmp_path / "table-ar-1100.png"))
    assert "المرجع" in table.locator("thead th").all_inner_texts()


def _choose_language(g: Guarded, name: str, code: str) -> None:
    g.page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    g.page.get_by_role("option", name=name).click()
    g.page.wait_for_url(re.compile(f"lang={code}"), timeout=TIMEOUT)
    idle(g)


def test_choices_survive_a_language_switch(guarded: Guarded, example_server: Server):
    """Streamlit keeps a choice as the label the browser shows: after a switch without a
    reload, the old label came back as the value. The next click then showed an error
    (KeyError: 'Any location precision'), "Bars per" lost its choice and the link said
    bin=الشهر. Now every choice keeps its value and its new words, in any direction."""
    g = guarded
    g.page.goto(f"{example_server.url}/?type=mass_grave&bin=week")
    _map_ready(g)
    for name, code, (month, week) in (
        ("العربية", "ar", ("الشهر", "الأسبوع")),
        ("Français", "fr", ("Mois", "Semaine")),
        ("English", "en", ("Month", "Week")),
    ):
        _choose_language(g, name, code)
        bars = g.page.locator('[data-testid="stRadio"]', has_text=week).first
        assert bars.locator("input:checked").count() == 1, f"{code}: Bars per lost its choice"
        assert g.page.locator('[data-testid="stRadio"] input:checked').count() >= 3, code
        shown = g.page.evaluate(  # what each sidebar select shows as chosen
            """() => [...document.querySelectorAll(
                 '[data-testid="stSidebar"] [data-testid="stSelectbox"] input')]
               .map(i => i.value).join(' | ')"""
        )
        assert ("Any location precision" in shown) == (code == "en"), (code, shown)
        assert ("أيّ دقة الموقع" in shown) == (code == "ar"), (code, shown)
        # the next clicks (month, the default, leaves the link without bin=)
        for label, shown in ((month, "!location.search.includes('bin=')"),
                             (week, "location.search.includes('bin=week')")):  # fmt: skip
            bars.get_by_text(label, exact=True).click()
            g.page.wait_for_function(f"() => {shown}", timeout=TIMEOUT)
            idle(g)
            assert g.page.locator('[data-testid="stException"]').count() == 0, code
        query = g.page.evaluate("location.search")
        assert "type=mass_grave" in query and "lang=" + code in query, (code, query)


def _type_in_an_english_form(g: Guarded, server: Server, text: str) -> None:
    """Signed in as an editor, a record's form in English, its title typed over."""
    g.page.goto(f"{server.url}/account")
    _sign_in(g.page, EDITOR_NAME, EDITOR_PASSWORD)
    # the account may keep another language from an earlier test: the link says English
    g.page.get_by_role(
        "link", name=re.compile("^(Add or edit|إضافة أو تعديل|Ajouter ou modifier)$")
    ).wait_for(timeout=TIMEOUT)
    g.page.goto(f"{server.url}/entry_page?id=tarhuna-ex-001&lang=en")
    title = g.page.get_by_label(re.compile(r"^Title( \*)?$"))
    title.wait_for(timeout=TIMEOUT)
    idle(g)
    title.fill(text)


def test_a_switch_keeps_what_was_typed_in_the_entry_form(guarded: Guarded, example_server: Server):
    """The entry form holds typed text in the browser until it is saved: switching the
    language must not put the server's older value back over it."""
    g = guarded
    _type_in_an_english_form(g, example_server, "A title typed, not yet saved")
    g.page.keyboard.press("Tab")
    _choose_language(g, "العربية", "ar")
    typed = g.page.get_by_label(re.compile(r"^العنوان( \*)?$"))
    assert typed.input_value() == "A title typed, not yet saved"


def test_back_keeps_the_language_chosen_through_every_step(
    guarded: Guarded, example_server: Server
):
    """Tried as a reader would: English, then French, then Arabic, then Back three times.
    The first Back went to French (that entry's lang=fr), the second stayed there, the
    third dropped the filter still in French: the language moved one step and stopped.
    A language is a choice kept for the session: every Back keeps it, undoing only the
    view's own changes (here the type filter)."""
    g = guarded
    g.page.goto(f"{example_server.url}/")
    _map_ready(g)
    g.page.goto(f"{example_server.url}/?type=mass_grave")
    _map_ready(g)
    _choose_language(g, "Français", "fr")
    _choose_language(g, "العربية", "ar")
    for _step in range(2):
        g.page.go_back()
        g.page.wait_for_timeout(1500)
        idle(g)
        assert _direction(g) == ("rtl", "ar"), g.page.url
        assert "الخريطة" in _nav(g)
    assert "type=mass_grave" in g.page.url and "lang=ar" in g.page.url


def test_back_after_a_switch_still_asks_before_typed_work_is_dropped(
    guarded: Guarded, example_server: Server
):
    """Text typed, then the language switched: the form keeps the text, and Back still
    asks, in the new language, before it is dropped (the switch took the guard's extra
    history entry away, and Back left at once). Declined, the text stays; accepted,
    one Back leaves the form."""
    from test_editing_browser import Answers

    g = guarded
    _type_in_an_english_form(g, example_server, "Typed before the switch")
    g.page.keyboard.press("Tab")
    g.page.wait_for_timeout(300)
    _choose_language(g, "العربية", "ar")
    typed = g.page.get_by_label(re.compile(r"^العنوان( \*)?$"))
    assert typed.input_value() == "Typed before the switch"
    declined = Answers(g.page, accept=False)
    g.page.go_back()
    g.page.wait_for_timeout(1500)
    assert len(declined.asked) == 1, declined.asked
    assert "not saved" not in declined.asked[0][1]  # asked in Arabic
    assert typed.input_value() == "Typed before the switch"
    assert "entry_page" in g.page.url
    declined.stop()
    accepted = Answers(g.page, accept=True)
    g.page.go_back()
    g.page.wait_for_function("() => !location.pathname.includes('entry_page')", timeout=TIMEOUT)
    assert accepted.types() == ["confirm"]


def test_the_sidebar_chevrons_point_the_way_it_opens_in_arabic(
    guarded: Guarded, example_server: Server
):
    """Right to left the sidebar stands at the right: its "open" chevron pointed out of
    the page and "close" into it (tried on a phone as an Arabic reader would)."""
    g = guarded
    g.page.set_viewport_size({"width": 390, "height": 844})
    g.page.goto(f"{example_server.url}/?lang=ar")
    _map_ready(g)
    opener = g.page.locator('[data-testid="stExpandSidebarButton"]')
    mirrored = "e => getComputedStyle(e).transform.startsWith('matrix(-1')"
    assert opener.evaluate(mirrored)
    opener.click()
    closer = g.page.locator('[data-testid="stSidebarCollapseButton"] button')
    closer.wait_for(timeout=TIMEOUT)
    assert closer.evaluate(mirrored)
