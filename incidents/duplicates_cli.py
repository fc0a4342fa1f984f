"""`python -m incidents duplicates`: list probable duplicates and resolve them.

    python -m incidents duplicates [--min-score 0.4] [--json] [--limit N]
    python -m incidents duplicates merge KEPT ABSORBED [--take FIELD ...]
    python -m incidents duplicates unmerge ABSORBED
    python -m incidents duplicates not-same ID ID
    python -m incidents duplicates merge-certain

Like the other record commands, it acts as an editor named by --as (audit log).
Nothing is merged unless asked: merge-certain merges only records that carry the same
data set's same source event id (one row imported twice under two ids). Exit codes:
0 done (list: none found or listed), 2 nothing was done, with the reason.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import click

from incidents import cli_language
from incidents.access import Role, Viewer
from incidents.duplicates import DEFAULT_THRESHOLD, Match, find_candidates, reason_text
from incidents.record import Incident
from incidents.store import StoreError, open_store
from incidents.store.merges import (
    merge,
    merge_links,
    merged_keys,
    not_same,
    not_same_pairs,
    unmerge,
    visible_records,
)
from incidents.store.record_store import RecordStore
from incidents.translation import N_, _, ngettext

ACTIONS = ("list", "merge", "unmerge", "not-same", "merge-certain")
_ARITY = {"list": 0, "merge": 2, "unmerge": 1, "not-same": 2, "merge-certain": 0}
_TAKE = N_("merge: take this field's value from the absorbed record (repeatable)")


@click.command("duplicates", help=N_("list probable duplicate records; merge or keep apart"))
@click.argument("action", required=False, default="list", type=click.Choice(ACTIONS))
@click.argument("ids", nargs=-1)
@click.option("--min-score", type=float, default=DEFAULT_THRESHOLD, metavar="0-1")
@click.option("--json", is_flag=True, help=N_("list as JSON"))
@click.option("--limit", type=int, default=200, help=N_("list at most this many pairs"))
@click.option("--take", multiple=True, metavar="FIELD", help=_TAKE)
@cli_language.as_option()
@cli_language.pass_db
def _duplicates(db: str | None, **params: Any) -> int:
    """Record ids: merge KEPT ABSORBED, unmerge ABSORBED, not-same ID ID."""
    return run(db, SimpleNamespace(**params))


COMMANDS = (_duplicates,)


def run(db: str | None, args: SimpleNamespace) -> int:
    """One action; a store's refusal is one sentence and exit code 2."""
    if len(args.ids) != _ARITY[args.action]:
        wanted = _ARITY[args.action]
        said = ngettext(
            "duplicates {action} takes {n} id.", "duplicates {action} takes {n} ids.", wanted
        )
        print(said.format(action=args.action, n=wanted), file=sys.stderr)
        return 2
    store = open_store(db)
    viewer = Viewer(args.actor, Role.EDITOR)
    try:
        return _ACTIONS[args.action](store, viewer, args)
    except StoreError as refused:
        print(_("Nothing was done: {error}").format(error=refused), file=sys.stderr)
        return 2


def candidates(store: RecordStore, viewer: Viewer, min_score: float) -> list[Match]:
    """Pairs to review: what this viewer may see, merges and decisions taken into
    account (a pair said to be different is not proposed again)."""
    records = visible_records(store, viewer)
    keys = merged_keys(merge_links(store, viewer))
    return find_candidates(
        records,
        min_score=min_score,
        sees_restricted=viewer.sees_restricted,
        not_same=not_same_pairs(store),
        merged_ids=keys,
    )


