"""Delete, restore, revert, purge and bulk changes, on both stores: what each leaves
in the tables and the audit chain, and that `audit verify` still holds after each."""

from __future__ import annotations

import json

import pytest

from incidents.importer import import_file
from incidents.query import Query
from incidents.store.base import NotAllowed, NotFound, StaleEdit, Store, StoreError
from incidents.store.gpkg import GeoPackageStore
from tests.conftest import ADMIN, EDITOR, VIEWER
from tests.sql_oracles import SqlSummaries
from tests.store.test_store import incident


def _intact(store: Store) -> None:
    assert store.verify_audit() == []
    check = store.verify_records()
    assert check.problems == [] and check.unchecked == []


def _filled(store: Store, n: int = 3) -> Store:
    store.write_batch([incident(i) for i in range(1, n + 1)], EDITOR)
    return store


def test_a_deleted_record_is_counted_nowhere_and_listed_as_deleted(store):
    _filled(store)
    store.delete("syn-2", 1, EDITOR, reason="duplicate of syn-1")
    assert store.get("syn-2", EDITOR) is None and store.get("syn-2", ADMIN) is None
    assert store.count(Query(), EDITOR) == 2
    assert "syn-2" not in set(store.query(Query(), EDITOR)["id"])
    assert "syn-2" not in store.sources(["syn-1", "syn-2"], EDITOR)
    assert int(SqlSummaries(store).date_counts(Query(), EDITOR)["n"].sum()) == 2
    (gone,) = store.deleted_records(EDITOR)
    assert (gone.id, gone.title, gone.reason, gone.version) == (
        "syn-2",
        "Synthetic incident 2",
        "duplicate of syn-1",
        1,
    )
    assert gone.deleted_by == "test-editor" and gone.deleted_at
    with pytest.raises(NotAllowed):
        store.deleted_records(VIEWER)
    _intact(store)


def test_restore_brings_back_the_record_as_it_was_as_a_new_version(store):
    _filled(store)
    saved = store.save(store.get("syn-1", EDITOR).replace(title="Edited once"), EDITOR)
    store.delete("syn-1", saved.version, EDITOR, reason="by mistake")
    restored = store.restore("syn-1", EDITOR)
    assert restored.version == 3 and restored.title == "Edited once"
    assert restored.content() == saved.content()
    assert restored.created_by == saved.created_by == "test-editor"
    assert store.deleted_records(EDITOR) == []
    assert [e.action for e in store.history("syn-1", EDITOR)] == [
        "import:create",
        "edit:update",
        "delete",
        "restore:create",
    ]
    with pytest.raises(NotFound):
        store.restore("syn-1", EDITOR)
    _intact(store)


def test_revert_stores_an_earlier_version_as_the_next_one(store):
    _filled(store, 1)
    first = store.get("syn-1", EDITOR)
    second = store.save(first.replace(title="Second title", killed_best=4), EDITOR)
    reverted = store.revert("syn-1", 1, second.version, EDITOR)
    assert reverted.version == 3 and reverted.content() == first.content()
    assert store.history("syn-1", EDITOR)[-1].action == "revert:v1:update"
    again = store.revert("syn-1", 2, 3, EDITOR)
    assert again.version == 4 and again.title == "Second title"
    with pytest.raises(StaleEdit) as stale:
        store.revert("syn-1", 1, 3, EDITOR)
    assert stale.value.current.version == 4
    with pytest.raises(NotFound, match="no version 9"):
        store.revert("syn-1", 9, 4, EDITOR)
    _intact(store)


def test_revert_reaches_back_across_a_delete_and_restore(store):
    _filled(store, 1)
    v2 = store.save(store.get("syn-1", EDITOR).replace(title="Two"), EDITOR)
    store.delete("syn-1", 2, EDITOR)
    v3 = store.restore("syn-1", EDITOR)
    assert v3.version == 3 and v3.title == "Two"
    v4 = store.revert("syn-1", 1, 3, EDITOR)
    assert v4.title == "Synthetic incident 1" and v4.version == 4
    assert store.revert("syn-1", 2, 4, EDITOR).content() == v2.content()
    _intact(store)


def test_a_second_editor_is_refused_with_the_record_as_it_is_now(store):
    _filled(store, 1)
    opened = store.get("syn-1", EDITOR)
    store.save(opened.replace(title="First editor's title"), EDITOR)
    with pytest.raises(StaleEdit, match="changed by test-editor") as stale:
        store.save(opened.replace(description="Second editor's text"), EDITOR)
    assert stale.value.current.title == "First editor's title"
    assert stale.value.current.version == 2
    with pytest.raises(StaleEdit) as late:
        store.delete("syn-1", 1, EDITOR)
    assert late.value.current.version == 2


def _audit_texts(store: Store) -> str:
    return json.dumps([e.__dict__ for e in store.audit_log(ADMIN)], ensure_ascii=False)


