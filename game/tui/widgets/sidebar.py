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
    """Stats, flags and journal; `show(scenario, state)` refreshes all three."""

    def compose(self) -> ComposeResult:
        yield Static("Status", classes="panel-title")
        yield Static(id="stats")
        yield Static("Journal", classes="panel-title")
        yield Static(id="journal")

    def show(self, scenario: Scenario, state: GameState) -> None:
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
        self.query_one("#stats", Static).update(Content("\n").join(lines) if lines else Content("(nothing yet)"))
        entries: list[Content] = []
        for fact_id in state.known:
            fact = scenario.facts[fact_id]
            source = scenario.sources[fact.source]
            entries.append(Content.assemble(("\u2022 ", "$accent"), fact.text, "\n  ",
                                            (f"Source: {source.publisher}", "italic $text-muted")))
        journal = Content("\n").join(entries) if entries else Content("Facts you find are noted here.")
        self.query_one("#journal", Static).update(journal)
