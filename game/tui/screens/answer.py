"""Writing the answers to a debrief's questions, one question at a time, in a dialog.

Enter saves the answer and goes to the next question (after the last, it closes); Esc saves it
and closes. Nothing typed is ever lost: closing the dialog any way at all saves first. The
answers are saved through `save(index, text)`, the debrief screen's, which records them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AnswerScreen(ModalScreen[None]):
    """One question and a box for its answer; `index` is the question shown first."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "close", "Save and close")]

    def __init__(self, questions: tuple[str, ...], answers: Mapping[int, str], index: int,
                 save: Callable[[int, str], None]) -> None:
        super().__init__()
        self.questions = questions
        self.answers = dict(answers)
        self.index = index
        self.save = save
        self.box = Input(placeholder="Your answer", id="answer", max_length=2000)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_subtitle = "Enter saves and goes on, Esc saves and closes"
            yield Static("", id="answer-number", classes="dialog-title")
            yield Static("", id="answer-question")
            yield self.box

    def on_mount(self) -> None:
        self.show_question(self.index)

    def show_question(self, index: int) -> None:
        self.index = index
        self.query_one("#answer-number", Static).update(f"Question {index + 1} of {len(self.questions)}")
        self.query_one("#answer-question", Static).update(Content(self.questions[index]))
        self.box.value = self.answers.get(index, "")
        self.box.focus()

    def keep(self) -> None:
        """Save what the box holds for the question shown, if it changed."""
        text = self.box.value.strip()
        if text != self.answers.get(self.index, ""):
            self.answers[self.index] = text
            self.save(self.index, text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.keep()
        if self.index + 1 < len(self.questions):
            self.show_question(self.index + 1)
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.keep()
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.keep()  # quitting with the dialog open: what was typed is saved all the same
