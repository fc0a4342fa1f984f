"""`python -m incidents`: the command line for analysts, scripts and checks.

Exit codes: 0 all good, 1 done with some rows rejected (or problems found),
2 the input could not be used at all.
"""

from __future__ import annotations

import contextvars
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import click

from incidents import cli_language, duplicates_cli, evidence, migrate, record_cli
from incidents.access import Role, Viewer
from incidents.auth import cli as users_cli
from incidents.dates import DayOrder
from incidents.export import cli as export_cli
from incidents.failures import log_unexpected, sentence
from incidents.import_fill import fixed_problems
from incidents.import_read import ImportFailed, ImportOptions
from incidents.importer import import_file
from incidents.io.formats import formats
from incidents.output_files import OutputRefused, check_output, kept_files, write_output
from incidents.report import ImportReport
from incidents.store import Store, StoreError, display_url, open_store
from incidents.store.audit import now_utc
from incidents.translation import N_, _, ngettext, set_language

_DESCRIPTION = N_(
    "The command line for analysts, scripts and checks. Exit codes: 0 all good, 1 done "
    "with some rows rejected (or problems found), 2 the input could not be used at all."
)
_PATH = click.Path(path_type=Path)


@click.group("python -m incidents", help=_DESCRIPTION,
             context_settings={"help_option_names": ["-h", "--help"]})  # fmt: skip
def cli() -> None:
    """The root: --db and --lang are read by each command (cli_language)."""


def build() -> click.Group:
    """Every command, its help in the active language (main sets it before building).
    Other modules add exports, users, evidence, migration, the record commands (delete,
    restore, revert, purge, history, deleted) and duplicates."""
    for module in (export_cli, users_cli, evidence, migrate, record_cli, duplicates_cli):
        for command in module.COMMANDS:
            cli.add_command(command)
    return cast(click.Group, cli_language.prepared(cli))


def _pair(refusal: str, unused: bool = False) -> Callable[[str], tuple[str, str]]:
    """--map 'Incident date=date_start' (the file's column, the template field) and --set
    'country=Somalia' (a template field, its value for every row): what is either side of
    '='. unused: nothing after '=' is allowed (--map 'Vis=': the column is not used)."""

    def split(text: str) -> tuple[str, str]:
        left, sep, right = text.partition("=")
        if not sep or not left.strip() or not (right.strip() or unused):
            raise click.BadParameter(_(refusal).format(text=repr(text)))
        return left.strip(), right.strip()

    return split


_MAP = _pair(
    N_("{text} is not COLUMN=FIELD (for example --map 'Incident date=date_start')"), unused=True
)
_SET = _pair(N_("{text} is not FIELD=VALUE (for example --set type=killing)"))
_COUNTRY_HELP = N_(
    "the default country, for rows that name none and have no point (default: the "
    "country most of the file's rows name, else the one most stored records are in, "
    "else Libya; the summary says how many rows took it)"
)
_SET_HELP = N_("one value for every row whose cell is empty, e.g. --set type=killing (repeatable)")
_MAP_HELP = N_(
    "map a column of the file to a template field, or to nothing ('COLUMN=': not used) (repeatable)"
)


@cli.command("import", help=N_("import a spreadsheet, ACLED, UCDP, HXL, GeoJSON or GPKG"))
@click.argument("path", type=_PATH)
@click.option("--format", "fmt", type=click.Choice(sorted(formats())),
              help=N_("override format detection"))  # fmt: skip
@click.option("--map", "column_map", multiple=True, type=_MAP, metavar="COLUMN=FIELD",
              help=_MAP_HELP)  # fmt: skip
@click.option("--set", "fixed", multiple=True, type=_SET, metavar="FIELD=VALUE", help=_SET_HELP)
@click.option("--day-first", is_flag=True, help=N_("read 03/04/2020 as 3 April"))
@click.option("--month-first", is_flag=True, help=N_("read 03/04/2020 as March 4"))
@click.option("--country", default=ImportOptions.default_country, help=_COUNTRY_HELP)
@click.option("--rejected", type=_PATH, help=N_("where to write rejected rows (CSV)"))
@click.option("--warnings", type=_PATH, help=N_("where to write the warnings (CSV)"))
@cli_language.as_option()
@click.option("--dry-run", is_flag=True, help=N_("check the file; write nothing"))
@cli_language.pass_db
def _import(db: str | None, path: Path, **o: Any) -> int:
    day_first, month_first, fixed = o["day_first"], o["month_first"], dict(o["fixed"])
    order: DayOrder | None = "day_first" if day_first else "month_first" if month_first else None
    problems = fixed_problems(fixed)
    if problems:  # before the store is opened: nothing is written
        said = _("Could not import {file}: {problems}")
        print(said.format(file=path.name, problems=_("; ").join(problems)), file=sys.stderr)
        return 2
    column_map = dict(o["column_map"]) or None
    options = ImportOptions(o["fmt"], column_map, order, o["country"], o["dry_run"], fixed or None)
    viewer = Viewer(o["actor"], Role.EDITOR)
    keep: tuple[str | Path, ...] = (*kept_files(db), path)  # the rows are private
    try:
        for given in (o["rejected"], o["warnings"]):  # refused before anything is stored
            if given:
                check_output(given, keep)
        report = import_file(path, open_store(db), viewer, options, progress=_progress)
    except OutputRefused as error:
        print(_("Could not import {file}: {problems}").format(file=path.name, problems=error),
              file=sys.stderr)  # fmt: skip
        return 2
    except ImportFailed as error:
        said = _("Could not import: {error}").format(error=error)
        print(_for_terminal(said), file=sys.stderr)
        return 2
    print(_for_terminal("\n".join(report.lines())))
    return _row_files(report, path, {"rejected": o["rejected"], "warnings": o["warnings"]}, keep)


