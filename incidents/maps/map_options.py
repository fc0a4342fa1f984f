"""What a map is asked to draw (MapOptions) and what it drew (Drawn).

Apart from folium_map so the layer modules that draw one kind of layer (district_layer)
share them without importing the module that puts the layers together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from incidents.translation import language

MARKER_LIMIT = 3000


@dataclass(frozen=True)
class MapOptions:
    """How to draw a selection; defaults are what a first-time user sees."""

    layer: str = "markers"
    measure: str = "incidents"
    marker_limit: int = MARKER_LIMIT
    cluster: bool = True
    selected_id: str | None = None
    countries: tuple[str, ...] = ("LY",)  # where the incidents are, the most first
    popups: bool = False  # standalone exports only: the app shows details beside the map
    # The language the layer's words are drawn in (a layer kept for one is not another's).
    lang: str = field(default_factory=language)

    @property
    def standalone(self) -> bool:
        """A file with no server behind it: the exports that carry popups."""
        return self.popups


@dataclass
class Drawn:
    """What data_layer drew, for the sentence under the map."""

    kind: str  # markers | grid | heat | districts
    drawn: int = 0
    in_view: int = 0
    not_drawable: int = 0
    ids: list[str] = field(default_factory=list)
