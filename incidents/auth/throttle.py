"""Failed sign-ins slow down the client making them, and all clients past a global cap.

Locking an account after a few failures let anyone lock anyone out, administrators
included, and told an attacker which names exist. Here no account is ever locked: a
client (an address, or one browser session where no address is known) that failed
PER_CLIENT times in CLIENT_WINDOW seconds waits, and when all clients together failed
GLOBAL_PER_MINUTE times in the last minute everyone waits a little. The owner of an
account, signing in from elsewhere, is not held up by someone guessing at it.

The failures are rows of a table in the accounts file itself, not memory: every
browser session of the app, every app process on the host (replicas behind a proxy,
the command line) and a restarted server see the same counts, and SQLite's write lock
(BEGIN IMMEDIATE, held by the caller) makes check-and-count one step, so parallel
guesses cannot slip past the limit together. An attempt is counted before its
password is checked and taken back if it succeeds. Rows older than the longest
window are deleted as new ones come. Clients are stored as a hash so the file does not
list addresses; it is no secret from someone holding the file (IPv4 addresses can all
be tried), which is why rows last no longer than the window.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import sqlite3
from dataclasses import dataclass

from incidents.translation import ngettext

PER_CLIENT = 5
CLIENT_WINDOW = 15 * 60.0
GLOBAL_PER_MINUTE = 60
GLOBAL_WINDOW = 60.0


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures a client, and all clients together, may make, and when."""

    per_client: int = PER_CLIENT
    client_window: float = CLIENT_WINDOW
    global_limit: int = GLOBAL_PER_MINUTE
    global_window: float = GLOBAL_WINDOW


@dataclass(frozen=True)
class Refusal:
    """A throttled attempt: how long to wait, and whether all clients must."""

    wait_seconds: float
    everyone: bool

    @property
    def message(self) -> str:
        """The same sentence whatever name was typed: it depends on the client only (in
        the language active when it is read: the sign-in page's)."""
        minutes = max(1, math.ceil(self.wait_seconds / 60))
        if self.everyone:
            said = ngettext(
                "Too many failed sign-ins on this site just now: wait a minute, then try again.",
                "Too many failed sign-ins on this site just now: wait {n} minutes, then try again.",
                minutes,
            )
        else:
            said = ngettext(
                "Too many failed sign-ins from here: wait a minute, then try again.",
                "Too many failed sign-ins from here: wait {n} minutes, then try again.",
                minutes,
            )
        return said.format(n=minutes)


def create_table(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS sign_in_failures (id INTEGER PRIMARY KEY,"
        " client TEXT NOT NULL, at REAL NOT NULL)"
    )
    conn.execute("CREATE INDEX IF NOT EXISTS sign_in_failures_client ON sign_in_failures(client)")


def reserve(
    conn: sqlite3.Connection, client: str, now: float, policy: ThrottlePolicy
) -> Refusal | int:
    """Count an attempt as a failure (its row id, for release), or refuse it if over a limit."""
    oldest = now - max(policy.client_window, policy.global_window)
    conn.execute("DELETE FROM sign_in_failures WHERE at <= ?", (oldest,))
    key = client_key(client)
    mine = [
        r[0]
        for r in conn.execute(
            "SELECT at FROM sign_in_failures WHERE client = ? AND at > ? ORDER BY at DESC LIMIT ?",
            (key, now - policy.client_window, policy.per_client),
        )
    ]
    if len(mine) >= policy.per_client:
        return Refusal(mine[policy.per_client - 1] + policy.client_window - now, everyone=False)
    recent = [
        r[0]
        for r in conn.execute(
            "SELECT at FROM sign_in_failures WHERE at > ? ORDER BY at DESC LIMIT ?",
            (now - policy.global_window, policy.global_limit),
        )
    ]
    if len(recent) >= policy.global_limit:
        return Refusal(recent[policy.global_limit - 1] + policy.global_window - now, everyone=True)
    cursor = conn.execute("INSERT INTO sign_in_failures (client, at) VALUES (?, ?)", (key, now))
    return int(cursor.lastrowid or 0)


def release(conn: sqlite3.Connection, attempt: int) -> None:
    """Take back an attempt that succeeded: only failures count."""
    conn.execute("DELETE FROM sign_in_failures WHERE id = ?", (attempt,))


def client_address(
    peer: str | None, forwarded_for: list[str], trusted_proxies: tuple[str, ...] = ()
) -> str | None:
    """The address to throttle by, or None when none is known (use a session's key).

    peer is the connection's address (None for localhost, as Streamlit reports it).
    X-Forwarded-For is believed only from a proxy on this host or one named in
    INCIDENTS_TRUSTED_PROXIES, and only its last entry, the one that proxy wrote:
    anyone can send the header, and earlier entries are whatever the client claimed.
    Without that, every visitor behind a remote proxy would share the proxy's address.
    """
    entries = [e.strip() for h in forwarded_for for e in h.split(",") if e.strip()]
    if entries and (peer is None or peer in trusted_proxies):
        return _network(entries[-1])
    return _network(peer) if peer else None


def _network(address: str) -> str:
    """An IPv6 address counts as its /64: one connection commonly holds a whole /64,
    so counting single addresses would give an attacker endless fresh clients."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_key(client: str) -> str:
    """How a client is stored: a hash, so the file lists no addresses."""
    return hashlib.sha256(b"incidents-sign-in:" + client.encode()).hexdigest()[:32]
