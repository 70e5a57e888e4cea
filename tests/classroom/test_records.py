"""How the teacher's report names a student: two web students who typed the same name stay two."""

from __future__ import annotations

from game.classroom.records import GameRecord


def game(player: str | None, anonymous_id: str, student_id: str | None) -> GameRecord:
    return GameRecord(id="g", scenario_id="s", scenario_title="S", role="r", seed=1, player=player,
                      anonymous_id=anonymous_id, class_code="7B", started_at="2019-11-08T09:00:00.000+00:00",
                      student_id=student_id)


def test_two_web_students_called_dara_are_told_apart_and_a_terminal_player_keeps_a_plain_name() -> None:
    first, second = game("Dara", "student-aaaaaa", "1"), game("Dara", "student-bbbbbb", "2")
    assert (first.student, second.student) == ("Dara (student-aaaaaa)", "Dara (student-bbbbbb)")
    assert first.student_key != second.student_key
    assert game("Dara", "student-cccccc", None).student == "Dara"
    assert game(None, "student-dddddd", "3").student == "student-dddddd"
