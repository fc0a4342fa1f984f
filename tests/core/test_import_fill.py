"""Values for every row, and what the report says of rows that leave who may see them
unsaid (incidents/import_fill.py)."""

from __future__ import annotations

from pathlib import Path

from incidents.import_fill import audience_note
from incidents.importer import ImportOptions, import_file
from tests.conftest import EDITOR, ROOT

UNMISS = ROOT / "tests" / "fixtures" / "real" / "unmiss_incidents_osm_excerpt.geojson"


def test_rows_that_do_not_say_who_may_see_them_are_counted() -> None:
    assert audience_note({"sensitivity": ["public", "", None]}, 3)
    assert "2 rows" in (audience_note({"sensitivity": ["public", "", None]}, 3) or "")
    assert audience_note({}, 4) and "4 rows" in (audience_note({}, 4) or "")
    assert audience_note({"sensitivity": ["public", "restricted"]}, 2) is None


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
