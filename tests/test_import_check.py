"""A check-only import says which rows match deleted records, and what the import will
do with them (leave them deleted), before anything is written: they are not "new"."""

from __future__ import annotations

from pathlib import Path

from incidents.import_read import ImportOptions
from incidents.importer import import_file
from incidents.query import Query
from incidents.store.base import Store
from tests.conftest import ADMIN, EDITOR

ROWS = (
    "id,source_event_id,type,title,date_start,place,country,latitude,longitude\n"
    "r-1,,killing,First,2020-06-09,Tarhuna,LY,32.4291,13.6288\n"
    ",EV-2,killing,Second,2020-06-10,Tarhuna,LY,32.4291,13.6288\n"
    "r-3,,killing,Third,2020-06-11,Tarhuna,LY,32.4291,13.6288\n"
    "r-4,,killing,Fourth,2020-06-12,Tarhuna,LY,32.4291,13.6288\n"
)
CHECK = ImportOptions(dry_run=True)


def _file(tmp_path: Path, text: str = ROWS) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_check_counts_rows_of_deleted_records_apart_as_the_import_does(
    store: Store, tmp_path: Path
) -> None:
    path = _file(tmp_path, ROWS.rsplit("r-4", 1)[0].rstrip("\n") + "\n")  # rows 2 to 4
    assert import_file(path, store, EDITOR).imported == 3
    second = store.query(Query(text="Second"), EDITOR)["id"][0]
    store.bulk_delete(["r-1", second], "not ours", EDITOR)
    check = import_file(_file(tmp_path), store, EDITOR, CHECK)
    assert (check.imported, check.updated, check.deleted) == (1, 1, 2) and check.accounted
    assert ("deleted records", 2) in check.counts() and ("new", 1) in check.counts()
    lines = check.lines()
    assert (
        "  2 rows match deleted records: the import will leave them deleted (restore them "
        "from the deleted records to bring them back)"
    ) in lines
    assert "  row 2: matches deleted record r-1" in lines
    assert f"  row 3: matches deleted record {second}" in lines  # by its source event id
    assert store.count(Query(), ADMIN) == 1  # nothing written
    real = import_file(_file(tmp_path), store, EDITOR)
    assert (real.imported, real.deleted) == (check.imported, check.deleted)
    assert real.deleted_rows == check.deleted_rows


def test_a_restored_or_remade_record_is_no_longer_a_deleted_one(
    store: Store, tmp_path: Path
) -> None:
    assert import_file(_file(tmp_path), store, EDITOR).imported == 4
    store.bulk_delete(["r-1", "r-3"], "not ours", EDITOR)
    store.restore("r-1", EDITOR)
    check = import_file(_file(tmp_path), store, EDITOR, CHECK)
    assert (check.imported, check.updated, check.deleted) == (0, 3, 1)
    assert check.deleted_rows == [(4, "r-3")]
    assert "  1 row matches a deleted record: the import will leave it deleted" in "\n".join(
        check.lines()
    )


def test_a_check_with_no_deleted_records_shows_no_such_count(store: Store, tmp_path: Path) -> None:
    check = import_file(_file(tmp_path), store, EDITOR, CHECK)
    assert check.counts()[:3] == [("new", 4), ("to update", 0), ("unchanged", 0)]
    assert all(name != "deleted records" for name, _ in check.counts())


def test_a_check_names_the_records_the_file_would_write_over_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    """Tried as an editor would: a title (a description, in a walk) edited in the app, then
    the same file imported again. The check said "already stored: 4" and the import wrote
    the file's title over the edit without a word; both now name the record and field."""
    assert import_file(_file(tmp_path), store, EDITOR).imported == 4
    record = store.get("r-3", EDITOR)
    assert record is not None
    store.save(record.replace(title="Third, corrected in the app"), EDITOR)
    version, entries = store.data_version(), len(store.audit_log(ADMIN))
    check = import_file(_file(tmp_path), store, EDITOR, CHECK)
    assert check.counts()[:3] == [("new", 0), ("to update", 1), ("unchanged", 3)]
    assert check.changes == [(4, "r-3", ("title",))] and check.accounted
    assert (
        "  1 stored record would change: the file's values replace what is stored, changes "
        "made in the app included (its history keeps every version)"
    ) in check.lines()
    assert "  row 4 (r-3): title" in check.lines()
    kept = store.get("r-3", EDITOR)
    assert kept is not None and kept.title == "Third, corrected in the app"  # rolled back
    assert store.data_version() == version and len(store.audit_log(ADMIN)) == entries
    real = import_file(_file(tmp_path), store, EDITOR)
    assert real.changes == check.changes and real.counts()[1] == ("updated", 1)
    assert "  1 stored record changed: the file's values replaced" in "\n".join(real.lines())
    assert store.verify_audit() == []
