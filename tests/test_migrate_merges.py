"""Merges and "not the same" decisions survive a migration, GeoPackage -> PostGIS and
back: the merged incident is still one, listing both source records; it can be
unmerged in the target as in the source; a pair said to be different is still never
proposed; the target's audit log verifies."""

from __future__ import annotations

from pathlib import Path

import pytest

from incidents.cli import _verify
from incidents.duplicates_cli import candidates
from incidents.migrate import migrate, verify_migration
from incidents.query import Query
from incidents.record import Source
from incidents.store import GeoPackageStore
from incidents.store.merges import (
    merge,
    merge_links,
    not_same,
    not_same_pairs,
    rows_into_merged,
    unmerge,
)
from incidents.store.record_store import RecordStore
from tests.conftest import ADMIN, EDITOR
from tests.store.test_store import incident

OWN = incident(1, id="org-1", source_event_id="org:1", tags=("own",), killed_best=3)
ACLED = incident(
    1,
    id="acled-LBY1",
    source_event_id="acled:LBY1",
    title="Attack in Tarhuna",
    tags=("ACLED",),
    killed_best=4,
    sources=(Source(title="ACLED row", publisher="ACLED", url="https://acleddata.com/x"),),
)
APART = (incident(9, id="org-9"), incident(9, id="partner-9", title="Detention in Tarhuna"))


def _pairs(store: RecordStore) -> set[tuple[str, str]]:
    return {tuple(sorted((m.a, m.b))) for m in candidates(store, EDITOR, 0.4)}  # type: ignore[misc]


def _with_merges(store: RecordStore) -> RecordStore:
    """One merged incident (a field taken from the absorbed record) and one pair an
    editor said are different, which the search proposes until then."""
    store.write_batch([OWN, ACLED, *APART], EDITOR)
    assert ("org-9", "partner-9") in _pairs(store)
    merge(store, "org-1", "acled-LBY1", EDITOR, {"killed_best": "absorbed"})
    not_same(store, "partner-9", "org-9", EDITOR)
    return store


def _arrived(source: RecordStore, target: RecordStore) -> None:
    assert target.count(Query(), ADMIN) == 3  # the merged incident counted once
    kept = target.get("org-1", EDITOR)
    assert kept is not None and kept.killed_best == 4
    assert kept.content() == source.get("org-1", EDITOR).content()  # type: ignore[union-attr]
    assert target.get("acled-LBY1", EDITOR) is None
    links = merge_links(target, EDITOR, "org-1")
    assert links == merge_links(source, EDITOR, "org-1")  # who merged it, when, its data set
    assert [(x.absorbed_id, x.absorbed_event_id) for x in links] == [("acled-LBY1", "acled:LBY1")]
    assert not_same_pairs(target) == {("org-9", "partner-9")}
    assert _pairs(target) == set()  # neither the merged pair nor the different one
    rows = rows_into_merged(target, [OWN, ACLED])  # both records' rows imported again
    assert [o.kind for o in target.write_batch(rows, EDITOR)] == ["unchanged", "deleted"]
    assert _verify(target, "the copy", None) == 0  # what `audit verify` says


def _unmerged_as_in_the_source(source: RecordStore, target: RecordStore) -> None:
    kept, back = unmerge(target, "acled-LBY1", EDITOR)
    assert kept.killed_best == 3 and kept.tags == ("own",)
    assert back.content() == ACLED.content()
    mine = unmerge(source, "acled-LBY1", EDITOR)
    assert (kept.content(), back.content()) == (mine[0].content(), mine[1].content())
    assert target.count(Query(), ADMIN) == 4
    assert merge_links(target, EDITOR) == []
    actions = [e.action for e in target.history("acled-LBY1", EDITOR)]
    assert actions == ["migrate:create", "delete", "unmerge:create"]
    assert target.verify_audit() == [] and target.verify_records().ok


@pytest.mark.parametrize("direction", ["gpkg-to-postgis", "postgis-to-gpkg"])
def test_merges_and_decisions_arrive_and_unmerge_works_in_the_target(
    tmp_path: Path,
    pg: RecordStore,
    direction: str,
) -> None:
    gpkg = GeoPackageStore(tmp_path / "a.gpkg")
    source, target = (gpkg, pg) if direction == "gpkg-to-postgis" else (pg, gpkg)
    _with_merges(source)
    report = migrate(source, target, ADMIN)
    assert report.ok, report.problems
    rerun = migrate(source, target, ADMIN)  # a second run adds no second link
    assert rerun.ok, rerun.problems
    _arrived(source, target)
    _unmerged_as_in_the_source(source, target)


def test_merges_survive_a_round_trip_through_postgis(
    tmp_path: Path,
    pg: RecordStore,
) -> None:
    first = _with_merges(GeoPackageStore(tmp_path / "first.gpkg"))
    assert migrate(first, pg, ADMIN).ok
    back = GeoPackageStore(tmp_path / "back.gpkg")
    report = migrate(pg, back, ADMIN)
    assert report.ok, report.problems
    _arrived(first, back)
    _unmerged_as_in_the_source(first, back)


def test_a_merge_or_decision_missing_in_the_target_is_reported(tmp_path: Path) -> None:
    source = _with_merges(GeoPackageStore(tmp_path / "a.gpkg"))
    target = GeoPackageStore(tmp_path / "b.gpkg")
    assert migrate(source, target, ADMIN).ok
    with target._backend() as db:
        db.execute("DELETE FROM incident_merges")
        db.execute("DELETE FROM duplicate_decisions")
    problems = verify_migration(source, target)
    assert "merge of acled-LBY1: missing in the target" in problems
    assert "decision on org-9 and partner-9: missing or different" in problems


def test_a_merged_record_restored_in_the_source_arrives_as_a_record(tmp_path: Path) -> None:
    source = _with_merges(GeoPackageStore(tmp_path / "a.gpkg"))
    source.restore("acled-LBY1", EDITOR)  # from the deleted list: a record again
    target = GeoPackageStore(tmp_path / "b.gpkg")
    report = migrate(source, target, ADMIN)
    assert report.ok, report.problems
    assert target.count(Query(), ADMIN) == 4
    assert merge_links(target, EDITOR) == merge_links(source, EDITOR) == []
    assert target.verify_audit() == [] and target.verify_records().ok
