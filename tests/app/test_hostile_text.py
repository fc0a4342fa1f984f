"""The app's pages with template syntax and markup in every text field of a record.

The map page hands the map to streamlit-folium, which renders it on the server: a title
"{{ 7*7 }}" once became 49 there, "{% raw %}" broke every page with a Jinja traceback,
and a longer title ran shell commands. Public and signed-in views, every layer, the
detail panel: no exception, nothing written, the text shown as text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.detail_panel import source_line
from incidents.record import Source
from incidents.store import open_store
from tests.app.conftest import EDITOR, point_app_at
from tests.security.test_template_injection import hostile, payloads

ROOT = Path(__file__).resolve().parents[2]
MAP_PAGE = str(ROOT / "app_pages" / "map_page.py")
WHOLE_PAGE = "_whole_page"


@pytest.fixture
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    marker = tmp_path / "ssti-was-run"
    texts = payloads(marker)
    path = str(tmp_path / "hostile.gpkg")
    records = [hostile(k, v, n) for n, (k, v) in enumerate(texts.items())]
    open_store(path).write_batch(records, EDITOR)
    point_app_at(path, tmp_path, monkeypatch)
    return texts, marker


@pytest.mark.parametrize("layer", ["markers", "heat", "districts"])
@pytest.mark.parametrize("signed_in", [False, True])
def test_map_page_shows_hostile_text_as_text(hostile_db, layer, signed_in, request):
    _, marker = hostile_db
    if signed_in:
        request.getfixturevalue("as_editor")
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["layer"] = layer
    at.query_params["sel"] = "syn-ssti-0"  # the detail panel of "SSTI {{ 7*7 }} end"
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception, at.exception
    assert not marker.exists()
    shown = " ".join(m.value for m in at.markdown)
    assert "SSTI {{ 7*7 }} end" in shown and "SSTI 49 end" not in shown
    assert "<script>alert(2)" not in shown
    assert ("· version" in shown) == signed_in  # an edit count is not for the public


def test_a_source_url_with_quotes_is_one_escaped_link():
    line = source_line(1, Source(title='A "quoted" title', url='https://example.org/a"b>c'))
    assert 'href="https://example.org/a&quot;b&gt;c"' in line
    assert "A &quot;quoted&quot; title" in line and "](" not in line
    assert source_line(2, Source(title="x", url="javascript:alert(1)")).count("href") == 0


@pytest.mark.parametrize(
    "text",
    [
        "Witness W-17\n\n![t](https://evil.example/p.png) [call us](https://evil.example)",
        "note\r\n\r\n<img src=x onerror=alert(1)> $x^2$ # heading",
        "line\r\rsecond [x](javascript:alert(1))",
    ],
)
def test_a_blank_line_in_record_text_does_not_start_markdown(text):
    """A blank line ends an HTML block in Markdown: what followed it in a note or a
    description was read as Markdown (live links, remote images). Now every line break
    is a <br> inside the one escaped block, and a CommonMark reader finds no link."""
    from markdown_it import MarkdownIt

    from app_pages.common import safe_html

    block = f"<div><b>Notes:</b> {safe_html(text, 'span')}</div>"
    assert "\n" not in block and "\r" not in block
    rendered = MarkdownIt("commonmark").render(block)
    assert "<a " not in rendered and "<img" not in rendered and "<h1" not in rendered


def test_a_shortcode_in_record_text_stays_as_typed():
    """The detail panel showed ':material/home:' as ':material_home:' (Streamlit reads
    icon shortcodes even inside HTML); the colon is now an entity the browser shows as
    it is."""
    from app_pages.common import safe_html

    block = safe_html(":material/home: :red[x]")
    assert ":material/" not in block and "&#58;material/home&#58;" in block
    assert html.unescape(block) == '<div dir="auto">:material/home: :red[x]</div>'


def test_a_megabyte_of_text_is_cut_where_the_page_shows_it():
    """A 200,000-character description froze the browser for 20 s and made the page
    100,000 px tall; the page now shows its start and says how much more there is."""
    from app_pages.common import SHOWN_CHARS, safe_html

    block = safe_html("Z" * 200_000)
    assert len(block) < SHOWN_CHARS + 200 and "195,000 more characters" in block
    assert safe_html("short") == '<div dir="auto">short</div>'


def test_text_in_markdown_keeps_its_shortcodes_and_dollars_literal():
    """A tag ':material/home:' or '$x$' in a question about tags was drawn as an icon or
    a formula: the colon and the dollar are entities (checked in Chromium: an escaped
    colon, \\:, still drew the icon)."""
    from markdown_it import MarkdownIt

    from app_pages.common import md_escape

    said = md_escape(":material/home: $x^2$ :red[x]")
    assert "&#58;material/home&#58;" in said and "&#36;x^2&#36;" in said
    assert MarkdownIt("commonmark").render(said).strip() == "<p>:material/home: $x^2$ :red[x]</p>"


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_search_text_from_a_link_is_shown_as_typed_not_as_markdown(
    hostile_db, signed_in, request
):
    """Found in a browser walk: /?q=[click here](http://evil.example/) drew a live link
    in "Showing incidents where text contains …", and ![img](...) made every visitor's
    browser fetch an image from another site."""
    from markdown_it import MarkdownIt

    if signed_in:
        request.getfixturevalue("as_editor")
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    typed = "[click here](http://evil.example/) ![i](http://evil.example/a.png) **b** $x$"
    at.query_params["q"] = typed
    at.run()
    assert not at.exception, at.exception
    (said,) = [c.value for c in at.caption if "Showing incidents where" in c.value]
    drawn = MarkdownIt("commonmark").render(said)
    assert "<a " not in drawn and "<img" not in drawn and "<strong>" not in drawn
    assert html.unescape(drawn).count(typed) == 1  # the text itself, as typed


_OVERRIDES = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("signed_in", [False, True])
def test_direction_overrides_in_record_text_are_not_obeyed_on_the_page(
    hostile_db, signed_in, request
):
    """A title "\u202e12 killed" was drawn "dellik 21" in the detail panel and the table
    (tried as an Arabic reader would): the page shows record text without direction
    overrides and isolates, as exported figures do; the store keeps them."""
    texts, _ = hostile_db
    if signed_in:
        request.getfixturevalue("as_editor")
    bidi = list(texts).index("bidi")
    at = AppTest.from_file(MAP_PAGE, default_timeout=60)
    at.query_params["sel"] = f"syn-ssti-{bidi}"
    at.run()
    at.session_state[WHOLE_PAGE] = True
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    cells = " ".join(str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel())
    assert "B evil عربي end" in shown and "B evil عربي end" in cells
    picks = " ".join(o for widget in at.multiselect for o in widget.options)  # tags, perpetrators
    assert "perpetrator B evil عربي end" in picks and "tag B evil عربي end" in picks
    text = re.sub(r'href="[^"]*"', "", f"{shown} {cells} {picks}")  # a link goes where it was given
    assert [text[max(0, k - 40) : k + 2] for k, c in enumerate(text) if c in _OVERRIDES] == []
