"""Deleting, restoring, reverting and purging records, and changing many at once.

Why here, once: both stores (gpkg.py, postgis.py) get these through RecordStore, so
a delete hides a record from every view in either database alike. A delete is a
tombstone (tombstones.py): the record leaves the incidents table, its content stays
in the audit chain. A restore or a revert writes a new version; a purge removes a
record's content from the tables and from every audit entry of it, leaving digests
(audit.py, rule 2) and one entry that says who purged which id, when and why.
Each call is one transaction: all of it, or nothing.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from incidents.access import Viewer
from incidents.record import Incident, incident_from_content
from incidents.schema import VERIFICATION_STATUSES
from incidents.store import audit_copies, tombstones
from incidents.store.audit import (
    PURGE_ACTION,
    AuditEntry,
    chain_entry,
    follows_rule2,
    is_purged,
    now_utc,
    purge_marker,
    to_json,
)
from incidents.store.backend import Backend
from incidents.store.base import DeletedRecord, NotAllowed, NotFound, StaleEdit, StoreError
from incidents.store.columns import load_records
from incidents.store.record_versions import entry_versions
from incidents.store.writes import (
    Pending,
    bump_version,
    flush,
    last_entry,
    require_editor,
    stale_message,
    write_one,
)
from incidents.translation import _

_TAG_LIMIT = 100
_Change = Callable[[Incident], Incident]


class Lifecycle(ABC):
    """Delete, restore, revert, purge and bulk changes for RecordStore."""

    @abstractmethod
    def _backend(self) -> AbstractContextManager[Backend]: ...

    @abstractmethod
    def _read_backend(self) -> AbstractContextManager[Backend]: ...

    def delete(self, incident_id: str, version: int, viewer: Viewer, reason: str = "") -> None:
        """Delete one record if nobody changed it since the caller read it: it is hidden
        from every view and count, and can be restored."""
        require_editor(viewer)
        with self._backend() as db:
            before = _as_opened(db, incident_id, version)
            _bury(db, before, viewer, reason.strip(), now_utc())
            bump_version(db)

    def bulk_delete(self, ids: Sequence[str], reason: str, viewer: Viewer) -> int:
        """Delete every listed record (one transaction); how many were deleted."""
        require_editor(viewer)
        with self._backend() as db:
            wanted, records = _all_of(db, ids)
            now = now_utc()
            for incident_id in wanted:
                _bury(db, records[incident_id], viewer, reason.strip(), now)
            if wanted:
                bump_version(db)
        return len(wanted)

    def restore(self, incident_id: str, viewer: Viewer) -> Incident:
        """Bring a deleted record back as it was when deleted, as its next version."""
        require_editor(viewer)
        with self._backend() as db:
            stone = tombstones.tombstone(db, incident_id)
            if stone is None:
                raise NotFound(
                    _("Incident '{id}' is not among the deleted records.").format(id=incident_id)
                )
            if load_records(db, [incident_id]):
                raise StoreError(
                    _("An incident with id '{id}' exists already.").format(id=incident_id)
                )
            content = tombstones.buried_content(db, stone)
            if content is None:
                raise NotFound(
                    _("Incident '{id}' was purged and cannot be restored.").format(id=incident_id)
                )
            now = now_utc()
            record = incident_from_content(content).replace(
                created_by=stone["created_by"],
                created_at=stone["created_at"],
                updated_by=viewer.name,
                updated_at=now,
                version=int(stone["version"]) + 1,
            )
            after = to_json(record.content())
            entry = chain_entry(
                last_entry(db), now, viewer.name, "restore:create", incident_id, None, after
            )
            db.insert_incident(record)
            db.append_audit(entry)
            tombstones.unbury(db, incident_id)
            bump_version(db)
            return load_records(db, [incident_id])[incident_id]

    def revert(
        self, incident_id: str, to_version: int, current_version: int, viewer: Viewer
    ) -> Incident:
        """Store what the record said at to_version as its next version."""
        require_editor(viewer)
        with self._backend() as db:
            before = _as_opened(db, incident_id, current_version)
            content = _content_at(db, incident_id, to_version, before.version)
            target = incident_from_content(content).replace(version=before.version)
            pending = Pending(now_utc())
            outcome, _entry = write_one(
                target, before, viewer, last_entry(db), f"revert:v{to_version}", pending
            )
            if outcome.kind == "unchanged":
                return before
            flush(db, pending)
            bump_version(db)
            return load_records(db, [incident_id])[incident_id]

    def purge(self, incident_id: str, viewer: Viewer, reason: str) -> None:
        """Admins: remove a record's content from the store and from its audit entries
        (a legal request); one entry records who purged which id, when, and why."""
        if not viewer.is_admin:
            raise NotAllowed(_("Only administrators can purge a record."))
        if not reason.strip():
            raise StoreError(_("Say why the record is purged (for example the legal request)."))
        with self._backend() as db:
            db.erase_deleted()
            now = now_utc()
            live = load_records(db, [incident_id]).get(incident_id)
            if live is not None:
                _bury(db, live, viewer, "purged", now)
            rows = db.fetch(
                "SELECT * FROM audit_log WHERE incident_id = %s ORDER BY seq", [incident_id]
            )
            copies = audit_copies.copies_of(db, incident_id)
            if not rows and not copies:
                raise NotFound(_("Incident '{id}' is not in this store.").format(id=incident_id))
            # Earlier purge entries of this id keep their reason (who, when, why).
            entries = [AuditEntry(**r) for r in rows if r["action"] != PURGE_ACTION]
            every = [*entries, *(e for _, e in copies)]
            if all(purge_marker(t) == t for e in every for t in (e.before, e.after)):
                raise NotFound(_("Incident '{id}' was purged already.").format(id=incident_id))
            rule1 = _scrub(db, entries)
            copied = audit_copies.scrub(db, copies)
            tombstones.unbury(db, incident_id)
            detail: dict[str, object] = {"reason": reason.strip(), "rule1_entries": rule1}
            if copied:  # the chains a migration copied in held it too (audit_copies.py)
                detail[audit_copies.DETAIL_KEY] = copied
            db.append_audit(
                chain_entry(
                    last_entry(db), now, viewer.name, PURGE_ACTION, incident_id, None,
                    to_json(detail),
                )
            )  # fmt: skip
            bump_version(db)

    def deleted_records(self, viewer: Viewer) -> list[DeletedRecord]:
        """Deleted records that can be restored, newest first (editors)."""
        require_editor(viewer)
        with self._read_backend() as db:
            return tombstones.deleted_list(db)

    def deleted_among(self, incidents: Sequence[Incident]) -> set[str]:
        """Ids of these records an import would leave deleted (as write_batch does): a
        check-only import counts them apart from the new ones."""
        with self._read_backend() as db:
            return tombstones.deleted_among(db, incidents)

    def bulk_set_verification(self, ids: Sequence[str], status: str, viewer: Viewer) -> int:
        """Set the verification status of every listed record; how many changed."""
        code = VERIFICATION_STATUSES.lookup(status)
        if code is None:
            choices = ", ".join(_(label) for _code, label in VERIFICATION_STATUSES.terms)
            raise StoreError(
                _("'{status}' is not a verification status ({choices}).").format(
                    status=status, choices=choices
                )
            )
        return self._bulk_edit(ids, viewer, lambda r: r.replace(verification=code))

    def bulk_add_tag(self, ids: Sequence[str], tag: str, viewer: Viewer) -> int:
        """Add a tag to every listed record that lacks it; how many changed."""
        text = " ".join(tag.split())
        if not text or ";" in text or len(text) > _TAG_LIMIT or not text.isprintable():
            raise StoreError(
                _(
                    "A tag is one keyword or phrase of at most {limit} characters, without ';'."
                ).format(limit=_TAG_LIMIT)
            )
        return self._bulk_edit(
            ids, viewer, lambda r: r if text in r.tags else r.replace(tags=(*r.tags, text))
        )

    def _bulk_edit(self, ids: Sequence[str], viewer: Viewer, change: _Change) -> int:
        require_editor(viewer)
        with self._backend() as db:
            wanted, records = _all_of(db, ids)
            pending, last, changed = Pending(now_utc()), last_entry(db), 0
            for incident_id in wanted:
                record = records[incident_id]
                outcome, last = write_one(change(record), record, viewer, last, "bulk", pending)
                changed += outcome.kind == "updated"
            flush(db, pending)
            if changed:
                bump_version(db)
        return changed


def _as_opened(db: Backend, incident_id: str, version: int) -> Incident:
    """The record, if it is still at the version the caller read (else StaleEdit, with
    the record as it is now, so the page can show what changed)."""
    record = load_records(db, [incident_id]).get(incident_id)
    if record is None:
        raise NotFound(_("Incident '{id}' does not exist.").format(id=incident_id))
    if record.version != version:
        raise StaleEdit(stale_message(record), record)
    return record


def _missing_version(incident_id: str, version: int) -> str:
    """The refusal for a version the history does not hold (purged or never written)."""
    return _("Incident '{id}' has no version {version} in its history.").format(
        id=incident_id, version=version
    )


def _all_of(db: Backend, ids: Sequence[str]) -> tuple[list[str], dict[str, Incident]]:
    """The listed records, each once, in order: all of them, or NotFound (a bulk action
    changes all or none)."""
    wanted = list(dict.fromkeys(ids))
    records = load_records(db, wanted)
    missing = [i for i in wanted if i not in records]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise NotFound(
            _("No change made: these incidents no longer exist: {ids}.").format(ids=shown)
        )
    return wanted, records


def _bury(db: Backend, record: Incident, viewer: Viewer, reason: str, now: str) -> None:
    """The record out of the incidents table, its content into a delete entry, and its
    tombstone."""
    after = to_json({"reason": reason}) if reason else None
    entry = chain_entry(
        last_entry(db), now, viewer.name, "delete", record.id, to_json(record.content()), after
    )
    db.delete_incident(record.id)
    db.append_audit(entry)
    tombstones.bury(db, record, now, viewer.name, reason, entry.seq)


def _content_at(db: Backend, incident_id: str, version: int, current: int) -> dict[str, object]:
    rows = db.fetch("SELECT * FROM audit_log WHERE incident_id = %s ORDER BY seq", [incident_id])
    entries = [AuditEntry(**r) for r in rows]
    by_version = {v: seq for seq, v in entry_versions(entries, current).items()}
    seq = by_version.get(version)
    text = next((e.after for e in entries if e.seq == seq), None)
    if text is None or is_purged(text):
        raise NotFound(_missing_version(incident_id, version))
    value = json.loads(text)
    if not isinstance(value, dict):
        raise NotFound(_missing_version(incident_id, version))
    return value


def _scrub(db: Backend, entries: Sequence[AuditEntry]) -> list[int]:
    """Every before/after text of these entries replaced by its digest marker; the
    seqs of those written under hash rule 1 (the purge entry names them)."""
    rule1 = []
    for e in entries:
        if not follows_rule2(e):
            rule1.append(e.seq)
        db.execute(
            "UPDATE audit_log SET before = %s, after = %s WHERE seq = %s",
            [purge_marker(e.before), purge_marker(e.after), e.seq],
        )
    return rule1
