"""The class report as CSV, for spreadsheets: one row per game, or (`--table check`) one row per
item of the knowledge check.

A game's row has its check's right answers before and after (blank when not taken). The check
table has, for each item of each scenario, the share of students right before and after, and on
every row the class's mean normalized gain with its interval and n, and the caveat, so that a row
read alone still says what it is.

A cell a student wrote (a name, a class code, an answer) that starts with = + - @ or a tab is
prefixed with an apostrophe, so a spreadsheet shows it as text instead of running it as a formula.
Answers fill `question N` / `answer N` column pairs, as many as the most answered game needs.
"""

from __future__ import annotations

import csv
import io

from game.classroom.learning import BOOTSTRAP_RESAMPLES
from game.classroom.records import GameRecord
from game.classroom.summary import ClassReport

COLUMNS = ("game_id", "student", "player", "anonymous_id", "class_code", "scenario_id", "scenario_title", "role",
           "seed", "started_at", "ended_at", "minutes", "ending_id", "ending_title", "ending_tone", "choices",
           "path", "facts_found", "facts", "check_items", "check_right_before", "check_right_after")
CHECK_COLUMNS = ("scenario_id", "scenario_title", "item", "item_id", "question", "right_answer", "fact_id", "quote",
                 "source", "students_both_checks", "right_before", "share_before", "right_after", "share_after",
                 "learned", "lost", "nobody_learned", "class_mean_gain", "gain_95_low", "gain_95_high", "gain_n",
                 "left_out_all_right_before", "left_out_one_check_only", "bootstrap_resamples", "note")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_QUESTIONS = 50  # a debrief asks a handful; a hand-edited file cannot make a million columns


def cell(text: str | None) -> str:
    """Untrusted text made safe to open in a spreadsheet."""
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: ClassReport) -> str:
    answer_slots = max((answer.question_index for game in report.games for answer in game.answers
                        if 0 <= answer.question_index < MAX_QUESTIONS), default=-1) + 1
    header = list(COLUMNS)
    for number in range(1, answer_slots + 1):
        header += [f"question {number}", f"answer {number}"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for game in report.games:
        writer.writerow(_row(game, report, answer_slots))
    return buffer.getvalue()


def _row(game: GameRecord, report: ClassReport, answer_slots: int) -> list[object]:
    seconds = game.seconds
    row: list[object] = [
        game.id, cell(game.student), cell(game.player), game.anonymous_id, cell(game.class_code), cell(game.scenario_id),
        cell(game.scenario_title), cell(game.role), game.seed, game.started_at, game.ended_at or "",
        "" if seconds is None else round(seconds / 60, 1), cell(game.ending_id), cell(report.ending_title(game)),
        cell(game.ending_tone), len(game.choices), cell(" > ".join(c.choice_id for c in game.choices)),
        len(game.facts_found), cell(";".join(game.facts_found)), *_check_cells(game)]
    answers = {answer.question_index: answer for answer in game.answers}
    for index in range(answer_slots):
        answer = answers.get(index)
        row += [cell(answer.question), cell(answer.answer)] if answer else ["", ""]
    return row


def _check_cells(game: GameRecord) -> list[object]:
    """How many items the game's check had answers for, and how many were right before and after."""
    if not game.checks:
        return ["", "", ""]
    items = len({check.item_id for check in game.checks})
    right = {phase: [c.right for c in game.checks if c.phase == phase] for phase in ("before", "after")}
    return [items, *(sum(given) if given else "" for given in right.values())]


def _number(value: float | None) -> object:
    return "" if value is None else round(value, 4)


def render_check_csv(report: ClassReport) -> str:
    """One row per item of each scenario's knowledge check."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CHECK_COLUMNS)
    for scenario in report.scenarios:
        check = scenario.check
        if check is None:
            continue
        revisit = {item.item_id for item in check.revisit}
        figure = check.gain
        for item in check.items:
            change = item.change
            writer.writerow([
                cell(scenario.scenario_id), cell(scenario.title), item.number, cell(item.item_id), cell(item.question),
                cell(item.right_answer), cell(item.fact_id), cell(item.quote), cell(item.source), change.students,
                round(change.right_before * change.students), _number(change.right_before),
                round(change.right_after * change.students), _number(change.right_after), change.learned,
                change.forgot, "yes" if item.item_id in revisit else "no", _number(figure.mean), _number(figure.low),
                _number(figure.high), figure.n, figure.at_ceiling, figure.only_one_check, BOOTSTRAP_RESAMPLES,
                check.caveat])
    return buffer.getvalue()
