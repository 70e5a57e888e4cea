"""`longarm guide`: a teacher's guide to one scenario, as Markdown or as one self-contained HTML page.

`build_guide` gathers from the scenario everything a teacher needs: the overview (objectives,
content warnings, audience, minutes, size), a spoiler-free synopsis (summary and roles only), a
45-minute lesson plan tailored from the scenario's own minutes, objectives, glossary and
questions, the story map, every ending with its debrief, the discussion questions gathered, and
every fact grouped under its source. `guide_markdown` and `guide_html` render it; the HTML page
has its CSS inline, no scripts, and loads nothing from anywhere: source addresses are plain links.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from game.engine.loader import catalog
from game.engine.runtime.debrief import FactEntry, source_line
from game.engine.runtime.model import BASIS_MEANING, TONES, Ending, Scenario, Source, chances
from game.engine.runtime.text import outline
from game.tools import graph_export
from game.tools.loading import load_named, shown_path
from game.tools.stats import Stats, measure
from game.tools.output import write_output

LESSON_MINUTES = 45
INTRO_MINUTES = 5
WRAP_UP_MINUTES = 5
PLAY_MINUTES = (15, 20)  # the play segment: the scenario's minutes plus setting up, within this range
SETUP_MINUTES = 5  # opening the game in a browser or terminal, joining the class, picking a role
ROUND_MINUTES = 3  # the opening round of the discussion: who reached which ending
MINUTES_PER_QUESTION = 3
MAX_INTRO_TERMS = 3


# ---------------------------------------------------------------------------- the guide's content


@dataclass(frozen=True, slots=True)
class MapTarget:
    place: str  # a scene or ending id
    chance: str  # "2/3" for an outcome of a random choice, else empty


@dataclass(frozen=True, slots=True)
class MapChoice:
    text: str
    condition: str  # the `if` as written, or empty
    locked: str  # the reason shown while the condition is false, or empty (hidden instead)
    targets: tuple[MapTarget, ...]


@dataclass(frozen=True, slots=True)
class MapScene:
    id: str
    title: str
    basis: str
    starts: tuple[str, ...]  # titles of the roles that start here
    unreachable: bool
    choices: tuple[MapChoice, ...]


@dataclass(frozen=True, slots=True)
class GatheredQuestion:
    text: str
    endings: tuple[str, ...]  # titles of the endings whose debrief asks it


@dataclass(frozen=True, slots=True)
class Segment:
    title: str
    start: int  # minutes from the start of the lesson
    minutes: int
    items: tuple[str, ...]  # what to do, in order; `code` marks commands

    @property
    def clock(self) -> str:
        """'0:05-0:20': when the segment starts and ends."""
        end = self.start + self.minutes
        return f"{self.start // 60}:{self.start % 60:02d}-{end // 60}:{end % 60:02d}"


@dataclass(frozen=True, slots=True)
class Guide:
    scenario: Scenario
    stats: Stats
    play_name: str  # what to type after `longarm play`: the shipped id, or the file's path
    lesson: tuple[Segment, ...]
    map: tuple[MapScene, ...]
    mermaid: str
    questions: tuple[GatheredQuestion, ...]

    def ending_facts(self, ending: Ending) -> tuple[FactEntry, ...]:
        """The facts an ending's debrief is about, with their sources, in the author's order."""
        facts = self.scenario.facts
        return tuple(FactEntry(facts[f], self.scenario.sources[facts[f].source], False) for f in ending.debrief.facts)

    def source_facts(self, source_id: str) -> tuple[FactEntry, ...]:
        """Every fact that cites a source, in file order."""
        return tuple(FactEntry(fact, self.scenario.sources[fact.source], False)
                     for fact in self.scenario.facts.values() if fact.source == source_id)


def build_guide(scenario: Scenario) -> Guide:
    """Everything the guide shows, computed once from a loaded scenario."""
    questions = gather_questions(scenario)
    play_name = _play_name(scenario)
    return Guide(scenario=scenario, stats=measure(scenario), play_name=play_name,
                 lesson=lesson_plan(scenario, questions, play_name), map=story_map(scenario),
                 mermaid=graph_export.mermaid(scenario), questions=questions)


def _play_name(scenario: Scenario) -> str:
    shipped = catalog.resolve(scenario.id)
    if shipped is not None and scenario.path and shipped.resolve() == Path(scenario.path).resolve():
        return scenario.id
    return shown_path(scenario)


def gather_questions(scenario: Scenario) -> tuple[GatheredQuestion, ...]:
    """Every ending's questions once each, in file order, with the endings that ask them."""
    asked: dict[str, list[str]] = {}
    for ending in scenario.endings.values():
        for question in ending.debrief.questions:
            asked.setdefault(question, []).append(ending.title)
    return tuple(GatheredQuestion(text, tuple(endings)) for text, endings in asked.items())


