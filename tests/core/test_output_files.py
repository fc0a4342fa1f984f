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
from tests.conftest import ADMIN, EDITOR, EXAMPLE, ROOT

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


def _audit_entries(store: Path) -> int:
    return len(open_store(str(store)).audit_log(ADMIN))


@pytest.mark.parametrize("where", ["missing folder", "a folder", "a name too long"])
def test_an_export_that_cannot_be_written_is_refused_before_the_work(
    store: Path, tmp_path: Path, where: str
):
    """Found in a red-team pass: an export to a folder that does not exist ended in 'an
    unexpected error' once the file was made, and its audit entry was kept."""
    out = {"missing folder": tmp_path / "no-such-folder" / "x.csv", "a folder": tmp_path,
           "a name too long": tmp_path / ("x" * 300 + ".csv")}[where]  # fmt: skip
    before = _audit_entries(store)
    run = _cli("--db", str(store), "export", "csv", "--profile", "public", "--out", str(out))
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith("Cannot export: ") and "unexpected" not in run.stderr
    assert "choose another output file" in run.stderr or "name a file in it" in run.stderr
    assert _audit_entries(store) == before


def test_an_import_whose_rejected_file_cannot_be_written_stores_nothing(
    store: Path, tmp_path: Path
):
    """Found in a red-team pass: with --rejected in a missing folder the good rows were
    stored, then 'The import command did not complete', and the rejected rows (the only
    copy of what was refused) were never written."""
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(
        "id,type,date_start,place\nnew-1,killing,2020-06-01,Tarhuna\nnew-2,killing,bad,Tarhuna\n",
        encoding="utf-8",
    )
    target = tmp_path / "no-such-folder" / "rejected.csv"
    run = _cli("--db", str(store), "import", str(mixed), "--rejected", str(target))
    assert run.returncode == 2, run.stderr
    assert "Could not import mixed.csv: the folder of " in run.stderr
    assert "does not exist: create it or choose another output file" in run.stderr
    _intact(store)


def _mixed(tmp_path: Path) -> Path:
    """One good row, one refused (no such day), one kept with a warning (a placeholder
    verification): SYNTHETIC."""
    path = tmp_path / "f.csv"
    path.write_text(
        "id,type,date_start,place,verification\n"
        "new-1,killing,2020-06-01,Tarhuna,\nnew-2,killing,2020-02-30,Tarhuna,\n"
        "new-3,killing,2020-06-02,Tarhuna,n/a\n",
        encoding="utf-8",
    )
    return path


def test_rejected_rows_are_written_even_when_the_warnings_cannot_be(store: Path, tmp_path: Path):
    """Found in a review: the warnings' file, written first, could not be written beside
    the file, and the rejected rows (the only list of what was refused) were never
    written. A folder stands in for a file that cannot be written (tests may run as
    root, who may write anywhere)."""
    mixed = _mixed(tmp_path)
    (tmp_path / "f.warnings.csv").mkdir()
    run = _cli("--db", str(store), "import", str(mixed))
    assert run.returncode == 1, run.stderr
    assert "The import is stored as reported above, but a file was not written" in run.stderr
    assert "f.warnings.csv is a folder" in run.stderr
    assert "2020-02-30" in (tmp_path / "f.rejected.csv").read_text(encoding="utf-8")


def test_a_check_that_cannot_write_its_files_says_nothing_was_stored(store: Path, tmp_path: Path):
    mixed = _mixed(tmp_path)
    (tmp_path / "f.rejected.csv").mkdir()
    run = _cli("--db", str(store), "import", str(mixed), "--dry-run")
    assert run.returncode == 1, run.stderr
    assert "Nothing was stored (a check only), and a file was not written" in run.stderr
    assert "is stored" not in run.stderr
    _intact(store)
