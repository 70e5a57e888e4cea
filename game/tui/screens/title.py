"""The title screen: the game's name, its premise, a content note, Continue, and the scenarios.

Each scenario takes two lines in the list (title, minutes, roles); the summary of the one
highlighted shows under the list, so Continue and every scenario are in view at 80x24 and at
60x20. On a short terminal (under 30 lines) the tagline gives way and the premise moves below
them; the content note always shows above.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
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
CONTENT_NOTE = ("Content note: these stories show detention, police questioning, threats and "
                "surveillance, without violence.")
CONTINUE_ID = "continue"


class TitleScreen(Screen[None]):
    """The scenarios to play, and Continue when there is an autosave (`last_game` says what it is)."""

    CSS_PATH = "title.tcss"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    BINDINGS = [Binding("c", "continue_game", "Continue"), Binding("q", "app.quit", "Quit")]

    def __init__(self, entries: list[CatalogEntry], last_game: str | None) -> None:
        super().__init__()
        self.entries = entries
        self.last_game = last_game

    @property
    def can_continue(self) -> bool:
        return self.last_game is not None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="title-page"):
            yield Static("LONG ARM", id="game-name")
            yield Static("stories of transnational repression", id="tagline")
            yield Static(PREMISE, id="premise")
            yield Static(CONTENT_NOTE, id="content-note")
            yield OptionList(*self.options(), id="scenarios")
            yield Static("", id="about")
            yield Static(PREMISE, id="premise-below")  # on a short terminal, after the list
        yield KeyBar()

    def options(self) -> list[Option]:
        options: list[Option] = []
        if self.last_game is not None:
            options.append(Option(Content.assemble(("Continue", "bold"), " your last game\n",
                                                   (self.last_game, "$foreground-muted")), id=CONTINUE_ID))
        for index, entry in enumerate(self.entries):
            scenario = entry.result.scenario
            if scenario is None:
                prompt = Content.assemble((entry.path.stem, "bold"), "\n",
                                          ("This scenario has errors: choose it to see them.", "italic"))
            else:
                roles = ", ".join(role.title for role in scenario.roles.values())
                prompt = Content.assemble((scenario.title, "bold"), (f"  {scenario.minutes} min", "$foreground-muted"),
                                          "\n", (f"Play as: {roles}", "italic $foreground-muted"))
            options.append(Option(prompt, id=f"scenario-{index}"))
        return options

    def on_mount(self) -> None:
        self.query_one("#scenarios", OptionList).focus(scroll_visible=False)  # the page opens at its top

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the summary of the scenario under the cursor."""
        option_id = event.option.id or ""
        about = Content("")
        if option_id.startswith("scenario-"):
            scenario = self.entries[int(option_id.removeprefix("scenario-"))].result.scenario
            if scenario is not None:
                about = Content(scenario.summary)
        elif option_id == CONTINUE_ID:
            about = Content("Back to where you were, with your choices and answers so far.")
        self.query_one("#about", Static).update(about)

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
