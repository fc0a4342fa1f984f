"""The audit chain's head, to keep outside the system, and the check that it is still there.

Why: the chain shows an entry altered or removed in its middle, but not entries removed
from its end (with the records they made), nor a chain rebuilt from scratch by someone
with write access to the database: every hash would still check. The head's hash,
written down elsewhere (a report, an e-mail) at a known time, pins the chain up to that
point: `audit verify --anchor HASH` fails once that entry is gone or rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from incidents.store.backend import Backend

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class AuditHead:
    """The chain's last entry when it was read: what to keep elsewhere."""

    seq: int
    hash: str
    at: str
    entries: int


def audit_head(db: Backend) -> AuditHead | None:
    """The last entry and the number of entries; None for an empty log."""
    rows = db.fetch("SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1")
    if not rows:
        return None
    count = db.fetch("SELECT COUNT(*) AS n FROM audit_log")
    return AuditHead(int(rows[0]["seq"]), rows[0]["hash"], rows[0]["at"], int(count[0]["n"]))


def anchor_problems(db: Backend, anchor: str) -> list[str]:
    """Why the chain no longer holds the anchored entry; empty when it does. With the
    chain itself intact (verify_chain), that entry and all before it are unchanged."""
    wanted = anchor.strip().lower()
    if not _HASH.fullmatch(wanted):
        return [
            f"'{anchor}' is not an anchor: use the 64-character hash that "
            "`python -m incidents audit anchor` printed."
        ]
    rows = db.fetch(f"SELECT seq FROM audit_log WHERE hash = {db.placeholder}", [wanted])
    if rows:
        return []
    return [
        f"The anchored entry (hash {wanted[:16]}...) is no longer in the audit log: entries "
        "were removed from its end, or the whole log was rewritten."
    ]
