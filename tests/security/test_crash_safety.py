"""Kill -9 in the middle of an import or an edit: the store must stay consistent.

Each run starts a real `python -m incidents import` (or a loop of edits) and sends
SIGKILL at a random moment, often just after the write transaction has started
(when SQLite's journal appears). After every kill the store is opened again and must
pass SQLite's integrity check, hold all of the batch or none of it, and keep an
audit chain that verifies and matches the records.

INCIDENTS_CRASH_RUNS (default 6) and INCIDENTS_CRASH_ROWS (default 2000) make it
longer; INCIDENTS_CRASH_SEED replays a run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from incidents.access import SYSTEM
from incidents.store.gpkg import GeoPackageStore
from incidents.synthetic import write_synthetic_csv
from tests.conftest import ROOT

RUNS = int(os.environ.get("INCIDENTS_CRASH_RUNS", "6"))
ROWS = int(os.environ.get("INCIDENTS_CRASH_ROWS", "2000"))
SEED = int(os.environ.get("INCIDENTS_CRASH_SEED", str(random.randrange(1 << 30))))


@dataclass
class Setup:
    folder: Path
    first: Path  # the synthetic CSV
    second: Path  # the same rows, every title changed
    empty: Path  # a store with nothing in it
    loaded: Path  # a store holding the first file
    stored: int  # records the first file gives
    seconds: float  # how long one import takes


def start_import(db: Path, csv: Path, errors: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "incidents", "--db", str(db), "import", str(csv)]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    folder = tmp_path_factory.mktemp("crash")
    first = write_synthetic_csv(folder / "first.csv", ROWS, seed=7)
    frame = pd.read_csv(first, dtype=str, keep_default_na=False)
    frame["title"] = frame["title"] + " (second version)"
    second = folder / "second.csv"
    frame.to_csv(second, index=False)
    empty = folder / "empty.gpkg"
    GeoPackageStore(empty)
    loaded = folder / "loaded.gpkg"
    shutil.copy(empty, loaded)
    began = time.monotonic()
    process = start_import(loaded, first, subprocess.PIPE)
    _, errors = process.communicate(timeout=900)
    assert process.returncode in (0, 1), errors.decode()
    stored = _count(loaded)
    assert stored > ROWS * 0.9
    return Setup(folder, first, second, empty, loaded, stored, time.monotonic() - began)


def _count(db: Path, where: str = "1") -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM incidents WHERE {where}").fetchone()[0])


def kill_at_random(
    process: subprocess.Popen[bytes], db: Path, rng: random.Random, total: float, in_write: bool
) -> str:
    """SIGKILL at a random moment of the write transaction, or of the whole run."""
    journal = [Path(f"{db}-journal"), Path(f"{db}-wal")]
    if in_write:
        # Opening the store writes briefly too; the import's batch is the long write.
        since = None
        while process.poll() is None:
            if not any(p.exists() for p in journal):
                since = None
            elif since is None:
                since = time.monotonic()
            elif time.monotonic() - since > 0.05:
                break
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.5))  # writing 2000 records takes a second or more
    else:
        time.sleep(rng.uniform(0, total))
    if process.poll() is not None:
        return "finished before the kill"
    hot = any(p.exists() for p in journal)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return "killed mid-transaction" if hot else "killed before writing"


def check_consistent(db: Path) -> GeoPackageStore:
    """What must hold after any kill, whatever the moment."""
    with sqlite3.connect(db) as conn:  # opening rolls back a half-written transaction
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        (indexed,) = conn.execute("SELECT COUNT(*) FROM rtree_incidents_geom").fetchone()
        (points,) = conn.execute("SELECT COUNT(*) FROM incidents WHERE geom IS NOT NULL").fetchone()
        (unsourced,) = conn.execute(
            "SELECT COUNT(*) FROM incidents "
            "WHERE id NOT IN (SELECT incident_id FROM incident_sources)"
        ).fetchone()
    assert indexed == points
    assert unsourced == 0  # every synthetic row cites a source: none lost its children
    store = GeoPackageStore(db)
    assert store.verify_audit() == []
    return store


def test_killed_imports_leave_all_or_nothing(setup: Setup):
    rng = random.Random(SEED)
    seen = []
    for run in range(RUNS):
        update = run % 2 == 1
        db = setup.folder / f"run{run}.gpkg"
        shutil.copy(setup.loaded if update else setup.empty, db)
        process = start_import(db, setup.second if update else setup.first)
        what = kill_at_random(process, db, rng, setup.seconds, in_write=run % 4 < 2)
        seen.append(what)
        context = f"seed {SEED}, run {run} ({'update' if update else 'fresh'}), {what}"
        store = check_consistent(db)
        actions = pd.Series([e.action for e in store.audit_log(SYSTEM)]).value_counts()
        changed = _count(db, "title LIKE '% (second version)'")
        if update:
            assert _count(db) == setup.stored, context
            assert changed in (0, setup.stored), context  # every title or none
            assert actions.get("import:update", 0) == changed, context
        else:
            assert _count(db) in (0, setup.stored), context
            assert actions.get("import:create", 0) == _count(db), context
        # One import summary per finished import: the loaded store's, and this run's.
        assert actions.get("import", 0) <= (2 if update else 1), context
    print(f"crash runs (seed {SEED}):", "; ".join(seen))
    assert "killed mid-transaction" in seen, f"seed {SEED}: no kill landed in a transaction"


EDIT_LOOP = """
import sys
from incidents.access import Role, Viewer
from incidents.store.gpkg import GeoPackageStore
store, editor = GeoPackageStore(sys.argv[1]), Viewer("crash-editor", Role.EDITOR)
n = 0
while True:
    n += 1
    record = store.get(sys.argv[2], editor)
    store.save(record.replace(title=f"Edited {n}", description="x" * (n % 500)), editor)
    if n == 1:
        print("editing", flush=True)
"""


def test_killed_edits_leave_the_record_and_its_history_in_step(setup: Setup):
    rng = random.Random(SEED + 1)
    with sqlite3.connect(setup.loaded) as conn:
        (target,) = conn.execute("SELECT id FROM incidents ORDER BY id LIMIT 1").fetchone()
    for run in range(max(2, RUNS // 2)):
        db = setup.folder / f"edit{run}.gpkg"
        shutil.copy(setup.loaded, db)
        command = [sys.executable, "-c", EDIT_LOOP, str(db), target]
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE)
        assert process.stdout is not None and process.stdout.readline() == b"editing\n"
        time.sleep(rng.uniform(0, 2.0))
        assert process.poll() is None, "the edit loop stopped by itself"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        store = check_consistent(db)
        record = store.get(target, SYSTEM)
        assert record is not None
        history = store.history(target, SYSTEM)
        edits = [e for e in history if e.action == "edit:update"]
        assert edits, f"seed {SEED}: no edit was committed before the kill"
        assert record.version == 1 + len(edits)
        assert f'"title":"{record.title}"' in (edits[-1].after or "")
