"""What the results store holds, as values: one game, its choices, its written answers and its
knowledge check's answers, a student who joined a class in the web edition, and a line of the
teacher's live view.

The store returns these frozen dataclasses and the report reads them; nothing here touches SQL.
Times are ISO 8601 strings in UTC, as written; `parse_time` reads them back (None for a time that
is missing or not a time, so a hand-edited file cannot break a report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """An ISO 8601 UTC time to the millisecond, e.g. 2019-11-08T09:30:00.000+00:00."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ChoiceRecord:
    """One choice a student made, as the results store keeps it."""

    step: int  # 1 for the game's first choice
    scene_id: str  # the scene the choice was made in
    choice_id: str
    at: str


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """A student's written answer to one of the debrief's questions."""

    question_index: int  # the question's place in the ending's debrief, from 0
    question: str
    answer: str
    at: str


@dataclass(frozen=True, slots=True)
class CheckRecord:
    """One answer to an item of the knowledge check, in the check "before" play or "after" it."""

    phase: str  # "before" or "after"
    item_id: str
    item_index: int  # the item's place in the check when it was answered, from 0
    question: str
    option: int | None  # the option's index; None for "I don't know"
    answer: str  # the option's words, or "I don't know"
    right: bool
    at: str


@dataclass(frozen=True, slots=True)
class GameRecord:
    """One game as recorded; `choices` and `answers` are filled when read back, in order."""

    id: str  # a uuid4
    scenario_id: str
    scenario_title: str
    role: str
    seed: int
    player: str | None  # the name the student typed, or None
    anonymous_id: str  # e.g. student-7f3a9c: always set, shown when there is no name
    class_code: str | None
    started_at: str
    ended_at: str | None = None
    ending_id: str | None = None
    ending_tone: str | None = None
    facts_found: tuple[str, ...] = ()
    choices: tuple[ChoiceRecord, ...] = ()
    answers: tuple[AnswerRecord, ...] = ()
    student_id: str | None = None  # the web edition's student who played it; None for a terminal game
    place: str | None = None  # the scene (or ending) the game is at now, as last recorded
    checks: tuple[CheckRecord, ...] = ()  # the knowledge check's answers, before then after, in item order

    @property
    def student(self) -> str:
        """The name the teacher sees: the player's name, else the anonymous id. A web student with a
        name also shows their id, since two students may type the same name: "Dara (student-7f3a9c)"."""
        if self.player and self.student_id:
            return f"{self.player} ({self.anonymous_id})"
        return self.player or self.anonymous_id

    @property
    def student_key(self) -> str:
        """Who this is, for counting students: the web edition's student (two students who typed the
        same name are two students), else a name (any case) or, without one, the anonymous id."""
        if self.student_id:
            return f"student:{self.student_id}"
        return f"name:{self.player.casefold()}" if self.player else f"anon:{self.anonymous_id}"

    @property
    def finished(self) -> bool:
        return self.ending_id is not None

    @property
    def seconds(self) -> float | None:
        """From start to ending, for a finished game with readable times."""
        start, end = parse_time(self.started_at), parse_time(self.ended_at)
        if start is None or end is None:
            return None
        return max(0.0, (end - start).total_seconds())


@dataclass(frozen=True, slots=True)
class StudentRecord:
    """A student who joined a class in the web edition; their games carry this `id`.

    The store also keeps the hash of the random cookie that names the student (never the cookie
    itself): that, not the name, tells students apart.
    """

    id: str  # random, e.g. a uuid4
    class_code: str | None
    name: str | None  # as typed, cleaned; None for a student who gave none
    anonymous_id: str  # e.g. student-7f3a9c: shown when there is no name
    joined_at: str

    @property
    def display(self) -> str:
        """The name the teacher sees: the student's name, else the anonymous id."""
        return self.name or self.anonymous_id


@dataclass(frozen=True, slots=True)
class ClassLine:
    """A student of a class and where their last game stands: one line of the teacher's live view,
    read from the store in one query, so every node of a class shows the same view."""

    student: StudentRecord
    game: GameRecord | None  # their last game, with its answers but not its choices; None before their first
    steps: int = 0  # the choices taken in that game
    checked_before: int = 0  # the items of that game's knowledge check answered before play (never whether right)
    checked_after: int = 0  # and after the debrief
