"""The store logic both databases share: versions, audit entries, access rules.

A backend only knows how to run SQL on one connection; everything that decides
what is written, who may read what, and what the audit log says lives here once.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager, suppress

import numpy as np
import pandas as pd

from incidents.access import PublicRules, Viewer, Visibility, coarsen_for_public, public_sources
from incidents.import_keep import with_stored
from incidents.query import Query
from incidents.record import Incident, Source
from incidents.schema import CONFIDENTIAL_FIELDS, SOURCE_PARTS
from incidents.store import tombstones
from incidents.store.audit import (
    AuditEntry,
    make_entry,
    now_utc,
    verify_chain,
    without_confidential,
)
from incidents.store.audit_anchor import AuditHead, anchor_problems, audit_head
from incidents.store.audit_records import RecordCheck, check_records
from incidents.store.backend import Backend
from incidents.store.base import NotAllowed, NotFound, Outcome, StaleEdit, StoreError
from incidents.store.column_index import ColumnIndex
from incidents.store.column_load import cached_index, version_key
from incidents.store.columns import INCIDENT_COLUMN_NAMES
from incidents.store.columns import load_records as _load_full
from incidents.store.contents_json import contents_json
from incidents.store.lifecycle import Lifecycle
from incidents.store.public_record import public_incident
from incidents.store.reads import PUBLIC_RULE_COLUMNS, RecordReads, public_order
from incidents.store.record_ids import IdKey, adopt_id_key, make_id_key, read_id_key
from incidents.store.writes import Pending as _Pending
from incidents.store.writes import bump_version as _bump_version
from incidents.store.writes import flush as _flush
from incidents.store.writes import last_entry as _last_entry
from incidents.store.writes import require_editor as _require_editor
from incidents.store.writes import stale_message as _stale_message
from incidents.store.writes import write_one as _write_one
from incidents.translation import _

_CHUNK = 500
_ANY_ROW = "SELECT 1 FROM incidents LIMIT 1"


class _RolledBack(Exception):
    """A check's writes undone: the transaction rolls back as on any error."""


