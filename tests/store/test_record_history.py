"""A record's history as people read it: form labels, before and after values, who
and when; confidential fields only for those entitled; no internal names."""

from __future__ import annotations

from incidents.record_history import EMPTY, Change, readable_history
from tests.conftest import ADMIN, EDITOR, VIEWER
from tests.store.test_store import incident


def _history(store, viewer=EDITOR) -> list[Change]:
    return readable_history(store.history("syn-1", viewer), viewer)


def test_each_changed_field_is_one_row_with_its_label_and_values(store):
    store.write_batch([incident(1)], EDITOR)
    current = store.get("syn-1", EDITOR)
    store.save(
        current.replace(
            admin1_code="LY-TB",
            location_method="manual",
            verification="verified",
            tags=("mass grave", "2020"),
            killed_best=12,
            witness_details="CANARY-CHANGED",
        ),
        EDITOR,
    )
    rows = _history(store)
    assert rows[0] == Change(rows[0].when, "test-editor", "Imported", "", "", "")
    assert len(rows[0].when) == 16 and rows[0].when[10] == " "
    edits = {r.field: (r.before, r.after) for r in rows[1:]}
    assert {r.action for r in rows[1:]} == {"Edited"}
    assert edits == {
        "District code": ("LY-MB", "LY-TB"),
        "How the point was obtained": ("From the source", "Set by hand"),
        "Killed best": (EMPTY, "12"),
        "Verification": ("Reported", "Verified"),
        "Tags": (EMPTY, "mass grave; 2020"),
        "Witness details": ("CANARY-WITNESS", "CANARY-CHANGED"),
    }
    assert all("_" not in r.field for r in rows)


def test_confidential_changes_are_left_out_for_those_not_entitled(store):
    store.write_batch([incident(1)], EDITOR)
    current = store.get("syn-1", EDITOR)
    store.save(current.replace(witness_details="CANARY-CHANGED"), EDITOR)
    rows = _history(store, VIEWER)
    assert [(r.action, r.field) for r in rows] == [("Imported", ""), ("Edited", "")]
    assert "CANARY" not in repr(rows)


def test_delete_restore_revert_and_purge_read_as_plain_words(store):
    store.write_batch([incident(1), incident(2)], EDITOR)
    store.save(store.get("syn-1", EDITOR).replace(title="Second"), EDITOR)
    store.delete("syn-1", 2, EDITOR, reason="duplicate")
    store.restore("syn-1", EDITOR)
    store.revert("syn-1", 1, 3, EDITOR)
    actions = [r.action for r in _history(store)]
    assert actions == [
        "Imported",
        "Edited",
        "Deleted — reason: duplicate",
        "Restored",
        "Reverted to version 1",
    ]
    reverted = _history(store)[-1]
    assert (reverted.field, reverted.before, reverted.after) == (
        "Title",
        "Second",
        "Synthetic incident 1",
    )
    store.purge("syn-1", ADMIN, "legal request")
    after = readable_history(store.history("syn-1", ADMIN), ADMIN)
    assert after[-1].action == "Purged"
    assert "Second" not in repr(after)
