"""The deck timeline's bars say how well each date is known the way its legend does
(tried as a user would: a mass grave dated to the month was drawn as a paler black,
which read as the legend's "known to the day" grey)."""

from __future__ import annotations

from itertools import pairwise

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.colors import to_rgba

from incidents.export import theme
from incidents.export.timeline import _HATCH, _ranges


def _rows(*records: tuple[str, str, str, str, str]) -> pd.DataFrame:
    """Records as the timeline reads them: type, start, end, date precision, title."""
    columns = ["type", "date_start", "date_end", "date_precision", "title"]
    return pd.DataFrame(list(records), columns=columns)


def test_a_date_known_to_the_month_is_hatched_as_in_the_legend():
    rows = _rows(
        ("mass_grave", "2020-06-01", "2020-11-30", "month", "dated to the month"),
        ("mass_grave", "2023-01-01", "2023-01-01", "day", "dated to the day"),
    )
    with theme.export_style():
        fig = plt.figure()
        try:
            ax = fig.add_axes((0.3, 0.2, 0.6, 0.7))
            _ranges(ax, rows)
            bars = {round(p.get_width()): p for p in ax.patches}
            shown = fig.legends[0]
            texts = [t.get_text() for t in shown.get_texts()]
            legend = dict(zip(texts, shown.legend_handles, strict=True))
        finally:
            plt.close(fig)
    month, day = bars[max(bars)], bars[min(bars)]
    assert month.get_hatch() == _HATCH and month.get_facecolor() == to_rgba("white")
    assert day.get_hatch() is None and day.get_facecolor() != to_rgba("white")
    pale = next(h for text, h in legend.items() if "month or year" in text)
    solid = next(h for text, h in legend.items() if "known to the day" in text)
    assert pale.get_hatch() == _HATCH and solid.get_hatch() is None


def test_arabic_month_ticks_do_not_run_into_each_other():
    """Each Arabic tick said 'month year' and twelve of them ran together on a deck's
    timeline ('2020ديسمبر 2020نوفمبر'); they now say the month, the year at January and
    on the first tick, as matplotlib's English ticks do."""
    from incidents import translation
    from incidents.export.timeline import _local_dates

    rows = _rows(
        ("mass_grave", "2020-01-01", "2020-12-31", "month", "الأول"),
        ("torture", "2020-03-01", "2020-06-30", "month", "الثاني"),
    )
    translation.set_language("ar")
    try:
        with theme.export_style():
            fig = plt.figure(figsize=(12.4, 5.4), dpi=theme.BASE_DPI)
            try:
                ax = fig.add_axes((0.02, 0.16, 0.68, 0.8))
                _ranges(ax, rows)
                _local_dates(ax)
                fig.canvas.draw()
                ticks = [t for t in ax.get_xticklabels() if t.get_text()]
                boxes = sorted((t.get_window_extent() for t in ticks), key=lambda b: b.x0)
                words = [t.get_text() for t in ticks]
            finally:
                plt.close(fig)
    finally:
        translation.set_language("en")
    assert len(boxes) >= 6
    assert all(a.x1 <= b.x0 for a, b in pairwise(boxes)), words
    assert sum("2020" in w for w in words) <= 2  # the year once or twice, not on every tick
