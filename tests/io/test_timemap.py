"""Timemap JSON (Forensic Architecture / Bellingcat): every event of a real export stored."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.access import Role, Viewer
from incidents.import_read import ImportFailed
from incidents.importer import import_file
from incidents.io import geojson, timemap
from incidents.io.formats import FileUnusable, detect, read_any
from incidents.query import Query
from incidents.store.base import Store
from incidents.store.gpkg import GeoPackageStore

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
MARIUPOL = REAL / "timemap_project_mariupol_excerpt.json"
EDITOR = Viewer("test", Role.EDITOR)


def test_every_event_of_the_real_export_is_stored(store: Store) -> None:
    """On a GeoPackage in tmp_path and on PostGIS (tests/conftest.py's store)."""
    report = import_file(MARIUPOL, store, EDITOR)
    assert (report.format, report.rows_read, report.imported) == ("timemap", 22, 22)
    assert not report.rejected
    found = store.query(Query(), EDITOR).set_index("source_event_id")
    assert len(found) == 22
    frame: dict[tuple[str, str], str] = {
        (str(event), column): str(value)
        for column in found.columns
        for event, value in found[column].items()
    }
    # "11/03/2022" is timemap's month/day/year: the 3rd of November, never the 11th of March
    assert frame["timemap:CIV1612", "date_start"][:10] == "2022-11-03"
    assert frame["timemap:CIV1655", "date_start"][:10] == "2022-02-28"
    assert frame["timemap:CIV1659", "title"] == "Strikes on the nuclear power plant."
    # a full stop inside brackets does not end the first sentence
    assert frame["timemap:CIV1641", "title"].startswith(
        "[Graphic picture. Blurred body of dead woman on the ground] "
    )
    assert frame["timemap:CIV1608", "place"] == "Bohorodychne"  # "Bohorodychne\n"
    assert frame["timemap:CIV1643", "country"] == "PL"  # Przewodów, at the border
    assert frame["timemap:CIV1643", "type"] == "attack_on_civilians"
    tags = frame["timemap:CIV1659", "tags"]
    assert "Aerial and Artillery strikes targeting the civilian population" in tags


def test_sources_come_from_the_sources_block(store: Store) -> None:
    import_file(MARIUPOL, store, EDITOR)
    strikes = store.get("timemap-CIV1659", EDITOR)
    assert strikes is not None
    assert [s.url for s in strikes.sources] == [
        "https://twitter.com/michaelh992/status/1594310737006309377",
        "https://twitter.com/666_mancer/status/1594306930537005056",
        "https://twitter.com/666_mancer/status/1594260006446460929",
    ]
    # the project titles each source with its event's id: the description is the title
    assert {s.title for s in strikes.sources} == {"Strikes on the nuclear power plant."}
    hidden = store.get("timemap-CIV1648", EDITOR)
    assert hidden is not None
    assert [(s.title, s.url) for s in hidden.sources] == [("Source hidden", "")]
    przewodow = store.get("timemap-CIV1643", EDITOR)
    assert przewodow is not None and len(przewodow.sources) == 6


def test_a_source_titled_with_another_event_is_reported() -> None:
    """CIV1608 cites src64 and src65, whose titles name event LEIL8M: said, not hidden."""
    table = read_any(MARIUPOL)
    assert detect(table) is timemap
    notes = [n for n in table.notes if "CIV1608" in n]
    assert len(notes) == 1
    assert "src64 (LEIL8M)" in notes[0] and "src65 (LEIL8M)" in notes[0]
    assert len(table.notes) == 1


def test_a_list_of_events_with_inline_sources_and_filters(tmp_path: Path, store: Store) -> None:
    """Bellingcat's layout: a bare list, sources as objects, filters as {key, value}."""
    document = json.loads(MARIUPOL.read_text(encoding="utf-8"))
    names = {a["id"]: a["title"][0] for a in document["Associations"]}
    events = []
    for original in document["Events"]:
        event = dict(original)
        event["sources"] = [document["Sources"][s] for s in event["sources"]]
        event["filters"] = [{"key": "Category", "value": names[a]} for a in event["associations"]]
        del event["associations"]
        events.append(event)
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events), encoding="utf-8")
    report = import_file(path, store, EDITOR)
    assert (report.format, report.imported, len(report.rejected)) == ("timemap", 22, 0)
    strikes = store.get("timemap-CIV1659", EDITOR)
    assert strikes is not None and len(strikes.sources) == 3
    assert "Category: Aerial and Artillery strikes" in "; ".join(strikes.tags)


