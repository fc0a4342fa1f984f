"""`python -m incidents`: the command line for analysts, scripts and checks.

Exit codes: 0 all good, 1 done with some rows rejected (or problems found),
2 the input could not be used at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from incidents.access import Role, Viewer
from incidents.dates import DayOrder
from incidents.failures import log_unexpected, sentence
from incidents.import_fill import fixed_problems
from incidents.importer import ImportFailed, ImportOptions, import_file
from incidents.io.formats import formats
from incidents.store import Store, StoreError, display_url, open_store
from incidents.store.audit import now_utc

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    def register(func: Command) -> Command:
        _COMMANDS[name] = func
        return func

    return register


_DB_HELP = "store: a .gpkg path or postgresql:// URL (or INCIDENTS_DB)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m incidents", description=__doc__)
    parser.add_argument("--db", help=_DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import a spreadsheet, ACLED, UCDP, HXL, GeoJSON or GPKG")
    p.add_argument("path", type=Path)
    p.add_argument("--format", choices=sorted(formats()), help="override format detection")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        type=_mapping,
        metavar="COLUMN=FIELD",
        help="map a column of the file to a template field (repeatable)",
    )
    p.add_argument(
        "--set",
        dest="fixed",
        action="append",
        default=[],
        type=_setting,
        metavar="FIELD=VALUE",
        help="one value for every row whose cell is empty, e.g. --set type=killing (repeatable)",
    )
    p.add_argument("--day-first", action="store_true", help="read 03/04/2020 as 3 April")
    p.add_argument("--month-first", action="store_true", help="read 03/04/2020 as March 4")
    p.add_argument(
        "--country",
        default=ImportOptions.default_country,
        help="the project's default country, for rows that name none and have no point "
        f"(default {ImportOptions.default_country}; the summary says how many rows took it)",
    )
    p.add_argument("--rejected", type=Path, help="where to write rejected rows (CSV)")
    p.add_argument("--warnings", type=Path, help="where to write the warnings (CSV)")
    p.add_argument("--as", dest="actor", default="cli", help="name recorded in the audit log")
    p.add_argument("--dry-run", action="store_true", help="check the file; write nothing")

    g = sub.add_parser("geocode", help="look up a place name offline")
    g.add_argument("name")
    g.add_argument("--country", default="LY")
    g.add_argument("--json", action="store_true")

    t = sub.add_parser("template", help="write the blank import template")
    t.add_argument("--out", type=Path, required=True, help="a .csv or .xlsx path")

    a = sub.add_parser(
        "audit", help="check the audit log and the records against it, or print its anchor"
    )
    a.add_argument("action", choices=["verify", "anchor"])
    a.add_argument(
        "--anchor", metavar="HASH", help="verify: the chain must still hold this head hash"
    )
    _extend(sub)
    _db_after_command(sub)
    return parser


def _db_after_command(sub: argparse._SubParsersAction) -> None:
    """Every command, and every action of one (users add ...), takes --db after its name
    too, as people type it (`import x.csv --db y.gpkg`). SUPPRESS: left out, it keeps
    the value given before the command. Run after _extend, so contributed commands
    get it as well."""
    for parser in sub.choices.values():
        if "--db" not in parser._option_string_actions:
            parser.add_argument("--db", default=argparse.SUPPRESS, help=_DB_HELP)
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
        print(f"Could not import {args.path.name}: " + "; ".join(problems), file=sys.stderr)
        return 2
    options = ImportOptions(
        args.format, column_map or None, order, args.country, args.dry_run, fixed or None
    )
    store = open_store(args.db)
    viewer = Viewer(args.actor, Role.EDITOR)
    try:
        report = import_file(args.path, store, viewer, options, progress=_progress)
    except ImportFailed as error:
        print(f"Could not import: {error}", file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    if report.warnings:
        written = args.warnings or args.path.with_name(args.path.stem + ".warnings.csv")
        written.write_bytes(report.warnings_csv())
        print(f"Warnings written to {written}: the rows were kept; check what was changed.")
    if report.rejected:
        target = args.rejected or args.path.with_name(args.path.stem + ".rejected.csv")
        target.write_bytes(report.rejected_csv())
        print(f"Rejected rows written to {target}: fix them and import that file again.")
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
        verdict = "confident" if result.confident else "not confident: review the candidates"
        print(f"{args.name}: {verdict}")
        for m in result.matches:
            print(f"  {m.score:5.1f}  {m.name} ({m.admin1 or '?'})  {m.lat:.5f}, {m.lon:.5f}")
    return 0 if result.confident else 1


@command("template")
def _template(args: argparse.Namespace) -> int:
    from incidents.io.template import blank_template_csv, blank_template_xlsx

    data = blank_template_xlsx() if args.out.suffix == ".xlsx" else blank_template_csv()
    args.out.write_bytes(data)
    print(f"Template written to {args.out}")
    return 0


@command("audit")
def _audit(args: argparse.Namespace) -> int:
    try:
        store = open_store(args.db)
        if args.action == "anchor":
            return _anchor(store, display_url(args.db))
        return _verify(store, display_url(args.db), args.anchor)
    except StoreError as error:
        print(f"Could not check the audit log: {error}", file=sys.stderr)
        return 2


def _anchor(store: Store, name: str) -> int:
    """Print the chain's head: what to keep outside this system."""
    head = store.audit_head()
    if head is None:
        print(f"The audit log of {name} is empty: there is nothing to anchor yet.")
        return 1
    print(
        f"Audit log of {name}: {head.entries} entries, "
        f"the last one ({head.seq}) written at {head.at}."
    )
    print(f"Head hash (read at {now_utc()}):")
    print(head.hash)
    print("Keep this hash outside this system (a report, an e-mail); later check with:")
    print(f"  python -m incidents audit verify --anchor {head.hash}")
    return 0


