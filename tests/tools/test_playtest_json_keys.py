"""`longarm playtest --json` is a documented output that authors and CI read: its keys, and their
order, are pinned here for both modes, and the TypedDicts of `game/tools/playtest_report.py` that
describe it list exactly those keys in that order."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from game.cli import main
from game.tools import playtest_report as shape
from stories import TRAP_SCENARIO, UNREACHABLE_SCENARIO

WriteScenario = Callable[..., Path]

STEP = ["scene", "choice", "outcome", "outcomes", "to"]
REPLAY = ["seed", "numbers", "command"]

EXHAUSTIVE = ["scenario", "path", "mode", "max_states", "complete", "exit_status", "states", "roles", "every_role",
              "endings", "unreachable_endings", "traps", "never_open", "never_drawn", "unreached_scenes", "check",
              "unsupported_check_items"]
ROLE = ["role", "states", "moves", "complete", "stopped_by", "tracked"]
TRACKED = ["stats", "flags", "visited", "known", "visits", "once"]
ENDING = ["id", "title", "tone", "line", "reachable", "paths", "blocked"]
ENDING_PATH = ["role", "choices", "path", "replay"]
CHECK = ["item", "fact", "line", "endings"]
TRAP = ["role", "scene", "line", "states", "stuck", "state", "no_return_after", "path", "replay"]
NEVER_OPEN = ["scene", "choice", "line", "condition", "evidence"]
NEVER_DRAWN = ["scene", "choice", "outcome", "line", "to"]
UNREACHED = ["scene", "line", "linked", "blocked"]
BLOCKED = ["scene", "choice", "line", "reason"]

RANDOM = ["scenario", "path", "mode", "games", "seed", "picks", "max_steps", "exit_status", "endings", "stuck",
          "step_capped", "stuck_by_role", "scenes", "choices", "stats", "listed_games", "game_list"]
RANDOM_ENDING = ["id", "title", "tone", "games", "by_role"]
SCENE = ["id", "arrivals"]
CHOICE = ["scene", "choice", "taken"]
STAT = ["seen", "range"]
GAME = ["game", "role", "seed", "result", "place", "choices", "path", "replay"]


def report(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    main(["playtest", *args, "--json"])
    return json.loads(capsys.readouterr().out)


def test_the_exhaustive_report_keys_of_a_shipped_story(capsys: pytest.CaptureFixture[str]) -> None:
    found = report(capsys, "arrival-hall")
    assert list(found) == EXHAUSTIVE and found["mode"] == "exhaustive"
    assert found["roles"] and found["endings"] and found["check"]
    for role in found["roles"]:
        assert list(role) == ROLE and list(role["tracked"]) == TRACKED
    for ending in found["endings"]:
        assert list(ending) == ENDING and ending["paths"]
        for path in ending["paths"]:
            assert list(path) == ENDING_PATH and list(path["replay"]) == REPLAY
            assert all(list(step) == STEP for step in path["path"])
    assert all(list(item) == CHECK for item in found["check"])


def test_the_random_report_keys_of_a_shipped_story(capsys: pytest.CaptureFixture[str]) -> None:
    found = report(capsys, "arrival-hall", "--random", "20")
    assert list(found) == RANDOM and found["mode"] == "random"
    assert all(list(ending) == RANDOM_ENDING for ending in found["endings"])
    assert found["scenes"] and all(list(scene) == SCENE for scene in found["scenes"])
    assert found["choices"] and all(list(choice) == CHOICE for choice in found["choices"])
    assert found["stats"] and all(list(stat) == STAT for stat in found["stats"].values())
    assert found["game_list"]
    for game in found["game_list"]:
        assert list(game) == GAME and list(game["replay"]) == REPLAY
        assert all(list(step) == STEP for step in game["path"])


def test_the_keys_of_traps_and_warnings(write_scenario: WriteScenario, capsys: pytest.CaptureFixture[str]) -> None:
    """What a shipped story never shows: traps, choices never open, scenes never reached."""
    found = report(capsys, str(write_scenario(TRAP_SCENARIO)))
    assert found["traps"] and all(list(trap) == TRAP for trap in found["traps"])
    found = report(capsys, str(write_scenario(UNREACHABLE_SCENARIO, name="unreachable")))
    assert found["never_open"] and all(list(item) == NEVER_OPEN for item in found["never_open"])
    assert found["unreached_scenes"] and all(list(item) == UNREACHED for item in found["unreached_scenes"])
    blocked = [b for item in found["unreached_scenes"] + found["endings"] for b in item["blocked"]]
    assert blocked and all(list(b) == BLOCKED for b in blocked)


def test_the_typed_dicts_list_the_same_keys_in_the_same_order() -> None:
    pinned: dict[type, list[str]] = {
        shape.PathStep: STEP, shape.ReplayCommand: REPLAY, shape.ReplayError: ["error"],
        shape.ExhaustiveReport: EXHAUSTIVE, shape.SearchedRole: ROLE, shape.Tracked: TRACKED,
        shape.ExhaustiveEnding: ENDING, shape.EndingPath: ENDING_PATH, shape.CheckedItem: CHECK, shape.FoundTrap: TRAP,
        shape.NeverOpenChoice: NEVER_OPEN, shape.NeverDrawnOutcome: NEVER_DRAWN, shape.UnreachedScene: UNREACHED,
        shape.BlockedChoice: BLOCKED, shape.RandomReport: RANDOM, shape.RandomEnding: RANDOM_ENDING,
        shape.SceneArrivals: SCENE, shape.ChoiceTaken: CHOICE, shape.StatSeen: STAT, shape.ListedGame: GAME,
    }
    for typed, keys in pinned.items():
        assert list(typed.__annotations__) == keys, typed.__name__
        assert typed.__required_keys__ == frozenset(keys), typed.__name__  # type: ignore[attr-defined]
