"""What an import last wrote of each record that has been changed since by other means.

Why: re-importing an export (ACLED's of next month, the same sheet again) put the file's
values back over the corrections staff had made in the app, without a word. A re-import
now compares three versions of each such record (import_keep.edits_to_keep): what the
last import wrote (here, from the audit log, which holds every entry's whole content),
what is stored, and what the file says now.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from incidents.store.audit import is_purged
from incidents.store.backend import Backend

_IMPORTED = "substr(action, 1, 7) = 'import:'"


def import_bases(db: Backend, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """id -> the content the record's last import entry wrote, for those of ids whose
    last entry is not an import's (an edit, a bulk change, a revert, a merge came
    after). A record no import wrote, or whose import entry was purged, has none."""
    if not ids:
        return {}
    marks = ", ".join([db.placeholder] * len(ids))
    rows = db.fetch(
        f"SELECT max(seq) AS last, max(CASE WHEN {_IMPORTED} THEN seq END) AS imported "
        f"FROM audit_log WHERE incident_id IN ({marks}) GROUP BY incident_id",
        list(ids),
    )
    seqs = [r["imported"] for r in rows if r["imported"] is not None and r["imported"] < r["last"]]
    if not seqs:
        return {}
    marks = ", ".join([db.placeholder] * len(seqs))
    found = db.fetch(f"SELECT incident_id, after FROM audit_log WHERE seq IN ({marks})", seqs)
    return {
        r["incident_id"]: json.loads(r["after"])
        for r in found
        if r["after"] and not is_purged(r["after"])
    }
