"""The knowledge check: a few multiple-choice items asked before play and again after the debrief.

A scenario may carry a check (`Scenario.check`): each `CheckItem` has its question, two to four
options, the index of the right one, and the fact whose quoted words support the right answer. A
game that takes the check keeps a `CheckLog` of the answers given in each phase ("before" and
"after"); an answer is an option's index, or None for "I don't know", which counts as not right.

`own_change` is what a student sees once both checks are complete: item by item, whether they
were right before and after, the right answer, and the fact that answers it. Nothing here shows a
score before then; the front ends ask `CheckLog.complete` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Phase = Literal["before", "after"]
#: The two checks, in the order they are asked.
PHASES: tuple[Phase, ...] = ("before", "after")
#: What a front end offers beside the options: an honest answer, counted as not right.
DONT_KNOW = "I don't know"

#: How many items a check has, and how many options an item has (the loader enforces both).
MIN_ITEMS, MAX_ITEMS = 4, 8
MIN_OPTIONS, MAX_OPTIONS = 2, 4


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One multiple-choice item of a knowledge check."""

    id: str  # unique within the check: how saves and results name the item
    question: str
    options: tuple[str, ...]  # shown in this order, before and after alike
    answer: int  # the index of the right option
    fact: str  # the id of the fact whose quote supports the right answer
    line: int = 0  # where the item starts in its file

    @property
    def right_option(self) -> str:
        return self.options[self.answer]

    def is_right(self, option: int | None) -> bool:
        """Whether an answer (an option's index, None for "I don't know") is the right one."""
        return option == self.answer

    def option_text(self, option: int | None) -> str:
        """The words of an answer: the option, or "I don't know"."""
        return DONT_KNOW if option is None else self.options[option]


@dataclass(frozen=True, slots=True)
class CheckAnswer:
    """One answer given: in which check, to which item (by id), and which option (None: don't know)."""

    phase: Phase
    item: str
    option: int | None


@dataclass(frozen=True, slots=True)
class CheckLog:
    """Every answer a game has given to its check, the latest answer to each item in each phase."""

    answers: tuple[CheckAnswer, ...] = ()

    def answer(self, phase: Phase, item: str) -> CheckAnswer | None:
        return next((a for a in self.answers if a.phase == phase and a.item == item), None)

    def with_answer(self, answer: CheckAnswer) -> CheckLog:
        """This log with `answer` in place of any earlier answer to the same item in the same phase."""
        kept = tuple(a for a in self.answers if (a.phase, a.item) != (answer.phase, answer.item))
        return CheckLog(kept + (answer,))

    def answered(self, phase: Phase, items: tuple[CheckItem, ...]) -> int:
        """How many of `items` have an answer in `phase`."""
        return sum(1 for item in items if self.answer(phase, item.id) is not None)

    def complete(self, phase: Phase, items: tuple[CheckItem, ...]) -> bool:
        """Every item has an answer in `phase` (a check with no items is never complete)."""
        return bool(items) and self.answered(phase, items) == len(items)


@dataclass(frozen=True, slots=True)
class OwnChange:
    """One item as a student sees it after the second check: their two answers and the right one."""

    item: CheckItem
    before: int | None  # the option chosen (None: "I don't know")
    after: int | None

    @property
    def right_before(self) -> bool:
        return self.item.is_right(self.before)

    @property
    def right_after(self) -> bool:
        return self.item.is_right(self.after)

    @property
    def change(self) -> Literal["learned", "kept", "lost", "not yet"]:
        """learned: wrong before, right after; kept: right both times; lost: right before only;
        not yet: right neither time."""
        if self.right_after:
            return "kept" if self.right_before else "learned"
        return "lost" if self.right_before else "not yet"


#: How each kind of change is said to the student, the same in every front end.
CHANGE_WORDS: dict[str, str] = {
    "learned": "New: right now, not before",
    "kept": "Right both times",
    "lost": "Right before, not now",
    "not yet": "Not yet: here is the answer",
}


def own_change(items: tuple[CheckItem, ...], log: CheckLog) -> tuple[OwnChange, ...]:
    """Item by item, the student's answers before and after; ValueError until both checks are complete."""
    if not (log.complete("before", items) and log.complete("after", items)):
        raise ValueError("the change is shown only once both checks are complete")
    changes = []
    for item in items:
        before, after = log.answer("before", item.id), log.answer("after", item.id)
        assert before is not None and after is not None
        changes.append(OwnChange(item, before.option, after.option))
    return tuple(changes)


def right_count(changes: tuple[OwnChange, ...], phase: Phase) -> int:
    """How many items were right in one phase."""
    return sum(1 for change in changes if (change.right_before if phase == "before" else change.right_after))
