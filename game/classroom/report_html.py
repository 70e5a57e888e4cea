"""The class report as one self-contained HTML page: inline CSS and SVG charts, nothing fetched.

No script, no web font, no link to anything outside the file, and a print stylesheet so that it
reads on paper. Every string that comes from the results file or a scenario goes through
`html.escape`: students' names and answers are untrusted input.
"""

from __future__ import annotations

from html import escape

from game.classroom import svg
from game.classroom.check_summary import CheckSummary
from game.classroom.summary import ClassReport, ScenarioReport, SceneLine, ToneGroup
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

STYLE = """
:root { --ink: #1d1d1f; --muted: #5b5b66; --line: #d9d9e0; --track: #ececf1; --fill: #3b5ba9;
        --hopeful: #2f7d46; --mixed: #b7791f; --bitter: #b23b3b; --unknown: #777; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid var(--ink); }
h3 { margin-top: 1.8rem; } h4 { margin: 1.2rem 0 0.3rem; }
.meta, .note, .id { color: var(--muted); } .id { font-weight: normal; font-size: 0.8em; }
.figures { display: flex; flex-wrap: wrap; gap: 0.5rem 2rem; list-style: none; padding: 0; }
.figures strong { font-size: 1.6em; display: block; }
table { border-collapse: collapse; width: 100%; margin: 0.3rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: 0.25rem 0.6rem 0.25rem 0; border-bottom: 1px solid var(--line); }
th { font-size: 0.85em; color: var(--muted); font-weight: 600; }
.num { white-space: nowrap; text-align: right; }
table.bars { table-layout: fixed; } .bars .chart { width: 172px; } .bars .num { width: 9rem; } .bars .tone-cell { width: 6rem; }
svg { display: block; } svg .track { fill: var(--track); } svg .fill { fill: var(--fill); }
svg .hopeful { fill: var(--hopeful); } svg .mixed { fill: var(--mixed); } svg .bitter { fill: var(--bitter); }
svg .unknown { fill: var(--unknown); }
.tone { display: inline-block; padding: 0 0.4rem; border-radius: 0.3rem; color: #fff; font-size: 0.85em; }
.tone.hopeful { background: var(--hopeful); } .tone.mixed { background: var(--mixed); }
.tone.bitter { background: var(--bitter); } .tone.unknown { background: var(--unknown); }
.legend { display: flex; gap: 1.5rem; margin: 0.3rem 0; }
.scene, .question, .scenario-head { break-inside: avoid; }
blockquote { margin: 0.4rem 0 0.1rem; padding-left: 0.8rem; border-left: 3px solid var(--line);
             white-space: pre-wrap; overflow-wrap: anywhere; }
.answers { list-style: none; padding: 0; } .answers li { margin-bottom: 0.7rem; }
.who { color: var(--muted); font-size: 0.9em; }
.gain { font-size: 1.15em; } .caveat { border-left: 3px solid var(--mixed); padding-left: 0.8rem; }
.answer { color: var(--muted); font-size: 0.9em; } .check .chart { width: 172px; }
@media print {
  @page { margin: 15mm; }
  body { font: 10.5pt/1.4 Georgia, "Times New Roman", serif; max-width: none; margin: 0; padding: 0; color: #000; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-before: page; } section:first-of-type h2 { break-before: auto; }
  h2, h3, h4 { break-after: avoid; } tr, li, blockquote { break-inside: avoid; }
  th, td { border-bottom-color: #999; }
}
"""

TONE_WORDS = {"hopeful": "Hopeful", "mixed": "Mixed", "bitter": "Bitter"}


def e(text: object) -> str:
    return escape(str(text), quote=True)


def render_html(report: ClassReport) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(_title(report))}</title>", f"<style>{STYLE}</style>", "</head>", "<body>"]
    parts += _header(report)
    parts += _students(report)
    for scenario in report.scenarios:
        parts += _scenario(scenario)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _title(report: ClassReport) -> str:
    return f"Long Arm: class {report.class_code}" if report.class_code else "Long Arm: class report"


def _header(report: ClassReport) -> list[str]:
    scope = []
    if report.class_code:
        scope.append(f"class {e(report.class_code)}")
    if report.scenario_id:
        scope.append(f"scenario {e(report.scenario_id)}")
    meta = (", ".join(scope) + "; " if scope else "") + f"made {e(moment(report.generated_at))}"
    figures = [(len(report.students), "students"), (report.finished_students, "reached an ending"),
               (len(report.games), "games"), (sum(1 for g in report.games if g.finished), "games finished")]
    return ["<header>", f"<h1>{e(_title(report))}</h1>", f'<p class="meta">{meta}</p>',
            '<ul class="figures">' + "".join(f"<li><strong>{n}</strong>{e(label)}</li>" for n, label in figures)
            + "</ul>",
            f"<p>Time taken: {e(durations_line(report.durations))}.</p>"
            if report.games else '<p class="note">No game has been recorded yet.</p>',
            "</header>"]


