"""The real app in a real terminal: tmux runs `python -m game`, keys go in, the screen is read back."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from shared import REPO

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed: `apt-get install tmux`")


class Terminal:
    """One tmux server of our own (its own socket), one window (80x24 unless told) running a command."""

    def __init__(self, command: list[str], env: dict[str, str], size: tuple[int, int] = (80, 24)) -> None:
        self.socket = f"longarm-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={value}" for key, value in env.items())
        # COLUMNS and LINES, set in pytest's own environment, would tell the app a size of their own.
        shell = f"cd {REPO} && env -u COLUMNS -u LINES {exports} {' '.join(command)}; sleep 60"
        self.tmux("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), shell)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=True, timeout=20).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", key)
            time.sleep(0.3)

    def wait_until(self, check: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{what} did not happen; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(scenarios_dir: Path, tmp_path: Path) -> Iterator[Terminal]:
    env = {"LONGARM_SCENARIOS_DIR": str(scenarios_dir), "LONGARM_DATA_DIR": str(tmp_path / "data"),
           "LONGARM_CACHE_DIR": str(tmp_path / "cache"), "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color",
           "PYTHONPATH": str(REPO)}
    term = Terminal([sys.executable, "-m", "game", "play", "--seed", "0"], env)
    try:
        yield term
    finally:
        term.close()


def test_a_complete_game_in_tmux(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("LONG ARM")
    assert "Test story" in terminal.screen()
    terminal.keys("Enter")
    terminal.wait_for("Who do you play?")
    terminal.keys("Enter")
    screen = terminal.wait_for("The newsroom")
    assert "1. Fly to Kuala Lumpur" in screen and "Safety 4/5" in screen
    terminal.keys("1")
    terminal.wait_for("The arrival hall")
    terminal.keys("u")
    terminal.wait_for("The newsroom")
    terminal.keys("2")
    screen = terminal.wait_for("What really happened")
    assert "Test story: A quiet night" in screen
    terminal.keys("C-q")
    deadline = time.monotonic() + 10
    while "LONG ARM" in terminal.screen() or "What really happened" in terminal.screen():
        assert time.monotonic() < deadline, "the app did not quit on Ctrl+Q"
        time.sleep(0.2)
    assert (tmp_path / "data" / "saves" / "autosave.json").exists()
    assert os.path.getsize(tmp_path / "data" / "saves" / "autosave.json") > 0


def squeeze(text: str) -> str:
    """Text without its spaces and line ends: a wrapped choice is found whole."""
    return "".join(text.split())


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
def test_every_scene_opens_with_its_title_and_every_choice_in_view(size: tuple[int, int], tmp_path: Path) -> None:
    """The shipped story the issue named, in a real terminal: the first scene once opened past its
    title, and "Two counters along" (keys 1 1 1 1) once ended at "Choose:" with no choice."""
    from game.engine.loader import catalog
    from game.plain import numbered
    from game.session.play import PlaySession

    scenario = catalog.find("the-way-home")
    assert isinstance(scenario, catalog.Found)
    session = PlaySession.new(scenario.scenario, "journalist", 1)
    env = {"LONGARM_DATA_DIR": str(tmp_path / "data"), "LONGARM_CACHE_DIR": str(tmp_path / "cache"),
           "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color", "PYTHONPATH": str(REPO)}
    terminal = Terminal([sys.executable, "-m", "game", "play", "the-way-home", "--role", "journalist", "--seed", "1"],
                        env, size)
    try:
        for _ in range(5):
            scene = session.scene
            assert scene is not None
            choices = [option.text for number, option in numbered(session.options()) if number is not None]

            def whole(screen: str) -> bool:
                flat = squeeze(screen)
                return scene.title in screen and all(squeeze(choice) in flat for choice in choices)

            terminal.wait_until(whole, f"{scene.title!r} with its title and all {len(choices)} choices in view")
            if scene.title == "Two counters along":
                break
            terminal.keys("1")
            session.choose(next(option.choice.id for number, option in numbered(session.options()) if number == 1))
        assert session.scene is not None and session.scene.title == "Two counters along"
    finally:
        terminal.close()
