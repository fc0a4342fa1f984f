"""The text a marker carries: its tooltip, and a standalone file's popup, all escaped.

A click is traced back to its incident through the tooltip's last line ('Ref. <id>',
the word in the reader's language): streamlit-folium reports the clicked layer's
tooltip text, not the layer.
"""

from __future__ import annotations

import html
from typing import Any

from incidents.translation import _, readable


def ref_word() -> str:
    """The word before the id on a tooltip's last line, in the reader's language."""
    return _("Ref.")


def clicked_id(tooltip_text: str | None, known_ids: set[str] | list[str]) -> str | None:
    """The incident a clicked marker stands for, from its tooltip text (layers.IncidentMarkers)."""
    if not tooltip_text:
        return None
    for word in dict.fromkeys((ref_word(), "Ref.")):  # the page's language, else English
        if f"{word} " in tooltip_text:
            candidate = tooltip_text.rsplit(f"{word} ", 1)[1].strip()
            return candidate if candidate in set(known_ids) else None
    return None


def popup_html(r: Any) -> str:
    """A standalone file's popup for one row: its title and dates, escaped, each in its own
    direction. A file is shared like an image (docs/exports.md): no description or place
    (tests/security/test_roles_outputs.py holds every output to what it may show)."""
    parts = [f"<b dir='auto'>{html.escape(readable(r.title or ''))}</b>"]
    for name in ("date_start", "date_end"):
        value = getattr(r, name, None)
        if value is not None and str(value) not in ("", "nan", "None"):
            parts.append(f"<div dir='auto'>{html.escape(readable(value))}</div>")
    return "".join(parts)
