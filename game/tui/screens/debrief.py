"""The debrief at an ending: the ending, what really happened, facts with quotes and sources,
what the governments said, the path taken, what was real or invented, and the questions to
discuss, each once, with the student's answer (recorded for the teacher's report).

The whole debrief is one widget (`DebriefText`), so it opens quickly. Answers are written in a
dialog (`a`, or a click on a question), which saves every answer as it is left; they show under
their questions, and come back when the game is continued. When the game takes the knowledge
check, a line at the top says to press `c` for the check again, and then for what changed.
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from game.engine.runtime.debrief import DebriefView
from game.tui.widgets.debrief_text import DebriefText
from game.tui.widgets.footer import KeyBar


class DebriefScreen(Screen[None]):
    """The debrief of `view`, with the answers already written (from a save)."""

    CSS_PATH = "debrief.tcss"
    BINDINGS = [
        Binding("a", "answer", "Answer"),
        Binding("p", "app.play_again", "Play again"),
        Binding("r", "app.other_role", "Other role"),
        Binding("e", "app.export_debrief", "Export"),
        # In Help, not in the key bar, which is full at 80 columns:
        Binding("u", "app.undo", "Undo", show=False),
        Binding("g", "app.glossary", "Glossary", show=False),
        Binding("escape,t", "app.to_title", "Title"),
        Binding("c", "check", "Check"),
    ]

    #: The line at the top when the game takes the check: still to answer again, or answered.
    CHECK_LINES = {
        "due": "When you have read the debrief, press c to answer the check again; then you will see what changed.",
        "done": "Press c to see what changed for you since the check before you played.",
    }

    def __init__(self, view: DebriefView, answers: dict[int, str] | None = None,
                 check: Literal["due", "done"] | None = None) -> None:
        super().__init__()
        self.view = view
        self.answers: dict[int, str] = dict(answers or {})  # as saved
        self.check = check

    def compose(self) -> ComposeResult:
        if self.check is not None:
            yield Static(Content(self.CHECK_LINES[self.check]), id="check-line")
        with VerticalScroll(id="debrief-page"):
            yield DebriefText(self.view, self.answers, id="debrief-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#debrief-page", VerticalScroll).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check":
            return self.check is not None  # no check, no key
        return True

    def action_check(self) -> None:
        """The check again when it is due, then what changed; or what changed."""
        self.app.action_check()  # type: ignore[attr-defined]

    def show_check(self, check: Literal["due", "done"]) -> None:
        """Say the check's new state in the line at the top."""
        self.check = check
        self.query_one("#check-line", Static).update(Content(self.CHECK_LINES[check]))

    def action_answer(self, index: int | None = None) -> None:
        """Write answers, from question `index` (default: the first without an answer)."""
        from game.tui.screens.answer import AnswerScreen

        questions = self.view.questions
        if not questions:
            return
        if index is None:
            index = next((number for number in range(len(questions)) if not self.answers.get(number)), 0)
        self.app.push_screen(AnswerScreen(questions, self.answers, index, self.save_answer))

    def save_answer(self, index: int, text: str) -> None:
        """Record an answer and show it under its question."""
        self.answers[index] = text.strip()
        self.app.record_answer(index, text)  # type: ignore[attr-defined]
        self.query_one("#debrief-text", DebriefText).show_answers(self.answers)
