"""`python -m incidents delete|restore|revert|purge|history|deleted`: a record's life
from the command line, as the app offers it (docs/editing.md).

Like `import` and `migrate`, the command line acts for whoever may run it on this
machine: --as names them in the audit log; deleting, restoring and reverting act as
an editor, purging as an administrator. Exit codes: 0 done, 2 nothing was done (no
such record, a stale version, a refused action), with the reason in one sentence.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from incidents import cli_language
from incidents.access import Role, Viewer
from incidents.record import Incident
from incidents.record_history import readable_history
from incidents.store import StoreError, open_store
from incidents.store.base import NotFound, Store
from incidents.translation import N_, _

_REASON = N_("why it is deleted (kept in the audit log)")


def _record_command(name: str, text: str) -> Callable[[Callable[..., int]], click.Command]:
    """A command on one record: its id, --as, the store, a store's refusal (no such
    record, stale version, not allowed) as one sentence and exit code 2."""

    def make(func: Callable[..., int]) -> click.Command:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> int:
            try:
                return func(*args, **kwargs)
            except StoreError as error:
                said = _("Could not {command}: {error}").format(command=name, error=error)
                print(said, file=sys.stderr)
                return 2

        run = cli_language.as_option()(click.argument("id")(cli_language.pass_db(run)))
        return click.command(name, help=text)(run)

    return make


def _opened(db: str | None, actor: str, id: str) -> tuple[Store, Viewer, Incident]:
    """The store, the editor acting, and the record as it is now (its version is the
    one the change names); NotFound, which the command reports, when there is none."""
    store, viewer = open_store(db), Viewer(actor, Role.EDITOR)
    record = store.get(id, viewer)
    if record is None:
        raise NotFound(_("there is no incident '{id}'.").format(id=id))
    return store, viewer, record


@click.option("--reason", required=True, help=_REASON)
@_record_command("delete", N_("delete a record (it can be restored; counted nowhere)"))
def _delete(db: str | None, id: str, actor: str, reason: str) -> int:
    store, viewer, record = _opened(db, actor, id)
    store.delete(id, record.version, viewer, reason=reason)
    said = _("Deleted incident {id} ({title}). `restore {id}` brings it back.")
    print(said.format(id=id, title=record.title))
    return 0


@_record_command("restore", N_("bring a deleted record back as it was"))
def _restore(db: str | None, id: str, actor: str) -> int:
    record = open_store(db).restore(id, Viewer(actor, Role.EDITOR))
    said = _("Restored incident {id} ({title}) as version {version}.")
    print(said.format(id=id, title=record.title, version=record.version))
    return 0


@click.option("--to-version", type=int, required=True, metavar="N")
@_record_command("revert", N_("store an earlier version of a record as its next version"))
def _revert(db: str | None, id: str, actor: str, to_version: int) -> int:
    store, viewer, record = _opened(db, actor, id)
    saved = store.revert(id, to_version, record.version, viewer)
    if saved.version == record.version:
        said = _("Incident {id} already reads as version {to}: nothing changed.")
    else:
        said = _("Incident {id} now reads as version {to} did (version {version}).")
    print(said.format(id=id, to=to_version, version=saved.version))
    return 0


@click.option("--reason", required=True, help=N_("the legal request (kept in the audit log)"))
@_record_command("purge", N_("administrators: remove a record's content for a legal request"))
def _purge(db: str | None, id: str, actor: str, reason: str) -> int:
    open_store(db).purge(id, Viewer(actor, Role.ADMIN), reason)
    said = _(
        "Purged incident {id}: its content is gone from the store and from every audit "
        "entry of it (the audit chains copied in by a migration too); the audit log keeps "
        "who purged it, when and why."
    )
    print(said.format(id=id))
    return 0


@_record_command("history", N_("print a record's history: who changed what, when"))
def _history(db: str | None, id: str, actor: str) -> int:
    viewer = Viewer(actor, Role.EDITOR)
    changes = readable_history(open_store(db).history(id, viewer), viewer)
    if not changes:
        said = _("No history for incident '{id}': no such record was ever stored.")
        print(said.format(id=id))
        return 2
    for c in changes:
        change = f"  {c.field}: {c.before} -> {c.after}" if c.field else ""
        print(f"{c.when}  {c.who}  {c.action}{change}")
    return 0


@click.command("deleted", help=N_("list the deleted records that can be restored"))
@cli_language.as_option()
@cli_language.pass_db
def _deleted(db: str | None, actor: str) -> int:
    records = open_store(db).deleted_records(Viewer(actor, Role.EDITOR))
    if not records:
        print(_("No deleted records."))
    for r in records:
        why = _(" — reason: {reason}").format(reason=r.reason) if r.reason else ""
        said = _("(deleted by {who}, version {version})").format(who=r.deleted_by,
                                                                  version=r.version)  # fmt: skip
        print(f"{r.deleted_at[:16].replace('T', ' ')}  {r.id}  {r.title}  {said}{why}")
    return 0


COMMANDS = (_delete, _restore, _revert, _purge, _history, _deleted)
