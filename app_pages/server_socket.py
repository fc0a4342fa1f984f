"""The server's replies leave at once: Nagle's algorithm off on every connection.

Streamlit binds its own listening socket (`socket.socket(family=...)`, protocol 0), and
asyncio switches Nagle's algorithm off only on sockets that say IPPROTO_TCP
(`asyncio.base_events._set_nodelay`), so every connection the server accepted kept it
on. A reply written in two parts (headers, then body) on a connection the browser
reuses then waited for the browser's delayed acknowledgement: 40 ms more for each of
the 150 script files a new visitor fetches over six connections, and for Streamlit's
messages sent one after another on the page's websocket (docs/benchmarks.md).

The app is imported after Streamlit has bound its socket, so the fix is made where
asyncio sets up each new connection: a TCP stream socket gets TCP_NODELAY whatever its
protocol number says. tests/app/test_server_socket.py fails the day Streamlit binds a
socket that asyncio handles itself: this module can go then.
"""

from __future__ import annotations

import asyncio.base_events
import contextlib
import socket
from collections.abc import Callable

_MARK = "_incidents_no_delay"


def send_without_delay() -> None:
    """From now on every TCP connection asyncio sets up has Nagle's algorithm off.
    Called once as the server imports the app, before it accepts a connection; a second
    call changes nothing, nor does a Python whose asyncio no longer has the hook."""
    current = getattr(asyncio.base_events, "_set_nodelay", None)
    if current is not None and not getattr(current, _MARK, False):
        asyncio.base_events._set_nodelay = no_delay(current)  # type: ignore[attr-defined]


def no_delay(set_nodelay: Callable[[socket.socket], None]) -> Callable[[socket.socket], None]:
    """set_nodelay, extended to TCP stream sockets made without a protocol number."""

    def each_connection(sock: socket.socket) -> None:
        set_nodelay(sock)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            with contextlib.suppress(OSError):  # a socket closed meanwhile: nothing to send
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    setattr(each_connection, _MARK, True)
    return each_connection