def _list(store: RecordStore, viewer: Viewer, args: SimpleNamespace) -> int:
    found = candidates(store, viewer, args.min_score)
    titles = {r.id: r for r in visible_records(store, viewer)} if found else {}
    shown = found[: args.limit]
    if args.json:
        print(json.dumps([_as_dict(m, titles) for m in shown], ensure_ascii=False, indent=2))
        return 0
    if not found:
        said = _("No probable duplicates at a score of {score} or more.")
        print(said.format(score=args.min_score))
        return 0
    said = ngettext(
        "{n} probable duplicate pair, best first:",
        "{n} probable duplicate pairs, best first:",
        len(found),
    )
    print(said.format(n=len(found)))
    same = "  " + _("[same event id]")
    for m in shown:
        print(f"  {m.score:.2f}  {m.a}  {_plain(titles[m.a].title)}")
        print(f"        {m.b}  {_plain(titles[m.b].title)}")
        print(f"        {_plain(reason_text(m))}" + (same if m.certain else ""))
    if len(found) > len(shown):
        more = len(found) - len(shown)
        said = ngettext("... and {n} more (--limit).", "... and {n} more (--limit).", more)
        print("  " + said.format(n=more))
    print(_("Resolve: duplicates merge KEPT ABSORBED | duplicates not-same A B"))
    return 0


def _as_dict(m: Match, records: dict[str, Incident]) -> dict[str, object]:
    return {
        "a": m.a,
        "b": m.b,
        "score": m.score,
        "reasons": list(m.reasons),
        "same_event_id": m.certain,
        "a_title": records[m.a].title,
        "b_title": records[m.b].title,
    }


def _plain(text: str) -> str:
    """Record text on a terminal: control characters (escape sequences) left out."""
    return "".join(c if c.isprintable() else " " for c in text)


def _merge(store: RecordStore, viewer: Viewer, args: SimpleNamespace) -> int:
    kept, absorbed = args.ids
    merged = merge(store, kept, absorbed, viewer, dict.fromkeys(args.take, "absorbed"))
    said = _(
        "Merged {absorbed} into {kept} (now version {version}); undo with: duplicates "
        "unmerge {absorbed}"
    )
    print(said.format(absorbed=absorbed, kept=kept, version=merged.version))
    return 0


def _unmerge(store: RecordStore, viewer: Viewer, args: SimpleNamespace) -> int:
    kept, back = unmerge(store, args.ids[0], viewer)
    said = _("{back} is a record of its own again; {kept} is as before the merge.")
    print(said.format(back=back.id, kept=kept.id))
    return 0


def _not_same(store: RecordStore, viewer: Viewer, args: SimpleNamespace) -> int:
    not_same(store, args.ids[0], args.ids[1], viewer)
    said = _("{a} and {b} will not be proposed as duplicates again.")
    print(said.format(a=args.ids[0], b=args.ids[1]))
    return 0


def _merge_certain(store: RecordStore, viewer: Viewer, args: SimpleNamespace) -> int:
    """Merge the pairs that share one data set's event id, older record kept."""
    done = merge_certain(store, viewer)
    said = ngettext(
        "Merged {n} record that carried the same data set's event id.",
        "Merged {n} records that carried the same data set's event id.",
        len(done),
    )
    print(said.format(n=len(done)))
    for kept, absorbed in done:
        print("  " + _("{absorbed} into {kept}").format(absorbed=absorbed, kept=kept))
    return 0


def merge_certain(store: RecordStore, viewer: Viewer) -> list[tuple[str, str]]:
    """Merge every pair of records with the same data set's same source event id."""
    done: list[tuple[str, str]] = []
    gone: set[str] = set()
    for m in candidates(store, viewer, 1.0):
        if not m.certain or m.a in gone or m.b in gone:
            continue
        kept, absorbed = sorted((m.a, m.b))
        merge(store, kept, absorbed, viewer)
        gone.add(absorbed)
        done.append((kept, absorbed))
    return done


_Action = Callable[[RecordStore, Viewer, SimpleNamespace], int]
_ACTIONS: dict[str, _Action] = {
    "list": _list,
    "merge": _merge,
    "unmerge": _unmerge,
    "not-same": _not_same,
    "merge-certain": _merge_certain,
}
