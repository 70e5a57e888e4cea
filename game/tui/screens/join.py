"""Joining a class: the class code (required) and a display name (optional: anonymous otherwise).

Shown first when the game is served to a class (`longarm serve --class CODE`). Nothing else can
be reached without the right code; the name is what the teacher's report shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class JoinScreen(ModalScreen[str | None]):
    """Dismisses with the display name ("" for anonymous) once the code is right."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("ctrl+q", "app.quit", "Quit")]

    def __init__(self, class_code: str) -> None:
        super().__init__()
        self.class_code = class_code

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Join your class", classes="dialog-title")
            yield Static("Type the class code your teacher gave you.")
            yield Input(placeholder="class code", id="join-code", max_length=32)
            yield Static("Your name for the teacher's report (leave it empty to stay anonymous).")
            yield Input(placeholder="display name (optional)", id="join-name", max_length=40)
            yield Static("", id="join-error", classes="dialog-hint")
            yield Button("Join", id="join", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#join-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "join-code":
            self.query_one("#join-name", Input).focus()
        else:
            self.try_join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.try_join()

    def try_join(self) -> None:
        code = self.query_one("#join-code", Input).value.strip()
        if code.casefold() != self.class_code.casefold():
            self.query_one("#join-error", Static).update("That is not this class's code. Ask your teacher.")
            self.query_one("#join-code", Input).focus()
            return
        self.dismiss(" ".join(self.query_one("#join-name", Input).value.split()))