def _students(report: ClassReport) -> list[str]:
    if not report.students:
        return []
    rows = [f"<tr><td>{e(s.name)}</td><td>{e(', '.join(s.class_codes))}</td><td class=\"num\">{s.games}</td>"
            f"<td class=\"num\">{s.finished}</td><td>{e('; '.join(s.endings))}</td></tr>" for s in report.students]
    return ['<section id="students">', "<h2>Who played</h2>",
            ('<table><thead><tr><th>Student</th><th>Class</th><th class="num">Games</th><th class="num">Finished</th>'
             "<th>Endings reached</th></tr></thead><tbody>"), *rows, "</tbody></table>", "</section>"]


def _scenario(scenario: ScenarioReport) -> list[str]:
    parts = ['<section class="scenario">', '<div class="scenario-head">',
             f'<h2>{e(scenario.title)} <span class="id">{e(scenario.scenario_id)}</span></h2>',
             (f"<p>{e(count(scenario.games, 'game'))} by {e(count(scenario.students, 'student'))}; "
              f"{scenario.finished_students} reached an ending. Time taken: {e(durations_line(scenario.durations))}."
              "</p>")]
    if not scenario.loaded:
        parts.append('<p class="note">The scenario could not be loaded here, so scenes, choices and facts are '
                     'shown by their ids, and facts nobody found cannot be listed.</p>')
    parts.append("</div>")
    if scenario.check is not None:
        parts += _check(scenario.check)
    parts += _endings(scenario.tones)
    parts += _scenes(scenario.scenes)
    parts += _facts(scenario)
    parts += _answers(scenario)
    parts.append("</section>")
    return parts


def _check(check: CheckSummary) -> list[str]:
    """What the class learned: the check's figures, item by item, the facts to revisit, each student."""
    parts = ['<div class="check">', "<h3>What the class learned: the knowledge check</h3>", f"<p>{e(check_line(check))}</p>",
             f'<p class="gain"><strong>{e(gain_line(check.gain))}</strong></p>', f'<p class="note">{e(GAIN_MEANING)}</p>']
    if check.both:
        parts.append('<table class="bars"><thead><tr><th>Item</th><th class="chart">Right before</th><th class="num"></th>'
                     '<th class="chart">Right after</th><th class="num"></th><th class="num">Learned / lost</th></tr>'
                     "</thead><tbody>")
        for item in check.items:
            change = item.change
            answer = f'<br><span class="answer">Answer: {e(item.right_answer)}</span>' if item.right_answer else ""
            parts.append(
                f"<tr><td>{item.number}. {e(item.question)}{answer}</td>"
                f"<td class=\"chart\">{svg.bar(change.right_before, 'right before: ' + percent(change.right_before))}</td>"
                f"<td class=\"num\">{percent(change.right_before)}</td>"
                f"<td class=\"chart\">{svg.bar(change.right_after, 'right after: ' + percent(change.right_after))}</td>"
                f"<td class=\"num\">{percent(change.right_after)}</td>"
                f"<td class=\"num\">{change.learned} / {change.forgot}</td></tr>")
        parts.append("</tbody></table>")
        parts.append(f'<p class="note">Shares of the {e(count(check.both, "student"))} who took both checks. Learned: '
                     "wrong (or \u201cI don\u2019t know\u201d) before and right after; lost: right before and not after.</p>")
        parts.append("<h4>Facts to revisit: items nobody learned</h4>")
        if check.revisit:
            parts.append("<ul>")
            for item in check.revisit:
                parts.append(f"<li>{item.number}. {e(item.question)}")
                if item.fact_text:
                    parts += [f"<br>{e(item.fact_text)}", f"<blockquote>\u201c{e(item.quote)}\u201d</blockquote>",
                              f'<span class="who">Source: {e(item.source)}</span>']
                parts.append("</li>")
            parts.append("</ul>")
        else:
            parts.append("<p>Every item that some student had wrong after play was learned by at least one other.</p>")
    parts += ["<h4>Each student</h4>", '<table><thead><tr><th>Student</th><th class="num">Right before</th>'
              '<th class="num">Right after</th><th class="num">Gain</th></tr></thead><tbody>']
    items = len(check.items)
    parts += [f"<tr><td>{e(s.student)}</td><td class=\"num\">{right_count(s.before, items)}</td>"
              f"<td class=\"num\">{right_count(s.after, items)}</td><td class=\"num\">{gain(s.gain)}</td></tr>"
              for s in check.students]
    parts += ["</tbody></table>", f'<p class="caveat"><strong>Read with care.</strong> {e(check.caveat)}</p>', "</div>"]
    return parts


