"""A 100k-incident synthetic selection exports to PNG in a few seconds."""

from __future__ import annotations

import io
import time

from frame_selection import selection_from_frame
from PIL import Image

from incidents.export.static_map import MapOptions, render_map
from incidents.synthetic import synthetic_frame

LIMIT_SECONDS = 15.0  # measured about 3-4 s on the 2-core CI machine; room for noise


def test_100k_points_png_in_a_few_seconds():
    rows = synthetic_frame(100_000, seed=1)
    selection = selection_from_frame(rows)
    render_map(selection_from_frame(rows.head(50)), MapOptions(fit=True))  # warm caches
    started = time.perf_counter()
    data = render_map(selection, MapOptions(fit=True, title="100,000 synthetic incidents"))
    seconds = time.perf_counter() - started
    print(f"100k-point PNG in {seconds:.2f} s")
    assert Image.open(io.BytesIO(data)).size == (1920, 1080)
    assert seconds < LIMIT_SECONDS
