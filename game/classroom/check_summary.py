"""What the class learned, from the knowledge check's recorded answers: one scenario's `CheckSummary`.

The figures are `learning.py`'s (per-item shares, Hake's normalized gain with its bootstrap
interval, items nobody learned, the caveat); this module only gathers each student's two checks
from the recorded games and names the items, with the right answer and the fact behind each when
the scenario is loaded.

A student is counted once: by their first game of the scenario that has any check answer. A
second game's check would come after they had already played and seen the debrief, so it is
left out of every figure. Whether an answer was right is as recorded when it was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from game.classroom.learning import (
    CAVEAT,
    ClassGain,
    ItemChange,
    StudentCheck,
    class_gain,
    item_changes,
    nobody_learned,
    normalized_gain,
    score,
)
from game.classroom.records import GameRecord
from game.engine.runtime.debrief import source_line
from game.engine.runtime.model import Scenario


@dataclass(frozen=True, slots=True)
class CheckItemLine:
    """One item of the check: what it asks, what answers it, and how the class did on it."""

    number: int  # from 1, as the students saw it
    item_id: str
    question: str
    right_answer: str  # empty when the scenario could not be loaded
    fact_id: str
    fact_text: str
    quote: str
    source: str  # the citation of the fact's source
    change: ItemChange


@dataclass(frozen=True, slots=True)
class StudentChecks:
    """One student's two checks: how many items right in each (None: not taken) and their gain."""

    student: str
    before: int | None
    after: int | None
    gain: float | None  # None unless both were taken and the first was not already all right


@dataclass(frozen=True, slots=True)
class CheckSummary:
    items: tuple[CheckItemLine, ...]
    gain: ClassGain
    students: tuple[StudentChecks, ...]  # every student who took at least one check, by name
    revisit: tuple[CheckItemLine, ...]  # the items nobody learned: the facts to revisit
    caveat: str = CAVEAT

    @property
    def both(self) -> int:
        """Students who took both checks."""
        return sum(1 for student in self.students if student.before is not None and student.after is not None)


def summarise_check(games: Sequence[GameRecord], scenario: Scenario | None) -> CheckSummary | None:
    """The check's summary for one scenario's games (oldest first); None when no game has a check answer."""
    first_games: dict[str, GameRecord] = {}
    for game in games:
        if game.checks and game.student_key not in first_games:
            first_games[game.student_key] = game
    if not first_games:
        return None
    ids = _item_ids(first_games.values(), scenario)
    position = {item_id: index for index, item_id in enumerate(ids)}
    checks = []
    for game in first_games.values():
        before = {position[c.item_id]: c.right for c in game.checks if c.phase == "before" and c.item_id in position}
        after = {position[c.item_id]: c.right for c in game.checks if c.phase == "after" and c.item_id in position}
        checks.append(StudentCheck(game.student, before, after))
    changes = item_changes(checks, len(ids))
    lines = tuple(_line(index, item_id, changes[index], first_games.values(), scenario)
                  for index, item_id in enumerate(ids))
    revisit = tuple(lines[index] for index in nobody_learned(changes))
    students = tuple(sorted((_student(check, len(ids)) for check in checks), key=lambda s: s.student.casefold()))
    return CheckSummary(lines, class_gain(checks, len(ids)), students, revisit)


def _item_ids(games: Iterable[GameRecord], scenario: Scenario | None) -> list[str]:
    """The scenario's items in order, then any recorded item it no longer has, in the order asked."""
    ids = [item.id for item in scenario.check] if scenario is not None else []
    recorded = sorted({(c.item_index, c.item_id) for game in games for c in game.checks})
    ids += [item_id for _, item_id in recorded if item_id not in ids]
    return list(dict.fromkeys(ids))


def _line(index: int, item_id: str, change: ItemChange, games: Iterable[GameRecord],
          scenario: Scenario | None) -> CheckItemLine:
    item = next((item for item in scenario.check if item.id == item_id), None) if scenario is not None else None
    if item is None or scenario is None:
        question = next((c.question for game in games for c in game.checks if c.item_id == item_id), item_id)
        return CheckItemLine(index + 1, item_id, question, "", "", "", "", "", change)
    fact = scenario.facts[item.fact]
    return CheckItemLine(index + 1, item.id, item.question, item.right_option, fact.id, fact.text, fact.quote,
                         source_line(scenario.sources[fact.source]), change)


def _student(check: StudentCheck, items: int) -> StudentChecks:
    before = sum(check.before.values()) if check.before else None
    after = sum(check.after.values()) if check.after else None
    gain = normalized_gain(score(check.before, items), score(check.after, items)) if check.complete else None
    return StudentChecks(check.student, before, after, gain)
