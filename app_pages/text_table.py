"""A small table of user text: every cell escaped and shown whole.

st.table reads Markdown in its cells and st.dataframe cuts long ones short; record
text is hostile data and a history must be read in full, so these tables are plain
HTML with escaped cells, each in its own text direction.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st

from incidents.translation import readable


def _cell(text: object, tag: str) -> str:
    """A cell of escaped text; a list of (text, differs) runs marks those that differ."""
    runs = text if isinstance(text, list) else [(text, False)]
    inner = "".join(_run(str(t if t is not None else ""), differs) for t, differs in runs)
    return f'<{tag} dir="auto">{inner}</{tag}>'


def _run(text: str, differs: bool) -> str:
    escaped = html.escape(readable(text))
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # No blank line may reach Markdown: it would end the HTML block and read the rest.
    joined = "<br>".join(lines)
    return f"<mark>{joined}</mark>" if differs else joined


# Fits its column: fixed widths, and a word longer than its cell wraps rather than
# pushing the last columns out of view.
_STYLE = "width:100%;table-layout:fixed;overflow-wrap:break-word;font-size:0.85rem"


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] = ()
) -> str:
    """The table as one line of HTML (no line breaks for Markdown to act on); widths in
    percent of the table, one per column, or none for equal columns. A cell is a value,
    or a list of (text, differs) runs (text_diff.changed_words) whose differing runs
    are marked."""
    cols = "".join(f'<col style="width:{int(w)}%">' for w in widths)
    head = f"<tr>{''.join(_cell(h, 'th') for h in header)}</tr>" if header else ""
    body = "".join("<tr>" + "".join(_cell(c, "td") for c in row) + "</tr>" for row in rows)
    return f'<table style="{_STYLE}"><colgroup>{cols}</colgroup>{head}{body}</table>'


def show_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] = ()
) -> None:
    st.markdown(html_table(header, rows, widths), unsafe_allow_html=True)