def _row_files(
    report: ImportReport, path: Path, given: dict[str, Path | None], keep: tuple[str | Path, ...]
) -> int:
    """The rejected rows' file first (the only list of what was refused, with why), then
    the warnings', each on its own: one that cannot be written no longer keeps the other
    from being written (a review found the rejected rows lost to an unwritable warnings
    file). Exit code 1 when rows were rejected or a file was not written."""
    files = [
        ("rejected", report.rejected_csv, _REJECTED_WRITTEN) if report.rejected else None,
        ("warnings", report.warnings_csv, _WARNINGS_WRITTEN) if report.warnings else None,
    ]
    code = 1 if report.rejected else 0
    for kind, data, said in filter(None, files):
        target = given[kind] or path.with_name(f"{path.stem}.{kind}.csv")
        try:
            write_output(target, data(), private=True, keep=keep)
        except OutputRefused as error:  # beside the file (no --rejected): found only now
            unwritten = _CHECKED_NOT_WRITTEN if report.dry_run else _STORED_NOT_WRITTEN
            print(_(unwritten).format(error=error), file=sys.stderr)
            code = 1
            continue
        print(_(said).format(path=target))
    return code


_REJECTED_WRITTEN = N_("Rejected rows written to {path}: fix them and import that file again.")
_WARNINGS_WRITTEN = N_("Warnings written to {path}: the rows were kept; check what was changed.")
_STORED_NOT_WRITTEN = N_(
    "The import is stored as reported above, but a file was not written: {error}"
)
_CHECKED_NOT_WRITTEN = N_("Nothing was stored (a check only), and a file was not written: {error}")


# C0 and C1 control characters but the line break and tab, and DEL: a file's column name
# or cell holding an ESC sequence, quoted back, drove the terminal (colours, its title).
_CONTROLS = dict.fromkeys([*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)], "\ufffd")


def _for_terminal(text: str) -> str:
    """text with the file's control characters shown as U+FFFD, never obeyed."""
    return text.translate(_CONTROLS)


def _progress(stage: str, done: int, total: int) -> None:
    if total >= 5000:
        print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)


@cli.command("geocode", help=N_("look up a place name offline"))
@click.argument("name")
@click.option("--country", default="LY")
@click.option("--json", "as_json", is_flag=True)
def _geocode(name: str, country: str, as_json: bool) -> int:
    from geodata import geocode

    result = geocode(name, country=country or None)
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        verdict = _("confident") if result.confident else _("not confident: review the candidates")
        print(_("{name}: {verdict}").format(name=name, verdict=verdict))
        for m in result.matches:
            print(f"  {m.score:5.1f}  {m.name} ({m.admin1 or '?'})  {m.lat:.5f}, {m.lon:.5f}")
    return 0 if result.confident else 1


@cli.command("template", help=N_("write the blank import template"))
@click.option("--out", type=_PATH, required=True, help=N_("a .csv or .xlsx path"))
def _template(out: Path) -> int:
    from incidents.io.template import blank_template_csv, blank_template_xlsx

    out.write_bytes(blank_template_xlsx() if out.suffix == ".xlsx" else blank_template_csv())
    print(_("Template written to {path}").format(path=out))
    return 0


@cli.command(
    "audit", help=N_("check the audit log and the records against it, or print its anchor")
)
@click.argument("action", type=click.Choice(["verify", "anchor"]))
@click.option(
    "--anchor", metavar="HASH", help=N_("verify: the chain must still hold this head hash")
)
@cli_language.pass_db
def _audit(db: str | None, action: str, anchor: str | None) -> int:
    try:
        store = open_store(db)
        if action == "anchor":
            return _anchor(store, display_url(db))
        return _verify(store, display_url(db), anchor)
    except StoreError as error:
        print(_("Could not check the audit log: {error}").format(error=error), file=sys.stderr)
        return 2


