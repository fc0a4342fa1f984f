"""One record written with its audit entry: what every write path of the stores shares.

Why a module of its own: saves, imports, deletes, restores, reverts, purges and bulk
changes (record_store.py, lifecycle.py) all write a record and chain an entry for it
in the same transaction; the rules for versions, provenance and entries live here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from incidents.access import Viewer
from incidents.record import Incident
from incidents.store.audit import AuditEntry, chain_entry, to_json
from incidents.store.backend import Backend
from incidents.store.base import NotAllowed, Outcome
from incidents.translation import _


def require_editor(viewer: Viewer) -> None:
    if not viewer.can_edit:
        raise NotAllowed(_("Your role can read incidents but not change them."))


def stale_message(current: Incident) -> str:
    return _(
        "Incident '{id}' was changed by {who} at {at} (now version {version}) after you "
        "opened it. Reload it and apply your change again."
    ).format(
        id=current.id,
        who=current.updated_by or _("someone else"),
        at=current.updated_at,
        version=current.version,
    )


@dataclass
class Pending:
    """New records and audit entries of a chunk, written together at its end; the
    chunk's changes carry one time (they are in one transaction)."""

    now: str
    inserts: list[Incident] = field(default_factory=list)
    updates: list[Incident] = field(default_factory=list)
    entries: list[AuditEntry] = field(default_factory=list)


def flush(db: Backend, pending: Pending) -> None:
    """A chunk's statements: its updates, its new records, then its audit entries."""
    for incident in pending.updates:
        db.update_incident(incident)
    db.insert_incidents(pending.inserts)
    db.append_audits(pending.entries)
    db.end_of_chunk()


def write_one(
    incident: Incident,
    before: Incident | None,
    viewer: Viewer,
    last: AuditEntry | None,
    action: str,
    pending: Pending,
    after: str | None = None,
) -> tuple[Outcome, AuditEntry | None]:
    """after: a new record's content as to_json gives it, when the caller has it."""
    now = pending.now
    if before is None:
        stored = incident.replace(
            created_by=viewer.name,
            created_at=now,
            updated_by=viewer.name,
            updated_at=now,
            version=1,
        )
        after = after or to_json(incident.content())
        entry = chain_entry(last, now, viewer.name, f"{action}:create", stored.id, None, after)
        pending.inserts.append(stored)
        pending.entries.append(entry)
        return Outcome(stored.id, "imported"), entry
    content, was = incident.content(), before.content()
    if was == content:
        return Outcome(incident.id, "unchanged"), last
    stored = incident.replace(
        created_by=before.created_by,
        created_at=before.created_at,
        updated_by=viewer.name,
        updated_at=now,
        version=before.version + 1,
    )
    pending.updates.append(stored)
    old, new = to_json(was), to_json(content)
    entry = chain_entry(last, now, viewer.name, f"{action}:update", stored.id, old, new)
    pending.entries.append(entry)
    changed = tuple(name for name, value in content.items() if was.get(name) != value)
    return Outcome(stored.id, "updated", changed), entry


def last_entry(db: Backend) -> AuditEntry | None:
    rows = db.fetch("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1")
    return AuditEntry(**rows[0]) if rows else None


def bump_version(db: Backend) -> None:
    db.execute(
        "UPDATE store_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
        "WHERE key = 'data_version'"
    )
