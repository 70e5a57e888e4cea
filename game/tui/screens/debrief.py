"""The debrief at an ending: the ending, what really happened, facts with quotes and sources,
the path taken, the questions; and what to do next (play again, other role, export, title)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button

from game.engine.debrief import DebriefView, debrief_markdown
from game.tui.widgets.footer import KeyBar
from game.tui.widgets.prose import Prose


class DebriefScreen(Screen[None]):
    CSS_PATH = "debrief.tcss"
    BINDINGS = [
        Binding("p", "app.play_again", "Play again"),
        Binding("r", "app.other_role", "Other role"),
        Binding("e", "app.export_debrief", "Export"),
        Binding("u", "app.undo", "Undo"),
        Binding("g", "app.glossary", "Glossary"),
        Binding("escape,t", "app.to_title", "Title"),
    ]

    def __init__(self, view: DebriefView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="debrief-page"):
            yield Prose(debrief_markdown(self.view), id="debrief-text")
        with Horizontal(id="debrief-actions"):
            yield Button("Play again", id="play_again", variant="primary")
            yield Button("Other role", id="other_role")
            yield Button("Export", id="export_debrief")
            yield Button("Title", id="to_title")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#debrief-page", VerticalScroll).focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            await self.app.run_action(f"app.{event.button.id}")
