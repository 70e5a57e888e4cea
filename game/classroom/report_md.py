"""The class report as Markdown, for pasting into notes, a wiki or a learning platform.

Text from the results file is escaped so that it shows as written: a student's answer cannot
become a link, an image, inline HTML or a broken table.
"""

from __future__ import annotations

import re

from game.classroom.check_summary import CheckSummary
from game.classroom.summary import ClassReport, ScenarioReport
from game.classroom.wording import (
    GAIN_MEANING,
    check_line,
    count,
    durations_line,
    gain,
    gain_line,
    moment,
    percent,
    right_count,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def md(text: object) -> str:
    """Markdown-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(report: ClassReport) -> str:
    title = f"Long Arm: class {md(report.class_code)}" if report.class_code else "Long Arm: class report"
    scope = f"scenario {md(report.scenario_id)}; " if report.scenario_id else ""
    lines = [f"# {title}", "", f"*{scope}made {moment(report.generated_at)}*", ""]
    if not report.games:
        return "\n".join(lines + ["No game has been recorded yet.", ""])
    finished_games = sum(1 for game in report.games if game.finished)
    lines += [(f"{count(len(report.students), 'student')} played {count(len(report.games), 'game')}; "
               f"{report.finished_students} reached an ending ({finished_games} games finished)."), "",
              f"Time taken: {durations_line(report.durations)}.", "", "## Who played", "",
              "| Student | Class | Games | Finished | Endings reached |", "| --- | --- | ---: | ---: | --- |"]
    lines += [f"| {md(s.name)} | {md(', '.join(s.class_codes))} | {s.games} | {s.finished} | {md('; '.join(s.endings))} |"
              for s in report.students]
    for scenario in report.scenarios:
        lines += _scenario(scenario)
    return "\n".join(lines) + "\n"


def _scenario(scenario: ScenarioReport) -> list[str]:
    lines = ["", f"## {md(scenario.title)} (`{scenario.scenario_id.replace('`', '')}`)", "",
             (f"{count(scenario.games, 'game')} by {count(scenario.students, 'student')}; "
              f"{scenario.finished_students} reached an ending. Time taken: {durations_line(scenario.durations)}.")]
    if not scenario.loaded:
        lines += ["", "*The scenario could not be loaded here: scenes, choices and facts are shown by their ids.*"]
    if scenario.check is not None:
        lines += _check(scenario.check)
    total = sum(group.games for group in scenario.tones)
    lines += ["", "### Endings reached", ""]
    if total:
        lines += ["| Ending | Tone | Games |", "| --- | --- | ---: |"]
        lines += [f"| {md(ending.title)} | {md(ending.tone)} | {ending.games} ({percent(ending.games / total)}) |"
                  for group in scenario.tones for ending in group.endings]
        lines += ["", "By tone: " + ", ".join(f"{md(g.tone)} {g.games} ({percent(g.games / total)})"
                                             for g in scenario.tones) + "."]
    else:
        lines.append("No game of this scenario has reached an ending yet.")
    lines += ["", "### Choices, scene by scene", ""]
    for scene in scenario.scenes:
        lines += [f"**{md(scene.title)}** ({count(scene.students, 'student')})", "",
                  "| Choice | Students | Share |", "| --- | ---: | ---: |"]
        lines += [f"| {md(c.text)} | {c.students} of {scene.students} | {percent(c.share)} |" for c in scene.choices]
        lines.append("")
    if not scenario.scenes:
        lines += ["No choice has been recorded yet.", ""]
    lines += _facts(scenario)
    lines += ["", "### Written answers", ""]
    for question in scenario.questions:
        lines += [f"**{md(question.question)}**", ""]
        for answer in question.answers:
            who = md(answer.student) + (f", {md(answer.ending)}" if answer.ending else "")
            lines += [f"> {md(answer.text)}", ">", f"> \u2014 {who}", ""]
    if not scenario.questions:
        lines.append("No written answer yet.")
    return lines


def _facts(scenario: ScenarioReport) -> list[str]:
    base = scenario.finished_students
    lines = ["### Facts found", ""]
    if not base:
        return lines + ["Facts are counted at the ending: no student has reached one yet."]
    lines += [f"Of the {count(base, 'student')} who reached an ending:", ""]
    lines += [f"- {md(fact.text)} \u2014 {fact.students} of {base} ({percent(fact.students / base)})"
              for fact in scenario.facts_found]
    if scenario.facts_missed:
        lines += ["", "Found by nobody:", ""] + [f"- {md(fact.text)}" for fact in scenario.facts_missed]
    return lines


def _check(check: CheckSummary) -> list[str]:
    lines = ["", "### What the class learned: the knowledge check", "", check_line(check), "",
             f"**{gain_line(check.gain)}**", "", GAIN_MEANING, ""]
    if check.both:
        lines += ["| Item | Right answer | Right before | Right after | Learned / lost |", "| --- | --- | ---: | ---: | ---: |"]
        lines += [f"| {item.number}. {md(item.question)} | {md(item.right_answer)} | {percent(item.change.right_before)} | "
                  f"{percent(item.change.right_after)} | {item.change.learned} / {item.change.forgot} |"
                  for item in check.items]
        lines += ["", f"Shares of the {count(check.both, 'student')} who took both checks.", "",
                  "**Facts to revisit: items nobody learned**", ""]
        for item in check.revisit:
            lines.append(f"- {item.number}. {md(item.question)}" + (f" {md(item.fact_text)}" if item.fact_text else ""))
            if item.quote:
                lines += [f"  > \u201c{md(item.quote)}\u201d \u2014 {md(item.source)}"]
        if not check.revisit:
            lines.append("Every item that some student had wrong after play was learned by at least one other.")
        lines.append("")
    lines += ["| Student | Right before | Right after | Gain |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {md(s.student)} | {right_count(s.before, len(check.items))} | {right_count(s.after, len(check.items))} | "
              f"{gain(s.gain)} |" for s in check.students]
    return lines + ["", f"*Read with care.* {check.caveat}"]
