"""Record text is data: template syntax in any field is shown literally, never evaluated.

branca compiles rendered map script as a Jinja template (incidents/maps/page_data.py):
a title "SSTI {{ 7*7 }} end" came out as "SSTI 49 end", and a longer one ran shell
commands on the server. Here every text field of synthetic records holds template
syntax, markup and a payload that would write a file; every export format, for a public
visitor and an editor, and the map page's HTML for every layer must hold the text as
text, raise nothing, and write nothing.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from incidents.access import Role, Viewer
from incidents.export.profiles import export_viewer, profile_for
from incidents.export.service import FORMATS, ExportRequest, run_export
from incidents.maps import LAYERS, MAP_COLUMNS, MapOptions, build_map, map_html
from incidents.maps.page_data import UnsafeElement, check_tree, js_data
from incidents.query import Query
from incidents.record import Incident, Source
from tests.conftest import EDITOR

MARKER_NAME = "ssti-was-run"
HUGE = "H " + "{{ 7*7 }} x" * 100_000  # a megabyte of description


def payloads(marker: Path) -> dict[str, str]:
    """Hostile strings by name; 'write' would create the marker file if evaluated."""
    return {
        "math": "SSTI {{ 7*7 }} end",
        "raw": "open {% raw %} never closed",
        "comment": "a {# comment that never ends",
        "write": "W {{ lipsum.__globals__['os'].popen('touch " + str(marker) + "').read() }}",
        "cycler": "C {{ cycler.__init__.__globals__.os.system('touch " + str(marker) + "') }}",
        "js": "{{constructor.constructor('alert(9)')()}}",
        "literal": "L ${alert(1)} `tick` </script><script>alert(2)</script>",
        "tex": "T $x^$ and $\\frac{1}{2}$ cost $5",
        "formula": '=HYPERLINK("http://x.example","y") -1+2 @SUM(A1)',
        "bidi": "B \u202eevil\u202c \u2067عربي\u2069 end",
        "shortcode": "S :material/home: :smile: :red[x] end",
    }


def hostile(name: str, text: str, n: int) -> Incident:
    """A public record whose every text field holds text (the title also names the field)."""
    url = "https://example.org/a?q=" + text.replace(" ", "%20")
    source = Source(title=f"source {text}", publisher=f"publisher {text}", url=url)
    return Incident(
        id=f"syn-ssti-{n}",
        type="mass_grave",
        title=f"title {text}",
        description=f"description {text}",
        date_start=date(2020, 6, 5),
        date_end=date(2020, 6, 5),
        place=f"place {text}",
        country="LY",
        admin1=f"district {text}",
        admin1_code="LY-MB",
        latitude=32.43 + n / 100,
        longitude=13.63 + n / 100,
        location_precision="exact",
        perpetrators=(f"perpetrator {text}",),
        tags=(f"tag {text}",),
        sources=(source,),
        sensitivity="public",
        confidential_notes=f"notes {text}",
    )


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory):
    from incidents.store.gpkg import GeoPackageStore

    folder = tmp_path_factory.mktemp("ssti")
    marker = folder / MARKER_NAME
    texts = payloads(marker)
    store = GeoPackageStore(folder / "hostile.gpkg")
    records = [hostile(k, v, n) for n, (k, v) in enumerate(texts.items())]
    huge = hostile("huge", "huge {{ 7*7 }}", len(records)).replace(
        description=HUGE, sources=(Source(title="t", publisher=HUGE),)
    )
    store.write_batch([*records, huge], EDITOR)
    return store, texts, marker


def decoded(fmt: str, data: bytes) -> str:
    """An output's text with every escape a format uses undone (JSON, HTML, XML)."""
    if fmt in ("pptx", "xlsx"):
        archive = zipfile.ZipFile(io.BytesIO(data))
        text = "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                         if n.endswith((".xml", ".rels")))  # fmt: skip
    else:
        text = data.decode("utf-8", "replace")
    if fmt == "csv":
        csv.field_size_limit(1 << 30)  # the test reads megabyte cells back
        return "\n".join("\t".join(row) for row in csv.reader(io.StringIO(text)))
    if fmt in ("html", "geojson"):
        text = _JSON_ESCAPE.sub(_unescape, text)
    return html.unescape(text)


