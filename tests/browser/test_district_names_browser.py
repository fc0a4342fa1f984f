"""One name per district in a real browser: a file that spells the district its own way
("Al Marqab (LY-MB)") is shown with the district's one name (Murqub, شعبية المرقب on an
Arabic page) in the table and the detail panel, as the filter and the map name it; the
district filter finds it by any of its names, in either script.

The data set is the example with its district spelled as a GeoNames export spells it
(built in the test's tmp dir; the bundled example is left as it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import Guarded, Server, drawn_table, serve
from test_app_browser import MAP, TIMEOUT, _no_exception, _open

from tests.example_copies import FILE_SPELLING, write_marqab

pytestmark = pytest.mark.browser
_CELLS = "t => [...t.querySelectorAll('tbody td')].map(td => td.textContent)"


@pytest.fixture(scope="module")
def marqab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("marqab")
    yield from serve(tmp, write_marqab(tmp / "marqab.csv"))


def _cells(g: Guarded) -> list[str]:
    """Every cell the table has drawn."""
    return [str(c) for c in drawn_table(g, _CELLS)]


@pytest.mark.parametrize(
    ("query", "place", "label"),
    [("", "Tarhuna (Murqub)", "Murqub (LY-MB)"),
     ("lang=ar&", "ترهونة (شعبية المرقب)", "شعبية المرقب (LY-MB)")],  # the town as the map names it
)  # fmt: skip
def test_the_table_and_panel_name_the_district_once_whatever_the_file_wrote(
    guarded: Guarded, marqab_server: Server, query: str, place: str, label: str
) -> None:
    guarded.page.set_viewport_size({"width": 1920, "height": 1200})  # every column drawn
    guarded.page.goto(f"{marqab_server.url}/?{query}sel=tarhuna-ex-002")
    guarded.page.frame_locator(MAP).first.locator(".leaflet-interactive").first.wait_for(
        timeout=TIMEOUT
    )
    guarded.page.wait_for_timeout(2500)  # the map reports its view once: let that rerun end
    cells = _cells(guarded)
    assert place in cells, " | ".join(cells)
    assert not [c for c in cells if "Marqab" in c], cells  # the file's spelling is not shown
    guarded.page.get_by_text(label, exact=True).first.wait_for(timeout=TIMEOUT)  # the panel
    assert guarded.page.get_by_text(FILE_SPELLING).count() == 0
    _no_exception(guarded)


@pytest.mark.parametrize("typed", ["Marqab", "Murqub", "المرقب"])
def test_any_known_name_finds_the_district_in_the_filter(
    guarded: Guarded, marqab_server: Server, typed: str
) -> None:
    _open(guarded, marqab_server)
    box = guarded.page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="District")
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially(typed, delay=50)
    option = guarded.page.get_by_role("option", name=re.compile(r"^Murqub \(LY-MB\)"))
    option.first.wait_for(timeout=TIMEOUT)
    option.first.click()
    guarded.page.wait_for_function("() => location.search.includes('LY-MB')", timeout=TIMEOUT)
    guarded.page.get_by_text("9 incidents shown of 9").first.wait_for(timeout=TIMEOUT)
    _no_exception(guarded)
