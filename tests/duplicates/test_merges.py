"""Merging two records of one incident on both stores: audited, counted once, found
again by a re-import of either record, reversible; "not the same" remembered."""

from __future__ import annotations

import pytest

from incidents.access import Role, Viewer
from incidents.query import Query
from incidents.record import Source
from incidents.store.base import NotAllowed, StaleEdit, StoreError
from incidents.store.merges import (
    merge,
    merge_links,
    merged_incidents,
    merged_keys,
    not_same,
    not_same_pairs,
    rows_into_merged,
    unmerge,
    visible_records,
)
from tests.conftest import EDITOR, VIEWER
from tests.store.test_store import incident

PUBLIC = incident(1, id="org-1", source_event_id="org:1", tags=("own",), killed_best=3)
ACLED = incident(
    1,
    id="acled-LBY1",
    source_event_id="acled:LBY1",
    title="Attack in Tarhuna",
    tags=("ACLED",),
    killed_best=4,
    sources=(Source(title="ACLED row", publisher="ACLED", url="https://acleddata.com/x"),),
    sensitivity="restricted",
    confidential_notes="OTHER-NOTES",
)


def test_merge_unites_sources_tags_keeps_both_ids_and_counts_once(store) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    merged = merge(store, "org-1", "acled-LBY1", EDITOR, {"killed_best": "absorbed"})
    assert merged.killed_best == 4
    assert merged.title == PUBLIC.title
    assert set(merged.tags) == {"own", "ACLED"}
    assert {s.url for s in merged.sources} == {"https://example.org/s", "https://acleddata.com/x"}
    assert merged.sensitivity == "restricted"  # never more public than either record
    assert "CANARY-NOTES" in merged.confidential_notes
    assert "OTHER-NOTES" in merged.confidential_notes
    assert store.count(Query(), EDITOR) == 1
    assert store.get("acled-LBY1", EDITOR) is None
    links = merge_links(store, EDITOR, "org-1")
    assert [(link.absorbed_id, link.absorbed_event_id) for link in links] == [
        ("acled-LBY1", "acled:LBY1")
    ]
    assert merged_keys(links) == {"org-1": ["acled:LBY1", "acled-LBY1"]}
    # a re-import of either file writes nothing new
    outcomes = store.write_batch([PUBLIC, ACLED], EDITOR)
    assert [o.kind for o in outcomes] == ["updated", "deleted"]
    assert store.count(Query(), EDITOR) == 1
    assert store.verify_audit() == []
    assert store.verify_records().problems == []


def test_unmerge_brings_both_back_as_they_were_keeping_later_edits(store) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    merged = merge(store, "org-1", "acled-LBY1", EDITOR, {"killed_best": "absorbed"})
    store.save(merged.replace(title="Edited after the merge"), EDITOR)
    kept, back = unmerge(store, "acled-LBY1", EDITOR)
    assert kept.title == "Edited after the merge"  # an edit since the merge stays
    assert kept.killed_best == 3
    assert kept.tags == ("own",)
    assert kept.sensitivity == "public"
    assert back.content() == ACLED.content()
    assert store.count(Query(), EDITOR) == 2
    assert merge_links(store, EDITOR) == []
    actions = [e.action for e in store.history("acled-LBY1", EDITOR)]
    assert actions == ["import:create", "delete", "unmerge:create"]
    assert "merge:update" in [e.action for e in store.history("org-1", EDITOR)]
    assert store.verify_audit() == []
    assert store.verify_records().problems == []


def test_merge_refuses_a_stale_record_viewers_and_itself(store) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    with pytest.raises(StaleEdit):
        merge(store, "org-1", "acled-LBY1", EDITOR, versions=(1, 7))
    with pytest.raises(NotAllowed):
        merge(store, "org-1", "acled-LBY1", VIEWER)
    with pytest.raises(StoreError):
        merge(store, "org-1", "org-1", EDITOR)
    assert store.count(Query(), EDITOR) == 2


def test_not_the_same_is_remembered_and_audited(store) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    not_same(store, "org-1", "acled-LBY1", EDITOR)
    assert not_same_pairs(store) == {("acled-LBY1", "org-1")}
    assert store.verify_audit() == []


def test_the_search_reads_only_what_a_viewer_may_see(store) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    seen = visible_records(store, VIEWER)
    assert {r.id for r in seen} == {"org-1", "acled-LBY1"}
    assert all(r.confidential_notes == "" for r in seen)


def test_an_import_s_rows_are_matched_with_stored_records_of_their_days(store) -> None:
    from datetime import date

    from incidents.duplicates.on_import import rows_like_existing

    far_day = incident(1, id="old", date_start=date(2019, 5, 1), date_end=date(2019, 5, 1))
    store.write_batch([PUBLIC, far_day], EDITOR)
    row = PUBLIC.replace(id="partner-1", source_event_id="partner:1", title="Tarhuna")
    found = rows_like_existing(store, EDITOR, [row])
    assert found is not None  # None only when asked to stop above a number of records
    assert [(m.a, m.b) for m in found] == [("partner-1", "org-1")]
    assert rows_like_existing(store, EDITOR, []) == []


