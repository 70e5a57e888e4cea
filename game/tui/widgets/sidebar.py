"""The side panel of a scene: the visible stats and flags, and the journal of facts found."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from game.engine.model import Scenario
from game.engine.state import GameState


def stat_bar(value: int, low: int, high: int, width: int = 10) -> str:
    filled = round((value - low) / (high - low) * width) if high > low else width
    return "\u2588" * filled + "\u2591" * (width - filled)


class Sidebar(VerticalScroll):
    """Stats, flags and journal; `show(scenario, state)` refreshes them.

    Each journal entry is its own `Static`, added as facts are found: a Static keeps its drawn
    lines, so a new fact costs one small render instead of redrawing the whole journal.
    """

    def compose(self) -> ComposeResult:
        yield Static("Status", classes="panel-title")
        yield Static(id="stats")
        yield Static("Journal", classes="panel-title")
        yield Static("Facts you find are noted here.", id="journal-empty")

    def show(self, scenario: Scenario, state: GameState) -> None:
        status = (id(scenario), tuple(state.stats.values()), state.flags)
        previous = getattr(self, "_status", None)
        if status != previous:  # each redraw costs a repaint: only on change
            self._status = status
            # New stat values keep the panel's shape; only new flags can change its height, and
            # skipping the layout pass then spares a repaint of everything around it.
            same_shape = previous is not None and previous[0] == status[0] and previous[2] == status[2]
            self.query_one("#stats", Static).update(self.status_content(scenario, state), layout=not same_shape)
        self.show_journal(scenario, state.known)

    def show_journal(self, scenario: Scenario, known: tuple[str, ...]) -> None:
        shown: tuple[str, ...] = getattr(self, "_journal", ())
        if getattr(self, "_journal_scenario", None) is not scenario or known[:len(shown)] != shown:
            self.query(".journal-entry").remove()  # undone, or another game: start the list again
            shown = ()
        self._journal, self._journal_scenario = known, scenario
        self.query_one("#journal-empty").display = not known
        new = [Static(self.entry_content(scenario, fact_id), classes="journal-entry") for fact_id in known[len(shown):]]
        if new:
            self.mount_all(new)

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
        return Content("\n").join(lines) if lines else Content("(nothing yet)")

    @staticmethod
    def entry_content(scenario: Scenario, fact_id: str) -> Content:
        fact = scenario.facts[fact_id]
        source = scenario.sources[fact.source]
        return Content.assemble(("\u2022 ", "$accent"), fact.text, "\n  ",
                                (f"Source: {source.publisher}", "italic $text-muted"))
