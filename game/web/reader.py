"""Reading the results file off the event loop: one thread with its own connection.

In WAL mode a reader never waits for a writer, so a busy file does not slow these reads; they run
in their own thread all the same, so a slow disk never stalls the pages of other students.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from game.classroom.records import GameRecord
from game.classroom.report import build_report
from game.classroom.store import ResultsStore
from game.classroom.summary import load_for_report
from game.engine.runtime.model import Scenario

T = TypeVar("T")


class StoreReader:
    """Reads a student's last game and the class report, in a thread of its own."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = ResultsStore(path, create=False)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="longarm-results-reader")

    async def last_game(self, student_id: str) -> GameRecord | None:
        """The game the student started last, with its choices and answers; None before their first."""
        games = await self._off_loop(lambda: self._store.games(student_id=student_id))
        return games[-1] if games else None

    async def report(self, class_code: str, scenarios: Mapping[str, Scenario]) -> str:
        """The class report (HTML) of this class's games; `scenarios` are the stories served (any other
        is looked up as `longarm report` does)."""
        def scenario_for(scenario_id: str) -> Scenario | None:
            return scenarios.get(scenario_id) or load_for_report(scenario_id)

        return await self._off_loop(lambda: build_report(self.path, "html", class_code, scenario_for=scenario_for))

    def close(self) -> None:
        """Finish the read in progress, then close the connection."""
        self._thread.shutdown(wait=True)
        self._store.close()

    async def _off_loop(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work)
