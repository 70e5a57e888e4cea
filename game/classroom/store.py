"""The SQLite results store: every student's game, choice, written answer and check answer, in one file.

Many processes may write to one file at once (several `longarm play` games of a class, the web
edition's writer, a report being read), so the file is in WAL mode (readers never block the
writer, and writers queue) with a busy timeout: a writer waits its turn for up to
`BUSY_TIMEOUT_SECONDS` instead of failing. Each write is its own transaction, committed before the
call returns, so a game killed mid-way keeps every choice made until then.

`synchronous = FULL`: each commit syncs the WAL to disk before it returns. In WAL mode NORMAL
would already survive a killed process (the commit is in the WAL, in the OS's hands), but a power
cut or an OS crash could roll back the last commits; FULL closes that too. It costs about 0.25 ms
a commit on this project's machine (0.02 ms with NORMAL), nothing beside a class's pace: a choice
every few seconds a student.

The format (`game.classroom.schema`, the same as the PostgreSQL store's) is versioned with
`PRAGMA user_version`, and `PRAGMA application_id` marks the file as Long Arm's, so another
program's database is refused rather than written into. A file that is damaged, foreign, or from a
newer Long Arm gives a `StoreError` whose message says so. A file of an older format is brought up
to this one when it is opened (each step, in one transaction); one that cannot be written (a
read-only copy) is still read, as it is. A new file is made 0600: it holds students' names and
answers.

The connection is opened on first use (so creating a store never fails), reopened after an error
or in a forked child, and guarded by a lock so threads of one process can share a store.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from game.classroom import schema
from game.classroom import statements as sql
from game.classroom.records import CheckRecord, ClassLine, GameRecord, StudentRecord
from game.classroom.results import StoreBusy, StoreError
from game.classroom.rows import (
    GAME_COLUMNS,
    LINE_COLUMNS,
    LINE_COUNTS,
    LINE_STEPS,
    STUDENT_COLUMNS,
    check_row,
    class_lines_of,
    game_row,
    games_of,
    student_record,
    text,
)
from game.engine import paths

__all__ = ["APPLICATION_ID", "BUSY_TIMEOUT_SECONDS", "SCHEMA_VERSION", "SqliteStore", "StoreBusy", "StoreError",
           "default_path"]

SCHEMA_VERSION = schema.SCHEMA_VERSION
APPLICATION_ID = 0x4C41524D  # "LARM"
BUSY_TIMEOUT_SECONDS = 15.0
#: A results file the store creates is readable and writable by its owner only.
FILE_MODE = 0o600
_SQLITE_HEADER = b"SQLite format 3\x00"

T = TypeVar("T")
Row = tuple[object, ...]

#: The last game of each student `s`: the teacher's view and its answers use it.
_LAST_GAME = "(SELECT id FROM games WHERE student_id = s.id ORDER BY started_at DESC, id DESC LIMIT 1)"


def default_path() -> Path:
    """`results.sqlite` in the user's data folder, or what `LONGARM_RESULTS` names (set by `longarm serve`)."""
    return paths.results_path()


