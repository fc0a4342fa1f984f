"""The tamper-evident audit log: every entry carries the hash of the one before it.

Rewriting or deleting any past entry breaks every hash after it, which
`python -m incidents audit verify` reports.

Two hash rules, told apart per entry when the chain is checked:

- rule 1 (entries written before purges existed): the hash covers the entry's
  before/after texts themselves (entry_hash);
- rule 2 (every entry written now): the hash covers the sha256 digests of those texts
  (entry_hash_v2). A purge (a legal request to remove a record's content) can then
  replace a text by a marker holding its digest, {"purged_sha256": "..."}, and the
  entry still checks. An entry of rule 1 whose text was purged can no longer be
  re-hashed: it is accepted by its place in the chain (the next entry still holds its
  hash), which docs/editing.md states.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from incidents.schema import CONFIDENTIAL_FIELDS

GENESIS = "0" * 64
# One encoder each, built once: json.dumps would build a new one per call (imports write
# an entry per record). The output is exactly json.dumps's with the same options.
_CANONICAL = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_BODY = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ENCODE_STRING = json.encoder.encode_basestring  # the C escaper _BODY uses for str


@dataclass(frozen=True)
class AuditEntry:
    """One change or event: who did what, when, and the record before and after."""

    seq: int
    at: str
    actor: str
    action: str
    incident_id: str
    before: str | None
    after: str | None
    prev_hash: str
    hash: str


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def to_json(value: Any) -> str | None:
    """Canonical JSON, so that the same record always hashes the same."""
    if value is None:
        return None
    return _CANONICAL.encode(value)


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    action: str,
    incident_id: str,
    before: str | None,
    after: str | None,
) -> str:
    """sha256 over the previous hash and this entry's canonical form."""
    # json.dumps([seq, at, actor, action, incident_id, before, after], ensure_ascii=False,
    # separators=(",", ":")), written out: the before/after texts are not walked twice.
    body = ",".join(
        (
            str(seq) if type(seq) is int else _BODY.encode(seq),
            *map(_string, (at, actor, action, incident_id, before, after)),
        )
    )
    return hashlib.sha256(f"{prev_hash}\n[{body}]".encode()).hexdigest()


def entry_hash_v2(e: AuditEntry) -> str:
    """Rule 2: sha256 over the previous hash and the entry (all of it but its own hash)
    with its before/after texts replaced by their digests (text_digest), so a purged
    text still checks."""
    digests = text_digest(e.before), text_digest(e.after)
    body = _BODY.encode([e.seq, e.at, e.actor, e.action, e.incident_id, *digests])
    return hashlib.sha256(f"v2\n{e.prev_hash}\n{body}".encode()).hexdigest()


def text_digest(text: str | None) -> str | None:
    """The digest rule 2 hashes for a before/after text: a purge marker's own digest."""
    if text is None:
        return None
    if is_purged(text):
        return text[_MARK_START : _MARK_START + 64]
    return hashlib.sha256(text.encode()).hexdigest()


_MARK_PREFIX = '{"purged_sha256":"'
_MARK_START = len(_MARK_PREFIX)
_MARK_LENGTH = _MARK_START + 64 + 2


def purge_marker(text: str | None) -> str | None:
    """What a purge leaves of a before/after text: its digest, nothing of its content."""
    if text is None or is_purged(text):
        return text
    return f'{_MARK_PREFIX}{hashlib.sha256(text.encode()).hexdigest()}"}}'


def is_purged(text: str | None) -> bool:
    """A purge marker (a record's content is always a JSON object of many fields)."""
    return (
        text is not None
        and len(text) == _MARK_LENGTH
        and text.startswith(_MARK_PREFIX)
        and text.endswith('"}')
    )


def _string(value: Any) -> str:
    """A value as _BODY writes it (strings and None without the general encoder)."""
    if value is None:
        return "null"
    if type(value) is str:
        return _ENCODE_STRING(value)
    return _BODY.encode(value)


