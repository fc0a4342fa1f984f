"""The command line's messages, the import report, rejection reasons, validation
messages, reader errors and sign-in throttling speak the chosen language (English,
Arabic, French), and no module that builds them hands a bare English sentence to the
person reading: an AST check fails when one is added."""

from __future__ import annotations

import ast
import csv
import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from incidents import translation
from incidents.auth.throttle import Refusal
from incidents.cli_language import chosen_language, requested
from incidents.validation import RowInvalid, validate_row
from tests.conftest import EXAMPLE, ROOT

# The modules whose sentences reach a person (command line, import report, reasons).
MESSAGE_MODULES = [
    "incidents/cli.py",
    "incidents/cli_language.py",
    "incidents/record_cli.py",
    "incidents/duplicates_cli.py",
    "incidents/auth/cli.py",
    "incidents/auth/throttle.py",
    "incidents/auth/accounts.py",
    "incidents/auth/strength.py",
    "incidents/evidence.py",
    "incidents/report.py",
    "incidents/failures.py",
    "incidents/validation.py",
    "incidents/validation_columns.py",
    "incidents/dates.py",
    "incidents/placing.py",
    "incidents/importer.py",
    "incidents/import_preview.py",
    "incidents/import_fill.py",
    "incidents/migrate.py",
    "incidents/migrate_tombstones.py",
    "incidents/form_edit.py",
    "incidents/store/writes.py",
    "incidents/store/record_store.py",
    "incidents/store/lifecycle.py",
    "incidents/store/merges.py",
    "incidents/duplicates/on_import.py",
    *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "incidents" / "io").glob("*.py")),
]
# Raised with a sentence for a person (the import page and the command line show it).
USER_ERRORS = {
    "FileUnusable", "ImportFailed", "EncodingProblem", "FeatureProblem", "StoreError",
    "NotAllowed", "NotFound", "AccountError", "ArgumentTypeError",
}  # fmt: skip
# Calls whose text argument is a message: a row's problem or warning, a reader's note.
BUILDERS = {"fail", "warn", "Problem"}
COLLECTIONS = re.compile(r"(problems|notes|warnings)$")
WORD = re.compile(r"[A-Za-z]{2,}")
COMMAND_LINE = re.compile(r"^\s*python -m incidents ")  # a command to type, not a sentence

BAD_ROWS = (
    "id,type,title,date_start,place,country\n"
    "bad-1,Torture,A row with a bad date,2020-02-30,Tarhuna,LY\n"
    "bad-2,massacre,A row with a bad type,2020-06-01,Tarhuna,LY\n"
    "ok-1,Torture,A good row,2020-06-01,Tarhuna,LY\n"
)


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    yield
    translation.set_language("en")


def _bare(node: ast.expr | None) -> bool:
    """An English sentence as written: a literal or f-string with words, not wrapped."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(WORD.search(node.value)) and not COMMAND_LINE.match(node.value)
    if isinstance(node, ast.JoinedStr):
        if COMMAND_LINE.match(ast.unparse(node)[2:]):
            return False
        return any(_bare(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _bare(node.left) or _bare(node.right)
    if isinstance(node, ast.IfExp):
        return _bare(node.body) or _bare(node.orelse)
    if isinstance(node, ast.Tuple):
        return any(_bare(e) for e in node.elts[1:])  # (field, reason): the reason
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return getattr(func, "id", "")


def _receiver(func: ast.expr) -> str:
    """The collection a call appends to: x.problems.append, x.problems[3].append,
    x.problems.setdefault(3, []).append all give 'problems'."""
    node = func.value if isinstance(func, ast.Attribute) else func
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript) or (
            isinstance(node, ast.Attribute) and node.attr in ("setdefault", "get")
        ):
            node = node.value
        else:
            return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def bare_messages(source: str) -> list[str]:
    """Every bare English sentence printed, raised as a user error, given as a row's
    problem or warning, added to a reader's notes or problems, or given as help."""
    found: list[ast.expr] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            into = [_receiver(ast.Attribute(t, "x")) for t in node.targets]
            if any(COLLECTIONS.search(name) for name in into):
                found += [e for e in node.value.elts if _bare(e)]
        exc = node.exc if isinstance(node, ast.Raise) else None
        if isinstance(exc, ast.Call) and _name(exc.func) in USER_ERRORS:
            found += [a for a in exc.args[:1] if _bare(a)]
        if not isinstance(node, ast.Call):
            continue
        called = _name(node.func)
        if called == "print" or (called == "append" and COLLECTIONS.search(_receiver(node.func))):
            found += [a for a in node.args[:1] if _bare(a)]
        elif called in BUILDERS:
            found += [a for a in node.args[1:2] if _bare(a)]
        found += [k.value for k in node.keywords if k.arg == "help" and _bare(k.value)]
    return [f"line {n.lineno}: {ast.unparse(n)[:90]}" for n in found]


