"""GeoJSON properties as found in the wild, turned into the template's column names.

Incident GeoJSON is often not written for this tool: a map project built on
OpenStreetMap nests the incident's own fields one level down (``properties.properties``),
names them in a namespace (``incident:date:start``, ``incident:source:url``), and keeps
OSM's tags beside them (``name``, ``name:ar``, ``place=town``). What is done, feature by
feature, and only where the feature has no column the template already reads:

- a ``properties`` object inside the properties is merged into them (its values win:
  they are the incident's; the outer ones describe the map feature);
- ``incident:date:start`` -> ``date_start``, ``incident:source:url`` -> ``source_url``:
  a namespaced key whose rest names a template field becomes that field;
- in a feature carrying OSM's tags (an OSM id such as ``node/123``, ``name:xx`` keys or
  ``place=town``), OSM's ``place`` holding a kind of place (town, village ...) is not a
  place name: it is kept as ``osm_place``, and ``name`` is the place name (elsewhere, as
  in uMap, ``name`` is the marker's label and is left alone);
- ``name:ar`` (the Arabic name): the template has no field for a second spelling, so it
  is kept in the place, after the other name: "Gumuruk (قمروك)", or alone when the
  feature has no other name; searching either finds the record;
- a type from such a namespace (``incident:type = violence``) is another vocabulary: our
  code or label is kept, an ACLED sub-event name is mapped, anything else becomes
  "other" with the original kept as a tag ("type: violence"), as for HXL files.
"""

from __future__ import annotations

import re
from typing import Any

from incidents.io.type_readings import Readings, incident_type
from incidents.translation import _

NESTED = "properties"
_OSM_ID = re.compile(r"^(node|way|relation)/[0-9]+$")
NAMESPACES = ("incident:",)
OSM_PLACE_KINDS = frozenset(
    {"city", "town", "village", "hamlet", "isolated_dwelling", "farm", "suburb", "quarter"}
    | {"neighbourhood", "locality", "borough", "municipality", "city_block", "plot"}
    | {"county", "district", "state", "region", "province", "country", "island", "islet"}
)


def normalise(properties: dict[str, Any], readings: Readings | None = None) -> dict[str, Any]:
    """The feature's properties with wild layouts turned into template columns (a type
    read from another vocabulary counted in readings: type_readings)."""
    from incidents.io.template import field_for

    values = _flattened(properties)
    fields = {field_for(str(k)) for k in values} - {None}
    foreign_type = False
    for key in list(values):
        target = _namespaced_field(str(key))
        if target and field_for(target) not in fields:
            fields.add(field_for(target))
            values[target] = values.pop(key)
            foreign_type |= target == "type"
    other_place = any(field_for(str(k)) == "place" for k in values if k != "place")
    if not other_place and _from_osm(values):
        _place_from_names(values)
    if foreign_type:
        _foreign_type(values, readings)
    return values


def layout(properties: list[dict[str, Any]]) -> str:
    """How the features' properties are laid out, in the summary's words."""
    nested = any(isinstance(p.get(NESTED), dict) for p in properties)
    flat = [_flattened(p) for p in properties]
    spaced = any(str(k).casefold().startswith(NAMESPACES) for p in flat for k in p)
    osm = any(_from_osm(p) for p in flat)
    parts = [_("properties nested one level down") if nested else _("flat properties")]
    parts += [_("namespaced keys (incident:...)")] if spaced else []
    parts += [_("OpenStreetMap tags (name, name:xx)")] if osm else []
    return _(", ").join(parts)


def _flattened(properties: dict[str, Any]) -> dict[str, Any]:
    inner = properties.get(NESTED)
    if not isinstance(inner, dict):
        return dict(properties)
    outer = {k: v for k, v in properties.items() if k != NESTED}
    return {**outer, **{str(k): v for k, v in inner.items()}}


def _namespaced_field(key: str) -> str | None:
    """'incident:date:start' -> 'date_start' when that is a template column, else None."""
    from incidents.io.template import field_for

    for space in NAMESPACES:
        if key.casefold().startswith(space):
            rest = key[len(space) :].replace(":", "_")
            return rest if field_for(rest) else None
    return None


def _from_osm(values: dict[str, Any]) -> bool:
    """Whether the feature carries OpenStreetMap's tags, where name is the place's name
    (elsewhere, as in uMap, name is often the marker's label: it is left alone)."""
    kind = values.get("place")
    return (
        (isinstance(kind, str) and kind.strip().casefold() in OSM_PLACE_KINDS)
        or any(str(k).startswith("name:") for k in values)
        or bool(_OSM_ID.match(_text(values.get("id"))))
    )


def _place_from_names(values: dict[str, Any]) -> None:
    """place from OSM's name and name:ar (see the module docstring)."""
    kind = values.get("place")
    if isinstance(kind, str) and kind.strip().casefold() in OSM_PLACE_KINDS:
        values["osm_place"] = values.pop("place")
    elif kind not in (None, ""):
        return  # a place cell the template would read: leave it
    name = _text(values.get("name"))
    arabic = _text(values.get("name:ar"))
    if name and arabic and arabic != name:
        values["place"] = f"{name} ({arabic})"
    elif name or arabic:
        values["place"] = name or arabic


def _foreign_type(values: dict[str, Any], readings: Readings | None) -> None:
    text = _text(values.get("type"))
    if not text:
        return
    code, note = incident_type(text, readings)
    values["type"] = code
    if note:
        tags = values.get("tags")
        if isinstance(tags, list):
            values["tags"] = [*tags, note]
        else:
            values["tags"] = f"{_text(tags)}; {note}" if _text(tags) else note


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
