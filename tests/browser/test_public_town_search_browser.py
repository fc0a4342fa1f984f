"""The public's text search in a real browser finds, by the town's name in any spelling
or script, the records the public map shows at that town, and never confirms a site
the public map moved away.

The data set is the example with the town's name taken out of every id, title and
description (so only the place can find them), plus a record at a farm near Tarhuna
(built in the test's tmp dir; the bundled example is left as it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import Guarded, Server, serve
from test_search_browser import HEADLINE, TIMEOUT, _search, _shown, _wait_until

from tests.example_copies import example_rows, write_rows

pytestmark = pytest.mark.browser
_TOWN = re.compile(r"\w*tarh\w*|ترهونة", re.IGNORECASE)
SITE = "Al-Rabt farm"


def write_nameless(path: Path) -> Path:
    """The example with "the town" for Tarhuna in its words, and a farm near it."""
    rows = example_rows()
    for n, row in enumerate(rows, start=1):
        row["id"] = f"case-{n:03}"  # the example's ids name the town
        for column in ("title", "description"):
            row[column] = _TOWN.sub("the town", row[column])
    farm = dict(rows[0])
    farm.update(
        id="site-001", title="A grave at a farm", description="", place=SITE,
        latitude="32.44501", longitude="13.6232", location_precision="exact",
        location_uncertainty_km="", location_method="source",
    )  # fmt: skip
    return write_rows(path, [*rows, farm])


@pytest.fixture(scope="module")
def nameless_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("nameless")
    yield from serve(tmp, write_nameless(tmp / "nameless.csv"))


def test_the_public_finds_tarhunas_records_by_its_name_and_never_the_farm(
    guarded: Guarded, nameless_server: Server
) -> None:
    g = guarded
    g.page.goto(nameless_server.url)
    g.page.get_by_text(HEADLINE).first.wait_for(timeout=TIMEOUT)
    assert _shown(g) == 10
    for text in ("Tarhuna", "Tarhouna", "ترهونة"):
        _search(g, "no record says this")
        _wait_until(g, lambda: _shown(g) == 0)
        _search(g, text)
        _wait_until(g, lambda: _shown(g) == 9)
        assert _shown(g) == 9, text  # the nine the public map shows at Tarhuna; not the farm
    _search(g, "Rabt")
    _wait_until(g, lambda: "Rabt" in g.page.url)
    assert _shown(g) == 0  # the farm's name is never confirmed
    assert g.page.locator('[data-testid="stException"]').count() == 0
