"""Page-wide layout rules for Streamlit's own elements, on every page.

Constant markup, no record text. A table's toolbar (columns, download, search, full
screen) floats 44 px above the table's top edge, over whatever is drawn above it: on a
phone, where it always shows, and on hover elsewhere, it covered the table's heading
("Incidents in the map view", an Arabic heading's whole second line, the Duplicates
page's caption). Tables keep that room free above them. Buttons' words wrap.
"""

from __future__ import annotations

CSS = (
    "<style>"
    '[data-testid="stElementContainer"]:has([data-testid="stDataFrame"])'
    "{margin-top:1.75rem}"
    # A button's words wrap instead of ending in "…" (an export button's Arabic label,
    # "نظم المعلومات الجغرافية (GeoJSON)", lost its format).
    ':is([data-testid="stButton"],[data-testid="stDownloadButton"]) button '
    '[data-testid="stMarkdownContainer"]{white-space:normal;overflow:visible;text-overflow:clip}'
    ':is([data-testid="stButton"],[data-testid="stDownloadButton"]) button p{white-space:normal}'
    "</style>"
)
