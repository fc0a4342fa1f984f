"""Great-circle distance for tests that check where points were drawn: written apart
from the product's own distance code, so a test never checks the product against itself."""

from __future__ import annotations

import math


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Kilometres between two (lat, lon) points (haversine, mean Earth radius)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
