"""GeoJSON FeatureCollections read as a table: properties are columns, the point is the place.

Read with the standard library's json so numbers and text come through exactly as
written. Each feature becomes one row, numbered from 1 in file order (an import
report's "row 3" is the third feature). A Point gives latitude and longitude. Any
other geometry (a grave site drawn as a polygon, a line of a forced march) is placed
at a point on it (shapely's point_on_surface: inside a polygon, even a crescent-shaped
one whose centroid lies outside; on a line); when the feature's properties say nothing
of precision, the record is marked "approximate" and its uncertainty is the shape's
size: for an area, the radius of a circle of the same (geodesic) area; for lines and
scattered points, the distance to the farthest vertex. The map then does not claim a
precision the drawing does not have. A feature without geometry keeps whatever place
name or coordinates its properties give. Properties in the layouts found in the wild
(nested one level down, OSM's names and namespaced keys) are read as
incidents.io.feature_properties says.

A feature whose geometry cannot be read (a Point whose coordinates are an object, a
number or true; a broken polygon) is rejected alone, with the reason, and the others
are imported. Memory follows the file: at most MAX_COLUMNS different property names
in all, and JSON nested too deeply for Python is refused with the line where it is.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from incidents.io import tabular
from incidents.io.feature_properties import normalise
from incidents.io.tabular import MAX_ROWS, FileUnusable, Table, file_bytes
from incidents.io.type_readings import Readings, readings_note
from incidents.translation import _, isolate
from incidents.translation import number as _number

POINT_COLUMNS = ("latitude", "longitude")
_WGS84_NAMES = ("crs84", "4326")
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]|\n')


class FeatureProblem(ValueError):
    """One feature cannot be read; the message says why (the feature is rejected)."""


def read(path: Path, data: bytes | None = None, name: str | None = None) -> Table:
    """A Table from a GeoJSON file on disk or from uploaded bytes."""
    name = name or path.name
    data = file_bytes(path, data, name)
    return table_from_document(load(data, name), data, name)


def table_from_document(document: Any, data: bytes, name: str) -> Table:
    """A Table from parsed GeoJSON (data, the file's bytes, sizes the long-cell check)."""
    features = _features(document, name)
    if len(features) > MAX_ROWS:
        said = _("{file}: more than {n} features; split the file")
        raise FileUnusable(said.format(file=name, n=_number(MAX_ROWS)))
    readings = Readings()
    rows = [
        _feature_row(feature, number, name, readings) for number, feature in enumerate(features, 1)
    ]
    header: dict[str, None] = dict.fromkeys(POINT_COLUMNS)
    for number, (values, _problems) in enumerate(rows, 1):
        header.update(dict.fromkeys(values))
        if len(header) > tabular.MAX_COLUMNS + len(POINT_COLUMNS):
            said = _(
                "{file}: feature {feature} brings the number of different property names over "
                "{columns}; the tool reads at most {columns} columns: keep the same property "
                "names in every feature"
            )
            raise FileUnusable(said.format(file=name, feature=number, columns=tabular.MAX_COLUMNS))
    columns = list(header)
    table = Table(name, columns, encoding="utf-8")
    table.rows = [
        (number, [values.get(c) for c in columns]) for number, (values, _) in enumerate(rows, 1)
    ]
    table.problems = {number: problems for number, (_, problems) in enumerate(rows, 1) if problems}
    table.layout = _layout(features)
    table.notes += filter(None, [readings_note(readings)])
    if len(data) > tabular.MAX_CELL_CHARS:
        for number, cells in table.rows:
            tabular.flag_long_cells(table, number, cells)
    return table


def _layout(features: list[Any]) -> str:
    """'GeoJSON: properties nested one level down; points and shapes'."""
    from incidents.io.feature_properties import layout

    dicts = [f for f in features if isinstance(f, dict)]
    properties = [p for f in dicts if isinstance(p := f.get("properties"), dict)]
    kinds = {g.get("type") == "Point" for f in dicts if isinstance(g := f.get("geometry"), dict)}
    if kinds == {True, False}:
        drawn = _("points and shapes")
    elif kinds:
        drawn = _("points") if True in kinds else _("shapes")
    else:
        drawn = _("no geometry")
    return _("GeoJSON: {properties}; {geometry}").format(
        properties=layout(properties), geometry=drawn
    )


class _NameTwice(Exception):
    """An object names one member twice with different values."""

    def __init__(self, name: str, values: tuple[Any, Any]) -> None:
        super().__init__(name)
        self.name, self.values = name, values


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object. Python's json keeps the last of two members of one name: tried as
    a red team would, {"sensitivity": "restricted", "sensitivity": "public"} published
    the record without a word. Two equal values are one."""
    made = dict(pairs)
    if len(made) != len(pairs):
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen and seen[key] != value:
                raise _NameTwice(key, (seen[key], value))
            seen[key] = value
    return made


def load(data: bytes, name: str) -> Any:
    """The parsed JSON, or FileUnusable with where it goes wrong."""
    try:
        return json.loads(data.decode("utf-8-sig"), object_pairs_hook=_object)
    except _NameTwice as twice:
        said = _(
            "{file}: '{name}' is given twice in one place of the file, with different "
            "values ({first} and {second}); keep one of them"
        )
        first, second = (isolate(json.dumps(v, ensure_ascii=False)[:80]) for v in twice.values)
        raise FileUnusable(
            said.format(file=name, name=twice.name, first=first, second=second)
        ) from None
    except UnicodeDecodeError:
        said = _("{file}: GeoJSON must be UTF-8 text").format(file=name)
        raise FileUnusable(said, wrong_kind=True) from None
    except json.JSONDecodeError as error:
        said = _("{file}: this is not valid GeoJSON: {error} at line {line}, column {column}")
        said = said.format(file=name, error=error.msg, line=error.lineno, column=error.colno)
        raise FileUnusable(said, wrong_kind=error.pos == 0) from None  # 0: no JSON at all
    except RecursionError:
        said = _(
            "{file}: the JSON is nested too deeply to read (line {line}); GeoJSON features "
            "are never nested that deep"
        )
        raise FileUnusable(said.format(file=name, line=_deepest_line(data))) from None
    except ValueError:  # the one left: a number of more than 4,300 digits (Python's words
        # named sys.set_int_max_str_digits, which means nothing to the reader)
        said = _("{file}: a number in the file has more than 4,300 digits; no field holds one")
        raise FileUnusable(said.format(file=name)) from None


def _deepest_line(data: bytes) -> int:
    """The line where the nesting is deepest (strings skipped), to point at the trouble."""
    depth = deepest = 0
    line = where = 1
    for token in _JSON_TOKENS.finditer(data):
        mark = token.group()
        if mark == b"\n":
            line += 1
        elif mark in (b"[", b"{"):
            depth += 1
            if depth > deepest:
                deepest, where = depth, line
        elif mark in (b"]", b"}"):
            depth -= 1
        else:
            line += mark.count(b"\n")
    return where


def _features(document: Any, name: str) -> list[Any]:
    if not isinstance(document, dict):
        said = _("{file}: this is not GeoJSON (expected a FeatureCollection)")
        raise FileUnusable(said.format(file=name), wrong_kind=True)
    _check_crs(document, name)
    if document.get("type") == "Feature":
        return [document]
    if document.get("type") != "FeatureCollection" or not isinstance(
        document.get("features"), list
    ):
        said = _("{file}: this is not a GeoJSON FeatureCollection").format(file=name)
        raise FileUnusable(said, wrong_kind=True)
    return list(document["features"])


def _check_crs(document: dict[str, Any], name: str) -> None:
    """RFC 7946 GeoJSON is WGS84; older files may name another system, which is refused."""
    crs = document.get("crs")
    if not isinstance(crs, dict):
        return
    text = json.dumps(crs.get("properties", {})).casefold()
    if not any(w in text for w in _WGS84_NAMES):
        said = _(
            "{file}: the coordinates are in {crs}, not WGS84 longitude/latitude; re-save the "
            "file as GeoJSON in EPSG:4326"
        )
        raise FileUnusable(said.format(file=name, crs=text))


def _feature_row(
    feature: Any, number: int, name: str, readings: Readings
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The feature's values, and why it cannot be imported (empty when it can)."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        said = _("{file}: feature {feature} is not a GeoJSON Feature")
        raise FileUnusable(said.format(file=name, feature=number))
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        return {}, [("properties", _("are not an object of names and values"))]
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, value in normalise(properties, readings).items():
        try:
            values[str(key)] = _cell(value)
        except (RecursionError, ValueError):
            problems.append((str(key), _("is nested too deeply to be read")))
    geometry = feature.get("geometry")
    if geometry:
        try:
            values.update(_place(geometry, values))
        except FeatureProblem as problem:
            problems.append(("geometry", str(problem)))
    return values, problems


def _cell(value: Any) -> Any:
    """Lists become 'a; b' (as the template writes lists); objects are kept as JSON text."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v is not None)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _place(geometry: Any, values: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(geometry, dict):
        raise FeatureProblem(_("is not a GeoJSON geometry object"))
    if geometry.get("type") == "Point":
        return _point(geometry.get("coordinates"))
    return _centroid(geometry, values)


def _point(coordinates: Any) -> dict[str, Any]:
    """[longitude, latitude] of a Point; an empty Point has none."""
    if coordinates is None or coordinates == []:
        return {}
    numbers = isinstance(coordinates, list) and len(coordinates) >= 2
    if numbers and not all(
        isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
    ):
        numbers = False
    if not numbers:
        shown = json.dumps(coordinates, ensure_ascii=False, default=str)[:60]
        said = _("the Point's coordinates are {shown}, not [longitude, latitude] as two numbers")
        raise FeatureProblem(said.format(shown=shown))
    return {"latitude": coordinates[1], "longitude": coordinates[0]}


def _centroid(geometry: dict[str, Any], values: dict[str, Any]) -> Any:
    from shapely.geometry import shape

    try:
        shaped = shape(geometry)
        return point_of(shaped, values)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError):
        kind = str(geometry.get("type") or "geometry")[:40]
        raise FeatureProblem(_("the {kind} cannot be read as a shape").format(kind=kind)) from None
    except Exception as error:  # shapely's GEOS errors: a ring that does not close ...
        if type(error).__module__.startswith("shapely"):
            kind = str(geometry.get("type") or "geometry")[:40]
            said = _("the {kind} cannot be read as a shape").format(kind=kind)
            raise FeatureProblem(said) from None
        raise


