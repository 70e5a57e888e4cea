"""The title screen: the game's name, its premise, a content note, Continue, and the scenarios."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.loader.catalog import CatalogEntry
from game.tui.widgets.footer import KeyBar

PREMISE = (
    "In November 2019, Cambodia's government pressed its neighbours to stop members of the banned "
    "opposition from coming home: an airport detention in Kuala Lumpur, revoked passports, airlines "
    "threatened, migrant workers watched in Thailand. You play a journalist or an activist caught up "
    "in it. Every ending closes with what really happened, quoted from the sources."
)
CONTENT_NOTE = ("Content note: these stories include detention, police questioning, threats and "
                "surveillance, shown without violence.")
CONTINUE_ID = "continue"


@dataclass(frozen=True, slots=True)
class ScenarioPicked:
    entry: CatalogEntry


class TitleScreen(Screen[None]):
    CSS_PATH = "title.tcss"
    BINDINGS = [Binding("c", "continue_game", "Continue"), Binding("q", "app.quit", "Quit")]

    def __init__(self, entries: list[CatalogEntry], can_continue: bool) -> None:
        super().__init__()
        self.entries = entries
        self.can_continue = can_continue

    def compose(self) -> ComposeResult:
        with Vertical(id="title-page"):
            with Vertical(id="masthead"):
                yield Static("LONG ARM", id="game-name")
                yield Static("stories of transnational repression", id="tagline")
            yield Static(PREMISE, id="premise")
            yield Static(CONTENT_NOTE, id="content-note")
            yield OptionList(*self.options(), id="scenarios")
        yield KeyBar()

    def options(self) -> list[Option | None]:
        options: list[Option | None] = []
        if self.can_continue:
            options.append(Option(Content.assemble(("Continue", "bold"), "  your last game"), id=CONTINUE_ID))
        for index, entry in enumerate(self.entries):
            scenario = entry.result.scenario
            if scenario is None:
                prompt = Content.assemble((entry.path.stem, "bold"), "\n",
                                          ("This scenario has errors: choose it to see them.", "italic"))
            else:
                roles = ", ".join(role.title for role in scenario.roles.values())
                prompt = Content.assemble((scenario.title, "bold"), (f"  {scenario.minutes} min", "$foreground-muted"),
                                          "\n", scenario.summary, "\n", (f"Roles: {roles}", "italic $foreground-muted"))
            if options:
                options.append(None)  # a divider between entries
            options.append(Option(prompt, id=f"scenario-{index}"))
        return options

    def on_mount(self) -> None:
        self.query_one("#scenarios", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id == CONTINUE_ID:
            self.action_continue_game()
        elif option_id.startswith("scenario-"):
            self.app.pick_scenario(self.entries[int(option_id.removeprefix("scenario-"))])  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue_game":
            return self.can_continue  # hidden from the footer when there is no autosave
        return True

    def action_continue_game(self) -> None:
        if self.can_continue:
            self.app.continue_game()  # type: ignore[attr-defined]
