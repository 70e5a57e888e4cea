"""The teacher's live board: who has joined, where each student is, endings and answers, store health.

The board is a view of the results store, not of this node's memory: every student of the class
is read with their last game (`ResultsStore.class_lines`, one query), so a teacher connected to
any node sees the students of every node. The teacher's page reads it when it is drawn; its live
stream reads it again every `POLL_SECONDS` (the stated delay: a choice made on any node shows
within that) and sends it only when it changed. Each line is built from stored values (the game's
place, its number of choices, its ending, the answers with their questions), so drawing the board
replays no game, whatever the size of the store.

With the knowledge check on (`--check on`), each line also says where the student is with it:
how many of the check's items they have answered before play and after the debrief, read as two
counts on that same query. Only progress: the board never shows an answer, or whether it was right
(it may be on a projector). With the check off, nothing about it shows.

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
class CheckProgress:
    """Where one student is with the knowledge check of their game: how many of its items they have
    answered in each check (never which answer, nor whether it was right)."""

    items: int  # the check's items
    before: int = 0  # answered before play
    after: int = 0  # answered after the debrief
    over: bool = False  # the game is at an ending: the check after the debrief is due

    @property
    def before_done(self) -> bool:
        return self.before >= self.items

    @property
    def after_done(self) -> bool:
        return self.after >= self.items

    @property
    def words(self) -> str:
        """The progress as the teacher reads it, e.g. "before: done, after: 2 of 7 answered"."""
        said = f"before: {self._phase(self.before)}"
        if self.after or (self.over and self.before_done):
            said += f", after: {self._phase(self.after)}"
        return said

    def _phase(self, answered: int) -> str:
        return "done" if answered >= self.items else f"{answered} of {self.items} answered"


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
    check: CheckProgress | None = None  # None: the check is off, or not in this game's story

    @property
    def check_words(self) -> str:
        """Where the student is with the knowledge check, in words ("" when it does not apply)."""
        return self.check.words if self.check is not None else ""

    @property
    def playing(self) -> bool:
        """The student has picked a story."""
        return bool(self.scenario_title)

    @property
    def finished(self) -> bool:
        """The student's game reached an ending."""
        return bool(self.ending_title)


def progress_of(line: ClassLine, scenarios: Mapping[str, Scenario], check: bool = False) -> Progress:
    """A student's progress from their line in the store; titles come from the story when it is
    served here, else the stored ids stand in for them. With `check` (the knowledge check is on),
    their progress with the check of their game's story, when it has one and is served here."""
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
    items = len(scenario.check)
    return Progress(
        student=line.student, scenario_title=scenario.title, role_title=role.title if role else game.role,
        place_title=scenario.place_title(game.place) if game.place else "", step=line.steps,
        ending_title=ending.title if ending else (game.ending_id or ""),
        tone=ending.tone if ending else (game.ending_tone or ""), answers=answers,
        check=CheckProgress(items, min(line.checked_before, items), min(line.checked_after, items),
                            game.finished) if check and items else None)


class Board:
    """Everything the teacher's page shows, as last read from the store."""

    def __init__(self, check: bool = False) -> None:
        """An empty board; `check`: the knowledge check is on, so the board shows each student's progress with it."""
        self.check = check
        self._progress: tuple[Progress, ...] = ()  # in the order students joined
        self.health = StoreHealth()
        self.ended = False
        self.version = 0
        self._changed = asyncio.Event()

    @property
    def students(self) -> tuple[Progress, ...]:
        """Every student, first to join first."""
        return self._progress

    @property
    def checked_before(self) -> int:
        """The students who have answered every item of the check before play."""
        return sum(1 for p in self._progress if p.check is not None and p.check.before_done)

    @property
    def checked_after(self) -> int:
        """The students who have answered every item of the check after the debrief."""
        return sum(1 for p in self._progress if p.check is not None and p.check.after_done)

    @property
    def check_counts(self) -> str:
        """The class's progress with the knowledge check, in words ("" when it is off)."""
        if not self.check:
            return ""
        return (f"Knowledge check: {self.checked_before} done before play, "
                f"{self.checked_after} done after the debrief.")

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
        board: dict[str, object] = {
            "version": self.version, "ended": self.ended,
            "health": {"state": self.health.state, "text": self.health.text},
            "joined": len(students), "playing": sum(1 for p in students if p.playing),
            "finished": sum(1 for p in students if p.finished),
            "students": [{
                "name": p.student.display, "id": p.student.anonymous_id if p.student.name else "",
                "scenario": p.scenario_title,
                "role": p.role_title, "place": p.place_title, "step": p.step, "ending": p.ending_title,
                "tone": p.tone, "answers": [{"question": a.question, "answer": a.answer} for a in p.answers],
                **({"check": p.check_words} if self.check else {}),
            } for p in students],
        }
        if self.check:  # with the check off, nothing about it is sent
            board.update({"check": True, "checked_before": self.checked_before, "checked_after": self.checked_after,
                          "check_counts": self.check_counts})
        return board

    def wake(self) -> None:
        """Wake everyone waiting in `changed` (the server is stopping), changing nothing."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def _touch(self) -> None:
        self.version += 1
        self.wake()
