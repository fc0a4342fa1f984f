"""Copy a whole store to another (GeoPackage <-> PostGIS) without losing anything.

Records go through target.write_batch(action="migrate"), so the target's own audit
chain says who brought each record in and when. Their provenance (created_by/at,
updated_by/at, version) is then copied from the source, so a record still says
who wrote it. Deleted records arrive deleted, with who deleted them, when and
why, and can be restored in the target (migrate_tombstones.py).

The source's audit log is copied verbatim, every field and hash, into the
target's append-only table audit_log_imported, keyed by origin: the hash of that
chain's first entry. Chains from several stores, or from a store that was itself
migrated, stay apart, and each one can be re-verified with verify_chain. A
summary would lose who changed what from what to what, which is the evidence, so
nothing is summarised. The closing "migrate" entry in the target's own chain
records each origin's last hash, which anchors the copies: changing one breaks
its own chain or that anchor.

The target adopts the source's id secret before any record is copied (a target that
already has another one is refused), so ids made for rows without one stay the same:
the same file imported again into the copy finds its records.

A run can be repeated after an interruption: copied records come back
"unchanged", and only audit entries the target lacks are added.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import zip_longest
from typing import Any

import click

from incidents import cli_language
from incidents.access import Role, Viewer
from incidents.migrate_merges import copy_merges, merge_problems
from incidents.migrate_tombstones import copy_tombstones, tombstone_problems
from incidents.record import Incident
from incidents.store import audit_copies, open_store
from incidents.store.audit import AuditEntry, purge_marker, verify_chain
from incidents.store.base import NotAllowed, Store, StoreError
from incidents.store.record_ids import IdKey, read_id_key
from incidents.store.record_store import RecordStore, _bump_version, _load_full
from incidents.translation import N_, _, ngettext

IMPORTED = audit_copies.TABLE
BATCH = 500
_PAGE = 1000
_ENTRY = audit_copies.ENTRY
_PROVENANCE = ("created_by", "created_at", "updated_by", "updated_at", "version")


@dataclass
class MigrationReport:
    """What a migration copied, and whatever the check afterwards found wrong."""

    source: str
    target: str
    records: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # deleted records: still deleted in the target, restorable
    audit_copied: int = 0
    chains: dict[str, int] = field(default_factory=dict)  # origin label -> entries held
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        migrated = ngettext(
            "Migrated {n} record from {source} to {target}: {created} new, {updated} updated, "
            "{unchanged} already there.",
            "Migrated {n} records from {source} to {target}: {created} new, {updated} "
            "updated, {unchanged} already there.",
            self.records,
        )
        deleted = _("Deleted records carried over, still deleted and restorable: {n}.")
        out = [
            migrated.format(
                n=self.records,
                source=self.source,
                target=self.target,
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
            ),
            deleted.format(n=self.deleted),
            _("Audit entries copied this run: {n}.").format(n=self.audit_copied),
        ]
        for label, n in self.chains.items():
            kept = ngettext("{label}: {n} entry kept", "{label}: {n} entries kept", n)
            out.append("  " + kept.format(label=label, n=n))
        if self.problems:
            out.append(_("The check after copying found problems:"))
            out += [f"  {p}" for p in self.problems]
        else:
            out.append(_("Checked: every record and every audit entry matches the source."))
        return out


def migrate(
    src: RecordStore, dst: RecordStore, viewer: Viewer, batch_size: int = BATCH
) -> MigrationReport:
    """Copy every record and every audit chain from source to target, then check it all."""
    if not viewer.is_admin:
        raise NotAllowed(_("Only administrators can migrate a store."))
    report = MigrationReport(display(src), display(dst))
    if src.url == dst.url and getattr(src, "schema", "") == getattr(dst, "schema", ""):
        raise StoreError(_("The source and the target are the same store."))
    ids = _all_ids(src)
    stray = set(_all_ids(dst)) - set(ids)
    if stray:
        said = ngettext(
            "The target already holds {n} record the source does not have; migrate into an "
            "empty store (or one an earlier run of this migration filled).",
            "The target already holds {n} records the source does not have; migrate into an "
            "empty store (or one an earlier run of this migration filled).",
            len(stray),
        )
        raise StoreError(said.format(n=len(stray)))
    # The copy keys the ids it makes for rows without one as the source does
    # (record_ids.py): else a file imported again into it duplicates each such row.
    dst.adopt_id_key(src.id_key())
    for start in range(0, len(ids), batch_size):
        records = _load(src, ids[start : start + batch_size])
        for outcome in dst.write_batch(records, viewer, action="migrate"):
            report.created += outcome.kind == "imported"
            report.updated += outcome.kind == "updated"
            report.unchanged += outcome.kind == "unchanged"
        _copy_provenance(dst, records)
    report.records = len(ids)
    report.deleted = copy_tombstones(src, dst, viewer)
    copy_merges(src, dst, viewer)
    anchors = _copy_audit(src, dst, report)
    dst.log_event(
        viewer,
        "migrate",
        {
            "from": report.source,
            "records": report.records,
            "deleted_records": report.deleted,
            "provenance": "created/updated by and at, and version, copied from the source",
            "imported_chains": anchors,
        },
    )
    report.problems = verify_migration(src, dst)
    return report


def verify_migration(src: RecordStore, dst: RecordStore) -> list[str]:
    """Differences between the stores' records and audit chains; empty when none."""
    problems: list[str] = []
    ids, copied = _all_ids(src), _all_ids(dst)
    if len(ids) != len(copied) or set(ids) != set(copied):
        said = _("the source holds {n} records, the target {copied}")
        problems.append(said.format(n=len(ids), copied=len(copied)))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        mine, theirs = _load(src, chunk), {i.id: i for i in _load(dst, chunk)}
        for record in mine:
            other = theirs.get(record.id)
            if other is None or other.content() != record.content():
                problems.append(_("record {id}: differs in the target").format(id=record.id))
            elif _provenance(other) != _provenance(record):
                said = _("record {id}: its created/updated details differ")
                problems.append(said.format(id=record.id))
    if _id_key(src) != _id_key(dst):
        problems.append(
            _(
                "the target makes record ids with another secret: a file imported again "
                "into it would add its rows a second time"
            )
        )
    problems += tombstone_problems(src, dst)
    problems += merge_problems(src, dst)
    problems += [_("target audit log: {problem}").format(problem=p) for p in dst.verify_audit()]
    for origin, (label, own) in _origins(src).items():
        problems += _compare_chain(src, dst, origin, label, own)
    return problems


