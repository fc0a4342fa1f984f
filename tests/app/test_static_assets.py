"""Streamlit's static files answered from memory (app_pages/static_assets.py): the same
bytes as on disk, the headers Streamlit gives, and everything else passed on unchanged.

Driven as ASGI directly, on the installed Streamlit's real files; the browser tests load
every page through the running server with this in front."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import pytest

from app_pages.static_assets import FOLDER, StaticAssets, listing


class Inner:
    """The app behind the middleware (Streamlit in production): records what reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"inner"})


def _request(
    app: StaticAssets, path: str, method: str = "GET", headers: list | None = None
) -> tuple[int, dict, bytes]:
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": headers or []}
    asyncio.run(app(scope, receive, send))
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def _some_script() -> Path:
    return next(p for p in sorted((FOLDER / "js").iterdir()) if p.name.startswith("index."))


def test_a_script_is_answered_with_its_bytes_and_streamlits_cache_headers() -> None:
    inner = Inner()
    app = StaticAssets(inner, listing(base_url=""))
    script = _some_script()
    status, headers, body = _request(app, f"/static/js/{script.name}")
    assert (status, body) == (200, script.read_bytes())
    assert headers[b"content-type"] == b"application/javascript"
    assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"etag"] == f'"{hashlib.md5(body).hexdigest()}"'.encode()
    assert inner.paths == []


def test_a_known_etag_gets_not_modified_and_head_gets_no_body() -> None:
    app = StaticAssets(Inner(), listing(base_url=""))
    address = f"/static/js/{_some_script().name}"
    _, headers, _ = _request(app, address)
    status, _, body = _request(app, address, headers=[(b"if-none-match", headers[b"etag"])])
    assert (status, body) == (304, b"")
    status, head, body = _request(app, address, method="HEAD")
    assert (status, body) == (200, b"")
    assert head[b"content-length"] == headers[b"content-length"]


@pytest.mark.parametrize(
    "path",
    [
        "/",  # the page itself (index.html, never cached) stays Streamlit's
        "/static/js/no-such-file.js",
        "/static/js/../../index.html",  # not a listed address: Streamlit's own checks
        "/static//js/x.js",
        "/_stcore/health",
        "/static/",
    ],
)
def test_anything_not_a_listed_file_goes_on_to_streamlit(path: str) -> None:
    inner = Inner()
    status, _, body = _request(StaticAssets(inner, listing(base_url="")), path)
    assert (status, body, inner.paths) == (299, b"inner", [path])


def test_other_methods_and_range_requests_go_on_to_streamlit() -> None:
    inner = Inner()
    app = StaticAssets(inner, listing(base_url=""))
    address = f"/static/js/{_some_script().name}"
    assert _request(app, address, method="POST")[0] == 299
    assert _request(app, address, headers=[(b"range", b"bytes=0-10")])[0] == 299
    assert inner.paths == [address, address]


def test_under_a_base_path_only_the_base_paths_addresses_are_answered() -> None:
    inner = Inner()
    app = StaticAssets(inner, listing(base_url="maps"))
    name = _some_script().name
    assert _request(app, f"/maps/static/js/{name}")[0] == 200
    assert _request(app, f"/static/js/{name}")[0] == 299


def test_fonts_and_styles_have_their_types() -> None:
    files = listing(base_url="")
    kinds = {Path(a).suffix for a in files}
    app = StaticAssets(Inner(), files)
    for suffix, expected in ((".css", b"text/css"), (".woff2", b"font/woff2")):
        if suffix not in kinds:
            continue
        address = next(a for a in files if a.endswith(suffix))
        assert _request(app, address)[1][b"content-type"] == expected
