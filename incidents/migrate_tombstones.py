"""Deleted records in a migration (migrate.py): they arrive deleted, restorable, with
who deleted them, when and why.

Why a step of its own: a deleted record is not in the incidents table, so copying the
records leaves it behind; the copy would then take it back from the next import of
the same file (nothing says it was deleted), and it could not be restored. Each
tombstone is brought over with the record's content as it was when deleted (the
delete entry's 'before' in the source): the target's chain gets a create entry and a
delete entry holding it (tombstones.carry), so a restore in the target brings the
record back as it was; the source's own entries reach the target verbatim with the
copied chain (audit_log_imported).
"""

from __future__ import annotations

from typing import Any

from incidents.access import Viewer
from incidents.store import tombstones
from incidents.store.audit import now_utc, to_json
from incidents.store.record_store import RecordStore
from incidents.store.writes import bump_version
from incidents.translation import _


def _stones(store: RecordStore) -> dict[str, tuple[dict[str, Any], str | None]]:
    """id -> (tombstone, the record's content when deleted, as canonical JSON; None
    when its delete entry no longer holds it)."""
    with store._read_backend() as db:
        rows = db.fetch(f"SELECT * FROM {tombstones.TABLE} ORDER BY audit_seq")
        return {r["id"]: (r, to_json(tombstones.buried_content(db, r))) for r in rows}


def copy_tombstones(src: RecordStore, dst: RecordStore, viewer: Viewer) -> int:
    """Bring every deleted record of src into dst, still deleted (those dst holds
    already from an earlier run are left); how many src holds."""
    stones = _stones(src)
    with dst._backend() as db:
        held = {r["id"] for r in db.fetch(f"SELECT id FROM {tombstones.TABLE}")}
        now, added = now_utc(), 0
        for incident_id, (stone, content) in stones.items():
            if incident_id in held or content is None:
                continue  # a content no delete entry holds: verify_tombstones says so
            tombstones.carry(db, stone, content, viewer.name, now)
            added += 1
        if added:
            bump_version(db)
    return len(stones)


def tombstone_problems(src: RecordStore, dst: RecordStore) -> list[str]:
    """Deleted records that did not arrive as the source has them; empty when all did."""
    mine, theirs = _stones(src), _stones(dst)
    problems: list[str] = []
    for incident_id, (stone, content) in mine.items():
        other = theirs.get(incident_id)
        if content is None:
            said = _(
                "deleted record {id}: the source's delete entry no longer holds its content, "
                "so it cannot be restored"
            )
            problems.append(said.format(id=incident_id))
        elif other is None:
            problems.append(_("deleted record {id}: missing in the target").format(id=incident_id))
        elif other[1] != content or any(
            other[0][name] != stone[name] for name in tombstones.STONE_FIELDS
        ):
            problems.append(_("deleted record {id}: differs in the target").format(id=incident_id))
    stray = _("deleted record {id}: in the target, not in the source")
    problems += [stray.format(id=incident_id) for incident_id in sorted(set(theirs) - set(mine))]
    return problems
