"""Widgets that leave the screen leave memory too (the Textual leak `textual_private` works around)."""

from __future__ import annotations

import gc

import pytest
from textual.widget import Widget

from game.tui import textual_private
from game.tui.textual_private import StylesCache
from game.tui.app import LongArmApp
from game.tui.screens.scene import SceneScreen

pytestmark = pytest.mark.usefixtures("scenarios_dir")


def live(kind: type) -> int:
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


def test_the_fix_is_applied_to_the_textual_we_run() -> None:
    assert not textual_private.styles_cache_needs_fix()  # the app module applied it on import


async def test_screens_and_widgets_that_are_gone_are_freed() -> None:
    app = LongArmApp(seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("enter", "enter"):  # the scenario, then the role
            await pilot.press(key)
            await pilot.pause()
        for _ in range(25):  # each new game is a new scene screen with its own widgets
            app.action_play_again()
            await pilot.pause()
            assert isinstance(app.screen, SceneScreen)
        # Every widget owns one styles cache; one kept alive after its widget went (with all the
        # strips it drew) is the leak. About 25 screens came and went, so a leak shows in hundreds.
        widgets = live(Widget)
        assert live(StylesCache) <= widgets + 10, (live(StylesCache), widgets)
