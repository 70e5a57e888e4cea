"""The side panel of a scene: the visible stats and flags, and the journal of facts found."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.engine.model import Scenario
from game.engine.state import GameState
from game.tui.widgets.single_pass import OneLayoutPass


def stat_bar(value: int, low: int, high: int, width: int = 10) -> str:
    filled = round((value - low) / (high - low) * width) if high > low else width
    return "\u2588" * filled + "\u2591" * (width - filled)


def heading(text: str) -> Content:
    return Content.styled(text, "bold $accent")


class PanelText(OneLayoutPass, Static):
    """One part of the side panel: its heading and its lines."""


class Sidebar(OneLayoutPass, VerticalScroll):
    """Stats, flags and journal; `show(scenario, state)` refreshes them.

    Two widgets in all, each redrawn only when what it shows changes: every extra widget in the
    panel costs layout and compositing time on every choice, more than redrawing its text.
    """

    def compose(self) -> ComposeResult:
        yield PanelText(id="stats")
        yield PanelText(id="journal")

    def show(self, scenario: Scenario, state: GameState) -> None:
        status = (id(scenario), tuple(state.stats.values()), state.flags)
        previous = getattr(self, "_status", None)
        if status != previous:  # each redraw costs a repaint: only on change
            self._status = status
            # New stat values keep the panel's shape; only new flags can change its height, and
            # skipping the layout pass then spares a repaint of everything around it.
            same_shape = previous is not None and previous[0] == status[0] and previous[2] == status[2]
            self.query_one("#stats", Static).update(self.status_content(scenario, state), layout=not same_shape)
        journal = (id(scenario), state.known)
        if journal != getattr(self, "_journal", None):
            self._journal = journal
            self.query_one("#journal", Static).update(self.journal_content(scenario, state.known))

    @staticmethod
    def status_content(scenario: Scenario, state: GameState) -> Content:
        lines: list[Content] = []
        for name, stat in scenario.stats.items():
            if stat.hidden:
                continue
            value = state.stats[name]
            lines.append(Content.assemble((stat.label, "bold"), f" {value}/{stat.max}\n",
                                          (stat_bar(value, stat.min, stat.max), "$accent")))
        for name, flag in scenario.flags.items():
            if name in state.flags:
                lines.append(Content.assemble(("\u2022 ", "$accent"), flag.label))
        return Content("\n").join([heading("Status"), *(lines or [Content("(nothing yet)")])])

    @staticmethod
    def journal_content(scenario: Scenario, known: tuple[str, ...]) -> Content:
        entries = [Sidebar.entry_content(scenario, fact_id) for fact_id in known]
        return Content("\n").join([heading("Journal"), *(entries or [Content("Facts you find are noted here.")])])

    @staticmethod
    def entry_content(scenario: Scenario, fact_id: str) -> Content:
        fact = scenario.facts[fact_id]
        source = scenario.sources[fact.source]
        return Content.assemble(("\u2022 ", "$accent"), fact.text, "\n  ",
                                (f"Source: {source.publisher}", "italic $foreground-muted"))