def _verify(store: Store, name: str, anchor: str | None) -> int:
    """The chain, the anchor if given, then every record against the chain."""
    chain = store.verify_audit()
    anchored = store.verify_anchor(anchor) if anchor else []
    records = store.verify_records()
    head = store.audit_head()
    if chain:
        _block(f"The audit log of {name} has been altered:", chain)
    if anchored:
        _block("The anchor does not hold:", anchored)
    if records.problems:
        many = len(records.problems)
        _block(
            f"{many} record{'s' if many > 1 else ''} of {name} "
            f"differ{'' if many > 1 else 's'} from what the audit log says:",
            records.problems,
        )
    _warn_if_shared(store)
    if records.unchecked:
        _block("Some records cannot be checked against the audit log:", records.unchecked)
    if chain or anchored or records.problems:
        return 1
    entries = head.entries if head else 0
    print(f"Audit log intact: {entries} entries, every hash checks.")
    print(
        f"Records: {records.checked} in the store, each as its last audit entry says"
        + (" (except what is named above as not checkable)." if records.unchecked else ".")
    )
    if anchor:
        print("The anchored entry is still in the chain.")
    else:
        print(
            "Without an anchor, entries removed from the end of the log go unnoticed: keep "
            "the hash `python -m incidents audit anchor` prints, and pass it with --anchor."
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
        print(
            f"Warning: {path} can be read by other accounts on this computer (mode "
            f"{mode:o}) and holds confidential fields; make it private with: chmod 600 {path}"
        )


def _block(title: str, lines: list[str], shown: int = 100) -> None:
    print(title)
    print("\n".join(f"  {line}" for line in lines[:shown]))
    if len(lines) > shown:
        print(f"  ... and {len(lines) - shown} more.")


def _mapping(text: str) -> tuple[str, str]:
    """--map 'Incident date=date_start': the file's column, then the template field."""
    column, sep, name = text.partition("=")
    if not sep or not column.strip() or not name.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not COLUMN=FIELD (for example --map 'Incident date=date_start')"
        )
    return column.strip(), name.strip()


def _setting(text: str) -> tuple[str, str]:
    """--set 'country=Somalia': a template field, then the value for every row."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not FIELD=VALUE (for example --set type=killing)"
        )
    return name.strip(), value.strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a failure nobody foresaw is one sentence here, its trace in the log."""
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except sqlite3.DatabaseError as error:
        where = args.db or os.environ.get("INCIDENTS_DB") or "the store"
        print(f"{where} is not a GeoPackage this tool can open, or it is damaged ({error}).",
              file=sys.stderr)  # fmt: skip
        return 2
    except Exception as error:  # the last guard: a sentence, never a trace
        reference = log_unexpected(f"python -m incidents {args.command}", error)
        print(sentence(f"The {args.command} command", error, reference), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