class SqliteStore:
    """One results file. `create=False` (for reports) refuses a missing file instead of making one."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True,
                 busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.create = create
        self.busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._version = SCHEMA_VERSION  # the open file's format: older only in a copy that cannot be migrated

    @property
    def where(self) -> str:
        """The file's path."""
        return str(self.path)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (the next call opens it again)."""
        with self._lock:
            self._drop()

    # ------------------------------------------------------------------ writing

    def start_game(self, game: GameRecord) -> None:
        """Record a new game (its choices, if any, are written with `add_choice`)."""
        self._run("record a new game", lambda connection: connection.execute(sql.INSERT_GAME, game_row(game)))

    def add_choice(self, game_id: str, step: int, scene_id: str, choice_id: str, at: str,
                   place: str | None = None) -> None:
        """Record the game's choice number `step` (from 1); it replaces one left there by an undo."""
        def work(connection: sqlite3.Connection) -> None:
            connection.execute(
                "INSERT OR REPLACE INTO choices (game_id, step, scene_id, choice_id, at) VALUES (?, ?, ?, ?, ?)",
                (game_id, step, scene_id, choice_id, at))
            if place is not None:
                connection.execute("UPDATE games SET place = ? WHERE id = ?", (place, game_id))

        self._run("record a choice", work)

    def undo(self, game_id: str, from_step: int, place: str | None = None) -> None:
        """Delete the game's choices from `from_step` on; the game is no longer at an ending."""
        def work(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM choices WHERE game_id = ? AND step >= ?", (game_id, from_step))
            connection.execute("UPDATE games SET ended_at = NULL, ending_id = NULL, ending_tone = NULL, "
                               "facts_found = '[]', place = coalesce(?, place) WHERE id = ?", (place, game_id))

        self._run("record an undo", work)

    def end_game(self, game_id: str, ending_id: str, tone: str, facts_found: Sequence[str], at: str) -> None:
        """Record the ending reached and the facts found; StoreError if the game is not in the store."""
        def work(connection: sqlite3.Connection) -> int:
            return connection.execute(
                sql.END_GAME, (at, ending_id, tone, json.dumps(list(facts_found)), ending_id, game_id)).rowcount

        if self._run("record an ending", work) == 0:
            raise StoreError(f"the game {game_id} is not in {self.path}")

    def answer(self, game_id: str, question_index: int, question: str, text: str, at: str) -> None:
        """Record a written answer; a later answer to the same question replaces the earlier."""
        self._run("record an answer", lambda connection: connection.execute(
            sql.ANSWER, (game_id, question_index, question, text, at)))

    def check_answer(self, game_id: str, check: CheckRecord) -> None:
        """Record an answer to an item of the knowledge check; a later one to the same item in the same
        check replaces it."""
        self._run("record a check answer", lambda connection: connection.execute(
            sql.CHECK_ANSWER, check_row(game_id, check)))

    def sync_game(self, game: GameRecord) -> None:
        """Make the store hold exactly this game's row, choices and check answers (after writes that
        failed).

        The game row is added or its ending brought up to date; choices already stored keep their
        time, missing ones are added, and any past the game's last choice are deleted. Check answers
        are added or brought up to date.
        """
        def work(connection: sqlite3.Connection) -> None:
            connection.execute(sql.SYNC_GAME, game_row(game))
            connection.execute(sql.DELETE_CHOICES_AFTER, (game.id, len(game.choices)))
            connection.executemany(sql.SYNC_CHOICE, [(game.id, c.step, c.scene_id, c.choice_id, c.at)
                                                     for c in game.choices])
            if game.checks:
                connection.executemany(sql.CHECK_ANSWER, [check_row(game.id, check) for check in game.checks])

        self._run("bring a game up to date", work)

    def add_student(self, student: StudentRecord, token_hash: str) -> None:
        """Record a student who joined a class; `token_hash` is the hash of the cookie that names them."""
        self._run("record a student", lambda connection: connection.execute(
            sql.INSERT_STUDENT, (token_hash, student.id, student.class_code, student.name, student.anonymous_id, student.joined_at)))

    def keep_setting(self, name: str, value: str) -> str:
        """The value stored under `name`; `value` is stored first when there is none (so two
        processes asking at once both get the one that was stored)."""
        def work(connection: sqlite3.Connection) -> str:
            connection.execute("INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)", (name, value))
            return text(connection.execute(sql.SETTING, (name,)).fetchone()[0])

        return self._run("keep a setting", work)

    def put_setting(self, name: str, value: str) -> None:
        """Store `value` under `name`, replacing any other."""
        self._run("store a setting", lambda connection: connection.execute(sql.PUT_SETTING, (name, value)))

    def add_wrong_try(self, address: str, door: str, at: float, forget_before: float) -> None:
        """Count a wrong code from `address` at `door`; tries older than `forget_before` go."""
        def work(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM wrong_tries WHERE at < ?", (forget_before,))
            connection.execute("INSERT INTO wrong_tries (address, door, at) VALUES (?, ?, ?)", (address, door, at))

        self._run("count a wrong code", work)

    # ------------------------------------------------------------------ reading

    def setting(self, name: str) -> str | None:
        """The value stored under `name`, or None."""
        def work(connection: sqlite3.Connection) -> Row | None:
            if self._version < 2:
                return None
            found: Row | None = connection.execute(sql.SETTING, (name,)).fetchone()
            return found

        row = self._run("read a setting", work, write=False)
        return None if row is None else text(row[0])

    def students(self, class_code: str | None = None) -> tuple[StudentRecord, ...]:
        """Every student who joined (the class, in any case, when given), first to join first."""
        where = " WHERE class_code = ? COLLATE NOCASE" if class_code is not None else ""
        params = (class_code.strip(),) if class_code is not None else ()

        def work(connection: sqlite3.Connection) -> list[Row]:
            if self._version < 2:
                return []
            return connection.execute(f"SELECT {STUDENT_COLUMNS} FROM students{where} ORDER BY joined_at, id",
                                      params).fetchall()

        return tuple(student_record(row) for row in self._run("read the students", work, write=False))

    def student_by_token(self, token_hash: str) -> StudentRecord | None:
        """The student whose cookie has this hash, or None."""
        def work(connection: sqlite3.Connection) -> Row | None:
            if self._version < 2:
                return None
            found: Row | None = connection.execute(sql.STUDENT_BY_TOKEN, (token_hash,)).fetchone()
            return found

        row = self._run("read a student", work, write=False)
        return None if row is None else student_record(row)

    def token_hashes(self, class_code: str | None = None) -> dict[str, str]:
        """The hash of each student's cookie (of the class, in any case, when given), by student id."""
        where = " WHERE class_code = ? COLLATE NOCASE" if class_code is not None else ""
        params = (class_code.strip(),) if class_code is not None else ()

        def work(connection: sqlite3.Connection) -> list[Row]:
            if self._version < 2:
                return []
            return connection.execute(f"SELECT id, token_hash FROM students{where}", params).fetchall()

        return {text(key): text(value) for key, value in self._run("read the students", work, write=False)}

    def games(self, class_code: str | None = None, scenario_id: str | None = None,
              student_id: str | None = None) -> tuple[GameRecord, ...]:
        """Every game (of one class, in any case, of one scenario, of one student, when given), oldest
        first, with its choices and answers, all read from one snapshot of the file."""
        where, params = sql.game_filters("g.class_code = ? COLLATE NOCASE", class_code, scenario_id, student_id)

        def work(connection: sqlite3.Connection) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
            if self._version < 2 and student_id is not None:
                return [], [], [], []
            checks = (connection.execute(sql.CHECKS_OF_GAMES.format(where=where), params).fetchall()
                      if self._version >= 4 else [])
            return (
                connection.execute(f"SELECT {self._game_columns()} FROM games g{where} ORDER BY started_at, id",
                                   params).fetchall(),
                connection.execute(f"SELECT c.game_id, c.step, c.scene_id, c.choice_id, c.at FROM choices c "
                                   f"JOIN games g ON g.id = c.game_id{where} ORDER BY c.game_id, c.step",
                                   params).fetchall(),
                connection.execute(f"SELECT a.game_id, a.question_index, a.question, a.answer, a.at FROM answers a "
                                   f"JOIN games g ON g.id = a.game_id{where} ORDER BY a.game_id, a.question_index",
                                   params).fetchall(),
                checks)

        return games_of(*self._run("read the results", work, write=False))

    def last_game(self, student_id: str) -> GameRecord | None:
        """The game the student started last, with its choices and answers; None before their first."""
        def work(connection: sqlite3.Connection) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
            if self._version < 2:
                return [], [], [], []
            games = connection.execute(f"SELECT {self._game_columns()} FROM games WHERE student_id = ? "
                                       "ORDER BY started_at DESC, id DESC LIMIT 1", (student_id,)).fetchall()
            if not games:
                return [], [], [], []
            game_id = games[0][0]
            checks = connection.execute(sql.CHECKS_OF_GAME, (game_id,)).fetchall() if self._version >= 4 else []
            return (games,
                    connection.execute("SELECT game_id, step, scene_id, choice_id, at FROM choices WHERE game_id = ? "
                                       "ORDER BY step", (game_id,)).fetchall(),
                    connection.execute("SELECT game_id, question_index, question, answer, at FROM answers "
                                       "WHERE game_id = ? ORDER BY question_index", (game_id,)).fetchall(),
                    checks)

        found = games_of(*self._run("read a student's game", work, write=False))
        return found[0] if found else None

    def class_lines(self, class_code: str) -> tuple[ClassLine, ...]:
        """Each student of the class with their last game, its number of choices and of check items
        answered before and after play, first to join first."""
        params = (class_code.strip(),)

        def work(connection: sqlite3.Connection) -> tuple[list[Row], list[Row]]:
            if self._version < 3:
                return [], []
            counts = LINE_COUNTS if self._version >= 4 else f"{LINE_STEPS}, 0, 0"  # no check before format 4
            return (
                connection.execute(
                    f"SELECT {LINE_COLUMNS}, {counts} "
                    f"FROM students s LEFT JOIN games g ON g.id = {_LAST_GAME} "
                    "WHERE s.class_code = ? COLLATE NOCASE ORDER BY s.joined_at, s.id", params).fetchall(),
                connection.execute(
                    "SELECT a.game_id, a.question_index, a.question, a.answer, a.at FROM answers a "
                    f"WHERE a.game_id IN (SELECT {_LAST_GAME} FROM students s WHERE s.class_code = ? COLLATE NOCASE) "
                    "ORDER BY a.game_id, a.question_index", params).fetchall())

        return class_lines_of(*self._run("read the class", work, write=False))

    def wrong_tries(self, address: str, door: str, since: float) -> tuple[float, ...]:
        """The times of the wrong codes from `address` at `door` since `since`, oldest first."""
        def work(connection: sqlite3.Connection) -> list[Row]:
            if self._version < 3:
                return []
            return connection.execute(sql.WRONG_TRIES, (address, door, since)).fetchall()

        return tuple(float(row[0]) for row in self._run("read the wrong codes", work, write=False))  # type: ignore[arg-type]

    def schema_version(self) -> int:
        """The file's results format."""
        return self._run("read the format version", lambda connection: int(
            connection.execute("PRAGMA user_version").fetchone()[0]), write=False)

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: "ok", or what is wrong."""
        return self._run("check the file", lambda connection: "\n".join(
            str(row[0]) for row in connection.execute("PRAGMA integrity_check")), write=False)

    def check(self) -> str:
        """A quick check that the file answers: "ok", or the reason it does not."""
        try:
            self._run("check the file", lambda connection: connection.execute("SELECT count(*) FROM settings"
                                                                               ).fetchone(), write=False)
        except StoreError as error:
            return str(error)
        return "ok"

    def _game_columns(self) -> str:
        """The game columns this file has (an older read-only copy lacks the newer ones)."""
        columns = GAME_COLUMNS
        if self._version < 3:
            columns = columns.replace(", place", ", NULL")
        if self._version < 2:
            columns = columns.replace("student_id", "NULL")
        return columns

    # ------------------------------------------------------------------ the connection

    def _run(self, action: str, work: Callable[[sqlite3.Connection], T], write: bool = True) -> T:
        """`work` in one transaction, committed before returning. A writer takes the write lock at
        once (BEGIN IMMEDIATE), so waiting for it goes through the busy timeout and never deadlocks.

        SQLite answers "busy" without waiting in a few moments (a file switching to WAL, or being
        recovered after a crash); those are tried again, from the start, until the timeout.
        """
        deadline = time.monotonic() + self.busy_timeout
        with self._lock:
            while True:
                try:
                    return self._attempt(work, write)
                except sqlite3.Error as error:
                    self._drop()
                    if _is_busy(error) and time.monotonic() < deadline:
                        time.sleep(random.uniform(0.005, 0.05))
                        continue
                    kind = StoreBusy if _is_busy(error) else StoreError
                    raise kind(_explain(self.path, action, error, self.busy_timeout)) from None

    def _attempt(self, work: Callable[[sqlite3.Connection], T], write: bool) -> T:
        connection = self._connect()
        connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            result = work(connection)
            connection.execute("COMMIT")
            return result
        except BaseException:
            _roll_back(connection)
            raise

    def _connect(self) -> sqlite3.Connection:
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        self._connection = None  # one inherited from a parent process is never used (SQLite forbids it)
        self._connection, self._version = _open_checked(self.path, self.create, self.busy_timeout)
        self._pid = os.getpid()
        return self._connection

    def _drop(self) -> None:
        """Forget the connection; the next call opens and checks the file again."""
        if self._connection is not None and self._pid == os.getpid():
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
        self._connection = None


def _open_checked(path: Path, create: bool, busy_timeout: float) -> tuple[sqlite3.Connection, int]:
    """A connection to a Long Arm results file, made first when `create`, and the file's format
    (this one's, unless an older file could not be migrated); StoreError otherwise."""
    _check_file(path, create)
    try:
        connection = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path}: {error}") from None
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = FULL")
        return connection, _prepare(connection, path, create)
    except BaseException:
        connection.close()
        raise


def _check_file(path: Path, create: bool) -> None:
    try:
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a results file")
        if not path.exists():
            if not create:
                raise StoreError(f"there is no results file at {path}")
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
            return
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_HEADER))
    except OSError as error:
        raise StoreError(f"cannot use {path}: {error.strerror or error}") from None
    if not header and create:
        return  # an empty file: SQLite makes it a database
    if header != _SQLITE_HEADER:
        raise StoreError(f"{path} is not a Long Arm results file (it is not an SQLite database, "
                         "or its start is damaged)")


