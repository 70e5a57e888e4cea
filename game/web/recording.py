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
from typing import Any, assert_never

from game.classroom.recorder import check_record
from game.classroom.records import GameRecord, StudentRecord, iso, utc_now
from game.classroom.results import ResultsStore
from game.session.events import (
    AnswerGiven,
    CheckAnswered,
    ChoiceMade,
    ChoiceUndone,
    GameEnded,
    GameStarted,
    Notice,
    SessionEvent,
)
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
        match event:
            case GameStarted(game=game, resumed=resumed):
                if resumed:
                    return None
                record = GameRecord(
                    id=game.game_id, scenario_id=game.scenario.id, scenario_title=game.scenario.title,
                    role=game.role, seed=game.seed, player=self.student.name,
                    anonymous_id=self.student.anonymous_id, class_code=self.student.class_code, started_at=at,
                    student_id=self.student.id, place=game.state.place)
                self.queue("record a new game", lambda store: store.start_game(record))
            case ChoiceMade(game=game, scene_id=scene_id, choice_id=choice_id, step=step):
                game_id, place = game.game_id, game.state.place
                self.queue("record a choice",
                           lambda store: store.add_choice(game_id, step, scene_id, choice_id, at, place))
            case ChoiceUndone(game=game):
                game_id, first_gone, back_at = game.game_id, len(game.state.choices) + 1, game.state.place
                self.queue("record an undo", lambda store: store.undo(game_id, first_gone, back_at))
            case GameEnded(game=game):
                ending, game_id, known = game.ending, game.game_id, game.state.known
                if ending is not None:
                    self.queue("record an ending", lambda store: store.end_game(
                        game_id, ending.id, ending.tone, known, at))
            case AnswerGiven(game=game, question_index=index, question=question, text=text):
                game_id = game.game_id
                self.queue("record an answer", lambda store: store.answer(game_id, index, question, text, at))
            case CheckAnswered(game=game, phase=phase, index=index, item=item, option=option):
                game_id, check = game.game_id, check_record(phase, index, item, option, at)
                self.queue("record a check answer", lambda store: store.check_answer(game_id, check))
            case _:
                assert_never(event)
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
