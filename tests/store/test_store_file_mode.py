"""The GeoPackage holds confidential fields and exact sites: it, and the files SQLite
writes beside it, are readable by their owner only, whatever the umask."""

from __future__ import annotations

import sqlite3

from incidents.importer import import_file
from incidents.store.gpkg import GeoPackageStore
from tests.conftest import EDITOR, EXAMPLE, file_mode


def test_a_new_store_file_is_private(tmp_path, open_umask):
    store = GeoPackageStore(tmp_path / "data" / "incidents.gpkg")
    import_file(EXAMPLE, store, EDITOR)
    assert file_mode(store.path) == 0o600


def test_its_journal_is_private_during_a_write(tmp_path, open_umask):
    store = GeoPackageStore(tmp_path / "incidents.gpkg")
    with store._backend() as db:
        db.execute("UPDATE store_meta SET value = value WHERE key = 'data_version'")
        db.execute("INSERT INTO store_meta VALUES ('probe', 'x')")
        journal = store.path.with_name(store.path.name + "-journal")
        assert journal.exists() and file_mode(journal) == 0o600


def test_wal_and_shm_files_are_private(tmp_path, open_umask):
    """QGIS opens GeoPackages in WAL mode: the -wal and -shm files it makes are private."""
    store = GeoPackageStore(tmp_path / "incidents.gpkg")
    conn = sqlite3.connect(store.path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("INSERT INTO store_meta VALUES ('probe', 'x')")
        conn.commit()
        for suffix in ("-wal", "-shm"):
            companion = store.path.with_name(store.path.name + suffix)
            assert companion.exists() and file_mode(companion) == 0o600, suffix
    finally:
        conn.close()


def test_an_existing_file_keeps_the_mode_its_owner_chose(tmp_path, open_umask):
    path = tmp_path / "shared.gpkg"
    GeoPackageStore(path)
    path.chmod(0o640)
    GeoPackageStore(path)
    assert file_mode(path) == 0o640
