"""What a class learned: per-item shares, Hake's normalized gain, and its bootstrap interval."""

from __future__ import annotations

import pytest

from game.classroom.learning import (
    StudentCheck,
    class_gain,
    item_changes,
    nobody_learned,
    normalized_gain,
    score,
)


def student(name: str, before: list[bool], after: list[bool]) -> StudentCheck:
    return StudentCheck(name, dict(enumerate(before)), dict(enumerate(after)))


def test_the_normalized_gain_is_the_share_of_the_room_to_grow_that_was_gained() -> None:
    assert normalized_gain(0.25, 1.0) == 1.0
    assert normalized_gain(0.5, 0.75) == 0.5
    assert normalized_gain(0.5, 0.25) == -0.5  # a student can do worse
    assert normalized_gain(1.0, 1.0) is None  # no room to gain: undefined, not zero
    assert score({0: True, 1: False}, 4) == 0.25  # unanswered items count as wrong


def test_items_report_the_share_right_before_and_after_among_students_with_both_checks() -> None:
    students = [student("a", [False, True], [True, True]),
                student("b", [False, False], [True, False]),
                StudentCheck("c", {0: False}, {})]  # one check only: not in the item shares
    first, second = item_changes(students, 2)
    assert (first.right_before, first.right_after, first.learned, first.students) == (0.0, 1.0, 2, 2)
    assert (second.right_before, second.right_after, second.learned, second.forgot) == (0.5, 0.5, 0, 0)
    assert nobody_learned((first, second)) == (1,)


def test_the_class_gain_has_a_reproducible_interval_around_the_mean_and_says_who_is_left_out() -> None:
    students = [student(f"s{i}", [i % 2 == 0, False, False, False], [True, i % 3 == 0, True, False])
                for i in range(30)]
    students.append(student("top", [True] * 4, [True] * 4))
    students.append(StudentCheck("late", {}, {0: True}))
    gain = class_gain(students, 4)
    assert gain.n == 30 and gain.at_ceiling == 1 and gain.only_one_check == 1
    assert gain.mean is not None and gain.low is not None and gain.high is not None
    assert gain.low <= gain.mean <= gain.high and gain.low < gain.high
    assert class_gain(students, 4) == gain  # seeded: the same answers, the same report
    expected = sum(normalized_gain(sum(s.before.values()) / 4, sum(s.after.values()) / 4) or 0
                   for s in students[:30]) / 30
    assert gain.mean == pytest.approx(expected)


def test_no_defined_gain_gives_no_figure_rather_than_a_false_zero() -> None:
    gain = class_gain([student("top", [True, True], [True, False])], 2)
    assert (gain.mean, gain.low, gain.high, gain.n, gain.at_ceiling) == (None, None, None, 0, 1)
    one = class_gain([student("one", [False, False], [True, False])], 2)
    assert (one.mean, one.low, one.high, one.n) == (0.5, 0.5, 0.5, 1)
