"""Record text on a map page is data, never template source.

folium and branca render a map in two passes: an element's macro is rendered, and
branca's MacroElement.render then wraps that output in a new Element, which compiles
it as a Jinja template and renders it again. Any record text that reached the first
output ("{{ 7*7 }}" in a title) was therefore evaluated on the server, unsandboxed:
a title could run shell commands or copy the whole store into a public page.

Two guards, each enough on its own:
- DataElement renders its macros once and hands the result on as Verbatim text,
  which is never compiled: the second pass does not happen for our elements.
- js_data encodes every value the page receives as JSON in which no template opener
  ("{{", "{%", "{#") and no markup character ("<", ">", "&") is left: a string can
  neither be read as Jinja nor close the script element, whatever renders it.
check_tree refuses a map that holds any element outside an allowlist, so a future
folium Marker, Popup or Tooltip carrying record text fails in the tests, not in use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import folium
import folium.elements
import folium.plugins
import folium.template
import jinja2
from branca.element import Element, Figure, MacroElement

# Structural JSON never writes "{{", "{%" or "{#" (an object's "{" is followed by a
# quote or "}"), so each such brace stands inside a string, where \u007b is the same text.
_TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")
_MARKUP = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class UnsafeElement(RuntimeError):
    """A map holds an element that would render its text as template source."""


def js_data(value: Any) -> str:
    """value as a JavaScript literal that no template engine or HTML parser reads as code.

    Why not Jinja's tojson: it escapes markup but leaves "{{" intact, and branca
    compiles rendered script again (see the module docstring).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return js_json_text(text)


def js_json_text(text: str) -> str:
    """JSON text already written (a cached GeoJSON) made inert the way js_data makes it."""
    return _TEMPLATE_OPENER.sub(r"\\u007b", text.translate(_MARKUP))


def _plain(value: Any) -> Any:
    """numpy scalars and other number-likes as plain JSON numbers or strings."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class _DataEnvironment(folium.template.Environment):
    """folium's template environment with tojson replaced by js_data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["tojson"] = js_data


class DataTemplate(jinja2.Template):
    """The template of a DataElement: its tojson filter is js_data."""

    environment_class = _DataEnvironment


class Verbatim(Element):
    """Rendered text kept as it is: branca's Element(text) would compile it as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text itself, never evaluated."""
        return self.text


class DataElement(MacroElement):
    """A MacroElement whose macros are rendered once, their output never compiled again.

    Subclasses declare _template as a DataTemplate and put every value on the page
    through its tojson filter (js_data).
    """

    def render(self, **kwargs: Any) -> str:
        """Like MacroElement.render, with Verbatim in place of Element(rendered text).

        Returns "" as MacroElement.render does (its output goes into the figure's parts).
        """
        if not isinstance(self._template, DataTemplate):
            raise UnsafeElement(f"{type(self).__name__}'s template is not a DataTemplate")
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise UnsafeElement("a map element can only be rendered inside a figure")
        targets = {"header": figure.header, "html": figure.html, "script": figure.script}
        for part, target in targets.items():
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                target.add_child(Verbatim(str(macro(self, kwargs))), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)
        return ""


# folium's own elements the maps use; none of them is given record text.
_FOLIUM_ALLOWED: tuple[type, ...] = (
    Figure,
    folium.Map,
    folium.FeatureGroup,
    folium.TileLayer,
    folium.plugins.HeatMap,
    folium.FitBounds,
    folium.elements.ElementAddToElement,  # "a.addTo(b)" of two element names (streamlit-folium)
)


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def check_tree(m: Element) -> None:
    """Refuse a map holding an element that could render record text as a template.

    Allowed: DataElement subclasses and folium's structural elements above, which are
    given numbers and fixed names only. Called before every render (map_html, the app).
    """
    for element in _walk(m.get_root()):
        if isinstance(element, DataElement) or type(element) in _FOLIUM_ALLOWED:
            continue
        raise UnsafeElement(
            f"{type(element).__name__} is not allowed on a map page: it renders its "
            "content as a template; draw it with a DataElement"
        )
