"""Nagle's algorithm off on the connections of the socket Streamlit binds (server_socket).

Each connection is accepted by asyncio from a listening socket bound by Streamlit's own
code, as the server does; the test reads TCP_NODELAY on the server's side of it.
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import contextlib
import socket

import pytest
from streamlit.web.server.starlette import starlette_server

from app_pages import server_socket


def _server_side_no_delay() -> int:
    """TCP_NODELAY on the server's end of one connection to a socket bound as Streamlit
    binds its own."""
    listening = starlette_server._bind_socket("127.0.0.1", 0, 8)
    seen: list[int] = []

    class Note(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def one_connection() -> None:
        server = await asyncio.get_running_loop().create_server(Note, sock=listening)
        async with server:
            _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
            for _ in range(200):
                if seen:
                    break
                await asyncio.sleep(0.01)
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    asyncio.run(one_connection())
    return seen[0]


def test_streamlits_own_socket_keeps_nagle_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Why the module exists. If this fails, Streamlit binds a socket asyncio handles
    itself: server_socket.py and its call in app.py can go."""
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)
    assert _server_side_no_delay() == 0


def test_every_connection_has_nagle_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asyncio.base_events, "_set_nodelay", asyncio.base_events._set_nodelay)
    server_socket.send_without_delay()
    wrapped = asyncio.base_events._set_nodelay
    server_socket.send_without_delay()  # a second call wraps nothing more
    assert asyncio.base_events._set_nodelay is wrapped
    assert _server_side_no_delay() == 1


def test_the_app_sets_it_before_serving() -> None:
    """app.py's server branch calls it (the server imports the app before it accepts)."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "app.py").read_text(encoding="utf-8")
    server_branch = source.split("\nelse:\n", 1)[1]
    assert "server_socket.send_without_delay()" in server_branch