def test_the_check_finds_a_bare_sentence() -> None:
    """The AST check itself: each kind of bare message is caught, wrapped ones are not."""
    source = (
        "print('Could not import the file')\n"
        "print(f'Imported {n} rows')\n"
        "raise FileUnusable(f'{name}: the file is empty')\n"
        "row.fail('type', 'is empty')\n"
        "table.notes.append('rows above were left out')\n"
        "table.problems.setdefault(3, []).append(('event', 'is not an object'))\n"
        "table.problems[3] = [('event', 'is not an object of names')]\n"
        "p.add_argument('--x', help='what x does')\n"
        "print(_('Could not import the file'))\n"
        "print(f'  {m.score:.2f}  {m.a}')\n"
        "print(f'  python -m incidents audit verify --anchor {h}')\n"
        "raise FileUnusable(_('{file}: the file is empty').format(file=name))\n"
    )
    assert len(bare_messages(source)) == 8


@pytest.mark.parametrize("name", MESSAGE_MODULES)
def test_no_bare_english_message(name: str) -> None:
    bare = bare_messages((ROOT / name).read_text(encoding="utf-8"))
    assert not bare, f"{name} gives a person words not wrapped in _(): {bare}"


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "incidents", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        env=environ,
    )


def _bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    return path


def test_import_in_arabic_names_file_row_and_field(tmp_path: Path) -> None:
    bad, db, rejected = _bad_file(tmp_path), tmp_path / "s.gpkg", tmp_path / "rej.csv"
    done = _cli("--lang", "ar", "--db", str(db), "import", str(bad), "--rejected", str(rejected))
    assert done.returncode == 1, done.stderr  # rows rejected: exit code 1 as in English
    out = done.stdout
    assert "bad.csv: قُرئت 3 صفوف بصيغة" in out  # the file, its rows, in Arabic
    assert "مرفوضة: 2" in out and "مستوردة: 1" in out
    assert "  الصف 3: type: «massacre» ليس من القيم المقبولة: " in out  # row, field, reason
    assert "  الصف 2: date_start: " in out
    assert "كُتبت الصفوف المرفوضة في" in out
    assert not re.search(r"\b(rows read|rejected|row \d)\b", out), out
    with rejected.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["id"] for r in rows] == ["bad-1", "bad-2"]  # the reader's columns stay
    assert rows[1]["problem"].startswith("الصف 3 من bad.csv: type: «massacre»")


def test_import_in_french_with_lang_after_the_command(tmp_path: Path) -> None:
    bad, db = _bad_file(tmp_path), tmp_path / "s.gpkg"
    done = _cli("import", str(bad), "--lang", "fr", "--db", str(db), "--dry-run")
    assert done.returncode == 1, done.stderr
    assert "bad.csv : 3 lignes lues comme" in done.stdout
    assert "vérification seulement : rien n’a été écrit" in done.stdout
    assert "  ligne 3 : type : « massacre » ne fait pas partie de : " in done.stdout
    assert "rejetées : 2" in done.stdout


def test_the_language_setting_and_the_system_language(tmp_path: Path) -> None:
    bad, db = _bad_file(tmp_path), tmp_path / "s.gpkg"
    by_setting = _cli("--db", str(db), "import", str(bad), "--dry-run",
                      env={"INCIDENTS_LANGUAGE": "fr", "LANG": "ar_LY.UTF-8"})  # fmt: skip
    assert "lignes lues comme" in by_setting.stdout
    by_system = _cli("--db", str(db), "import", str(bad), "--dry-run", env={"LANG": "ar_LY.UTF-8"})
    assert "صفوف بصيغة" in by_system.stdout
    english = _cli("--db", str(db), "import", str(bad), "--dry-run")
    assert "bad.csv: 3 rows read as" in english.stdout and english.returncode == 1


