"""Benchmark: the Textual app against a bare Textual app, measured in the same run.

- Cold start: a new process, from launch until the first screen has been drawn and can take
  keys, against a minimal app with a header, a list and a footer. Twice: `longarm` to its title
  screen, and `longarm play arrival-hall --role journalist --seed 1` to its first scene, each
  run through the command line as a player starts it. Target: within 1.3x for both.
- A choice: CPU time from a key press to the next scene drawn, median over a 200-choice random
  game (starting again at each ending), against the bare app handling the same key presses;
  each app plays `--games` games in turn, in new processes, and the median game counts.
  Target: median under 16 ms.
- Peak memory (max RSS) of a process that plays a whole game that way, against the bare app's.
  Target: within 1.5x.

Both apps run headless (no terminal), so the figures are about the app, not the terminal.

    python bench/app.py [--starts 10] [--choices 200] [--games 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

COLD_START_TARGET = 1.3
CHOICE_TARGET_MS = 16.0
DEBRIEF_TARGET_MS = 30.0
MEMORY_TARGET = 1.5


def bare_app_class():  # type: ignore[no-untyped-def]
    """The baseline: header, a list of three lines, footer; digits update a text line."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, OptionList, Static

    class Bare(App[None]):
        BINDINGS = [(str(n), f"pick({n})", f"Pick {n}") for n in range(1, 10)]

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static("", id="text")
            yield OptionList("One", "Two", "Three")
            yield Footer()

        def action_pick(self, number: int) -> None:
            self.query_one("#text", Static).update(f"picked {number}")

    return Bare


def ours_app_class():  # type: ignore[no-untyped-def]
    from game.tui.app import LongArmApp

    return LongArmApp


#: The command lines started cold, and the screen each must have drawn before it counts.
COMMANDS = {"title": ([], "TitleScreen"),
            "scene": (["play", "arrival-hall", "--role", "journalist", "--seed", "1"], "SceneScreen")}


# ---------------------------------------------------------------------------- child processes


def child_cold(which: str) -> None:
    """Start an app headless and exit as soon as its first screen has been drawn.

    `bare`: the baseline app. `title`, `scene`: `longarm` with the command line in `COMMANDS`,
    through `game.cli.main` exactly as the `longarm` script runs it; only `App.run` is wrapped, to
    run headless at 80x24 and to exit once the expected screen is current and drawn.
    """
    from textual.app import App

    async def exit_when_drawn(pilot) -> None:  # type: ignore[no-untyped-def]
        expected = COMMANDS[which][1] if which in COMMANDS else None
        for _ in range(1000):
            await pilot.pause()  # a screen is composed, laid out and drawn
            if expected is None or type(pilot.app.screen).__name__ == expected:
                break
        pilot.app.exit()

    if which == "bare":
        app = bare_app_class()()
        app.run(headless=True, size=(80, 24), auto_pilot=exit_when_drawn)
        if app.return_code:  # an app that failed to start must not count as a fast start
            raise SystemExit(f"the bare app exited with {app.return_code}")
        return
    run = App.run

    def headless(self, **_options):  # type: ignore[no-untyped-def]
        result = run(self, headless=True, size=(80, 24), auto_pilot=exit_when_drawn)
        if self.return_code:
            raise SystemExit(f"the app ({which}) exited with {self.return_code}")
        return result

    App.run = headless  # type: ignore[method-assign]
    from game.cli import main as longarm

    status = longarm(COMMANDS[which][0])
    if status:
        raise SystemExit(f"longarm {' '.join(COMMANDS[which][0])} exited with {status}")


async def play(which: str, choices: int, seed: int) -> tuple[list[float], list[float]]:
    """CPU seconds per key press over `choices` presses of random games; and, apart, those of the
    presses that ended a game (the debrief screen built and drawn)."""
    rng = random.Random(seed)
    timings: list[float] = []
    endings: list[float] = []
    if which == "bare":
        app = bare_app_class()()
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(choices):
                start = time.process_time()
                await pilot.press(str(rng.randint(1, 3)))
                timings.append(time.process_time() - start)
        return timings, endings

    from game.tui.screens.debrief import DebriefScreen
    from game.tui.screens.scene import SceneScreen
    from game.tui.widgets.choice_list import ChoiceList

    app = ours_app_class()()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")  # the first scenario, its first role
        while len(timings) < choices:
            screen = app.screen
            if isinstance(screen, DebriefScreen):
                await pilot.press("p")  # play again: not a choice, not timed
                continue
            assert isinstance(screen, SceneScreen), screen
            open_choices = screen.query_one(ChoiceList).open_ids()
            start = time.process_time()
            await pilot.press(str(rng.randint(1, len(open_choices))))
            timings.append(time.process_time() - start)
            if isinstance(app.screen, DebriefScreen):
                endings.append(timings[-1])
    return timings, endings