def make_entry(
    prev: AuditEntry | None,
    actor: str,
    action: str,
    incident_id: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """The next entry of the chain after prev."""
    return chain_entry(prev, now_utc(), actor, action, incident_id, to_json(before), to_json(after))


def chain_entry(
    prev: AuditEntry | None,
    at: str,
    actor: str,
    action: str,
    incident_id: str,
    b: str | None,
    a: str | None,
) -> AuditEntry:
    """The next entry after prev, from before/after already in canonical JSON (to_json):
    what a batch write calls once per record, with one timestamp for the batch."""
    entry = object.__new__(AuditEntry)  # the frozen dataclass's __init__, without its cost
    entry.__dict__.update(
        seq=prev.seq + 1 if prev else 1,
        at=at,
        actor=actor,
        action=action,
        incident_id=incident_id,
        before=b,
        after=a,
        prev_hash=prev.hash if prev else GENESIS,
    )
    entry.__dict__["hash"] = entry_hash_v2(entry)
    return entry


def verify_chain(
    entries: Iterable[AuditEntry], pinned: Collection[tuple[int, str]] = ()
) -> list[str]:
    """Problems found walking the chain in order; empty when it is intact. pinned:
    (seq, record id) of purged entries of rule 1 that a purge entry outside this chain
    names (a copied chain, audit_copies.py, purged in the store that holds it)."""
    problems = []
    prev_hash, expected_seq = GENESIS, 1
    unpinned: dict[int, str] = {}  # purged entries of rule 1 no purge entry named yet
    rule = 2  # the rule the entry before followed: tried first (runs of one rule)
    for e in entries:
        if e.seq != expected_seq:
            problems.append(f"entry {e.seq}: expected entry {expected_seq} (one is missing)")
        if e.prev_hash != prev_hash:
            problems.append(f"entry {e.seq}: does not follow the entry before it")
        found = _rule_of(e, rule)
        if found is None:
            unpinned[e.seq] = e.incident_id
        elif not found:
            problems.append(f"entry {e.seq}: its content was changed after it was written")
        else:
            rule = found
        if e.action == PURGE_ACTION and found:
            for seq in purged_rule1(e):
                if unpinned.get(seq) == e.incident_id:
                    del unpinned[seq]
        prev_hash, expected_seq = e.hash, e.seq + 1
    problems += [
        f"entry {seq}: its content was changed after it was written (it is marked as "
        "purged, but no purge entry names it)"
        for seq, incident_id in unpinned.items()
        if (seq, incident_id) not in pinned
    ]
    return problems


PURGE_ACTION = "purge"


def _rule_of(e: AuditEntry, first: int = 2) -> int | None:
    """The rule (1 or 2) under which the entry's hash checks, 0 if none; None for a
    purged entry of rule 1. first: the rule to try first."""
    purged = is_purged(e.before) or is_purged(e.after)
    fields = (e.prev_hash, e.seq, e.at, e.actor, e.action, e.incident_id)
    if first == 1 and not purged and entry_hash(*fields, e.before, e.after) == e.hash:
        return 1
    if follows_rule2(e):
        return 2
    if purged:
        return None
    if first != 1 and entry_hash(*fields, e.before, e.after) == e.hash:
        return 1
    return 0


def follows_rule2(e: AuditEntry) -> bool:
    """The entry's hash checks under rule 2 (digests of its texts)."""
    return entry_hash_v2(e) == e.hash


def purged_rule1(purge: AuditEntry) -> list[int]:
    """The entries of rule 1 a purge entry says it emptied."""
    try:
        detail = json.loads(purge.after or "{}")
    except ValueError:
        return []
    seqs = detail.get("rule1_entries", []) if isinstance(detail, dict) else []
    return [s for s in seqs if type(s) is int]


def without_confidential(entry: AuditEntry) -> AuditEntry:
    """The entry as someone who may not read confidential fields sees it."""

    def strip(text: str | None) -> str | None:
        if text is None or is_purged(text):
            return text
        value = json.loads(text)
        if isinstance(value, dict):
            for name in CONFIDENTIAL_FIELDS:
                if value.get(name):
                    value[name] = "(confidential)"
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    return replace(entry, before=strip(entry.before), after=strip(entry.after))
