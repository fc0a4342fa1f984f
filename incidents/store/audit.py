"""The tamper-evident audit log: every entry carries the hash of the one before it.

Rewriting or deleting any past entry breaks every hash after it, which
`python -m incidents audit verify` reports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
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
    seq = prev.seq + 1 if prev else 1
    prev_hash = prev.hash if prev else GENESIS
    digest = entry_hash(prev_hash, seq, at, actor, action, incident_id, b, a)
    entry = object.__new__(AuditEntry)  # the frozen dataclass's __init__, without its cost
    entry.__dict__.update(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        incident_id=incident_id,
        before=b,
        after=a,
        prev_hash=prev_hash,
        hash=digest,
    )
    return entry


def verify_chain(entries: Iterable[AuditEntry]) -> list[str]:
    """Problems found walking the chain in order; empty when it is intact."""
    problems = []
    prev_hash, expected_seq = GENESIS, 1
    for e in entries:
        if e.seq != expected_seq:
            problems.append(f"entry {e.seq}: expected entry {expected_seq} (one is missing)")
        if e.prev_hash != prev_hash:
            problems.append(f"entry {e.seq}: does not follow the entry before it")
        digest = entry_hash(
            e.prev_hash, e.seq, e.at, e.actor, e.action, e.incident_id, e.before, e.after
        )
        if digest != e.hash:
            problems.append(f"entry {e.seq}: its content was changed after it was written")
        prev_hash, expected_seq = e.hash, e.seq + 1
    return problems


def without_confidential(entry: AuditEntry) -> AuditEntry:
    """The entry as someone who may not read confidential fields sees it."""

    def strip(text: str | None) -> str | None:
        if text is None:
            return None
        value = json.loads(text)
        if isinstance(value, dict):
            for name in CONFIDENTIAL_FIELDS:
                if value.get(name):
                    value[name] = "(confidential)"
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    return replace(entry, before=strip(entry.before), after=strip(entry.after))