def _endings(tones: tuple[ToneGroup, ...]) -> list[str]:
    total = sum(group.games for group in tones)
    label = ", ".join(f"{group.tone} {group.games}" for group in tones)
    parts = ["<h3>Endings reached</h3>"]
    if not total:
        return parts + ['<p class="note">No game of this scenario has reached an ending yet.</p>']
    parts.append(svg.stacked([(_tone_class(group.tone), group.games) for group in tones], f"Endings by tone: {label}"))
    parts.append('<p class="legend">' + "".join(
        f'<span><span class="tone {_tone_class(g.tone)}">{e(TONE_WORDS.get(g.tone, g.tone))}</span> '
        f"{g.games} ({percent(g.games / total)})</span>" for g in tones) + "</p>")
    parts.append('<table class="bars"><thead><tr><th>Ending</th><th class="tone-cell">Tone</th><th class="chart"></th>'
                 '<th class="num">Games</th></tr></thead><tbody>')
    for group in tones:
        for ending in group.endings:
            parts.append(f"<tr><td>{e(ending.title)}</td><td class=\"tone-cell\"><span class=\"tone {_tone_class(ending.tone)}\">"
                         f"{e(TONE_WORDS.get(ending.tone, ending.tone))}</span></td>"
                         f"<td class=\"chart\">{svg.bar(ending.games / total, f'{ending.games} of {total}', _tone_class(ending.tone))}</td>"
                         f"<td class=\"num\">{ending.games} ({percent(ending.games / total)})</td></tr>")
    return parts + ["</tbody></table>"]


def _scenes(scenes: tuple[SceneLine, ...]) -> list[str]:
    parts = ["<h3>Choices, scene by scene</h3>"]
    if not scenes:
        return parts + ['<p class="note">No choice has been recorded yet.</p>']
    parts.append('<p class="note">The share of the students who chose in each scene who took each choice. A student '
                 "who passed a scene more than once counts for each choice they took there.</p>")
    for scene in scenes:
        parts += ['<div class="scene">',
                  f'<h4>{e(scene.title)} <span class="id">{e(count(scene.students, "student"))}</span></h4>',
                  '<table class="bars"><tbody>']
        for choice in scene.choices:
            parts.append(f"<tr><td>{e(choice.text)}</td>"
                         f"<td class=\"chart\">{svg.bar(choice.share, percent(choice.share))}</td>"
                         f"<td class=\"num\">{choice.students} of {scene.students} ({percent(choice.share)})</td></tr>")
        parts += ["</tbody></table>", "</div>"]
    return parts


def _facts(scenario: ScenarioReport) -> list[str]:
    base = scenario.finished_students
    parts = ["<h3>Facts found</h3>"]
    if not base:
        return parts + ['<p class="note">Facts are counted at the ending: no student has reached one yet.</p>']
    parts.append(f'<p class="note">Of the {e(count(base, "student"))} who reached an ending.</p>')
    if scenario.facts_found:
        parts.append('<table class="bars"><tbody>')
        for fact in scenario.facts_found:
            share = fact.students / base
            parts.append(f"<tr><td>{e(fact.text)}</td><td class=\"chart\">{svg.bar(share, percent(share))}</td>"
                         f"<td class=\"num\">{fact.students} of {base} ({percent(share)})</td></tr>")
        parts.append("</tbody></table>")
    if scenario.facts_missed:
        parts += ["<h4>Found by nobody</h4>", "<ul>", *(f"<li>{e(f.text)}</li>" for f in scenario.facts_missed),
                  "</ul>"]
    elif scenario.loaded:
        parts.append("<p>Every fact was found by at least one student.</p>")
    return parts


def _answers(scenario: ScenarioReport) -> list[str]:
    parts = ["<h3>Written answers</h3>"]
    if not scenario.questions:
        return parts + ['<p class="note">No written answer yet.</p>']
    for question in scenario.questions:
        parts += ['<div class="question">', f"<h4>{e(question.question)}</h4>", '<ul class="answers">']
        parts += [f"<li><blockquote>{e(a.text)}</blockquote><span class=\"who\">{e(a.student)}"
                  + (f", {e(a.ending)}" if a.ending else "") + "</span></li>" for a in question.answers]
        parts += ["</ul>", "</div>"]
    return parts


def _tone_class(tone: str) -> str:
    return tone if tone in TONE_WORDS else "unknown"

