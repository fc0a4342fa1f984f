"""Ids the importer makes for rows that bring none: keyed with the store's own secret.

Why: an id is published (exports, shared links) next to a record's public fields.
An id computed from the record's fields alone (the earlier sha256 of type, dates,
place, point and title) let anyone recompute it for every candidate day or site and
so recover the exact date and place the public view hides. An HMAC under a random
secret that never leaves the server says nothing about the fields, yet the same row
imported again into the same store still gets the same id (re-import stays
idempotent). Two stores have different secrets, so the same row gets different ids.

The secret lives in the store's own metadata table (store_meta, on both databases),
which no export reads. A store that already held records when its secret was made
keeps their ids: it is marked 'legacy', and the importer then also looks for the old
unkeyed id, so records already published keep theirs; only new ids are keyed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from incidents.record import Incident
from incidents.store.backend import Backend

KEY_ROW = "id_secret"  # store_meta key of the hex secret
LEGACY_ROW = "id_legacy"  # store_meta key: '1' when records predate the secret
PREFIX = "inc-"
_KEYED_HEX = 16  # 64 bits: a collision among a million records is about 1 in 37 million
_LEGACY_HEX = 12


@dataclass(frozen=True)
class IdKey:
    """A store's id secret, and whether it also holds ids made before it had one."""

    secret: bytes = field(repr=False)  # never printed, logged or exported
    legacy: bool


def _fields_text(incident: Incident) -> str:
    """The row's identifying fields, as the unkeyed ids were made from them."""
    return "|".join(
        str(v)
        for v in (
            incident.type,
            incident.date_start,
            incident.date_end,
            incident.place,
            incident.latitude,
            incident.longitude,
            incident.title,
        )
    )


def keyed_id(key: IdKey, incident: Incident) -> str:
    """HMAC-SHA256 of the row's fields under the store's secret."""
    digest = hmac.new(key.secret, _fields_text(incident).encode(), hashlib.sha256)
    return PREFIX + digest.hexdigest()[:_KEYED_HEX]


def legacy_id(incident: Incident) -> str:
    """The unkeyed id earlier versions made: only to find records a store already holds."""
    return PREFIX + hashlib.sha256(_fields_text(incident).encode()).hexdigest()[:_LEGACY_HEX]


def read_id_key(db: Backend) -> IdKey | None:
    """The store's id key, or None when it has none yet."""
    rows = db.fetch(
        f"SELECT key, value FROM store_meta WHERE key IN ({db.placeholder}, {db.placeholder})",
        [KEY_ROW, LEGACY_ROW],
    )
    values = {r["key"]: r["value"] for r in rows}
    if KEY_ROW not in values:
        return None
    return IdKey(bytes.fromhex(values[KEY_ROW]), values.get(LEGACY_ROW) == "1")


def make_id_key(db: Backend) -> IdKey:
    """Give the store its secret (inside the caller's write transaction), unless another
    process just did: the first one written is the one every process reads back."""
    legacy = bool(db.fetch("SELECT 1 FROM incidents LIMIT 1"))
    mark = db.placeholder
    for key, value in ((LEGACY_ROW, "1" if legacy else "0"), (KEY_ROW, secrets.token_hex(32))):
        db.execute(
            f"INSERT INTO store_meta (key, value) VALUES ({mark}, {mark}) ON CONFLICT DO NOTHING",
            [key, value],
        )
    made = read_id_key(db)
    assert made is not None  # written just above, in this transaction
    return made


def adopt_id_key(db: Backend, key: IdKey) -> bool:
    """Give a store another store's id key (inside the caller's write transaction), so a
    copy of a store (a migration) finds the records of a file imported again. False when
    the store already keys its ids with another secret (it is left as it is)."""
    held = read_id_key(db)
    if held is not None:
        return held.secret == key.secret
    mark = db.placeholder
    legacy = key.legacy or bool(db.fetch("SELECT 1 FROM incidents LIMIT 1"))
    for name, value in ((LEGACY_ROW, "1" if legacy else "0"), (KEY_ROW, key.secret.hex())):
        db.execute(f"INSERT INTO store_meta (key, value) VALUES ({mark}, {mark})", [name, value])
    return True