def test_exit_codes_are_the_same_in_every_language(tmp_path: Path) -> None:
    db = tmp_path / "s.gpkg"
    good = tmp_path / "good.csv"
    good.write_text(BAD_ROWS.splitlines()[0] + "\n" + BAD_ROWS.splitlines()[3] + "\n")
    for lang in ("en", "ar", "fr"):
        assert _cli("--lang", lang, "--db", str(db), "import", str(good)).returncode == 0
        missing = _cli("--lang", lang, "--db", str(db), "import", str(tmp_path / "none.csv"))
        assert missing.returncode == 2 and "Traceback" not in missing.stderr
    said = _cli("--lang", "ar", "--db", str(db), "import", str(tmp_path / "none.csv")).stderr
    assert "تعذّر الاستيراد: none.csv: الملف غير موجود" in said
    unknown = _cli("--lang", "de", "--db", str(db), "import", str(good))
    assert unknown.returncode == 2 and "--lang" in unknown.stderr


def test_help_and_audit_speak_the_language(tmp_path: Path) -> None:
    db = tmp_path / "s.gpkg"
    helped = _cli("--lang", "fr", "import", "--help")
    assert "où écrire les lignes rejetées (CSV)" in helped.stdout
    _cli("--db", str(db), "import", str(EXAMPLE))
    verify = _cli("--lang", "ar", "--db", str(db), "audit", "verify")
    assert verify.returncode == 0 and "سجل التدقيق سليم" in verify.stdout


def test_validation_messages_in_french() -> None:
    translation.set_language("fr")
    raw = {"type": "massacre", "date_start": "2999-01-01", "latitude": "95", "killed_best": "x"}
    with pytest.raises(RowInvalid) as caught:
        validate_row(raw)
    said = {p.field: p.message for p in caught.value.problems}
    assert said["type"].startswith("« massacre » ne fait pas partie de : ")
    assert said["date_start"] == "2999-01-01 est dans le futur"
    assert said["latitude"] == "95 est hors de l’intervalle -90 à 90"
    assert said["longitude"].startswith("est vide alors que l’autre coordonnée est donnée")
    assert said["killed_best"] == "« x » n’est pas un nombre"
    with pytest.raises(RowInvalid) as undated:
        validate_row({"type": "torture", "date_start": "03/04/2020"})
    assert undated.value.problems[0].message.startswith(
        "« 03/04/2020 » pourrait être le 3 avril ou le 4 mars 2020 ; "
    )
    translation.set_language("en")
    with pytest.raises(RowInvalid) as english:
        validate_row(raw)
    assert english.value.problems[0].message.startswith("'massacre' is not one of: ")


def test_the_report_follows_the_language_it_is_read_in(tmp_path: Path) -> None:
    """The import page keeps the report and shows it again on later runs: its lines are
    built in the language of the run that shows them."""
    from incidents.access import Role, Viewer
    from incidents.import_read import ImportOptions
    from incidents.importer import import_file
    from incidents.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "s.gpkg")
    translation.set_language("ar")
    report = import_file(
        _bad_file(tmp_path), store, Viewer("t", Role.EDITOR), ImportOptions(dry_run=True)
    )
    assert any(
        line.startswith("  الصف 3: type: «massacre» ليس من القيم المقبولة: ")
        for line in report.lines()
    )
    translation.set_language("fr")
    lines = report.lines()
    assert lines[0].startswith("bad.csv : 3 lignes lues comme")
    assert ("rejetées", 2) in report.counts()
    translation.set_language("en")
    assert ("rejected", 2) in report.counts()


def test_throttle_messages_count_minutes_in_arabic() -> None:
    translation.set_language("ar")
    assert "انتظر دقيقتين" in Refusal(wait_seconds=100, everyone=False).message
    assert "انتظر 5 دقائق" in Refusal(wait_seconds=300, everyone=True).message
    translation.set_language("fr")
    assert Refusal(wait_seconds=30, everyone=False).message == (
        "Trop de connexions échouées depuis ici : attendez une minute, puis réessayez."
    )


