"""Named saves: a dialog to name a save, and a dialog listing saves to load."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class SaveNameScreen(ModalScreen[str | None]):
    """Ask for a save name; dismisses with the name, or None when cancelled."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save the game as", classes="dialog-title")
            yield Input(placeholder="a name, e.g. before the border", id="save-name", max_length=64)
            yield Static("Enter saves, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LoadScreen(ModalScreen[Path | None]):
    """Pick a save file; dismisses with its path, or None."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saves: list[Path]) -> None:
        super().__init__()
        self.saves = saves

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Load a saved game", classes="dialog-title")
            options = [Option(Content(path.stem), id=str(index)) for index, path in enumerate(self.saves)]
            yield OptionList(*options or [Option(Content("No saved games yet."), disabled=True)], id="save-list")
            yield Static("Enter loads, Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.saves[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
