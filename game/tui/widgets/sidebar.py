"""The side panel of a scene: the visible stats and flags, and the journal of facts found
(newest first, each with its source)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content

from game.engine.runtime.model import Scenario
from game.engine.runtime.state import GameState
from game.tui.widgets.part_text import BLANK, Part, PartText
from game.tui.textual_private import OneLayoutPass


def stat_bar(value: int, low: int, high: int, width: int = 10) -> str:
    filled = round((value - low) / (high - low) * width) if high > low else width
    return "\u2588" * filled + "\u2591" * (width - filled)


BULLET = Content.styled("\u2022 ", "$accent")
INDENT = Content("  ")  # wrapped lines of an entry start under its text, not its bullet


def heading(text: str) -> Content:
    return Content.styled(text, "bold $accent")


class Sidebar(OneLayoutPass, VerticalScroll):
    """Stats, flags and journal as one `PartText`; `show(scenario, state)` refreshes them.

    One widget in all: every extra widget in the panel costs layout and compositing time on
    every choice. Each stat line, flag and fact is a part of its own, so a choice that adds a
    fact wraps only that fact, and a choice that changes nothing here redraws nothing.
    """

    def compose(self) -> ComposeResult:
        yield PartText(id="panel")

    def show(self, scenario: Scenario, state: GameState) -> None:
        self.query_one("#panel", PartText).show(self.panel_parts(scenario, state))

    @staticmethod
    def panel_parts(scenario: Scenario, state: GameState) -> list[Part]:
        """The panel's lines as named parts: a name stands for one text, so its lines are kept."""
        parts = [BLANK, Part("status", heading("Status"))]
        for name, stat in scenario.stats.items():
            if not stat.hidden:
                value = state.stats[name]
                parts.append(Part(("stat", name, value), Content.assemble(
                    (stat.label, "bold"), f" {value}/{stat.max}\n", (stat_bar(value, stat.min, stat.max), "$accent"))))
        for name, flag in scenario.flags.items():
            if name in state.flags:
                parts.append(Part(("flag", name), Content(flag.label), first=BULLET, rest=INDENT))
        if len(parts) == 2:
            parts.append(Part("no status", Content("(nothing yet)")))
        found = len(state.known)
        count = f" ({found}, newest first)" if found > 1 else f" ({found})" if found else ""
        parts += [BLANK, Part(("journal", count), Content.assemble(heading("Journal"), (count, "$foreground-muted")))]
        for fact_id in reversed(state.known):  # what was just found is in view without scrolling
            fact = scenario.facts[fact_id]
            parts.append(Part(("fact", fact_id), Content(fact.text), first=BULLET, rest=INDENT))
            parts.append(Part(("source", fact_id), Content.styled(
                f"Source: {scenario.sources[fact.source].publisher}", "italic $foreground-muted"),
                first=INDENT, rest=INDENT))
        if not state.known:
            parts.append(Part("no facts", Content("Facts you find are noted here.")))
        return parts
