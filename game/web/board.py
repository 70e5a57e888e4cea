"""The teacher's live board: who has joined, where each student is, endings and answers, store health.

The board lives in memory and is kept up to date by the students' play sessions (a
`ProgressTracker` observer per student) and by the results writer (its health). It never reads the
results file while the class plays: the teacher's page costs the students nothing. At start the
server fills it from the file, so a restarted server shows the class as it was.

Anyone waiting for news (the teacher's live stream) awaits `changed`; `version` counts changes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from game.classroom.records import StudentRecord
from game.session.events import GameSnapshot, Notice, SessionEvent
from game.web.writer import StoreHealth


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


def progress_of(student: StudentRecord, game: GameSnapshot) -> Progress:
    """A student's progress at one moment of their game."""
    ending = game.ending
    questions = ending.debrief.questions if ending is not None else ()
    return Progress(
        student=student, scenario_title=game.scenario.title, role_title=game.scenario.roles[game.role].title,
        place_title=game.scenario.place_title(game.state.place), step=len(game.state.choices),
        ending_title=ending.title if ending is not None else "", tone=ending.tone if ending is not None else "",
        answers=tuple(AnswerLine(questions[index], text) for index, text in game.answers
                      if 0 <= index < len(questions)))


class Board:
    """Everything the teacher's page shows, in memory."""

    def __init__(self) -> None:
        self._progress: dict[str, Progress] = {}  # by student id, in the order they joined
        self.health = StoreHealth()
        self.ended = False
        self.version = 0
        self._changed = asyncio.Event()

    @property
    def students(self) -> tuple[Progress, ...]:
        """Every student, first to join first."""
        return tuple(self._progress.values())

    def joined(self, student: StudentRecord) -> None:
        """A student joined (or was read back from the file)."""
        self._progress.setdefault(student.id, Progress(student))
        self._touch()

    def update(self, progress: Progress) -> None:
        """A student's game moved on."""
        self._progress[progress.student.id] = progress
        self._touch()

    def left_game(self, student: StudentRecord) -> None:
        """A student went back to pick another story: no game in progress."""
        self._progress[student.id] = Progress(student)
        self._touch()

    def set_health(self, health: StoreHealth) -> None:
        """The results writer's health changed."""
        self.health = health
        self._touch()

    def end(self) -> None:
        """The teacher ended the session: no more joining or choosing."""
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


class ProgressTracker:
    """A play-session observer that moves one student's line on the board."""

    def __init__(self, board: Board, student: StudentRecord) -> None:
        self.board = board
        self.student = student

    def on_event(self, event: SessionEvent) -> Notice | None:
        """Show where the student is after `event`."""
        self.board.update(progress_of(self.student, event.game))
        return None
