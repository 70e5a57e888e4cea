"""The class in memory: its students (known by their cookie), their live games, and the board.

A student is known by the hash of their cookie, never by name. Their game is a `PlaySession`
observed by a `WebRecorder` (every event queued to the results writer) and a `ProgressTracker`
(the teacher's board). Sessions are kept in a small cache; one that is not there is replayed from
the student's last game in the results file, which is what makes a restarted server carry on
where every student was.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from game.classroom.recorder import anonymous_id
from game.classroom.records import GameRecord, StudentRecord, iso, utc_now
from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, SaveError
from game.session.cleaning import clean_name
from game.session.play import PlaySession
from game.web.board import Board, ProgressTracker, progress_of
from game.web.options import WebSettings
from game.web.reader import StoreReader
from game.web.recording import WebRecorder
from game.web.sessions import SessionCache
from game.web.tokens import new_token, token_hash
from game.web.writer import StoreWriter


@dataclass(eq=False)
class Student:
    """One student of the class, as the server holds them while it runs."""

    record: StudentRecord
    token_hash: str
    recorder: WebRecorder
    tracker: ProgressTracker
    has_game: bool | None = None  # None: not known until the file is read
    notices: list[str] = field(default_factory=list)  # said once, on the next page
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def say(self, message: str) -> None:
        """Show `message` on the student's next page."""
        if message not in self.notices:
            self.notices.append(message)

    def take_notices(self) -> list[str]:
        """The notices to show now (each is shown once)."""
        notices, self.notices = self.notices, []
        return notices


class Classroom:
    """The students, their sessions and the board of one running class session."""

    def __init__(self, settings: WebSettings, scenarios: Mapping[str, Scenario], writer: StoreWriter,
                 reader: StoreReader, board: Board) -> None:
        """Hold the class.

        Args:
            settings: the server's settings (class code, cache size, write wait).
            scenarios: the scenarios students may play, by id, in the order offered.
            writer: the results writer every write goes through.
            reader: reads games back from the results file.
            board: the teacher's board.
        """
        self.settings = settings
        self.scenarios = dict(scenarios)
        self.writer = writer
        self.reader = reader
        self.board = board
        self.sessions = SessionCache(settings.cache_size)
        self._by_token: dict[str, Student] = {}

    # ------------------------------------------------------------------ who

    def student(self, cookie: str | None) -> Student | None:
        """The student a cookie names, or None (no cookie, or one this class never gave out)."""
        if not cookie:
            return None
        return self._by_token.get(token_hash(cookie))

    def known(self, record: StudentRecord, hashed: str) -> Student:
        """A student read back from the results file at start."""
        student = Student(record, hashed, WebRecorder(self.writer, record), ProgressTracker(self.board, record))
        self._by_token[hashed] = student
        self.board.joined(record)
        return student

    def join(self, name: str | None) -> tuple[Student, str]:
        """A new student (the class code was right): recorded, on the board, with a new cookie.

        Args:
            name: what they typed as a name (cleaned here), or None.

        Returns:
            The student and the cookie value to give their browser.
        """
        cookie = new_token()
        record = StudentRecord(id=str(uuid.uuid4()), class_code=self.settings.class_code, name=clean_name(name),
                               anonymous_id=anonymous_id(), joined_at=iso(utc_now()))
        student = self.known(record, token_hash(cookie))
        student.has_game = False
        hashed = student.token_hash
        student.recorder.queue("record a student", lambda store: store.add_student(record, hashed))
        return student, cookie

    @property
    def students(self) -> tuple[Student, ...]:
        """Every student this server knows, first to join first."""
        return tuple(self._by_token.values())

    # ------------------------------------------------------------------ their games

    async def session(self, student: Student) -> PlaySession | None:
        """The student's current game: from memory, or replayed from the results file; None before
        their first game (or when their last one cannot be replayed here: they are told why)."""
        session = self.sessions.get(student.record.id)
        if session is not None or student.has_game is False:
            return session
        async with student.lock:
            session = self.sessions.get(student.record.id)
            if session is not None:
                return session
            game = await self.reader.last_game(student.record.id)
            return None if game is None else self.resume(student, game)

    def resume(self, student: Student, game: GameRecord) -> PlaySession | None:
        """Replay a recorded game and keep it; None (and a notice) when this server cannot."""
        scenario = self.scenarios.get(game.scenario_id)
        if scenario is None:
            student.say(f"Your last game was of \u201c{game.scenario_title}\u201d, which is not offered in this "
                        "session: pick a story to play.")
            student.has_game = False
            return None
        save = SaveData(game.scenario_id, game.role, game.seed, tuple(choice.choice_id for choice in game.choices),
                        scenario.content_hash, game_id=game.id,
                        answers=tuple((answer.question_index, answer.answer) for answer in game.answers))
        try:
            session, message = PlaySession.from_save(scenario, save, observers=(student.recorder, student.tracker))
        except SaveError as error:
            student.say(f"Your last game cannot be continued ({error}): pick a story to play.")
            student.has_game = False
            return None
        if message:
            student.say(f"Your game was continued as far as the story allows: {message}.")
            kept, game_id = session.step, game.id
            student.recorder.queue("cut a game to the choices that replay",
                                   lambda store: store.undo(game_id, kept + 1))
        self._keep(student, session)
        self.board.update(progress_of(student.record, session.snapshot()))
        return session

    def start(self, student: Student, scenario: Scenario, role: str) -> PlaySession:
        """A new game of `scenario` as `role` (ChoiceError for a role it does not have)."""
        session = PlaySession.new(scenario, role, observers=(student.recorder, student.tracker))
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
        student.has_game = True
        recorder = student.recorder
        self.sessions.put(student.record.id, session, lambda: recorder.settled)
