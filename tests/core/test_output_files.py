"""Files the command line writes (incidents.output_files): never over the store, and
private when they may hold what only some may read."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from incidents.output_files import OutputRefused, write_output
from incidents.query import Query
from incidents.store import open_store
from tests.conftest import EDITOR, EXAMPLE, ROOT

EXAMPLE_RECORDS = len(pd.read_csv(EXAMPLE))


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incidents", *args], capture_output=True, text=True,
        cwd=cwd, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "s.gpkg"
    assert _cli("--db", str(db), "import", str(EXAMPLE)).returncode == 0
    return db


@pytest.mark.parametrize("name", ["s.gpkg", "s.gpkg-wal", "s.gpkg.index"])
def test_an_export_over_the_store_or_its_files_is_refused(store: Path, name: str):
    """Tried as a red team would: export --out naming the GeoPackage replaced every
    record and the audit log with a CSV."""
    run = _cli("--db", str(store), "export", "csv", "--profile", "public",
               "--out", str(store.with_name(name)))  # fmt: skip
    assert run.returncode == 2
    assert f"is {store} or one of its files: choose another output file" in run.stderr
    _intact(store)


def _intact(store: Path) -> None:
    kept = open_store(str(store))
    assert len(kept.query(Query(), EDITOR)) == EXAMPLE_RECORDS and kept.verify_audit() == []


def test_rejected_rows_never_go_over_the_store_or_the_file_read(store: Path, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text("type,date_start,place\nkilling,not a date,Tarhuna\n", encoding="utf-8")
    for target in (store, bad):
        run = _cli("--db", str(store), "import", str(bad), "--rejected", str(target))
        assert run.returncode == 2 and "choose another output file" in run.stderr
    _intact(store)
    assert bad.read_text(encoding="utf-8").startswith("type,date_start")


def test_rejected_rows_are_private_whatever_the_umask(store: Path, tmp_path: Path):
    """The rejected rows of a file holding witnesses' details were readable by every
    account (0644) while the store is 0600."""
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "type,date_start,place,witness_details\nkilling,not a date,Tarhuna,W. named here\n",
        encoding="utf-8",
    )
    old = os.umask(0o022)
    try:
        run = _cli("--db", str(store), "import", str(bad))
    finally:
        os.umask(old)
    rejected = tmp_path / "bad.rejected.csv"
    assert run.returncode == 1 and "W. named here" in rejected.read_text(encoding="utf-8")
    assert _mode(rejected) == 0o600


def test_an_export_is_private_unless_its_profile_is_the_public_s(store: Path, tmp_path: Path):
    old = os.umask(0o022)
    try:
        for profile in ("public", "internal"):
            out = tmp_path / f"{profile}.csv"
            out.write_bytes(b"an earlier file, readable by all")
            out.chmod(0o644)
            run = _cli("--db", str(store), "export", "csv", "--profile", profile,
                       "--out", str(out))  # fmt: skip
            assert run.returncode == 0, run.stderr
    finally:
        os.umask(old)
    assert _mode(tmp_path / "public.csv") == 0o644
    assert _mode(tmp_path / "internal.csv") == 0o600  # made private, though it existed


def test_a_postgresql_store_keeps_no_local_file(tmp_path: Path):
    out = tmp_path / "out.csv"
    write_output(out, b"x", private=False, keep=["postgresql://u@127.0.0.1/db"])
    assert out.read_bytes() == b"x"
    with pytest.raises(OutputRefused):
        write_output(out, b"y", private=False, keep=[out])
    assert out.read_bytes() == b"x"