def test_a_merged_record_restored_from_the_deleted_list_is_no_longer_a_merge(store) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    merge(store, "org-1", "acled-LBY1", EDITOR)
    store.restore("acled-LBY1", EDITOR)
    assert merge_links(store, EDITOR) == []
    with pytest.raises(StoreError):
        unmerge(store, "acled-LBY1", EDITOR)
    assert store.verify_records().problems == []


def test_each_record_keeps_its_own_source_event_id_and_is_still_found(store) -> None:
    own = PUBLIC.replace(source_event_id="")  # the organisation's record: no data set's id
    store.write_batch([own, ACLED], EDITOR)
    merged = merge(store, "org-1", "acled-LBY1", EDITOR)
    assert merged.source_event_id == ""  # not the absorbed record's: its data set is ACLED
    links = merge_links(store, EDITOR, "org-1")
    assert [link.absorbed_event_id for link in links] == ["acled:LBY1"]
    # a row of either record brought again: the kept one's is taken in, the absorbed
    # one's found by its id or its source event id and left out
    outcomes = store.write_batch(rows_into_merged(store, [own, ACLED]), EDITOR)
    assert [o.kind for o in outcomes] == ["unchanged", "deleted"]
    assert store.count(Query(), EDITOR) == 1
    kept, back = unmerge(store, "acled-LBY1", EDITOR)
    assert (kept.source_event_id, back.source_event_id) == ("", "acled:LBY1")


def test_merged_incidents_lists_each_with_its_sources_only_to_those_who_may_see_it(
    store,
) -> None:
    store.write_batch([PUBLIC, ACLED], EDITOR)
    merge(store, "org-1", "acled-LBY1", EDITOR)
    listed = merged_incidents(store, EDITOR)
    assert [(k.id, [x.absorbed_id for x in links]) for k, links in listed] == [
        ("org-1", ["acled-LBY1"])
    ]
    assert listed[0][1][0].merged_by == EDITOR.name
    assert (
        merged_incidents(store, Viewer("anyone", Role.PUBLIC)) == []
    )  # the merge made it restricted


def test_a_reimported_row_of_a_merged_record_names_the_record_it_went_into(store) -> None:
    """The example imported, ex-005 merged into ex-004, the file imported again: the
    report told the editor to restore ex-005 "from the deleted records", which would
    undo the merge (found in a browser walk). It now names the record it went into."""
    from incidents.import_read import ImportOptions
    from incidents.importer import import_file
    from tests.conftest import EXAMPLE

    import_file(EXAMPLE, store, EDITOR)
    merge(store, "tarhuna-ex-004", "tarhuna-ex-005", EDITOR, {})
    for dry_run in (True, False):
        report = import_file(EXAMPLE, store, EDITOR, ImportOptions(dry_run=dry_run))
        said = "\n".join(report.lines())
        assert report.merged_rows == [(6, "tarhuna-ex-005", "tarhuna-ex-004")]
        assert "row 6 (tarhuna-ex-005): merged into tarhuna-ex-004; the merge stands" in said
        assert "restore" not in said and "deleted record" not in said, said
        assert ("merged records", 1) in report.counts()  # the page's counts say it too


def test_a_chain_of_merges_and_a_restored_record_are_told_apart(store) -> None:
    """Found in review: ex-005 into ex-004, then ex-004 into ex-003, and ex-005's row was
    a plain deleted record again; ex-002 merged, restored, then deleted on purpose was
    still "merged"; and merging a restored record again failed on the old link."""
    from incidents.importer import import_file
    from tests.conftest import EXAMPLE

    import_file(EXAMPLE, store, EDITOR)
    merge(store, "tarhuna-ex-004", "tarhuna-ex-005", EDITOR, {})
    merge(store, "tarhuna-ex-003", "tarhuna-ex-004", EDITOR, {})
    merge(store, "tarhuna-ex-001", "tarhuna-ex-002", EDITOR, {})
    back = store.restore("tarhuna-ex-002", EDITOR)
    store.delete(back.id, back.version, EDITOR, "a test record")
    report = import_file(EXAMPLE, store, EDITOR)
    assert report.merged_rows == [(5, "tarhuna-ex-004", "tarhuna-ex-003"),
                                  (6, "tarhuna-ex-005", "tarhuna-ex-003")]  # fmt: skip
    assert "1 row was a deleted record" in "\n".join(report.lines())  # ex-002: restore it
    again = store.restore("tarhuna-ex-002", EDITOR)
    merge(store, "tarhuna-ex-001", again.id, EDITOR, {})  # the old link is replaced
    links = merge_links(store, EDITOR, "tarhuna-ex-001")
    assert [link.absorbed_id for link in links] == ["tarhuna-ex-002"]
