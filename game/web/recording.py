"""A web student's games, written to the results store through the one writer: a play-session observer.

The terminal front ends record with `game.classroom.recorder.GameRecorder`, which writes at once
and catches up after a failure. The web edition cannot write on the event loop, and its writer
never drops a write, so this observer only turns each event into a queued write (in order) and
keeps the futures, for the page to wait on briefly and for the session cache to know when a
student's game is safely in the file (only then may it be dropped from memory).

A game continued from the store (`GameStarted` with `resumed`) writes nothing: it was read from
the file, so the file already holds it. That is how "continue" of a finished game records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from game.classroom.recorder import WRITE_LABELS, event_write
from game.classroom.records import GameRecord, StudentRecord, iso, utc_now
from game.classroom.results import ResultsStore
from game.session.events import GameStarted, Notice, SessionEvent
from game.web.writer import StoreWriter


class WebRecorder:
    """Queues every event of one student's play sessions as a write to the results file."""

    def __init__(self, writer: StoreWriter, student: StudentRecord,
                 clock: Callable[[], datetime] = utc_now) -> None:
        """Record for `student` through `writer`; `clock` gives the times written."""
        self.writer = writer
        self.student = student
        self._clock = clock
        self._pending: list[Future[Any]] = []

    def on_event(self, event: SessionEvent) -> Notice | None:
        """Queue the write for one event; never blocks, never fails (the writer retries)."""
        at = iso(self._clock())
        if isinstance(event, GameStarted):
            if not event.resumed:
                game = event.game
                record = GameRecord(
                    id=game.game_id, scenario_id=game.scenario.id, scenario_title=game.scenario.title,
                    role=game.role, seed=game.seed, player=self.student.name,
                    anonymous_id=self.student.anonymous_id, class_code=self.student.class_code, started_at=at,
                    student_id=self.student.id, place=game.state.place)
                self.queue("record a new game", lambda store: store.start_game(record))
            return None
        found = event_write(event, at)
        if found is not None:
            action, work = found
            self.queue(WRITE_LABELS[action], work)
        return None

    def take_pending(self) -> list[Future[Any]]:
        """The writes queued since the last call, for the page to wait on (they stay tracked)."""
        fresh = [future for future in self._pending if not future.done()]
        self._pending = fresh
        return list(fresh)

    @property
    def settled(self) -> bool:
        """Every write of this student's has landed: the file holds their whole game."""
        self._pending = [future for future in self._pending if not future.done()]
        return not self._pending

    def queue(self, action: str, work: Callable[[ResultsStore], Any]) -> None:
        """Queue a write of this student's (events come here too; so do joining and a truncated replay)."""
        self._pending.append(self.writer.submit(action, work, key=self.student.id))
