"""The knowledge check in the Textual app, by keys through Pilot: asked before the first scene with
`--check`, again from the debrief (`c`), then the student's own change; recorded; absent without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from game.cli import app_observers
from game.engine.runtime.saves import read_save, saves_dir
from game.tui.app import LongArmApp
from game.tui.screens.check import ChangeScreen, CheckScreen
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.scene import SceneScreen
from game.tui.screens.title import TitleScreen
from shared import APP_SCENARIO, CHECK_BLOCK


@pytest.fixture(autouse=True)
def checked_story(scenarios_dir: Path) -> None:
    """The app's test story, with the knowledge check."""
    (scenarios_dir / "test-story.yaml").write_text(APP_SCENARIO + CHECK_BLOCK, encoding="utf-8")


def shown(app: LongArmApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def to_the_check(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("enter")  # the scenario
    await pilot.pause()
    await pilot.press("enter")  # the first role
    await pilot.pause()


async def answer(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def test_the_check_before_the_first_scene_again_from_the_debrief_then_the_change() -> None:
    app = LongArmApp(seed=1, check=True, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_check(pilot)
        assert isinstance(app.screen, CheckScreen)
        assert shown(app, ".check-heading") == "Before you play: a short check"
        assert shown(app, "#check-number") == "Question 1 of 4"
        assert shown(app, "#check-question") == "Where was Mu Sochua held?"
        options = app.screen.query_one("#check-options", OptionList)
        assert [str(o.prompt) for o in options.options] == [
            "1. At Kuala Lumpur's airport", "2. At the Thai border", "3. In Phnom Penh", "4. I don't know"]
        await answer(pilot, "2", "3")  # wrong; "I don't know" (the second item has two options)
        assert shown(app, "#check-number") == "Question 3 of 4"
        await answer(pilot, "down", "enter")  # arrows and Enter: "Most of a day", right
        await answer(pilot, "ctrl+z")  # nothing to take back under the check
        assert isinstance(app.screen, CheckScreen)
        await answer(pilot, "1")
        assert isinstance(app.screen, SceneScreen)
        await answer(pilot, "2")  # "Stay home": an ending
        assert isinstance(app.screen, DebriefScreen)
        assert shown(app, "#check-line").startswith("When you have read the debrief, press c")
        await answer(pilot, "c")
        assert isinstance(app.screen, CheckScreen)
        assert shown(app, ".check-heading") == "After the debrief: the same check again"
        await answer(pilot, "1", "2", "2", "1")
        assert isinstance(app.screen, ChangeScreen)
        page = "\n".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "Before you played: 2 of 4 right. Now: 4 of 4 right." in page
        assert ("1. Where was Mu Sochua held?\nNew: right now, not before. Before: At the Thai border. "
                "Now: At Kuala Lumpur's airport.\nThe answer: At Kuala Lumpur's airport") in page
        assert "\u201cdetained for most of the day by the Malaysian authorities" in page
        assert "Source: \u201cCambodia: Stop pressuring regional neighbours" in page
        await answer(pilot, "escape")
        assert isinstance(app.screen, DebriefScreen)
        assert shown(app, "#check-line").startswith("Press c to see what changed")
        await answer(pilot, "c")
        assert isinstance(app.screen, ChangeScreen)
        app.background.wait()
    from game.classroom.store import SqliteStore
    from game.engine.paths import results_path

    [game] = SqliteStore(results_path()).games()
    assert [(c.phase, c.item_id, c.option, c.right) for c in game.checks] == [
        ("before", "held-where", 1, False), ("before", "held-by", None, False), ("before", "how-long", 1, True),
        ("before", "then", 0, True), ("after", "held-where", 0, True), ("after", "held-by", 1, True),
        ("after", "how-long", 1, True), ("after", "then", 0, True)]


async def test_esc_leaves_the_check_for_later_and_continue_takes_it_up_where_it_was() -> None:
    app = LongArmApp(seed=1, check=True, observers=app_observers(None, None, None))
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_check(pilot)
        await answer(pilot, "1", "escape")
        assert isinstance(app.screen, TitleScreen)
        app.background.wait()
    save = read_save(saves_dir() / "autosave.json")
    assert save.check is not None and [(a.item, a.option) for a in save.check.answers] == [("held-where", 0)]
    app = LongArmApp()  # Continue: the game takes the check whatever the new command line says
    async with app.run_test(size=(80, 24)) as pilot:
        await answer(pilot, "c")
        assert isinstance(app.screen, CheckScreen) and shown(app, "#check-number") == "Question 2 of 4"


async def test_without_check_the_app_asks_nothing() -> None:
    app = LongArmApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_the_check(pilot)
        assert isinstance(app.screen, SceneScreen)
        await answer(pilot, "2")
        assert isinstance(app.screen, DebriefScreen) and not app.screen.query("#check-line")
        await answer(pilot, "c")
        assert isinstance(app.screen, DebriefScreen)


@pytest.mark.parametrize("size", [(60, 20), (120, 40)])
async def test_the_check_reads_at_any_size(size: tuple[int, int]) -> None:
    app = LongArmApp(seed=1, check=True)
    async with app.run_test(size=size) as pilot:
        await to_the_check(pilot)
        options = app.screen.query_one("#check-options", OptionList)
        assert options.region.height >= 4 and options.region.bottom <= size[1] - 1  # above the key bar