def test_geojson_named_json_keeps_its_reader(tmp_path: Path) -> None:
    data = (REAL / "lebanon_fires_2019_arabic_excerpt.geojson").read_bytes()
    path = tmp_path / "fires.json"
    path.write_bytes(data)
    assert not timemap.is_timemap(geojson.load(data, path.name))
    table = read_any(path)
    assert "timemap_sources" not in table.header and "place name" in table.header


@pytest.mark.parametrize(
    ("text", "iso"),
    [("11/03/2022", "2022-11-03"), ("2/28/2022", "2022-02-28"), ("2022-11-03", "2022-11-03")],
)
def test_us_dates(text: str, iso: str) -> None:
    assert timemap.us_date(text) == iso


def test_a_column_map_is_honoured() -> None:
    """--map location=description style: a column put in the field the user names."""
    table = read_any(MARIUPOL)
    rows = dict(timemap.raw_rows(table, {"location": "admin1", "id": "title"}))
    assert rows[21]["admin1"] == "Bohorodychne" and rows[21]["title"] == "CIV1608"
    with pytest.raises(FileUnusable, match="'place' that the events do not have"):
        list(timemap.raw_rows(table, {"place": "admin1"}))
    with pytest.raises(FileUnusable, match="'where', which is not a field"):
        list(timemap.raw_rows(table, {"location": "where"}))


def test_a_day_first_project_is_read_day_first(tmp_path: Path) -> None:
    """Timemap projects may configure DD/MM/YYYY: one date that can only be day first
    (25/03/2022) makes the whole file day first, and the notes say so."""
    document = json.loads(MARIUPOL.read_text(encoding="utf-8"))
    for event in document["Events"]:  # the real dates, written day first
        month, day, year = event["date"].split("/")
        event["date"] = f"{day}/{month}/{year}"
    path = tmp_path / "day_first.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    table = read_any(path)
    rows = dict(timemap.raw_rows(table))
    dates = {row["source_event_id"]: row["date_start"] for row in rows.values()}
    assert dates["timemap:CIV1612"] == "2022-11-03"  # written 03/11/2022
    assert dates["timemap:CIV1659"] == "2022-11-20"  # written 20/11/2022
    assert any("day/month/year (as 20/11/2022 must be)" in note for note in table.notes)


JSON = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
KEYS = st.sampled_from(
    [
        *["id", "date", "time", "latitude", "longitude", "location", "title"],
        *["description", "sources", "filters", "associations", "country"],
    ]
)


@settings(deadline=None, max_examples=40)
@given(
    events=st.lists(st.dictionaries(KEYS, JSON, max_size=8), min_size=1, max_size=4),
    sources=st.dictionaries(st.text(max_size=6), JSON, max_size=3) | JSON,
)
def test_odd_events_are_a_sentence_or_rows_accounted(events: list[Any], sources: Any) -> None:
    """Whatever an event holds, the import never fails with a trace: every row is
    imported or rejected with its reason, or the file is refused in one sentence."""
    for event in events:
        event.setdefault("date", "11/03/2022")
        event.setdefault("location", "")
    data = json.dumps({"events": events, "sources": sources}).encode()
    with tempfile.TemporaryDirectory() as folder:
        store = GeoPackageStore(Path(folder) / "s.gpkg")
        try:
            report = import_file("odd.json", store, EDITOR, data=data, name="odd.json")
        except ImportFailed as refused:
            assert str(refused) and "Traceback" not in str(refused)
            assert "unexpected" not in str(refused)
            return
    assert report.rows_read == len(events) and report.accounted, report.lines()
