"""Text made of named parts, each wrapped once per width and kept until it changes.

A `Static` wraps its whole text twice on every update (once to measure its height, once to
draw it), so a side panel that gains one fact re-wraps every fact before it, twice. `PartText`
keeps the lines of each part it has drawn, keyed by a name the caller gives: an update wraps
only the parts that are new, and measuring and drawing share the same lines.

Wrapping tells the height; drawing a wrapped line into a `Strip` of segments costs three times
as much, so a line is drawn only when it is first shown on screen (a long debrief draws its
first screenful, not its hundred facts).

A part can also carry what a block of prose needs and a `Static` cannot give per paragraph: a
prefix before its first line and another before the rest (list markers and hanging indents, the
bar of a quote), centring, or a rule across the width. One widget then shows a whole debrief,
where a widget per block cost time and memory for every block.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from rich.cells import cell_len
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


def wrap(content: Content, width: int) -> list[Content]:
    """`content` in lines of at most `width` cells, broken at spaces as `Content.wrap` breaks
    them, and seven times faster, for the common case: one paragraph of single-width characters,
    single spaces between words. Anything else goes to `Content.wrap` (a test compares them)."""
    text = content.plain
    if "\n" in text or "  " in text or text[:1] == " " or text[-1:] == " " or cell_len(text) != len(text):
        return content.wrap(width)  # line breaks, runs of spaces, wide characters: Textual's rules
    if len(text) <= width:
        return [content]
    lines = []
    start, end = 0, len(text)
    while end - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:  # a word longer than the line: Textual's own folding rules
            return content.wrap(width)
        following = cut + 1
        lines.append(content[start:cut])
        start = following
    lines.append(content[start:])
    return lines


class _Line:
    """One wrapped line: its prefix and text, drawn into a `Strip` when first shown."""

    __slots__ = ("prefix", "indent", "text", "pad", "strip")

    def __init__(self, prefix: Content | None, indent: int, text: Content, pad: int = 0) -> None:
        self.prefix = prefix  # drawn `indent` cells wide before the text
        self.indent = indent
        self.text = text
        self.pad = pad  # blank cells before the text (centred parts)
        self.strip: Strip | None = None


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
        self._wrapped: dict[Hashable, list[_Line]] = {}  # each part's lines at `_wrapped_for`
        self._prefixes: dict[tuple[str, int], Strip] = {}  # drawn prefixes, also at `_wrapped_for`
        self._wrapped_for: tuple[object, ...] = ()
        self._lines: list[_Line] | None = None  # all parts' lines, while the parts stay the same

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

    def _lines_at(self, width: int) -> list[_Line]:
        style = self.visual_style
        if self._wrapped_for != (width, style):  # new width or style: every part is wrapped again
            self._wrapped_for = (width, style)
            self._wrapped.clear()
            self._prefixes.clear()
            self._lines = None
        if self._lines is None:
            wrapped: dict[Hashable, list[_Line]] = {}
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

    def _wrap(self, part: Part, width: int) -> list[_Line]:
        if part.rule:
            return [_Line(None, 0, Content("").join([part.content] * width))]
        indent = max(part.first.cell_length, part.rest.cell_length)
        texts = wrap(part.content, max(1, width - indent)) or [NOTHING]
        first, rest = (part.first, part.rest) if indent else (None, None)
        lines = []
        for number, text in enumerate(texts):
            pad = (width - indent - text.cell_length) // 2 if part.center else 0
            lines.append(_Line(first if number == 0 else rest, indent, text, max(0, pad)))
        return lines

    def _prefix(self, prefix: Content, indent: int) -> Strip:
        key = (prefix.markup, indent)  # a handful of prefixes serve every part: draw each once
        strip = self._prefixes.get(key)
        if strip is None:
            if not prefix.spans and not prefix.plain.strip():  # an indent: blank cells
                strip = Strip.blank(indent, self.visual_style.rich_style)
            else:
                strip = self._strips(prefix, indent)[0].extend_cell_length(indent, self.visual_style.rich_style)
            self._prefixes[key] = strip
        return strip

    def _strips(self, content: Content, width: int) -> list[Strip]:
        return Visual.to_strips(self, content, width, None, self.visual_style)

    def _drawn(self, line: _Line, width: int) -> Strip:
        strip = line.strip
        if strip is None:
            drawn = self._strips(line.text, max(1, width))
            strip = drawn[0] if drawn else Strip.blank(0)
            pieces = [strip]
            if line.pad:
                pieces.insert(0, Strip.blank(line.pad, self.visual_style.rich_style))
            if line.prefix is not None:
                pieces.insert(0, self._prefix(line.prefix, line.indent))
            strip = line.strip = Strip.join(pieces) if len(pieces) > 1 else strip
        return strip

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines_at(width)) if width else 0

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        lines = self._lines_at(width)
        if y < len(lines):
            return self._drawn(lines[y], width)
        return Strip.blank(width, self.visual_style.rich_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._wrapped_for = ()  # a new theme: the parts' colours are resolved again
