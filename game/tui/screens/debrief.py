"""The debrief at an ending: the ending, what really happened, facts with quotes and sources,
the path taken, the questions with a box for the student's answer to each (recorded for the
teacher's report); and what to do next (play again, other role, export, title)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.content import Content
from textual.events import DescendantBlur
from textual.widgets import Button, Input, Static

from game.engine.runtime.debrief import DebriefView, debrief_markdown
from game.tui.widgets.footer import KeyBar
from game.tui.widgets.prose import Prose


class DebriefScreen(Screen[None]):
    CSS_PATH = "debrief.tcss"
    BINDINGS = [
        Binding("p", "app.play_again", "Play again"),
        Binding("r", "app.other_role", "Other role"),
        Binding("e", "app.export_debrief", "Export"),
        Binding("u", "app.undo", "Undo"),
        Binding("g", "app.glossary", "Glossary"),
        Binding("escape,t", "app.to_title", "Title"),
    ]

    def __init__(self, view: DebriefView, answers: dict[int, str] | None = None) -> None:
        """The debrief `view`, with the answers already written (from a save) in their boxes."""
        super().__init__()
        self.view = view
        self.saved: dict[int, str] = dict(answers or {})  # what each answer box last saved

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief-page"):
            yield Prose(debrief_markdown(self.view), id="debrief-text")
            yield Static("Your answers", classes="answers-title")
            yield Static("Write a few words for each question: they are kept for your teacher. "
                         "Enter saves an answer; Tab moves on.", classes="answers-hint")
            for number, question in enumerate(self.view.questions, 1):
                yield Static(Content(f"{number}. {question}"), classes="answer-question")
                yield Input(self.saved.get(number - 1, ""), placeholder="Your answer", id=f"answer-{number - 1}",
                            classes="answer")
        with Horizontal(id="debrief-actions"):
            yield Button("Play again", id="play_again", variant="primary")
            yield Button("Other role", id="other_role")
            yield Button("Export", id="export_debrief")
            yield Button("Title", id="to_title")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#debrief-page", VerticalScroll).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.save_answer(event.input)
        self.focus_next()

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if isinstance(event.widget, Input):  # leaving a box with Tab or the mouse saves it too
            self.save_answer(event.widget)

    def save_answer(self, box: Input) -> None:
        index = int((box.id or "answer-0").removeprefix("answer-"))
        if box.value.strip() != self.saved.get(index, ""):
            self.saved[index] = box.value.strip()
            self.app.record_answer(index, box.value)  # type: ignore[attr-defined]

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            await self.app.run_action(f"app.{event.button.id}")
