"""Values for every row, and what the report says of rows that leave who may see them
unsaid (incidents/import_fill.py)."""

from __future__ import annotations

from pathlib import Path

from incidents.import_fill import audience_note
from incidents.import_read import ImportOptions
from incidents.importer import import_file
from tests.conftest import EDITOR, ROOT

UNMISS = ROOT / "tests" / "fixtures" / "real" / "unmiss_incidents_osm_excerpt.geojson"


def test_rows_that_do_not_say_who_may_see_them_are_counted() -> None:
    mixed = {"sensitivity": ["public", "", None]}
    assert "2 rows" in (audience_note(mixed, [0, 1, 2]) or "")
    assert "1 row " in (audience_note(mixed, [0, 2]) or "")  # only the new records' rows
    assert "4 rows" in (audience_note({}, range(4)) or "")
    assert audience_note({"sensitivity": ["public", "restricted"]}, [0, 1]) is None
    assert audience_note(mixed, []) is None  # no new record: nothing stored Restricted


def test_rows_that_update_stored_records_are_not_counted_as_new(gpkg_store, tmp_path) -> None:
    """Tried as a new user would: a GeoJSON imported again, one feature added, said "5
    rows ... as new records they are stored Restricted" though four records were only
    updated and kept who may see them. Only the new record is counted."""
    import json

    document = json.loads(UNMISS.read_text(encoding="utf-8"))
    import_file(UNMISS, gpkg_store, EDITOR)
    first = document["features"][0]
    added = json.loads(json.dumps(first).replace(first["properties"]["id"], "added-later"))
    document["features"].append(added)
    again = tmp_path / "again.geojson"
    again.write_text(json.dumps(document), encoding="utf-8")
    report = import_file(again, gpkg_store, EDITOR)
    assert report.imported == 1
    notes = [n for n in report.notes if "who may see" in n]
    assert len(notes) == 1 and notes[0].startswith("1 row does not say who may see it")


def test_the_report_of_a_real_geojson_file_says_its_rows_are_restricted(gpkg_store) -> None:
    """The UNMISS GeoJSON says nothing of its audience: its four incidents were stored
    Restricted and left out of every public export, and the report did not say so."""
    report = import_file(UNMISS, gpkg_store, EDITOR)
    assert any("4 rows do not say who may see them" in n for n in report.notes)
    given = import_file(UNMISS, gpkg_store, EDITOR, ImportOptions(fixed={"sensitivity": "public"}))
    assert not any("who may see" in n for n in given.notes)
    assert given.updated == given.unchanged == 4  # stored records keep theirs (import_keep)


def test_a_file_that_says_it_has_no_note(gpkg_store, tmp_path: Path) -> None:
    from tests.conftest import EXAMPLE

    assert not any("who may see" in n for n in import_file(EXAMPLE, gpkg_store, EDITOR).notes)
