"""Benchmark: `longarm report` on a results store of 1,000 recorded games, beside a baseline in the same run.

The store is filled the way a class fills it: random games through the engine's `state.Game` on
the shipped scenarios, recorded by `GameRecorder` (one commit a choice, synchronous=FULL), with
an undo now and then, one game in ten left unfinished, and written answers to most debrief
questions. Students have names or stay anonymous, in four classes, and play one to three games.

Measured, each the median of --repeat runs, wall (perf_counter) and process CPU time:
- baseline: every row of the three tables read with a plain SELECT and turned into JSON
  (`json.dumps`): the floor for anything that reads the whole file;
- `build_report(..., "html")`: open the store, read it, load the scenarios (from the load cache,
  warm after the fill, as on a machine that served the class), sum up and render the page;
- the same for Markdown and CSV, for comparison.
Target: the HTML report of 1,000 games in under 2 seconds (wall). Exit 1 if missed.

    python bench/report.py [--games 1000] [--repeat 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The load cache and data folder go to temp folders, set before the engine is imported.
_TEMP = tempfile.TemporaryDirectory(prefix="longarm-bench-report-")
os.environ["LONGARM_CACHE_DIR"] = str(Path(_TEMP.name) / "cache")
os.environ["LONGARM_DATA_DIR"] = str(Path(_TEMP.name) / "data")

from game.classroom.recorder import GameRecorder  # noqa: E402
from game.classroom.report import build_report  # noqa: E402
from game.classroom.store import SqliteStore  # noqa: E402
from game.engine.loader import catalog  # noqa: E402
from game.engine.runtime.model import Scenario  # noqa: E402
from game.session.play import PlaySession  # noqa: E402

TARGET_SECONDS = 2.0
CLASSES = ("HISTORY-9B", "HISTORY-9C", "CIVICS-10A", "MEDIA-11")
NAMES = ("Ana", "Ben", "Chloe", "Dara", "Emil", "Farah", "Gita", "Hugo", "Iris", "Jonas", "Kim", "Lena", "Malik",
         "Nora", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tian", "Uma", "Vera", "Wen", "Xavi", "Yusuf", "Zoe")
WORDS = ("the government", "pressure", "neighbours", "because", "asylum", "the border", "a passport", "journalists",
         "I think", "fear", "silence", "speak out", "refugees", "UNHCR", "deport", "friends", "the airport", "would",
         "not", "risk", "safety", "truth", "and", "but", "maybe", "they", "trade", "power", "<i>really</i>", "rights")

T = TypeVar("T")


class Clock:
    """The simulated time the recorder reads: games spread over a school week."""

    def __init__(self) -> None:
        self.now = datetime(2019, 11, 11, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def fill(path: Path, scenarios: list[Scenario], games: int, seed: int) -> tuple[int, int]:
    """Record `games` random games into a new store; returns (choices recorded, answers recorded)."""
    rng = random.Random(seed)
    store = SqliteStore(path)
    clock = Clock()
    choices = answers = 0
    played = 0
    while played < games:
        name = rng.choice(NAMES) + f" {rng.randrange(100)}" if rng.random() < 0.8 else None
        recorder = GameRecorder(store, name, rng.choice(CLASSES), clock=clock)
        for _ in range(min(rng.randint(1, 3), games - played)):
            played += 1
            clock.now += timedelta(minutes=rng.randint(1, 90))
            scenario = rng.choice(scenarios)
            session = PlaySession.new(scenario, rng.choice(list(scenario.roles)), rng.randrange(2**31),
                                      observers=[recorder])
            _check(session.begin())
            quit_after = rng.randint(2, 12) if rng.random() < 0.1 else None
            while not session.over and (quit_after is None or session.step < quit_after):
                clock.now += timedelta(seconds=rng.randint(10, 90))
                if session.can_undo and rng.random() < 0.04:
                    _check(session.undo()[1])
                    continue
                option = rng.choice([option for option in session.options() if option.available])
                _check(session.choose(option.choice.id).notices)
                choices += 1
            if session.ending is not None:
                for index in range(len(session.ending.debrief.questions)):
                    if rng.random() < 0.7:
                        clock.now += timedelta(seconds=rng.randint(30, 240))
                        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60))) + "."
                        _check(session.answer(index, text))
                        answers += 1
    store.close()
    return choices, answers


def _check(notices: tuple[object, ...]) -> None:
    if notices:
        raise SystemExit(f"bench: a write failed: {notices[0]}")


def baseline(path: Path) -> int:
    """Every row of every table, read with a plain SELECT and written as JSON; returns its length."""
    connection = sqlite3.connect(path)
    try:
        tables = {table: connection.execute(f"SELECT * FROM {table}").fetchall()
                  for table in ("games", "choices", "answers")}
    finally:
        connection.close()
    return len(json.dumps(tables))


def timed(action: Callable[[], T], repeat: int) -> tuple[T, float, float]:
    """The action's last result and its median wall and CPU seconds over `repeat` runs."""
    walls, cpus = [], []
    result: T | None = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    return result, statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--games", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    scenarios = [entry.result.scenario for entry in catalog.shipped() if entry.result.scenario is not None]
    path = Path(_TEMP.name) / "results.sqlite"
    (choices, answers), fill_wall, fill_cpu = timed(lambda: fill(path, scenarios, args.games, args.seed), 1)
    size = sum(p.stat().st_size for p in path.parent.glob("results.sqlite*"))
    print(f"store: {args.games:,} games on {len(scenarios)} scenarios, {choices:,} choices, {answers:,} answers, "
          f"{size / 1_048_576:.1f} MB; filled in {fill_wall:.1f} s wall, {fill_cpu:.1f} s CPU "
          f"({fill_wall / max(choices, 1) * 1000:.2f} ms a choice, one commit each)")

    floor_bytes, floor_wall, floor_cpu = timed(lambda: baseline(path), args.repeat)
    rows = [("baseline: SELECT every row + json.dumps", floor_bytes, floor_wall, floor_cpu)]
    for output_format in ("html", "md", "csv"):
        text, wall, cpu = timed(lambda f=output_format: build_report(path, f), args.repeat)  # type: ignore[misc]
        rows.append((f"longarm report --format {output_format}", len(text), wall, cpu))

    print(f"\nmedian of {args.repeat} runs             output    wall s   CPU s   ratio (wall)")
    for label, length, wall, cpu in rows:
        print(f"{label:<42} {length / 1024:>7.0f} kB {wall:>7.3f} {cpu:>7.3f}   {wall / floor_wall:>6.1f}x")
    html_wall = rows[1][2]
    ok = html_wall < TARGET_SECONDS
    print(f"\nHTML report of {args.games:,} games: {html_wall:.3f} s wall, target under {TARGET_SECONDS:g} s: "
          f"{'ok' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
