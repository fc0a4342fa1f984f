"""What every store offers, whatever database is behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pandas as pd

from incidents.access import PublicRules, Viewer
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store.audit import AuditEntry
from incidents.store.audit_anchor import AuditHead
from incidents.store.audit_records import RecordCheck
from incidents.store.column_index import ColumnIndex
from incidents.store.record_ids import IdKey

# deleted: the record was deleted in the app; an import does not bring it back.
OutcomeKind = Literal["imported", "updated", "unchanged", "deleted"]


class StoreError(Exception):
    """A store problem worth telling the user about in plain words."""


class StaleEdit(StoreError):
    """The record changed since the editor opened it; their edit would overwrite that.

    current is the record as stored now, so a page can show what changed and offer to
    merge or reload."""

    def __init__(self, message: str, current: Incident) -> None:
        super().__init__(message)
        self.current = current


class NotFound(StoreError):
    """No record with that id (or none this viewer may see)."""


class NotAllowed(StoreError):
    """This viewer's role does not allow the action."""


@dataclass(frozen=True)
class Outcome:
    """What a batch write did with one record."""

    id: str
    kind: OutcomeKind
    fields: tuple[str, ...] = ()  # an update's fields the stored record had otherwise


@dataclass(frozen=True)
class DeletedRecord:
    """A deleted record, as the list of deleted records shows it (restorable)."""

    id: str
    title: str
    deleted_at: str
    deleted_by: str
    reason: str
    version: int  # the version it had when it was deleted


class Store(Protocol):
    """What every store offers, and all that the pages, the command line and the audit
    checks call. The importer, the exports and the merges take RecordStore
    (record_store.py, the one class both backends share) instead: they also read the
    merge tables and the duplicate look's records through its backend."""

    url: str
    public_rules: PublicRules  # where the public sees a located record (access.py)

    def write_batch(
        self,
        incidents: Sequence[Incident],
        viewer: Viewer,
        action: str = "import",
        keep: frozenset[str] = frozenset(),
        check_only: bool = False,
    ) -> list[Outcome]:
        """Insert or update all of them in one transaction: all in, or none (check_only:
        none, and the outcomes as if all were in)."""
        ...

    def existing_ids(self, ids: Sequence[str], source_event_ids: Sequence[str]) -> dict[str, str]:
        """Map each known id or source_event_id to the stored id it belongs to."""
        ...

    def id_key(self) -> IdKey:
        """The store's secret for the ids the importer makes (record_ids.py); server-side
        only, never shown or exported."""
        ...

    def save(self, incident: Incident, viewer: Viewer) -> Incident:
        """Create (version 0) or update one record; refuse a stale version."""
        ...

    def delete(self, incident_id: str, version: int, viewer: Viewer, reason: str = "") -> None:
        """Delete (a tombstone: hidden everywhere, counted nowhere, restorable); a stale
        version is refused."""
        ...

    def restore(self, incident_id: str, viewer: Viewer) -> Incident:
        """Bring a deleted record back as it was when deleted, as a new version."""
        ...

    def revert(
        self, incident_id: str, to_version: int, current_version: int, viewer: Viewer
    ) -> Incident:
        """Store the content of an earlier version as a new version."""
        ...

    def purge(self, incident_id: str, viewer: Viewer, reason: str) -> None:
        """Admins: remove a record's content everywhere, its audit entries included; the
        chain still verifies and holds an entry saying who purged which id, when, why."""
        ...

    def deleted_records(self, viewer: Viewer) -> list[DeletedRecord]:
        """Deleted (restorable) records, newest first."""
        ...

    def deleted_among(self, incidents: Sequence[Incident]) -> set[str]:
        """Ids of these records an import would leave deleted (a check says so)."""
        ...

    def bulk_set_verification(self, ids: Sequence[str], status: str, viewer: Viewer) -> int:
        """Set verification on many records in one transaction; how many changed."""
        ...

    def bulk_add_tag(self, ids: Sequence[str], tag: str, viewer: Viewer) -> int:
        """Add a tag to many records in one transaction; how many changed."""
        ...

    def bulk_delete(self, ids: Sequence[str], reason: str, viewer: Viewer) -> int:
        """Delete many records in one transaction; how many were deleted."""
        ...

    def get(self, incident_id: str, viewer: Viewer) -> Incident | None: ...

    def query(
        self,
        query: Query,
        viewer: Viewer,
        columns: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Matching records, one row each, already filtered and coarsened for the viewer."""
        ...

    def count(self, query: Query, viewer: Viewer) -> int: ...

    # The read model: the column snapshot evaluates every filter (ColumnIndex.mask);
    # the store answers the text-like ones and reads records by fid.
    def snapshot(self, viewer: Viewer) -> ColumnIndex:
        """The column snapshot of what this viewer sees, at the present data version."""
        ...

    def matching_fids(self, query: Query, viewer: Viewer) -> list[int]:
        """fids of visible records matching the query's text, tag, perpetrator and id
        filters (the snapshot applies the rest)."""
        ...

    def rows_for(self, fids: Sequence[int], viewer: Viewer, columns: Sequence[str]) -> pd.DataFrame:
        """These records (fids the snapshot found), in date order, coarsened for the public."""
        ...

    def distinct_values(self, column: str, viewer: Viewer) -> list[str]:
        """The values of a list column (perpetrators, tags) among visible records."""
        ...

    def sources(self, ids: Sequence[str], viewer: Viewer) -> dict[str, tuple[Source, ...]]:
        """Sources of many records at once (exports list them all)."""
        ...

    def history(self, incident_id: str, viewer: Viewer) -> list[AuditEntry]: ...

    def audit_log(self, viewer: Viewer) -> list[AuditEntry]: ...

    def verify_audit(self) -> list[str]:
        """Problems in the audit chain's hashes; empty when it is intact."""
        ...

    def verify_records(self) -> RecordCheck:
        """Records changed, added or deleted outside the app (audit_records.py)."""
        ...

    def audit_head(self) -> AuditHead | None:
        """The chain's last entry, to keep elsewhere as an anchor."""
        ...

    def verify_anchor(self, anchor: str) -> list[str]:
        """Why the chain no longer holds the anchored entry; empty when it does."""
        ...

    def log_event(self, viewer: Viewer, action: str, detail: dict[str, object]) -> None:
        """Record an export, a sign-in or another event that changes no record."""
        ...

    def data_version(self) -> str:
        """Changes whenever any record changes: the key for caches of query results."""
        ...

    def close(self) -> None: ...
