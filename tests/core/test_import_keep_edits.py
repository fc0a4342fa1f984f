"""A re-import leaves what staff changed in the app since the last import where the
file says what that import said (import_keep.edits_to_keep, store/import_bases.py), on
both stores. Tried as an editor
would: the example imported, a description corrected in the app, the same file imported
again: the correction was gone and nothing said so."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from incidents.import_keep import edits_to_keep, with_edits
from incidents.importer import import_file
from incidents.record import Incident
from incidents.store.base import Store
from tests.conftest import EDITOR, EXAMPLE

FIRST = "tarhuna-ex-001"


def _example_with(tmp_path: Path, changes: dict[str, dict[str, str]]) -> Path:
    """The example file with some cells changed (id -> column -> value)."""
    with EXAMPLE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row.update(changes.get(row["id"], {}))
    path = tmp_path / "again.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _corrected(store: Store) -> Incident:
    import_file(EXAMPLE, store, EDITOR)
    record = store.get(FIRST, EDITOR)
    assert record is not None
    store.save(record.replace(description="Corrected in the app.", killed_best=7), EDITOR)
    return record


def test_the_same_file_again_leaves_the_correction(store: Store) -> None:
    _corrected(store)
    report = import_file(EXAMPLE, store, EDITOR)
    again = store.get(FIRST, EDITOR)
    assert again and (again.description, again.killed_best) == ("Corrected in the app.", 7)
    assert report.unchanged == 9
    assert report.edits_kept == [(2, FIRST, ("killed_best", "description"), ())]
    said = "\n".join(report.lines())
    assert "1 record was changed in the app after it was last imported" in said
    assert "row 2" not in said  # the file changed none of it
    assert "description (1)" in said


def test_a_file_changing_another_field_changes_it_and_keeps_the_correction(
    store: Store, tmp_path: Path
) -> None:
    old = _corrected(store)
    path = _example_with(tmp_path, {FIRST: {"title": "Renamed by the source"}})
    report = import_file(path, store, EDITOR)
    again = store.get(FIRST, EDITOR)
    assert again and again.title == "Renamed by the source"
    assert again.description == "Corrected in the app." and again.version == old.version + 2
    assert (report.changed, report.edits_kept[0][3]) == (1, ())


def test_a_file_changing_the_corrected_field_too_is_taken_and_named(
    store: Store, tmp_path: Path
) -> None:
    """News from the source (a sheet of corrections, a revised export) is taken even
    over an edit; the report names the row, and the history keeps the app's value."""
    _corrected(store)
    changes = {FIRST: {"description": "The source's revision."}}
    report = import_file(_example_with(tmp_path, changes), store, EDITOR)
    again = store.get(FIRST, EDITOR)
    assert again and (again.description, again.killed_best) == ("The source's revision.", 7)
    assert report.edits_kept == [(2, FIRST, ("killed_best", "description"), ("description",))]
    said = "\n".join(report.lines())
    assert f"row 2 ({FIRST}): the file changes description, changed in the app too" in said
    history = [e.after or "" for e in store.history(FIRST, EDITOR)]
    assert any("Corrected in the app." in text for text in history)


def test_a_record_no_import_wrote_takes_the_file(store: Store) -> None:
    """Made in the app first, then found in a file: there is no import to compare with,
    so the file's row is the update, as before."""
    made = Incident(FIRST, "killing", "Made in the app", date(2020, 6, 1), date(2020, 6, 1))
    store.save(made, EDITOR)
    report = import_file(EXAMPLE, store, EDITOR)
    again = store.get(FIRST, EDITOR)
    assert again and again.title != "Made in the app" and report.edits_kept == []


def test_a_place_is_kept_whole_and_older_content_counts_as_not_edited() -> None:
    day = date(2020, 6, 1)
    base = Incident("a", "killing", "t", day, day, place="Tarhuna", latitude=32.4, longitude=13.6)
    stored = base.replace(place="Tarhuna, the farm", latitude=32.41)
    row = base.replace(longitude=13.7, description="new")
    edits = edits_to_keep(base.content(), stored, row)
    assert edits.kept == () and edits.edited == edits.both == ("latitude", "place")
    unmoved = base.replace(description="new")  # the file's place is the import's
    edits = edits_to_keep(base.content(), stored, unmoved)
    assert {"place", "latitude", "longitude", "admin1"} <= set(edits.kept) and not edits.both
    merged = with_edits(unmoved, stored, edits.kept)
    assert (merged.place, merged.latitude, merged.longitude) == ("Tarhuna, the farm", 32.41, 13.6)
    assert merged.description == "new"
    older = {k: v for k, v in base.content().items() if k not in ("place", "latitude")}
    assert edits_to_keep(older, stored, row).kept == ()


def test_check_only_says_it_before_anything_is_written(store: Store, tmp_path: Path) -> None:
    from incidents.importer import ImportOptions

    _corrected(store)
    changes = {FIRST: {"description": "The source's revision."}}
    path = _example_with(tmp_path, changes)
    report = import_file(path, store, EDITOR, ImportOptions(dry_run=True))
    assert report.edits_kept == [(2, FIRST, ("killed_best", "description"), ("description",))]
    said = "\n".join(report.lines())
    assert "where the file says what that import said, the changes stay: " in said
    again = store.get(FIRST, EDITOR)
    assert again and again.description == "Corrected in the app."  # nothing written
    assert report.edits_kept == import_file(path, store, EDITOR).edits_kept  # as it does