def story_map(scenario: Scenario) -> tuple[MapScene, ...]:
    """Each scene with its choices and where they lead, for a map that reads without a drawing."""
    lost = graph_export.unreachable(scenario)
    starts: dict[str, list[str]] = {}
    for role in scenario.roles.values():
        starts.setdefault(role.start, []).append(role.title)
    scenes = []
    for scene in scenario.scenes.values():
        choices = []
        for choice in scene.choices:
            targets = (tuple(MapTarget(o.goto, chance) for o, chance in zip(choice.outcomes, chances(choice)))
                       if choice.outcomes else (MapTarget(choice.goto, ""),))
            choices.append(MapChoice(outline(choice.text, scenario.texts.get(choice.text)),
                                     choice.condition_text if choice.condition is not None else "",
                                     outline(choice.locked, scenario.texts.get(choice.locked)), targets))
        scenes.append(MapScene(scene.id, scene.title, scene.basis, tuple(starts.get(scene.id, ())),
                               scene.id in lost, tuple(choices)))
    return tuple(scenes)


# ---------------------------------------------------------------------------- the lesson plan


def lesson_plan(scenario: Scenario, questions: tuple[GatheredQuestion, ...], play_name: str) -> tuple[Segment, ...]:
    """Four timed segments adding up to 45 minutes, built from the scenario's own material.

    `play_name` is what students type after `longarm play`: the shipped id, or the file's path.
    """
    low, high = PLAY_MINUTES
    play = min(max(scenario.minutes + SETUP_MINUTES, low), high)
    discussion = LESSON_MINUTES - INTRO_MINUTES - play - WRAP_UP_MINUTES
    segments = []
    start = 0
    for title, minutes, items in (
            ("Introduction and content note", INTRO_MINUTES, _intro_items(scenario)),
            ("Play", play, _play_items(scenario, play, play_name)),
            ("Debrief discussion", discussion, _discussion_items(scenario, questions, discussion)),
            ("Wrap-up and exit question", WRAP_UP_MINUTES, _wrap_up_items(scenario))):
        segments.append(Segment(title, start, minutes, tuple(items)))
        start += minutes
    return tuple(segments)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _intro_items(scenario: Scenario) -> list[str]:
    items = [f"Set the scene: {_one_line(scenario.summary)}"]
    seeds = [s for s in scenario.sources.values() if s.file]
    others = len(scenario.sources) - len(seeds)
    if seeds:
        named = "; ".join(source_line(source) for source in seeds)
        items.append(f"Say where it comes from: the story is built from {named}. The debriefs quote it word for "
                     f"word and cite {others} other source{'s' if others != 1 else ''}.")
    else:
        items.append(f"Say where it comes from: the debriefs cite {len(scenario.sources)} "
                     f"source{'s' if len(scenario.sources) != 1 else ''}, listed at the end of this guide.")
    for term, meaning in _objective_terms(scenario):
        items.append(f"Introduce the term *{term}*: {meaning}")
    warnings = ", ".join(scenario.content_warnings) or "nothing the author flagged"
    items.append(f"Content note, before anyone plays: the story includes {warnings}. Students may stop playing, "
                 "step out or talk to you privately at any time; nobody has to share their choices. "
                 f"Intended audience: {scenario.audience}.")
    if scenario.learning_objectives:
        items.append(f"Name today's aim: {scenario.learning_objectives[0]}")
    return items


