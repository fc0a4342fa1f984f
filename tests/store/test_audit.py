"""The audit chain's hashes: the fast forms write exactly what the plain definition says,
and a batch import still leaves one verifiable entry per record, saying who did what."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.importer import import_file
from incidents.store.audit import GENESIS, entry_hash, to_json
from incidents.synthetic import write_synthetic_csv
from tests.conftest import ADMIN, EDITOR

texts = st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["\x00", '"\\', "\u2028é"]))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)


def _plain_hash(prev, seq, at, actor, action, incident_id, before, after) -> str:
    """entry_hash as first written: json.dumps of the list, then sha256."""
    body = json.dumps(
        [seq, at, actor, action, incident_id, before, after],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev}\n{body}".encode()).hexdigest()


@settings(max_examples=200, deadline=None)
@given(seq=st.integers(1, 10**12), parts=st.lists(texts, min_size=6, max_size=6))
def test_entry_hash_is_the_plain_definition(seq, parts):
    assert entry_hash(GENESIS, seq, *parts) == _plain_hash(GENESIS, seq, *parts)


@settings(max_examples=200, deadline=None)
@given(value=json_values.filter(lambda v: v is not None))
def test_canonical_json_is_json_dumps_sorted(value):
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert to_json(value) == expected


def test_a_batch_import_writes_one_chained_entry_per_record(store, tmp_path: Path):
    path = write_synthetic_csv(tmp_path / "s.csv", 700, seed=2)  # more than one chunk
    report = import_file(path, store, EDITOR)
    assert store.verify_audit() == []
    log = store.audit_log(ADMIN)
    created = [e for e in log if e.action == "import:create"]
    assert len(created) == report.imported == 700
    assert {e.actor for e in created} == {EDITOR.name}
    first = json.loads(created[0].after)
    assert first["id"] == created[0].incident_id and "title" in first
    # Re-importing changes nothing, and adds only the import's summary event.
    version = store.data_version()
    again = import_file(path, store, EDITOR)
    assert again.unchanged == 700 and store.data_version() == version
    assert len(store.audit_log(ADMIN)) == len(log) + 1
    assert store.verify_audit() == []
