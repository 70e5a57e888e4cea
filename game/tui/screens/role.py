"""Choosing who to play in a scenario: each role's title and blurb."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.runtime.model import Scenario
from game.tui.widgets.footer import KeyBar


class RoleScreen(Screen[None]):
    CSS_PATH = "role.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="role-page"):
            yield Static(Content(self.scenario.title), id="role-scenario")
            yield Static(Content(self.scenario.summary), id="role-summary")
            if self.scenario.content_warnings:
                note = "Content note: " + ", ".join(self.scenario.content_warnings) + "."
                yield Static(Content(note), id="role-warnings")
            yield Static("Who do you play?", id="role-question")
            yield OptionList(*[Option(Content.assemble((role.title, "bold"), "\n", role.blurb), id=role.id)
                               for role in self.scenario.roles.values()], id="roles")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#roles", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.start_game(self.scenario, event.option.id)  # type: ignore[attr-defined]
