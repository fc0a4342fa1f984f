"""Do the records still say what the audit chain says they are?

Why: the hash chain (audit.py) shows an altered or removed entry, but not a record
changed with sqlite3, psql or QGIS behind the app's back: such an edit writes no entry,
so the chain stays intact. Every create or update entry holds the record's full
content as canonical JSON ('after', covered by the entry's hash), and a delete entry
says it is gone; so the chain already says what each record must be now. This check
compares, for every record:

- its current content with the 'after' of its last entry (a flipped sensitivity,
  a changed title, confidential text or source);
- the records present with the ids the chain says exist (a record deleted, or added,
  or put back outside the app);
- each entry's 'before' with the entry before it for the same record, so a direct
  edit that an editor later saved over still shows.

It cannot see an edit made together with a forged entry appended to the chain (the
chain is not keyed), nor the removal of the chain's last entries together with the
records they made: an anchor (the head hash kept elsewhere) catches the latter.
Entries written before a field existed do not hold it: such fields are reported as
not checkable rather than as changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from incidents.record import Incident
from incidents.store.audit import to_json
from incidents.store.backend import Backend

ReadBackend = Callable[[], AbstractContextManager[Backend]]
Loader = Callable[[Backend, Sequence[str]], dict[str, Incident]]
_PAGE = 5000
_CHUNK = 500
_ATTEMPTS = 3  # writes during the check: read again this many times


@dataclass
class RecordCheck:
    """What the record check found: problems (tampering) and what it could not check."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Last:
    """The last entry that changed one record, as far as the walk has come."""

    seq: int
    at: str
    action: str
    state: bytes | None  # digest of the content it says the record has; None: deleted


def _number(value: Any) -> Any:
    """Whole floats as ints (see _digest)."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


def _digest(text: str | None) -> bytes:
    """Of an entry's JSON text as written: equal texts are equal contents. Unequal ones
    are compared value by value before anything is reported (_fields), since a number
    written as 5 reads back from a REAL column as 5.0."""
    return hashlib.sha256((text or "").encode()).digest()[:16]


def _parse(text: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def check_records(read: ReadBackend, load: Loader) -> RecordCheck:
    """Compare every record with what the audit chain last says about it. Writes made
    by the app during the check are noticed (the chain grew) and the check is redone."""
    for _ in range(_ATTEMPTS):
        with read() as db:
            top = _top(db)
            result = _check(db, load)
            if _top(db) == top:
                return result
    with read() as db, db.snapshot():
        return _check(db, load)


def _top(db: Backend) -> int:
    rows = db.fetch("SELECT MAX(seq) AS top FROM audit_log")
    return int(rows[0]["top"] or 0) if rows else 0


def _check(db: Backend, load: Loader) -> RecordCheck:
    result = RecordCheck()
    last: dict[str, _Last] = {}
    breaks: list[tuple[str, int, int]] = []  # id, entry, the entry before it
    for seq, at, action, incident_id, before, after in _changes(db):
        prev = last.get(incident_id)
        had = prev.state if prev is not None else None
        now = None if before is None else _digest(before)
        if prev is not None and had is not None and now != had:
            breaks.append((incident_id, seq, prev.seq))
        state = None if action == "delete" else _digest(after)
        last[incident_id] = _Last(seq, at, action, state)
    for incident_id, seq, prev_seq in breaks:
        result.problems += _break_problem(db, incident_id, seq, prev_seq)
    present = [r["id"] for r in db.fetch("SELECT id FROM incidents ORDER BY id")]
    result.checked = len(present)
    for incident_id in sorted(set(last) - set(present)):
        entry = last[incident_id]
        if entry.state is not None:
            result.problems.append(
                f"Record {incident_id} is missing, but its last audit entry ({entry.seq}, "
                f"{entry.action} at {entry.at}) says it exists: deleted outside the app."
            )
    for start in range(0, len(present), _CHUNK):
        chunk = present[start : start + _CHUNK]
        records = load(db, chunk)
        _compare(db, chunk, records, last, result)
    result.unchecked = _grouped(result.unchecked)
    return result


def _changes(db: Backend) -> Iterator[tuple[int, str, str, str, str | None, str | None]]:
    """The entries that create, change or delete a record, in order, a page at a time."""
    seq = 0
    while True:
        rows = db.fetch(
            "SELECT seq, at, action, incident_id, before, after FROM audit_log "
            f"WHERE seq > {db.placeholder} AND incident_id <> '' ORDER BY seq LIMIT {_PAGE}",
            [seq],
        )
        for r in rows:
            if r["action"] == "delete" or r["action"].endswith((":create", ":update")):
                yield r["seq"], r["at"], r["action"], r["incident_id"], r["before"], r["after"]
        if len(rows) < _PAGE:
            return
        seq = rows[-1]["seq"]


def _compare(
    db: Backend,
    chunk: Sequence[str],
    records: dict[str, Incident],
    last: dict[str, _Last],
    result: RecordCheck,
) -> None:
    """Each present record against its last entry; fields named where they differ."""
    suspects: list[tuple[str, _Last]] = []
    for incident_id in chunk:
        entry = last.get(incident_id)
        if entry is None:
            result.problems.append(
                f"Record {incident_id} is in the store, but the audit log never recorded "
                "it: added outside the app."
            )
        elif entry.state is None:
            result.problems.append(
                f"Record {incident_id} is in the store, but the audit log says it was deleted "
                f"(entry {entry.seq} at {entry.at}): put back outside the app."
            )
        elif (
            incident_id in records
            and _digest(to_json(records[incident_id].content())) != entry.state
        ):
            suspects.append((incident_id, entry))
    texts = _afters(db, [entry.seq for _, entry in suspects])
    for incident_id, entry in suspects:
        recorded = _parse(texts.get(entry.seq))
        where = f"its last audit entry ({entry.seq}, {entry.action} at {entry.at})"
        if recorded is None:
            result.unchecked.append(f"{incident_id}\t{where} does not hold its contents")
            continue
        differ, missing = _fields(recorded, records[incident_id].content())
        if differ:
            result.problems.append(
                f"Record {incident_id}: its {_names(differ)} from what {where} "
                "recorded: changed outside the app."
            )
        elif missing:
            result.unchecked.append(
                f"{incident_id}\t{', '.join(missing)} cannot be checked: its last audit "
                "entry was written by an older version that did not record them"
            )


def _fields(recorded: dict[str, Any], current: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Fields whose values differ, and current fields the entry does not hold."""
    differ = [
        k for k in sorted(current) if k in recorded and _number(recorded[k]) != _number(current[k])
    ]
    missing = [k for k in sorted(current) if k not in recorded]
    return differ, missing


