"""The command line as an analyst runs it: a real process, real files, exit codes."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "template"


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    """The command in English whatever the machine's language (its words are checked
    here; tests/core/test_translation_messages.py runs it in Arabic and French)."""
    return subprocess.run(
        [sys.executable, "-m", "incidents", "--db", str(db), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, "INCIDENTS_LANGUAGE": "en"},
    )


def succeeds(*args: str, db: Path) -> str:
    """What a command printed, after checking it ended well and with no stack trace."""
    result = run(*args, db=db)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


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


def test_audit_verify_names_records_edited_outside_the_app(tmp_path):
    """The red team's edits with sqlite3, each of which used to print 'intact'."""
    db = tmp_path / "s.gpkg"
    run("import", str(EXAMPLE), db=db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE incidents SET sensitivity = 'restricted' WHERE id = 'tarhuna-ex-002'")
        conn.execute("UPDATE incidents SET title = 'Nothing found' WHERE id = 'tarhuna-ex-003'")
        conn.execute(
            "UPDATE incident_sources SET url = 'https://example.org/x' "
            "WHERE incident_id = 'tarhuna-ex-005'"
        )
        conn.execute("DELETE FROM incidents WHERE id = 'tarhuna-ex-006'")
    conn.close()
    verify = run("audit", "verify", db=db)
    assert verify.returncode == 1 and "intact" not in verify.stdout
    lines = verify.stdout.splitlines()
    assert "4 records" in lines[0]
    for record, words in (
        ("tarhuna-ex-002", "sensitivity field differs"),
        ("tarhuna-ex-003", "title field differs"),
        ("tarhuna-ex-005", "sources field differs"),
        ("tarhuna-ex-006", "deleted outside the app"),
    ):
        assert any(record in line and words in line for line in lines), verify.stdout
    assert "Traceback" not in verify.stderr


def test_audit_anchor_and_verify_with_it(tmp_path):
    db = tmp_path / "s.gpkg"
    run("import", str(EXAMPLE), db=db)
    anchor = run("audit", "anchor", db=db)
    assert anchor.returncode == 0
    head = next(line for line in anchor.stdout.splitlines() if len(line) == 64)
    assert "10 entries" in anchor.stdout and "written at 20" in anchor.stdout
    held = run("audit", "verify", "--anchor", head, db=db)
    assert held.returncode == 0 and "anchored entry is still in the chain" in held.stdout
    # The last entry removed (the import's summary), guard and all: only the anchor tells.
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
    conn.close()
    assert run("audit", "verify", db=db).returncode == 0
    cut = run("audit", "verify", "--anchor", head, db=db)
    assert cut.returncode == 1 and "no longer in the audit log" in cut.stdout
    empty = run("audit", "anchor", db=tmp_path / "new.gpkg")
    assert empty.returncode == 1 and "nothing to anchor" in empty.stdout


def test_audit_verify_warns_about_a_store_file_others_can_read(tmp_path):
    db = tmp_path / "s.gpkg"
    run("import", str(EXAMPLE), db=db)
    private = run("audit", "verify", db=db)
    assert private.returncode == 0 and "Warning" not in private.stdout
    db.chmod(0o644)  # as stores were created before files were made private
    shared = run("audit", "verify", db=db)
    assert shared.returncode == 0
    assert "can be read by other accounts" in shared.stdout and f"chmod 600 {db}" in shared.stdout


def test_a_damaged_store_or_a_bad_mapping_is_one_sentence(tmp_path):
    """Tracebacks reached the terminal for a file that is not a GeoPackage and for a
    --map without '='; each is one sentence now, exit code 2."""
    damaged = tmp_path / "damaged.gpkg"
    damaged.write_bytes(b"this is not a database " * 100)
    result = run("audit", "verify", db=damaged)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not a GeoPackage" in result.stderr and str(damaged) in result.stderr
    assert damaged.read_bytes() == b"this is not a database " * 100  # never written
    bad_map = run("import", str(EXAMPLE), "--map", "no equals sign", db=tmp_path / "s.gpkg")
    assert bad_map.returncode == 2 and "Traceback" not in bad_map.stderr
    assert "is not COLUMN=FIELD" in bad_map.stderr


def test_a_folder_given_as_the_store_is_one_sentence(tmp_path):
    folder = tmp_path / "a-folder.gpkg"
    folder.mkdir()
    result = run("audit", "verify", db=folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and str(folder) in result.stderr


def test_import_set_gives_every_row_a_value_and_refuses_a_bad_one(tmp_path):
    db = tmp_path / "s.gpkg"
    sheet = tmp_path / "no_type.csv"
    sheet.write_text("id,date_start,place\ns-1,2020-06-01,Baidoa\n", encoding="utf-8")
    bad = run("import", str(sheet), "--set", "type=massacre", "--set", "country=Somalia", db=db)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "every row's type: 'massacre' is not one of" in bad.stderr
    assert not db.exists()  # refused before the store was opened
    unknown = run("import", str(sheet), "--set", "country=Atlantis", db=db)
    assert unknown.returncode == 2 and "'Atlantis', is not a country" in unknown.stderr
    good = run("import", str(sheet), "--set", "type=killing", "--set", "country=Somalia", db=db)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "imported: 1" in good.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT type, country FROM incidents").fetchall() == [("killing", "SO")]


def test_import_summary_counts_each_outcome_and_writes_the_warnings(tmp_path):
    from tests.core.test_importer import _ucdp_with_counts

    db = tmp_path / "s.gpkg"
    path = _ucdp_with_counts(tmp_path, "1", "3", "2")
    first = run("import", str(path), db=db)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "  read as: " in first.stdout and "encoding utf-8, delimiter comma" in first.stdout
    assert "  warned: 1" in first.stdout and "  row 3, killed_max: max 2" in first.stdout
    warnings = tmp_path / "ucdp.warnings.csv"
    assert "killed_max" in warnings.read_text(encoding="utf-8-sig")
    again = run("import", str(path), db=db)
    assert "  updated: 0" in again.stdout and "  unchanged: 38" in again.stdout
    assert "of which" not in again.stdout


def test_the_rejected_file_imports_again_without_the_format_flag(tmp_path):
    from tests.core.test_importer import _acled_cut

    db = tmp_path / "s.gpkg"
    path = _acled_cut(tmp_path)
    first = run("import", str(path), "--format", "acled", db=db)
    assert first.returncode == 1
    rejected = tmp_path / "acled_cut.rejected.csv"
    again = run("import", str(rejected), db=db)
    assert again.returncode == 1, again.stderr
    reasons = [line.split(": ", 1)[1] for line in first.stdout.splitlines() if "row 3:" in line]
    assert reasons and any(reasons[0] in line for line in again.stdout.splitlines())


def test_the_import_summary_shows_a_file_s_control_characters_never_obeys_them(tmp_path: Path):
    """Tried as a red team would: a column named with an ESC sequence was printed as is
    in 'columns not used', and the terminal obeyed it."""
    path = tmp_path / "ansi.csv"
    path.write_text(
        "type,date_start,place,\x1b[31mBAD\x1b]0;title\x07\nkilling,2020-01-01,Tarhuna,x\n",
        encoding="utf-8",
    )
    out = run("import", str(path), "--dry-run", db=tmp_path / "s.gpkg")
    assert out.returncode == 0, out.stderr
    assert "columns not used: \ufffd[31mBAD\ufffd]0;title\ufffd" in out.stdout
    assert "\x1b" not in out.stdout + out.stderr and "\x07" not in out.stdout