def _create_private(path: Path) -> None:
    """Make an empty file only its owner can read and write (SQLite then makes it a database).
    Another process making it first is fine: that is the file both then use."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        pass


def _prepare(connection: sqlite3.Connection, path: Path, create: bool) -> int:
    """Check the file is a results file Long Arm reads; make the tables in a new, empty one, and bring
    an older one up to this format. Returns the file's format."""
    application_id, version, tables = _inspect(connection)
    if (application_id, version) == (0, 0) and not tables:
        if not create:
            raise StoreError(f"{path} holds no results: no game has been recorded in it")
        _change_schema(connection)
        application_id, version, tables = _inspect(connection)
    if application_id != APPLICATION_ID:
        raise StoreError(f"{path} is a database of another program, not a Long Arm results file")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path} was written by a newer Long Arm (results format {version}; this one reads "
                         f"format {SCHEMA_VERSION}): update Long Arm to read it")
    if version not in schema.TABLES:
        raise StoreError(f"{path} has an unknown results format ({version})")
    _check_tables(path, version, tables)
    if version < SCHEMA_VERSION:
        try:
            _change_schema(connection)
        except sqlite3.OperationalError as error:
            if create or "readonly" not in str(error):
                raise
            return version  # a read-only copy of an older file: read as it is
        application_id, version, tables = _inspect(connection)
        _check_tables(path, version, tables)
    return version


