"""The command line as an analyst runs it: a real process, real files, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "template"


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incidents", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_import_exit_codes_and_rejected_file(tmp_path):
    db = tmp_path / "s.gpkg"
    assert run("import", str(EXAMPLE), db=db).returncode == 0
    rejected = tmp_path / "rej.csv"
    mixed = run("import", str(FIXTURES / "mixed.csv"), "--rejected", str(rejected), db=db)
    assert mixed.returncode == 1
    assert "rejected: 6" in mixed.stdout and rejected.exists()
    unusable = run("import", str(FIXTURES / "empty.csv"), db=db)
    assert unusable.returncode == 2 and "empty" in unusable.stderr
    assert "Traceback" not in unusable.stderr


def test_geocode_json(tmp_path):
    result = run("geocode", "Misurata", "--json", db=tmp_path / "s.gpkg")
    found = json.loads(result.stdout)
    assert found["matches"][0]["name"] in ("Misratah", "Misrata", "Misurata")
    assert set(found["matches"][0]) >= {"name", "lat", "lon", "admin1", "score", "precision"}
    nonsense = run("geocode", "Xqzvbnm Plorf", "--json", db=tmp_path / "s.gpkg")
    assert nonsense.returncode == 1 and not json.loads(nonsense.stdout)["confident"]


def test_template_and_audit_verify(tmp_path):
    db = tmp_path / "s.gpkg"
    out = tmp_path / "blank.xlsx"
    assert run("template", "--out", str(out), db=db).returncode == 0
    assert out.stat().st_size > 1000
    run("import", str(EXAMPLE), db=db)
    verify = run("audit", "verify", db=db)
    assert verify.returncode == 0 and "intact" in verify.stdout
