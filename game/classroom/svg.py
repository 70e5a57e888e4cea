"""Inline SVG charts for the HTML report: plain shapes, no scripts, no fonts, no links.

Each chart carries its figures in `aria-label` (and the report prints the numbers beside it), so
it reads the same to a screen reader and on a black-and-white printout.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR_WIDTH = 160
BAR_HEIGHT = 12


def bar(share: float, label: str, css_class: str = "fill") -> str:
    """One horizontal bar, `share` (0 to 1) of its track filled."""
    filled = round(max(0.0, min(1.0, share)) * BAR_WIDTH, 1)
    return (f'<svg class="bar" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" '
            f'role="img" aria-label="{escape(label)}">'
            f'<rect class="track" width="{BAR_WIDTH}" height="{BAR_HEIGHT}"/>'
            f'<rect class="{escape(css_class)}" width="{filled}" height="{BAR_HEIGHT}"/></svg>')


def stacked(parts: Sequence[tuple[str, int]], label: str, width: int = 480, height: int = 18) -> str:
    """One bar split into parts (CSS class, count) in proportion; an empty track when all are 0."""
    total = sum(number for _, number in parts)
    shapes = [f'<rect class="track" width="{width}" height="{height}"/>']
    x = 0.0
    for css_class, number in parts:
        if total and number:
            span = width * number / total
            shapes.append(f'<rect class="{escape(css_class)}" x="{round(x, 1)}" width="{round(span, 1)}" '
                          f'height="{height}"/>')
            x += span
    return (f'<svg class="stacked" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}">{"".join(shapes)}</svg>')