def _names(fields: list[str]) -> str:
    """'title field differs', 'title, sources fields differ'."""
    return ", ".join(fields) + (" field differs" if len(fields) == 1 else " fields differ")


def _afters(db: Backend, seqs: Sequence[int]) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for start in range(0, len(seqs), _CHUNK):
        part = list(seqs[start : start + _CHUNK])
        marks = ", ".join([db.placeholder] * len(part))
        rows = db.fetch(f"SELECT seq, after FROM audit_log WHERE seq IN ({marks})", part)
        found.update({r["seq"]: r["after"] for r in rows})
    return found


def _break_problem(db: Backend, incident_id: str, seq: int, prev_seq: int) -> list[str]:
    """An entry whose 'before' is not what the entry before it left: the record was
    edited outside the app in between (then saved over in the app)."""
    marks = f"{db.placeholder}, {db.placeholder}"
    rows = db.fetch(
        f"SELECT seq, at, before, after FROM audit_log WHERE seq IN ({marks})", [seq, prev_seq]
    )
    by_seq = {r["seq"]: r for r in rows}
    at = by_seq[seq]["at"]
    if by_seq[seq]["before"] is None:
        return [
            f"Record {incident_id}: audit entry {seq} (at {at}) made it anew, though entry "
            f"{prev_seq} says it already existed: it had been deleted outside the app."
        ]
    before, had = _parse(by_seq[seq]["before"]), _parse(by_seq[prev_seq]["after"])
    if before is None or had is None:
        return []
    differ, _ = _fields(had, before)
    differ = [k for k in differ if k in before]
    if not differ:
        return []
    return [
        f"Record {incident_id}: before audit entry {seq} (at {at}) its "
        f"{', '.join(differ)} had been changed outside the app (entry {prev_seq} recorded "
        "other values)."
    ]


def _grouped(unchecked: list[str]) -> list[str]:
    """'id<TAB>reason' lines as one sentence per reason, naming the records."""
    by_reason: dict[str, list[str]] = {}
    for line in unchecked:
        incident_id, reason = line.split("\t", 1)
        by_reason.setdefault(reason, []).append(incident_id)
    out = []
    for reason, ids in by_reason.items():
        shown = ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
        noun = "Record" if len(ids) == 1 else f"{len(ids)} records"
        out.append(
            f"{noun} {shown}: {reason}." if len(ids) == 1 else f"{noun} ({shown}): {reason}."
        )
    return out
