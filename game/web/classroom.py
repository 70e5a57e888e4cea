"""The class as one node serves it: its students (known by their cookie), their live games, the board.

The results store is the session store, and every node reads it for what it does not hold, so the
proxy may send any request to any node:

- A student is known by the hash of their cookie, never by name. One this node has not seen (they
  joined through another node, or before a restart) is read from the store on their first request.
- Their game is a `PlaySession` observed by a `WebRecorder` (every event queued to the results
  writer). Sessions are kept in a small cache, which is only a cache: before a cached session is
  used, the student's last game is read from the store and compared with it (which game, every
  choice, every answer); another node's choice, undo or answer, or a new game, makes this node
  replay the stored game instead. Only while this node still has writes of that student on the
  way is its own session newer than the store, and used as it is.
- The class's end is a setting in the store, read at most every `ENDED_SECONDS` by each node.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from game.classroom.recorder import anonymous_id
from game.classroom.records import GameRecord, StudentRecord, iso, utc_now
from game.engine.runtime.knowledge import CheckAnswer, CheckLog
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, SaveError
from game.session.cleaning import clean_name
from game.session.play import PlaySession
from game.web.board import Board, progress_of
from game.web.codes import normal
from game.web.options import WebSettings
from game.web.reader import StoreReader
from game.web.recording import WebRecorder
from game.web.sessions import SessionCache
from game.web.tokens import new_token, token_hash
from game.web.writer import StoreWriter

#: How long a node trusts its last look at whether the class has ended.
ENDED_SECONDS = 1.0


def ended_setting(class_code: str) -> str:
    """The setting that marks a class's session as ended."""
    return f"ended:{normal(class_code)}"


@dataclass(eq=False)
class Student:
    """One student of the class, as a node holds them while it serves them."""

    record: StudentRecord
    token_hash: str
    recorder: WebRecorder
    notices: list[str] = field(default_factory=list)  # said once, on the next page
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def say(self, message: str) -> None:
        """Show `message` on the student's next page (whichever node draws it)."""
        if message not in self.notices:
            self.notices.append(message)

    def take_notices(self) -> list[str]:
        """The notices to show now (each is shown once)."""
        notices, self.notices = self.notices, []
        return notices


def same_game(session: PlaySession, game: GameRecord) -> bool:
    """Whether a session is the stored game as it stands: the same game, choices, answers and check answers."""
    log = session.check_log
    return (session.game_id == game.id and session.state.choices == tuple(c.choice_id for c in game.choices)
            and session.answers == {answer.question_index: answer.answer for answer in game.answers}
            and set(log.answers if log is not None else ()) == set(check_log(game).answers))


def check_log(game: GameRecord) -> CheckLog:
    """The check answers a stored game holds, as a play session keeps them."""
    return CheckLog(tuple(CheckAnswer("before" if check.phase == "before" else "after", check.item_id, check.option)
                          for check in game.checks))