def display(store: Store) -> str:
    """How to name a store to people: never with its password."""
    return str(getattr(store, "display_url", store.url))


# --- reading the source --------------------------------------------------------


def _all_ids(store: RecordStore) -> list[str]:
    """Every record id, in the order the records were first stored."""
    with store._read_backend() as db:
        return [r["id"] for r in db.fetch("SELECT id FROM incidents ORDER BY fid")]


def _load(store: RecordStore, ids: Sequence[str]) -> list[Incident]:
    """Whole records (sources, confidential fields, provenance): get() would open one
    connection per record, and coarsens for anyone but staff."""
    with store._read_backend() as db:
        found = _load_full(db, ids)
    return [found[i] for i in ids if i in found]


def _provenance(incident: Incident) -> tuple[Any, ...]:
    return tuple(getattr(incident, name) for name in _PROVENANCE)


def _id_key(store: RecordStore) -> IdKey | None:
    """The store's id secret as it is (read only: id_key() would make one)."""
    with store._read_backend() as db:
        return read_id_key(db)


def _origins(store: RecordStore) -> dict[str, tuple[str, bool]]:
    """Each audit chain the store holds: origin -> (label, whether it is the store's own)."""
    chains: dict[str, tuple[str, bool]] = {}
    with store._read_backend() as db:
        chains.update({o: (label, False) for o, label in audit_copies.origins(db).items()})
        first = db.fetch("SELECT hash FROM audit_log WHERE seq = 1")
        if first:
            # stored in the copy as the chain's label: not in the reader's language
            chains[first[0]["hash"]] = (f"audit log of {display(store)}", True)
    return chains


def _entries(store: RecordStore, origin: str, own: bool, after_seq: int) -> Iterator[AuditEntry]:
    """One chain's entries after after_seq, a page (and a short transaction) at a time."""
    columns = ", ".join(_ENTRY)
    if own:
        sql, params = f"SELECT {columns} FROM audit_log WHERE seq > %s", []
    else:
        sql, params = f"SELECT {columns} FROM {IMPORTED} WHERE origin = %s AND seq > %s", [origin]
    seq = after_seq
    while True:
        with store._read_backend() as db:
            rows = db.fetch(f"{sql} ORDER BY seq LIMIT {_PAGE}", [*params, seq])
        yield from (AuditEntry(**r) for r in rows)
        if len(rows) < _PAGE:
            return
        seq = rows[-1]["seq"]


