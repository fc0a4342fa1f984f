"""What every store offers, whatever database is behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pandas as pd

from incidents.access import Viewer
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.store.audit import AuditEntry
from incidents.store.audit_anchor import AuditHead
from incidents.store.audit_records import RecordCheck
from incidents.store.record_ids import IdKey

OutcomeKind = Literal["imported", "updated", "unchanged"]


class StoreError(Exception):
    """A store problem worth telling the user about in plain words."""


class StaleEdit(StoreError):
    """The record changed since the editor opened it; their edit would overwrite that."""


class NotFound(StoreError):
    """No record with that id (or none this viewer may see)."""


class NotAllowed(StoreError):
    """This viewer's role does not allow the action."""


@dataclass(frozen=True)
class Outcome:
    """What a batch write did with one record."""

    id: str
    kind: OutcomeKind


class Store(Protocol):
    """The interface the app, the importer and the exports use; see gpkg.py and postgis.py."""

    url: str

    def write_batch(
        self, incidents: Sequence[Incident], viewer: Viewer, action: str = "import"
    ) -> list[Outcome]:
        """Insert or update all of them in one transaction: all in, or none."""
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

    def delete(self, incident_id: str, version: int, viewer: Viewer) -> None: ...

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

    # Summaries computed in the database (incidents/store/summaries.py): the app uses
    # these so it never reads every record of a large selection.
    def point_counts(self, query: Query, viewer: Viewer, step: float) -> pd.DataFrame:
        """Drawable incidents per grid cell of step degrees and type: latitude, longitude,
        type, n."""
        ...

    def date_counts(self, query: Query, viewer: Viewer) -> pd.DataFrame:
        """Incidents per first date and range length: date_start, span_days, date_end, n."""
        ...

    def district_sums(self, query: Query, viewer: Viewer, measure: str) -> pd.Series:
        """Incidents, or a number column summed, per admin1_code ('' for none)."""
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
