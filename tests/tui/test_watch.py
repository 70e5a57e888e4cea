"""Live preview (`longarm play --watch FILE`): edits reload, choices replay, breakage is shown."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from game.tui.app import LongArmApp
from game.tui.screens.debrief import DebriefScreen
from game.tui.screens.problems import ProblemsScreen
from game.tui.screens.scene import SceneScreen
from game.tui.watch import FileWatch
from shared import BASE_SCENARIO, REACTIVE_SCENARIO


def save_again(path: Path, text: str) -> None:
    """Write the file as an editor would, and make sure its time stamp moves on."""
    stamp = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))


def test_file_watch_reports_each_new_version_once(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a")
    watch = FileWatch(path)
    assert not watch.changed()
    save_again(path, "ab")
    assert watch.changed() and not watch.changed()
    path.unlink()
    assert not watch.changed()  # a file briefly gone mid-save is not a change


async def test_an_edit_reloads_and_keeps_your_place(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    app = LongArmApp(role="activist", seed=3, watch=path)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign, assignment]
        await pilot.pause()
        await pilot.press("2")  # activist-only: to the airport
        await pilot.pause()
        save_again(path, BASE_SCENARIO.replace("The hall is cold.", "The hall is freezing."))
        app.check_watched_file()
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.session is not None
        assert app.session.state.choices == ("activist-only",) and app.session.seed == 3
        assert app.screen.query_one("#scene-text").source.strip() == "The hall is freezing."  # type: ignore[attr-defined]
    assert notes == [f"Reloaded {path.name}: replayed your 1 choice."]  # one choice, not "1 choices"


async def test_a_broken_save_shows_problems_then_recovers(write_scenario: Callable[..., Path]) -> None:
    path = write_scenario()
    app = LongArmApp(role="activist", seed=3, watch=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        save_again(path, BASE_SCENARIO.replace("goto: airport\n        if", "goto: airprot\n        if"))
        app.check_watched_file()
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        save_again(path, BASE_SCENARIO.replace("id: back", "id: return"))  # fixed, and a choice renamed
        app.check_watched_file()
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen) and app.session is not None
        assert app.session.state.choices == ("activist-only",)
        assert app.is_running


async def test_the_debug_panel_shows_the_hidden_state_and_jumps_to_a_scene(write_scenario: Callable[..., Path]) -> None:
    from game.tui.widgets.debug_panel import DebugPanel

    path = write_scenario(REACTIVE_SCENARIO, name="night-watch")
    app = LongArmApp(role="journalist", seed=3, watch=path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("1")  # ask the guard: exposure (hidden) goes up
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DebugPanel)
        shown = str(app.screen.query_one("#debug-lines").render())  # type: ignore[attr-defined]
        assert "exposure (hidden) 1" in shown and "photographed not set" in shown and "hall 2" in shown
        assert "once, taken: ask in hall" in shown
        app.screen.dismiss("caught")  # what picking it in the list does
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.session is not None
        assert app.session.state.place == "caught" and app.session.state.choices[-1] == "slip"
        assert app.session.state.choices == ("corridor", "slip")  # the shortest way, really played
    plain = LongArmApp(role="journalist", seed=3)  # without --watch, F2 does nothing
    async with plain.run_test(size=(80, 24)) as pilot:
        plain.open_named_scenario(str(path))
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(plain.screen, SceneScreen)


async def test_an_edit_to_a_shared_file_reloads_too(write_scenario: Callable[..., Path], project: Path) -> None:
    shared = project / "scenarios" / "shared" / "cambodia-2019.yaml"
    text = REACTIVE_SCENARIO.replace("amnesty-2019:", "amnesty-copy:").replace(  # the shared file has an amnesty-2019
        "source: amnesty-2019", "source: amnesty-copy").replace(
        "minutes: 5\n", "minutes: 5\ninclude: [shared/cambodia-2019.yaml]\n").replace(
        "The hall is quiet.", "The hall is quiet. ASEAN flags hang still.")
    path = write_scenario(text, name="night-watch")
    app = LongArmApp(role="journalist", seed=3, watch=path)
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **_: notes.append(str(message))  # type: ignore[method-assign, assignment]
        await pilot.pause()
        assert app.session is not None and "ASEAN" in app.session.scenario.glossary
        save_again(shared, shared.read_text(encoding="utf-8").replace("  ASEAN: ", "  ASEAN: Ten states. "))
        app.check_watched_file()
        await pilot.pause()
        assert app.session.scenario.glossary["ASEAN"].startswith("Ten states.")
    assert notes and notes[-1].startswith("Reloaded night-watch.yaml")
