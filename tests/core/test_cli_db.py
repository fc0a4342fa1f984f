"""--db is taken before or after the command's name, with the documented exit codes."""

import subprocess
import sys
from pathlib import Path

from incidents.cli import build_parser
from tests.conftest import EXAMPLE, ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incidents", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_import_with_db_after_the_command(tmp_path: Path) -> None:
    db = tmp_path / "after.gpkg"
    done = _run("import", str(EXAMPLE), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert db.exists()
    again = _run("audit", "verify", "--db", str(db))
    assert again.returncode == 0, again.stderr


def test_db_after_the_command_wins_and_before_still_works(tmp_path: Path) -> None:
    parser = build_parser()
    assert parser.parse_args(["--db", "a.gpkg", "import", "x.csv"]).db == "a.gpkg"
    assert parser.parse_args(["import", "x.csv", "--db", "b.gpkg"]).db == "b.gpkg"
    assert parser.parse_args(["--db", "a.gpkg", "import", "x.csv", "--db", "b.gpkg"]).db == (
        "b.gpkg"
    )
    assert parser.parse_args(["import", "x.csv"]).db is None


def test_every_command_and_action_takes_db_after_its_name() -> None:
    parser = build_parser()
    assert parser.parse_args(["users", "list", "--db", "u.gpkg"]).db == "u.gpkg"
    assert parser.parse_args(["deleted", "--db", "d.gpkg"]).db == "d.gpkg"


def test_an_unusable_input_after_db_keeps_exit_code_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    done = _run("import", str(missing), "--db", str(tmp_path / "s.gpkg"))
    assert done.returncode == 2