def child_play(which: str, choices: int) -> None:
    timings, endings = asyncio.run(play(which, choices, seed=7))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"median_ms": statistics.median(timings) * 1000,
                      "p90_ms": sorted(timings)[int(len(timings) * 0.9)] * 1000, "peak_mb": peak_kb / 1024,
                      "debrief_ms": statistics.median(endings) * 1000 if endings else 0.0}))


# ---------------------------------------------------------------------------- the parent


def run_child(*args: str, env: dict[str, str]) -> str:
    return subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True,
                          check=True, env=env).stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starts", type=int, default=10, help="cold starts of each app (interleaved)")
    parser.add_argument("--choices", type=int, default=200)
    parser.add_argument("--games", type=int, default=3, help="games of each app (interleaved); the median is kept")
    parser.add_argument("--cold-only", action="store_true", help="only the cold starts")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, which, *rest = args.child
        if kind == "cold":
            child_cold(which)
        else:
            child_play(which, int(rest[0]))
        return 0

    with tempfile.TemporaryDirectory(prefix="longarm-bench-") as temp:
        env = {**os.environ, "LONGARM_DATA_DIR": str(Path(temp) / "data"),
               "LONGARM_CACHE_DIR": str(Path(temp) / "cache"), "TEXTUAL_ANIMATIONS": "none",
               "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "game")], check=True,
                       capture_output=True)  # as `pip install .` leaves the package: compiled
        for which in ("title", "scene", "bare"):  # warm the load cache and the OS file cache once
            run_child("cold", which, env=env)
        cold: dict[str, list[float]] = {"bare": [], "title": [], "scene": []}
        for _ in range(args.starts):
            for which in cold:  # interleaved, so a slow moment of the machine hits all three
                start = time.perf_counter()
                run_child("cold", which, env=env)
                cold[which].append(time.perf_counter() - start)
        # Games in separate processes, interleaved, and the median game kept: a shared machine's
        # noise moves one game's median by a few milliseconds.
        games: dict[str, list[dict[str, float]]] = {"ours": [], "bare": []}
        for _ in range(0 if args.cold_only else args.games):
            for which in ("bare", "ours"):
                games[which].append(json.loads(run_child("play", which, str(args.choices), env=env)))
        played = {which: {key: statistics.median(game[key] for game in runs) for key in runs[0]}
                  for which, runs in games.items() if runs}

    bare_cold = statistics.median(cold["bare"])
    title_cold, scene_cold = statistics.median(cold["title"]), statistics.median(cold["scene"])
    title_ratio, scene_ratio = title_cold / bare_cold, scene_cold / bare_cold
    print(f"cold start to the first screen, median of {args.starts} (wall s)")
    print(f"  bare Textual app (header, list, footer)  {bare_cold:7.3f}")
    print(f"  longarm, to the title screen             {title_cold:7.3f}   {title_ratio:.2f}x   target <= {COLD_START_TARGET}x")
    print(f"  longarm play arrival-hall --role journalist --seed 1, to the first scene"
          f"\n                                           {scene_cold:7.3f}   {scene_ratio:.2f}x   target <= {COLD_START_TARGET}x")
    missed = max(title_ratio, scene_ratio) > COLD_START_TARGET
    if played:
        memory_ratio = played["ours"]["peak_mb"] / played["bare"]["peak_mb"]
        choice_ms, debrief_ms = played["ours"]["median_ms"], played["ours"]["debrief_ms"]
        print(f"key press to the next screen drawn, {args.choices} presses, median of {args.games} games "
              "(CPU ms, median / 90th percentile)")
        print(f"  bare Textual app                         {played['bare']['median_ms']:7.2f} / {played['bare']['p90_ms']:.2f}")
        print(f"  Long Arm choice to next scene            {choice_ms:7.2f} / {played['ours']['p90_ms']:.2f}"
              f"   target median < {CHOICE_TARGET_MS:g} ms")
        print(f"  Long Arm choice to the debrief (median)  {debrief_ms:7.2f}"
              f"   target <= {DEBRIEF_TARGET_MS:g} ms")
        print("peak memory (max RSS, MB) of a process playing those presses, median of the games")
        print(f"  bare Textual app                         {played['bare']['peak_mb']:7.1f}")
        print(f"  Long Arm                                 {played['ours']['peak_mb']:7.1f}   {memory_ratio:.2f}x"
              f"   target <= {MEMORY_TARGET}x")
        missed |= choice_ms >= CHOICE_TARGET_MS or debrief_ms > DEBRIEF_TARGET_MS or memory_ratio > MEMORY_TARGET
    print("all targets met" if not missed else "a target was MISSED")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