def _check_tables(path: Path, version: int, tables: set[str]) -> None:
    missing = [name for name in schema.TABLES[version] if name not in tables]
    if missing:
        raise StoreError(f"{path} is damaged: the table(s) {', '.join(missing)} are missing")


def _change_schema(connection: sqlite3.Connection) -> None:
    """Make the tables of a new file, or bring an older file up to this format, in one transaction,
    unless another process did it between our look and our write lock."""
    connection.execute("PRAGMA journal_mode = WAL")  # kept in the file: every later connection uses it
    connection.execute("BEGIN IMMEDIATE")
    try:
        application_id, version, tables = _marks_and_tables(connection)
        if (application_id, version) == (0, 0) and not tables:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            application_id = APPLICATION_ID
        if application_id == APPLICATION_ID:
            for target, statements in schema.steps_after("sqlite", version):
                for statement in statements:
                    connection.execute(statement)
                version = target
            connection.execute(f"PRAGMA user_version = {version}")
        connection.execute("COMMIT")
    except BaseException:
        _roll_back(connection)
        raise


def _roll_back(connection: sqlite3.Connection) -> None:
    """Undo an open transaction; the error that led here is the one to report, not this one's."""
    try:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
    except sqlite3.Error:
        pass


def _inspect(connection: sqlite3.Connection) -> tuple[int, int, set[str]]:
    """The file's marks and tables, read together: another process may be making them right now."""
    connection.execute("BEGIN")
    try:
        return _marks_and_tables(connection)
    finally:
        connection.execute("COMMIT")


def _marks_and_tables(connection: sqlite3.Connection) -> tuple[int, int, set[str]]:
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return int(application_id), int(version), tables


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error)
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _explain(path: Path, action: str, error: sqlite3.Error, busy_timeout: float) -> str:
    text = str(error)
    if _is_busy(error):
        return (f"could not {action}: {path} stayed busy for more than {busy_timeout:g} s "
                "(another program may be holding it)")
    if isinstance(error, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return f"{path} is damaged (SQLite says: {text}); it cannot be read as a Long Arm results file"
    if "readonly" in text or "read-only" in text:
        return f"could not {action}: {path} cannot be written (SQLite says: {text})"
    return f"could not {action} in {path}: {text}"