@pytest.mark.parametrize("deleted_first", [True, False])
def test_a_purge_removes_the_content_everywhere_and_the_chain_still_verifies(store, deleted_first):
    _filled(store, 2)
    secret = incident(2).replace(title="PURGE-ME title", confidential_notes="PURGE-ME notes")
    store.save(secret.replace(version=1), EDITOR)
    if deleted_first:
        store.delete("syn-2", 2, EDITOR, reason="PURGE-ME reason")
    with pytest.raises(NotAllowed):
        store.purge("syn-2", EDITOR, "legal request")
    store.purge("syn-2", ADMIN, "Court order 12/2026")
    assert "PURGE-ME" not in _audit_texts(store)
    if isinstance(store, GeoPackageStore):  # nor in the file's free space
        assert b"PURGE-ME" not in store.path.read_bytes()
    assert store.get("syn-2", ADMIN) is None and store.deleted_records(ADMIN) == []
    last = store.audit_log(ADMIN)[-1]
    assert (last.action, last.incident_id, last.actor) == ("purge", "syn-2", "test-admin")
    assert json.loads(last.after or "")["reason"] == "Court order 12/2026"
    with pytest.raises(NotFound):
        store.restore("syn-2", EDITOR)
    with pytest.raises(NotFound, match="purged already"):
        store.purge("syn-2", ADMIN, "again")
    assert store.count(Query(), EDITOR) == 1
    _intact(store)
    store.save(store.get("syn-1", EDITOR).replace(title="Life goes on"), EDITOR)
    _intact(store)


def test_a_purge_needs_a_reason_and_a_known_record(store):
    _filled(store, 1)
    with pytest.raises(StoreError, match="why"):
        store.purge("syn-1", ADMIN, "  ")
    with pytest.raises(NotFound):
        store.purge("syn-9", ADMIN, "legal request")


def test_bulk_changes_write_only_what_changes_in_one_go(store):
    _filled(store)
    store.save(store.get("syn-3", EDITOR).replace(verification="verified"), EDITOR)
    ids = ["syn-1", "syn-2", "syn-3"]
    assert store.bulk_set_verification(ids, "verified", EDITOR) == 2
    assert store.bulk_set_verification(ids, "Verified", EDITOR) == 0
    assert store.bulk_add_tag(ids, "  checked   2026 ", EDITOR) == 3
    assert store.bulk_add_tag(ids, "checked 2026", EDITOR) == 0
    assert store.get("syn-1", EDITOR).tags == ("checked 2026",)
    bulk = [e for e in store.audit_log(ADMIN) if e.action == "bulk:update"]
    assert len(bulk) == 5
    with pytest.raises(StoreError, match="verification status"):
        store.bulk_set_verification(ids, "probably", EDITOR)
    with pytest.raises(StoreError, match="tag"):
        store.bulk_add_tag(ids, "a; b", EDITOR)
    with pytest.raises(NotFound):  # all or none: syn-1 keeps its status
        store.bulk_set_verification(["syn-1", "syn-9"], "disputed", EDITOR)
    assert store.get("syn-1", EDITOR).verification == "verified"
    with pytest.raises(NotAllowed):
        store.bulk_add_tag(ids, "x", VIEWER)
    assert store.bulk_delete(["syn-1", "syn-2"], "test rows", EDITOR) == 2
    assert store.count(Query(), EDITOR) == 1
    assert {d.id for d in store.deleted_records(EDITOR)} == {"syn-1", "syn-2"}
    _intact(store)


def test_an_import_does_not_bring_a_deleted_record_back(store):
    _filled(store, 2)
    store.save(incident(3, source_event_id="ACLED-77").replace(version=0), EDITOR)
    store.delete("syn-1", 1, EDITOR, reason="wrong")
    store.delete("syn-3", 1, EDITOR, reason="wrong too")
    again = [incident(1), incident(2), incident(4, source_event_id="ACLED-77")]
    kinds = [(o.id, o.kind) for o in store.write_batch(again, EDITOR)]
    assert kinds == [("syn-1", "deleted"), ("syn-2", "unchanged"), ("syn-4", "deleted")]
    assert store.count(Query(), EDITOR) == 1
    store.save(incident(1), EDITOR)  # made again on purpose, in the form
    assert [d.id for d in store.deleted_records(EDITOR)] == ["syn-3"]
    _intact(store)


def test_the_import_summary_counts_rows_of_deleted_records(store, tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "id,source_event_id,type,title,date_start,place,country,latitude,longitude\n"
        "r-1,,killing,First,2020-06-09,Tarhuna,LY,32.4291,13.6288\n"
        ",EV-2,killing,Second,2020-06-10,Tarhuna,LY,32.4291,13.6288\n"
        "r-3,,killing,Third,2020-06-11,Tarhuna,LY,32.4291,13.6288\n",
        encoding="utf-8",
    )
    assert import_file(path, store, EDITOR).imported == 3
    second = store.query(Query(text="Second"), EDITOR)["id"][0]
    store.bulk_delete(["r-1", second], "not ours", EDITOR)
    again = import_file(path, store, EDITOR)
    assert (again.imported, again.updated, again.deleted) == (0, 1, 2) and again.accounted
    assert "  2 rows were deleted records and were not re-imported" in "\n".join(again.lines())
    assert ("deleted records", 2) in again.counts()  # the import page's counts say it too
    assert store.count(Query(), EDITOR) == 1
    _intact(store)
