"""The scene: its title, basis and Markdown text, the choices, and the side panel.

The screen is redrawn in place after each choice (with a short fade, off when animations are off);
an ending hands over to the debrief screen. Glossary terms in the text are links to the glossary
(clicking one runs `app.glossary(term)`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen

from game.engine.runtime.model import BASIS_MEANING
from game.session.play import PlaySession
from game.tui.authored import link_glossary_terms
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.footer import KeyBar
from game.tui.widgets.prose import SceneText
from game.tui.widgets.sidebar import Sidebar
from game.tui.widgets.single_pass import OneLayoutPass


class SceneColumn(OneLayoutPass, VerticalScroll):
    """The scene's text and choices, scrolling when they do not fit."""


class SceneScreen(Screen[None]):
    CSS_PATH = "scene.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]
    BINDINGS = [
        Binding("u", "app.undo", "Undo"),
        Binding("g", "app.glossary", "Glossary"),
        Binding("j", "toggle_sidebar", "Journal"),
        Binding("s", "app.save_game", "Save"),
        Binding("l", "app.load_game", "Load"),
        Binding("escape", "app.to_title", "Title"),
        *[Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, session: PlaySession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Horizontal(id="scene-body"):
            with SceneColumn(id="scene-main"):
                yield SceneText(id="scene-text")
                yield ChoiceList(id="choices")
            yield Sidebar(id="scene-side")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self.show_scene(animate=False)

    async def show_scene(self, animate: bool = True) -> None:
        """Draw the current scene of the game, as one update of the screen."""
        scene = self.session.scene
        if scene is None:
            return
        main = self.query_one("#scene-main", SceneColumn)
        with self.app.batch_update():
            basis = Content.styled(f"Basis: {scene.basis} ({BASIS_MEANING[scene.basis]})", "italic $foreground-muted")
            text = link_glossary_terms(self.session.fill(scene.text), self.session.scenario.glossary)
            self.query_one("#scene-text", SceneText).show_scene(scene.title, basis, text)
            choices = self.query_one("#choices", ChoiceList)
            choices.show(self.session.options(), self.session.step)
            if not choices.has_focus:  # re-focusing refreshes bindings, and the footer rebuilds
                choices.focus()
            self.query_one(Sidebar).show(self.session.scenario, self.session.state)
            main.scroll_home(animate=False)
        if animate and self.app.animation_level != "none":
            # Fade the new scene in. Setting opacity costs a repaint, so not when motion is off.
            main.styles.opacity = 0.0
            main.styles.animate("opacity", 1.0, duration=0.25)

    async def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        message.stop()
        await self.app.take_choice(message.choice_id, message.step)  # type: ignore[attr-defined]

    def action_pick(self, number: int) -> None:
        self.query_one("#choices", ChoiceList).pick(number)

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-sidebar-shown")
        if not self.has_class("-sidebar-shown"):
            self.query_one("#choices", ChoiceList).focus()
