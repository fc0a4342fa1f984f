"""Template syntax in a record, as a visitor and an editor see the real app in Chromium.

A title holding "{% raw %}" once made every address of a public instance show a Jinja
traceback, and "{{ 7*7 }}" became 49 on the server. Here the page as served must show
the title literally in the detail panel and in the map's tooltips, with no error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.access import Role
from incidents.auth.accounts import Accounts
from incidents.store.gpkg import GeoPackageStore
from tests.browser.browser_support import CHROMIUM
from tests.conftest import EDITOR
from tests.security.test_browser_access import (
    PASSWORD,
    Instance,
    Visit,
    app,
    synthetic,
)

pytestmark = pytest.mark.browser
TITLE = "SSTI {{ 7*7 }} end {% raw %} {# open"
PLACE = "{{ lipsum.__globals__ }} place"


@pytest.fixture(scope="module")
def template_instance(tmp_path_factory: pytest.TempPathFactory) -> Instance:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/system_packages.sh)")
    folder = tmp_path_factory.mktemp("browser-ssti")
    store = GeoPackageStore(folder / "incidents.gpkg")
    hostile = synthetic(1, title=TITLE, place=PLACE, description=TITLE)
    elsewhere = synthetic(2, latitude=32.1167, longitude=20.0667, admin1="Benghazi",
                          admin1_code="LY-BA")  # fmt: skip
    store.write_batch([hostile, elsewhere], EDITOR)  # two, apart: "incidents shown"
    users = folder / "users.sqlite"
    Accounts(users).add("eddie", Role.EDITOR, PASSWORD)
    return Instance(folder / "incidents.gpkg", users)


def _tooltips(visit: Visit) -> str:
    """Hover each marker in the map frame; the tooltips' text as the browser drew it."""
    frame = visit.map_frame()
    markers = frame.locator(".leaflet-marker-icon")  # type: ignore[attr-defined]
    markers.first.wait_for(timeout=30_000)
    for i in range(markers.count()):
        markers.nth(i).hover(timeout=5_000)
    return str(frame.evaluate("() => document.body.innerText"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["public", "private"])
def test_template_syntax_in_a_title_is_shown_as_written(template_instance, browser, mode):
    with app(template_instance, mode) as base:
        visit = Visit(browser)
        opened = "incidents shown" if mode == "public" else "This instance is private"
        visit.open(f"{base}/?sel=syn-b1", opened)
        if mode == "private":
            visit.sign_in("eddie")
        page = visit.page
        page.get_by_text("SSTI {{ 7*7 }} end", exact=False).first.wait_for(timeout=30_000)
        body = page.inner_text("body")
        assert "SSTI 49" not in body and "TemplateSyntaxError" not in body
        assert "Traceback" not in body
        tips = _tooltips(visit)
        assert "SSTI {{ 7*7 }} end" in tips and "SSTI 49" not in tips
        visit.close()
