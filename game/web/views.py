"""What a student's page shows, built from their play session: the scene, the debrief, the export.

These are plain values for the templates; the templates escape every string in them (Jinja2's
autoescaping), and author Markdown arrives already made safe by `game.web.markdown`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from game.engine.runtime.debrief import DebriefView, FactEntry, debrief_markdown
from game.engine.runtime.model import BASIS_MEANING, Scenario
from game.engine.runtime.state import GameState, numbered
from game.session.play import PlaySession
from game.web.markdown import terms_in, to_html


@dataclass(frozen=True, slots=True)
class ChoiceView:
    """One choice as a button: open ones are numbered from 1, locked ones carry their reason."""

    number: int | None
    id: str
    text: str
    available: bool
    reason: str


@dataclass(frozen=True, slots=True)
class StatView:
    """A visible stat: its label, value and range."""

    label: str
    value: int
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A fact found, with its source's publisher."""

    text: str
    publisher: str


@dataclass(frozen=True, slots=True)
class SceneView:
    """A scene page: the story so far and what the player can do now."""

    scenario_title: str
    role_title: str
    lang: str
    title: str
    basis: str  # how the scene relates to the sources, in words
    text: Markup
    choices: tuple[ChoiceView, ...]
    step: int
    can_undo: bool
    stats: tuple[StatView, ...]
    flags: tuple[str, ...]
    journal: tuple[JournalEntry, ...]  # newest first
    terms: tuple[tuple[str, str], ...]  # glossary terms the scene mentions, with their meaning


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A debrief question with the answer written so far."""

    index: int  # from 0, as the session numbers them
    text: str
    answer: str


@dataclass(frozen=True, slots=True)
class DebriefPage:
    """The debrief page: the engine's debrief, its Markdown as HTML, and the player's answers."""

    view: DebriefView
    lang: str
    scenario_id: str
    role: str
    ending_text: Markup
    summary: Markup
    questions: tuple[QuestionView, ...]
    step: int
    can_undo: bool
    other_roles: tuple[tuple[str, str], ...]  # (role id, title) of the roles not just played


def scene_view(session: PlaySession) -> SceneView:
    """The page for the scene the session is in (ValueError at an ending)."""
    scene = session.scene
    if scene is None:
        raise ValueError("the game is at an ending")
    scenario, state = session.scenario, session.state
    text = session.fill(scene.text)
    choices = tuple(ChoiceView(number, option.choice.id, option.text, option.available, option.locked_reason)
                    for number, option in numbered(session.options()))
    return SceneView(
        scenario_title=scenario.title, role_title=scenario.roles[state.role].title, lang=scenario.language,
        title=scene.title, basis=BASIS_MEANING[scene.basis], text=to_html(text), choices=choices,
        step=session.step, can_undo=session.can_undo, stats=stats_of(scenario, state),
        flags=tuple(flag.label for name, flag in scenario.flags.items() if name in state.flags),
        journal=journal_of(scenario, state), terms=tuple(terms_in(text, scenario.glossary)))


def stats_of(scenario: Scenario, state: GameState) -> tuple[StatView, ...]:
    """The stats a player may see (hidden ones steer the story unseen)."""
    return tuple(StatView(stat.label, state.stats[name], stat.min, stat.max)
                 for name, stat in scenario.stats.items() if not stat.hidden)


def journal_of(scenario: Scenario, state: GameState) -> tuple[JournalEntry, ...]:
    """The facts found so far, newest first, each with its source's publisher."""
    return tuple(JournalEntry(scenario.facts[fact].text, scenario.sources[scenario.facts[fact].source].publisher)
                 for fact in reversed(state.known))


def debrief_page(session: PlaySession) -> DebriefPage:
    """The page for the ending the session reached (ValueError before one)."""
    view = session.debrief()
    answers = session.answers
    scenario = session.scenario
    return DebriefPage(
        view=view, lang=scenario.language, scenario_id=scenario.id, role=session.role,
        ending_text=to_html(view.ending_text), summary=to_html(view.summary),
        questions=tuple(QuestionView(index, question, answers.get(index, ""))
                        for index, question in enumerate(view.questions)),
        step=session.step, can_undo=session.can_undo,
        other_roles=tuple((role_id, role.title) for role_id, role in scenario.roles.items() if role_id != session.role))


def link_of(entry: FactEntry) -> str:
    """The source's web address when it is one a link may point to (http or https), else empty."""
    url = entry.source.url
    return url if url.startswith(("https://", "http://")) else ""


def export_markdown(session: PlaySession) -> str:
    """The debrief as Markdown, with the student's answers under their questions."""
    view = session.debrief()
    answers = session.answers
    lines = [debrief_markdown(view).rstrip("\n"), "", "## Your answers", ""]
    for index, question in enumerate(view.questions):
        lines += [f"{index + 1}. {question}", ""]
        answer = answers.get(index, "")
        lines += [f"   > {line}" if line else "   >" for line in answer.split("\n")] if answer else ["   (no answer)"]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def export_filename(session: PlaySession) -> str:
    """The download's name: longarm-SCENARIO-ENDING.md, in letters, digits, dots and hyphens only."""
    ending = session.ending
    name = f"longarm-{session.scenario.id}-{ending.id if ending else 'debrief'}"
    return re.sub(r"[^A-Za-z0-9.-]+", "-", name)[:120] + ".md"
