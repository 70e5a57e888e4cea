"""Text made of named parts, each wrapped once per width and kept until it changes.

A `Static` wraps its whole text twice on every update (once to measure its height, once to
draw it), so a side panel that gains one fact re-wraps every fact before it, twice. `PartText`
keeps the lines of each part it has drawn, keyed by a name the caller gives: an update wraps
only the parts that are new, and measuring and drawing share the same lines.

A part can also carry what a block of prose needs and a `Static` cannot give per paragraph: a
prefix before its first line and another before the rest (list markers and hanging indents, the
bar of a quote), centring, or a rule across the width. One widget then shows a whole debrief,
where a widget per block cost time and memory for every block.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from game.tui.textual_private import OneLayoutPass

NOTHING = Content("")


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a `PartText`. Parts with the same `name` must be the same in every field."""

    name: Hashable
    content: Content
    first: Content = NOTHING  # drawn before the first line ("• ", "    ▌ ")
    rest: Content = NOTHING  # drawn before every other line (the hanging indent)
    center: bool = False
    rule: bool = False  # a line of the content's first character across the width


BLANK = Part("blank", NOTHING)  # an empty line, the same part wherever it is used


class PartText(OneLayoutPass, Widget):
    """Lines of text from `Part`s, shown one after the other.

    A part is wrapped again only when its name is new, the width changes, or the theme or styles
    change. The text cannot be selected with the mouse (Textual's selection reads positions that
    each part counts from its own start); the terminal's own selection (Shift+drag in most) works.
    """

    ALLOW_SELECT = False

    DEFAULT_CSS = """
    PartText {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._parts: tuple[Part, ...] = ()
        self._wrapped: dict[Hashable, list[Strip]] = {}  # each part's lines at `_wrapped_for`
        self._prefixes: dict[tuple[str, int], Strip] = {}  # drawn prefixes, also at `_wrapped_for`
        self._wrapped_for: tuple[object, ...] = ()
        self._lines: list[Strip] | None = None  # all parts' lines, while the parts stay the same

    def show(self, parts: Iterable[Part]) -> None:
        """Show these parts: nothing if their names are those shown, a repaint of the lines that
        changed if they take as many lines as before, a layout of the screen if the height changes."""
        parts = tuple(parts)
        if [part.name for part in parts] == [part.name for part in self._parts]:
            return
        before = self._lines
        self._parts = parts
        self._lines = None
        width = self.size.width
        lines = self._lines_at(width) if width else None
        if lines is None or before is None or len(lines) != len(before):
            self.refresh(layout=True)
            return
        # Same height: repaint only the lines that changed (a part kept is the same strips), so a
        # new stat value redraws its two lines, not the whole panel.
        changed = [y for y, (new, old) in enumerate(zip(lines, before)) if new is not old]
        if changed:
            self.refresh(*(Region(0, y, width, 1) for y in changed))

    def line_span(self, name: Hashable) -> tuple[int, int]:
        """Where the first part called `name` is drawn: (its first line, how many lines); (0, 0)
        when it is not shown or the widget has no width yet."""
        width = self.size.width
        if not width:
            return 0, 0
        self._lines_at(width)
        start = 0
        for part in self._parts:
            count = len(self._wrapped[part.name])
            if part.name == name:
                return start, count
            start += count
        return 0, 0

    @property
    def content(self) -> Content:
        """The whole text as one `Content`, prefixes included (what a test or a copy reads)."""
        return Content("\n").join([Content.assemble(part.first, part.content) for part in self._parts])

    def render(self) -> Content:
        return self.content

    def _lines_at(self, width: int) -> list[Strip]:
        style = self.visual_style
        if self._wrapped_for != (width, style):  # new width or style: every part is wrapped again
            self._wrapped_for = (width, style)
            self._wrapped.clear()
            self._prefixes.clear()
            self._lines = None
        if self._lines is None:
            wrapped: dict[Hashable, list[Strip]] = {}
            for part in self._parts:
                lines = wrapped.get(part.name)
                if lines is None:  # new in this update; maybe kept from the last one
                    lines = self._wrapped.get(part.name)
                if lines is None:
                    lines = self._wrap(part, width)
                wrapped[part.name] = lines
            self._wrapped = wrapped  # parts no longer shown are let go
            self._lines = [line for part in self._parts for line in wrapped[part.name]]
        return self._lines

    def _wrap(self, part: Part, width: int) -> list[Strip]:
        style = self.visual_style
        if part.rule:
            return self._strips(Content("").join([part.content] * width), width)
        indent = max(part.first.cell_length, part.rest.cell_length)
        lines = self._strips(part.content, max(1, width - indent))
        if indent:
            first, rest = self._prefix(part.first, indent), self._prefix(part.rest, indent)
            lines = [Strip.join([first if number == 0 else rest, line]) for number, line in enumerate(lines)]
        if part.center:
            lines = [Strip.join([Strip.blank((width - line.cell_length) // 2, style.rich_style), line])
                     for line in lines]
        return lines

    def _prefix(self, prefix: Content, indent: int) -> Strip:
        key = (prefix.markup, indent)  # a handful of prefixes serve every part: draw each once
        strip = self._prefixes.get(key)
        if strip is None:
            strip = self._strips(prefix, indent)[0].extend_cell_length(indent, self.visual_style.rich_style)
            self._prefixes[key] = strip
        return strip

    def _strips(self, content: Content, width: int) -> list[Strip]:
        return Visual.to_strips(self, content, width, None, self.visual_style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines_at(width)) if width else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines_at(width)
        if y < len(lines):
            return lines[y]
        return Strip.blank(width, self.visual_style.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_for = ()  # a new theme: the parts' colours are resolved again
