"""The map's first extent is kept per viewer: after a sign-out in the same tab (which
keeps the session), the public map neither opens on nor carries in its page the staff
map's extent, whose corners are the outermost records' exact points, restricted ones
included."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from incidents.access import PUBLIC
from incidents.importer import import_file
from incidents.record import Incident, Source
from incidents.store import open_store
from tests.app.conftest import EDITOR, EXAMPLE, ROOT, point_app_at

MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
SECRET_LAT, SECRET_LON = 24.123456, 23.287654  # far south of Tarhuna: bounds the extent


def _secret() -> Incident:
    return Incident(
        id="secret-site", type="killing", title="restricted", date_start=date(2020, 3, 1),
        date_end=date(2020, 3, 1), country="LY", latitude=SECRET_LAT, longitude=SECRET_LON,
        location_precision="exact", sensitivity="restricted", verification="reported",
        sources=(Source("s", "p", "2020-03-02"),),
    )  # fmt: skip


def _extent(at: AppTest) -> list[list[float]]:
    """The kept start's extent: (viewer's key, (center, zoom, extent))."""
    kept = at.session_state["_map_start"]
    return kept[1][2] if isinstance(kept[0], str) else kept[2]


def _map_html(at: AppTest) -> str:
    return " ".join(str(el.proto) for el in at.get("iframe") or [])


def test_a_signed_out_tab_does_not_open_the_public_map_on_the_staff_extent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "x.gpkg")
    store = open_store(path)
    import_file(EXAMPLE, store, EDITOR)
    store.write_batch([_secret()], EDITOR)
    point_app_at(path, tmp_path, monkeypatch)
    from app_pages import common

    who = {"viewer": EDITOR}
    monkeypatch.setattr(common, "viewer", lambda: who["viewer"])
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.run()
    assert not at.exception
    staff_extent = _extent(at)
    assert staff_extent[0][0] < 24.2  # the staff map fits the restricted site too
    who["viewer"] = PUBLIC  # signed out: the same session now reads as the public
    at.run()
    assert not at.exception
    public_extent = _extent(at)
    assert public_extent[0][0] > 30  # only the public's records, all near Tarhuna
    page = str(at.session_state["_map_start"]) + _map_html(at)
    assert "24.12346" not in page and "23.28765" not in page