def _objective_terms(scenario: Scenario) -> list[tuple[str, str]]:
    """Glossary terms the learning objectives use: the words students need before they play."""
    objectives = " ".join(scenario.learning_objectives)
    found = []
    for term, meaning in scenario.glossary.items():
        match = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", objectives, flags=re.IGNORECASE)
        if match:
            found.append((match.start(), term, meaning))
    return [(term, meaning) for _, term, meaning in sorted(found)[:MAX_INTRO_TERMS]]


def _play_items(scenario: Scenario, play: int, name: str) -> list[str]:
    items = [(f"Students play *{scenario.title}*: in the browser, through the class server (`longarm serve`, see "
              f"docs/teaching.md), or in a terminal (`longarm play {name}`, or `longarm play --plain {name}` "
              "for the plain line mode that works with screen readers).")]
    roles = list(scenario.roles.values())
    if len(roles) > 1:
        listed = "; ".join(f"{role.title} (`--role {role.id}`)" for role in roles)
        items.append(f"Split the class between the roles, so the discussion can compare them: {listed}.")
    elif roles:
        items.append(f"Everyone plays as the {roles[0].title}.")
    spare = play - SETUP_MINUTES - scenario.minutes
    timing = (f"Allow about {SETUP_MINUTES} minutes to open the game and pick a role; one playthrough takes "
              f"about {scenario.minutes} minutes")
    if spare > 0:
        items.append(f"{timing}. Students who reach an ending early play again, as another role or making other "
                     "choices, and compare the two debriefs.")
    elif spare < 0:
        items.append(f"{timing}, longer than this segment: stop play at {play} minutes; students who have not "
                     "reached an ending join a classmate's debrief.")
    else:
        items.append(f"{timing}: enough for one ending each.")
    items.append("Ask each student to note their ending, its tone, and one fact from their journal.")
    return items


