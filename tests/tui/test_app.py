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
from game.tui.widgets.prose import Prose, SceneText
from game.tui.widgets.sidebar import Sidebar

pytestmark = pytest.mark.usefixtures("scenarios_dir")


def prompts(option_list: OptionList) -> list[str]:
    return [str(option.prompt) for option in option_list.options]


def static_text(app: LongArmApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def scene_title(app: LongArmApp) -> str:
    """The title line as drawn: the scene text widget starts with a blank line, then the title."""
    return static_text(app, "#scene-text").splitlines()[1]


async def start_scene(pilot, role_key: str = "enter") -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")  # the scenario
    await pilot.pause()
    await pilot.press(*(["down"] if role_key == "activist" else []), "enter")  # the role
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
        text = app.screen.query_one("#debrief-text", Prose).source
        assert app.session is not None and app.session.state.place in ("refused", "quiet")
        assert "## What really happened" in text and "## Your path" in text and "## Questions to discuss" in text
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
        await start_scene(pilot)
        await pilot.press("2")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        text = screen.query_one("#debrief-text", Prose).source
        assert "You sleep." in text and "1. What would you have done?" in text
        assert "Mu Sochua was held for most of a day" in text  # found in play, so listed
        assert "Source: \u201cCambodia: Stop pressuring regional neighbours" in text


async def test_export_writes_the_debrief_as_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("game.tui.app.export_directory", lambda: tmp_path / "exports")
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("e")
        for _ in range(20):
            await pilot.pause(0.05)
            if (tmp_path / "exports" / "longarm-test-story-quiet.md").exists():
                break
        exported = (tmp_path / "exports" / "longarm-test-story-quiet.md").read_text(encoding="utf-8")
        assert exported.startswith("# Test story: A quiet night")


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
        for words in ("Undo", "Glossary", "Journal", "Play again", "Export", "Pick an open choice", "ctrl+p"):
            assert words in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)


async def test_autosave_after_every_choice_and_continue_from_the_title() -> None:
    app = LongArmApp(seed=4, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        await pilot.pause()
        assert read_save(saves_dir() / "autosave.json").choices == ("fly",)
    app = LongArmApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Continue" in prompts(app.screen.query_one("#scenarios", OptionList))[0]
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and scene_title(app) == "The arrival hall"
        assert app.session is not None and app.session.seed == 4


async def test_named_save_and_load() -> None:
    app = LongArmApp(seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"at the airport", "enter")
        await pilot.pause()
        assert (saves_dir() / "at the airport.json").exists()
        await pilot.press("u")
        await pilot.pause()
        assert scene_title(app) == "The newsroom"
        await pilot.press("l")
        await pilot.pause()
        options = prompts(app.screen.query_one("#save-list", OptionList))
        assert "at the airport" in options
        await pilot.press(*["down"] * options.index("at the airport"), "enter")
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
        for title in ("Glossary", "Help: keys", "Undo", "Save the game", "Load a saved game", "Title screen"):
            assert title in titles


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


async def test_the_key_bar_is_not_rebuilt_on_every_choice() -> None:
    from textual.widgets._footer import FooterKey

    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot, "activist")
        keys_before = {id(key) for key in app.screen.query(FooterKey)}
        for _ in range(6):  # back and forth between two scenes, with the bindings refreshed
            await pilot.press("2")
            app.screen.refresh_bindings()  # as Textual does when focus or a highlight moves
            await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        assert {id(key) for key in app.screen.query(FooterKey)} == keys_before




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
        box = app.screen.query_one("#answer-0", Input)
        box.focus()
        await pilot.press(*"I would go", "enter")
        await pilot.pause()
    [game] = SqliteStore(results_path()).games()
    assert (game.scenario_id, game.role, game.ending_id, game.ending_tone) == ("test-story", "journalist", "quiet", "mixed")
    assert [c.choice_id for c in game.choices] == ["stay"]
    assert [(a.question_index, a.answer) for a in game.answers] == [(0, "I would go")]
    assert game.player is None and game.anonymous_id.startswith("student-")



async def test_choices_by_cursor_keys_and_mouse_skip_locked_ones() -> None:
    app = LongArmApp(seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_scene(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 0 and choices.render_line(0).text.startswith("\u25b6 1. Fly")
        await pilot.press("end")
        assert choices.highlighted == 1 and choices.render_line(1).text.startswith("\u25b6 2. Stay")
        await pilot.press("down", "home")
        assert choices.highlighted == 0
        await pilot.press("1", "2")  # fly, then back to the newsroom, where `fly` is now locked
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 1  # the cursor starts on the first *open* choice
        await pilot.press("up", "home")
        assert choices.highlighted == 1
        await pilot.click(ChoiceList, offset=(8, 0))  # the locked choice: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and scene_title(app) == "The newsroom"
        await pilot.click(ChoiceList, offset=(8, 2))  # "1. Stay home", below the locked one's two lines
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
            cursor = next(segment for segment in choices.render_line(0) if segment.text.startswith("1."))
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
