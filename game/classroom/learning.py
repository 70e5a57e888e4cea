"""What a class learned: a knowledge check taken before and after play, summed up honestly.

Physics education reports the normalized gain (Hake, 1998): for one student,
g = (post - pre) / (1 - pre), the share of what they did not know before that they knew after.
The class's figure here is the mean of the students' gains, with a bootstrap 95% interval (the
students resampled with replacement, a fixed seed so a report is reproducible) and n. A student
who had every item right before has no room to gain: their g is undefined, they are left out of
the mean, and the report says how many. Nothing here is a controlled experiment, and the report
says so in plain words.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: How many bootstrap resamples the interval is computed from.
BOOTSTRAP_RESAMPLES = 2000
#: The resampling is seeded: the same answers always give the same interval.
BOOTSTRAP_SEED = 20191107


@dataclass(frozen=True, slots=True)
class StudentCheck:
    """One student's two checks: for each item index, whether they answered it right."""

    student: str  # how the report names the student (a name or an anonymous id)
    before: Mapping[int, bool]
    after: Mapping[int, bool]

    @property
    def complete(self) -> bool:
        """Took both checks (at least one item answered in each)."""
        return bool(self.before) and bool(self.after)


@dataclass(frozen=True, slots=True)
class ItemChange:
    """One item across the class: the share right before and after, among students who took both."""

    index: int
    right_before: float  # 0..1
    right_after: float
    learned: int  # students wrong before and right after
    forgot: int  # right before and wrong after
    students: int  # students who answered it in both checks


@dataclass(frozen=True, slots=True)
class ClassGain:
    """The class's mean normalized gain, its bootstrap 95% interval, and who it counts."""

    mean: float | None  # None when no student has a defined gain
    low: float | None
    high: float | None
    n: int  # students whose gain is defined (took both checks, not already at 100%)
    at_ceiling: int  # took both checks but had every item right before: no room to gain
    only_one_check: int  # took one check only: left out of every figure


def score(answers: Mapping[int, bool], items: int) -> float:
    """The share of `items` answered right (an unanswered item counts as wrong)."""
    return sum(1 for right in answers.values() if right) / items if items else 0.0


def normalized_gain(pre: float, post: float) -> float | None:
    """Hake's g = (post - pre) / (1 - pre) for shares in 0..1; None when pre is 1 (no room)."""
    if pre >= 1.0:
        return None
    return (post - pre) / (1.0 - pre)


def item_changes(students: Sequence[StudentCheck], items: int) -> tuple[ItemChange, ...]:
    """Each item's share right before and after, over the students who took both checks."""
    both = [student for student in students if student.complete]
    changes = []
    for index in range(items):
        pairs = [(s.before.get(index, False), s.after.get(index, False)) for s in both]
        count = len(pairs)
        changes.append(ItemChange(
            index=index,
            right_before=sum(before for before, _ in pairs) / count if count else 0.0,
            right_after=sum(after for _, after in pairs) / count if count else 0.0,
            learned=sum(1 for before, after in pairs if after and not before),
            forgot=sum(1 for before, after in pairs if before and not after),
            students=count))
    return tuple(changes)


def class_gain(students: Sequence[StudentCheck], items: int, *, resamples: int = BOOTSTRAP_RESAMPLES,
               seed: int = BOOTSTRAP_SEED) -> ClassGain:
    """The mean of the students' normalized gains with a percentile bootstrap 95% interval.

    Args:
        students: every student's checks (those who took only one are counted, not used).
        items: how many items the check has.
        resamples: bootstrap resamples.
        seed: the resampling's seed.

    Returns:
        The `ClassGain`; mean and interval are None when no student has a defined gain, and the
        interval equals the mean when only one does.
    """
    gains: list[float] = []
    at_ceiling = 0
    for student in students:
        if not student.complete:
            continue
        gain = normalized_gain(score(student.before, items), score(student.after, items))
        if gain is None:
            at_ceiling += 1
        else:
            gains.append(gain)
    only_one = sum(1 for student in students if not student.complete and (student.before or student.after))
    if not gains:
        return ClassGain(None, None, None, 0, at_ceiling, only_one)
    mean = statistics.fmean(gains)
    if len(gains) == 1:
        return ClassGain(mean, mean, mean, 1, at_ceiling, only_one)
    rng = random.Random(seed)
    means = sorted(statistics.fmean(rng.choices(gains, k=len(gains))) for _ in range(resamples))
    low = means[int(0.025 * (resamples - 1))]
    high = means[int(round(0.975 * (resamples - 1)))]
    return ClassGain(mean, low, high, len(gains), at_ceiling, only_one)


def nobody_learned(changes: Sequence[ItemChange]) -> tuple[int, ...]:
    """Items that no student got right after getting wrong before, though someone got them wrong:
    the facts to revisit in the discussion."""
    return tuple(change.index for change in changes
                 if change.students and change.learned == 0 and change.right_after < 1.0)


CAVEAT = ("A change between two checks in one class is not a controlled experiment: the second check "
          "comes after play and after the debrief, the students saw the questions before, and there is "
          "no class that did not play to compare with. Read the figures as a prompt for discussion, not "
          "as proof of what the game taught.")
