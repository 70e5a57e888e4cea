"""The Long Arm Textual app: screens, the play session in progress, saves, and the game's commands.

The app holds the one `PlaySession` being played and moves between screens: title, role, scene,
debrief. Screens ask the app to act (start, choose, undo, save), and the app asks the session,
whose observers (the autosave and the class recording, assembled by the command line) do the
rest; their notices are shown as toasts. A broken scenario or save shows its problems in a
dialog, never a traceback.

Started on a scenario and a role (`longarm play arrival-hall --role journalist`), the app opens
the scene at once: the title screen, with every shipped scenario loaded, is made only when the
player goes back to it. Screens other than the scene are imported when first shown, so the first
scene is drawn sooner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen

from game.engine.loader import catalog
from game.engine.loader.catalog import CatalogEntry
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, SaveError, read_save, save_path, saves_dir, write_save
from game.session.autosave import autosave_path
from game.session.events import Notice, SessionObserver
from game.session.play import PlaySession
from game.tui import textual_private
from game.tui.background import BackgroundObservers
from game.tui.keys import keys_label
from game.tui.screens.scene import SceneScreen
from game.tui.settings import Settings, load_settings, save_settings
from game.tui.watch import FileWatch

if TYPE_CHECKING:
    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.title import TitleScreen

textual_private.apply_styles_cache_fix()

#: What the palette's own "Keys" command did is our Help: one entry for it, not two.
PALETTE_COMMANDS_REPLACED = {"Keys"}


class LongArmApp(App[None]):
    """The game. `scenario` optionally names a scenario (and `role` and `seed`) to begin with."""

    class ObserversSaid(Message):
        """Notices from the session's observers, which run on a thread of their own."""

        def __init__(self, notices: tuple[Notice, ...]) -> None:
            super().__init__()
            self.notices = notices

    TITLE = "Long Arm"
    CSS_PATH = "app.tcss"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help"),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(self, scenario: str | None = None, role: str | None = None, seed: int | None = None,
                 watch: Path | None = None, observers: Sequence[SessionObserver] = (), *,
                 found: Scenario | None = None, check: bool = False) -> None:
        """The app, optionally starting on a scenario.

        Args:
            scenario: a scenario id or path to open at once.
            role, seed: for that first game.
            watch: live preview of this file (`--watch`): reload it whenever it is saved.
            observers: every play session's observers (the autosave, the class recording); they
                run on a thread of their own (`BackgroundObservers`), never delaying the screen.
            found: the scenario `scenario` names, already loaded (by the command line).
            check: new games take the scenario's knowledge check (`longarm play --check`).
        """
        super().__init__()
        self.file_watch = FileWatch(watch) if watch is not None else None
        if watch is not None:
            scenario = str(watch)
        self.start_scenario = scenario
        self.start_found = found
        self.start_role = role
        self.start_seed = seed
        self.check = check
        self.session: PlaySession | None = None
        self.background = BackgroundObservers(observers, self._observers_report)
        self.background.pause()  # resumed once the first screen is drawn
        self.observers: tuple[SessionObserver, ...] = (self.background,)
        self.settings = load_settings()
        self._told: set[str] = set()  # notice sources already shown once (a busy store would repeat)

    # ------------------------------------------------------------------ start-up

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        found, role = self.start_found, self.start_role
        if found is not None and role is not None and role in found.roles:
            self.start_game(found, role)  # straight to the scene; the title is made when needed
        else:
            self.push_screen(self.title_screen())
            if self.start_scenario:
                self.open_named_scenario(self.start_scenario)
        if self.file_watch is not None:
            self.set_interval(0.5, self.check_watched_file)
            self.bind("f2", "debug_panel", description="Debug", show=False)  # the state, and a jump to any scene
        self.call_after_refresh(self.background.resume)

    def on_unmount(self) -> None:
        self.background.close()  # every autosave and record written before the program ends

    def _observers_report(self, notices: tuple[Notice, ...]) -> None:
        self.post_message(self.ObserversSaid(notices))  # from the observers' thread: post_message is thread-safe

    @on(ObserversSaid)
    def _observers_said(self, message: ObserversSaid) -> None:
        self.tell(message.notices)

    def get_key_display(self, binding: Binding) -> str:
        """Keys as players read them, in the key bar: "Esc", "Ctrl+P", "?"."""
        return binding.key_display or keys_label(binding.key)

    # ------------------------------------------------------------------ live preview (--watch)

    def check_watched_file(self) -> None:
        if self.file_watch is not None and self.file_watch.changed():
            self.reload_watched_file()

    def reload_watched_file(self) -> None:
        """Load the watched file again and replay the current game on it, or show its problems."""
        from game.tui.screens.problems import ProblemsScreen

        assert self.file_watch is not None
        path = self.file_watch.path
        result = load_scenario(path)
        while isinstance(self.screen, ProblemsScreen):  # the last version's problems are old news
            self.pop_screen()
        if result.scenario is None:
            self.show_problems(f"{path.name} has errors: fix them and save again",
                               [p.render() for p in result.problems])
            return
        self.file_watch.follow(result.scenario.includes)  # an edit to a shared file reloads too
        session = self.session
        if session is None or session.scenario.id != result.scenario.id:
            self.pick_scenario(CatalogEntry(path, result), self.start_role)
            self.notify(f"Reloaded {path.name}.")
            return
        try:
            replayed, message = PlaySession.from_save(result.scenario, session.save_data(), self.observers)
        except SaveError as error:
            self.show_problems("The game cannot continue in the edited scenario", [str(error)])
            return
        self.show_session(replayed, resumed=True)
        count = f"{replayed.step} choice{'' if replayed.step == 1 else 's'}"
        self.notify(message or f"Reloaded {path.name}: replayed your {count}.",
                    severity="warning" if message else "information")

    def action_debug_panel(self) -> None:
        """The live preview's debug panel: the whole state, and a jump to any scene."""
        from game.engine.search.jump import jump_to  # the live preview only: not on the way to a first scene
        from game.tui.widgets.debug_panel import DebugPanel

        session = self.session
        if self.file_watch is None or session is None or isinstance(self.screen, DebugPanel):
            return

        def jump(place: str | None) -> None:
            if place is None or self.session is None:
                return
            found = jump_to(self.session.scenario, self.session.role, place)
            if isinstance(found, str):
                self.notify(f"Cannot jump: {found}.", severity="warning")
                return
            save = SaveData(self.session.scenario.id, found.role, found.seed, found.choices)
            replayed, _ = PlaySession.from_save(self.session.scenario, save, self.observers)
            self.show_session(replayed, resumed=True)
            self.notify(f"Jumped to {place} in {len(found.choices)} choices (seed {found.seed}).")

        self.push_screen(DebugPanel(session.scenario, session.state), jump)

    def title_screen(self) -> TitleScreen:
        from game.tui.saved import describe
        from game.tui.screens.title import TitleScreen

        entries = catalog.shipped()
        self.background.wait()  # the autosave as the last event left it
        autosave = autosave_path()
        last_game = describe(autosave, self._find_scenario(entries)).description if autosave.exists() else None
        return TitleScreen(entries, last_game)

    @staticmethod
    def _find_scenario(entries: list[CatalogEntry] | None = None) -> Callable[[str], Scenario | None]:
        """Find a scenario by id: among `entries` first (already loaded), else by the one lookup."""
        loaded = {entry.result.scenario.id: entry.result.scenario for entry in entries or ()
                  if entry.result.scenario is not None}

        def find(scenario_id: str) -> Scenario | None:
            if scenario_id in loaded:
                return loaded[scenario_id]
            match catalog.find(scenario_id):
                case catalog.Found(scenario=scenario):
                    return scenario
            return None

        return find

    def _remember_theme(self, theme: object) -> None:
        save_settings(Settings(theme=self.theme))

    def open_named_scenario(self, name: str) -> None:
        match catalog.find(name):
            case catalog.NotFound() as missing:
                self.show_problems(f"No scenario called '{name}'", [missing.message])
            case catalog.Broken(path=path, problems=problems):
                self.show_problems(f"{path.name} has errors", [p.render() for p in problems])
            case catalog.Found(path=path, scenario=scenario):
                if self.file_watch is not None:
                    self.file_watch.follow(scenario.includes)
                self.pick_scenario(CatalogEntry(path, load_scenario(path)), self.start_role, self.start_seed)

    # ------------------------------------------------------------------ moving between screens

    def pick_scenario(self, entry: CatalogEntry, role: str | None = None, seed: int | None = None) -> None:
        from game.tui.screens.role import RoleScreen

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
        self.show_session(PlaySession.new(scenario, role, seed, self.observers, check=self.check))

    def show_session(self, session: PlaySession, resumed: bool = False) -> None:
        """Make `session` the one being played and show its scene (or its debrief if it is over)."""
        from game.tui.screens.title import TitleScreen

        self.session = session
        self.tell(session.begin(resumed))
        while len(self.screen_stack) > 2:  # keep the title screen (or the first scene) at the bottom
            self.pop_screen()
        screen: Screen[None] = self.debrief_screen(session) if session.over else SceneScreen(session)
        if session.check_due() == "before":
            screen = self.check_screen(session)
        if len(self.screen_stack) < 2 or isinstance(self.screen, TitleScreen):
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    @staticmethod
    def debrief_screen(session: PlaySession) -> DebriefScreen:
        from game.tui.screens.debrief import DebriefScreen

        check: Literal["due", "done"] | None = None
        if session.check_due() == "after":
            check = "due"
        elif session.check_complete("after"):
            check = "done"
        return DebriefScreen(session.debrief(), session.answers, check)

    # ------------------------------------------------------------------ the knowledge check

    def check_screen(self, session: PlaySession) -> Screen[None]:
        """The check before play; answered, it gives way to the first scene (Esc: the title)."""
        from game.tui.screens.check import CheckScreen

        def play() -> None:
            self.switch_screen(SceneScreen(session))

        return CheckScreen(session, "before", play, self.action_to_title)

    def action_check(self) -> None:
        """At the debrief: the check again when it is due, then what changed; or what changed."""
        from game.tui.screens.check import ChangeScreen, CheckScreen

        session = self.session
        if session is None or not session.over:
            return
        if session.check_due() == "after":
            debrief = self.screen

            def done() -> None:
                self.pop_screen()
                show_check = getattr(debrief, "show_check", None)
                if show_check is not None:
                    show_check("done")
                self.push_screen(ChangeScreen(session))

            def later() -> None:
                self.pop_screen()

            self.push_screen(CheckScreen(session, "after", done, later))
        elif session.check_complete("after"):
            self.push_screen(ChangeScreen(session))

    def tell(self, notices: Sequence[Notice]) -> None:
        """Show the session observers' notices; the results store's only once (it would repeat)."""
        for notice in notices:
            if notice.source == "results":
                if notice.source in self._told:
                    continue
                self._told.add(notice.source)
            self.notify(str(notice), severity="warning", timeout=8)

    async def take_choice(self, choice_id: str, step: int) -> None:
        """Take a choice made at the game's `step`-th scene; a key typed ahead for a scene that
        is already gone (fast typing, a slow terminal) is dropped, never applied to the next."""
        session = self.session
        if session is None:
            return
        self.background.pause()  # the autosave and the record wait until the next screen is drawn
        self.call_after_refresh(self.background.resume)
        turn = session.choose(choice_id, at_step=step)
        if not turn.taken:
            return
        self.tell(turn.notices)
        if turn.ended:
            self.switch_screen(self.debrief_screen(session))
        elif isinstance(self.screen, SceneScreen):
            await self.screen.show_scene()

    def action_to_title(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(self.title_screen())

    async def action_undo(self) -> None:
        session = self.session
        undone, notices = session.undo() if session is not None else (False, ())
        if session is None or not undone:
            self.notify("There is nothing to undo.", severity="warning")
            return
        self.tell(notices)
        if isinstance(self.screen, SceneScreen):
            await self.screen.show_scene()
        else:
            self.switch_screen(SceneScreen(session))

    def action_play_again(self) -> None:
        if self.session is not None:
            self.start_game(self.session.scenario, self.session.role)

    def action_other_role(self) -> None:
        from game.tui.screens.role import RoleScreen

        if self.session is None:
            return
        scenario = self.session.scenario
        others = [role for role in scenario.roles if role != self.session.role]
        if not others:
            self.notify("This scenario has only one role.", severity="warning")
        elif len(others) == 1:
            self.start_game(scenario, others[0])
        else:
            self.push_screen(RoleScreen(scenario))

    # ------------------------------------------------------------------ dialogs

    def action_help(self) -> None:
        from game.tui.screens.debrief import DebriefScreen
        from game.tui.screens.help import HelpScreen
        from game.tui.screens.title import TitleScreen

        if isinstance(self.screen, HelpScreen):
            return

        def keys(bindings: Iterable[object]) -> list[Binding]:
            return [binding for binding in bindings if isinstance(binding, Binding)]

        sections = [("Everywhere", keys(self.BINDINGS)), ("Title", keys(TitleScreen.BINDINGS)),
                    ("Scene", keys(SceneScreen.BINDINGS)), ("Choices", [Binding("1-9", "", "Pick an open choice",
                                                                              key_display="1-9"),
                                                                      Binding("up,down", "", "Move"),
                                                                      Binding("home,end", "", "First, last"),
                                                                      Binding("enter", "", "Choose")]),
                    ("Debrief", keys(DebriefScreen.BINDINGS)),
                    ("The knowledge check (longarm play --check)", [
                        Binding("1-5", "", "Answer", key_display="1-5"), Binding("up,down", "", "Move"),
                        Binding("enter", "", "Answer"), Binding("escape", "", "Later")]),
                    ("Command palette", [Binding("ctrl+p", "", "All commands, themes")])]
        self.push_screen(HelpScreen(sections))

    def action_glossary(self, term: str = "") -> None:
        from game.tui.screens.glossary import GlossaryScreen

        if isinstance(self.screen, GlossaryScreen):
            return
        glossary = self.session.scenario.glossary if self.session else self._all_glossaries()
        self.push_screen(GlossaryScreen(glossary, term))

    def _all_glossaries(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for entry in catalog.shipped():
            if entry.result.scenario is not None:
                merged.update(entry.result.scenario.glossary)
        return merged

    def show_problems(self, title: str, lines: list[str]) -> None:
        from game.tui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(title, lines))

    # ------------------------------------------------------------------ answers and saves

    def record_answer(self, question_index: int, text: str) -> None:
        if self.session is not None and self.session.over:
            self.tell(self.session.answer(question_index, text))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo" and (isinstance(self.screen, ModalScreen) or getattr(self.screen, "HOLDS_THE_GAME", False)):
            return False  # Ctrl+Z in a dialog (an answer being written) or the check never changes the game under it
        if action == "save_game":
            return self.session is not None and not self.session.over  # nothing to save on a debrief
        return True

    def continue_game(self) -> None:
        self.resume_from(autosave_path())

    def resume_from(self, path: Path) -> None:
        """Load a save and replay it; any problem is shown, and the current screen stays."""
        self.background.wait()  # the file as the last event left it
        try:
            save = read_save(path)
            match catalog.find(save.scenario):
                case catalog.NotFound():
                    raise SaveError(f"the scenario '{save.scenario}' of this save is not installed")
                case catalog.Broken(path=broken, problems=problems):
                    self.show_problems(f"{broken.name} has errors", [p.render() for p in problems])
                    return
                case catalog.Found(scenario=scenario):
                    session, message = PlaySession.from_save(scenario, save, self.observers)
        except SaveError as error:
            self.show_problems("This save cannot be loaded", [str(error)])
            return
        if message:
            self.notify(message, severity="warning", timeout=8)
        self.show_session(session, resumed=True)

    def save_as(self, name: str) -> str | None:
        """Save the game under `name`: None when saved, else why not (the name, the disk)."""
        if self.session is None:
            return "There is no game to save."
        try:
            target = write_save(self.session.save_data(), save_path(name))
        except SaveError as error:
            return str(error).capitalize() + "."
        except OSError as error:
            return f"Could not save: {error.strerror or error}."
        self.notify(f"Saved as '{target.stem}'.", timeout=4)
        return None

    def action_save_game(self) -> None:
        from game.tui.screens.saves import SaveNameScreen

        if self.session is not None and not self.session.over:
            self.push_screen(SaveNameScreen(self.save_as))

    def action_load_game(self) -> None:
        from game.tui.saved import describe
        from game.tui.screens.saves import LoadScreen

        self.background.wait()
        folder = saves_dir()
        paths = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.is_dir() else []
        find = self._find_scenario()

        def load(path: Path | None) -> None:
            if path is not None:
                self.resume_from(path)

        self.push_screen(LoadScreen([describe(path, find) for path in paths]), load)

    # ------------------------------------------------------------------ export

    def action_export_debrief(self) -> None:
        """Write the debrief, with the answers, as Markdown: a new file each time, never over one."""
        from game.tui.export import export_directory, export_markdown, write_new_file

        session = self.session
        if session is None or not session.over:
            return
        text = export_markdown(session.debrief(), session.answers)
        try:
            path = write_new_file(export_directory(), f"longarm-{session.scenario.id}-{session.state.place}", text)
        except OSError as error:
            self.notify(f"Could not export the debrief: {error.strerror or error}", severity="error")
            return
        self.notify(f"Debrief saved to {path}", timeout=6)

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        for command in super().get_system_commands(screen):
            if command.title not in PALETTE_COMMANDS_REPLACED:
                yield command
        yield SystemCommand("Glossary", "Look up a term of the story", self.action_glossary)
        yield SystemCommand("Help", "Every key, screen by screen", self.action_help)
        yield SystemCommand("Title screen", "Back to the list of scenarios", self.action_to_title)
        yield SystemCommand("Load a saved game", "Pick a named save or the autosave", self.action_load_game)
        if self.session is not None and self.file_watch is not None:
            yield SystemCommand("Debug panel", "The hidden state; jump to any scene (F2)", self.action_debug_panel)
        if self.session is not None:
            yield SystemCommand("Undo", "Take back the last choice", self.action_undo)
            if not self.session.over:
                yield SystemCommand("Save the game", "Save under a name", self.action_save_game)
            if self.session.over:
                yield SystemCommand("Export the debrief", "Save it, with your answers, as a Markdown file",
                                    self.action_export_debrief)
                yield SystemCommand("Play again", "Same scenario and role, new chances", self.action_play_again)


def run_app(scenario: str | None = None, role: str | None = None, seed: int | None = None,
            watch: Path | None = None, observers: Sequence[SessionObserver] = (),
            found: Scenario | None = None, check: bool = False) -> int:
    LongArmApp(scenario, role, seed, watch, observers, found=found, check=check).run()
    return 0
