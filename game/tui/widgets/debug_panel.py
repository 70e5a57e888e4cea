"""The live preview's debug panel (`longarm play --watch`, F2): the whole state, and a jump to any scene.

It shows what the player never sees: every stat (the hidden ones marked), every flag set or not,
the visits counted, the facts in the journal and the `once` choices already taken. Below, every
scene and ending: picking one dismisses the panel with its id, and the app jumps there by playing
the shortest way (`engine.search.jump`), so the state on arrival is one a player could have.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from game.engine.runtime.model import Scenario
from game.engine.runtime.state import GameState


def state_lines(scenario: Scenario, state: GameState) -> list[Content]:
    """The state in lines: stats, flags, visits, journal and once choices taken."""
    lines = [Content.styled(f"{state.role} at {state.place}, after {len(state.choices)} choices", "bold")]
    for name, stat in scenario.stats.items():
        hidden = " (hidden)" if stat.hidden else ""
        lines.append(Content.assemble((f"{name}{hidden}", "$accent" if stat.hidden else ""),
                                      f" {state.stats[name]}  ({stat.min} to {stat.max})"))
    for name in scenario.flags:
        lines.append(Content.assemble(name, (" set" if name in state.flags else " not set", "$foreground-muted")))
    visits = ", ".join(f"{place} {count}" for place, count in state.visits.items())
    lines.append(Content(f"visits: {visits}"))
    lines.append(Content(f"journal: {len(state.known)} of {len(scenario.facts)} facts"))
    once = {(scene.id, choice.id) for scene in scenario.scenes.values() for choice in scene.choices if choice.once}
    taken = [f"{choice} in {scene}" for scene, choice in zip(state.path, state.choices) if (scene, choice) in once]
    if taken:
        lines.append(Content("once, taken: " + ", ".join(taken)))
    return lines


class DebugPanel(ModalScreen[str | None]):
    """The state and the scenes to jump to; dismissed with a scene or ending id, or None."""

    CSS_PATH = "debug_panel.tcss"
    BINDINGS = [Binding("escape,f2", "dismiss", "Close")]

    def __init__(self, scenario: Scenario, state: GameState) -> None:
        super().__init__()
        self.scenario = scenario
        self.state = state

    def compose(self) -> ComposeResult:
        with Vertical(id="debug-panel"):
            yield Static("Debug: the whole state", classes="debug-title")
            with VerticalScroll(id="debug-state"):
                yield Static(Content("\n").join(state_lines(self.scenario, self.state)), id="debug-lines")
            yield Static("Jump to (plays the shortest way there)", classes="debug-title")
            yield OptionList(*[Option(Content.assemble((place, "bold"), f"  {self.scenario.place_title(place)}"),
                                      id=place) for place in [*self.scenario.scenes, *self.scenario.endings]],
                             id="debug-places")
            yield Static("Enter jumps, Esc closes", classes="debug-hint")

    def on_mount(self) -> None:
        self.query_one("#debug-places", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
