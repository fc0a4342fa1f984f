"""The interface in Arabic in a real browser: right to left with the sidebar on the
right, Arabic navigation and sign-in, and the language kept in the link when switched.

Screenshots of the Arabic map page and sign-in are written to docs/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from browser_support import EDITOR_NAME, EDITOR_PASSWORD, SCREENSHOTS, Guarded, Server, idle

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
    g.page.screenshot(path=str(SCREENSHOTS / "map-arabic.png"))


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
