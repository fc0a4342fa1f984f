"""Any sequence of edits, deletes, restores, reverts, bulk changes and purges leaves
an audit log that verifies and records that match it, and a purged record's text
nowhere in the file (GeoPackage; test_lifecycle.py runs each step on both stores)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.query import Query
from incidents.store import open_store
from incidents.store.base import NotFound, Store
from tests.conftest import ADMIN, EDITOR
from tests.store.test_store import incident

IDS = ["syn-1", "syn-2", "syn-3"]
steps = st.lists(
    st.tuples(
        st.sampled_from(["edit", "delete", "restore", "revert", "tag", "status", "purge"]),
        st.sampled_from(IDS),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=12,
)


def _apply(store: Store, what: str, record_id: str, n: int) -> None:
    current = store.get(record_id, EDITOR)
    try:
        if what == "edit" and current is not None:
            store.save(current.replace(title=f"SECRET-{record_id}-{n}"), EDITOR)
        elif what == "delete" and current is not None:
            store.delete(record_id, current.version, EDITOR, reason=f"reason {n}")
        elif what == "restore":
            store.restore(record_id, EDITOR)
        elif what == "revert" and current is not None:
            store.revert(record_id, n, current.version, EDITOR)
        elif what == "tag":
            store.bulk_add_tag(IDS, f"tag {n}", EDITOR)
        elif what == "status":
            store.bulk_set_verification(IDS, ["reported", "verified"][n % 2], EDITOR)
        elif what == "purge":
            store.purge(record_id, ADMIN, "legal request")
    except NotFound:
        pass  # a deleted record cannot be bulk-changed or restored twice: nothing written


@settings(max_examples=25, deadline=None)
@given(plan=steps)
def test_any_sequence_keeps_the_log_and_the_records_in_step(tmp_path_factory, plan):
    path: Path = tmp_path_factory.mktemp("prop") / "s.gpkg"
    store = open_store(str(path))
    store.write_batch([incident(n) for n in (1, 2, 3)], EDITOR)
    purged: set[str] = set()
    for what, record_id, n in plan:
        _apply(store, what, record_id, n)
        if what == "purge":
            purged.add(record_id)
        assert store.verify_audit() == [], (what, record_id, n)
        check = store.verify_records()
        assert check.problems == [] and check.unchecked == [], (what, record_id, n)
    live = {r.id for r in (store.get(i, EDITOR) for i in IDS) if r is not None}
    deleted = {d.id for d in store.deleted_records(EDITOR)}
    assert not live & deleted and not (live | deleted) & purged
    assert store.count(Query(), EDITOR) == len(live)
    log = json.dumps([e.__dict__ for e in store.audit_log(ADMIN)])
    data = path.read_bytes()
    for record_id in purged:
        assert f"SECRET-{record_id}-" not in log
        assert f"SECRET-{record_id}-".encode() not in data
        assert f"Synthetic incident {record_id[-1]}".encode() not in data
