"""The results format, versioned: the tables of each format and the steps from one to the next, in
SQLite's words and in PostgreSQL's, side by side so they cannot drift apart.

`STEPS[dialect][n]` makes a store of format n-1 (nothing, for n = 1) a store of format n. A store is
opened at its own format and brought up to `SCHEMA_VERSION` one step at a time, all in one
transaction; a test checks that both dialects end with the same tables and columns.

- Format 1: games, their choices and their written answers.
- Format 2: the web edition's students (each known by the hash of its cookie), each game's
  student, and settings (the server's secret, the class and teacher codes, a class's end).
- Format 3: where each game is now (`games.place`, for the teacher's live view without a replay)
  and the wrong codes per address (`wrong_tries`), so the limit holds across nodes.
- Format 4: the knowledge check's answers (`checks`): one row per game, check ("before" or
  "after") and item, with the option chosen (`chosen`, NULL for "I don't know"), its words, and
  whether it was right when it was answered (`correct`, 0 or 1).

The two differ only where the databases do: SQLite compares class codes `COLLATE NOCASE`, PostgreSQL
indexes `lower(class_code)`; SQLite's keyed tables are `WITHOUT ROWID`; a seed is a 64-bit integer.
"""

from __future__ import annotations

from typing import Literal

Dialect = Literal["sqlite", "postgres"]

SCHEMA_VERSION = 4
#: The tables each format has (a store missing one of them is damaged).
TABLES: dict[int, tuple[str, ...]] = {
    1: ("answers", "choices", "games"),
    2: ("answers", "choices", "games", "settings", "students"),
    3: ("answers", "choices", "games", "settings", "students", "wrong_tries"),
    4: ("answers", "checks", "choices", "games", "settings", "students", "wrong_tries"),
}


def _games(seed_type: str) -> str:
    return f"""CREATE TABLE games (
        id TEXT PRIMARY KEY,
        scenario_id TEXT NOT NULL,
        scenario_title TEXT NOT NULL,
        role TEXT NOT NULL,
        seed {seed_type} NOT NULL,
        player TEXT,
        anonymous_id TEXT NOT NULL,
        class_code TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        ending_id TEXT,
        ending_tone TEXT,
        facts_found TEXT NOT NULL DEFAULT '[]'
    )"""


def _choices(suffix: str) -> str:
    return f"""CREATE TABLE choices (
        game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        scene_id TEXT NOT NULL,
        choice_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (game_id, step)
    ){suffix}"""


def _answers(suffix: str) -> str:
    return f"""CREATE TABLE answers (
        game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
        question_index INTEGER NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (game_id, question_index)
    ){suffix}"""


def _checks(suffix: str) -> str:
    return f"""CREATE TABLE checks (
        game_id TEXT NOT NULL REFERENCES games (id) ON DELETE CASCADE,
        phase TEXT NOT NULL,
        item_id TEXT NOT NULL,
        item_index INTEGER NOT NULL,
        question TEXT NOT NULL,
        chosen INTEGER,
        answer TEXT NOT NULL,
        correct INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (game_id, phase, item_id)
    ){suffix}"""


_STUDENTS = """CREATE TABLE students (
            id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            class_code TEXT,
            name TEXT,
            anonymous_id TEXT NOT NULL,
            joined_at TEXT NOT NULL
        )"""

STEPS: dict[Dialect, dict[int, tuple[str, ...]]] = {
    "sqlite": {
        1: (
            _games("INTEGER"),
            "CREATE INDEX games_by_class ON games (class_code COLLATE NOCASE, started_at)",
            "CREATE INDEX games_by_scenario ON games (scenario_id, started_at)",
            _choices(" WITHOUT ROWID"),
            _answers(" WITHOUT ROWID"),
        ),
        2: (
            _STUDENTS,
            "CREATE INDEX students_by_class ON students (class_code COLLATE NOCASE, joined_at)",
            "ALTER TABLE games ADD COLUMN student_id TEXT REFERENCES students (id)",
            "CREATE INDEX games_by_student ON games (student_id, started_at)",
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        ),
        3: (
            "ALTER TABLE games ADD COLUMN place TEXT",
            "CREATE TABLE wrong_tries (address TEXT NOT NULL, door TEXT NOT NULL, at REAL NOT NULL)",
            "CREATE INDEX wrong_tries_by_address ON wrong_tries (address, door, at)",
        ),
        4: (_checks(" WITHOUT ROWID"),),
    },
    "postgres": {
        1: (
            _games("BIGINT"),
            "CREATE INDEX games_by_class ON games (lower(class_code), started_at)",
            "CREATE INDEX games_by_scenario ON games (scenario_id, started_at)",
            _choices(""),
            _answers(""),
        ),
        2: (
            _STUDENTS,
            "CREATE INDEX students_by_class ON students (lower(class_code), joined_at)",
            "ALTER TABLE games ADD COLUMN student_id TEXT REFERENCES students (id)",
            "CREATE INDEX games_by_student ON games (student_id, started_at)",
            "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ),
        3: (
            "ALTER TABLE games ADD COLUMN place TEXT",
            "CREATE TABLE wrong_tries (address TEXT NOT NULL, door TEXT NOT NULL, at DOUBLE PRECISION NOT NULL)",
            "CREATE INDEX wrong_tries_by_address ON wrong_tries (address, door, at)",
        ),
        4: (_checks(""),),
    },
}


def steps_after(dialect: Dialect, version: int) -> list[tuple[int, tuple[str, ...]]]:
    """The steps that bring a store of format `version` (0: empty) up to `SCHEMA_VERSION`, in order."""
    return [(target, STEPS[dialect][target]) for target in range(version + 1, SCHEMA_VERSION + 1)]
