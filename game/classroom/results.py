"""The results store's interface: what every store does, and the errors it raises.

Everything that records or reads games (the terminal recorder, `longarm report`, the web edition's
writer, reader, live view and door) goes through `ResultsStore`. Two stores implement it, with the
same tables and the same versioned formats (`game.classroom.schema`):

- an SQLite file (`game.classroom.store.SqliteStore`): the default, a path such as `9b.sqlite`;
  one teacher's laptop needs nothing else;
- a PostgreSQL database (`game.classroom.pgstore.PostgresStore`): an address such as
  `postgresql://longarm@db.school.lan/longarm`, which several `longarm serve` nodes share.

`game.classroom.stores.open_store(address)` chooses by the address: one that starts with
`postgresql://` or `postgres://` is a database, anything else a file.

Every call is one transaction, committed before it returns; a store that cannot be used raises
`StoreError` with its reason in plain words, and `StoreBusy` when a later try may well succeed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from game.classroom.records import CheckRecord, ClassLine, GameRecord, StudentRecord

#: The address schemes of a PostgreSQL store.
DATABASE_SCHEMES = ("postgresql://", "postgres://")


class StoreError(Exception):
    """A results store that cannot be used or written; the message says why in plain words."""


class StoreBusy(StoreError):
    """The store was busy (another connection held its write lock) for longer than the timeout: a
    later try may well succeed."""


class ResultsStore(Protocol):
    """A results store: games, choices, answers, check answers, the web edition's students, settings
    and wrong codes."""

    @property
    def where(self) -> str:
        """The store's address as it may be shown (a database's password is never shown)."""
        ...

    def close(self) -> None:
        """Close its connections; a later call opens them again."""
        ...

    # ------------------------------------------------------------------ writing

    def start_game(self, game: GameRecord) -> None:
        """Record a new game (its choices, if any, are written with `add_choice`)."""
        ...

    def add_choice(self, game_id: str, step: int, scene_id: str, choice_id: str, at: str,
                   place: str | None = None) -> None:
        """Record the game's choice number `step` (from 1), replacing one an undo left there; `place`
        is where the choice led (the teacher's view shows it)."""
        ...

    def undo(self, game_id: str, from_step: int, place: str | None = None) -> None:
        """Delete the game's choices from `from_step` on; the game is no longer at an ending and is
        back at `place` when given."""
        ...

    def end_game(self, game_id: str, ending_id: str, tone: str, facts_found: Sequence[str], at: str) -> None:
        """Record the ending reached and the facts found; StoreError if the game is not in the store."""
        ...

    def answer(self, game_id: str, question_index: int, question: str, text: str, at: str) -> None:
        """Record a written answer; a later answer to the same question replaces the earlier."""
        ...

    def check_answer(self, game_id: str, check: CheckRecord) -> None:
        """Record an answer to an item of the knowledge check; a later answer to the same item in the
        same check replaces the earlier."""
        ...

    def sync_game(self, game: GameRecord) -> None:
        """Make the store hold exactly this game's row, choices and check answers (after writes that
        failed)."""
        ...

    def add_student(self, student: StudentRecord, token_hash: str) -> None:
        """Record a student who joined a class; `token_hash` is the hash of the cookie that names them."""
        ...

    def keep_setting(self, name: str, value: str) -> str:
        """The value stored under `name`; `value` is stored first when there is none (two processes
        asking at once both get the one that was stored)."""
        ...

    def put_setting(self, name: str, value: str) -> None:
        """Store `value` under `name`, replacing any other."""
        ...

    def add_wrong_try(self, address: str, door: str, at: float, forget_before: float) -> None:
        """Count a wrong code from `address` at `door` (at `at`, seconds since the epoch); tries older
        than `forget_before` are deleted on the way."""
        ...

    # ------------------------------------------------------------------ reading

    def setting(self, name: str) -> str | None:
        """The value stored under `name`, or None."""
        ...

    def students(self, class_code: str | None = None) -> tuple[StudentRecord, ...]:
        """Every student who joined (the class, in any case, when given), first to join first."""
        ...

    def student_by_token(self, token_hash: str) -> StudentRecord | None:
        """The student whose cookie has this hash, or None."""
        ...

    def games(self, class_code: str | None = None, scenario_id: str | None = None,
              student_id: str | None = None) -> tuple[GameRecord, ...]:
        """Every game (of one class, in any case, of one scenario, of one student, when given), oldest
        first, with its choices and answers, all read from one snapshot."""
        ...

    def last_game(self, student_id: str) -> GameRecord | None:
        """The game the student started last, with its choices and answers; None before their first."""
        ...

    def class_lines(self, class_code: str) -> tuple[ClassLine, ...]:
        """Each student of the class (in any case) with their last game, its number of choices and how
        many items of its knowledge check were answered before and after play (never whether right),
        first to join first: the teacher's live view, in one snapshot."""
        ...

    def wrong_tries(self, address: str, door: str, since: float) -> tuple[float, ...]:
        """The times of the wrong codes from `address` at `door` since `since`, oldest first."""
        ...

    def schema_version(self) -> int:
        """The store's results format."""
        ...

    def check(self) -> str:
        """A quick check that the store answers: "ok", or what is wrong (for a health check)."""
        ...


def is_database(address: str | Path) -> bool:
    """Whether `address` names a PostgreSQL database rather than an SQLite file."""
    return isinstance(address, str) and address.strip().lower().startswith(DATABASE_SCHEMES)


def shown(address: str | Path) -> str:
    """`address` as it may be printed: a database address without its password."""
    if not is_database(address):
        return str(address)
    parts = urlsplit(str(address).strip())
    if parts.password is None:
        return str(address).strip()
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ":***@"
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{user}{host}{port}", parts.path, parts.query, parts.fragment))
