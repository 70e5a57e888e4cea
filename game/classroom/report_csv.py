"""The class report as CSV: one row per game, for spreadsheets.

A cell a student wrote (a name, a class code, an answer) that starts with = + - @ or a tab is
prefixed with an apostrophe, so a spreadsheet shows it as text instead of running it as a formula.
Answers fill `question N` / `answer N` column pairs, as many as the most answered game needs.
"""

from __future__ import annotations

import csv
import io

from game.classroom.records import GameRecord
from game.classroom.summary import ClassReport

COLUMNS = ("game_id", "student", "player", "anonymous_id", "class_code", "scenario_id", "scenario_title", "role",
           "seed", "started_at", "ended_at", "minutes", "ending_id", "ending_title", "ending_tone", "choices",
           "path", "facts_found", "facts")
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
        len(game.facts_found), cell(";".join(game.facts_found))]
    answers = {answer.question_index: answer for answer in game.answers}
    for index in range(answer_slots):
        answer = answers.get(index)
        row += [cell(answer.question), cell(answer.answer)] if answer else ["", ""]
    return row