# --- writing the target --------------------------------------------------------


def _copy_provenance(store: RecordStore, records: Sequence[Incident]) -> None:
    """Who created and last changed each record, and its version, as in the source."""
    if not records:
        return
    sets = ", ".join(f"{name} = %s" for name in _PROVENANCE)
    with store._backend() as db:
        held = _load_full(db, [r.id for r in records])
        differ = [r for r in records if r.id in held and _provenance(held[r.id]) != _provenance(r)]
        for record in differ:
            db.execute(
                f"UPDATE incidents SET {sets} WHERE id = %s", [*_provenance(record), record.id]
            )
        if differ:
            _bump_version(db)


def _copy_audit(src: RecordStore, dst: RecordStore, report: MigrationReport) -> dict[str, Any]:
    """Append to dst's imported table every source audit entry it does not hold yet."""
    with dst._backend() as db:
        audit_copies.ensure_table(db)
    anchors: dict[str, Any] = {}
    for origin, (label, own) in _origins(src).items():
        held, last_hash = _held(dst, origin)
        page: list[AuditEntry] = []
        for entry in _entries(src, origin, own, held):
            page.append(entry)
            if len(page) == _PAGE:
                _append_imported(dst, origin, label, page)
                page = []
            held, last_hash = entry.seq, entry.hash
            report.audit_copied += 1
        _append_imported(dst, origin, label, page)
        report.chains[label] = held
        anchors[origin] = {"label": label, "entries": held, "last_hash": last_hash}
    return anchors


def _held(store: RecordStore, origin: str) -> tuple[int, str]:
    with store._read_backend() as db:
        rows = db.fetch(
            f"SELECT seq, hash FROM {IMPORTED} WHERE origin = %s ORDER BY seq DESC LIMIT 1",
            [origin],
        )
    return (int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else (0, "")


def _append_imported(
    store: RecordStore, origin: str, label: str, entries: Sequence[AuditEntry]
) -> None:
    if not entries:
        return
    marks = ", ".join(["%s"] * (len(_ENTRY) + 2))
    with store._backend() as db:
        for e in entries:
            db.execute(
                f"INSERT INTO {IMPORTED} (origin, origin_label, {', '.join(_ENTRY)}) "
                f"VALUES ({marks})",
                [origin, label, *(getattr(e, name) for name in _ENTRY)],
            )


def _compare_chain(
    src: RecordStore, dst: RecordStore, origin: str, label: str, own: bool
) -> list[str]:
    """The target's copy of one chain must equal the source's, entry for entry (or as a
    purge in the target left it: its texts by their digests), and verify."""
    problems: list[str] = []

    def copies() -> Iterator[AuditEntry]:
        pairs = zip_longest(_entries(src, origin, own, 0), _entries(dst, origin, False, 0))
        for mine, theirs in pairs:
            if theirs is None:
                said = _("{label}: entry {seq} is missing")
                problems.append(said.format(label=label, seq=mine.seq if mine else "?"))
                continue
            if mine != theirs and (mine is None or _emptied(mine) != theirs):
                said = _("{label}: entry {seq} differs from the source")
                problems.append(said.format(label=label, seq=theirs.seq))
            yield theirs

    with dst._read_backend() as db:
        pinned = audit_copies.pinned(audit_copies.own_purges(db)).get(origin, set())
    chain = verify_chain(copies(), pinned)
    return problems + [f"{label}: {p}" for p in chain]


def _emptied(entry: AuditEntry) -> AuditEntry:
    """The entry as a purge leaves it (audit.purge_marker)."""
    return replace(entry, before=purge_marker(entry.before), after=purge_marker(entry.after))


# --- command line --------------------------------------------------------------


@click.command("migrate", help=N_("copy every record and the whole audit log to another store"))
@click.option("--to", required=True, metavar="URL_OR_PATH", help=N_("a .gpkg or postgresql://"))
@cli_language.as_option()
@cli_language.pass_db
def _migrate_command(db: str | None, to: str, actor: str) -> int:
    """`python -m incidents --db SOURCE migrate --to TARGET`."""
    try:
        report = migrate(open_store(db), open_store(to), Viewer(actor, Role.ADMIN))
    except StoreError as error:
        print(_("Could not migrate: {error}").format(error=error), file=sys.stderr)
        return 2
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


COMMANDS = (_migrate_command,)