def point_of(shaped: Any, values: dict[str, Any]) -> dict[str, Any]:
    """latitude/longitude of a shapely geometry: the point itself, or a point on the shape.

    For a shape, location_precision becomes "approximate" and location_uncertainty_km
    its size (see the module's docstring), unless the row says otherwise.
    """
    if shaped is None or shaped.is_empty:
        return {}
    if shaped.geom_type == "Point":
        return {"latitude": shaped.y, "longitude": shaped.x}
    where = shaped.point_on_surface()
    out: dict[str, Any] = {"latitude": round(where.y, 6), "longitude": round(where.x, 6)}
    if not str(values.get("location_precision") or "").strip():
        out["location_precision"] = "approximate"
        if not str(values.get("location_uncertainty_km") or "").strip():
            out["location_uncertainty_km"] = round(max(_radius_km(shaped, where), 0.1), 1)
    return out


def _radius_km(shaped: Any, where: Any) -> float:
    """The radius of a circle as large as the shape's area; the farthest vertex from the
    chosen point for a shape without area (a line, scattered points)."""
    import shapely
    from pyproj import Geod

    from geodata import km_between

    area = 0.0
    if shaped.area > 0:
        area, _ = Geod(ellps="WGS84").geometry_area_perimeter(shaped)
    if abs(area) > 0:
        return math.sqrt(abs(area) / math.pi) / 1000
    xy = shapely.get_coordinates(shaped)
    return max(km_between(where.y, where.x, y, x, 6371.0088) for x, y in xy)
