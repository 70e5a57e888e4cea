"""Helpers for the classroom tests: a settable clock, and real games played through the engine into a store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from game.classroom.recorder import GameRecorder
from game.engine.runtime.model import Scenario
from game.engine.runtime.state import draw_outcome_index
from game.session.events import Notice
from game.session.play import PlaySession

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
    session: PlaySession
    warnings: list[Notice] = field(default_factory=list)


def seed_for(outcome: int, weights: Sequence[int], step: int) -> int:
    """A game seed whose random draw at `step` picks outcome number `outcome`."""
    return next(seed for seed in range(10_000) if draw_outcome_index(list(weights), seed, step) == outcome)


def play(recorder: GameRecorder, clock: Clock, scenario: Scenario, role: str, moves: Sequence[str], *,
         seed: int = 1, minutes: float = 10, answers: dict[int, str] | None = None) -> Played:
    """Play a session observed by the recorder: start at the clock's time, take the moves (choice
    ids, or UNDO), and when the game is over, end it `minutes` later and write the answers. Every
    notice is kept."""
    session = PlaySession.new(scenario, role, seed, observers=[recorder])
    played = Played(session)
    started = clock.now
    played.warnings += session.begin()
    for number, move in enumerate(moves, 1):
        clock.now += timedelta(seconds=20)
        if number == len(moves):  # the last move may reach the ending, which is recorded with it
            clock.now = started + timedelta(minutes=minutes)
        if move == UNDO:
            undone, notices = session.undo()
            assert undone
            played.warnings += notices
            continue
        played.warnings += session.choose(move).notices
    if session.over:
        for index, text in (answers or {}).items():
            played.warnings += session.answer(index, text)
    return played
