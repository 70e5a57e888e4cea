"""The one writer of the results store: every write of the web edition runs here, off the event loop.

A write is a job (a function of the `ResultsStore`) on a queue. One thread owns the store and runs
the jobs one at a time, in the order they came. A job that fails on the store (a file locked by
another program, read-only or on a full disk; a database that is down) is tried again with a
growing pause (50 ms up to 2 s) until it succeeds: never dropped, never overtaken, so the store
always holds everything this node was asked to write up to some moment.

The writer's health is `ok`, `retrying` (the store is busy or out of reach) or `failed` (any other
fault, with the store's reason); each change is passed at once to `on_health`,
from the writer's thread, so the server can tell the teacher's terminal and page.

A page that made a write waits for it a short, bounded time (`WebSettings.write_wait`); past that
the page goes on from memory and the job stays queued.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from game.classroom.records import iso, utc_now
from game.classroom.results import ResultsStore, StoreBusy, StoreError
from game.classroom.stores import open_store

logger = logging.getLogger(__name__)

T = TypeVar("T")
HealthState = Literal["ok", "retrying", "failed"]

#: How long one try waits for another program's lock before the writer counts it as a retry.
TRY_BUSY_SECONDS = 0.5
FIRST_PAUSE_SECONDS = 0.05
MAX_PAUSE_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class StoreHealth:
    """Whether writes are landing in the results file, and since when they are not."""

    state: HealthState = "ok"
    since: str = ""  # when the trouble began (ISO time), empty when ok
    reason: str = ""  # the store's own words for the last failure
    waiting: int = 0  # writes queued when this was said

    @property
    def text(self) -> str:
        """One line for the terminal and the teacher's page."""
        if self.state == "ok":
            return "ok: every write is saved"
        clock = self.since[11:19]
        if self.state == "retrying":
            return f"retrying since {clock}: the results file is busy ({self.waiting} writes waiting, none lost)"
        return f"failed since {clock}, still retrying ({self.waiting} writes waiting, none lost): {self.reason}"


@dataclass(slots=True)
class _Job:
    action: str
    work: Callable[[ResultsStore], Any]
    future: Future[Any]


class StoreWriter:
    """A thread that owns one `ResultsStore` and runs its writes in order, retrying each until it lands."""

    def __init__(self, address: str, on_health: Callable[[StoreHealth], None] = lambda health: None,
                 busy_timeout: float = TRY_BUSY_SECONDS, max_pause: float = MAX_PAUSE_SECONDS) -> None:
        """Set up the writer (call `start` to run it).

        Args:
            address: the results store (checked and made by the server before the writer starts).
            on_health: told of every change of health, from the writer's thread.
            busy_timeout: how long one try waits for a lock held by another program.
            max_pause: the longest pause between two tries of a failing write.
        """
        self.store: ResultsStore = open_store(address, busy_timeout=busy_timeout, connections=1)
        self._on_health = on_health
        self._max_pause = max_pause
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._health = StoreHealth()
        self._thread = threading.Thread(target=self._run, name="longarm-results-writer", daemon=True)

    @property
    def health(self) -> StoreHealth:
        """How the results file is taking writes now."""
        return self._health

    @property
    def waiting(self) -> int:
        """How many writes are queued or running."""
        return self._queue.unfinished_tasks

    def start(self) -> None:
        """Start the writer's thread."""
        self._thread.start()

    def submit(self, action: str, work: Callable[[ResultsStore], T]) -> Future[T]:
        """Queue a write; the future holds its result once it has landed.

        Args:
            action: what it does, in words ("record a choice"), for the log.
            work: the write, given the writer's store.

        Returns:
            A future done when the write is committed (its result is `work`'s).
        """
        future: Future[T] = Future()
        self._queue.put(_Job(action, work, future))
        return future

    def stop(self, timeout: float) -> bool:
        """Let the queued writes land (for at most `timeout` seconds), then stop.

        Returns:
            True when every write landed; False when some were still waiting (they are lost only if
            the process then exits: the server says so).
        """
        self._queue.put(None)
        self._thread.join(timeout)
        done = not self._thread.is_alive()
        if done:
            self.store.close()
        return done

    # ------------------------------------------------------------------ the thread

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                self._queue.task_done()
                return
            self._run_job(job)
            self._queue.task_done()

    def _run_job(self, job: _Job) -> None:
        attempt = 0
        while True:
            try:
                result = job.work(self.store)
            except StoreError as error:
                attempt += 1
                self._say("retrying" if isinstance(error, StoreBusy) else "failed", str(error))
                time.sleep(pause_for(attempt, self._max_pause))
                continue
            except Exception as error:  # noqa: BLE001 - a bug in one job must not stop every later write
                logger.error("could not %s: %s", job.action, error)
                job.future.set_exception(error)
                return
            self._say("ok", "")
            job.future.set_result(result)
            return

    def _say(self, state: HealthState, reason: str) -> None:
        """Change the health (and tell) when the state or the reason is new."""
        before = self._health
        if state == before.state and reason == before.reason:
            return
        since = "" if state == "ok" else before.since or iso(utc_now())
        self._health = StoreHealth(state, since, reason, max(0, self.waiting - (1 if state == "ok" else 0)))
        try:
            self._on_health(self._health)
        except Exception as error:  # noqa: BLE001 - telling must never stop writing
            logger.error("could not report the results file's health: %s", error)


def pause_for(attempt: int, max_pause: float = MAX_PAUSE_SECONDS) -> float:
    """The pause before try number `attempt` (from 1) of a failing write: 50 ms, doubling, capped."""
    return float(min(FIRST_PAUSE_SECONDS * 2.0 ** max(0, attempt - 1), max_pause))

