"""`python -m incidents duplicates`: list, merge, unmerge, not-same, merge-certain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incidents.cli import main
from incidents.query import Query
from incidents.store import open_store
from tests.conftest import EDITOR
from tests.store.test_store import incident


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "dup.gpkg")
    store = open_store(path)
    store.write_batch(
        [
            incident(1, id="org-1", description="Twelve bodies found buried at the farm"),
            incident(
                1,
                id="acled-1",
                source_event_id="acled:LBY1",
                description="Twelve bodies found buried at the farm road",
            ),
            incident(9, id="far", latitude=30.0, longitude=20.0),
        ],
        EDITOR,
    )
    return path


def test_list_as_json_then_merge_and_unmerge(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "duplicates", "--json"]) == 0
    pairs = json.loads(capsys.readouterr().out)
    assert [(p["a"], p["b"]) for p in pairs] == [("acled-1", "org-1")]
    assert "same day" in pairs[0]["reasons"]
    assert main(["--db", db, "duplicates", "merge", "org-1", "acled-1", "--as", "ed"]) == 0
    assert "Merged acled-1 into org-1" in capsys.readouterr().out
    store = open_store(db)
    assert store.count(Query(), EDITOR) == 2
    assert main(["--db", db, "duplicates"]) == 0
    assert "No probable duplicates" in capsys.readouterr().out
    assert main(["--db", db, "duplicates", "unmerge", "acled-1"]) == 0
    assert store.count(Query(), EDITOR) == 3
    assert store.verify_audit() == []


def test_not_same_is_not_listed_again(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "duplicates", "not-same", "org-1", "acled-1"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "duplicates", "--min-score", "0.1"]) == 0
    assert "No probable duplicates" in capsys.readouterr().out


def test_refusals_are_one_sentence(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "duplicates", "merge", "org-1"]) == 2
    assert main(["--db", db, "duplicates", "unmerge", "org-1"]) == 2
    assert "was not merged into another" in capsys.readouterr().err


def test_merge_certain_merges_only_one_data_set_s_same_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "same.gpkg")
    store = open_store(path)
    store.write_batch(
        [
            incident(1, id="a", source_event_id="acled:LBY7"),
            incident(2, id="b", source_event_id="acled:LBY7", latitude=31.0),
            incident(1, id="c"),
        ],
        EDITOR,
    )
    assert main(["--db", path, "duplicates", "merge-certain"]) == 0
    assert "b into a" in capsys.readouterr().out
    assert store.count(Query(), EDITOR) == 2
