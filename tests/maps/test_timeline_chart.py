"""The timeline's spec, written as a dict (timeline_chart.py), is the spec Altair wrote
for the same chart: Altair is kept here as the reference, in English and in Arabic
(the time axis reversed), with and without a time window, for day, week and month bars
and for an empty selection's neighbours (one bar)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import pytest

from incidents import translation
from incidents.maps import timeline, timeline_chart
from incidents.translation import _, day, is_rtl
from tests import frame_oracles

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "examples" / "tarhuna.csv"


def _altair(hist: pd.DataFrame, unit: str, window: tuple[date | None, date | None]) -> dict:
    """The chart as the page built it with Altair before (its spec, unvalidated)."""
    dated = {
        "within the period": _("dated within the bar"),
        "uncertain": _("date range spans several bars: spread evenly over them"),
    }
    described = len(hist) <= timeline_chart.SPOKEN_BARS
    periods = hist["start"].map(lambda d: timeline.period_label(d, unit))
    shown = hist["count"].map(timeline_chart._count_words)
    data = hist.assign(
        start=pd.to_datetime(hist["start"]),
        end=pd.to_datetime(hist["end"]) + pd.Timedelta(days=1),
        shown=shown,
        dated=hist["certainty"].map(dated),
    )
    if described:
        data["spoken"] = [
            _("{period}: {count} ({dated})").format(period=p, count=w, dated=dated[c])
            if float(n).is_integer()
            else _("{period}: {count}").format(period=p, count=w)
            for p, n, w, c in zip(periods, hist["count"], shown, hist["certainty"], strict=True)
        ]
    first, last = hist["start"].min(), hist["start"].max()
    if unit == "week":
        first, last = day(first, "long"), day(timeline.period_end(last, unit), "long")
    else:
        first, last = timeline.period_label(first, unit), timeline.period_label(last, unit)
    iso = data.assign(
        start=data["start"].dt.strftime("%Y-%m-%d"), end=data["end"].dt.strftime("%Y-%m-%d")
    )
    values = [{str(k): v for k, v in row.items()} for row in iso.to_dict("records")]
    scale = alt.Scale(reverse=True) if is_rtl() else alt.Undefined
    brush = alt.selection_interval(encodings=["x"], name="brush")
    colour = alt.Scale(domain=["within the period", "uncertain"], range=["#0072B2", "#E69F00"])
    bars = (
        alt.Chart(alt.InlineData(values=values))
        .mark_bar(
            strokeWidth=1.5,
            strokeOpacity=1,
            **({"ariaRoleDescription": _("bar")} if described else {"aria": False}),
        )
        .encode(
            x=alt.X(
                "start:T",
                title=None,
                scale=scale,
                axis=alt.Axis(
                    description=_("Time, from {first} to {last}").format(first=first, last=last)
                ),
            ),
            x2="end:T",
            y=alt.Y(
                "sum(count):Q",
                title=_("Incidents"),
                axis=alt.Axis(
                    format="d",
                    tickMinStep=1,
                    description=_("Incidents, from {zero} to {top}").format(
                        zero=translation.number(0),
                        top=translation.number(timeline_chart._top(hist)),
                    ),
                ),
                scale=alt.Scale(domain=[0, timeline_chart._top(hist)], nice=False),
            ),
            color=alt.Color(
                "certainty:N",
                title=_("Date known"),
                scale=colour,
                legend=alt.Legend(
                    orient="top",
                    labelExpr=timeline_chart._legend_labels(),
                    columns=alt.ExprRef(expr="width < 560 ? 1 : 0"),
                    labelLimit=alt.ExprRef(expr="max(width - 30, 60)"),
                    description=_("Colours: blue, {within}; orange, {spread}").format(
                        within=dated["within the period"], spread=dated["uncertain"]
                    ),
                ),
            ),
            description="spoken:N" if described else alt.Undefined,
            stroke=alt.Color("certainty:N", scale=colour, legend=None),
            tooltip=[
                alt.Tooltip(
                    "start:T",
                    title=_(timeline_chart.BAR_FROM.get(unit, "Day from")),
                    format={"month": "%B %Y"}.get(unit, "%-d %B %Y"),
                    formatType="utc",
                ),
                alt.Tooltip("dated:N", title=_("Date")),
                alt.Tooltip("shown:N", title=_("Incidents")),
            ],
        )
        .add_params(brush)
    )
    layers: list[Any] = [bars]
    if window[0] or window[1]:
        lo = pd.Timestamp(window[0] or data["start"].min())
        hi = pd.Timestamp(window[1] or data["end"].max())
        rule = pd.DataFrame({"a": [lo], "b": [hi + timedelta(days=1)]})
        layers.insert(
            0,
            alt.Chart(rule)
            .mark_rect(opacity=0.12, color="#444", aria=False)
            .encode(x=alt.X("a:T", scale=scale), x2="b:T"),
        )
    chart = alt.layer(*layers).properties(
        height=100, autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
    return chart.to_dict(validate=False)


def _named(spec: dict) -> Any:
    """The spec with each data set written where it is named, and views named by their
    place: what Vega-Lite draws, whatever the names."""
    spec = dict(spec)
    datasets = spec.pop("datasets", {})
    views = {}
    for i, layer in enumerate(spec.get("layer", [])):
        views[layer.get("name")] = f"view{i}"

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"name"} and node["name"] in datasets:
                return {"values": datasets[node["name"]]}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        if isinstance(node, str) and node in views:
            return views[node]
        return node

    return walk(spec)


def _hist(unit: str, rows: slice = slice(None)) -> pd.DataFrame:
    return frame_oracles.histogram(pd.read_csv(EXAMPLE).iloc[rows], unit)


WINDOWS = [(None, None), (date(2016, 1, 1), None), (None, date(2019, 6, 30)),
           (date(2019, 4, 1), date(2019, 4, 30))]  # fmt: skip


@pytest.mark.parametrize("unit", ["day", "week", "month"])
@pytest.mark.parametrize("window", WINDOWS)
def test_the_spec_is_the_one_altair_wrote(unit: str, window: tuple) -> None:
    hist = _hist(unit)
    assert _named(timeline_chart.spec(hist, unit, window)) == _named(_altair(hist, unit, window))


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_same_in_arabic_and_french(lang: str) -> None:
    hist = _hist("month", slice(0, 3))
    translation.set_language(lang)
    try:
        for window in WINDOWS[:2]:
            mine = timeline_chart.spec(hist, "month", window)
            assert _named(mine) == _named(_altair(hist, "month", window))
            assert mine["layer"][-1]["encoding"]["tooltip"][0]["title"] != "Month from"
        if lang == "ar":
            assert mine["layer"][1]["encoding"]["x"]["scale"] == {"reverse": True}
    finally:
        translation.set_language("en")


def test_one_bar() -> None:
    one = pd.DataFrame({"date_start": ["2019-04-03"], "date_end": ["2019-04-03"]})
    hist = frame_oracles.histogram(one, "day")
    assert len(hist) == 1
    assert _named(timeline_chart.spec(hist, "day", (None, None))) == _named(
        _altair(hist, "day", (None, None))
    )


def test_screen_readers_hear_each_bar_in_the_readers_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Literal words, not the code's own: an Arabic month bar, a share in Arabic digits,
    the axes; Vega wrote "start: ...; certainty: uncertain" and "X-axis for a time scale"."""
    monkeypatch.setenv(translation.DIGITS_SETTING, "arab")
    hist = pd.DataFrame(
        {"start": [date(2020, 4, 1), date(2020, 5, 1)], "end": [date(2020, 4, 30),
         date(2020, 5, 31)], "certainty": ["within the period", "uncertain"],
         "count": [3.0, 0.0996]}
    )  # fmt: skip
    translation.set_language("ar")
    try:
        chart = timeline_chart.spec(hist, "month", (None, None))
    finally:
        translation.set_language("en")
    bars = chart["datasets"][timeline_chart.BARS]
    assert bars[0]["spoken"] == "أبريل ٢٠٢٠: ٣ (مؤرّخة داخل العمود)"
    assert bars[1]["spoken"] == "مايو ٢٠٢٠: حوالي ٠٫١٠ (حصص من حوادث مؤرّخة بفترة أطول)"
    assert bars[1]["dated"] == "الفترة الزمنية تمتد على عدة أعمدة: موزّعة عليها بالتساوي"
    encoding = chart["layer"][0]["encoding"]
    assert encoding["x"]["axis"]["description"] == "الزمن، من أبريل ٢٠٢٠ إلى مايو ٢٠٢٠"
    assert encoding["y"]["axis"]["description"] == "الحوادث، من ٠ إلى ٣"
    assert chart["layer"][0]["mark"]["ariaRoleDescription"] == "عمود"


def test_week_bars_are_described_from_monday_to_sunday() -> None:
    hist = _hist("week", slice(0, 3))
    axis = timeline_chart.spec(hist, "week", (None, None))["layer"][0]["encoding"]["x"]["axis"]
    assert axis["description"].startswith("Time, from ") and " to Week" not in axis["description"]


def test_thousands_of_bars_are_not_described_one_by_one() -> None:
    """30 years of day bars: no words a bar (each is sent, and nobody walks 11,000
    bars), the bars left out of the reading order; the axes still described."""
    hist = frame_oracles.histogram(
        pd.DataFrame({"date_start": ["1990-01-01"], "date_end": ["2019-12-31"]}), "day"
    )
    assert len(hist) > timeline_chart.SPOKEN_BARS
    chart = timeline_chart.spec(hist, "day", (None, None))
    assert "spoken" not in chart["datasets"][timeline_chart.BARS][0]
    assert chart["layer"][0]["mark"]["aria"] is False
    assert "description" not in chart["layer"][0]["encoding"]
    assert chart["layer"][0]["encoding"]["x"]["axis"]["description"]