class RecordStore(RecordReads, Lifecycle, ABC):
    """Implements incidents.store.base.Store on top of a Backend (reads by id: RecordReads)."""

    url: str
    public_rules: PublicRules

    @abstractmethod
    def _backend(self) -> AbstractContextManager[Backend]:
        """A backend inside a write transaction: commit on success, roll back on error."""

    @abstractmethod
    def _read_backend(self) -> AbstractContextManager[Backend]: ...

    @abstractmethod
    def _select_frame(
        self, condition: str, columns: Sequence[str], confidential: bool
    ) -> pd.DataFrame:
        """The rows meeting condition (SQL on incidents i, no parameters), these columns
        (and the confidential ones), in the staff order (date_start, id), typed as the
        GeoPackage returns them: the store's fastest bulk read."""

    # --- writing -------------------------------------------------------------------

    def write_batch(
        self,
        incidents: Sequence[Incident],
        viewer: Viewer,
        action: str = "import",
        keep: frozenset[str] = frozenset(),
        check_only: bool = False,
    ) -> list[Outcome]:
        """Insert or update all records in one transaction; unchanged ones are left alone.
        A record deleted in the app (by id or source event id) is not brought back: its
        outcome is "deleted" and nothing is written for it. keep: fields an update takes
        from the stored record (import_keep: the file has no column for them).
        check_only: the same writes rolled back at the end, so a check says exactly what
        the import would do (it said "already stored" of records the file would change)."""
        _require_editor(viewer)
        outcomes: list[Outcome] = []
        with suppress(_RolledBack):
            self._write_all(incidents, viewer, action, keep, outcomes, check_only)
        return outcomes

    def _write_all(self, incidents: Sequence[Incident], viewer: Viewer, action: str,
                   keep: frozenset[str], outcomes: list[Outcome], check: bool) -> None:  # fmt: skip
        with self._backend() as db, db.bulk_inserts(len(incidents), keeps=not check):
            last = _last_entry(db)
            new_table, written = not db.fetch(_ANY_ROW), set[str]()
            any_dead = bool(db.fetch(f"SELECT 1 FROM {tombstones.TABLE} LIMIT 1"))
            for start in range(0, len(incidents), _CHUNK):
                chunk = incidents[start : start + _CHUNK]
                ids = [i.id for i in chunk]
                # In a table that was empty, only ids this batch wrote can be stored.
                stored = _load_full(db, [i for i in ids if i in written] if new_table else ids)
                written.update(ids)
                dead = _deleted_in(db, chunk, stored) if any_dead else set()
                pending = _Pending(now_utc())
                fresh = iter(
                    contents_json([i for i in chunk if i.id not in stored and i.id not in dead])
                )
                for row in chunk:
                    if row.id in dead:
                        outcomes.append(Outcome(row.id, "deleted"))
                        continue
                    before = stored.get(row.id)
                    incident = with_stored(row, before, keep) if before and keep else row
                    after = next(fresh) if before is None else None
                    outcome, last = _write_one(
                        incident, before, viewer, last, action, pending, after
                    )
                    outcomes.append(outcome)
                _flush(db, pending)
            if any(o.kind not in ("unchanged", "deleted") for o in outcomes):
                _bump_version(db)
            if check:
                raise _RolledBack

    def save(self, incident: Incident, viewer: Viewer) -> Incident:
        """Create (version 0) or update one record; a stale version is refused."""
        _require_editor(viewer)
        with self._backend() as db:
            before = _load_full(db, [incident.id]).get(incident.id)
            if incident.version == 0 and before is not None:
                raise StaleEdit(
                    _("An incident with id '{id}' already exists.").format(id=incident.id), before
                )
            if incident.version and before is None:
                raise NotFound(_("Incident '{id}' no longer exists.").format(id=incident.id))
            if before is not None and before.version != incident.version:
                raise StaleEdit(_stale_message(before), before)
            if before is None:  # made again on purpose: no longer a deleted record
                tombstones.unbury(db, incident.id)
            pending = _Pending(now_utc())
            _write_one(incident, before, viewer, _last_entry(db), "edit", pending)
            _flush(db, pending)
            _bump_version(db)
            saved = _load_full(db, [incident.id])[incident.id]
        return saved

    def log_event(self, viewer: Viewer, action: str, detail: dict[str, object]) -> None:
        """Record an event that changes no record (import summary, export, sign-in)."""
        with self._backend() as db:
            db.append_audit(make_entry(_last_entry(db), viewer.name, action, "", None, detail))

    # --- reading -------------------------------------------------------------------

    def existing_ids(self, ids: Sequence[str], source_event_ids: Sequence[str]) -> dict[str, str]:
        """Which of these ids and source event ids the store holds, and under which id."""
        found: dict[str, str] = {}
        with self._read_backend() as db:
            for column, values in (("id", ids), ("source_event_id", source_event_ids)):
                wanted = [v for v in dict.fromkeys(values) if v]
                for start in range(0, len(wanted), _CHUNK):
                    part = wanted[start : start + _CHUNK]
                    marks = ", ".join([db.placeholder] * len(part))
                    rows = db.fetch(
                        f"SELECT id, {column} AS key FROM incidents WHERE {column} IN ({marks})",
                        part,
                    )
                    found.update({r["key"]: r["id"] for r in rows})
        return found

    def id_key(self) -> IdKey:
        """The secret the importer keys new ids with; made on first use, so a store
        from before it had one learns then whether it already holds unkeyed ids."""
        with self._read_backend() as db:
            key = read_id_key(db)
        if key is None:
            with self._backend() as db:
                key = make_id_key(db)
        return key

    def adopt_id_key(self, key: IdKey) -> None:
        """Key new ids as the store this one copies does (a migration calls it first)."""
        with self._backend() as db:
            if not adopt_id_key(db, key):
                raise StoreError(
                    _(
                        "The target store already makes its record ids with another secret: "
                        "migrate into a new store."
                    )
                )

    def get(self, incident_id: str, viewer: Viewer) -> Incident | None:
        """One record as this viewer may see it, or None."""
        with self._read_backend() as db:
            incident = _load_full(db, [incident_id]).get(incident_id)
        if incident is None:
            return None
        seen = Visibility.of(viewer)
        if not seen.shows(incident.sensitivity):
            return None
        if not viewer.sees_confidential:
            incident = incident.replace(**dict.fromkeys(CONFIDENTIAL_FIELDS, ""))
        if not seen.exact:
            incident = public_incident(incident, self.public_rules)
        return incident

    def snapshot(self, viewer: Viewer) -> ColumnIndex:
        """The column snapshot of what this viewer sees at the store's present data:
        kept per Visibility, read (or patched, from disk) only when the data changed."""
        kept: dict[str, ColumnIndex] = self.__dict__.setdefault("_snapshots", {})
        key, version = Visibility.of(viewer).key, version_key(self)
        index = kept.get(key)
        if index is not None and index.version == version:
            return index  # no lock: a reader never waits behind another visibility's read
        locks: dict[str, threading.Lock] = self.__dict__.setdefault("_snapshot_locks", {})
        with locks.setdefault(key, threading.Lock()):  # one read per visibility at a time
            index = kept.get(key)
            if index is None or index.version != version:
                index = cached_index(self, viewer, previous=index)
                index.version = version
                kept[key] = index
        return index

    def query(
        self,
        query: Query,
        viewer: Viewer,
        columns: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Matching records as a frame, filtered and coarsened for this viewer: the
        column snapshot says which (ColumnIndex.mask, the one evaluator of a Query),
        the store reads them by fid. With a limit, the first rows in date then id order.
        """
        index = self.snapshot(viewer)
        at = np.flatnonzero(index.mask(query))
        if limit is not None and len(at) > limit:  # the snapshot ties by fid, rows by id
            at = at[index.start[at] <= index.start[at[limit - 1]]]
        frame = self._read(index.fid[at], viewer, columns)
        return frame if limit is None else frame.head(limit).reset_index(drop=True)

    def _read(
        self, fids: np.ndarray, viewer: Viewer, columns: Sequence[str] | None
    ) -> pd.DataFrame:
        """These records as query() returns them (all visible ones read and picked from
        when there are many: one scan beats a long list of ids)."""
        seen = Visibility.of(viewer)
        wanted = [c for c in (columns or INCIDENT_COLUMN_NAMES) if c not in CONFIDENTIAL_FIELDS]
        needed = list(dict.fromkeys(["id", *wanted]))
        if not seen.exact:  # coarsened below, so read what the public rules read
            needed = list(dict.fromkeys([*needed, *PUBLIC_RULE_COLUMNS]))
        confidential = viewer.sees_confidential and bool(
            set(columns or ()) & set(CONFIDENTIAL_FIELDS)
        )
        frame = self._by_fid(fids, seen.sql(), needed, confidential)
        if not seen.exact:
            frame = public_order(coarsen_for_public(frame, self.public_rules))
            frame = frame[[c for c in frame.columns if c in needed and c in (*wanted, "id")]]
        return frame.reset_index(drop=True)

    def _by_fid(
        self, fids: np.ndarray, visible: str, columns: list[str], confidential: bool
    ) -> pd.DataFrame:
        """These records' columns in the staff order (date_start, id), read in parts of
        fids_per_read fids. Integers from the snapshot itself: no record text reaches the SQL."""
        step = self.fids_per_read
        parts = [np.sort(fids[at : at + step]) for at in range(0, len(fids), step)]
        read = list(dict.fromkeys([*columns, "date_start"]))
        listed = [self._fid_condition(part) for part in parts]
        frames = [
            self._select_frame(f"{condition} AND {visible}", read, confidential)
            for condition in listed or ["1=0"]
        ]
        frame = frames[0]
        if len(frames) > 1:  # each part is in order; together they are put back in it
            # typed as one read would type them (a part without any text is not object)
            frame = pd.concat(frames, ignore_index=True).infer_objects()
            frame = frame.sort_values(["date_start", "id"], kind="stable", ignore_index=True)
        return frame if "date_start" in columns else frame.drop(columns="date_start")

    def sources(self, ids: Sequence[str], viewer: Viewer) -> dict[str, tuple[Source, ...]]:
        """The sources of many records at once, for those this viewer may see; for the
        public, dated as access.public_sources says (a month-only record's to the month),
        so every export, deck and page that lists sources shows them alike."""
        found: dict[str, list[Source]] = {}
        month_only: dict[str, bool] = {}
        seen = Visibility.of(viewer)
        with self._read_backend() as db:
            for start in range(0, len(ids), _CHUNK):
                part = list(ids[start : start + _CHUNK])
                marks = ", ".join([db.placeholder] * len(part))
                visible = seen.sql()
                rows = db.fetch(
                    "SELECT s.*, i.public_date_to_month AS record_month_only "
                    "FROM incident_sources s JOIN incidents i ON i.id = s.incident_id "
                    f"WHERE s.incident_id IN ({marks}) AND {visible} "
                    "ORDER BY s.incident_id, s.position",
                    part,
                )
                for r in rows:
                    source = Source(**{p: r[p] or "" for p in SOURCE_PARTS})
                    found.setdefault(r["incident_id"], []).append(source)
                    if r["record_month_only"] is not None:  # unknown: month-only
                        month_only[r["incident_id"]] = bool(r["record_month_only"])
        out = {k: tuple(v) for k, v in found.items()}
        return out if seen.exact else public_sources(out, month_only)

    def count(self, query: Query, viewer: Viewer) -> int:
        """How many records match, as the column snapshot counts them (for the public,
        after the public rules)."""
        return self.snapshot(viewer).count(query)

    def history(self, incident_id: str, viewer: Viewer) -> list[AuditEntry]:
        """A record's changes; confidential values are blanked for those not entitled."""
        if not viewer.sees_restricted:
            return []
        with self._read_backend() as db:
            rows = db.fetch(
                f"SELECT * FROM audit_log WHERE incident_id = {db.placeholder} ORDER BY seq",
                [incident_id],
            )
        entries = [AuditEntry(**r) for r in rows]
        if viewer.sees_confidential:
            return entries
        return [without_confidential(e) for e in entries]

    def audit_log(self, viewer: Viewer) -> list[AuditEntry]:
        if not viewer.is_admin:
            raise NotAllowed(_("Only administrators can read the audit log."))
        with self._read_backend() as db:
            rows = db.fetch("SELECT * FROM audit_log ORDER BY seq")
        return [AuditEntry(**r) for r in rows]

    def verify_audit(self) -> list[str]:
        """Problems in the audit chain; empty when no entry was altered or removed."""
        with self._read_backend() as db:
            rows = db.fetch("SELECT * FROM audit_log ORDER BY seq")
        return verify_chain(AuditEntry(**r) for r in rows)

    def verify_records(self) -> RecordCheck:
        """Records changed, added or deleted outside the app (audit_records.py)."""
        return check_records(self._read_backend, _load_full)

    def audit_head(self) -> AuditHead | None:
        """The chain's last entry, to keep elsewhere as an anchor (audit_anchor.py)."""
        with self._read_backend() as db:
            return audit_head(db)

    def verify_anchor(self, anchor: str) -> list[str]:
        """Why the chain no longer holds the anchored entry; empty when it does."""
        with self._read_backend() as db:
            return anchor_problems(db, anchor)

    def data_version(self) -> str:
        with self._read_backend() as db:
            rows = db.fetch("SELECT value FROM store_meta WHERE key = 'data_version'")
        return str(rows[0]["value"]) if rows else "0"

    def close(self) -> None:
        """Nothing stays open between calls; kept for the Store interface."""


def _deleted_in(db: Backend, chunk: Sequence[Incident], stored: dict[str, Incident]) -> set[str]:
    """Ids in the chunk of records deleted in the app (by id or source event id); a
    record that exists is never one of them."""
    dead = tombstones.deleted_keys(
        db, [i.id for i in chunk], [i.source_event_id for i in chunk if i.source_event_id]
    )
    return {
        i.id
        for i in chunk
        if dead
        and i.id not in stored
        and (i.id in dead or (i.source_event_id and i.source_event_id in dead))
    }
