"""Text made of named parts, each wrapped once per width and kept until it changes.

A `Static` wraps its whole text twice on every update (once to measure its height, once to
draw it), so a side panel that gains one fact re-wraps every fact before it, twice. `PartText`
keeps the lines of each part it has drawn, keyed by a name the caller gives: an update wraps
only the parts that are new, and measuring and drawing share the same lines.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

from game.tui.widgets.single_pass import OneLayoutPass


class PartText(OneLayoutPass, Widget):
    """Lines of text from `(name, Content)` parts, shown one after the other.

    Two parts with the same name must have the same content: a part is wrapped again only when
    its name is new, the width changes, or the theme or styles change. Selecting text with the
    mouse works as in a `Static` (the whole text is drawn afresh while a selection is shown).
    """

    DEFAULT_CSS = """
    PartText {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._parts: tuple[tuple[Hashable, Content], ...] = ()
        self._wrapped: dict[Hashable, list[Strip]] = {}  # each part's lines at `_wrapped_for`
        self._wrapped_for: tuple[object, ...] = ()
        self._lines: list[Strip] | None = None  # all parts' lines, while the parts stay the same
        self._selected: tuple[object, list[Strip]] | None = None  # the lines drawn with a selection

    def show(self, parts: Iterable[tuple[Hashable, Content]]) -> None:
        """Show these parts: nothing if their names are those shown, a repaint if they take as
        many lines as before, a layout of the screen only if the height changes."""
        parts = tuple(parts)
        if [name for name, _ in parts] == [name for name, _ in self._parts]:
            return
        before = self._lines
        self._parts = parts
        self._lines = None
        width = self.size.width
        same_height = bool(width) and before is not None and len(self._lines_at(width)) == len(before)
        self.refresh(layout=not same_height)

    @property
    def content(self) -> Content:
        """The whole text as one `Content` (what a test or a selection reads)."""
        return Content("\n").join([content for _name, content in self._parts])

    def render(self) -> Content:
        return self.content

    def _lines_at(self, width: int) -> list[Strip]:
        style = self.visual_style
        if self._wrapped_for != (width, style):  # new width or style: every part is wrapped again
            self._wrapped_for = (width, style)
            self._wrapped.clear()
            self._lines = None
        if self._lines is None:
            wrapped = {}
            for name, content in self._parts:
                lines = self._wrapped.get(name)
                if lines is None:
                    lines = Visual.to_strips(self, content, width, None, style)
                wrapped[name] = lines
            self._wrapped = wrapped  # parts no longer shown are let go
            self._lines = [line for name, _content in self._parts for line in wrapped[name]]
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines_at(width)) if width else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        selection = self.text_selection
        if selection is None:
            lines = self._lines_at(width)
        else:  # a selection spans parts: the whole text is drawn at once, as a Static would
            key = (selection, width, self._parts)
            if self._selected is None or self._selected[0] != key:
                self._selected = (key, Visual.to_strips(self, self.content, width, None, self.visual_style))
            lines = self._selected[1]
        if y < len(lines):
            return lines[y]
        return Strip.blank(width, self.visual_style.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_for = ()  # a new theme: the parts' colours are resolved again
        self._selected = None
