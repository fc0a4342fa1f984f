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


# Fits its column: fixed widths, and a word longer than its cell wraps rather than
# pushing the last columns out of view.
_STYLE = "width:100%;table-layout:fixed;overflow-wrap:break-word;font-size:0.85rem"


def html_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] = ()
) -> str:
    """The table as one line of HTML (no line breaks for Markdown to act on); widths in
    percent of the table, one per column, or none for equal columns."""
    cols = "".join(f'<col style="width:{int(w)}%">' for w in widths)
    head = f"<tr>{''.join(_cell(h, 'th') for h in header)}</tr>" if header else ""
    body = "".join("<tr>" + "".join(_cell(c, "td") for c in row) + "</tr>" for row in rows)
    return f'<table style="{_STYLE}"><colgroup>{cols}</colgroup>{head}{body}</table>'


def show_table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int] = ()
) -> None:
    st.markdown(html_table(header, rows, widths), unsafe_allow_html=True)
