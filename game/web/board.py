"""The teacher's live board: who has joined, where each student is, endings and answers, store health.

The board is a view of the results store, not of this node's memory: every student of the class
is read with their last game (`ResultsStore.class_lines`, one query), so a teacher connected to
any node sees the students of every node. The teacher's page reads it when it is drawn; its live
stream reads it again every `POLL_SECONDS` (the stated delay: a choice made on any node shows
within that) and sends it only when it changed. Each line is built from stored values (the game's
place, its number of choices, its ending, the answers with their questions), so drawing the board
replays no game, whatever the size of the store.

The store's health is this node's: whether its own writes are landing. Anyone waiting for news
(the live stream) awaits `changed`; `version` counts changes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from game.classroom.records import ClassLine, StudentRecord
from game.engine.runtime.model import Scenario
from game.web.writer import StoreHealth

#: How often the live stream reads the class from the store.
POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class AnswerLine:
    """One written answer, under its question."""

    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Progress:
    """Where one student is, as the teacher sees it."""

    student: StudentRecord
    scenario_title: str = ""  # empty until they pick a story
    role_title: str = ""
    place_title: str = ""  # the scene they are reading, or the ending reached
    step: int = 0  # choices taken
    ending_title: str = ""
    tone: str = ""
    answers: tuple[AnswerLine, ...] = ()

    @property
    def playing(self) -> bool:
        """The student has picked a story."""
        return bool(self.scenario_title)

    @property
    def finished(self) -> bool:
        """The student's game reached an ending."""
        return bool(self.ending_title)


def progress_of(line: ClassLine, scenarios: Mapping[str, Scenario]) -> Progress:
    """A student's progress from their line in the store; titles come from the story when it is
    served here, else the stored ids stand in for them."""
    game = line.game
    if game is None:
        return Progress(line.student)
    answers = tuple(AnswerLine(answer.question, answer.answer) for answer in game.answers)
    scenario = scenarios.get(game.scenario_id)
    if scenario is None:
        return Progress(line.student, game.scenario_title, game.role, game.place or "", line.steps,
                        game.ending_id or "", game.ending_tone or "", answers)
    role = scenario.roles.get(game.role)
    ending = scenario.endings.get(game.ending_id) if game.ending_id else None
    return Progress(
        student=line.student, scenario_title=scenario.title, role_title=role.title if role else game.role,
        place_title=scenario.place_title(game.place) if game.place else "", step=line.steps,
        ending_title=ending.title if ending else (game.ending_id or ""),
        tone=ending.tone if ending else (game.ending_tone or ""), answers=answers)


class Board:
    """Everything the teacher's page shows, as last read from the store."""

    def __init__(self) -> None:
        self._progress: tuple[Progress, ...] = ()  # in the order students joined
        self.health = StoreHealth()
        self.ended = False
        self.version = 0
        self._changed = asyncio.Event()

    @property
    def students(self) -> tuple[Progress, ...]:
        """Every student, first to join first."""
        return self._progress

    def show(self, progress: Iterable[Progress]) -> None:
        """The class as just read from the store (a change only when something differs)."""
        fresh = tuple(progress)
        if fresh != self._progress:
            self._progress = fresh
            self._touch()

    def set_health(self, health: StoreHealth) -> None:
        """This node's results writer's health changed."""
        self.health = health
        self._touch()

    def end(self) -> None:
        """The session has ended (on this node's word or another's): no more joining or choosing."""
        if not self.ended:
            self.ended = True
            self._touch()

    async def changed(self, seen: int, timeout: float) -> bool:
        """Wait until the board is newer than version `seen`, for at most `timeout` seconds.

        Returns:
            True when it changed, False on timeout.
        """
        if self.version != seen:
            return True
        event = self._changed
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def as_json(self) -> dict[str, object]:
        """The board for the live page's script (every value is text or a number: it is shown as text)."""
        students = self.students
        return {
            "version": self.version, "ended": self.ended,
            "health": {"state": self.health.state, "text": self.health.text},
            "joined": len(students), "playing": sum(1 for p in students if p.playing),
            "finished": sum(1 for p in students if p.finished),
            "students": [{
                "name": p.student.display, "id": p.student.anonymous_id if p.student.name else "",
                "scenario": p.scenario_title,
                "role": p.role_title, "place": p.place_title, "step": p.step, "ending": p.ending_title,
                "tone": p.tone, "answers": [{"question": a.question, "answer": a.answer} for a in p.answers],
            } for p in students],
        }

    def wake(self) -> None:
        """Wake everyone waiting in `changed` (the server is stopping), changing nothing."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def _touch(self) -> None:
        self.version += 1
        self.wake()
