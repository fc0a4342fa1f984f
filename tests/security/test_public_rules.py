"""What the public view rules guarantee for every site, not only the canary's.

A public point depends only on the grid cell (or district) holding the site, never on
where in it the site lies: two sites in one cell give the same point, so the public
point narrows a site down to its cell and no further. Dates marked month-only show
the whole month whatever the day.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.access import PublicRules, coarsen_for_public, snap_to_grid

LIBYA_LAT = st.floats(19.5, 33.0)
LIBYA_LON = st.floats(9.5, 25.0)
GRID = st.sampled_from([1.0, 2.5, 5.0, 10.0, 25.0])


def public(rows: list[dict], rules: PublicRules) -> pd.DataFrame:
    defaults = {"date_start": "2020-01-01", "date_end": "2020-01-01",
                "public_date_to_month": False, "location_precision": "exact"}  # fmt: skip
    return coarsen_for_public(pd.DataFrame([{**defaults, **r} for r in rows]), rules)


@settings(max_examples=300, deadline=None)
@given(lat=LIBYA_LAT, lon=LIBYA_LON, km=GRID, dx=st.floats(0, 1), dy=st.floats(0, 1))
def test_every_site_in_a_grid_cell_gets_the_same_public_point(lat, lon, km, dx, dy):
    rules = PublicRules(grid_km=km)
    cell = snap_to_grid(np.array([lat]), np.array([lon]), km)
    centre_lat, centre_lon = float(cell[0][0]), float(cell[1][0])
    # Another site in the same cell: from the cell's south-west corner, a random way in.
    step_lat = km / 111.32
    step_lon = km / (111.32 * max(np.cos(np.radians(centre_lat)), 0.01))
    other_lat = centre_lat - step_lat / 2 + (0.001 + dy * 0.998) * step_lat
    other_lon = centre_lon - step_lon / 2 + (0.001 + dx * 0.998) * step_lon
    out = public([{"latitude": lat, "longitude": lon, "admin1_code": "LY-MB"},
                  {"latitude": other_lat, "longitude": other_lon, "admin1_code": "LY-MB"}],
                 rules)  # fmt: skip
    assert out.loc[0, "latitude"] == out.loc[1, "latitude"] == centre_lat
    assert out.loc[0, "longitude"] == out.loc[1, "longitude"] == centre_lon
    assert (out["location_precision"] == "approximate").all()


@settings(max_examples=200, deadline=None)
@given(lat=LIBYA_LAT, lon=LIBYA_LON)
def test_every_site_of_a_district_gets_its_centre(lat, lon):
    out = public([{"latitude": lat, "longitude": lon, "admin1_code": "LY-MB"},
                  {"latitude": 32.43501, "longitude": 13.6332, "admin1_code": "LY-MB"}],
                 PublicRules(grid_km=0))  # fmt: skip
    point = ["latitude", "longitude"]
    assert out.loc[0, point].tolist() == out.loc[1, point].tolist()
    assert (out["location_precision"] == "district").all()


@settings(max_examples=100, deadline=None)
@given(lat=LIBYA_LAT, lon=LIBYA_LON)
def test_sites_without_a_district_fall_back_to_the_grid(lat, lon):
    out = public([{"latitude": lat, "longitude": lon, "admin1_code": ""}], PublicRules(grid_km=0))
    cell = snap_to_grid(np.array([lat]), np.array([lon]), 25.0)
    got = (out.loc[0, "latitude"], out.loc[0, "longitude"])
    assert got == (float(cell[0][0]), float(cell[1][0]))


@given(day=st.dates(date(1990, 1, 1), date(2030, 12, 31)), span=st.integers(0, 40))
def test_month_only_dates_show_the_whole_month(day, span):
    end = date.fromordinal(day.toordinal() + span)
    out = public([{"latitude": 32.4, "longitude": 13.6, "admin1_code": "LY-MB",
                   "date_start": day.isoformat(), "date_end": end.isoformat(),
                   "date_precision": "day", "public_date_to_month": True}],
                 PublicRules())  # fmt: skip
    assert out.loc[0, "date_start"] == day.replace(day=1).isoformat()
    last = calendar.monthrange(end.year, end.month)[1]
    assert out.loc[0, "date_end"] == end.replace(day=last).isoformat()
    assert out.loc[0, "date_precision"] == "month"
