"""SVG symbols for incident types: the same shapes the legend and the map draw.

Shapes come from incidents.styles so the map, its legend and exported images agree.
A filled symbol is a known site; a hollow one (white inside, coloured outline) is a
place known only approximately, to the town or the district.
"""

from __future__ import annotations

import html

from incidents.styles import TYPE_STYLES, TypeStyle

_SHAPES: dict[str, str] = {
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"/>',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"/>',
    "diamond": '<polygon points="10,1 19,10 10,19 1,10"/>',
    "star": '<polygon points="10,1 12.4,7.2 19,7.3 13.8,11.4 15.6,18 10,14.2 4.4,18 6.2,11.4'
    ' 1,7.3 7.6,7.2"/>',
    "cross": '<polygon points="4,2 10,8 16,2 18,4 12,10 18,16 16,18 10,12 4,18 2,16 8,10 2,4"/>',
    "pentagon": '<polygon points="10,1.5 18.5,7.7 15.3,17.5 4.7,17.5 1.5,7.7"/>',
    "hexagon": '<polygon points="10,1.5 17.5,5.8 17.5,14.2 10,18.5 2.5,14.2 2.5,5.8"/>',
    "plus": '<polygon points="7.5,2 12.5,2 12.5,7.5 18,7.5 18,12.5 12.5,12.5 12.5,18 7.5,18'
    ' 7.5,12.5 2,12.5 2,7.5 7.5,7.5"/>',
    "x": '<path d="M4 4 L16 16 M16 4 L4 16" stroke-linecap="round"/>',
}


def symbol_svg(style: TypeStyle, filled: bool = True, size: int = 18) -> str:
    """An inline SVG of the type's shape: filled with its colour, or hollow."""
    colour = html.escape(style.colour)
    shape = _SHAPES.get(style.shape, _SHAPES["circle"])
    if style.shape == "x":
        paint = f'fill="none" stroke="{colour}" stroke-width="{3.5 if filled else 2.5}"'
    elif filled:
        paint = f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"'
    else:
        paint = f'fill="#ffffff" fill-opacity="0.9" stroke="{colour}" stroke-width="2.5"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 20 20" aria-hidden="true"><g {paint}>{shape}</g></svg>'
    )


def type_symbols() -> dict[str, tuple[str, str]]:
    """(filled, hollow) SVG per type code."""
    return {code: (symbol_svg(s, True), symbol_svg(s, False)) for code, s in TYPE_STYLES.items()}
