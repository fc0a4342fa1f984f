"""An import's update keeps what its file has no column for (incidents/import_keep.py),
on both stores: the app's own table export, imported again, erased every record's
sources; a sheet of corrections cleared descriptions and notes and made public records
Restricted."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from incidents.export.service import ExportRequest, run_export
from incidents.import_keep import kept_fields, with_stored
from incidents.importer import import_file
from incidents.query import Query
from incidents.record import Incident
from incidents.store.base import Store
from tests.conftest import EDITOR, EXAMPLE


def test_fields_with_no_column_are_kept_and_a_place_goes_with_its_point() -> None:
    kept = kept_fields(["id", "type", "date_start", "title", "source1_url", "place"])
    assert {"description", "victim_details", "sensitivity", "tags", "date_end"} <= kept
    assert not kept & {"title", "sources", "place", "latitude", "admin1", "location_precision"}
    assert "latitude" in kept_fields(["id", "type", "date_start"])


def test_the_end_of_a_date_stays_only_with_its_start() -> None:
    stored = Incident("a", "killing", "t", date(2020, 6, 1), date(2020, 11, 25),
                      date_precision="month", description="kept")  # fmt: skip
    keep = kept_fields(["id", "type", "date_start", "title"])
    same = with_stored(
        Incident("a", "killing", "u", date(2020, 6, 1), date(2020, 6, 1)), stored, keep
    )
    assert (same.title, same.date_end, same.date_precision, same.description) == (
        "u", date(2020, 11, 25), "month", "kept")  # fmt: skip
    moved = with_stored(
        Incident("a", "killing", "u", date(2021, 1, 1), date(2021, 1, 1)), stored, keep
    )
    assert (moved.date_end, moved.date_precision, moved.description) == (
        date(2021, 1, 1), "day", "kept")  # fmt: skip


def test_the_table_export_imported_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    import_file(EXAMPLE, store, EDITOR)
    ids = list(store.query(Query(), EDITOR)["id"])
    before = {i: store.get(i, EDITOR) for i in ids}
    table = run_export(store, EDITOR, Query(), ExportRequest("csv", profile="internal"))
    path = tmp_path / "table.csv"
    path.write_bytes(table.data)
    report = import_file(path, store, EDITOR)
    assert (report.updated, report.unchanged, report.rejected) == (9, 9, [])
    after = {i: store.get(i, EDITOR) for i in ids}
    assert after == before and all(r and r.sources for r in after.values())


def test_a_sheet_of_corrections_changes_only_what_it_names(store: Store, tmp_path: Path) -> None:
    import_file(EXAMPLE, store, EDITOR)
    old = store.get("tarhuna-ex-001", EDITOR)
    assert old and old.description and old.sources and old.sensitivity == "public"
    path = tmp_path / "corrections.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        rows = [["id", "type", "date_start", "title"], [old.id, old.type, old.date_start, "New"]]
        csv.writer(f).writerows(rows)
    report = import_file(path, store, EDITOR)
    new = store.get("tarhuna-ex-001", EDITOR)
    assert new and new.title == "New" and new.version == old.version + 1
    same = ("description", "sources", "sensitivity", "tags", "perpetrators", "latitude",
            "location_precision", "date_end", "date_precision", "confidential_notes")  # fmt: skip
    assert {f: getattr(new, f) for f in same} == {f: getattr(old, f) for f in same}
    assert "description" in report.kept and "left as stored" in "\n".join(report.lines(""))


def test_acled_again_leaves_a_restricted_record_restricted(store: Store) -> None:
    """ACLED's reader makes every new row public: a newer export made public again the
    record staff had restricted (a published site that points at a witness)."""
    from tests.conftest import ROOT

    acled = ROOT / "tests" / "fixtures" / "real" / "acled_2020_export_afghanistan.csv"
    import_file(acled, store, EDITOR)
    first = str(store.query(Query(), EDITOR)["id"].iloc[0])
    record = store.get(first, EDITOR)
    assert record and record.sensitivity == "public"
    titled = record.replace(sensitivity="restricted", verification="verified", title="قصف جوي")
    store.save(titled, EDITOR)
    report = import_file(acled, store, EDITOR)
    again = store.get(first, EDITOR)
    assert again and (again.sensitivity, again.verification) == ("restricted", "verified")
    assert again.title == "قصف جوي"  # the reader makes ACLED's titles: staff's stays
    assert report.unchanged == report.updated == 28


def test_check_only_says_what_an_update_would_leave(gpkg_store: Store, tmp_path: Path) -> None:
    from incidents.import_read import ImportOptions

    import_file(EXAMPLE, gpkg_store, EDITOR)
    path = tmp_path / "corrections.csv"
    path.write_text("id,type,date_start,title\ntarhuna-ex-001,mass_grave,2020-06-01,New\n")
    report = import_file(path, gpkg_store, EDITOR, ImportOptions(dry_run=True))
    assert "sources" in report.kept and any("left as stored" in line for line in report.lines(""))


def _corrections(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "corrections.csv"
    path.write_text("\n".join([header, *rows, ""]), encoding="utf-8")
    return path


def test_a_value_for_every_row_fills_new_records_only(gpkg_store: Store, tmp_path: Path) -> None:
    """Given 'for every row', sensitivity=public made a restricted record public again,
    and a country for every row erased the stored place and point."""
    from incidents.import_read import ImportOptions

    import_file(EXAMPLE, gpkg_store, EDITOR)
    old = gpkg_store.get("tarhuna-ex-001", EDITOR)
    assert old
    gpkg_store.save(old.replace(sensitivity="restricted"), EDITOR)
    path = _corrections(
        tmp_path, "id,type,date_start,title", "tarhuna-ex-001,mass_grave,2020-06-01,New"
    )
    fixed = ImportOptions(fixed={"sensitivity": "public", "country": "LY"})
    import_file(path, gpkg_store, EDITOR, fixed)
    new = gpkg_store.get("tarhuna-ex-001", EDITOR)
    assert new and new.title == "New" and new.sensitivity == "restricted"
    assert (new.place, new.latitude, new.admin1_code) == (old.place, old.latitude, old.admin1_code)


def test_a_point_alone_keeps_the_place_name(gpkg_store: Store, tmp_path: Path) -> None:
    import_file(EXAMPLE, gpkg_store, EDITOR)
    old = gpkg_store.get("tarhuna-ex-001", EDITOR)
    path = _corrections(tmp_path, "id,type,date_start,latitude,longitude",
                        "tarhuna-ex-001,mass_grave,2020-06-01,32.44,13.64")  # fmt: skip
    import_file(path, gpkg_store, EDITOR)
    new = gpkg_store.get("tarhuna-ex-001", EDITOR)
    assert old and new and new.place == old.place and new.latitude == 32.44


def test_a_title_the_import_made_follows_a_new_place(gpkg_store: Store, tmp_path: Path) -> None:
    """A row without a title is stored as "Other in Gumuruk"; an update moving it to
    Likuangole kept that title. A title someone wrote stays."""
    first = _corrections(tmp_path, "id,type,date_start,place,country",
                         "g-1,other,2022-12-24,Gumuruk,SS",
                         "g-2,other,2022-12-24,Gumuruk,SS")  # fmt: skip
    import_file(first, gpkg_store, EDITOR)
    written = gpkg_store.get("g-2", EDITOR)
    assert written is not None and written.title == "Other in Gumuruk"
    gpkg_store.save(written.replace(title="Attack on the Gumuruk market"), EDITOR)
    moved = _corrections(tmp_path, "id,type,date_start,place,country",
                         "g-1,killing,2022-12-24,Likuangole,SS",
                         "g-2,killing,2022-12-24,Likuangole,SS")  # fmt: skip
    import_file(moved, gpkg_store, EDITOR)
    made, typed = gpkg_store.get("g-1", EDITOR), gpkg_store.get("g-2", EDITOR)
    assert made and made.title == "Summary execution / killing in Likuangole"
    assert typed and typed.title == "Attack on the Gumuruk market"


def test_a_new_best_comes_with_its_least_and_most(gpkg_store: Store, tmp_path: Path) -> None:
    """A newer best beside the stored least and most gave least 5, best 20, most 10."""
    import_file(EXAMPLE, gpkg_store, EDITOR)
    old = gpkg_store.get("tarhuna-ex-001", EDITOR)
    assert old
    gpkg_store.save(old.replace(killed_min=5, killed_best=7, killed_max=10), EDITOR)
    path = _corrections(tmp_path, "id,type,date_start,killed_best",
                        "tarhuna-ex-001,mass_grave,2020-06-01,20")  # fmt: skip
    import_file(path, gpkg_store, EDITOR)
    new = gpkg_store.get("tarhuna-ex-001", EDITOR)
    assert new and (new.killed_min, new.killed_best, new.killed_max) == (None, 20, None)


def test_a_start_written_to_the_month_is_read_so(gpkg_store: Store, tmp_path: Path) -> None:
    import_file(EXAMPLE, gpkg_store, EDITOR)
    old = gpkg_store.get("tarhuna-ex-002", EDITOR)
    assert old
    gpkg_store.save(old.replace(date_end=old.date_start, date_precision="day"), EDITOR)
    month = old.date_start.strftime("%Y-%m")
    path = _corrections(tmp_path, "id,type,date_start", f"tarhuna-ex-002,{old.type},{month}")
    import_file(path, gpkg_store, EDITOR)
    new = gpkg_store.get("tarhuna-ex-002", EDITOR)
    assert new and new.date_precision == "month" and new.date_end.month == old.date_start.month
    assert new.date_end.day >= 28
