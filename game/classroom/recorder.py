"""Recording a student's games for the teacher's report: a play-session observer, so front ends never touch SQL.

A front end (or the command line that assembles it) adds one `GameRecorder` per student to the
play session's observers. The recorder hears every event and writes it: `GameStarted` a new game
(or, resumed, brings the stored game up to date: a continued game stays one game), `ChoiceMade`,
`ChoiceUndone`, `GameEnded`, `AnswerGiven`, `CheckAnswered`. A game is stored under the session's
own game id.

Recording never crashes a game. A write that fails returns a `Notice` the front end can show; the
failure is also logged (logger `game.classroom.recorder`). A game whose write failed is brought up
to date at its next successful write, from the game's own state (its choice log and path), so a
store that was busy or missing for a while catches up.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Literal, assert_never

from game.classroom.records import CheckRecord, ChoiceRecord, GameRecord, iso, utc_now
from game.classroom.results import ResultsStore, StoreError
from game.classroom.store import default_path
from game.classroom.stores import open_store
from game.engine.logs import warn
from game.engine.runtime.knowledge import CheckItem, Phase
from game.session.cleaning import clean_name
from game.session.events import (
    AnswerGiven,
    CheckAnswered,
    ChoiceMade,
    ChoiceUndone,
    GameEnded,
    GameSnapshot,
    GameStarted,
    Notice,
    SessionEvent,
)

Action = Literal["start", "choice", "undo", "end", "answer", "check answer"]


def record_notice(action: Action, message: str) -> Notice:
    """The notice for a write that did not reach the results store; play goes on."""
    return Notice("results", f"Your {action} was not saved for your teacher's report: {message}")


class _Recorded:
    """What the recorder knows about one game: its start time, and whether the store lags."""

    __slots__ = ("behind", "started_at")

    def __init__(self, started_at: str, behind: bool) -> None:
        self.started_at = started_at
        self.behind = behind


#: What each recorded write does, in words, for logs and messages.
WRITE_LABELS: dict[str, str] = {
    "choice": "record a choice", "undo": "record an undo", "end": "record an ending",
    "answer": "record an answer", "check answer": "record a check answer"}


def event_write(event: SessionEvent, at: str) -> tuple[Action, Callable[[ResultsStore], None]] | None:
    """The store write that records `event` at time `at`, and what it is; None for a game's start
    (each recorder builds that record itself) and for an end that is not at an ending.

    The one mapping from session events to store writes: the terminal recorder calls it at once,
    the web edition queues it on its writer.
    """
    match event:
        case GameStarted():
            return None
        case ChoiceMade(game=game, scene_id=scene_id, choice_id=choice_id, step=step):
            game_id, place = game.game_id, game.state.place
            return "choice", lambda store: store.add_choice(game_id, step, scene_id, choice_id, at, place)
        case ChoiceUndone(game=game):
            game_id, first_gone, back_at = game.game_id, len(game.state.choices) + 1, game.state.place
            return "undo", lambda store: store.undo(game_id, first_gone, back_at)
        case GameEnded(game=game):
            ending, game_id, known = game.ending, game.game_id, game.state.known
            if ending is None:
                return None
            return "end", lambda store: store.end_game(game_id, ending.id, ending.tone, known, at)
        case AnswerGiven(game=game, question_index=index, question=question, text=text):
            game_id = game.game_id
            return "answer", lambda store: store.answer(game_id, index, question, text, at)
        case CheckAnswered(game=game, phase=phase, index=index, item=item, option=option):
            game_id, check = game.game_id, check_record(phase, index, item, option, at)
            return "check answer", lambda store: store.check_answer(game_id, check)
        case _:
            assert_never(event)


def anonymous_id() -> str:
    """A name for a student who gave none, e.g. student-7f3a9c (one in 16 million)."""
    return f"student-{os.urandom(3).hex()}"


class GameRecorder:
    """Records one student's games into a results store, as an observer of their play sessions."""

    def __init__(self, store: ResultsStore, player: str | None, class_code: str | None,
                 *, clock: Callable[[], datetime] = utc_now, anonymous: str | None = None) -> None:
        self.store = store
        self.player = clean_name(player)
        self.class_code = (class_code or "").strip() or None
        self.anonymous_id = anonymous or anonymous_id()
        self._clock = clock
        self._games: dict[str, _Recorded] = {}

    def on_event(self, event: SessionEvent) -> Notice | None:
        """Write one event of a play session to the store."""
        if isinstance(event, GameStarted):
            return self.resume(event.game) if event.resumed else self.start(event.game)
        found = event_write(event, self._now())
        if found is None:  # GameEnded away from an ending
            return self._warn("end", f"the game is at '{event.game.state.place}', not at an ending")
        action, work = found
        return self._write(action, event.game, self._known(event.game), lambda: work(self.store))

    def start(self, game: GameSnapshot) -> Notice | None:
        """A new game (a game started again is a new game, with a new id)."""
        recorded = self._games[game.game_id] = _Recorded(self._now(), behind=False)
        if game.state.choices or game.over:  # begun part-way: write its choices too
            recorded.behind = True
            return self._write("start", game, recorded, lambda: None)
        return self._write("start", game, recorded, lambda: self.store.start_game(self._record(game, recorded)))

    def resume(self, game: GameSnapshot) -> Notice | None:
        """A game continued from a save: the stored game is brought up to date, never duplicated."""
        recorded = self._known(game)
        recorded.behind = True
        return self._write("start", game, recorded, lambda: None)

    # ------------------------------------------------------------------ inside

    def _now(self) -> str:
        return iso(self._clock())

    def _known(self, game: GameSnapshot) -> _Recorded:
        """The game's record; a game never started here is recorded whole at the next write."""
        recorded = self._games.get(game.game_id)
        if recorded is None:
            recorded = self._games[game.game_id] = _Recorded(self._now(), behind=True)
        return recorded

    def _write(self, action: Action, game: GameSnapshot, recorded: _Recorded,
               write: Callable[[], None]) -> Notice | None:
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

    def _warn(self, action: Action, message: str, error: BaseException | None = None) -> Notice:
        warn(__name__, "results not recorded (%s): %s", action, message, error=error)
        return record_notice(action, message)

    def _record(self, game: GameSnapshot, recorded: _Recorded, whole: bool = False) -> GameRecord:
        """The game as the store should hold it; `whole` adds its choices and where it ended."""
        state = game.state
        record = GameRecord(
            id=game.game_id, scenario_id=game.scenario.id, scenario_title=game.scenario.title, role=state.role,
            seed=game.seed, player=self.player, anonymous_id=self.anonymous_id, class_code=self.class_code,
            started_at=recorded.started_at, place=state.place)
        if not whole:
            return record
        at = self._now()
        record = replace(record, checks=game_checks(game, at))
        # state.path[i] is the place choice i was made in: the path has one more place than choices.
        choices = tuple(ChoiceRecord(step, state.path[step - 1], choice_id, at)
                        for step, choice_id in enumerate(state.choices, 1))
        ending = game.ending
        if ending is None:
            return replace(record, choices=choices)
        return replace(record, choices=choices, ended_at=at, ending_id=ending.id, ending_tone=ending.tone,
                       facts_found=state.known)


def check_record(phase: Phase, index: int, item: CheckItem, option: int | None, at: str) -> CheckRecord:
    """How the store keeps one answer to an item of the check."""
    return CheckRecord(phase, item.id, index, item.question, option, item.option_text(option), item.is_right(option), at)


def game_checks(game: GameSnapshot, at: str) -> tuple[CheckRecord, ...]:
    """Every answer a game has given to its check, as the store keeps them (for a whole game)."""
    if game.check is None:
        return ()
    items = {item.id: (index, item) for index, item in enumerate(game.scenario.check)}
    return tuple(check_record(answer.phase, *items[answer.item], answer.option, at)
                 for answer in game.check.answers if answer.item in items)


def open_recorder(results: str | Path | None, player: str | None, class_code: str | None) -> tuple[GameRecorder | None, str]:
    """A recorder on the results store (`results`, else the default one), for the command line to
    add to a play session; or None and the reason in words when the store cannot be opened."""
    try:
        return GameRecorder(open_store(default_path() if results is None else results), player, class_code), ""
    except (StoreError, OSError) as error:
        return None, f"this game will not be recorded for the teacher's report: {error}"
