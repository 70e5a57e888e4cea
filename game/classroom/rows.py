"""Rows and records: the columns both stores read and write, and rows turned back into records.

A store can be edited by hand (an SQLite file) or by anyone with the database's password: values
are read back as the types the records promise, so a strange value cannot break a report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import replace

from game.classroom.records import AnswerRecord, CheckRecord, ChoiceRecord, ClassLine, GameRecord, StudentRecord

GAME_COLUMNS = ("id, scenario_id, scenario_title, role, seed, player, anonymous_id, class_code, started_at, "
                "ended_at, ending_id, ending_tone, facts_found, student_id, place")
GAME_COLUMN_COUNT = 15
STUDENT_COLUMNS = "id, class_code, name, anonymous_id, joined_at"
#: A knowledge check answer's columns, after its game's id.
CHECK_COLUMNS = "phase, item_id, item_index, question, chosen, answer, correct, at"
#: The columns of the teacher's view: the student's, then their last game's (without choices), then its steps.
LINE_COLUMNS = (", ".join(f"s.{name.strip()}" for name in STUDENT_COLUMNS.split(",")) + ", "
                + ", ".join(f"g.{name.strip()}" for name in GAME_COLUMNS.split(",")))
#: What follows `LINE_COLUMNS` in the teacher's view, counted for the last game `g`: its choices, and
#: the items of its knowledge check answered before and after play (how many, never which or whether right).
LINE_STEPS = "(SELECT count(*) FROM choices c WHERE c.game_id = g.id)"
LINE_CHECKS = ("(SELECT count(*) FROM checks k WHERE k.game_id = g.id AND k.phase = 'before'), "
               "(SELECT count(*) FROM checks k WHERE k.game_id = g.id AND k.phase = 'after')")
LINE_COUNTS = f"{LINE_STEPS}, {LINE_CHECKS}"

Row = Sequence[object]


def game_row(game: GameRecord) -> tuple[object, ...]:
    """A game's values, in the order of `GAME_COLUMNS`."""
    return (game.id, game.scenario_id, game.scenario_title, game.role, game.seed, game.player, game.anonymous_id,
            game.class_code, game.started_at, game.ended_at, game.ending_id, game.ending_tone,
            json.dumps(list(game.facts_found)), game.student_id, game.place)


def game_record(row: Row, choices: tuple[ChoiceRecord, ...] = (),
                answers: tuple[AnswerRecord, ...] = ()) -> GameRecord:
    """A game read back from a row in the order of `GAME_COLUMNS`."""
    (game_id, scenario_id, title, role, seed, player, anonymous_id, class_code, started_at, ended_at, ending_id,
     tone, facts, student_id, place) = row
    return GameRecord(
        id=text(game_id), scenario_id=text(scenario_id), scenario_title=text(title), role=text(role),
        seed=integer(seed), player=optional(player), anonymous_id=text(anonymous_id),
        class_code=optional(class_code), started_at=text(started_at), ended_at=optional(ended_at),
        ending_id=optional(ending_id), ending_tone=optional(tone), facts_found=facts_of(facts),
        choices=choices, answers=answers, student_id=optional(student_id), place=optional(place))


def student_record(row: Row) -> StudentRecord:
    """A student read back from a row in the order of `STUDENT_COLUMNS`."""
    student_id, class_code, name, anonymous_id, joined_at = row
    return StudentRecord(id=text(student_id), class_code=optional(class_code), name=optional(name),
                         anonymous_id=text(anonymous_id), joined_at=text(joined_at))


def choice_record(row: Row) -> ChoiceRecord:
    """A choice from (step, scene_id, choice_id, at)."""
    step, scene_id, choice_id, at = row
    return ChoiceRecord(integer(step), text(scene_id), text(choice_id), text(at))


def answer_record(row: Row) -> AnswerRecord:
    """An answer from (question_index, question, answer, at)."""
    index, question, answer, at = row
    return AnswerRecord(integer(index), text(question), text(answer), text(at))


def check_row(game_id: str, check: CheckRecord) -> tuple[object, ...]:
    """A check answer's values: its game's id, then the order of `CHECK_COLUMNS`."""
    return (game_id, check.phase, check.item_id, check.item_index, check.question, check.option, check.answer,
            int(check.right), check.at)


def check_record(row: Row) -> CheckRecord:
    """A check answer read back from a row in the order of `CHECK_COLUMNS`."""
    phase, item_id, index, question, chosen, answer, correct, at = row
    return CheckRecord(phase=text(phase), item_id=text(item_id), item_index=integer(index), question=text(question),
                       option=None if chosen is None else integer(chosen), answer=text(answer),
                       right=bool(integer(correct)), at=text(at))


def games_of(game_rows: Iterable[Row], choice_rows: Iterable[Row], answer_rows: Iterable[Row],
             check_rows: Iterable[Row] = ()) -> tuple[GameRecord, ...]:
    """Games with their choices, answers and check answers, from rows keyed by game id (each leads
    with the game id, then the columns `choice_record`, `answer_record` and `check_record` read)."""
    choices: dict[object, list[ChoiceRecord]] = {}
    for row in choice_rows:
        choices.setdefault(row[0], []).append(choice_record(row[1:]))
    answers: dict[object, list[AnswerRecord]] = {}
    for row in answer_rows:
        answers.setdefault(row[0], []).append(answer_record(row[1:]))
    checks: dict[object, list[CheckRecord]] = {}
    for row in check_rows:
        checks.setdefault(row[0], []).append(check_record(row[1:]))
    return tuple(replace(game_record(row, tuple(choices.get(row[0], ())), tuple(answers.get(row[0], ()))),
                         checks=tuple(checks.get(row[0], ())))
                 for row in game_rows)


def class_lines_of(line_rows: Iterable[Row], answer_rows: Iterable[Row]) -> tuple[ClassLine, ...]:
    """The teacher's view from rows of `LINE_COLUMNS` plus `LINE_COUNTS`, and the answers of their games."""
    answers: dict[object, list[AnswerRecord]] = {}
    for row in answer_rows:
        answers.setdefault(row[0], []).append(answer_record(row[1:]))
    lines = []
    for row in line_rows:
        student = student_record(row[:5])
        game_part = row[5:5 + GAME_COLUMN_COUNT]
        steps, before, after = row[5 + GAME_COLUMN_COUNT:8 + GAME_COLUMN_COUNT]
        game = None if game_part[0] is None else game_record(game_part, (), tuple(answers.get(game_part[0], ())))
        lines.append(ClassLine(student, game, integer(steps), integer(before), integer(after)))
    return tuple(lines)


def text(value: object) -> str:
    """A value as text ("" for none)."""
    return value if isinstance(value, str) else "" if value is None else str(value)


def optional(value: object) -> str | None:
    """A value as text, None staying None."""
    return None if value is None else text(value)


def integer(value: object) -> int:
    """A value as an integer (0 when it is not one)."""
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return 0


def facts_of(value: object) -> tuple[str, ...]:
    """The facts found, from their JSON list (none when it is not one)."""
    try:
        facts = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return ()
    return tuple(fact for fact in facts if isinstance(fact, str)) if isinstance(facts, list) else ()