def test_reader_errors_in_arabic(tmp_path: Path) -> None:
    from incidents.io.formats import read_any
    from incidents.io.tabular import FileUnusable

    translation.set_language("ar")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileUnusable, match=r"^empty\.csv: الملف فارغ$"):
        read_any(empty, None, "empty.csv")
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": ', encoding="utf-8")
    with pytest.raises(FileUnusable, match="هذا ليس GeoJSON صالحاً"):
        read_any(broken, None, "broken.geojson")


@pytest.mark.parametrize(
    ("argv", "environ", "wanted"),
    [
        (["--lang", "ar", "import", "x.csv"], {"INCIDENTS_LANGUAGE": "fr"}, "ar"),
        (["import", "x.csv", "--lang=fr"], {}, "fr"),
        (["import", "x.csv"], {"INCIDENTS_LANGUAGE": "fr", "LANG": "ar_LY.UTF-8"}, "fr"),
        (["import", "x.csv"], {"LANG": "ar_LY.UTF-8"}, "ar"),
        (["import", "x.csv"], {"LC_MESSAGES": "fr_FR.UTF-8", "LANG": "ar_LY.UTF-8"}, "fr"),
        (["import", "x.csv"], {"LC_ALL": "de_DE.UTF-8", "LANG": "ar_LY.UTF-8"}, "en"),
        (["import", "x.csv"], {"LANG": "C.UTF-8"}, "en"),
        (["import", "x.csv"], {}, "en"),
        (["import", "--", "--lang", "ar"], {}, "en"),
    ],
)
def test_the_language_chosen(argv: list[str], environ: dict[str, str], wanted: str) -> None:
    assert chosen_language(argv, environ) == wanted


def test_requested_reads_the_last_lang() -> None:
    assert requested(["--lang", "ar", "import", "x", "--lang", "fr"]) == "fr"
    assert requested(["import", "x"]) is None


def test_an_in_process_run_leaves_the_language_as_it_was(tmp_path: Path) -> None:
    from incidents.cli import main

    translation.set_language("en")
    buffer = io.StringIO()
    old = sys.stdout
    sys.stdout = buffer
    try:
        code = main(["--lang", "ar", "--db", str(tmp_path / "s.gpkg"), "template",
                     "--out", str(tmp_path / "t.csv")])  # fmt: skip
    finally:
        sys.stdout = old
    assert code == 0 and buffer.getvalue().startswith("كُتب النموذج في")
    assert translation.language() == "en"


def _import_page_in_arabic() -> None:
    """The import page as app.py runs it in Arabic: the run's language set first."""
    from app_pages import import_flow
    from incidents import translation

    translation.set_language("ar")
    import_flow.main()


def test_the_import_page_shows_the_report_in_arabic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from app_pages import common
    from tests.app.conftest import EDITOR, point_app_at

    point_app_at(str(tmp_path / "s.gpkg"), tmp_path, monkeypatch)
    monkeypatch.setattr(common, "viewer", lambda: EDITOR)
    at = AppTest.from_function(_import_page_in_arabic, default_timeout=60)
    bad = _bad_file(tmp_path)
    # Between runs Streamlit formats widget values again (the import format's label)
    # outside the page's run: in the app, in the session's language, as here.
    translation.set_language("ar")
    at.run().file_uploader[0].set_value((bad.name, bad.read_bytes(), "text/csv")).run()
    at.button(key="import_check").click().run()
    report = "\n".join(t.value for t in at.text)  # plain text, the fields as the form names them
    assert f"الصف 3: {translation._('Type')}: «massacre» ليس من القيم المقبولة: " in report
    assert "\nمرفوضة: 2" in report and "rejected" not in report and "type:" not in report
    assert [m.label for m in at.metric][-1] == "مرفوضة"


def test_lang_before_a_command_with_its_own_lang_reaches_it() -> None:
    """export has a --lang of its own (the file's words): given before the command, the
    language reaches it as well as the messages."""
    from incidents.cli import build

    root = build()
    for before, lang in ((["--lang", "ar"], "ar"), ([], None)):
        ctx = root.make_context("python -m incidents", [*before, "export", "png", "--out", "x"])
        export = root.commands["export"].make_context("export", ctx.args, parent=ctx)
        assert export.params["lang"] == lang
