"""The scene: its title, basis and Markdown text, the choices, and the side panel.

The choices are pinned below the text, so every open choice is in view whatever the text's
length, as a parser game keeps its prompt in view; the text scrolls above them (PgUp and PgDn,
the wheel), opens at its title, and the "Choose:" line says when it goes on out of view. The
screen is redrawn in place after each choice (with a short fade, off when animations are off);
an ending hands over to the debrief screen. Glossary terms in the text are links to the glossary
(clicking one runs `app.glossary(term)`).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen

from game.engine.runtime.model import BASIS_MEANING
from game.session.play import PlaySession
from game.tui.authored import link_glossary_terms
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.footer import KeyBar
from game.tui.widgets.prose import SceneText
from game.tui.widgets.sidebar import Sidebar
from game.tui.textual_private import OneLayoutPass


class SceneColumn(OneLayoutPass, VerticalScroll):
    """The scene's text, scrolling when it does not fit above the choices."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.size_settled()

    def size_settled(self) -> None:
        """The text scrolled, or a new scene's text was laid out: update the "more" hint."""
        if self.is_attached and isinstance(self.screen, SceneScreen):
            self.screen.update_more_above()


class ChoicePane(OneLayoutPass, VerticalScroll):
    """Holds the choices under the text; scrolls only when they alone outgrow half the screen."""


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
        Binding("pagedown", "scroll_text(1)", "Read on", show=False),
        Binding("pageup", "scroll_text(-1)", "Read back", show=False),
        *[Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, session: PlaySession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Horizontal(id="scene-body"):
            with Vertical(id="scene-left"):
                with SceneColumn(id="scene-main"):
                    yield SceneText(id="scene-text")
                with ChoicePane(id="choice-pane"):
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
            choices.show_options(self.session.options(), self.session.step)
            if not choices.has_focus:  # re-focusing refreshes bindings, and the footer rebuilds
                choices.focus()
            self.query_one(Sidebar).show(self.session.scenario, self.session.state)
            main.scroll_home(animate=False, immediate=True)
            self.query_one("#choice-pane", ChoicePane).scroll_home(animate=False, immediate=True)
        if animate and self.app.animation_level != "none":
            # Fade the new scene in. Setting opacity costs a repaint, so not when motion is off.
            main.styles.opacity = 0.0
            main.styles.animate("opacity", 1.0, duration=0.25)

    async def on_choice_list_chosen(self, message: ChoiceList.Chosen) -> None:
        message.stop()
        await self.app.take_choice(message.choice_id, message.step)  # type: ignore[attr-defined]

    def action_pick(self, number: int) -> None:
        self.query_one("#choices", ChoiceList).pick(number)

    def update_more_above(self) -> None:
        """Tell the choices whether the scene's text goes on below what is in view."""
        main = self.query_one("#scene-main", SceneColumn)
        self.query_one("#choices", ChoiceList).show_more_above(main.scroll_y < main.max_scroll_y)

    def action_scroll_text(self, pages: int) -> None:
        main = self.query_one("#scene-main", SceneColumn)
        if pages > 0:
            main.scroll_page_down(animate=False)
        else:
            main.scroll_page_up(animate=False)

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-sidebar-shown")
        if not self.has_class("-sidebar-shown"):
            self.query_one("#choices", ChoiceList).focus()