_JSON_ESCAPE = re.compile(r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt])')


def _unescape(match: re.Match[str]) -> str:
    code = match[1]
    if code.startswith("u"):
        return chr(int(code[1:], 16))
    return {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}.get(code, code)


def assert_inert(
    text: str, texts: dict[str, str], marker: Path, shows_title: bool, drawn: bool = False
) -> None:
    """drawn: a map a person reads, which leaves direction overrides out (readable); a
    data file keeps the text as written."""
    from incidents.translation import readable

    assert not marker.exists(), "a payload ran on the server"
    assert "SSTI 49 end" not in text
    if shows_title:
        for value in texts.values():
            assert f"title {readable(value) if drawn else value}" in text


ROLES = [Role.PUBLIC, Role.EDITOR]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize("drawn", ["rows", "index"])
def test_every_export_shows_template_syntax_literally(hostile_store, fmt, role, drawn):
    store, texts, marker = hostile_store
    person = Viewer(f"ssti-{role.value}", role)
    request = ExportRequest(fmt, profile=profile_for(person).name, title="Hostile text",
                            cells_above=0 if drawn == "index" else 20_000)  # fmt: skip
    data = run_export(store, person, Query(), request).data
    shows_title = fmt in ("html", "csv", "xlsx", "geojson") and drawn == "rows"
    assert_inert(decoded(fmt, data), texts, marker, shows_title, drawn=fmt == "html")


@pytest.mark.parametrize("popups", [False, True])
@pytest.mark.parametrize("layer", list(LAYERS))
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_the_map_page_shows_template_syntax_literally(hostile_store, layer, role, popups):
    store, texts, marker = hostile_store
    person = Viewer(f"ssti-{role.value}", role)
    frame = store.query(Query(), export_viewer(person, profile_for(person)), list(MAP_COLUMNS))
    page = map_html(build_map(frame, MapOptions(layer=layer, popups=popups)), standalone=True)
    assert_inert(decoded("html", page.encode()), texts, marker, layer == "markers", drawn=True)
    script = page.split("<body>", 1)[-1]
    for opener in ("{{", "{%", "{#"):
        assert opener not in script.replace("{{ ", "")  # no data leaves an opener behind
    assert "</script><script>alert(2)" not in page


def test_no_template_opener_or_markup_survives_js_data():
    for text in ["{{", "{%", "{#", "{{{", "<", ">", "&", "{{ 7*7 }}", "</script>"]:
        out = js_data({"k": [text, {"n": text}]})
        assert not any(o in out for o in ("{{", "{%", "{#", "<", ">", "&"))
        assert json.loads(out) == {"k": [text, {"n": text}]}


def test_an_element_that_would_compile_its_text_is_refused():
    import folium

    frame = pd.DataFrame(columns=list(MAP_COLUMNS))
    m = build_map(frame)
    folium.Marker([32.4, 13.6], tooltip="{{ 7*7 }}").add_to(m)
    with pytest.raises(UnsafeElement):
        check_tree(m)
    with pytest.raises(UnsafeElement):
        map_html(m)


@pytest.mark.parametrize("fmt", ["svg", "pptx"])
def test_a_megabyte_of_text_is_cut_to_fit_a_drawn_panel(hostile_store, fmt):
    """A megabyte publisher name was wrapped into thousands of lines (minutes per PNG).
    The image's legend lists whole names only: with no room for this one it says where
    the sources are; the deck's sources slide draws its start, literally, and cuts it."""
    store, _, _ = hostile_store
    request = ExportRequest(fmt, profile="internal", title="Hostile text")
    text = decoded(fmt, run_export(store, EDITOR, Query(), request).data)
    if fmt == "svg":
        assert "Sources are listed in each incident record." in text
    else:
        assert "H {{ 7*7 }} x{{ 7*7 }}" in text and "…" in text
    assert text.count("{{ 7*7 }} x") < 2_000


def test_a_megabyte_description_is_kept_whole_in_text_tables(hostile_store):
    store, _, _ = hostile_store
    for fmt in ("csv", "geojson"):
        request = ExportRequest(fmt, profile="internal", title="Hostile text")
        assert HUGE in decoded(fmt, run_export(store, EDITOR, Query(), request).data)
