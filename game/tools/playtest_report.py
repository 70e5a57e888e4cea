"""The shape of `longarm playtest --json`: the report `playtest.py` builds once as plain data and
renders as text, as JSON and as JUnit XML (`junit.py`).

Authors and CI read the JSON, so these types are its documentation: each TypedDict lists its keys in
the order the JSON prints them. `Report` is either mode, told apart by its `mode` key, so a
renderer that tests `report["mode"]` sees only that mode's keys.
"""

from __future__ import annotations

from typing import Literal, TypedDict, final

from game.engine.runtime.model import Tone
from game.engine.search.explore import Cap


class PathStep(TypedDict):
    """One choice on a path: `outcome` (1-based) of `outcomes` for a random choice, both null for a plain goto."""

    scene: str
    choice: str
    outcome: int | None
    outcomes: int | None
    to: str


# Final, so that `"command" in replay` tells the two apart (a subtype could not add the other's key).
@final
class ReplayCommand(TypedDict):
    """How to replay a path in the plain player: the seed, the option numbers typed, the shell command."""

    seed: int
    numbers: list[int]
    command: str


@final
class ReplayError(TypedDict):
    """Why a path cannot be replayed."""

    error: str


Replay = ReplayCommand | ReplayError


# ---------------------------------------------------------------------------- exhaustive


class Tracked(TypedDict):
    """What a role's states hold besides the scene: only what conditions and text read."""

    stats: dict[str, list[int]]  # each stat tracked, with its range [min, max]
    flags: list[str]
    visited: list[str]
    known: list[str]
    visits: dict[str, int]  # visits(place) counted up to this cap
    once: int  # how many once-only choices the scenario has


class SearchedRole(TypedDict):
    role: str
    states: int
    moves: int
    complete: bool
    stopped_by: Cap | None  # the cap that stopped the search; null when complete
    tracked: Tracked


class BlockedChoice(TypedDict):
    """A choice that leads to a place never reached, and why it is never taken."""

    scene: str
    choice: str
    line: int
    reason: str


class EndingPath(TypedDict):
    """A role's shortest path to an ending."""

    role: str
    choices: int
    path: list[PathStep]
    replay: Replay


class ExhaustiveEnding(TypedDict):
    id: str
    title: str
    tone: Tone
    line: int
    reachable: bool | None  # null: not reached before the state cap stopped the search
    paths: list[EndingPath]
    blocked: list[BlockedChoice]


class FoundTrap(TypedDict):
    """A scene where some reachable states can no longer reach any ending."""

    role: str
    scene: str
    line: int
    states: int  # trapped states in this scene
    stuck: bool  # no choice is open in the state `path` leads to
    state: str  # what that state holds, described
    no_return_after: int  # the choices on `path` after which there was no way back (0: from the start)
    path: list[PathStep]
    replay: Replay


class NeverOpenChoice(TypedDict):
    scene: str
    choice: str
    line: int
    condition: str  # the `if` as written
    evidence: str


class NeverDrawnOutcome(TypedDict):
    scene: str
    choice: str
    outcome: int  # 1-based
    line: int
    to: str


class UnreachedScene(TypedDict):
    scene: str
    line: int
    linked: bool  # some choice leads here
    blocked: list[BlockedChoice]


class CheckedItem(TypedDict):
    """A knowledge-check item, and the endings reached whose debrief lists its fact."""

    item: str
    fact: str
    line: int
    endings: list[str]


class ExhaustiveReport(TypedDict):
    scenario: str
    path: str
    mode: Literal["exhaustive"]
    max_states: int
    complete: bool
    exit_status: int
    states: int
    roles: list[SearchedRole]
    every_role: bool  # False when --role limited the search
    endings: list[ExhaustiveEnding]
    unreachable_endings: list[str]
    traps: list[FoundTrap]
    never_open: list[NeverOpenChoice]
    never_drawn: list[NeverDrawnOutcome]
    unreached_scenes: list[UnreachedScene]
    check: list[CheckedItem]
    unsupported_check_items: list[str]


# ---------------------------------------------------------------------------- random


class RandomEnding(TypedDict):
    id: str
    title: str
    tone: Tone
    games: int
    by_role: dict[str, int]


class SceneArrivals(TypedDict):
    id: str  # a scene
    arrivals: int


class ChoiceTaken(TypedDict):
    scene: str
    choice: str
    taken: int


class StatSeen(TypedDict):
    seen: list[int]  # [lowest, highest] seen
    range: list[int]  # [min, max] the scenario allows


class ListedGame(TypedDict):
    game: int  # 1-based, in the order played
    role: str
    seed: int
    result: str  # "ending", "stuck" or "step cap"
    place: str  # the ending reached, or where the game stopped
    choices: list[str]
    path: list[PathStep]
    replay: Replay


class RandomReport(TypedDict):
    scenario: str
    path: str
    mode: Literal["random"]
    games: int
    seed: int
    picks: Literal["least-taken first", "uniform"]
    max_steps: int
    exit_status: int
    endings: list[RandomEnding]
    stuck: int
    step_capped: int
    stuck_by_role: dict[str, int]
    scenes: list[SceneArrivals]
    choices: list[ChoiceTaken]
    stats: dict[str, StatSeen]
    listed_games: str  # "all", or which games `game_list` holds
    game_list: list[ListedGame]


Report = ExhaustiveReport | RandomReport
