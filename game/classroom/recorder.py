"""Recording a student's games for the teacher's report, so that front ends never touch SQL.

A front end makes one `GameRecorder` per student session and calls it beside the engine:
`start(game)` for a new game, `choice(game, scene_id, choice_id)` after `game.choose`,
`undo(game)` after `game.undo`, `end(game)` at an ending and `answer(game, index, text)` when a
debrief question is answered.

Recording never crashes a game. Every method returns None when the write is stored, or a
`RecordWarning` the front end can show; the failure is also logged (logger `game.classroom.recorder`).
A game whose write failed is brought up to date at its next successful write, from the game's own
state (its choice log and path), so a store that was busy or missing for a while catches up.
"""

from __future__ import annotations

import logging
import secrets
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from game.classroom.records import ChoiceRecord, GameRecord, iso, utc_now
from game.classroom.store import ResultsStore
from game.engine.runtime.state import Game

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())  # nothing reaches a full-screen app's terminal unless it asks

MAX_NAME_CHARS = 80
MAX_ANSWER_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class RecordWarning:
    """A write that did not reach the results store; play goes on."""

    action: str  # start, choice, undo, end or answer
    message: str

    def __str__(self) -> str:
        return f"Your {self.action} was not saved for your teacher's report: {self.message}"


class _Recorded:
    """What the recorder knows about one game: its id, its start time, and whether the store lags."""

    __slots__ = ("behind", "game_id", "started_at")

    def __init__(self, started_at: str, behind: bool) -> None:
        self.game_id = str(uuid.uuid4())
        self.started_at = started_at
        self.behind = behind


def anonymous_id() -> str:
    """A name for a student who gave none, e.g. student-7f3a9c (one in 16 million)."""
    return f"student-{secrets.token_hex(3)}"


def clean_name(name: str | None) -> str | None:
    """Spaces collapsed, at most MAX_NAME_CHARS; None for no name."""
    cleaned = " ".join((name or "").split())[:MAX_NAME_CHARS]
    return cleaned or None


class GameRecorder:
    """Records one student's games into a results store."""

    def __init__(self, store: ResultsStore, player: str | None, class_code: str | None,
                 *, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.player = clean_name(player)
        self.class_code = (class_code or "").strip() or None
        self.anonymous_id = anonymous_id()
        self._clock = clock
        self._games: weakref.WeakKeyDictionary[Game, _Recorded] = weakref.WeakKeyDictionary()

    def game_id(self, game: Game) -> str | None:
        """The id the game is recorded under, once started."""
        recorded = self._games.get(game)
        return recorded.game_id if recorded else None

    def start(self, game: Game) -> RecordWarning | None:
        """A new game (a game started again is a new game)."""
        recorded = _Recorded(self._now(), behind=False)
        self._games[game] = recorded
        if game.state.choices or game.over:  # a loaded save: write its choices too
            recorded.behind = True
            return self._write("start", game, recorded, lambda: None)
        return self._write("start", game, recorded, lambda: self.store.start_game(self._record(game, recorded)))

    def choice(self, game: Game, scene_id: str, choice_id: str) -> RecordWarning | None:
        """The choice just taken (call after `game.choose`)."""
        recorded = self._known(game)
        step = len(game.state.choices)
        at = self._now()
        return self._write("choice", game, recorded,
                           lambda: self.store.add_choice(recorded.game_id, step, scene_id, choice_id, at))

    def undo(self, game: Game) -> RecordWarning | None:
        """A choice taken back (call after `game.undo`): the choices after the game's last are deleted."""
        recorded = self._known(game)
        first_gone = len(game.state.choices) + 1
        return self._write("undo", game, recorded, lambda: self.store.undo(recorded.game_id, first_gone))

    def end(self, game: Game) -> RecordWarning | None:
        """The ending reached, its tone and the facts found."""
        ending = game.ending
        if ending is None:
            return self._warn("end", f"the game is at '{game.state.place}', not at an ending")
        recorded = self._known(game)
        at = self._now()
        return self._write("end", game, recorded, lambda: self.store.end_game(
            recorded.game_id, ending.id, ending.tone, game.state.known, at))

    def answer(self, game: Game, question_index: int, text: str) -> RecordWarning | None:
        """A written answer to the ending's question number `question_index` (from 0)."""
        ending = game.ending
        if ending is None:
            return self._warn("answer", "answers are written at an ending")
        if not 0 <= question_index < len(ending.debrief.questions):
            return self._warn("answer", f"the ending has no question {question_index + 1}")
        question = ending.debrief.questions[question_index]
        recorded = self._known(game)
        at = self._now()
        answer = text.strip()[:MAX_ANSWER_CHARS]
        problem = self._write("answer", game, recorded, lambda: self.store.answer(
            recorded.game_id, question_index, question, answer, at))
        if problem is None and len(text.strip()) > MAX_ANSWER_CHARS:
            return self._warn("answer", f"only its first {MAX_ANSWER_CHARS:,} characters were kept")
        return problem

    # ------------------------------------------------------------------ inside

    def _now(self) -> str:
        return iso(self._clock())

    def _known(self, game: Game) -> _Recorded:
        """The game's record; a game never started here is recorded whole at the next write."""
        recorded = self._games.get(game)
        if recorded is None:
            recorded = self._games[game] = _Recorded(self._now(), behind=True)
        return recorded

    def _write(self, action: str, game: Game, recorded: _Recorded, write: Callable[[], None]) -> RecordWarning | None:
        try:
            if recorded.behind:
                self.store.sync_game(self._record(game, recorded, whole=True))
                recorded.behind = False
                if action == "answer":
                    write()  # the game's state holds every other write, but not the answers
            else:
                write()
        except Exception as error:  # noqa: BLE001 - a failing write must never end the student's game
            recorded.behind = True
            return self._warn(action, str(error) or type(error).__name__, error)
        return None

    def _warn(self, action: str, message: str, error: BaseException | None = None) -> RecordWarning:
        logger.warning("results not recorded (%s): %s", action, message, exc_info=error)
        return RecordWarning(action, message)

    def _record(self, game: Game, recorded: _Recorded, whole: bool = False) -> GameRecord:
        """The game as the store should hold it; `whole` adds its choices and where it ended."""
        state = game.state
        record = GameRecord(
            id=recorded.game_id, scenario_id=game.scenario.id, scenario_title=game.scenario.title, role=state.role,
            seed=game.seed, player=self.player, anonymous_id=self.anonymous_id, class_code=self.class_code,
            started_at=recorded.started_at)
        if not whole:
            return record
        at = self._now()
        # state.path[i] is the place choice i was made in: the path has one more place than choices.
        choices = tuple(ChoiceRecord(step, state.path[step - 1], choice_id, at)
                        for step, choice_id in enumerate(state.choices, 1))
        ending = game.ending
        if ending is None:
            return replace(record, choices=choices)
        return replace(record, choices=choices, ended_at=at, ending_id=ending.id, ending_tone=ending.tone,
                       facts_found=state.known)
