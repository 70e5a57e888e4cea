"""The results store: every student's game, choice and written answer, in one SQLite file.

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

The schema is versioned with `PRAGMA user_version`, and `PRAGMA application_id` marks the file as
Long Arm's, so another program's database is refused rather than written into. A file that is
damaged, foreign, or from a newer Long Arm gives a `StoreError` whose message says so. A file of an
older format is brought up to this one when it is opened (each step in `_MIGRATIONS`, in one
transaction); one that cannot be written (a read-only copy) is still read, as it is.

Format 2 adds the web edition's students (each known by the hash of the random cookie that names
them, never by name), each game's `student_id`, and `settings` (the web server's secret, kept so
that a restarted server still accepts its students' forms). A new file is made 0600: it holds
students' names and answers.

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

from game.classroom.records import AnswerRecord, ChoiceRecord, GameRecord, StudentRecord
from game.engine import paths

SCHEMA_VERSION = 2
APPLICATION_ID = 0x4C41524D  # "LARM"
BUSY_TIMEOUT_SECONDS = 15.0
#: A results file the store creates is readable and writable by its owner only.
FILE_MODE = 0o600
_SQLITE_HEADER = b"SQLite format 3\x00"
#: The tables each format has (a file missing one of them is damaged).
_TABLES = {1: ("answers", "choices", "games"), 2: ("answers", "choices", "games", "students", "settings")}

# Format 1: games, their choices and answers. A new file is made as format 1, then migrated.
_SCHEMA = (
    """CREATE TABLE games (
        id TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        role TEXT NOT NULL,
        seed INTEGER NOT NULL,
        player TEXT,
        anonymous_id TEXT NOT NULL,
        class_code TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        ending_id TEXT,
        ending_tone TEXT,
        facts_found TEXT NOT NULL DEFAULT '[]'
    )""",
    "CREATE INDEX games_by_class ON games (class_code COLLATE NOCASE, started_at)",
    "CREATE INDEX games_by_scenario ON games (scenario_id, started_at)",
    """CREATE TABLE choices (
        game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        scene_id TEXT NOT NULL,
        choice_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (game_id, step)
    ) WITHOUT ROWID""",
    """CREATE TABLE answers (
        game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
        question_index INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (game_id, question_index)
    ) WITHOUT ROWID""",
)

# The steps from each format to the next: _MIGRATIONS[1] makes a format 1 file format 2.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        """CREATE TABLE students (
            id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            class_code TEXT,
            name TEXT,
            anonymous_id TEXT NOT NULL,
            joined_at TEXT NOT NULL
        )""",
        "CREATE INDEX students_by_class ON students (class_code COLLATE NOCASE, joined_at)",
        "ALTER TABLE games ADD COLUMN student_id TEXT REFERENCES students (id)",
        "CREATE INDEX games_by_student ON games (student_id, started_at)",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    ),
}

T = TypeVar("T")
Row = tuple[object, ...]

_GAME_COLUMNS = ("id, scenario_id, scenario_title, role, seed, player, anonymous_id, class_code, started_at, "
                 "ended_at, ending_id, ending_tone, facts_found, student_id")
_GAME_SLOTS = ", ".join("?" * 14)
_STUDENT_COLUMNS = "id, class_code, name, anonymous_id, joined_at"


class StoreError(Exception):
    """A results file that cannot be used or written; the message says why in plain words."""


class StoreBusy(StoreError):
    """Another connection held the file's write lock for longer than the busy timeout: a later try
    may well succeed."""


def default_path() -> Path:
    """`results.sqlite` in the user's data folder, or what `LONGARM_RESULTS` names (set by `longarm serve`)."""
    return paths.results_path()


