"""The PostgreSQL results store: the same tables and formats as the SQLite file, in a database that
several `longarm serve` nodes share. The only module that imports psycopg.

Connections come from a psycopg_pool pool (opened on first use, at most `connections` at once, each
in autocommit). A write is one transaction, committed before the call returns (PostgreSQL's own
durability: the commit is in its write-ahead log on disk); most writes are one statement (a choice
and the game's new place together, by a data-modifying WITH), so one round trip. A read that takes
one statement runs in
autocommit, which is one snapshot; a read of several statements runs in one REPEATABLE READ
transaction, so it too sees one moment.

The format is kept in a table of its own, `longarm_meta` (the application's name, and the format
number): PostgreSQL has no `PRAGMA user_version`. A new database is given every step of
`game.classroom.schema` at once; an older one is brought up to date, under an advisory lock, so
two nodes starting together migrate it once. A database with tables but no mark is another
program's and is refused, untouched.

Errors are `StoreError`s in plain words; a database that is down or unreachable, or no free
connection within the timeout, is `StoreBusy` (the web edition's writer then says "retrying" and
keeps every write until it lands).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from game.classroom import schema
from game.classroom import statements as sql
from game.classroom.records import CheckRecord, ClassLine, GameRecord, StudentRecord
from game.classroom.results import StoreBusy, StoreError, shown
from game.classroom.rows import (
    GAME_COLUMNS,
    LINE_COLUMNS,
    LINE_COUNTS,
    CHECK_COLUMNS,
    STUDENT_COLUMNS,
    check_row,
    class_lines_of,
    game_row,
    games_of,
    student_record,
    text,
)

APPLICATION = "Long Arm results"
#: An advisory lock key ("LARM") so that two nodes never make or migrate the tables at once.
SCHEMA_LOCK = 0x4C41524D
DEFAULT_TIMEOUT_SECONDS = 15.0
#: A health check waits this long for a connection, at most.
CHECK_TIMEOUT_SECONDS = 2.0

T = TypeVar("T")
Connection = psycopg.Connection[Any]

_INSERT_GAME = sql.for_postgres(sql.INSERT_GAME)
_SYNC_GAME = sql.for_postgres(sql.SYNC_GAME)
_DELETE_CHOICES_AFTER = sql.for_postgres(sql.DELETE_CHOICES_AFTER)
_SYNC_CHOICE = sql.for_postgres(sql.SYNC_CHOICE)
_END_GAME = sql.for_postgres(sql.END_GAME)
_ANSWER = sql.for_postgres(sql.ANSWER)
_CHECK_ANSWER = sql.for_postgres(sql.CHECK_ANSWER)
_INSERT_STUDENT = sql.for_postgres(sql.INSERT_STUDENT)
_PUT_SETTING = sql.for_postgres(sql.PUT_SETTING)
_SETTING = sql.for_postgres(sql.SETTING)
_STUDENT_BY_TOKEN = sql.for_postgres(sql.STUDENT_BY_TOKEN)
_WRONG_TRIES = sql.for_postgres(sql.WRONG_TRIES)
_CLASS = "lower(class_code) = lower(%s)"
_META = "CREATE TABLE longarm_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"


class PostgresStore:
    """One PostgreSQL database of results, shared by every node that names it."""

    def __init__(self, address: str, *, create: bool = True, timeout: float | None = None,
                 connections: int = 4) -> None:
        """Name the database (nothing is opened until the first call).

        Args:
            address: a `postgresql://` address (libpq's: user, password, host, port, database, options).
            create: make the tables in an empty database; False refuses a database with no results.
            timeout: how long a call may wait for a connection.
            connections: the most connections open at once.
        """
        self.address = address
        self.create = create
        self.timeout = DEFAULT_TIMEOUT_SECONDS if timeout is None else timeout
        self.connections = max(1, connections)
        self._lock = threading.Lock()
        self._pool: ConnectionPool[Connection] | None = None
        self._pid = 0
        self._version = 0  # the database's format, once checked

    @property
    def where(self) -> str:
        """The database's address, without its password."""
        return shown(self.address)

    def close(self) -> None:
        """Close every connection (the next call opens the pool again)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None and self._pid == os.getpid():
            pool.close()

    # ------------------------------------------------------------------ writing

    def start_game(self, game: GameRecord) -> None:
        """Record a new game (its choices, if any, are written with `add_choice`)."""
        self._write("record a new game", lambda db: db.execute(_INSERT_GAME, game_row(game)), single=True)

    def add_choice(self, game_id: str, step: int, scene_id: str, choice_id: str, at: str,
                   place: str | None = None) -> None:
        """Record the game's choice number `step` (from 1); it replaces one left there by an undo."""
        self._write("record a choice", lambda db: db.execute(
            "WITH chosen AS (INSERT INTO choices (game_id, step, scene_id, choice_id, at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (game_id, step) DO UPDATE SET scene_id = excluded.scene_id, "
            "choice_id = excluded.choice_id, at = excluded.at) "
            "UPDATE games SET place = %s WHERE id = %s AND %s::text IS NOT NULL",
            (game_id, step, scene_id, choice_id, at, place, game_id, place)), single=True)

    def undo(self, game_id: str, from_step: int, place: str | None = None) -> None:
        """Delete the game's choices from `from_step` on; the game is no longer at an ending."""
        self._write("record an undo", lambda db: db.execute(
            "WITH gone AS (DELETE FROM choices WHERE game_id = %s AND step >= %s) "
            "UPDATE games SET ended_at = NULL, ending_id = NULL, ending_tone = NULL, facts_found = '[]', "
            "place = coalesce(%s, place) WHERE id = %s", (game_id, from_step, place, game_id)), single=True)

    def end_game(self, game_id: str, ending_id: str, tone: str, facts_found: Sequence[str], at: str) -> None:
        """Record the ending reached and the facts found; StoreError if the game is not in the store."""
        def work(db: Connection) -> int:
            return db.execute(_END_GAME, (at, ending_id, tone, json.dumps(list(facts_found)), ending_id,
                                          game_id)).rowcount

        if self._write("record an ending", work, single=True) == 0:
            raise StoreError(f"the game {game_id} is not in {self.where}")

    def answer(self, game_id: str, question_index: int, question: str, text: str, at: str) -> None:
        """Record a written answer; a later answer to the same question replaces the earlier."""
        self._write("record an answer", lambda db: db.execute(
            _ANSWER, (game_id, question_index, question, text, at)), single=True)

    def check_answer(self, game_id: str, check: CheckRecord) -> None:
        """Record an answer to an item of the knowledge check; a later one to the same item replaces it."""
        self._write("record a check answer", lambda db: db.execute(_CHECK_ANSWER, check_row(game_id, check)),
                    single=True)

    def sync_game(self, game: GameRecord) -> None:
        """Make the store hold exactly this game's row, choices and check answers (after writes that failed)."""
        def work(db: Connection) -> None:
            db.execute(_SYNC_GAME, game_row(game))
            db.execute(_DELETE_CHOICES_AFTER, (game.id, len(game.choices)))
            with db.cursor() as cursor:
                cursor.executemany(_SYNC_CHOICE, [(game.id, c.step, c.scene_id, c.choice_id, c.at)
                                                  for c in game.choices])
                if game.checks:
                    cursor.executemany(_CHECK_ANSWER, [check_row(game.id, check) for check in game.checks])

        self._write("bring a game up to date", work)

    def add_student(self, student: StudentRecord, token_hash: str) -> None:
        """Record a student who joined a class; `token_hash` is the hash of the cookie that names them."""
        self._write("record a student", lambda db: db.execute(
            _INSERT_STUDENT, (token_hash, student.id, student.class_code, student.name, student.anonymous_id, student.joined_at)),
            single=True)

    def keep_setting(self, name: str, value: str) -> str:
        """The value stored under `name`; `value` is stored first when there is none."""
        def work(db: Connection) -> str:
            db.execute("INSERT INTO settings (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                       (name, value))
            row = db.execute(_SETTING, (name,)).fetchone()
            return text(row[0] if row else value)

        return self._write("keep a setting", work)

    def put_setting(self, name: str, value: str) -> None:
        """Store `value` under `name`, replacing any other."""
        self._write("store a setting", lambda db: db.execute(_PUT_SETTING, (name, value)), single=True)

    def add_wrong_try(self, address: str, door: str, at: float, forget_before: float) -> None:
        """Count a wrong code from `address` at `door`; tries older than `forget_before` go."""
        self._write("count a wrong code", lambda db: db.execute(
            "WITH old AS (DELETE FROM wrong_tries WHERE at < %s) "
            "INSERT INTO wrong_tries (address, door, at) VALUES (%s, %s, %s)", (forget_before, address, door, at)),
            single=True)

    # ------------------------------------------------------------------ reading

    def setting(self, name: str) -> str | None:
        """The value stored under `name`, or None."""
        row = self._read("read a setting", lambda db: db.execute(_SETTING, (name,)).fetchone())
        return None if row is None else text(row[0])

    def students(self, class_code: str | None = None) -> tuple[StudentRecord, ...]:
        """Every student who joined (the class, in any case, when given), first to join first."""
        where = f" WHERE {_CLASS}" if class_code is not None else ""
        params = (class_code.strip(),) if class_code is not None else ()
        rows = self._read("read the students", lambda db: db.execute(
            f"SELECT {STUDENT_COLUMNS} FROM students{where} ORDER BY joined_at, id", params).fetchall())
        return tuple(student_record(row) for row in rows)

    def student_by_token(self, token_hash: str) -> StudentRecord | None:
        """The student whose cookie has this hash, or None."""
        row = self._read("read a student", lambda db: db.execute(_STUDENT_BY_TOKEN, (token_hash,)).fetchone())
        return None if row is None else student_record(row)

    def games(self, class_code: str | None = None, scenario_id: str | None = None,
              student_id: str | None = None) -> tuple[GameRecord, ...]:
        """Every game (of one class, in any case, of one scenario, of one student, when given), oldest
        first, with its choices and answers, all read from one snapshot."""
        where, params = sql.game_filters("lower(g.class_code) = lower(?)", class_code, scenario_id, student_id)
        where = sql.for_postgres(where)

        def work(db: Connection) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
            return (
                db.execute(f"SELECT {GAME_COLUMNS} FROM games g{where} ORDER BY started_at, id", params).fetchall(),
                db.execute(f"SELECT c.game_id, c.step, c.scene_id, c.choice_id, c.at FROM choices c "
                           f"JOIN games g ON g.id = c.game_id{where} ORDER BY c.game_id, c.step", params).fetchall(),
                db.execute(f"SELECT a.game_id, a.question_index, a.question, a.answer, a.at FROM answers a "
                           f"JOIN games g ON g.id = a.game_id{where} ORDER BY a.game_id, a.question_index",
                           params).fetchall(),
                db.execute(sql.CHECKS_OF_GAMES.format(where=where), params).fetchall())

        return games_of(*self._read("read the results", work, snapshot=True))

    def last_game(self, student_id: str) -> GameRecord | None:
        """The game the student started last, with its choices and answers (one statement)."""
        row = self._read("read a student's game", lambda db: db.execute(
            f"SELECT {GAME_COLUMNS}, "
            "(SELECT coalesce(json_agg(json_build_array(step, scene_id, choice_id, at) ORDER BY step), '[]') "
            " FROM choices WHERE game_id = g.id), "
            "(SELECT coalesce(json_agg(json_build_array(question_index, question, answer, at) "
            "  ORDER BY question_index), '[]') FROM answers WHERE game_id = g.id), "
            f"(SELECT coalesce(json_agg(json_build_array({CHECK_COLUMNS}) ORDER BY phase DESC, item_index), '[]') "
            " FROM checks WHERE game_id = g.id) "
            "FROM games g WHERE student_id = %s ORDER BY started_at DESC, id DESC LIMIT 1", (student_id,)).fetchone())
        if row is None:
            return None
        game_id = row[0]
        [game] = games_of([row[:-3]], [(game_id, *choice) for choice in row[-3]],
                          [(game_id, *answer) for answer in row[-2]], [(game_id, *check) for check in row[-1]])
        return game

    def class_lines(self, class_code: str) -> tuple[ClassLine, ...]:
        """Each student of the class with their last game, its number of choices and of check items
        answered before and after play (one statement)."""
        rows = self._read("read the class", lambda db: db.execute(
            f"SELECT {LINE_COLUMNS}, {LINE_COUNTS}, coalesce(n.answers, '[]') FROM students s "
            "LEFT JOIN LATERAL (SELECT * FROM games WHERE student_id = s.id "
            "  ORDER BY started_at DESC, id DESC LIMIT 1) g ON true "
            "LEFT JOIN LATERAL (SELECT "
            "  (SELECT json_agg(json_build_array(question_index, question, answer, at) ORDER BY question_index) "
            "   FROM answers a WHERE a.game_id = g.id) AS answers) n ON true "
            f"WHERE lower(s.class_code) = lower(%s) ORDER BY s.joined_at, s.id", (class_code.strip(),)).fetchall())
        answers = [(row[5], *answer) for row in rows if row[5] is not None for answer in row[-1]]
        return class_lines_of([row[:-1] for row in rows], answers)

    def wrong_tries(self, address: str, door: str, since: float) -> tuple[float, ...]:
        """The times of the wrong codes from `address` at `door` since `since`, oldest first."""
        rows = self._read("read the wrong codes", lambda db: db.execute(_WRONG_TRIES, (address, door, since)).fetchall())
        return tuple(float(row[0]) for row in rows)

    def schema_version(self) -> int:
        """The database's results format."""
        self._read("read the format version", lambda db: None)
        return self._version

    def check(self) -> str:
        """A quick check that the database answers: "ok", or the reason it does not."""
        try:
            with self._connection("check the database", CHECK_TIMEOUT_SECONDS) as db:
                db.execute("SELECT 1 FROM settings LIMIT 1").fetchall()
        except StoreError as error:
            return str(error)
        return "ok"

    # ------------------------------------------------------------------ the connections

    def _write(self, action: str, work: Callable[[Connection], T], single: bool = False) -> T:
        """`work` in one transaction, committed before returning; `single`: it is one statement,
        which autocommit already makes one transaction (one round trip instead of three)."""
        with self._connection(action) as db:
            try:
                if single:
                    return work(db)
                with db.transaction():
                    return work(db)
            except psycopg.Error as error:
                raise _as_store_error(self.where, action, error) from None

    def _read(self, action: str, work: Callable[[Connection], T], snapshot: bool = False) -> T:
        with self._connection(action) as db:
            try:
                if not snapshot:
                    return work(db)
                with db.transaction():
                    db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    return work(db)
            except psycopg.Error as error:
                raise _as_store_error(self.where, action, error) from None

    @contextmanager
    def _connection(self, action: str, timeout: float | None = None) -> Iterator[Connection]:
        """A checked connection from the pool, for one call."""
        pool = self._the_pool()
        try:
            with pool.connection(timeout=self.timeout if timeout is None else timeout) as db:
                if not self._version:
                    self._prepare(db)
                yield db
        except PoolTimeout:
            raise StoreBusy(f"could not {action}: no connection to {self.where} within "
                            f"{self.timeout if timeout is None else timeout:g} s (is PostgreSQL running and "
                            "reachable?)") from None
        except psycopg.Error as error:
            raise _as_store_error(self.where, action, error) from None

    def _the_pool(self) -> ConnectionPool[Connection]:
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                self._pool = ConnectionPool(
                    self.address, min_size=1, max_size=self.connections, open=False, name="longarm",
                    kwargs={"autocommit": True, "connect_timeout": max(1, int(min(self.timeout, 10))),
                            "application_name": "longarm"},
                    reconnect_timeout=0)
                self._pid = os.getpid()
                self._version = 0
                try:
                    self._pool.open(wait=False)
                except psycopg.Error as error:
                    raise _as_store_error(self.where, "open the database", error) from None
            return self._pool

    def _prepare(self, db: Connection) -> None:
        """Check the database holds Long Arm's results (or make them, or bring them up to date)."""
        with db.transaction():  # its tables and its mark, seen at one moment (another node may be migrating)
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            version = _format_of(db, self.where)
        if version is None:
            if not self.create:
                raise StoreError(f"{self.where} holds no results: no game has been recorded in it")
        if version is None or version < schema.SCHEMA_VERSION:
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                version = _format_of(db, self.where)  # another node may have done it meanwhile
                if version is None:
                    db.execute(_META)
                    db.execute("INSERT INTO longarm_meta (name, value) VALUES ('application', %s), ('format', '0')",
                               (APPLICATION,))
                    version = 0
                for target, statements in schema.steps_after("postgres", version):
                    for statement in statements:
                        db.execute(statement)
                    version = target
                db.execute("UPDATE longarm_meta SET value = %s WHERE name = 'format'", (str(version),))
        if version > schema.SCHEMA_VERSION:
            raise StoreError(f"{self.where} was written by a newer Long Arm (results format {version}; this one "
                             f"reads format {schema.SCHEMA_VERSION}): update Long Arm to use it")
        self._version = version


def _format_of(db: Connection, where: str) -> int | None:
    """The database's results format; None when it has no tables at all; StoreError when its tables
    are another program's or its mark is damaged."""
    tables = {row[0] for row in db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()").fetchall()}
    if "longarm_meta" not in tables:
        if tables:
            raise StoreError(f"{where} is a database of another program (it has tables, but not Long Arm's): "
                             "give Long Arm a database of its own")
        return None
    marks = dict(db.execute("SELECT name, value FROM longarm_meta").fetchall())
    if marks.get("application") != APPLICATION or not str(marks.get("format", "")).isdigit():
        raise StoreError(f"{where} is not a Long Arm results database (its mark is missing or damaged)")
    version = int(marks["format"])
    if 0 < version <= schema.SCHEMA_VERSION:
        missing = [name for name in schema.TABLES[version] if name not in tables]
        if missing:
            raise StoreError(f"{where} is damaged: the table(s) {', '.join(missing)} are missing")
    return version


def _as_store_error(where: str, action: str, error: psycopg.Error) -> StoreError:
    """A psycopg error as a StoreError in plain words (StoreBusy when the database is out of reach)."""
    words = " ".join(str(error).split()) or type(error).__name__
    if isinstance(error, psycopg.OperationalError):
        return StoreBusy(f"could not {action}: {where} cannot be reached ({words})")
    return StoreError(f"could not {action} in {where}: {words}")
