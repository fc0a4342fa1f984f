"""Make a folium map load nothing from the internet.

folium and its plugins point their scripts and stylesheets at public CDNs; offline
the map is a blank frame. Every element's links are rewritten here to the copies
the app serves from static/ (Streamlit static serving, /app/static/...), and for a
standalone HTML file the same copies can be inlined so it opens anywhere.
An element asking for a file we do not bundle is an error, not a silent CDN link.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

import branca.element
import folium

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
STATIC_URL = "/app/static"

# folium's asset names -> file under static/ (None: not needed by anything we draw).
LOCAL_JS: dict[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "markerclusterjs": "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet-heat.js": "leaflet.heat/leaflet-heat.js",
    "jquery": None,
    "bootstrap": None,
    "awesome_markers": None,
}
LOCAL_CSS: dict[str, str | None] = {
    "leaflet_css": "leaflet/leaflet.css",
    "markerclustercss": "leaflet.markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "leaflet.markercluster/MarkerCluster.Default.css",
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers_font_css": None,
    "awesome_markers_css": None,
    "awesome_rotate_css": None,
}


class UnbundledAsset(ValueError):
    """A map element needs a script or stylesheet that static/ does not hold."""


def _elements(root: branca.element.Element) -> Iterator[branca.element.Element]:
    yield root
    for child in root._children.values():
        yield from _elements(child)


def _local(
    links: list[tuple[str, str]], table: dict[str, str | None], base_url: str
) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if url.startswith(base_url + "/"):
            out.append((name, url))
            continue
        if name not in table:
            raise UnbundledAsset(f"no local copy of {name} ({url}); add it to static/")
        path = table[name]
        if path is not None:
            out.append((name, f"{base_url}/{path}"))
    return out


def localize(m: folium.Map, base_url: str = STATIC_URL) -> folium.Map:
    """Point every element's default_js/default_css at the app's own copies (in place)."""
    for element in _elements(m):
        js = getattr(element, "default_js", None)
        css = getattr(element, "default_css", None)
        if js:
            element.default_js = _local(list(js), LOCAL_JS, base_url)  # type: ignore[attr-defined]
        if css:
            element.default_css = _local(list(css), LOCAL_CSS, base_url)  # type: ignore[attr-defined]
    return m


_SCRIPT_SRC = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_CSS_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\((?P<q>['\"]?)(?P<path>[^)'\"]+)(?P=q)\)")


def _read_static(url: str, base_url: str, static_dir: Path) -> Path:
    if not url.startswith(base_url + "/"):
        raise UnbundledAsset(f"{url} is not served by the app; cannot inline it")
    path = (static_dir / url[len(base_url) + 1 :]).resolve()
    if static_dir.resolve() not in path.parents or not path.is_file():
        raise UnbundledAsset(f"{url} is not in {static_dir}")
    return path


def _inline_css(path: Path) -> str:
    """The stylesheet with its relative images turned into data: URIs."""

    def embed(match: re.Match[str]) -> str:
        target = (path.parent / match["path"]).resolve()
        if match["path"].startswith(("data:", "#")) or not target.is_file():
            return match.group(0)
        kind = "image/svg+xml" if target.suffix == ".svg" else f"image/{target.suffix[1:]}"
        data = base64.b64encode(target.read_bytes()).decode("ascii")
        return f"url(data:{kind};base64,{data})"

    return _CSS_URL.sub(embed, path.read_text(encoding="utf-8"))


def inline_assets(html: str, base_url: str = STATIC_URL, static_dir: Path = STATIC_DIR) -> str:
    """Replace links to /app/static/... by the files' content: one self-contained HTML file."""

    def script(match: re.Match[str]) -> str:
        code = _read_static(match["url"], base_url, static_dir).read_text(encoding="utf-8")
        return "<script>" + code.replace("</script", "<\\/script") + "</script>"

    def style(match: re.Match[str]) -> str:
        css = _inline_css(_read_static(match["url"], base_url, static_dir))
        return "<style>" + css.replace("</style", "<\\/style") + "</style>"

    html = _SCRIPT_SRC.sub(script, html)
    return _CSS_LINK.sub(style, html)


def external_urls(html: str) -> list[str]:
    """http(s) URLs a page would load by itself (scripts, stylesheets): should be none."""
    found = [m["url"] for m in _SCRIPT_SRC.finditer(html)]
    found += [m["url"] for m in _CSS_LINK.finditer(html)]
    return [u for u in found if u.startswith(("http:", "https:", "//"))]
