"""The Long Arm Textual app: screens, the game in progress, saves, and the game's commands.

The app owns the one `Game` being played and moves between screens: title, role, scene, debrief.
Screens ask the app to act (start, choose, undo, save), and the app asks the engine. Every choice
is autosaved; a broken scenario or save shows its problems in a dialog, never a traceback.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

import platformdirs
from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from game.classroom.recorder import GameRecorder
from game.classroom.store import ResultsStore, StoreError
from game.engine.loader import catalog
from game.engine.loader.catalog import CatalogEntry
from game.engine.runtime.debrief import build_debrief, debrief_markdown
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.paths import CLASS_CODE_ENV
from game.engine.runtime.saves import (
    AUTOSAVE_NAME,
    SaveError,
    read_save,
    replay,
    save_of,
    save_path,
    saves_dir,
    write_save,
)
from game.engine.runtime.state import Game
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.glossary import GlossaryScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.join import JoinScreen
from game.tui.screens.problems import ProblemsScreen
from game.tui.screens.role import RoleScreen
from game.tui.screens.saves import LoadScreen, SaveNameScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui import textual_fixes
from game.tui.settings import Settings, load_settings, save_settings
from game.tui.watch import FileWatch


def export_directory() -> Path:
    """Where exported debriefs go in a terminal: `LONGARM_EXPORT_DIR`, else the Downloads folder.

    (In a browser, Textual turns the export into a download instead.)
    """
    override = os.environ.get("LONGARM_EXPORT_DIR")
    return Path(override) if override else platformdirs.user_downloads_path()


textual_fixes.apply()


class LongArmApp(App[None]):
    """The game. `start` optionally names a scenario (and role and seed) to begin with."""

    TITLE = "Long Arm"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(self, scenario: str | None = None, role: str | None = None, seed: int | None = None,
                 watch: Path | None = None) -> None:
        super().__init__()
        self.watch = FileWatch(watch) if watch is not None else None
        if watch is not None:
            scenario = str(watch)
        self.start_scenario = scenario
        self.start_role = role
        self.start_seed = seed
        self.game: Game | None = None
        self.settings = load_settings()
        # Set by `longarm serve --class CODE` in each game process's environment.
        self.class_code: str | None = os.environ.get(CLASS_CODE_ENV) or None
        self.player: str | None = None
        self._recorder: GameRecorder | None | bool = None  # False: the store could not be opened
        self._record_warned = False

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(self.title_screen())
        if self.class_code:  # served to a class: nothing is reachable before the code is right
            self.push_screen(JoinScreen(self.class_code), self._joined)
            return
        self.open_start_scenario()

    def _joined(self, name: str | None) -> None:
        self.player = name or None
        self.open_start_scenario()

    def open_start_scenario(self) -> None:
        if self.start_scenario:
            self.open_named_scenario(self.start_scenario)
        if self.watch is not None:
            self.set_interval(0.5, self.check_watched_file)

    # ------------------------------------------------------------------ live preview (--watch)

    def check_watched_file(self) -> None:
        if self.watch is not None and self.watch.changed():
            self.reload_watched_file()

    def reload_watched_file(self) -> None:
        """Load the watched file again and replay the current game on it, or show its problems."""
        assert self.watch is not None
        path = self.watch.path
        result = load_scenario(path)
        while isinstance(self.screen, ProblemsScreen):  # the last version's problems are old news
            self.pop_screen()
        if result.scenario is None:
            self.show_problems(f"{path.name} has errors: fix them and save again",
                               [p.render() for p in result.problems])
            return
        game = self.game
        if game is None or game.scenario.id != result.scenario.id:
            self.pick_scenario(CatalogEntry(path, result), self.start_role)
            self.notify(f"Reloaded {path.name}.")
            return
        try:
            replayed = replay(result.scenario, save_of(game))
        except SaveError as error:
            self.show_problems("The game cannot continue in the edited scenario", [str(error)])
            return
        self.show_game(replayed.game)
        self.notify(replayed.message or f"Reloaded {path.name}: replayed your {replayed.replayed} choices.",
                    severity="warning" if replayed.message else "information")

    def title_screen(self) -> TitleScreen:
        return TitleScreen(catalog.shipped(), self.saving and self.autosave_path().exists())

    @property
    def saving(self) -> bool:
        """Saves are off in a class game: every student's game process shares the teacher's data
        folder, so one student's autosave or named save must never reach another. Their games
        are in the results store instead."""
        return self.class_code is None

    def _remember_theme(self, theme: object) -> None:
        save_settings(Settings(theme=self.theme))

    def open_named_scenario(self, name: str) -> None:
        path = catalog.resolve(name)
        if path is None:
            known = ", ".join(p.stem for p in catalog.shipped_paths())
            self.show_problems(f"No scenario called '{name}'", [f"Shipped scenarios: {known}.",
                                                                 "Or give a path to a .yaml file."])
            return
        self.pick_scenario(CatalogEntry(path, load_scenario(path)), self.start_role, self.start_seed)

    # ------------------------------------------------------------------ moving between screens

    def pick_scenario(self, entry: CatalogEntry, role: str | None = None, seed: int | None = None) -> None:
        scenario = entry.result.scenario
        if scenario is None:
            self.show_problems(f"{entry.path.name} has errors", [p.render() for p in entry.result.problems])
            return
        if role is not None and role in scenario.roles:
            self.start_game(scenario, role, seed)
        elif len(scenario.roles) == 1:
            self.start_game(scenario, next(iter(scenario.roles)), seed)
        else:
            self.push_screen(RoleScreen(scenario))

    def start_game(self, scenario: Scenario, role: str, seed: int | None = None) -> None:
        if seed is None:  # a seed given at start-up applies to the first game only
            seed, self.start_seed = self.start_seed, None
        self.show_game(Game(scenario, role, seed))

    def show_game(self, game: Game) -> None:
        """Make `game` the one being played and show its scene (or its debrief if it is over)."""
        self.game = game
        self.autosave()
        self.record("start", game)
        while len(self.screen_stack) > 2:  # keep the title screen at the bottom
            self.pop_screen()
        screen: Screen[None] = (DebriefScreen(build_debrief(game.scenario, game.state)) if game.over
                                else SceneScreen(game))
        if isinstance(self.screen, TitleScreen):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    async def take_choice(self, choice_id: str, step: int) -> None:
        """Take a choice made at the game's `step`-th scene; a key typed ahead for a scene that
        is already gone (fast typing, a slow terminal) is dropped, never applied to the next."""
        game = self.game
        if game is None or step != len(game.state.choices) or game.over:
            return
        scene_id = game.state.place
        game.choose(choice_id)
        self.autosave()
        self.record("choice", game, scene_id, choice_id)
        if game.over:
            self.record("end", game)
        if game.over:
            self.switch_screen(DebriefScreen(build_debrief(game.scenario, game.state)))
        elif isinstance(self.screen, SceneScreen):
            await self.screen.show_scene()

    def action_to_title(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(self.title_screen())

    async def action_undo(self) -> None:
        game = self.game
        if game is None or not game.undo():
            self.notify("There is nothing to undo.", severity="warning")
            return
        self.autosave()
        self.record("undo", game)
        if isinstance(self.screen, SceneScreen):
            await self.screen.show_scene()
        else:
            self.switch_screen(SceneScreen(game))

    def action_play_again(self) -> None:
        if self.game is not None:
            self.start_game(self.game.scenario, self.game.role)

    def action_other_role(self) -> None:
        if self.game is None:
            return
        scenario = self.game.scenario
        others = [role for role in scenario.roles if role != self.game.role]
        if not others:
            self.notify("This scenario has only one role.", severity="warning")
        elif len(others) == 1:
            self.start_game(scenario, others[0])
        else:
            self.push_screen(RoleScreen(scenario))

    # ------------------------------------------------------------------ dialogs

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        sections = [("Everywhere", self.BINDINGS), ("Title", TitleScreen.BINDINGS),
                    ("Scene", SceneScreen.BINDINGS), ("Choices", [Binding("1-9", "", "Pick an open choice"),
                                                                  Binding("up,down", "", "Move"),
                                                                  Binding("home,end", "", "First, last"),
                                                                  Binding("enter", "", "Choose")]),
                    ("Debrief", DebriefScreen.BINDINGS), ("Command palette", [Binding("ctrl+p", "", "All commands, themes")])]
        self.push_screen(HelpScreen(sections))

    def action_glossary(self, term: str = "") -> None:
        if isinstance(self.screen, GlossaryScreen):
            return
        glossary = self.game.scenario.glossary if self.game else self._all_glossaries()
        self.push_screen(GlossaryScreen(glossary, term))

    def _all_glossaries(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for entry in catalog.shipped():
            if entry.result.scenario is not None:
                merged.update(entry.result.scenario.glossary)
        return merged

    def show_problems(self, title: str, lines: list[str]) -> None:
        self.push_screen(ProblemsScreen(title, lines))

    # ------------------------------------------------------------------ the class's results

    def results_recorder(self) -> GameRecorder | None:
        """The recorder of this session's games, opened on first use; None when it cannot be.

        Every game is recorded (for `longarm report`), in the store `longarm serve --results`
        names, else the default one in the data folder; an author's live preview is not.
        """
        if self.watch is not None or self._recorder is False:
            return None
        if self._recorder is None:
            try:
                self._recorder = GameRecorder(ResultsStore(), self.player, self.class_code)
            except (StoreError, OSError) as error:
                self._recorder = False
                self.notify(f"Games will not be recorded for the teacher's report: {error}",
                            severity="warning", timeout=8)
                return None
        return self._recorder

    def record(self, action: str, game: Game, *args: object) -> None:
        """Pass one event of the game to the recorder; a failed write is shown once, play goes on."""
        recorder = self.results_recorder()
        if recorder is None:
            return
        warning = getattr(recorder, action)(game, *args)
        if warning is not None and not self._record_warned:
            self._record_warned = True
            self.notify(str(warning), severity="warning", timeout=8)

    def record_answer(self, question_index: int, text: str) -> None:
        if self.game is not None and self.game.over:
            self.record("answer", self.game, question_index, text)

    # ------------------------------------------------------------------ saves

    @staticmethod
    def autosave_path() -> Path:
        return saves_dir() / f"{AUTOSAVE_NAME}.json"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_game", "load_game"):
            return self.saving  # hidden from the key bar in a class game
        return True

    def autosave(self) -> None:
        if self.game is None or not self.saving:
            return
        try:
            write_save(save_of(self.game), self.autosave_path())
        except OSError as error:
            self.notify(f"Could not autosave: {error.strerror or error}", severity="warning")

    def continue_game(self) -> None:
        self.resume_from(self.autosave_path())

    def resume_from(self, path: Path) -> None:
        """Load a save and replay it; any problem is shown, and the current screen stays."""
        try:
            save = read_save(path)
            found = catalog.resolve(save.scenario)
            if found is None:
                raise SaveError(f"the scenario '{save.scenario}' of this save is not installed")
            result = load_scenario(found)
            if result.scenario is None:
                self.show_problems(f"{found.name} has errors", [p.render() for p in result.problems])
                return
            replayed = replay(result.scenario, save)
        except SaveError as error:
            self.show_problems("This save cannot be loaded", [str(error)])
            return
        if replayed.message:
            self.notify(replayed.message, severity="warning", timeout=8)
        self.show_game(replayed.game)

    def action_save_game(self) -> None:
        if self.game is None or not self.saving:
            return

        def save_as(name: str | None) -> None:
            if not name or self.game is None:
                return
            try:
                target = write_save(save_of(self.game), save_path(name))
            except SaveError as error:
                self.notify(str(error), severity="error")
            except OSError as error:
                self.notify(f"Could not save: {error.strerror or error}", severity="error")
            else:
                self.notify(f"Saved as '{target.stem}'.")

        self.push_screen(SaveNameScreen(), save_as)

    def action_load_game(self) -> None:
        if not self.saving:
            return
        folder = saves_dir()
        saves = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []

        def load(path: Path | None) -> None:
            if path is not None:
                self.resume_from(path)

        self.push_screen(LoadScreen(saves), load)

    # ------------------------------------------------------------------ export

    def action_export_debrief(self) -> None:
        game = self.game
        if game is None or not game.over:
            return
        markdown = debrief_markdown(build_debrief(game.scenario, game.state))
        filename = f"longarm-{game.scenario.id}-{game.state.place}.md"
        folder = export_directory()
        try:
            folder.mkdir(parents=True, exist_ok=True)  # a fresh account may have no Downloads yet
        except OSError:
            pass  # delivery then fails and says so
        self.deliver_text(io.StringIO(markdown), save_directory=folder, save_filename=filename,
                          mime_type="text/markdown", name="debrief")

    @on(events.DeliveryComplete)
    def _debrief_delivered(self, event: events.DeliveryComplete) -> None:
        if event.name == "debrief":
            self.notify(f"Debrief saved to {event.path}" if event.path else "Debrief downloaded.")

    @on(events.DeliveryFailed)
    def _debrief_not_delivered(self, event: events.DeliveryFailed) -> None:
        if event.name == "debrief":
            self.notify(f"Could not export the debrief: {event.exception}", severity="error")

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        yield from super().get_system_commands(screen)
        yield SystemCommand("Glossary", "Look up a term of the story", self.action_glossary)
        yield SystemCommand("Help: keys", "Every key binding", self.action_help)
        yield SystemCommand("Title screen", "Back to the list of scenarios", self.action_to_title)
        if self.saving:
            yield SystemCommand("Load a saved game", "Pick a named save or the autosave", self.action_load_game)
        if self.game is not None:
            yield SystemCommand("Undo", "Take back the last choice", self.action_undo)
            if self.saving:
                yield SystemCommand("Save the game", "Save under a name", self.action_save_game)
            if self.game.over:
                yield SystemCommand("Export the debrief", "Save it as a Markdown file", self.action_export_debrief)
                yield SystemCommand("Play again", "Same scenario and role, new chances", self.action_play_again)


def run_app(scenario: str | None = None, role: str | None = None, seed: int | None = None,
            watch: Path | None = None) -> int:
    LongArmApp(scenario, role, seed, watch).run()
    return 0
