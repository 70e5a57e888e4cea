"""The debrief at an ending: the ending, what really happened, facts with quotes and sources,
what the governments said, the path taken, what was real or invented; then each question once,
with a box for the student's answer (recorded for the teacher's report).

An answer is never lost: Enter saves it and stays in its box (Tab moves on), Esc in a box saves
it and leaves the box (a second Esc goes to the title), and every way off the screen (the keys,
the mouse, quitting) saves every box first. The answers already written come back in their
boxes when the game is continued.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import DescendantBlur
from textual.screen import Screen
from textual.widgets import Input, Static

from game.engine.runtime.debrief import DebriefView
from game.tui.widgets.debrief_text import DebriefText
from game.tui.widgets.footer import KeyBar

ANSWERS_HINT = ("Write a few words for each question: your teacher sees them. Enter saves an answer, "
                "Tab goes to the next question, Esc leaves the box.")


class DebriefScreen(Screen[None]):
    """The debrief of `view`, with the answers already written (from a save) in their boxes."""

    CSS_PATH = "debrief.tcss"
    BINDINGS = [
        Binding("a", "answer", "Answer"),
        Binding("p", "leave('play_again')", "Play again"),
        Binding("r", "leave('other_role')", "Other role"),
        Binding("e", "app.export_debrief", "Export"),
        Binding("u", "leave('undo')", "Undo"),
        Binding("g", "app.glossary", "Glossary", show=False),  # in Help: the key bar is full at 80 columns
        Binding("escape", "escape", "Title"),
        Binding("t", "leave('to_title')", "Title", show=False),
    ]

    def __init__(self, view: DebriefView, answers: dict[int, str] | None = None) -> None:
        super().__init__()
        self.view = view
        self.saved: dict[int, str] = dict(answers or {})  # what each answer box last saved

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief-page"):
            yield DebriefText(self.view, id="debrief-text")
            if self.view.questions:
                yield Static("Questions to discuss", classes="answers-title")
                yield Static(ANSWERS_HINT, classes="answers-hint")
                for index, question in enumerate(self.view.questions):
                    yield Static(Content(f"{index + 1}. {question}"), classes="answer-question")
                    yield Input(self.saved.get(index, ""), placeholder="Your answer", id=f"answer-{index}",
                                classes="answer", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#debrief-page", VerticalScroll).focus()

    # ------------------------------------------------------------------ answers

    def boxes(self) -> list[Input]:
        return list(self.query(".answer").results(Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter saves the answer and stays: moving on is Tab's job, so no question is skipped."""
        event.stop()
        if self.save_answer(event.input):
            self.notify(f"Answer {self._index(event.input) + 1} saved.", timeout=3)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if isinstance(event.widget, Input):  # leaving a box with Tab or the mouse saves it too
            self.save_answer(event.widget)

    @staticmethod
    def _index(box: Input) -> int:
        return int((box.id or "answer-0").removeprefix("answer-"))

    def save_answer(self, box: Input) -> bool:
        """Record the box's answer if it changed since it was last saved; True when it was."""
        index = self._index(box)
        if box.value.strip() == self.saved.get(index, ""):
            return False
        self.saved[index] = box.value.strip()
        self.app.record_answer(index, box.value)  # type: ignore[attr-defined]
        return True

    def save_all(self) -> None:
        for box in self.boxes():
            self.save_answer(box)

    # ------------------------------------------------------------------ keys

    def action_answer(self) -> None:
        """Go to the first question without an answer (or the first question)."""
        boxes = self.boxes()
        if boxes:
            target = next((box for box in boxes if not box.value.strip()), boxes[0])
            target.focus()
            self.query_one("#debrief-page", VerticalScroll).scroll_to_widget(target, animate=False, top=False)

    async def action_escape(self) -> None:
        """Esc in an answer box saves it and leaves the box; elsewhere, it goes to the title."""
        focused = self.focused
        if isinstance(focused, Input):
            self.save_answer(focused)
            self.query_one("#debrief-page", VerticalScroll).focus(scroll_visible=False)
            return
        await self.action_leave("to_title")

    async def action_leave(self, action: str) -> None:
        """Save every answer, then do the app's `action` (play again, other role, undo, title)."""
        self.save_all()
        await self.app.run_action(f"app.{action}")

    def on_unmount(self) -> None:
        self.save_all()  # quitting from the debrief, or any way out not foreseen above
