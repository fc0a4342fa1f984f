"""--db and --lang are taken before or after the command's name (and after a users
action's), with the documented exit codes."""

import subprocess
import sys
from pathlib import Path

import click
import pytest

from incidents import translation
from incidents.auth.settings import users_file_for
from incidents.cli import build, main
from tests.conftest import EXAMPLE, ROOT

# Every command that opens the store, with what it needs besides --db.
STORE_COMMANDS = {
    "import": ["import", str(EXAMPLE)],
    "audit": ["audit", "verify"],
    "export": ["export", "csv", "--out", "{tmp}/x.csv"],
    "delete": ["delete", "nobody", "--reason", "test"],
    "restore": ["restore", "nobody"],
    "revert": ["revert", "nobody", "--to-version", "1"],
    "purge": ["purge", "nobody", "--reason", "test"],
    "history": ["history", "nobody"],
    "deleted": ["deleted"],
    "duplicates": ["duplicates"],
    "evidence": ["evidence", "verify"],
    "migrate": ["migrate", "--to", "{tmp}/copy.gpkg"],
    "users": ["users", "add", "someone", "--role", "editor", "--oidc"],
}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "incidents", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_every_store_command_is_listed_here() -> None:
    assert set(build().commands) - set(STORE_COMMANDS) == {"geocode", "template"}


@pytest.mark.parametrize("name", sorted(STORE_COMMANDS))
def test_db_after_the_command_wins_over_db_before_it(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INCIDENTS_DB", raising=False)
    monkeypatch.delenv("INCIDENTS_USERS", raising=False)
    before, after = tmp_path / "before.gpkg", tmp_path / "after.gpkg"
    words = [w.format(tmp=tmp_path) for w in STORE_COMMANDS[name]]
    code = main(["--db", str(before), *words, "--db", str(after)])
    assert code in (0, 1, 2)
    assert after.exists(), f"{name} did not open the store given after its name"
    assert not before.exists(), f"{name} opened the store given before its name"


def test_import_with_db_after_the_command(tmp_path: Path) -> None:
    db = tmp_path / "after.gpkg"
    done = _run("import", str(EXAMPLE), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert db.exists()
    again = _run("audit", "verify", "--db", str(db))
    assert again.returncode == 0, again.stderr


def test_db_before_the_command_still_works(tmp_path: Path) -> None:
    db = tmp_path / "before.gpkg"
    assert main(["--db", str(db), "deleted"]) == 0 and db.exists()


def test_a_users_action_takes_db_after_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INCIDENTS_USERS", raising=False)
    db = str(tmp_path / "u.gpkg")
    assert main(["users", "list", "--db", db]) == 0
    assert str(users_file_for(db)) in capsys.readouterr().out
    assert main(["users", "--db", str(tmp_path / "x.gpkg"), "list", "--db", db]) == 0
    assert str(users_file_for(db)) in capsys.readouterr().out


def test_an_unusable_input_after_db_keeps_exit_code_2(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    done = _run("import", str(missing), "--db", str(tmp_path / "s.gpkg"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "missing.csv" in done.stderr


def _commands() -> list[list[str]]:
    """Each command, and each users action, as words."""
    root = build()
    users = root.commands["users"]
    assert isinstance(users, click.Group)
    return [[name] for name in root.commands] + [["users", name] for name in users.commands]


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
@pytest.mark.parametrize("where", ["before", "after"])
def test_lang_before_or_after_every_command(
    words: list[str], where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    translation.set_language("en")
    lang = ["--lang", "fr"]
    line = [*lang, *words, "--help"] if where == "before" else [*words, *lang, "--help"]
    assert main(line) == 0
    helped = " ".join(capsys.readouterr().out.split())  # as wrapped to the terminal
    assert "base : un chemin .gpkg ou une URL postgresql://" in helped  # --db, in French
    assert "store: a .gpkg path" not in helped
    assert translation.language() == "en"


def test_an_unknown_language_after_the_command_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["deleted", "--db", str(tmp_path / "s.gpkg"), "--lang", "de"]) == 2
    said = capsys.readouterr().err
    assert "--lang" in said and "Traceback" not in said


def test_usage_errors_keep_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert main(["import"]) == 2  # no file named
    assert main(["import", "x.csv", "--map", "no-equals-sign"]) == 2
    said = capsys.readouterr().err
    assert "'no-equals-sign' is not COLUMN=FIELD" in said and "Traceback" not in said
    assert main(["export", "png", "--out", "x.png", "--from", "May 2020"]) == 2
    assert "write dates as YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--help"]) == 0 and "Exit codes: 0 all good" in capsys.readouterr().out
