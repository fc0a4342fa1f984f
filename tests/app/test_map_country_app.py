"""The map page draws the country its incidents are in: a store of Afghan incidents (a
real ACLED export) lists Afghanistan's districts, not Libya's, and the map's
outlines, town names and start view are Afghanistan's (tried as a user would:
imported, then the map opened with no option)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.store import open_store
from tests.app.conftest import point_app_at

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
AFGHANISTAN = ROOT / "tests" / "fixtures" / "real" / "acled_2020_export_afghanistan.csv"


@pytest.fixture
def afghan_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = str(tmp_path / "af.gpkg")
    assert import_file(AFGHANISTAN, open_store(path), Viewer("t", Role.EDITOR)).imported == 28
    return point_app_at(path, tmp_path, monkeypatch)


def _map_page(layer: str) -> AppTest:
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["layer"] = layer
    at.run()
    at.session_state["_whole_page"] = True
    at.run()
    assert not at.exception
    return at


def _map_html(at: AppTest) -> str:
    """The streamlit-folium component's arguments (the map's script) as text."""

    def walk(node: object) -> list[str]:
        proto = getattr(node, "proto", None)
        found = [proto.json_args] if type(proto).__name__ == "ComponentInstance" else []
        children = getattr(node, "children", None)
        for child in children.values() if isinstance(children, dict) else ():
            found += walk(child)
        return found

    scripts = [s for s in walk(at._tree) if "L.map(" in s]
    assert scripts, "no map component on the page"
    return scripts[0]


def test_the_district_list_is_afghanistans(afghan_db: str) -> None:
    at = _map_page("districts")
    frame = next(d.value for d in at.dataframe if "District" in d.value.columns)
    names = " ".join(map(str, frame["District"]))
    assert "Balkh" in names or "Kabul" in names
    assert "Murqub" not in names and "Tripoli" not in names


def test_the_map_draws_afghanistan(afghan_db: str) -> None:
    html = _map_html(_map_page("points"))
    assert "Kabul" in html  # a town name of the data's country
    assert "Tarhuna" not in html and "Misrata" not in html


@pytest.fixture
def two_country_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = str(tmp_path / "two.gpkg")
    for source in (AFGHANISTAN, ROOT / "data" / "examples" / "tarhuna.csv"):
        assert import_file(source, open_store(path), Viewer("t", Role.EDITOR)).imported
    return point_app_at(path, tmp_path, monkeypatch)


def test_two_countries_both_get_outlines_and_towns(two_country_db: str) -> None:
    """28 Afghan incidents and 9 in Tarhuna: Libya's incidents are not drawn on blank
    sea (found in a browser walk): both countries' towns are named."""
    html = _map_html(_map_page("points"))
    assert "Kabul" in html and "Benghazi" in html  # no incident names either town


def test_two_countries_both_get_district_totals(two_country_db: str) -> None:
    at = _map_page("districts")
    html = _map_html(at)
    assert "Balkh" in html and "Murqub" in html  # both countries' districts are shaded
