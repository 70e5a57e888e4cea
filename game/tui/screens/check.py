"""The knowledge check in the app: one question at a time, and afterwards the student's change.

`CheckScreen` asks the check that is due (before the first scene, or after the debrief): each
question with its options and "I don't know", picked by number, arrows and Enter, or the mouse.
Each answer goes to the play session at once (its observers record it); when every question is
answered the screen calls `done`. Esc leaves the check for later: the game keeps the answers given.

`ChangeScreen` shows, once both checks are complete, the student's own change item by item: their
answers before and now, the right answer, and the fact with its quote and source.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.runtime.debrief import source_line
from game.engine.runtime.knowledge import DONT_KNOW, Phase
from game.session.check_words import CHANGE_HEADING, HEADINGS, change_summary, change_words, check_intro
from game.session.play import PlaySession
from game.tui.widgets.footer import KeyBar


class CheckScreen(Screen[None]):
    """The check due in `session`, from its first unanswered question; `done` once all are answered."""

    #: Ctrl+Z does not change the game under the check (the app asks).
    HOLDS_THE_GAME = True
    CSS_PATH = "check.tcss"
    BINDINGS = [
        Binding("enter", "pick", "Answer", show=False),
        Binding("escape", "later", "Later"),
    ]

    def __init__(self, session: PlaySession, phase: Phase, done: Callable[[], None],
                 later: Callable[[], None]) -> None:
        """Ask the `phase` check of `session`; `later` is what Esc does (the title, or the debrief)."""
        super().__init__()
        self.session = session
        self.phase = phase
        self.done = done
        self.later = later
        self.index = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="check-page"):
            yield Static(Content(HEADINGS[self.phase]), classes="check-heading")
            yield Static(Content(check_intro(self.phase, len(self.session.check_items))), id="check-intro")
            yield Static("", id="check-number")
            yield Static("", id="check-question")
            yield OptionList(id="check-options")
        yield KeyBar()

    def on_mount(self) -> None:
        log = self.session.check_log
        items = self.session.check_items
        first = next((i for i, item in enumerate(items) if log is None or log.answer(self.phase, item.id) is None), 0)
        self.show_question(first)

    def show_question(self, index: int) -> None:
        self.index = index
        items = self.session.check_items
        item = items[index]
        self.query_one("#check-number", Static).update(f"Question {index + 1} of {len(items)}")
        self.query_one("#check-question", Static).update(Content(item.question))
        options = self.query_one("#check-options", OptionList)
        options.clear_options()
        options.add_options([Option(Content(f"{number}. {text}"), id=str(number - 1))
                             for number, text in enumerate([*item.options, DONT_KNOW], 1)])
        options.highlighted = 0
        options.focus()

    def on_key(self, event: events.Key) -> None:
        """A number key answers the question shown."""
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.session.check_items[self.index].options) + 1:
                event.stop()
                self.answer(number - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.answer(int(event.option.id or "0"))

    def action_pick(self) -> None:
        highlighted = self.query_one("#check-options", OptionList).highlighted
        if highlighted is not None:
            self.answer(highlighted)

    def answer(self, picked: int) -> None:
        """Keep the answer (the last option is "I don't know") and go on to the next question."""
        item = self.session.check_items[self.index]
        option = None if picked == len(item.options) else picked
        self.app.tell(self.session.answer_check(self.phase, item.id, option))  # type: ignore[attr-defined]
        log = self.session.check_log
        items = self.session.check_items
        left = [i for i, other in enumerate(items) if log is None or log.answer(self.phase, other.id) is None]
        if left:
            self.show_question(left[0])
        else:
            self.done()

    def action_later(self) -> None:
        self.later()


class ChangeScreen(Screen[None]):
    """What changed for the student, item by item, with the fact that answers each; Esc closes."""

    HOLDS_THE_GAME = True
    CSS_PATH = "check.tcss"
    BINDINGS = [Binding("escape,c", "close", "Back to the debrief")]

    def __init__(self, session: PlaySession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        changes = self.session.own_change()
        scenario = self.session.scenario
        with VerticalScroll(id="change-page"):
            yield Static(Content(CHANGE_HEADING), classes="check-heading")
            yield Static(Content(change_summary(changes)), id="change-summary")
            for number, change in enumerate(changes, 1):
                item = change.item
                fact = scenario.facts[item.fact]
                text = Content.assemble(
                    (f"{number}. {item.question}", "bold"), "\n",
                    (f"{change_words(change)}.", "bold $accent"),
                    f" Before: {item.option_text(change.before)}. Now: {item.option_text(change.after)}.\n",
                    f"The answer: {item.right_option}\n",
                    f"The fact: {fact.text}\n",
                    (f"\u201c{fact.quote}\u201d", "italic"), "\n",
                    (f"Source: {source_line(scenario.sources[fact.source])}", "$text-muted"))
                yield Static(text, classes=f"change-item {change.change.replace(' ', '-')}")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#change-page", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
