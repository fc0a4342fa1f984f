"""A record's history in plain words: who changed which field, from what, to what.

Why: the audit entries hold whole records as JSON under internal names (admin1_code,
location_method); editors need "District: Tarhuna -> Al Marqab, by whom, when", with
fields named as the entry form names them and controlled values as their labels.
Confidential fields appear only for viewers entitled to them (the store has already
blanked them for the others; a blanked value is not shown as a change).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from incidents.access import Viewer
from incidents.field_words import EMPTY, EXTRA_LABELS, field_label, value_shown
from incidents.form_edit import LABELS
from incidents.schema import CONFIDENTIAL_FIELDS
from incidents.store.audit import AuditEntry, is_purged
from incidents.store.record_versions import change_kind, entry_versions
from incidents.translation import N_, _

_ORDER = {name: n for n, name in enumerate([*LABELS, *EXTRA_LABELS])}
_INTERNAL = frozenset(
    {"id", "version", "created_by", "created_at", "updated_by", "updated_at", "extra"}
)
# The audit log keeps its codes (import, restore, revert:v3:...); these are the words shown.
_CREATED = {
    "import": N_("Imported"),
    "restore": N_("Restored"),
    "migrate": N_("Copied from another store"),
}
_MADE, _EDITED = N_("Created"), N_("Edited")
_UPDATED = {
    "import": N_("Updated by an import"),
    "bulk": N_("Changed in bulk"),
    "migrate": N_("Updated by a migration"),
}

# Entries that change no record (the audit log page shows them too).
_EVENTS = {
    "import": N_("Imported a file"),
    "export": N_("Exported data"),
    "sign-in": N_("Signed in"),
    "sign-out": N_("Signed out"),
    "sign-in-failed": N_("Sign-in refused"),
}

__all__ = ["EMPTY", "Change", "action_words", "entry_versions", "readable_history"]


@dataclass(frozen=True)
class Change:
    """One changed field of one audit entry (field "" for an entry changing none)."""

    when: str  # "YYYY-MM-DD HH:MM", UTC
    who: str
    action: str
    field: str
    before: str
    after: str


def readable_history(entries: Sequence[AuditEntry], viewer: Viewer) -> list[Change]:
    """The entries (store.history, in order) as changes, one per changed field, in the
    active language (actions, field names and labels; the values are the record's own)."""
    if not viewer.sees_restricted:
        return []
    out: list[Change] = []
    for entry in entries:
        when, action = _when(entry.at), action_words(entry)
        fields = _changed_fields(entry, viewer) if change_kind(entry.action) == "update" else []
        if not fields:
            out.append(Change(when, entry.actor, action, "", "", ""))
        out += [Change(when, entry.actor, action, *f) for f in fields]
    return out


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def action_words(entry: AuditEntry) -> str:
    """What the entry did, in the reader's language (the log keeps its code): the record
    history and the audit log page say it alike."""
    kind, verb = change_kind(entry.action), entry.action.split(":", 1)[0]
    if kind == "create":
        return _(_CREATED.get(verb, _MADE))
    if kind == "update":
        parts = entry.action.split(":")
        if verb == "revert" and len(parts) == 3 and parts[1][1:].isdigit():
            return _("Reverted to version {version}").format(version=parts[1][1:])
        return _(_UPDATED.get(verb, _EDITED))
    if kind == "delete":
        reason = _detail(entry.after).get("reason", "")
        return _("Deleted — reason: {reason}").format(reason=reason) if reason else _("Deleted")
    if kind == "purge":
        return _("Purged")
    event = _EVENTS.get(entry.action)
    return _(event) if event else entry.action.replace("-", " ").capitalize()


def _detail(text: str | None) -> dict[str, Any]:
    if not text or is_purged(text):
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _changed_fields(entry: AuditEntry, viewer: Viewer) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field the entry changed that this viewer sees."""
    before, after = _detail(entry.before), _detail(entry.after)
    names = [
        n
        for n in sorted(before.keys() | after.keys(), key=lambda n: (_ORDER.get(n, 999), n))
        if n not in _INTERNAL and before.get(n) != after.get(n)
    ]
    if not viewer.sees_confidential:
        names = [n for n in names if n not in CONFIDENTIAL_FIELDS]
    return [
        (field_label(n), value_shown(n, before.get(n)), value_shown(n, after.get(n))) for n in names
    ]
