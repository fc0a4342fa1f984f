"""AppTest fixtures: the app against a fresh store holding the Tarhuna example."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from incidents.access import Role, Viewer
from incidents.importer import import_file
from incidents.store import open_store

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "examples" / "tarhuna.csv"
EDITOR = Viewer("app-test-editor", Role.EDITOR)


@pytest.fixture
def example_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A GeoPackage with the example imported; the app is pointed at it, in public mode."""
    path = str(tmp_path / "example.gpkg")
    import_file(EXAMPLE, open_store(path), EDITOR)
    return point_app_at(path, tmp_path, monkeypatch)


def point_app_at(path: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The app's pages read this store, in public mode, with fresh caches."""
    monkeypatch.setenv("INCIDENTS_DB", path)
    monkeypatch.setenv("INCIDENTS_MODE", "public")
    monkeypatch.setenv("INCIDENTS_USERS", str(tmp_path / "users.json"))
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    return path


@pytest.fixture
def as_editor(monkeypatch: pytest.MonkeyPatch) -> Viewer:
    """Pages see an editor (sign-in itself is tested with the identity module)."""
    from app_pages import common

    monkeypatch.setattr(common, "viewer", lambda: EDITOR)
    return EDITOR
