"""The import preview marks rows of records deleted in the app: the import will leave
them deleted (by id, by source event id, or by the id made for a row with neither)."""

from __future__ import annotations

from pathlib import Path

from incidents.import_preview import preview_rows
from incidents.import_read import ImportOptions, choose_format, read_rows
from incidents.importer import import_file
from incidents.io.formats import read_any
from incidents.query import Query
from incidents.store.base import Store
from tests.conftest import EDITOR

ROWS = (
    "id,source_event_id,type,title,date_start,place,country,latitude,longitude\n"
    "r-1,,killing,First,2020-06-09,Tarhuna,LY,32.4291,13.6288\n"
    ",EV-2,killing,Second,2020-06-10,Tarhuna,LY,32.4291,13.6288\n"
    ",,killing,Third,2020-06-11,Tarhuna,LY,32.4291,13.6288\n"
    "r-4,,killing,Fourth,2020-06-12,Tarhuna,LY,32.4291,13.6288\n"
)


def _preview(path: Path, store: Store | None) -> list[dict[str, object]]:
    options = ImportOptions()
    table = read_any(path, None, path.name)
    rows = read_rows(table, choose_format(table, None, None, None), options)
    return preview_rows(rows, options, store=store)


def test_the_preview_says_which_rows_the_import_leaves_deleted(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(ROWS, encoding="utf-8")
    assert import_file(path, store, EDITOR).imported == 4
    ids = {t: store.query(Query(text=t), EDITOR)["id"][0] for t in ("Second", "Third")}
    store.bulk_delete(["r-1", ids["Second"], ids["Third"]], "not ours", EDITOR)
    notes = {r["row"]: str(r["problems"]) for r in _preview(path, store)}
    assert notes[2].startswith("matches deleted record r-1: the import will leave it deleted")
    assert notes[3].startswith(f"matches deleted record {ids['Second']}")
    assert notes[4].startswith(f"matches deleted record {ids['Third']}")
    assert "deleted" not in notes[5]
    # Without the store the preview reads the file only, as before.
    assert all("deleted" not in str(r["problems"]) for r in _preview(path, None))
    check = import_file(path, store, EDITOR, ImportOptions(dry_run=True))
    assert [row for row, _ in check.deleted_rows] == [2, 3, 4]
