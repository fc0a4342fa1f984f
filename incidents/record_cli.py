"""`python -m incidents delete|restore|revert|purge|history|deleted`: a record's life
from the command line, as the app offers it (docs/editing.md).

Like `import` and `migrate`, the command line acts for whoever may run it on this
machine: --as names them in the audit log; deleting, restoring and reverting act as
an editor, purging as an administrator. Exit codes: 0 done, 2 nothing was done (no
such record, a stale version, a refused action), with the reason in one sentence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from incidents.access import Role, Viewer
from incidents.record import Incident
from incidents.record_history import readable_history
from incidents.store import StoreError, open_store
from incidents.store.base import NotFound, Store
from incidents.translation import N_, _

Command = Callable[[argparse.Namespace], int]


def add_commands(
    sub: argparse._SubParsersAction,
    command: Callable[[str], Callable[[Command], Command]],
) -> None:
    """Register the record commands on the main parser (called by incidents.cli)."""
    d = _parser(sub, "delete", N_("delete a record (it can be restored; counted nowhere)"))
    d.add_argument("--reason", required=True, help=_("why it is deleted (kept in the audit log)"))
    _parser(sub, "restore", N_("bring a deleted record back as it was"))
    r = _parser(sub, "revert", N_("store an earlier version of a record as its next version"))
    r.add_argument("--to-version", type=int, required=True, metavar="N")
    p = _parser(sub, "purge", N_("administrators: remove a record's content for a legal request"))
    p.add_argument("--reason", required=True, help=_("the legal request (kept in the audit log)"))
    _parser(sub, "history", N_("print a record's history: who changed what, when"))
    g = sub.add_parser("deleted", help=_("list the deleted records that can be restored"))
    g.add_argument("--as", dest="actor", default="cli", help=_("name recorded in the audit log"))
    for name, func in (
        ("delete", _delete),
        ("restore", _restore),
        ("revert", _revert),
        ("purge", _purge),
        ("history", _history),
        ("deleted", _deleted),
    ):
        command(name)(_guarded(name, func))


def _parser(sub: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=_(text))
    p.add_argument("id", help=_("the record's id"))
    p.add_argument("--as", dest="actor", default="cli", help=_("name recorded in the audit log"))
    return p


def _guarded(name: str, func: Command) -> Command:
    """A store's refusal (no such record, stale version, not allowed) as one sentence."""

    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except StoreError as error:
            said = _("Could not {command}: {error}").format(command=name, error=error)
            print(said, file=sys.stderr)
            return 2

    return run


def _editor(args: argparse.Namespace) -> Viewer:
    return Viewer(args.actor, Role.EDITOR)


def _opened(args: argparse.Namespace) -> tuple[Store, Viewer, Incident]:
    """The store, the editor acting, and the record as it is now (its version is the
    one the change names); NotFound, which _guarded reports, when there is none."""
    store, viewer = open_store(args.db), _editor(args)
    record = store.get(args.id, viewer)
    if record is None:
        raise NotFound(_("there is no incident '{id}'.").format(id=args.id))
    return store, viewer, record


def _delete(args: argparse.Namespace) -> int:
    store, viewer, record = _opened(args)
    store.delete(args.id, record.version, viewer, reason=args.reason)
    said = _("Deleted incident {id} ({title}). `restore {id}` brings it back.")
    print(said.format(id=args.id, title=record.title))
    return 0


def _restore(args: argparse.Namespace) -> int:
    record = open_store(args.db).restore(args.id, _editor(args))
    said = _("Restored incident {id} ({title}) as version {version}.")
    print(said.format(id=args.id, title=record.title, version=record.version))
    return 0


def _revert(args: argparse.Namespace) -> int:
    store, viewer, record = _opened(args)
    saved = store.revert(args.id, args.to_version, record.version, viewer)
    if saved.version == record.version:
        said = _("Incident {id} already reads as version {to}: nothing changed.")
    else:
        said = _("Incident {id} now reads as version {to} did (version {version}).")
    print(said.format(id=args.id, to=args.to_version, version=saved.version))
    return 0


def _purge(args: argparse.Namespace) -> int:
    open_store(args.db).purge(args.id, Viewer(args.actor, Role.ADMIN), args.reason)
    said = _(
        "Purged incident {id}: its content is gone from the store and from every audit "
        "entry of it (the audit chains copied in by a migration too); the audit log keeps "
        "who purged it, when and why."
    )
    print(said.format(id=args.id))
    return 0


def _history(args: argparse.Namespace) -> int:
    viewer = _editor(args)
    changes = readable_history(open_store(args.db).history(args.id, viewer), viewer)
    if not changes:
        said = _("No history for incident '{id}': no such record was ever stored.")
        print(said.format(id=args.id))
        return 2
    for c in changes:
        change = f"  {c.field}: {c.before} -> {c.after}" if c.field else ""
        print(f"{c.when}  {c.who}  {c.action}{change}")
    return 0


def _deleted(args: argparse.Namespace) -> int:
    records = open_store(args.db).deleted_records(_editor(args))
    if not records:
        print(_("No deleted records."))
    for r in records:
        why = _(" — reason: {reason}").format(reason=r.reason) if r.reason else ""
        said = _("(deleted by {who}, version {version})").format(who=r.deleted_by,
                                                                  version=r.version)  # fmt: skip
        print(f"{r.deleted_at[:16].replace('T', ' ')}  {r.id}  {r.title}  {said}{why}")
    return 0