def _discussion_items(scenario: Scenario, questions: tuple[GatheredQuestion, ...], minutes: int) -> list[str]:
    tones = {tone: sum(1 for e in scenario.endings.values() if e.tone == tone) for tone in TONES}
    counted = ", ".join(f"{count} {tone}" for tone, count in tones.items() if count)
    items = [(f"({ROUND_MINUTES} minutes) A round: each student says which ending they reached and its tone. This "
              f"story has {len(scenario.endings)} endings ({counted}); none of them is a win or a loss.")]
    chosen = _chosen_questions(scenario, max(1, (minutes - ROUND_MINUTES) // MINUTES_PER_QUESTION))
    endings_asking = {question.text: question.endings for question in questions}
    for question in chosen:
        where = ", ".join(f"\u201c{title}\u201d" for title in endings_asking.get(question, ()))
        items.append(f"Discuss: {question}" + (f" (from the debrief of {where})" if where else ""))
    left = len(questions) - len(chosen)
    if left > 0:
        items.append(f"If time remains, choose from the {left} other questions under \u201cAll discussion "
                     "questions\u201d, starting with those of the endings your class reached.")
    return items


def _chosen_questions(scenario: Scenario, count: int) -> list[str]:
    """One question from each ending in turn, the tones alternating, until `count`: varied endings first."""
    by_tone = [[e for e in scenario.endings.values() if e.tone == tone] for tone in TONES]
    order = [group[i] for i in range(max((len(g) for g in by_tone), default=0)) for group in by_tone if i < len(group)]
    chosen: list[str] = []
    for depth in range(max((len(e.debrief.questions) for e in order), default=0)):
        for ending in order:
            if depth < len(ending.debrief.questions) and ending.debrief.questions[depth] not in chosen:
                chosen.append(ending.debrief.questions[depth])
                if len(chosen) == count:
                    return chosen
    return chosen


def _wrap_up_items(scenario: Scenario) -> list[str]:
    items = []
    if len(scenario.learning_objectives) > 1:
        rest = " ".join(f"({n}) {objective}" for n, objective in enumerate(scenario.learning_objectives[1:], 2))
        items.append(f"Go back over the other objectives and ask which the class can now do: {rest}")
    if scenario.learning_objectives:
        items.append(f"Exit question, answered in writing in one or two sentences: "
                     f"{scenario.learning_objectives[0]}")
    items.append("Collect the answers on paper; with the class server, read the written answers and the class's "
                 "endings in the report (`longarm report`).")
    return items


# ---------------------------------------------------------------------------- shared wording


def _citation(source: Source) -> str:
    """The citation shown under a fact, with the local copy named when there is one."""
    line = source_line(source)
    return line + (f" (local copy: {Path(source.file).name})" if source.file else "")


def _quote_check(entry: FactEntry) -> str:
    if entry.quote_checked:
        return "Quote checked word for word against a local copy of the source."
    return "Quote not checked against a local copy: compare it with the source."


def _place_label(scenario: Scenario, place: str) -> str:
    ending = scenario.endings.get(place)
    return f"{ending.title} ({ending.tone} ending)" if ending else scenario.place_title(place)


def _choice_condition(choice: MapChoice) -> str:
    """'only if ...; otherwise shown locked: ...', or empty for a choice that is always open."""
    notes = []
    if choice.condition:
        notes.append(f"only if {choice.condition}")
    if choice.locked:
        notes.append(f"otherwise shown locked: {choice.locked}")
    return "; ".join(notes)


# ---------------------------------------------------------------------------- Markdown


def guide_markdown(guide: Guide) -> str:
    s = guide.scenario
    lines = [f"# Teacher's guide: {s.title}", ""]
    lines += ["## At a glance", "", f"- **Audience:** {s.audience}", f"- **Playing time:** about {s.minutes} minutes",
              f"- **Language:** {s.language}", f"- **Size:** {_size(guide)}", "",
              "**Content warnings:** " + (", ".join(s.content_warnings) or "none given"), "",
              "**Learning objectives:**", ""]
    lines += [f"{n}. {objective}" for n, objective in enumerate(s.learning_objectives, 1)]
    lines += ["", "## Synopsis (no spoilers)", "", _one_line(s.summary), "", "Players choose a role:", ""]
    lines += [f"- **{role.title}.** {_one_line(role.blurb)}" for role in s.roles.values()]
    lines += ["", "## A 45-minute lesson", ""]
    for segment in guide.lesson:
        lines += [f"### {segment.clock} {segment.title} ({segment.minutes} min)", ""]
        lines += [f"- {item}" for item in segment.items]
        lines.append("")
    lines += ["## Glossary", ""]
    lines += [f"- **{term}:** {meaning}" for term, meaning in s.glossary.items()]
    lines += ["", "*Spoilers from here on: the story map, the endings and their debriefs.*", "",
              "## Story map", "", ("Mermaid source: it draws on GitHub, GitLab and in most Markdown previews. "
                                   "Rounded boxes are scenes; endings are shaped by tone; dotted arrows are choices "
                                   "with a condition, thick arrows the outcomes of a random choice."), "", "```mermaid", guide.mermaid.rstrip("\n"),
              "```", "", "## Endings and their debriefs", ""]
    for ending in s.endings.values():
        lines += _ending_markdown(guide, ending)
    lines += ["## All discussion questions", ""]
    lines += [f"{n}. {q.text} *({', '.join(q.endings)})*" for n, q in enumerate(guide.questions, 1)]
    lines += ["", "## Facts and sources", ""]
    for source in s.sources.values():
        lines += _source_markdown(guide, source)
    return "\n".join(lines).rstrip("\n") + "\n"


def _size(guide: Guide) -> str:
    st = guide.stats
    tones = ", ".join(f"{count} {tone}" for tone, count in st.endings.items() if count)
    return (f"{st.scenes} scenes, {sum(st.endings.values())} endings ({tones}), {st.roles} "
            f"role{'s' if st.roles != 1 else ''}, {st.facts} facts ({st.facts_verified} quotes checked word for "
            f"word against a local copy), {st.sources} sources")


def _ending_markdown(guide: Guide, ending: Ending) -> list[str]:
    basis = f"; {BASIS_MEANING[ending.basis]}" if ending.basis else ""
    lines = [f"### {ending.title}", "", f"*Tone: {ending.tone}{basis}.*", "", "**What really happened.** "
             + _one_line(ending.debrief.summary), ""]
    entries = guide.ending_facts(ending)
    if entries:
        lines += ["**The facts:**", ""]
        for entry in entries:
            lines += [f"- {entry.fact.text}", ""]
            if entry.fact.quote:
                lines += [f"  > \u201c{entry.fact.quote}\u201d", "", f"  {_quote_check(entry)}", ""]
            lines += [f"  Source: {_citation(entry.source)}", ""]
            if entry.fact.note:
                lines += [f"  Note: {entry.fact.note}", ""]
    lines += ["**Questions:**", ""]
    lines += [f"{n}. {question}" for n, question in enumerate(ending.debrief.questions, 1)]
    return lines + [""]


def _source_markdown(guide: Guide, source: Source) -> list[str]:
    lines = [f"### {source.title}", "", f"- **Publisher:** {source.publisher}",
             f"- **Date:** {source.published or 'not given'}"]
    if source.url:
        lines.append(f"- **Address:** <{source.url}>")
    if source.file:
        lines.append(f"- **Local copy:** {Path(source.file).name} (quotes from it are checked word for word)")
    if not source.url and not source.file:
        lines.append("- **Address:** none recorded: find it by its title, publisher and date")
    lines.append("")
    entries = guide.source_facts(source.id)
    if not entries:
        return lines + ["No fact in this scenario cites it.", ""]
    for entry in entries:
        lines += [f"- **{entry.fact.text}**", ""]
        if entry.fact.quote:
            lines += [f"  > \u201c{entry.fact.quote}\u201d", "", f"  {_quote_check(entry)}", ""]
        if entry.fact.note:
            lines += [f"  Note: {entry.fact.note}", ""]
    return lines


# ---------------------------------------------------------------------------- HTML

CSS = """\
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: #111; background: #fff;
       max-width: 48em; margin: 2em auto; padding: 0 1em; }
h1, h2, h3, h4 { font-family: Helvetica, Arial, sans-serif; line-height: 1.25; }
h2 { border-bottom: 2px solid #333; padding-bottom: .2em; margin-top: 2.2em; }
h3 { margin-top: 1.6em; }
blockquote { margin: .4em 0 .4em 1em; padding-left: .8em; border-left: 3px solid #888; font-style: italic; }
.meta, .check, .note { color: #444; font-size: .92em; }
.spoilers { border: 2px dashed #b3261e; padding: .4em 1em; margin-top: 2em; }
.tone { font-family: Helvetica, Arial, sans-serif; font-size: .85em; padding: .05em .5em;
        border: 1px solid #333; border-radius: .3em; }
.hopeful { background: #d8f0d8; } .mixed { background: #fff1c9; } .bitter { background: #f8d7da; }
.segment { border-left: 4px solid #3a5a99; padding-left: .8em; margin: 1em 0; }
.map > li { margin-bottom: .7em; }
dt { font-weight: bold; } dd { margin: 0 0 .5em 1.5em; }
code { font-family: Menlo, Consolas, monospace; font-size: .9em; background: #f2f2f2; padding: 0 .2em; }
nav ol { columns: 2; }
@page { margin: 2cm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 11pt; }
  nav { display: none; }
  .page { break-before: page; }
  .segment, .fact, .map > li, dd, blockquote { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

SECTIONS = (("overview", "At a glance"), ("synopsis", "Synopsis (no spoilers)"), ("lesson", "A 45-minute lesson"),
            ("glossary", "Glossary"), ("map", "Story map"), ("endings", "Endings and their debriefs"),
            ("questions", "All discussion questions"), ("facts", "Facts and sources"))


def _e(text: str) -> str:
    return html.escape(text)


def _inline(text: str) -> str:
    """Escaped text with `code` and *emphasis* marked up (the lesson plan's own wording uses both)."""
    escaped = _e(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", escaped)


def _link(url: str) -> str:
    """A plain link to a source's address; anything not http(s) is shown as text, never linked."""
    if re.match(r"^https?://", url, flags=re.IGNORECASE):
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return _e(url)


def guide_html(guide: Guide) -> str:
    s = guide.scenario
    titles = dict(SECTIONS)
    parts = ["<!DOCTYPE html>", f'<html lang="{_e(s.language)}">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Teacher's guide: {_e(s.title)}</title>", f"<style>\n{CSS}</style>", "</head>", "<body>",
             f"<h1>Teacher's guide: {_e(s.title)}</h1>", "<nav><ol>"]
    parts += [f'<li><a href="#{key}">{_e(title)}</a></li>' for key, title in SECTIONS]
    parts.append("</ol></nav>")
    parts += _section("overview", titles, _overview_html(guide))
    parts += _section("synopsis", titles, _synopsis_html(s))
    parts += _section("lesson", titles, _lesson_html(guide), page=True)
    parts += _section("glossary", titles, ["<dl>"] + [f"<dt>{_e(term)}</dt><dd>{_e(meaning)}</dd>"
                                                      for term, meaning in s.glossary.items()] + ["</dl>"])
    parts.append('<p class="spoilers page">Spoilers from here on: the story map, the endings and their '
                 "debriefs.</p>")
    parts += _section("map", titles, _map_html(guide))
    parts += _section("endings", titles, [line for e in s.endings.values() for line in _ending_html(guide, e)],
                      page=True)
    parts += _section("questions", titles, ["<ol>"] + [
        f'<li>{_e(q.text)} <span class="meta">({_e(", ".join(q.endings))})</span></li>' for q in guide.questions]
                      + ["</ol>"], page=True)
    parts += _section("facts", titles, [line for src in s.sources.values() for line in _source_html(guide, src)],
                      page=True)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _section(key: str, titles: dict[str, str], body: list[str], page: bool = False) -> list[str]:
    classes = ' class="page"' if page else ""
    return [f'<section id="{key}"{classes}>', f"<h2>{_e(titles[key])}</h2>", *body, "</section>"]


def _overview_html(guide: Guide) -> list[str]:
    s = guide.scenario
    return ["<dl>", f"<dt>Audience</dt><dd>{_e(s.audience)}</dd>",
            f"<dt>Playing time</dt><dd>about {s.minutes} minutes</dd>",
            f"<dt>Language</dt><dd>{_e(s.language)}</dd>", f"<dt>Size</dt><dd>{_e(_size(guide))}</dd>",
            f"<dt>Content warnings</dt><dd>{_e(', '.join(s.content_warnings) or 'none given')}</dd>", "</dl>",
            "<h3>Learning objectives</h3>", "<ol>",
            *[f"<li>{_e(objective)}</li>" for objective in s.learning_objectives], "</ol>"]


def _synopsis_html(s: Scenario) -> list[str]:
    return [f"<p>{_e(_one_line(s.summary))}</p>", "<p>Players choose a role:</p>", "<ul>",
            *[f"<li><strong>{_e(role.title)}.</strong> {_e(_one_line(role.blurb))}</li>" for role in s.roles.values()],
            "</ul>"]


def _lesson_html(guide: Guide) -> list[str]:
    lines = []
    for segment in guide.lesson:
        lines += ['<div class="segment">', f"<h3>{segment.clock} {_e(segment.title)} ({segment.minutes} min)</h3>",
                  "<ul>", *[f"<li>{_inline(item)}</li>" for item in segment.items], "</ul>", "</div>"]
    return lines


def _map_html(guide: Guide) -> list[str]:
    s = guide.scenario
    lines = [("<p>Each scene, its choices, and where each choice leads. A choice with a condition shows it as "
              "written in the scenario; a random choice lists each outcome with its chance.</p>"), '<ol class="map">']
    for scene in guide.map:
        notes = [f"starts here: {', '.join(scene.starts)}"] if scene.starts else []
        notes.append(BASIS_MEANING[scene.basis])
        if scene.unreachable:
            notes.append("no role can reach it")
        lines += [(f'<li id="place-{_e(scene.id)}"><strong>{_e(scene.title)}</strong> '
                   f'<span class="meta">({_e("; ".join(notes))})</span>'), "<ul>"]
        for choice in scene.choices:
            condition = _choice_condition(choice)
            targets = " or ".join(
                f'<a href="#place-{_e(t.place)}">{_e(_place_label(s, t.place))}</a>'
                + (f" (chance {_e(t.chance)})" if t.chance else "") for t in choice.targets)
            extra = f' <span class="meta">({_e(condition)})</span>' if condition else ""
            lines.append(f"<li>\u201c{_e(choice.text)}\u201d \u2192 {targets}{extra}</li>")
        lines += ["</ul>", "</li>"]
    return lines + ["</ol>"]


def _ending_html(guide: Guide, ending: Ending) -> list[str]:
    basis = f" {BASIS_MEANING[ending.basis]}" if ending.basis else ""
    lines = [f'<article id="place-{_e(ending.id)}">', f"<h3>{_e(ending.title)}</h3>",
             (f'<p><span class="tone {_e(ending.tone)}">{_e(ending.tone)} ending</span>'
              f'<span class="meta">{_e(basis)}</span></p>'),
             f"<p><strong>What really happened.</strong> {_e(_one_line(ending.debrief.summary))}</p>"]
    entries = guide.ending_facts(ending)
    if entries:
        lines += ["<h4>The facts</h4>", "<ul>"]
        for entry in entries:
            lines += ['<li class="fact">', f"<p>{_e(entry.fact.text)}</p>", *_quote_html(entry),
                      f'<p class="meta">Source: {_citation_html(entry.source)}</p>']
            if entry.fact.note:
                lines.append(f'<p class="note">Note: {_e(entry.fact.note)}</p>')
            lines.append("</li>")
        lines.append("</ul>")
    lines += ["<h4>Questions</h4>", "<ol>", *[f"<li>{_e(q)}</li>" for q in ending.debrief.questions], "</ol>",
              "</article>"]
    return lines


def _quote_html(entry: FactEntry) -> list[str]:
    if not entry.fact.quote:
        return []
    return [f"<blockquote>\u201c{_e(entry.fact.quote)}\u201d</blockquote>",
            f'<p class="check">{_e(_quote_check(entry))}</p>']


def _citation_html(source: Source) -> str:
    """source_line's citation, with the address as a plain link."""
    without_url = source_line(Source(source.id, source.title, source.publisher, source.published))
    parts = [_e(without_url)]
    if source.url:
        parts.append(_link(source.url))
    text = ", ".join(parts)
    return text + (f" (local copy: {_e(Path(source.file).name)})" if source.file else "")


def _source_html(guide: Guide, source: Source) -> list[str]:
    lines = [f'<article id="source-{_e(source.id)}">', f"<h3>{_e(source.title)}</h3>", "<dl>",
             f"<dt>Publisher</dt><dd>{_e(source.publisher)}</dd>",
             f"<dt>Date</dt><dd>{_e(source.published or 'not given')}</dd>"]
    if source.url:
        lines.append(f"<dt>Address</dt><dd>{_link(source.url)}</dd>")
    if source.file:
        lines.append(f"<dt>Local copy</dt><dd>{_e(Path(source.file).name)} (quotes from it are checked word for "
                     "word)</dd>")
    if not source.url and not source.file:
        lines.append("<dt>Address</dt><dd>none recorded: find it by its title, publisher and date</dd>")
    lines.append("</dl>")
    entries = guide.source_facts(source.id)
    if not entries:
        return lines + ["<p>No fact in this scenario cites it.</p>", "</article>"]
    lines.append("<ul>")
    for entry in entries:
        lines += ['<li class="fact">', f"<p><strong>{_e(entry.fact.text)}</strong></p>", *_quote_html(entry)]
        if entry.fact.note:
            lines.append(f'<p class="note">Note: {_e(entry.fact.note)}</p>')
        lines.append("</li>")
    return lines + ["</ul>", "</article>"]


# ---------------------------------------------------------------------------- the command


def default_html_path(scenario: Scenario) -> Path:
    """Where `--format html` writes without --out: guide-ID.html in the current folder."""
    return Path(f"guide-{scenario.id}.html")


def run_guide(name: str, form: str, out_file: Path | None, out: TextIO, err: TextIO) -> int:
    scenario = load_named(name, "guide", err)
    if isinstance(scenario, int):
        return scenario
    guide = build_guide(scenario)
    target: Path | None
    if form == "html":
        text, target = guide_html(guide), out_file or default_html_path(scenario)
    else:
        text, target = guide_markdown(guide), out_file
    return write_output(text, target, "guide", out, err)
