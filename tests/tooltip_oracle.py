"""A marker's tooltip as the browser builds it (incidents/maps/layers.py,
IncidentMarkers' tip()), all text escaped: the oracle the tests check a click's
tracing back to its incident with (marker_text.clicked_id)."""

from __future__ import annotations

import html
from typing import Any

from incidents.maps.marker_text import ref_word
from incidents.schema import INCIDENT_TYPES, LOCATION_PRECISIONS
from incidents.translation import is_rtl


def tooltip_html(
    incident_id: str, title: str, kind: str, start: Any, end: Any, precision: str
) -> str:
    """Its text ends with 'Ref. <id>': that is how a click is traced back to its incident."""
    when = str(start) if str(start) == str(end) else f"{start} – {end}"
    return (
        f'<div dir="{"rtl" if is_rtl() else "ltr"}">'
        f'<b dir="auto">{html.escape(str(title or ""))}</b><br>'
        f"{html.escape(INCIDENT_TYPES.shown(kind))} · {html.escape(when)} · "
        f"{html.escape(LOCATION_PRECISIONS.shown(precision))}<br>"
        f"<small>{html.escape(ref_word())} {html.escape(str(incident_id))}</small></div>"
    )
