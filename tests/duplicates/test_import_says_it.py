"""An import says how many of its rows look like incidents already stored, and where
to review them; it merges nothing, and says so when it skipped the look."""

from __future__ import annotations

from pathlib import Path

import pytest

import incidents.duplicates.on_import as on_import
from incidents.import_read import ImportOptions
from incidents.importer import import_file
from incidents.store.base import Store
from tests.conftest import EDITOR

STORED = (
    "id,source_event_id,type,title,date_start,place,country,latitude,longitude,killed_best\n"
    "org-1,org:1,killing,Killing in Tarhuna,2020-06-09,Tarhuna,LY,32.4291,13.6288,3\n"
    "org-2,org:2,killing,Arrests in Tripoli,2021-02-01,Tripoli,LY,32.8872,13.1913,0\n"
)
PARTNER = (
    "id,source_event_id,type,title,date_start,place,country,latitude,longitude,killed_best\n"
    "p-1,partner:1,killing,Killing in Tarhuna,2020-06-09,Tarhuna,LY,32.4292,13.6289,3\n"
    "p-2,partner:2,killing,Shelling in Sirte,2020-06-09,Sirte,LY,31.2089,16.5887,0\n"
)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_counts_rows_like_stored_records_and_merges_nothing(
    store: Store, tmp_path: Path
) -> None:
    first = import_file(_file(tmp_path, "own.csv", STORED), store, EDITOR)
    assert first.like_existing == 0  # nothing of those days stored yet
    check = import_file(
        _file(tmp_path, "p.csv", PARTNER), store, EDITOR, ImportOptions(dry_run=True)
    )
    assert check.like_existing == 1
    report = import_file(_file(tmp_path, "p.csv", PARTNER), store, EDITOR)
    assert report.like_existing == 1
    said = "\n".join(report.lines())
    assert "1 row looks like an incident already stored: review it on the Duplicates page" in said
    assert "python -m incidents duplicates" in said
    assert report.to_dict()["like_existing"] == 1
    assert report.imported == 2, report.lines()
    ids = ["org-1", "org-2", "p-1", "p-2"]
    assert set(store.existing_ids(ids, []).values()) == set(ids)  # never merged on import
    again = import_file(_file(tmp_path, "p.csv", PARTNER), store, EDITOR)
    assert again.like_existing == 0  # its rows are stored: no new look-alike
    assert "look like" not in "\n".join(again.lines())


def test_a_look_too_large_is_skipped_with_a_note(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(_file(tmp_path, "own.csv", STORED), store, EDITOR)
    monkeypatch.setattr(on_import, "MAX_COMPARED", 2)
    report = import_file(_file(tmp_path, "p.csv", PARTNER), store, EDITOR)
    assert report.like_existing == 0
    said = "\n".join(report.lines())
    assert "duplicates: not looked for at import" in said
    assert "more than 2" in said


def test_a_file_of_days_with_nothing_stored_is_not_said_to_be_too_large(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing stored within the rows' days: no pair can be found, however many rows.
    A first import of 100k rows used to say the look was skipped as too large."""
    monkeypatch.setattr(on_import, "MAX_COMPARED", 1)
    first = import_file(_file(tmp_path, "own.csv", STORED), store, EDITOR)
    assert first.like_existing == 0 and not first.like_existing_note
    assert "not looked for" not in "\n".join(first.lines())
    later = PARTNER.replace("2020-06-09", "2024-03-01")  # years after every stored record
    report = import_file(_file(tmp_path, "p.csv", later), store, EDITOR)
    assert report.like_existing == 0 and "not looked for" not in "\n".join(report.lines())
    other = PARTNER.replace("p-", "q-").replace("partner:", "other:")  # new ids, same days
    near = import_file(_file(tmp_path, "n.csv", other), store, EDITOR)
    assert "not looked for" in "\n".join(near.lines())  # within the days: too large
