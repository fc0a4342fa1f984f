"""The two small web routes that put the session cookie in the browser and take it out.

A page cannot set an HttpOnly cookie itself (Streamlit talks to it over a websocket),
so after a password sign-in the page shows an invisible image whose address carries a
one-time token; this route trades the token for a Set-Cookie header. The token is not
the session id and dies on first use; the id itself never appears in any address.
app.py mounts these routes through st.App (Streamlit's Starlette server).
"""

from __future__ import annotations

import base64

import streamlit as st
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from streamlit import config
from streamlit.url_util import make_url_path

from incidents.auth.sessions import SessionPolicy
from incidents.auth.web_sessions import COOKIE_NAME, SessionRegistry

HANDOFF_PATH = "_incidents/session"
END_PATH = "_incidents/session/end"
# A transparent 1x1 GIF: the answer to the image, so nothing shows as broken.
_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@st.cache_resource(show_spinner=False)
def registry() -> SessionRegistry:
    """This server's session registry, shared by the cookie routes and every page run.

    Kept by Streamlit rather than in a module variable: when a project file changes,
    Streamlit unloads the project's modules and imports them again, and a module
    variable would then start empty on one side and not on the other.
    """
    return SessionRegistry()


def url(path: str) -> str:
    """The route's address under the server's base path (server.baseUrlPath)."""
    return make_url_path(str(config.get_option("server.baseUrlPath") or ""), path)


def _answer() -> Response:
    return Response(_PIXEL, media_type="image/gif", headers={"Cache-Control": "no-store"})


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


async def hand_over(request: Request) -> Response:
    """Set the session cookie for a live one-time token; any other token sets nothing."""
    response = _answer()
    value = registry().redeem(request.query_params.get("once", ""))
    if value is not None:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=int(SessionPolicy.from_env().max_seconds),
            path=url(""),
            secure=_secure(request),
            httponly=True,
            samesite="strict",
        )
    return response


async def take_back(request: Request) -> Response:
    """Clear the session cookie (the session itself was ended by the page)."""
    response = _answer()
    response.delete_cookie(
        COOKIE_NAME, path=url(""), secure=_secure(request), httponly=True, samesite="strict"
    )
    return response


def routes() -> list[BaseRoute]:
    """The routes app.py gives st.App."""
    return [
        Route(url(HANDOFF_PATH), hand_over, methods=["GET"]),
        Route(url(END_PATH), take_back, methods=["GET"]),
    ]
