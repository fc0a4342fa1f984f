"""The public sees a Tarhuna incident at Tarhuna, and never an exact site, on every path.

Both stores, the default rules (the town a record names, else a grid cell, the
district centre for records known only to it): the example's nine Tarhuna records,
one exact site in Tarhuna named "Tarhuna" and one exact site outside any town. Every
way the public reads points (rows, a limited read, rows by fid, the detail record,
the column index, the SQL grid, boxes, CSV and GeoJSON exports) gives Tarhuna's
gazetteer point for the Tarhuna records and a grid cell's centre for the other site,
and no exact coordinate. The canary tests (test_roles_outputs.py, every role and
output) run under these rules too.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import numpy as np
import pytest

from geodata import geocode
from incidents.access import PUBLIC, PublicRules
from incidents.export.placement_words import basis_words
from incidents.export.service import ExportRequest, run_export
from incidents.importer import import_file
from incidents.public_place import snap_to_grid
from incidents.query import Query
from incidents.record import Incident
from incidents.store.base import Store
from incidents.store.column_load import build_index
from incidents.store.record_store import RecordStore
from tests.conftest import EDITOR, EXAMPLE
from tests.sql_oracles import SqlSummaries

TARHUNA = geocode("Tarhuna", "LY").best
SITE_T = (32.45123, 13.65987)  # a site in Tarhuna, about 3 km from its gazetteer point
SITE_F = (32.61234, 13.21987)  # a farm far from any town


def _record(letter: str, site: tuple[float, float], place: str) -> Incident:
    return Incident(
        id=f"syn-town-{letter}", type="killing", title=f"Town rule {letter}",
        date_start=date(2020, 6, 5), date_end=date(2020, 6, 5), place=place, country="LY",
        admin1="Murqub", admin1_code="LY-MB", latitude=site[0], longitude=site[1],
        location_precision="exact", sensitivity="public",
    )  # fmt: skip


@pytest.fixture
def filled(store: Store) -> RecordStore:
    assert isinstance(store, RecordStore)
    assert import_file(EXAMPLE, store, EDITOR).accounted
    store.write_batch(
        [_record("t", SITE_T, "Tarhuna"), _record("f", SITE_F, "the farm on the Bani Walid road")],
        EDITOR,
    )
    return store


def _exact_texts() -> list[str]:
    return [f"{v:.3f}" for v in (*SITE_T, *SITE_F)]


def _farm_cell() -> tuple[float, float]:
    lat, lon = snap_to_grid(np.array([SITE_F[0]]), np.array([SITE_F[1]]), PublicRules().cell_km)
    return float(lat[0]), float(lon[0])


def test_the_public_point_of_a_tarhuna_incident_is_tarhunas(filled: RecordStore) -> None:
    assert TARHUNA is not None
    town = (TARHUNA.lat, TARHUNA.lon)
    rows = filled.query(Query(), PUBLIC)
    assert len(rows) == 11
    tarhuna = rows[rows["id"] != "syn-town-f"]
    assert set(zip(tarhuna["latitude"], tarhuna["longitude"], strict=True)) == {town}
    assert set(tarhuna["location_precision"]) == {"town"} and set(tarhuna["place"]) == {"Tarhuna"}
    farm = rows[rows["id"] == "syn-town-f"].iloc[0]
    assert (farm["latitude"], farm["longitude"]) == pytest.approx(_farm_cell())
    assert farm["place"] == "" and farm["location_precision"] == "approximate"
    detail = filled.get("syn-town-t", PUBLIC)
    assert detail is not None and (detail.latitude, detail.longitude) == town
    rules = filled.public_rules
    assert basis_words(detail.location_precision, detail.place, rules) == (
        "shown at the town of Tarhuna"
    )
    assert basis_words("approximate", "", rules) == "shown at the centre of a 10 km square"
    assert basis_words("district", "", rules) == "shown at the district centre"


def test_no_public_path_gives_an_exact_site(filled: RecordStore) -> None:
    assert TARHUNA is not None
    allowed = [(TARHUNA.lat, TARHUNA.lon), _farm_cell()]
    index = build_index(filled, PUBLIC)
    columns = ["id", "latitude", "longitude"]
    frames = [
        filled.query(Query(), PUBLIC, columns),
        filled.query(Query(), PUBLIC, columns, limit=50),
        filled.rows_for([int(f) for f in index.fid], PUBLIC, columns),
        SqlSummaries(filled).point_counts(Query(), PUBLIC, 0.5),
        index.point_counts(Query(), 0.5),
    ]
    found = [
        (float(a), float(b))
        for f in frames
        for a, b in zip(f["latitude"], f["longitude"], strict=True)
    ]
    found += list(zip(index.lat.tolist(), index.lon.tolist(), strict=True))
    assert len(found) > 11
    for point in found:
        assert any(point == pytest.approx(q, abs=1e-9) for q in allowed), point
    assert int(frames[3]["n"].sum()) == 11 == int(frames[4]["n"].sum())
    for fmt in ("csv", "geojson"):
        text = run_export(filled, PUBLIC, Query(), ExportRequest(fmt)).data.decode("utf-8")
        assert not [t for t in _exact_texts() if t in text], fmt
        if fmt == "geojson":
            features = json.loads(text)["features"]
            points = {tuple(f["geometry"]["coordinates"]) for f in features}
            assert points == {(TARHUNA.lon, TARHUNA.lat), allowed[1][::-1]}


def test_a_box_acts_on_the_public_point(filled: RecordStore) -> None:
    """A tight box around the exact sites finds nothing for the public; one around the
    town finds every Tarhuna record, in SQL and in the column index alike."""
    assert TARHUNA is not None
    index = build_index(filled, PUBLIC)
    for lat, lon in (SITE_T, SITE_F):
        box = Query(bbox=(lon - 0.005, lat - 0.005, lon + 0.005, lat + 0.005))
        assert filled.count(box, EDITOR) == 1
        assert filled.count(box, PUBLIC) == 0 == index.count(box)
        assert SqlSummaries(filled).point_counts(box, PUBLIC, 0.1).empty
    town = Query(
        bbox=(TARHUNA.lon - 0.01, TARHUNA.lat - 0.01, TARHUNA.lon + 0.01, TARHUNA.lat + 0.01)
    )
    assert filled.count(town, PUBLIC) == 10 == index.count(town) == len(filled.query(town, PUBLIC))


def test_the_public_slides_say_where_places_are_shown(filled: RecordStore) -> None:
    """The title slide's notes say which coarsening applies, in words; every slide's
    footer names the rule."""
    data = run_export(filled, PUBLIC, Query(), ExportRequest("pptx")).data
    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        title = deck.read("ppt/slides/slide1.xml").decode("utf-8")
        notes = deck.read("ppt/notesSlides/notesSlide1.xml").decode("utf-8")
    assert "10 shown at the town of Tarhuna" in notes
    assert "1 shown at the centre of a 10 km square" in notes
    assert "places shown at their town, a grid square or the district centre" in title
