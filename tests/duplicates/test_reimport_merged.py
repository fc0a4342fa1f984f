"""Importing again the files a merge came from changes nothing, on both stores: the kept
record's own row does not overwrite what the merge united (the other record's source,
tags), and the absorbed record's row does not bring it back. A row that brings a new
source adds it to the merged record, as a merge would."""

from __future__ import annotations

import csv
from pathlib import Path

from incidents.importer import import_file
from incidents.query import Query
from incidents.store.merges import merge, merge_links, unmerge
from incidents.store.record_store import RecordStore
from tests.conftest import EDITOR
from tests.duplicates.two_files import ABSORBED, KEPT, PARTNER_EVENT, write_two_files


def _merged(store: RecordStore, tmp_path: Path) -> tuple[Path, Path]:
    own, partner = write_two_files(tmp_path)
    for path in (own, partner):
        import_file(path, store, EDITOR)
    merge(store, KEPT, ABSORBED, EDITOR)
    return own, partner


def test_importing_both_files_again_changes_nothing(store: RecordStore, tmp_path: Path) -> None:
    own, partner = _merged(store, tmp_path)
    before = store.get(KEPT, EDITOR)
    assert before is not None and len(before.sources) == 2  # the partner's URL is one of own's
    assert "partner" in before.tags
    again = [import_file(path, store, EDITOR) for path in (own, partner)]
    assert [(r.imported, r.changed, r.unchanged) for r in again] == [(0, 0, 2), (0, 0, 0)]
    assert again[1].deleted == 1  # the partner's row: still merged, not brought back
    after = store.get(KEPT, EDITOR)
    assert after is not None and after.content() == before.content()
    assert after.version == before.version
    assert store.count(Query(), EDITOR) == 2
    assert [link.absorbed_id for link in merge_links(store, EDITOR, KEPT)] == [ABSORBED]
    assert store.verify_audit() == [] and store.verify_records().ok


def test_a_row_with_a_new_source_adds_it_and_keeps_the_merge(
    store: RecordStore, tmp_path: Path
) -> None:
    own, _ = _merged(store, tmp_path)
    with open(own, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    rows[1]["source3_title"], rows[1]["source3_url"] = "Later report", "https://example.org/later"
    with open(own, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_file(own, store, EDITOR)
    assert (report.imported, report.changed, report.unchanged) == (0, 1, 1)
    merged = store.get(KEPT, EDITOR)
    assert merged is not None and "partner" in merged.tags
    assert "https://example.org/later" in {s.url for s in merged.sources}
    kept, back = unmerge(store, ABSORBED, EDITOR)  # still undoable after the import
    assert back.id == ABSORBED and "partner" not in kept.tags
    assert store.count(Query(), EDITOR) == 3
    assert store.verify_audit() == [] and store.verify_records().ok


def test_the_kept_record_keeps_its_own_source_event_id_and_a_row_without_id_stays_out(
    store: RecordStore, tmp_path: Path
) -> None:
    _, partner = _merged(store, tmp_path)
    merged = store.get(KEPT, EDITOR)
    assert merged is not None and merged.source_event_id == ""  # own records: no data set
    assert [link.absorbed_event_id for link in merge_links(store, EDITOR, KEPT)] == [PARTNER_EVENT]
    with open(partner, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["id"] = ""  # the partner's file found by its source event id alone
    with open(partner, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_file(partner, store, EDITOR)
    assert (report.imported, report.changed, report.deleted) == (0, 0, 1)
    assert store.count(Query(), EDITOR) == 2
    assert store.verify_audit() == [] and store.verify_records().ok
