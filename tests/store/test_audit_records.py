"""`audit verify` checks the records themselves against the audit chain, on both stores.

The red team flipped a record to public, changed a title, confidential text and a source
URL, and deleted a record, with sqlite3 and psql: the chain stayed intact and verify said
so. Each edit here is made the same way, outside the app, on a real store.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from incidents.importer import import_file
from incidents.record import Incident
from incidents.store import geopackage_format as gpkg
from incidents.store.audit import chain_entry, to_json
from incidents.store.base import Store
from incidents.store.gpkg import GeoPackageStore
from incidents.synthetic import write_synthetic_csv
from tests.conftest import ADMIN, EDITOR

CSV = (
    "id,type,title,date_start,place,country,latitude,longitude,sensitivity,"
    "confidential_notes,source1_title,source1_url,killed_best\n"
    "r-1,mass_grave,Grave by the farm road,2020-06-14,Tarhuna,LY,32.4377,13.6412,restricted,"
    "witness lives by the road,Statement,https://example.org/statement,11\n"
    "r-2,killing,Bodies at the prison wall,2020-06-09,Tarhuna,LY,32.4291,13.6288,restricted,"
    ",Report,https://example.org/report,4\n"
    "r-3,enforced_disappearance,Family taken from home,2019-11-03,Tarhuna,LY,32.4402,13.6351,"
    "public,,Notice,https://example.org/notice,\n"
)


def sql(store: Store, statement: str, params: Sequence[Any] = ()) -> None:
    """One statement run straight on the database, as someone with sqlite3 or psql would."""
    if isinstance(store, GeoPackageStore):
        with sqlite3.connect(store.path) as conn:
            # The R-tree triggers call ST_IsEmpty and the like, as QGIS and SpatiaLite
            # provide them; plain sqlite3 refuses inserts without them.
            gpkg.register_functions(conn)
            conn.execute(statement.replace("%s", "?"), list(params))
        conn.close()
        return
    with psycopg.connect(store.url) as conn:
        conn.execute(f'SET search_path TO "{store.schema}", public')  # type: ignore[attr-defined]
        conn.execute(statement, list(params))


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "rows.csv"
    path.write_text(CSV, encoding="utf-8")
    report = import_file(path, store, EDITOR)
    assert report.imported == 3, report.lines()
    check = store.verify_records()
    assert check.ok and check.checked == 3 and not check.unchecked, check
    return store


EDITS = {
    "sensitivity": ("UPDATE incidents SET sensitivity = 'public' WHERE id = 'r-1'", "sensitivity"),
    "title": ("UPDATE incidents SET title = 'Nothing happened' WHERE id = 'r-2'", "title"),
    "confidential": (
        "UPDATE incident_confidential SET confidential_notes = 'no witness' "
        "WHERE incident_id = 'r-1'",
        "confidential_notes",
    ),
    "confidential added": (
        "INSERT INTO incident_confidential (incident_id, victim_details) VALUES ('r-2', 'names')",
        "victim_details",
    ),
    "source url": (
        "UPDATE incident_sources SET url = 'https://example.org/forged' WHERE incident_id = 'r-3'",
        "sources",
    ),
    "count": ("UPDATE incidents SET killed_best = 1 WHERE id = 'r-1'", "killed_best"),
    "deleted": ("DELETE FROM incidents WHERE id = 'r-3'", "deleted outside the app"),
    "added": (
        "INSERT INTO incidents (id, type, title, date_start, date_end, version) "
        "VALUES ('r-9', 'killing', 'Planted', '2020-01-01', '2020-01-01', 1)",
        "added outside the app",
    ),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_direct_edit_is_named_by_verify(filled, kind):
    statement, expected = EDITS[kind]
    sql(filled, statement)
    assert filled.verify_audit() == []  # the chain alone sees nothing
    check = filled.verify_records()
    assert len(check.problems) == 1, check.problems
    problem = check.problems[0]
    assert expected in problem
    record = {"deleted": "r-3", "added": "r-9", "source url": "r-3"}.get(kind)
    assert f"Record {record or ('r-2' if kind in ('title', 'confidential added') else 'r-1')}" in (
        problem
    )


def test_edits_made_in_the_app_are_not_problems(filled):
    record = filled.get("r-1", ADMIN)
    assert record is not None
    saved = filled.save(record.replace(title="Renamed in the app", killed_best=12), EDITOR)
    filled.delete("r-2", 1, EDITOR)
    filled.save(saved.replace(sensitivity="public"), EDITOR)
    check = filled.verify_records()
    assert check.ok and check.checked == 2 and not check.unchecked, check


def test_an_edit_later_saved_over_in_the_app_still_shows(filled):
    sql(filled, "UPDATE incidents SET sensitivity = 'public' WHERE id = 'r-1'")
    record = filled.get("r-1", ADMIN)
    assert record is not None
    filled.save(record.replace(title="Renamed in the app"), EDITOR)
    problems = filled.verify_records().problems
    assert len(problems) == 1
    assert (
        "r-1" in problems[0]
        and "sensitivity" in problems[0]
        and "before audit entry" in (problems[0])
    )


def test_a_record_deleted_outside_then_imported_again_still_shows(filled, tmp_path):
    sql(filled, "DELETE FROM incident_sources WHERE incident_id = 'r-3'")  # sqlite3 does not
    sql(filled, "DELETE FROM incidents WHERE id = 'r-3'")  # cascade without foreign_keys on
    again = import_file(tmp_path / "rows.csv", filled, EDITOR)
    assert again.imported == 1
    problems = filled.verify_records().problems
    assert len(problems) == 1 and "r-3" in problems[0]
    assert "deleted outside the app" in problems[0]


def test_a_record_put_back_after_its_deletion_is_named(filled):
    filled.delete("r-2", 1, EDITOR)
    sql(
        filled,
        "INSERT INTO incidents (id, type, title, date_start, date_end, version) "
        "VALUES ('r-2', 'killing', 'Bodies at the prison wall', '2020-06-09', '2020-06-09', 1)",
    )
    problems = filled.verify_records().problems
    assert len(problems) == 1 and "r-2" in problems[0] and "put back" in problems[0]


def test_entries_of_an_older_version_are_reported_as_not_checkable(filled):
    """A chain written before a field existed: that field cannot be checked, and a record
    whose last entry holds no contents at all cannot be checked, and neither crashes."""
    record, other = filled.get("r-3", ADMIN), filled.get("r-2", ADMIN)
    assert record is not None and other is not None
    now, old = to_json(record.content()), record.content()
    del old["public_date_to_month"]
    with filled._backend() as db:  # type: ignore[attr-defined]
        last = filled.audit_log(ADMIN)[-1]
        entry = chain_entry(last, last.at, "older", "edit:update", "r-3", now, to_json(old))
        db.append_audit(entry)
        before = to_json(other.content())
        db.append_audit(chain_entry(entry, last.at, "older", "edit:update", "r-2", before, "{"))
    assert filled.verify_audit() == []
    check = filled.verify_records()
    assert check.ok, check.problems
    text = " ".join(check.unchecked)
    assert "r-3" in text and "public_date_to_month cannot be checked" in text
    assert "older version" in text
    assert "r-2" in text and "does not hold its contents" in text


def test_the_anchor_shows_entries_removed_from_the_end(filled):
    head = filled.audit_head()
    assert head is not None and head.entries == head.seq == 4  # 3 records, 1 summary
    assert filled.verify_anchor(head.hash) == []
    record = filled.get("r-1", ADMIN)
    assert record is not None
    filled.save(record.replace(title="Renamed"), EDITOR)
    assert filled.verify_anchor(head.hash) == []  # the chain grew: the anchor still holds
    # Remove the chain's tail and put the record back as it was: the chain checks,
    # the records match, only the anchor tells.
    if isinstance(filled, GeoPackageStore):
        sql(filled, "DROP TRIGGER audit_log_no_delete")
    else:
        sql(filled, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
    sql(filled, "DELETE FROM audit_log WHERE seq >= 4")
    sql(filled, "UPDATE incidents SET title = %s, version = 1 WHERE id = 'r-1'", [record.title])
    assert filled.verify_audit() == [] and filled.verify_records().ok
    problems = filled.verify_anchor(head.hash)
    assert len(problems) == 1 and "no longer in the audit log" in problems[0]
    assert "not an anchor" in filled.verify_anchor("abc")[0]


def test_a_varied_import_checks_clean(store, tmp_path):
    """No false alarms: synthetic records (Arabic, odd numbers, many sources) and a
    whole number written to a REAL column (5 read back as 5.0) match their entries."""
    path = write_synthetic_csv(tmp_path / "s.csv", 600, seed=3)
    import_file(path, store, EDITOR)
    whole = Incident("w-1", "killing", "Whole numbers", date(2020, 1, 2), date(2020, 1, 2),
                     latitude=32, longitude=13, location_uncertainty_km=5)  # fmt: skip
    saved = store.save(whole, EDITOR)
    assert (
        type(saved.latitude) is float
        and json.loads(store.history("w-1", ADMIN)[0].after or "")["latitude"] == 32
    )
    check = store.verify_records()
    assert check.ok and check.checked == 601 and not check.unchecked, check.problems[:5]
