"""The scene's choices: a keyboard-first list where 1-9 pick open choices directly.

Open choices are numbered 1, 2, 3... in order, as in the plain player; locked ones are shown
dimmed with their reason and have no number. Up/Down (or Home/End) move a cursor over the open
choices and Enter takes it; a click takes the choice under the mouse. The scene screen binds 1-9
to `pick`, so numbers work wherever focus is.

The list starts with its "Choose:" line, which also says when the scene's text goes on above
(`more_above`). It is a `PartText`, one part per choice: a long choice or a locked reason wraps
under its own text (a hanging indent), never under the number, and each choice is wrapped once.
The cursor is a `▶` as well as a colour, so it shows without colour too (NO_COLOR).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.style import Style
from textual.widget import Widget

from game.engine.runtime.state import Option as GameOption
from game.tui.widgets.part_text import Part, PartText

CURSOR = "\u25b6 "
GAP = " " * len(CURSOR)
INDENT = GAP + "   "  # where a choice's text starts: after the cursor and "1. "
CHOICE_MARK = "longarm-choice"  # meta on the highlighted choice: which choice a click there takes
MORE_ABOVE = "\u25bc more to read: PgDn"


@dataclass(frozen=True, slots=True)
class ShownChoice:
    choice_id: str
    text: str
    locked_reason: str | None  # None: open

    @property
    def is_open(self) -> bool:
        return self.locked_reason is None


class ChoiceList(PartText, can_focus=True):
    """Choices of the current scene; posts `ChoiceList.Chosen` with the choice id."""

    COMPONENT_CLASSES = {"choice-list--cursor", "choice-list--locked"}
    DEFAULT_CSS = """
    ChoiceList {
        height: auto;
        link-style: none;
        link-color: $foreground;
        link-background: transparent;
        link-style-hover: none;
        link-color-hover: $foreground;
        link-background-hover: $block-hover-background;
        & > .choice-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .choice-list--locked {
            color: $text-disabled;
        }
    }
    """
    BINDINGS = [
        Binding("up", "move(-1)", "Previous choice", show=False),
        Binding("down", "move(1)", "Next choice", show=False),
        Binding("home", "move_to(0)", "First choice", show=False),
        Binding("end", "move_to(-1)", "Last choice", show=False),
        Binding("enter", "take_highlighted", "Choose", show=False),
    ]

    class Chosen(Message):
        def __init__(self, choice_id: str, step: int) -> None:
            super().__init__()
            self.choice_id = choice_id
            self.step = step  # how many choices the game had taken when these options were shown

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.step = 0
        self.choices: tuple[ShownChoice, ...] = ()
        self.highlighted: int | None = None  # index into `choices` of the cursor, always an open one
        self.more_above = False  # the scene's text goes on above, out of view

    def show_options(self, options: list[GameOption], step: int) -> None:
        """Show the options of the game's `step`-th scene, the cursor on the first open one.
        Keys typed ahead are matched to the step they were meant for."""
        self.step = step
        self.choices = tuple(ShownChoice(option.choice.id, option.text,
                                         None if option.available else option.locked_reason)
                             for option in options)
        self.highlighted = next(iter(self._open_indexes()), None)
        self._draw()

    def show_more_above(self, more: bool) -> None:
        """Say (or stop saying) on the "Choose:" line that the scene's text goes on above."""
        if more != self.more_above:
            self.more_above = more
            self._draw()

    def _open_indexes(self) -> list[int]:
        return [index for index, choice in enumerate(self.choices) if choice.is_open]

    def open_ids(self) -> list[str]:
        return [self.choices[index].choice_id for index in self._open_indexes()]

    def prompts(self) -> list[str]:
        """Each choice as it reads on screen, unwrapped, without the cursor: "1. Go", "   Stay  (locked: why)"."""
        lines = []
        for number, choice in self._numbered():
            if number is None:
                lines.append(f"   {choice.text}  (locked: {choice.locked_reason})")
            else:
                lines.append(f"{number}. {choice.text}")
        return lines

    def pick(self, number: int) -> None:
        """Choose the open choice with this number (1-based); a bell when there is none."""
        ids = self.open_ids()
        if 1 <= number <= len(ids):
            self.post_message(self.Chosen(ids[number - 1], self.step))
        else:
            self.app.bell()

    def action_take(self, index: int) -> None:
        """Take the choice at `index` in the list (a click on it)."""
        if 0 <= index < len(self.choices) and self.choices[index].is_open:
            self.post_message(self.Chosen(self.choices[index].choice_id, self.step))

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get(CHOICE_MARK)
        if isinstance(index, int):  # the highlighted choice (the others are links)
            event.stop()
            self.action_take(index)

    def action_take_highlighted(self) -> None:
        if self.highlighted is not None:
            self.action_take(self.highlighted)

    def action_move(self, direction: int) -> None:
        open_indexes = self._open_indexes()
        if self.highlighted is None or not open_indexes:
            return
        position = open_indexes.index(self.highlighted) + direction
        self._move_cursor(open_indexes[max(0, min(position, len(open_indexes) - 1))])

    def action_move_to(self, position: int) -> None:
        open_indexes = self._open_indexes()
        if open_indexes:
            self._move_cursor(open_indexes[position])

    def _move_cursor(self, index: int) -> None:
        if index != self.highlighted:
            self.highlighted = index
            self._draw()
        self.show_highlighted()

    def show_highlighted(self) -> None:
        """Scroll the list's container, when it scrolls, so the cursor's whole choice is in view."""
        if self.highlighted is None or self.parent is None or not self.size.width:
            return
        start, count = self.line_span(self._part_name(self.highlighted))
        container = self.parent
        if count and isinstance(container, Widget):
            container.scroll_to_region(Region(0, self.virtual_region.y + start, self.size.width, count),
                                       animate=False, immediate=True)

    def _numbered(self) -> list[tuple[int | None, ShownChoice]]:
        numbered: list[tuple[int | None, ShownChoice]] = []
        number = 0
        for choice in self.choices:
            if choice.is_open:
                number += 1
                numbered.append((number, choice))
            else:
                numbered.append((None, choice))
        return numbered

    def _part_name(self, index: int) -> object:
        return self._names[index] if index < len(self._names) else None

    _names: tuple[object, ...] = ()

    def _choice_parts(self) -> list[Part]:
        # Colours come from the component classes above, so themes and app CSS style the list;
        # they are drawn into the parts, whose names (their markup) change with them.
        heading = Content.assemble(("Choose:", "bold"),
                                   ("   " + MORE_ABOVE, "italic $foreground-muted") if self.more_above else "")
        parts = [Part(("choose", heading.markup), heading)]
        cursor = self.get_visual_style("choice-list--cursor")
        locked = self.get_visual_style("choice-list--locked")
        self._drawn_with = (cursor, locked)
        for index, (number, choice) in enumerate(self._numbered()):
            if number is None:
                content = Content.assemble(choice.text, ("  (locked: ", "italic"),
                                           (choice.locked_reason or "", "italic"), (")", "italic")).stylize(locked)
                first = rest = Content(INDENT)
            elif index == self.highlighted:
                # Not a link: a link's colour is painted over the cursor's (dark text on the
                # cursor's blue in light themes). A click on it is read from this mark.
                mark = Style.from_meta({CHOICE_MARK: index})
                content = Content(choice.text).stylize(cursor).stylize(mark)
                first = Content.assemble((CURSOR, "$accent"), Content.styled(f"{number}. ", "bold")
                                         .stylize(cursor).stylize(mark))
                rest = Content.assemble(GAP, Content("   ").stylize(cursor).stylize(mark))
            else:
                click = f"@click=take({index})"
                content = Content(choice.text).stylize(click)
                first = Content.assemble(GAP, Content.styled(f"{number}. ", f"bold {click}"))
                rest = Content(INDENT)
            parts.append(Part(("choice", index, first.markup, content.markup), content, first=first, rest=rest))
        self._names = tuple(part.name for part in parts[1:])
        return parts

    _drawn_with: tuple[object, object] | None = None  # the cursor's and locked choices' styles drawn

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A new theme: the cursor's colours are drawn into the parts. Textual updates the
        # component styles just after this call, so look once it has.
        self.call_later(self._restyle)

    def _restyle(self) -> None:
        """Redraw if the colours drawn into the parts changed (a theme; not a loss of focus)."""
        if self.is_attached and self._drawn_with != (self.get_visual_style("choice-list--cursor"),
                                                     self.get_visual_style("choice-list--locked")):
            self._draw()

    def _draw(self) -> None:
        self.show(self._choice_parts())