class Classroom:
    """The students, their sessions and the board of one class, on one node."""

    def __init__(self, settings: WebSettings, scenarios: Mapping[str, Scenario], writer: StoreWriter,
                 reader: StoreReader, board: Board) -> None:
        """Hold the class.

        Args:
            settings: the server's settings (class code, cache size, write wait).
            scenarios: the scenarios students may play, by id, in the order offered.
            writer: the results writer every write goes through.
            reader: reads students, games and the class back from the results store.
            board: the teacher's board.
        """
        self.settings = settings
        self.scenarios = dict(scenarios)
        self.writer = writer
        self.reader = reader
        self.board = board
        self.sessions = SessionCache(settings.cache_size)
        self._by_token: dict[str, Student] = {}
        self._ended_checked = float("-inf")

    # ------------------------------------------------------------------ who

    async def student(self, cookie: str | None) -> Student | None:
        """The student a cookie names, or None (no cookie, or one this class never gave out)."""
        if not cookie:
            return None
        hashed = token_hash(cookie)
        student = self._by_token.get(hashed)
        if student is not None:
            return student
        record = await self.reader.student(hashed)
        if record is None or normal(record.class_code or "") != normal(self.settings.class_code):
            return None
        return self._by_token.setdefault(hashed, self._known(record, hashed))

    def join(self, name: str | None) -> tuple[Student, str]:
        """A new student (the class code was right): recorded, with a new cookie.

        Args:
            name: what they typed as a name (cleaned here), or None.

        Returns:
            The student and the cookie value to give their browser.
        """
        cookie = new_token()
        record = StudentRecord(id=str(uuid.uuid4()), class_code=self.settings.class_code, name=clean_name(name),
                               anonymous_id=anonymous_id(), joined_at=iso(utc_now()))
        hashed = token_hash(cookie)
        student = self._by_token[hashed] = self._known(record, hashed)
        student.recorder.queue("record a student", lambda store: store.add_student(record, hashed))
        return student, cookie

    @property
    def students(self) -> tuple[Student, ...]:
        """Every student this node has served, first seen first."""
        return tuple(self._by_token.values())

    def _known(self, record: StudentRecord, hashed: str) -> Student:
        return Student(record, hashed, WebRecorder(self.writer, record))

    # ------------------------------------------------------------------ their games

    async def session(self, student: Student) -> PlaySession | None:
        """The student's current game, as the store has it: kept in memory when it is the stored game
        (or newer, while this node's writes are on the way), else replayed from the store; None before
        their first game (or when their last one cannot be replayed here: they are told why)."""
        async with student.lock:
            cached = self.sessions.get(student.record.id)
            if cached is not None and not student.recorder.settled:
                return cached
            game = await self.reader.last_game(student.record.id)
            if game is None:
                return None
            if cached is not None and same_game(cached, game):
                return cached
            return self.resume(student, game)

    def resume(self, student: Student, game: GameRecord) -> PlaySession | None:
        """Replay a recorded game and keep it; None (and a notice) when this node cannot."""
        scenario = self.scenarios.get(game.scenario_id)
        if scenario is None:
            student.say(f"Your last game was of \u201c{game.scenario_title}\u201d, which is not offered in this "
                        "session: pick a story to play.")
            return None
        save = SaveData(game.scenario_id, game.role, game.seed, tuple(choice.choice_id for choice in game.choices),
                        scenario.content_hash, game_id=game.id,
                        answers=tuple((answer.question_index, answer.answer) for answer in game.answers),
                        check=check_log(game) if self.settings.check or game.checks else None)
        try:
            session, message = PlaySession.from_save(scenario, save, observers=(student.recorder,))
        except SaveError as error:
            student.say(f"Your last game cannot be continued ({error}): pick a story to play.")
            return None
        if message:
            student.say(f"Your game was continued as far as the story allows: {message}.")
            kept, game_id, place = session.step, game.id, session.state.place
            student.recorder.queue("cut a game to the choices that replay",
                                   lambda store: store.undo(game_id, kept + 1, place))
        self._keep(student, session)
        return session

    def start(self, student: Student, scenario: Scenario, role: str) -> PlaySession:
        """A new game of `scenario` as `role` (ChoiceError for a role it does not have)."""
        session = PlaySession.new(scenario, role, observers=(student.recorder,), check=self.settings.check)
        session.begin()
        self._keep(student, session)
        return session

    async def settle(self, student: Student) -> bool:
        """Wait, at most `write_wait` seconds, for the student's queued writes to land.

        Returns:
            True when they all landed; False when the page goes on from memory (they stay queued).
        """
        pending = student.recorder.take_pending()
        if not pending:
            return True
        _, waiting = await asyncio.wait([asyncio.wrap_future(future) for future in pending],
                                        timeout=self.settings.write_wait)
        return not waiting

    def _keep(self, student: Student, session: PlaySession) -> None:
        recorder = student.recorder
        self.sessions.put(student.record.id, session, lambda: recorder.settled)

    # ------------------------------------------------------------------ the class

    async def ended(self) -> bool:
        """Whether the teacher ended the session (on any node): read from the store at most every
        `ENDED_SECONDS`; once ended, always ended."""
        if self.board.ended:
            return True
        now = time.monotonic()
        if now - self._ended_checked >= ENDED_SECONDS:
            self._ended_checked = now
            if await self.reader.setting(ended_setting(self.settings.class_code)) is not None:
                self.board.end()
        return self.board.ended

    async def end(self) -> None:
        """End the session for every node: the mark is written to the store (and waited for)."""
        name, at = ended_setting(self.settings.class_code), iso(utc_now())
        landed = self.writer.submit("end the session", lambda store: store.put_setting(name, at))
        await asyncio.wait([asyncio.wrap_future(landed)], timeout=self.settings.write_wait)
        self.board.end()

    async def refresh_board(self) -> Board:
        """Read the class from the store onto the board (and whether it has ended)."""
        lines = await self.reader.class_lines(self.settings.class_code)
        self.board.show(progress_of(line, self.scenarios, self.settings.check) for line in lines)
        await self.ended()
        return self.board
