"""Helpers for the classroom tests: a settable clock, and real games played through the engine into a store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from game.classroom.recorder import GameRecorder
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import Game, draw_outcome_index

START = datetime(2019, 11, 8, 9, 0, tzinfo=UTC)
UNDO = "<undo>"


@dataclass
class Clock:
    """What the recorder believes the time is; tests move it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Played:
    game: Game
    warnings: list[object] = field(default_factory=list)


def seed_for(outcome: int, weights: Sequence[int], step: int) -> int:
    """A game seed whose random draw at `step` picks outcome number `outcome`."""
    return next(seed for seed in range(10_000) if draw_outcome_index(list(weights), seed, step) == outcome)


def play(recorder: GameRecorder, clock: Clock, scenario: Scenario, role: str, moves: Sequence[str], *,
         seed: int = 1, minutes: float = 10, answers: dict[int, str] | None = None) -> Played:
    """Start a game at the clock's time, take the moves (choice ids, or UNDO), and when the game is
    over, end it `minutes` later and write the answers. Every recorder warning is kept."""
    game = Game(scenario, role, seed)
    played = Played(game)
    started = clock.now
    played.warnings.append(recorder.start(game))
    for move in moves:
        clock.now += timedelta(seconds=20)
        if move == UNDO:
            assert game.undo()
            played.warnings.append(recorder.undo(game))
            continue
        scene = game.state.place
        game.choose(move)
        played.warnings.append(recorder.choice(game, scene, move))
    if game.over:
        clock.now = started + timedelta(minutes=minutes)
        played.warnings.append(recorder.end(game))
        for index, text in (answers or {}).items():
            played.warnings.append(recorder.answer(game, index, text))
    played.warnings = [warning for warning in played.warnings if warning is not None]
    return played
