"""Named saves: a dialog to name a save, and a dialog listing saves to load."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from game.tui.saved import SavedGame


class SaveNameScreen(ModalScreen[str | None]):
    """Ask for a save name and save under it with `save(name)`, which returns None when saved, or
    why not ("a save name uses letters..."): then the reason shows, and the dialog stays with the
    name as typed, to correct. Dismisses with the name saved, or None when cancelled."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, save: Callable[[str], str | None]) -> None:
        super().__init__()
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_subtitle = "Enter saves, Esc cancels"
            yield Static("Save the game as", classes="dialog-title")
            yield Input(placeholder="a name, e.g. before the border", id="save-name", max_length=64)
            yield Static("", id="save-error", classes="dialog-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        problem = self.save(name)
        if problem is None:
            self.dismiss(name)
        else:
            self.query_one("#save-error", Static).update(Content(problem))

    def action_cancel(self) -> None:
        self.dismiss(None)


class LoadScreen(ModalScreen[Path | None]):
    """Pick a saved game, each shown with its scenario, role, place and time; dismisses with its
    path, or None."""

    CSS_PATH = "modal.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saves: list[SavedGame]) -> None:
        super().__init__()
        self.saves = saves

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_subtitle = "Enter loads, Esc cancels"
            yield Static("Load a saved game", classes="dialog-title")
            options = [Option(Content.assemble((saved.name, "bold"), "\n", (saved.description, "$foreground-muted")),
                              id=str(index)) for index, saved in enumerate(self.saves)]
            yield OptionList(*options or [Option(Content("No saved games yet."), disabled=True)], id="save-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.saves[int(event.option.id)].path)

    def action_cancel(self) -> None:
        self.dismiss(None)
