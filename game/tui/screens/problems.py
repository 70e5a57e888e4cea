"""What went wrong with a scenario or a save, shown instead of a crash."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ProblemsScreen(ModalScreen[None]):
    """A title and the lines that say what is wrong."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape,enter", "dismiss", "Close")]

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.heading = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog problems") as dialog:
            dialog.border_subtitle = "Esc closes"
            yield Static(Content(self.heading), classes="dialog-title")
            with VerticalScroll():
                yield Static(Content("\n".join(self.lines)), id="problem-lines")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