class ResultsStore:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._drop()

    # ------------------------------------------------------------------ writing

    def start_game(self, game: GameRecord) -> None:
        """Record a new game (its choices, if any, are written with `add_choice`)."""
        self._run("record a new game", lambda connection: connection.execute(
            f"INSERT INTO games ({_GAME_COLUMNS}) VALUES ({_GAME_SLOTS})", _game_row(game)))

    def add_choice(self, game_id: str, step: int, scene_id: str, choice_id: str, at: str) -> None:
        """Record the game's choice number `step` (from 1); it replaces one left there by an undo."""
        self._run("record a choice", lambda connection: connection.execute(
            "INSERT OR REPLACE INTO choices (game_id, step, scene_id, choice_id, at) VALUES (?, ?, ?, ?, ?)",
            (game_id, step, scene_id, choice_id, at)))

    def undo(self, game_id: str, from_step: int) -> None:
        """Delete the game's choices from `from_step` on; the game is no longer at an ending."""
        def work(connection: sqlite3.Connection) -> None:
            connection.execute("DELETE FROM choices WHERE game_id = ? AND step >= ?", (game_id, from_step))
            connection.execute("UPDATE games SET ended_at = NULL, ending_id = NULL, ending_tone = NULL, "
                               "facts_found = '[]' WHERE id = ?", (game_id,))

        self._run("record an undo", work)

    def end_game(self, game_id: str, ending_id: str, tone: str, facts_found: Sequence[str], at: str) -> None:
        """Record the ending reached and the facts found; StoreError if the game is not in the store."""
        def work(connection: sqlite3.Connection) -> int:
            return connection.execute(
                "UPDATE games SET ended_at = ?, ending_id = ?, ending_tone = ?, facts_found = ? WHERE id = ?",
                (at, ending_id, tone, json.dumps(list(facts_found)), game_id)).rowcount

        if self._run("record an ending", work) == 0:
            raise StoreError(f"the game {game_id} is not in {self.path}")

    def answer(self, game_id: str, question_index: int, question: str, text: str, at: str) -> None:
        """Record a written answer; a later answer to the same question replaces the earlier."""
        self._run("record an answer", lambda connection: connection.execute(
            "INSERT INTO answers (game_id, question_index, question, answer, at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (game_id, question_index) DO UPDATE SET question = excluded.question, "
            "answer = excluded.answer, at = excluded.at",
            (game_id, question_index, question, text, at)))

    def sync_game(self, game: GameRecord) -> None:
        """Make the store hold exactly this game's row and choices (after writes that failed).

        The game row is added or its ending brought up to date; choices already stored keep their
        time, missing ones are added, and any past the game's last choice are deleted.
        """
        def work(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT INTO games ({_GAME_COLUMNS}) VALUES ({_GAME_SLOTS}) ON CONFLICT (id) DO UPDATE "
                "SET ended_at = excluded.ended_at, ending_id = excluded.ending_id, "
                "ending_tone = excluded.ending_tone, facts_found = excluded.facts_found", _game_row(game))
            connection.execute("DELETE FROM choices WHERE game_id = ? AND step > ?", (game.id, len(game.choices)))
            connection.executemany(
                "INSERT INTO choices (game_id, step, scene_id, choice_id, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (game_id, step) DO UPDATE SET scene_id = excluded.scene_id, "
                "choice_id = excluded.choice_id, at = excluded.at "
                "WHERE choices.choice_id != excluded.choice_id OR choices.scene_id != excluded.scene_id",
                [(game.id, c.step, c.scene_id, c.choice_id, c.at) for c in game.choices])

        self._run("bring a game up to date", work)

    def add_student(self, student: StudentRecord, token_hash: str) -> None:
        """Record a student who joined a class; `token_hash` is the hash of the cookie that names them."""
        self._run("record a student", lambda connection: connection.execute(
            f"INSERT INTO students (token_hash, {_STUDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash, student.id, student.class_code, student.name, student.anonymous_id, student.joined_at)))

    def keep_setting(self, name: str, value: str) -> str:
        """The value stored under `name`; `value` is stored first when there is none (so two
        processes asking at once both get the one that was stored)."""
        def work(connection: sqlite3.Connection) -> str:
            connection.execute("INSERT OR IGNORE INTO settings (name, value) VALUES (?, ?)", (name, value))
            return _text(connection.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()[0])

        return self._run("keep a setting", work)

    # ------------------------------------------------------------------ reading

    def students(self, class_code: str | None = None) -> tuple[StudentRecord, ...]:
        """Every student who joined (the class, in any case, when given), first to join first."""
        where = " WHERE class_code = ? COLLATE NOCASE" if class_code is not None else ""
        params = (class_code.strip(),) if class_code is not None else ()

        def work(connection: sqlite3.Connection) -> list[Row]:
            if self._version < 2:
                return []
            return connection.execute(f"SELECT {_STUDENT_COLUMNS} FROM students{where} ORDER BY joined_at, id",
                                      params).fetchall()

        return tuple(_student_record(row) for row in self._run("read the students", work, write=False))

    def token_hashes(self, class_code: str | None = None) -> dict[str, str]:
        """The hash of each student's cookie (of the class, in any case, when given), by student id:
        what lets a restarted server know its students again."""
        where = " WHERE class_code = ? COLLATE NOCASE" if class_code is not None else ""
        params = (class_code.strip(),) if class_code is not None else ()

        def work(connection: sqlite3.Connection) -> list[Row]:
            if self._version < 2:
                return []
            return connection.execute(f"SELECT id, token_hash FROM students{where}", params).fetchall()

        return {_text(key): _text(value) for key, value in self._run("read the students", work, write=False)}


    def games(self, class_code: str | None = None, scenario_id: str | None = None,
              student_id: str | None = None) -> tuple[GameRecord, ...]:
        """Every game (of one class, in any case, of one scenario, of one student, when given), oldest
        first, with its choices and answers, all read from one snapshot of the file."""
        where, params = _filters(class_code, scenario_id, student_id)

        def work(connection: sqlite3.Connection) -> tuple[list[Row], list[Row], list[Row]]:
            if self._version < 2:  # a format 1 file that could not be migrated: no students
                if student_id is not None:
                    return [], [], []
                columns = _GAME_COLUMNS.replace("student_id", "NULL")
            else:
                columns = _GAME_COLUMNS
            return (
                connection.execute(f"SELECT {columns} FROM games g{where} ORDER BY started_at, id",
                                   params).fetchall(),
                connection.execute(f"SELECT c.game_id, c.step, c.scene_id, c.choice_id, c.at FROM choices c "
                                   f"JOIN games g ON g.id = c.game_id{where} ORDER BY c.game_id, c.step",
                                   params).fetchall(),
                connection.execute(f"SELECT a.game_id, a.question_index, a.question, a.answer, a.at FROM answers a "
                                   f"JOIN games g ON g.id = a.game_id{where} ORDER BY a.game_id, a.question_index",
                                   params).fetchall())

        game_rows, choice_rows, answer_rows = self._run("read the results", work, write=False)
        choices: dict[object, list[ChoiceRecord]] = {}
        for game_id, step, scene_id, choice_id, at in choice_rows:
            choices.setdefault(game_id, []).append(
                ChoiceRecord(_int(step), _text(scene_id), _text(choice_id), _text(at)))
        answers: dict[object, list[AnswerRecord]] = {}
        for game_id, index, question, text, at in answer_rows:
            answers.setdefault(game_id, []).append(
                AnswerRecord(_int(index), _text(question), _text(text), _text(at)))
        return tuple(_game_record(row, tuple(choices.get(row[0], ())), tuple(answers.get(row[0], ())))
                     for row in game_rows)

    def schema_version(self) -> int:
        return self._run("read the format version", lambda connection: int(
            connection.execute("PRAGMA user_version").fetchone()[0]), write=False)

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: "ok", or what is wrong."""
        return self._run("check the file", lambda connection: "\n".join(
            str(row[0]) for row in connection.execute("PRAGMA integrity_check")), write=False)

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
    if version not in _TABLES:
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
    missing = [name for name in _TABLES[version] if name not in tables]
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
            for statement in _SCHEMA:
                connection.execute(statement)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            version = 1
        if application_id in (0, APPLICATION_ID):
            while version in _MIGRATIONS:
                for statement in _MIGRATIONS[version]:
                    connection.execute(statement)
                version += 1
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


def _filters(class_code: str | None, scenario_id: str | None,
             student_id: str | None = None) -> tuple[str, tuple[str, ...]]:
    clauses, params = [], []
    if class_code is not None:
        clauses.append("g.class_code = ? COLLATE NOCASE")
        params.append(class_code.strip())
    if scenario_id is not None:
        clauses.append("g.scenario_id = ?")
        params.append(scenario_id)
    if student_id is not None:
        clauses.append("g.student_id = ?")
        params.append(student_id)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def _game_row(game: GameRecord) -> tuple[object, ...]:
    return (game.id, game.scenario_id, game.scenario_title, game.role, game.seed, game.player, game.anonymous_id,
            game.class_code, game.started_at, game.ended_at, game.ending_id, game.ending_tone,
            json.dumps(list(game.facts_found)), game.student_id)


def _game_record(row: Sequence[object], choices: tuple[ChoiceRecord, ...],
                 answers: tuple[AnswerRecord, ...]) -> GameRecord:
    (game_id, scenario_id, title, role, seed, player, anonymous_id, class_code, started_at, ended_at, ending_id,
     tone, facts, student_id) = row
    return GameRecord(
        id=_text(game_id), scenario_id=_text(scenario_id), scenario_title=_text(title), role=_text(role),
        seed=_int(seed), player=_optional(player), anonymous_id=_text(anonymous_id),
        class_code=_optional(class_code), started_at=_text(started_at), ended_at=_optional(ended_at),
        ending_id=_optional(ending_id), ending_tone=_optional(tone), facts_found=_facts(facts),
        choices=choices, answers=answers, student_id=_optional(student_id))


def _student_record(row: Sequence[object]) -> StudentRecord:
    student_id, class_code, name, anonymous_id, joined_at = row
    return StudentRecord(id=_text(student_id), class_code=_optional(class_code), name=_optional(name),
                         anonymous_id=_text(anonymous_id), joined_at=_text(joined_at))


# A file can be edited by hand: values are read back as the types the records promise.

def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return 0


def _facts(value: object) -> tuple[str, ...]:
    try:
        facts = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return ()
    return tuple(fact for fact in facts if isinstance(fact, str)) if isinstance(facts, list) else ()
