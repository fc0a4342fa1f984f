"""Fixtures for the export tests: the Tarhuna example in a store, plus test records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from export_fixtures import FORMULA_TITLE, RESTRICTED_TITLE, SECRET

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.record import Incident, Source
from incidents.store import open_store
from incidents.store.base import Store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "tarhuna.csv"
EDITOR = Viewer("editor-who-must-not-appear", Role.EDITOR)


def _extra() -> list[Incident]:
    """A restricted record with confidential notes, and one whose title is a formula."""
    base = {
        "type": "killing", "date_start": date(2020, 3, 1), "date_end": date(2020, 3, 1),
        "country": "LY", "admin1": "Murqub", "admin1_code": "LY-MB", "latitude": 32.40,
        "longitude": 13.70, "location_precision": "exact", "verification": "reported",
        "sources": (Source("Test source", "Test publisher", "2020-03-02"),),
    }  # fmt: skip
    return [
        Incident(
            id="test-restricted",
            title=RESTRICTED_TITLE,
            sensitivity="restricted",
            confidential_notes=SECRET,
            witness_details=SECRET,
            **base,
        ),
        Incident(
            id="test-formula",
            title=FORMULA_TITLE,
            sensitivity="public",
            description="-2+3 looks like a formula",
            **base,
        ),
    ]


@pytest.fixture(scope="session")
def tarhuna_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The nine Tarhuna example records only."""
    path = tmp_path_factory.mktemp("tarhuna") / "tarhuna.gpkg"
    store = open_store(str(path))
    report = import_file(EXAMPLE, store, EDITOR)
    assert report.imported == 9, report.lines()
    return str(path)


@pytest.fixture(scope="session")
def mixed_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Tarhuna plus a restricted record with secrets and a formula-like title."""
    path = tmp_path_factory.mktemp("mixed") / "mixed.gpkg"
    store = open_store(str(path))
    import_file(EXAMPLE, store, EDITOR)
    store.write_batch(_extra(), EDITOR)
    return str(path)


@pytest.fixture
def tarhuna_store(tarhuna_db: str) -> Store:
    return open_store(tarhuna_db)


@pytest.fixture
def mixed_store(mixed_db: str) -> Store:
    return open_store(mixed_db)
