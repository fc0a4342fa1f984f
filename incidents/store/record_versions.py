"""Which version of a record each of its audit entries left it at.

Why: entries hold a record's content, not its version number; a revert to "version 3"
and a history that offers it need the mapping. It is counted back from the record's
version now: every create or update entry (a revert, a restore too) made one version,
a delete none; the chain starts at the record's first create (a restore is not one).
A record copied by a migration starts at the version it had in its old store.
"""

from __future__ import annotations

from collections.abc import Sequence

from incidents.store.audit import AuditEntry


def change_kind(action: str) -> str:
    """'create', 'update', 'delete', 'purge' or '' (an event that changes no record)."""
    if action in ("delete", "purge"):
        return action
    if action.endswith(":create"):
        return "create"
    if action.endswith(":update"):
        return "update"
    return ""


def entry_versions(entries: Sequence[AuditEntry], current: int) -> dict[int, int]:
    """seq -> the version a create or update entry made, for one record's entries in
    order; current: the record's version now (for a deleted record, the version it
    had when deleted)."""
    out: dict[int, int] = {}
    version = current
    for entry in reversed(entries):
        kind = change_kind(entry.action)
        if kind not in ("create", "update") or version < 1:
            continue
        out[entry.seq] = version
        if kind == "create" and not entry.action.startswith("restore"):
            break
        version -= 1
    return out
