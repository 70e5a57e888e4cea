"""The Textual app driven by keys through Textual's Pilot: every screen, and whole games."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from shared import BASE_SCENARIO
from game.engine.runtime.saves import read_save, saves_dir
from game.cli import app_observers
from game.tui.app import LongArmApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.glossary import GlossaryScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.problems import ProblemsScreen
from game.tui.screens.role import RoleScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from game.tui.settings import load_settings
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.debrief_text import DebriefText
from game.tui.widgets.prose import SceneText
from game.tui.widgets.sidebar import Sidebar

pytestmark = pytest.mark.usefixtures("scenarios_dir")


def prompts(option_list: OptionList) -> list[str]:
    return [str(option.prompt) for option in option_list.options]


def static_text(app: LongArmApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def debrief_text(app: LongArmApp) -> str:
    return app.screen.query_one("#debrief-text", DebriefText).content.plain


def scene_title(app: LongArmApp) -> str:
    """The title line as drawn: the scene text widget starts with a blank line, then the title."""
    return static_text(app, "#scene-text").splitlines()[1]


async def start_scene(pilot, role_key: str = "enter") -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")  # the scenario
    await pilot.pause()
    await pilot.press(*(["down"] if role_key == "activist" else []), "enter")  # the role
    await pilot.pause()


async def to_the_debrief(pilot) -> None:  # type: ignore[no-untyped-def]
    """From the title: the scenario, the first role, then "Stay home", an ending."""
    await start_scene(pilot)
    await pilot.press("2")
    await pilot.pause()


async def test_title_screen_lists_scenarios_and_offers_no_continue_at_first() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        [entry] = prompts(app.screen.query_one("#scenarios", OptionList))
        assert "Test story" in entry and "5 min" in entry and "Freelance journalist, Activist" in entry
        assert "Content note" in static_text(app, "#content-note")
        await pilot.press("c")  # no autosave: nothing happens
        assert isinstance(app.screen, TitleScreen)


async def test_role_screen_shows_each_role_and_escape_goes_back() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RoleScreen)
        roles = prompts(app.screen.query_one("#roles", OptionList))
        assert roles == ["Freelance journalist\nYou write for a regional news site.", "Activist\nYou meet the delegation."]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_scene_shows_title_basis_text_choices_and_sidebar() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        assert isinstance(app.screen, SceneScreen)
        assert scene_title(app) == "The newsroom"
        assert "composite" in static_text(app, "#scene-text").splitlines()[2]  # the basis line
        markdown = app.screen.query_one("#scene-text", SceneText)
        assert "[CNRP](glossary:CNRP)" in markdown.source and "Safety is 4" in markdown.source
        assert app.screen.query_one(ChoiceList).prompts() == ["1. Fly to Kuala Lumpur", "2. Stay home"]
        stats = static_text(app, "#panel")
        assert "Safety 4/5" in stats and "Suspicion" not in stats  # hidden stats stay hidden
        assert "Mu Sochua was held" in static_text(app, "#panel")


async def test_number_keys_choose_and_locked_choices_are_dimmed_with_reason() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")  # fly: story += 1, footage
        await pilot.pause()
        assert scene_title(app) == "The arrival hall"
        panel = static_text(app, "#panel")
        assert "You filmed the detention" in panel
        assert "Journal (2, newest first)" in panel  # the fact just found comes first, in view
        assert panel.index("92 suspected activists") < panel.index("Mu Sochua was held")
        await pilot.press("2")  # back to the newsroom, where `fly` is now locked
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        assert choices.prompts() == ["   Fly to Kuala Lumpur  (locked: Your editor will not pay)", "1. Stay home"]
        assert not choices.choices[0].is_open and choices.choices[1].is_open
        await pilot.press("9")  # no such choice: nothing happens
        await pilot.pause()
        assert scene_title(app) == "The newsroom"


async def test_arrows_and_enter_choose_too() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_undo_goes_back_a_choice_even_from_the_debrief() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert scene_title(app) == "The newsroom"
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and scene_title(app) == "The newsroom"


async def test_full_game_by_keys_to_the_debrief_then_play_again_and_other_role() -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1", "1")  # fly, then try the gate: a seeded random outcome
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = debrief_text(app)
        assert app.session is not None and app.session.state.place in ("refused", "quiet")
        assert "What really happened" in text and "Your path" in text
        question = app.session.debrief().questions[0]
        assert text.count(question) == 1  # the questions once, each with its answer
        assert not app.screen.query(Input)  # answers are written in a dialog: the debrief opens fast
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.session.role == "journalist"
        assert app.session.state.choices == ()
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.session.role == "activist"
        assert app.screen.query_one(ChoiceList).prompts()[1] == "2. Only for activists"


async def test_the_debrief_quotes_and_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        text = debrief_text(app)
        assert "You sleep." in text
        assert "Mu Sochua was held for most of a day" in text  # found in play, so listed
        assert "\u201cdetained for most of the day by the Malaysian authorities" in text  # its quote
        assert "[1]" in text and "[1] \u201cCambodia: Stop pressuring regional neighbours" in text  # its source
        assert " 1. The newsroom: Stay home" in text  # the path: each place with the choice made there
        assert " 1. What would you have done?\n    (no answer yet)" in text


async def test_export_writes_the_debrief_with_the_answers_and_never_overwrites(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LONGARM_EXPORT_DIR", str(tmp_path / "exports"))
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        await pilot.press("a", *"I would stay", "enter")  # answer, saved; the dialog closes after the last
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("e")
        await pilot.pause()
        first = tmp_path / "exports" / "longarm-test-story-quiet.md"
        exported = first.read_text(encoding="utf-8")
        assert exported.startswith("# Test story: A quiet night")
        assert "1. What would you have done?\n\n   **Your answer:** I would stay" in exported
        await pilot.press("e")  # a second export: a new file beside the first
        await pilot.pause()
        assert (tmp_path / "exports" / "longarm-test-story-quiet-2.md").read_text(encoding="utf-8") == exported
        assert first.read_text(encoding="utf-8") == exported


async def test_glossary_opens_filters_and_closes() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert prompts(app.screen.query_one("#glossary-terms", OptionList)) == ["CNRP\nCambodia National Rescue Party."]
        await pilot.press("x", "y", "z")
        await pilot.pause()
        assert prompts(app.screen.query_one("#glossary-terms", OptionList)) == ["No term matches."]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)


async def test_glossary_link_in_scene_text_opens_the_term() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        text = app.screen.query_one("#scene-text", SceneText)
        [action] = [str(span.style).split("@click=")[1] for span in text.content.spans
                    if "@click=" in str(span.style)]
        assert action == "app.glossary('CNRP')"
        await app.run_action(action)
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        assert app.screen.query_one(Input).value == "CNRP"


async def test_help_lists_every_binding() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = static_text(app, "#help-keys")
        for words in ("Undo", "Glossary", "Journal", "Play again", "Export", "Pick an open choice", "Ctrl+P"):
            assert words in text
        # Keys as players read them, not Textual's names.
        assert "? or F1" in text and "Esc" in text and "Ctrl+Z" in text and "PgDn" in text
        for raw in ("question_mark", "escape", "ctrl+z", "f1Help"):
            assert raw not in text
        assert text.count("Undo") == 3  # everywhere (Ctrl+Z), in a scene (u), on a debrief (u): once each
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_autosave_after_every_choice_and_continue_from_the_title() -> None:
    app = LongArmApp(seed=4, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        await pilot.pause()
        app.background.wait()  # the observers write on their own thread
        assert read_save(saves_dir() / "autosave.json").choices == ("fly",)
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        entry = prompts(app.screen.query_one("#scenarios", OptionList))[0]
        assert entry.startswith("Continue")
        assert "Test story, as Freelance journalist, at \u201cThe arrival hall\u201d, just now" in entry
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and scene_title(app) == "The arrival hall"
        assert app.session is not None and app.session.seed == 4


async def test_named_save_and_load() -> None:
    from game.tui.screens.saves import SaveNameScreen

    app = LongArmApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"../escape", "enter")  # a name that is refused...
        await pilot.pause()
        assert isinstance(app.screen, SaveNameScreen)  # ...keeps the dialog, the text and says why
        assert app.screen.query_one(Input).value == "../escape"
        assert "letters, digits" in static_text(app, "#save-error")
        await pilot.press(*["backspace"] * 9, *"at the airport", "enter")
        await pilot.pause()
        assert (saves_dir() / "at the airport.json").exists()
        assert isinstance(app.screen, SceneScreen)
        await pilot.press("u")
        await pilot.pause()
        assert scene_title(app) == "The newsroom"
        await pilot.press("l")
        await pilot.pause()
        options = prompts(app.screen.query_one("#save-list", OptionList))
        [saved] = [option for option in options if option.startswith("at the airport")]
        # Which scenario, role, place and when: enough to tell saves apart.
        assert saved.endswith("Test story, as Freelance journalist, at \u201cThe arrival hall\u201d, just now")
        await pilot.press(*["down"] * options.index(saved), "enter")
        await pilot.pause()
        assert scene_title(app) == "The arrival hall"


async def test_a_damaged_autosave_shows_a_message_not_a_crash() -> None:
    saves_dir().mkdir(parents=True)
    (saves_dir() / "autosave.json").write_text("{ this is not a save")
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "damaged" in static_text(app, "#problem-lines")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_a_broken_scenario_shows_the_validator_messages(scenarios_dir: Path) -> None:
    (scenarios_dir / "broken.yaml").write_text(BASE_SCENARIO.replace("id: test-story", "id: broken")
                                               .replace("goto: airport\n        if", "goto: airprot\n        if"))
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "has errors" in prompts(app.screen.query_one("#scenarios", OptionList))[0]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        lines = static_text(app, "#problem-lines")
        assert "broken.yaml:" in lines and "error LA020: there is no scene or ending 'airprot'" in lines


async def test_a_named_scenario_that_does_not_exist() -> None:
    app = LongArmApp(scenario="no-such-story")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)


async def test_starting_with_scenario_and_role_goes_straight_to_the_scene() -> None:
    app = LongArmApp(scenario="test-story", role="activist", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.session is not None and app.session.role == "activist"


async def test_author_text_cannot_inject_markup(scenarios_dir: Path) -> None:
    hostile = (BASE_SCENARIO
               .replace("title: The newsroom", 'title: "[bold red]Loud[/] [@click=app.quit]x[/]"')
               .replace("text: Fly to Kuala Lumpur", 'text: "[link=https://evil]Fly[/link] [reverse]now"')
               .replace("Your phone lights up.", "Your phone [b]lights[/b] up. [@click=app.quit]quit[/]"))
    (scenarios_dir / "test-story.yaml").write_text(hostile)
    app = LongArmApp(scenario="test-story", role="journalist")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert scene_title(app) == "[bold red]Loud[/] [@click=app.quit]x[/]"
        assert app.screen.query_one(ChoiceList).prompts()[0] == "1. [link=https://evil]Fly[/link] [reverse]now"
        screen_text = app.export_screenshot()
        assert "[@click=app.quit]" in screen_text.replace("&#160;", " ")
        await pilot.click("#scene-text")
        await pilot.pause()
        assert app.is_running


async def test_theme_choice_persists() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
    assert load_settings().theme == "textual-light"
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"


async def test_command_palette_offers_the_game_commands() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Glossary", "Help", "Undo", "Save the game", "Load a saved game", "Title screen"):
            assert title in titles
        assert "Keys" not in titles and titles.count("Help") == 1  # one help entry, ours
        await pilot.press("2")  # an ending
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Save the game" not in titles and "Export the debrief" in titles
        assert not app.check_action("save_game", ())


@pytest.mark.parametrize("size", [(60, 20), (120, 40)])
async def test_small_and_large_terminals_stay_usable(size: tuple[int, int]) -> None:
    app = LongArmApp()
    async with app.run_test(size=size) as pilot:
        await start_scene(pilot)
        screen = app.screen
        assert isinstance(screen, SceneScreen)
        narrow = size[0] < 76
        assert screen.has_class("-narrow") is narrow
        assert screen.query_one("#scene-side").display is not narrow
        await pilot.press("j")  # the journal: full width when narrow, hidden when wide
        await pilot.pause()
        assert screen.query_one("#scene-side").display is narrow
        await pilot.press("j", "2")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_keys_typed_ahead_never_crash_or_choose_in_the_wrong_scene() -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        choices = app.screen.query_one(ChoiceList)
        choices.pick(1)  # fly, meant for the newsroom...
        choices.pick(2)  # ...and a second key typed before the scene changed: also meant for the newsroom
        await pilot.pause()
        assert app.is_running and app.session is not None
        assert app.session.state.choices == ("fly",)
        assert scene_title(app) == "The arrival hall"


async def test_the_key_bar_is_not_redrawn_on_every_choice() -> None:
    from game.tui.widgets.footer import KeyBar

    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot, "activist")
        bar = app.screen.query_one(KeyBar)
        keys_before = bar.keys
        assert [key.description for key in keys_before][:3] == ["Undo", "Glossary", "Journal"]
        assert [key.label for key in keys_before][-2:] == ["Esc", "?"]  # readable key names
        for _ in range(6):  # back and forth between two scenes, with the bindings refreshed
            await pilot.press("2")
            app.screen.refresh_bindings()  # as Textual does when focus or a highlight moves
            await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        assert bar.keys is keys_before  # the same keys: not rebuilt
        line = bar.render_line(0).text
        assert line.startswith(" u Undo  g Glossary  j Journal") and line.rstrip().endswith("\u258f Ctrl+P")


async def test_a_click_on_a_key_in_the_key_bar_presses_it() -> None:
    from game.tui.widgets.footer import KeyBar

    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        text = app.screen.query_one(KeyBar).render_line(0).text
        await pilot.click(KeyBar, offset=(text.index("Glossary"), 0))
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)




async def test_answers_and_the_whole_game_are_recorded_for_the_teacher() -> None:
    from game.classroom.store import SqliteStore
    from game.engine.paths import results_path

    app = LongArmApp(seed=0, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")  # fly
        await pilot.pause()
        await pilot.press("u", "2")  # take it back, then stay home: an ending
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("a", *"I would go", "enter")
        await pilot.pause()
    [game] = SqliteStore(results_path()).games()
    assert (game.scenario_id, game.role, game.ending_id, game.ending_tone) == ("test-story", "journalist", "quiet", "mixed")
    assert [c.choice_id for c in game.choices] == ["stay"]
    assert [(a.question_index, a.answer) for a in game.answers] == [(0, "I would go")]
    assert game.player is None and game.anonymous_id.startswith("student-")



def choice_line(choices: ChoiceList, index: int) -> int:
    """The screen line (in the list) where the choice at `index` starts."""
    return choices.line_span(choices._names[index])[0]


async def test_choices_by_cursor_keys_and_mouse_skip_locked_ones() -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.render_line(0).text.startswith("Choose:")
        assert choices.highlighted == 0 and choices.render_line(choice_line(choices, 0)).text.startswith("\u25b6 1. Fly")
        await pilot.press("end")
        assert choices.highlighted == 1
        assert choices.render_line(choice_line(choices, 1)).text.startswith("\u25b6 2. Stay")
        await pilot.press("down", "home")
        assert choices.highlighted == 0
        await pilot.press("1", "2")  # fly, then back to the newsroom, where `fly` is now locked
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 1  # the cursor starts on the first *open* choice
        await pilot.press("up", "home")
        assert choices.highlighted == 1
        await pilot.click(ChoiceList, offset=(8, choice_line(choices, 0)))  # the locked choice: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and scene_title(app) == "The newsroom"
        await pilot.click(ChoiceList, offset=(8, choice_line(choices, 1)))  # "1. Stay home", under the locked one
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_a_click_on_a_choice_that_is_not_highlighted_takes_it() -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        choices = app.screen.query_one(ChoiceList)
        await pilot.click(ChoiceList, offset=(10, choice_line(choices, 1)))  # "2. Stay home"
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)


async def test_the_choice_cursor_follows_the_theme() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        choices = app.screen.query_one(ChoiceList)
        for theme in ("textual-light", "nord"):
            app.theme = theme
            await pilot.pause()
            line = choices.render_line(choice_line(choices, 0))
            cursor = next(segment for segment in line if segment.text.startswith("Fly"))
            expected = choices.get_visual_style("choice-list--cursor")
            assert cursor.style is not None and cursor.style.bgcolor is not None and cursor.style.color is not None
            assert cursor.style.bgcolor.triplet == expected.background.rich_color.triplet, theme
            # The cursor's own text colour, chosen to contrast with its background; once it was
            # the links' colour, dark on dark blue in the light theme.
            assert cursor.style.color.triplet == (expected.background + expected.foreground).rich_color.triplet, theme


async def test_the_side_panel_scrolls_without_a_bar() -> None:
    app = LongArmApp()
    async with app.run_test(size=(80, 14)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")  # two facts now: more than the panel's height
        await pilot.pause()
        side = app.screen.query_one(Sidebar)
        assert side.max_scroll_y > 0 and side.scroll_y == 0
        assert side.scrollbar_size_vertical == 0  # no bar column: the panel's text has the width
        side.focus()
        await pilot.press("end")
        for _ in range(40):  # Textual scrolls after the next refresh: give a loaded machine time
            if side.scroll_y == side.max_scroll_y:
                break
            await pilot.pause(0.05)
        assert side.scroll_y == side.max_scroll_y


async def test_a_choice_lays_the_screen_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        layouts: list[object] = []
        original = SceneScreen._refresh_layout

        def counted(screen: SceneScreen, *args: object, **kwargs: object) -> None:
            layouts.append(screen)
            original(screen, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(SceneScreen, "_refresh_layout", counted)
        await pilot.press("1")  # the newsroom to the arrival hall: new text, stats, a fact
        await pilot.pause()
        assert scene_title(app) == "The arrival hall"
        assert len(layouts) == 1  # a second pass (Textual's default) re-renders the screen again


async def test_the_key_bar_shows_keys_on_a_new_screen_after_the_app_was_blurred() -> None:
    """Issue 12: the key bar skipped its redraw while the app was blurred (a browser tab in the
    background, an author in their editor during --watch), then never showed the new keys."""
    from textual import events

    from game.tui.widgets.footer import KeyBar

    def keys() -> list[str]:
        return [key.description for key in app.screen.query_one(KeyBar).keys]

    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(keys()) > 0
        app.post_message(events.AppBlur())
        await pilot.pause()
        assert not app.app_focus
        # New screens while blurred, with no key pressed (a key press refocuses the app): as when
        # --watch reloads the file the author just saved in their editor.
        app.open_named_scenario("test-story")
        await pilot.pause()
        assert isinstance(app.screen, RoleScreen)
        assert app.session is None
        scenario = app.screen.scenario
        app.start_game(scenario, "journalist")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and not app.app_focus
        app.post_message(events.AppFocus())
        for _ in range(20):
            await pilot.pause()
            if len(keys()) >= 6:
                break
        assert {"Undo", "Glossary", "Journal", "Save", "Load", "Title"} <= set(keys()), keys()
        assert "Glossary" in app.screen.query_one(KeyBar).render_line(0).text  # and drawn


async def answer_then(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """At a debrief: open the answers, type one, then press `keys`."""
    await pilot.press("a", *"Because", *keys)
    await pilot.pause()


@pytest.mark.parametrize("leave", [["escape", "escape"], ["enter", "t"], ["enter", "p"]])
async def test_an_answer_is_saved_whichever_way_the_student_leaves(leave: list[str]) -> None:
    from game.tui.screens.answer import AnswerScreen

    app = LongArmApp(seed=0, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen)
        await pilot.press(*"Because", *leave)
        await pilot.pause()
        assert not isinstance(app.screen, (DebriefScreen, AnswerScreen))
        app.background.wait()
        assert read_save(saves_dir() / "autosave.json").answers == (() if leave[-1] == "p" else ((0, "Because"),))


async def test_quitting_with_the_answer_dialog_open_keeps_what_was_typed() -> None:
    app = LongArmApp(seed=0, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        await pilot.press("a", *"Half an answer")
        await pilot.pause()
        await pilot.press("ctrl+z")  # no undo under a dialog: the game does not change beneath it
        await pilot.pause()
        assert app.session is not None and app.session.over
    assert read_save(saves_dir() / "autosave.json").answers == ((0, "Half an answer"),)


async def test_escape_in_the_answer_dialog_saves_and_stays_on_the_debrief() -> None:
    app = LongArmApp(seed=0, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        await answer_then(pilot, "escape")
        assert isinstance(app.screen, DebriefScreen)
        assert app.session is not None and app.session.answers == {0: "Because"}
        assert "Your answer: Because" in debrief_text(app)  # under its question
        app.background.wait()
        assert read_save(saves_dir() / "autosave.json").answers == ((0, "Because"),)


async def test_enter_saves_an_answer_and_goes_to_the_next_question_never_past_one(scenarios_dir: Path) -> None:
    """Enter once moved on to the next box, so Enter then Tab skipped a question."""
    from game.tui.screens.answer import AnswerScreen

    (scenarios_dir / "test-story.yaml").write_text(
        (scenarios_dir / "test-story.yaml").read_text().replace(
            "questions: [What would you have done?]", "questions: [What would you have done?, Who decides?]"))
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        await answer_then(pilot, "enter", "tab")  # Tab does not move on: it cannot skip a question
        screen = app.screen
        assert isinstance(screen, AnswerScreen) and screen.index == 1
        await pilot.press(*"Nobody", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)  # closed after the last question
        assert app.session is not None and app.session.answers == {0: "Because", 1: "Nobody"}
        await pilot.press("a")  # every question answered: it opens at the first, with its answer
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and app.screen.box.value == "Because"


async def test_a_click_on_a_question_opens_it() -> None:
    from game.tui.screens.answer import AnswerScreen

    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        await app.screen.run_action("answer(0)")  # what the question's click runs
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and app.screen.index == 0


async def test_answers_come_back_when_the_game_is_continued() -> None:
    """End to end: play, answer, Esc to the title, Continue: the answer is there."""
    from game.tui.screens.answer import AnswerScreen

    app = LongArmApp(seed=0, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_debrief(pilot)
        await answer_then(pilot, "escape", "escape")
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "Your answer: Because" in debrief_text(app)
    app = LongArmApp(observers=app_observers(None, None, None))  # and after a restart
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "Your answer: Because" in debrief_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnswerScreen) and app.screen.box.value == "Because"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_toast_never_covers_the_choices_or_the_title(size: tuple[int, int]) -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=size, notifications=True) as pilot:
        await start_scene(pilot)
        app.notify("Saved as 'a name long enough to wrap over two lines or more'.")
        for _ in range(40):
            await pilot.pause()
            if app.screen.query("Toast") and app.screen.query_one("Toast").region:
                break
        [toast] = app.screen.query("Toast")  # by CSS type: Textual's Toast class is private
        pane = app.screen.query_one("#choice-pane")
        text = app.screen.query_one("#scene-text", SceneText)
        assert not toast.region.overlaps(pane.region)
        assert toast.region.y > text.region.y + 1  # below the title line


async def test_the_observers_run_off_the_screen_s_thread_and_their_notices_come_back(tmp_path: Path) -> None:
    """A write that fails is said on screen, though the observers run on a thread of their own."""
    import threading

    from game.session.events import Notice, SessionEvent

    threads: list[str] = []

    class Failing:
        def on_event(self, event: SessionEvent) -> Notice | None:
            threads.append(threading.current_thread().name)
            return Notice("autosave", "Could not autosave: disk full")

    app = LongArmApp(seed=0, observers=[Failing()])
    told: list[str] = []
    app.tell = lambda notices: told.extend(str(n) for n in notices)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        app.background.wait()
        for _ in range(40):
            await pilot.pause()
            if len(told) >= 2:
                break
        assert told[:2] == ["Could not autosave: disk full"] * 2  # the start, and the choice
        assert threads and threading.main_thread().name not in threads


async def test_a_results_store_that_cannot_open_is_said_on_screen_once(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the store's folder should be")
    app = LongArmApp(seed=0, observers=app_observers(blocked / "results.sqlite", None, None))
    told: list[str] = []
    app.notify = lambda message, **_: told.append(str(message))  # type: ignore[method-assign,assignment]
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        app.background.wait()
        for _ in range(40):
            await pilot.pause()
            if told:
                break
        assert len(told) == 1 and "teacher's report" in told[0] and "not-a-folder" in told[0]
        assert isinstance(app.screen, SceneScreen) and scene_title(app) == "The arrival hall"  # play goes on
