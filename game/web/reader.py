"""Reading the results store off the event loop: threads of their own, with their own connections.

Every node reads what it does not hold from the store: a student another node let in, their
game's latest state, the class for the teacher's view, the wrong codes of an address, the class's
end. In WAL mode an SQLite reader never waits for a writer, and PostgreSQL's readers never do, so a
busy store does not slow these reads; they run in threads all the same, so a slow disk or a slow
database never stalls the pages of other students. A file is read by one thread (its connection is
one); a database by `workers` threads, each with a connection from the pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from game.classroom.records import ClassLine, GameRecord, StudentRecord
from game.classroom.report import report_of
from game.classroom.results import ResultsStore, is_database
from game.classroom.stores import open_store
from game.classroom.summary import load_for_report
from game.engine.runtime.model import Scenario

T = TypeVar("T")
#: Reading threads (and connections) for a database; a file has one.
DATABASE_READERS = 4


class StoreReader:
    """Reads students, games, the class, settings and wrong codes, in threads of its own."""

    def __init__(self, address: str, workers: int | None = None) -> None:
        """Read the store at `address` (made by the server before the reader starts)."""
        self.address = address
        count = workers or (DATABASE_READERS if is_database(address) else 1)
        self._store: ResultsStore = open_store(address, create=False, connections=count)
        self._threads = ThreadPoolExecutor(max_workers=count, thread_name_prefix="longarm-results-reader")

    async def last_game(self, student_id: str) -> GameRecord | None:
        """The game the student started last, with its choices and answers; None before their first."""
        return await self._off_loop(lambda: self._store.last_game(student_id))

    async def student(self, token_hash: str) -> StudentRecord | None:
        """The student whose cookie has this hash (whichever node let them in), or None."""
        return await self._off_loop(lambda: self._store.student_by_token(token_hash))

    async def class_lines(self, class_code: str) -> tuple[ClassLine, ...]:
        """The teacher's view of the class: each student and their last game."""
        return await self._off_loop(lambda: self._store.class_lines(class_code))

    async def setting(self, name: str) -> str | None:
        """A setting's value, or None."""
        return await self._off_loop(lambda: self._store.setting(name))

    async def wrong_tries(self, address: str, door: str, since: float) -> tuple[float, ...]:
        """The times of the wrong codes from `address` at `door` since `since`."""
        return await self._off_loop(lambda: self._store.wrong_tries(address, door, since))

    async def check(self) -> str:
        """"ok" when the store answers, else why not."""
        return await self._off_loop(self._store.check)

    async def report(self, class_code: str, scenarios: Mapping[str, Scenario]) -> str:
        """The class report (HTML) of this class's games; `scenarios` are the stories served (any other
        is looked up as `longarm report` does)."""
        def scenario_for(scenario_id: str) -> Scenario | None:
            return scenarios.get(scenario_id) or load_for_report(scenario_id)

        return await self._off_loop(lambda: report_of(self._store, "html", class_code, scenario_for=scenario_for))

    def close(self) -> None:
        """Finish the reads in progress, then close the connections."""
        self._threads.shutdown(wait=True)
        self._store.close()

    async def _off_loop(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, work)
