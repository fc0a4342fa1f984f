"""Streamlit's own script, style and font files, answered from memory.

A new visitor's page load fetches 153 of Streamlit's script, style and font files
(5 MB). The server answers each through Starlette's StaticFiles behind three middleware
layers (a file check, a worker thread, the body in 64 KB pieces), in the same process
(and under the same lock) that runs that visitor's page at that moment. Answered here
from memory: 150 files (16 MB) on one connection cost 0.09 s of the server's CPU
against 0.29 s; a page load about 0.06 s less (a tenth of its server CPU; the page's
own timings are within their noise). Starlette is still the server; this answers one
kind of request before it.

Only files found under Streamlit's static folder at start are answered, looked up by
their exact address: no part of a request's path reaches the file system. Anything else
(index.html, a range request, another method, an unknown name) goes on to Streamlit
unchanged. Streamlit's build puts a hash in every name (a new version, new names), so
the files are cached by the browser for a year, as Streamlit itself says.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit
from streamlit import config
from streamlit.url_util import make_url_path

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FOLDER = Path(streamlit.__file__).parent / "static" / "static"
CACHE_CONTROL = b"public, immutable, max-age=31536000"
_TYPES = {  # what browsers expect; mimetypes alone varies with the machine's own tables
    ".js": "application/javascript",
    ".css": "text/css",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    """One file's bytes and the headers it is answered with."""

    body: bytes
    etag: bytes
    headers: list[tuple[bytes, bytes]]


def _content_type(path: Path) -> str:
    known = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    return known or "application/octet-stream"


def _load(path: Path) -> Asset:
    body = path.read_bytes()
    etag = b'"' + hashlib.md5(body, usedforsecurity=False).hexdigest().encode() + b'"'
    headers = [
        (b"content-type", _content_type(path).encode()),
        (b"cache-control", CACHE_CONTROL),
        (b"etag", etag),
        (b"x-content-type-options", b"nosniff"),
    ]
    return Asset(body, etag, headers)


def listing(folder: Path = FOLDER, base_url: str | None = None) -> dict[str, Path]:
    """Every file under folder by the address the page asks for it at (under the
    server's base path), found once: requests are matched against these keys only."""
    base = str(config.get_option("server.baseUrlPath") or "") if base_url is None else base_url
    prefix = make_url_path(base, "static/")
    return {
        prefix + path.relative_to(folder).as_posix(): path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class StaticAssets:
    """ASGI middleware: answers GET and HEAD for Streamlit's static files from memory.

    Each file is read the first time it is asked for and kept (about 5 MB for what the
    pages use, 25 MB at most): reading all at start would delay the server's answer."""

    def __init__(self, app: ASGIApp, files: dict[str, Path] | None = None) -> None:
        self.app = app
        self.files = listing() if files is None else files
        self.loaded: dict[str, Asset] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        asset = self._asset(scope)
        if asset is None:
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope.get("headers") or [])
        if request_headers.get(b"if-none-match") == asset.etag:
            await send({"type": "http.response.start", "status": 304,
                        "headers": list(asset.headers)})  # fmt: skip
            await send({"type": "http.response.body", "body": b""})
            return
        length = (b"content-length", str(len(asset.body)).encode())
        await send({"type": "http.response.start", "status": 200,
                    "headers": [*asset.headers, length]})  # fmt: skip
        body = b"" if scope["method"] == "HEAD" else asset.body
        await send({"type": "http.response.body", "body": body})

    def _asset(self, scope: Scope) -> Asset | None:
        """The file this request asks for, or None when it is not a plain request for
        one of the listed files (Streamlit answers it then)."""
        if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
            return None
        path = self.files.get(scope.get("path", ""))
        if path is None or any(name == b"range" for name, _ in scope.get("headers") or []):
            return None
        asset = self.loaded.get(path.as_posix())
        if asset is None:
            asset = self.loaded.setdefault(path.as_posix(), _load(path))
        return asset