def _anchor(store: Store, name: str) -> int:
    """Print the chain's head: what to keep outside this system."""
    head = store.audit_head()
    if head is None:
        print(
            _("The audit log of {store} is empty: there is nothing to anchor yet.").format(
                store=name
            )
        )
        return 1
    said = ngettext(
        "Audit log of {store}: {n} entry, the last one ({seq}) written at {at}.",
        "Audit log of {store}: {n} entries, the last one ({seq}) written at {at}.",
        head.entries,
    )
    print(said.format(store=name, n=head.entries, seq=head.seq, at=head.at))
    print(_("Head hash (read at {at}):").format(at=now_utc()))
    print(head.hash)
    print(_("Keep this hash outside this system (a report, an e-mail); later check with:"))
    print(f"  python -m incidents audit verify --anchor {head.hash}")
    return 0


def _verify(store: Store, name: str, anchor: str | None) -> int:
    """The chain, the anchor if given, then every record against the chain."""
    chain = store.verify_audit()
    anchored = store.verify_anchor(anchor) if anchor else []
    records = store.verify_records()
    head = store.audit_head()
    if chain:
        _block(_("The audit log of {store} has been altered:").format(store=name), chain)
    if anchored:
        _block(_("The anchor does not hold:"), anchored)
    if records.problems:
        many = len(records.problems)
        said = ngettext(
            "{n} record of {store} differs from what the audit log says:",
            "{n} records of {store} differ from what the audit log says:",
            many,
        )
        _block(said.format(n=many, store=name), records.problems)
    _warn_if_shared(store)
    if records.unchecked:
        _block(_("Some records cannot be checked against the audit log:"), records.unchecked)
    if chain or anchored or records.problems:
        return 1
    entries = head.entries if head else 0
    said = ngettext(
        "Audit log intact: {n} entry, every hash checks.",
        "Audit log intact: {n} entries, every hash checks.",
        entries,
    )
    print(said.format(n=entries))
    if records.unchecked:
        said = _(
            "Records: {n} in the store, each as its last audit entry says (except what is "
            "named above as not checkable)."
        )
    else:
        said = _("Records: {n} in the store, each as its last audit entry says.")
    print(said.format(n=records.checked))
    if anchor:
        print(_("The anchored entry is still in the chain."))
    else:
        print(
            _(
                "Without an anchor, entries removed from the end of the log go unnoticed: keep "
                "the hash `python -m incidents audit anchor` prints, and pass it with --anchor."
            )
        )
    return 0


def _warn_if_shared(store: Store) -> None:
    """A store file others can read (made before files were created private, or
    copied): say so, since it holds every confidential field."""
    path = getattr(store, "path", None)
    if not isinstance(path, Path) or not path.exists():
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        said = _(
            "Warning: {path} can be read by other accounts on this computer (mode {mode}) and "
            "holds confidential fields; make it private with: chmod 600 {path}"
        )
        print(said.format(path=path, mode=f"{mode:o}"))


def _block(title: str, lines: list[str], shown: int = 100) -> None:
    print(title)
    print("\n".join(f"  {line}" for line in lines[:shown]))
    if len(lines) > shown:
        more = len(lines) - shown
        print("  " + ngettext("... and {n} more.", "... and {n} more.", more).format(n=more))


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in its language (cli_language), in a context of its own so that
    the language chosen does not outlive the command (tests run many in one process)."""
    return contextvars.copy_context().run(_main, argv)


def _main(argv: Sequence[str] | None) -> int:
    """A failure nobody foresaw is one sentence here, its trace in the log."""
    words = sys.argv[1:] if argv is None else list(argv)
    set_language(cli_language.chosen_language(words))
    run: list[click.Context] = []  # the run's context, once the words are read
    try:
        return _run(words, run)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except sqlite3.DatabaseError as error:
        db = run[0].meta.get("incidents.db") if run else None
        where = db or os.environ.get("INCIDENTS_DB") or _("the store")
        said = _("{store} is not a GeoPackage this tool can open, or it is damaged ({error}).")
        print(said.format(store=where, error=error), file=sys.stderr)
        return 2
    except Exception as error:  # the last guard: a sentence, never a trace
        command = (run[0].invoked_subcommand if run else None) or "?"
        reference = log_unexpected(f"python -m incidents {command}", error)
        what = _("The {command} command").format(command=command)
        print(sentence(what, error, reference), file=sys.stderr)
        return 2


def _run(words: list[str], run: list[click.Context]) -> int:
    """The command the words name, or click's sentence on how they are wrong (exit
    code 2, a usage error); --help prints and exits 0."""
    root = build()
    try:
        with root.make_context("python -m incidents", words) as ctx:
            run.append(ctx)
            return int(root.invoke(ctx))
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
