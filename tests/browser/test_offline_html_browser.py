"""The offline HTML map opened in a real browser, in each direction: the facts block
(title, filters, counts, audience) and the map's zoom buttons sit in different corners
(tried as a user would: on an Arabic map the buttons covered the start of every line)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import EXAMPLE, LOADER, Guarded

from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.query import Query
from incidents.store import open_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("offline-html") / "example.gpkg")
    import_file(Path(EXAMPLE), open_store(db), LOADER)
    return db


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_facts_block_and_the_zoom_buttons_do_not_overlap(
    guarded: Guarded, example_db: str, lang: str
) -> None:
    page = run_export(open_store(example_db), LOADER, Query(), ExportRequest("html", lang=lang))
    guarded.page.set_content(page.data.decode("utf-8"))
    zoom = guarded.page.locator(".leaflet-control-zoom").first
    zoom.wait_for(timeout=30_000)
    facts = guarded.page.locator("#export-facts").bounding_box()
    buttons = zoom.bounding_box()
    assert facts and buttons
    apart = (
        facts["x"] >= buttons["x"] + buttons["width"]
        or buttons["x"] >= facts["x"] + facts["width"]
        or facts["y"] >= buttons["y"] + buttons["height"]
        or buttons["y"] >= facts["y"] + facts["height"]
    )
    assert apart, (lang, facts, buttons)
    if lang == "en":  # its title folds it away, and opens it again
        title = guarded.page.locator("#export-facts summary")
        title.click()
        folded = guarded.page.locator("#export-facts").bounding_box()
        assert folded and folded["height"] < facts["height"] / 2
        assert title.locator("span").is_visible()  # the audience stays on the folded map
        title.click()
        assert guarded.page.locator("#export-facts").bounding_box() == facts
