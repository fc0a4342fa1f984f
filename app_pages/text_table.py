"""A small table of user text: every cell escaped and shown whole.

st.table reads Markdown in its cells and st.dataframe cuts long ones short; record
text is hostile data and a history must be read in full, so these tables are plain
HTML with escaped cells, each in its own text direction.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import streamlit as st


def _cell(text: object, tag: str) -> str:
    escaped = html.escape(str(text if text is not None else ""))
    lines = escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # No blank line may reach Markdown: it would end the HTML block and read the rest.
    return f'<{tag} dir="auto">{"<br>".join(lines)}</{tag}>'


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The table as one line of HTML (no line breaks for Markdown to act on)."""
    head = "".join(_cell(h, "th") for h in header)
    body = "".join("<tr>" + "".join(_cell(c, "td") for c in row) + "</tr>" for row in rows)
    return f'<table class="incident-text-table"><tr>{head}</tr>{body}</table>'


def show_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    st.markdown(html_table(header, rows), unsafe_allow_html=True)
