"""`python -m incidents`: the command line for analysts, scripts and checks.

Exit codes: 0 all good, 1 done with some rows rejected (or problems found),
2 the input could not be used at all.
"""

from __future__ import annotations

import argparse
import contextvars
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from incidents import cli_language
from incidents.access import Role, Viewer
from incidents.dates import DayOrder
from incidents.failures import log_unexpected, sentence
from incidents.import_fill import fixed_problems
from incidents.importer import ImportFailed, ImportOptions, import_file
from incidents.io.formats import formats
from incidents.store import Store, StoreError, display_url, open_store
from incidents.store.audit import now_utc
from incidents.translation import N_, _, ngettext, set_language

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        _COMMANDS[name] = func
        return func

    return register


_DB_HELP = N_("store: a .gpkg path or postgresql:// URL (or INCIDENTS_DB)")
_DESCRIPTION = N_(
    "The command line for analysts, scripts and checks. Exit codes: 0 all good, 1 done "
    "with some rows rejected (or problems found), 2 the input could not be used at all."
)


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the active language (main sets it before building)."""
    parser = argparse.ArgumentParser(prog="python -m incidents", description=_(_DESCRIPTION))
    parser.add_argument("--db", help=_(_DB_HELP))
    cli_language.add_option(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help=_("import a spreadsheet, ACLED, UCDP, HXL, GeoJSON or GPKG"))
    p.add_argument("path", type=Path)
    p.add_argument("--format", choices=sorted(formats()), help=_("override format detection"))
    p.add_argument(
        "--map",
        action="append",
        default=[],
        type=_mapping,
        metavar="COLUMN=FIELD",
        help=_("map a column of the file to a template field (repeatable)"),
    )
    p.add_argument(
        "--set",
        dest="fixed",
        action="append",
        default=[],
        type=_setting,
        metavar="FIELD=VALUE",
        help=_("one value for every row whose cell is empty, e.g. --set type=killing (repeatable)"),
    )
    p.add_argument("--day-first", action="store_true", help=_("read 03/04/2020 as 3 April"))
    p.add_argument("--month-first", action="store_true", help=_("read 03/04/2020 as March 4"))
    p.add_argument(
        "--country",
        default=ImportOptions.default_country,
        help=_(
            "the project's default country, for rows that name none and have no point "
            "(default {country}; the summary says how many rows took it)"
        ).format(country=ImportOptions.default_country),
    )
    p.add_argument("--rejected", type=Path, help=_("where to write rejected rows (CSV)"))
    p.add_argument("--warnings", type=Path, help=_("where to write the warnings (CSV)"))
    p.add_argument("--as", dest="actor", default="cli", help=_("name recorded in the audit log"))
    p.add_argument("--dry-run", action="store_true", help=_("check the file; write nothing"))

    g = sub.add_parser("geocode", help=_("look up a place name offline"))
    g.add_argument("name")
    g.add_argument("--country", default="LY")
    g.add_argument("--json", action="store_true")

    t = sub.add_parser("template", help=_("write the blank import template"))
    t.add_argument("--out", type=Path, required=True, help=_("a .csv or .xlsx path"))

    a = sub.add_parser(
        "audit", help=_("check the audit log and the records against it, or print its anchor")
    )
    a.add_argument("action", choices=["verify", "anchor"])
    a.add_argument(
        "--anchor", metavar="HASH", help=_("verify: the chain must still hold this head hash")
    )
    _extend(sub)
    _db_after_command(sub)
    return parser


def _db_after_command(sub: argparse._SubParsersAction) -> None:
    """Every command, and every action of one (users add ...), takes --db and --lang
    after its name too, as people type it (`import x.csv --db y.gpkg`). SUPPRESS: left
    out, it keeps the value given before the command. Run after _extend, so
    contributed commands get it as well."""
    for parser in sub.choices.values():
        if "--db" not in parser._option_string_actions:
            parser.add_argument("--db", default=argparse.SUPPRESS, help=_(_DB_HELP))
        cli_language.add_option(parser, after_command=True)
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                _db_after_command(action)


def _extend(sub: argparse._SubParsersAction) -> None:
    """Commands contributed by other modules (exports, users, migration, and delete,
    restore, revert, purge, history, deleted: record_cli.py)."""
    modules = ("incidents.export.cli", "incidents.auth.cli", "incidents.migrate")
    for module in (*modules, "incidents.record_cli", "incidents.duplicates_cli"):
        try:
            extension = __import__(module, fromlist=["add_commands"])
        except ModuleNotFoundError:
            continue
        extension.add_commands(sub, command)


@command("import")
def _import(args: argparse.Namespace) -> int:
    column_map = dict(args.map)
    order: DayOrder | None = (
        "day_first" if args.day_first else "month_first" if args.month_first else None
    )
    fixed = dict(args.fixed)
    problems = fixed_problems(fixed)
    if problems:  # before the store is opened: nothing is written
        said = _("Could not import {file}: {problems}")
        print(said.format(file=args.path.name, problems="; ".join(problems)), file=sys.stderr)
        return 2
    options = ImportOptions(
        args.format, column_map or None, order, args.country, args.dry_run, fixed or None
    )
    store = open_store(args.db)
    viewer = Viewer(args.actor, Role.EDITOR)
    try:
        report = import_file(args.path, store, viewer, options, progress=_progress)
    except ImportFailed as error:
        print(_("Could not import: {error}").format(error=error), file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    if report.warnings:
        written = args.warnings or args.path.with_name(args.path.stem + ".warnings.csv")
        written.write_bytes(report.warnings_csv())
        said = _("Warnings written to {path}: the rows were kept; check what was changed.")
        print(said.format(path=written))
    if report.rejected:
        target = args.rejected or args.path.with_name(args.path.stem + ".rejected.csv")
        target.write_bytes(report.rejected_csv())
        said = _("Rejected rows written to {path}: fix them and import that file again.")
        print(said.format(path=target))
        return 1
    return 0


def _progress(stage: str, done: int, total: int) -> None:
    if total >= 5000:
        print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)


@command("geocode")
def _geocode(args: argparse.Namespace) -> int:
    from geodata import geocode

    result = geocode(args.name, country=args.country or None)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        verdict = _("confident") if result.confident else _("not confident: review the candidates")
        print(_("{name}: {verdict}").format(name=args.name, verdict=verdict))
        for m in result.matches:
            print(f"  {m.score:5.1f}  {m.name} ({m.admin1 or '?'})  {m.lat:.5f}, {m.lon:.5f}")
    return 0 if result.confident else 1


@command("template")
def _template(args: argparse.Namespace) -> int:
    from incidents.io.template import blank_template_csv, blank_template_xlsx

    data = blank_template_xlsx() if args.out.suffix == ".xlsx" else blank_template_csv()
    args.out.write_bytes(data)
    print(_("Template written to {path}").format(path=args.out))
    return 0


@command("audit")
def _audit(args: argparse.Namespace) -> int:
    try:
        store = open_store(args.db)
        if args.action == "anchor":
            return _anchor(store, display_url(args.db))
        return _verify(store, display_url(args.db), args.anchor)
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


def _mapping(text: str) -> tuple[str, str]:
    """--map 'Incident date=date_start': the file's column, then the template field."""
    column, sep, name = text.partition("=")
    if not sep or not column.strip() or not name.strip():
        said = _("{text} is not COLUMN=FIELD (for example --map 'Incident date=date_start')")
        raise argparse.ArgumentTypeError(said.format(text=repr(text)))
    return column.strip(), name.strip()


def _setting(text: str) -> tuple[str, str]:
    """--set 'country=Somalia': a template field, then the value for every row."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        said = _("{text} is not FIELD=VALUE (for example --set type=killing)")
        raise argparse.ArgumentTypeError(said.format(text=repr(text)))
    return name.strip(), value.strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command in its language (cli_language), in a context of its own so that
    the language chosen does not outlive the command (tests run many in one process)."""
    return contextvars.copy_context().run(_main, argv)


def _main(argv: Sequence[str] | None) -> int:
    """A failure nobody foresaw is one sentence here, its trace in the log."""
    words = sys.argv[1:] if argv is None else list(argv)
    set_language(cli_language.chosen_language(words))
    args = cli_language.carried(build_parser().parse_args(words), words)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except sqlite3.DatabaseError as error:
        where = args.db or os.environ.get("INCIDENTS_DB") or _("the store")
        said = _("{store} is not a GeoPackage this tool can open, or it is damaged ({error}).")
        print(said.format(store=where, error=error), file=sys.stderr)
        return 2
    except Exception as error:  # the last guard: a sentence, never a trace
        reference = log_unexpected(f"python -m incidents {args.command}", error)
        what = _("The {command} command").format(command=args.command)
        print(sentence(what, error, reference), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
