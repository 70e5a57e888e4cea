"""The debrief at an ending: what really happened, the facts with their sources, what the
governments said, the player's path, the questions, and what was real or invented on that path.

`build_debrief` turns a finished game into a `DebriefView` that every front end shows the same way;
`debrief_markdown` renders it for export and for the teacher's materials.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.engine.runtime.model import Fact, Scenario, Source
from game.engine.runtime.state import ChoiceError, GameState, advance, fill, start


@dataclass(frozen=True, slots=True)
class FactEntry:
    """A fact in a debrief, with its source and whether the player found it."""

    fact: Fact
    source: Source
    found: bool  # the player found it during play (it is in their journal)

    @property
    def quote_checked(self) -> bool:
        """The quote was checked verbatim against a local copy of the source at load time."""
        return bool(self.fact.quote and self.source.file)


@dataclass(frozen=True, slots=True)
class PathStep:
    """One step of the player's path: where they were and what they chose there."""

    place_title: str
    choice_text: str  # empty for the ending, the last step

    def __str__(self) -> str:
        return f"{self.place_title}: {self.choice_text}" if self.choice_text else self.place_title


@dataclass(frozen=True, slots=True)
class DebriefView:
    """Everything a front end shows at an ending: the ending, its debrief, the player's path and the sources."""

    scenario_title: str
    role_title: str
    ending_id: str
    ending_title: str
    tone: str
    ending_text: str
    summary: str
    facts: tuple[FactEntry, ...]  # the ending's own facts, in the author's order
    also_found: tuple[FactEntry, ...]  # facts from the journal that the ending does not list
    path: tuple[PathStep, ...]  # each scene passed through with the choice made there, ending last
    questions: tuple[str, ...]
    governments: tuple[FactEntry, ...] = ()  # what the governments said, each quoted with its source
    real: tuple[str, ...] = ()  # the real events and people met on this path, in order
    invented: tuple[str, ...] = ()  # the invented people and places met on this path


def build_debrief(scenario: Scenario, state: GameState, seed: int | None = None) -> DebriefView:
    """The debrief of the ending `state` is at. With the game's `seed`, each choice on the path is
    shown as it read when it was taken (a choice's text may depend on the state)."""
    ending = scenario.endings.get(state.place)
    if ending is None:
        raise ValueError(f"'{state.place}' is not an ending")
    known = set(state.known)

    def entry(fact_id: str) -> FactEntry:
        fact = scenario.facts[fact_id]
        return FactEntry(fact, scenario.sources[fact.source], fact_id in known)

    listed = set(ending.debrief.facts) | set(ending.debrief.governments)
    places = [scenario.scenes.get(place) or scenario.endings[place] for place in state.path]
    return DebriefView(
        scenario_title=scenario.title,
        role_title=scenario.roles[state.role].title,
        ending_id=ending.id,
        ending_title=ending.title,
        tone=ending.tone,
        ending_text=fill(scenario, state, ending.text),
        summary=ending.debrief.summary,
        facts=tuple(entry(f) for f in ending.debrief.facts),
        also_found=tuple(entry(f) for f in state.known if f not in listed),
        path=_path(scenario, state, seed),
        questions=ending.debrief.questions,
        governments=tuple(entry(f) for f in ending.debrief.governments),
        real=_gathered(place.real for place in places),
        invented=_gathered(place.invented for place in places),
    )


def _path(scenario: Scenario, state: GameState, seed: int | None) -> tuple[PathStep, ...]:
    """Each place on the path with the text of the choice taken there (the ending has none), filled
    in from the state it was taken in when the seed replays the game, else from the last state."""
    before = _states_before(scenario, state, seed) if seed is not None and scenario.texts else []
    steps = []
    for index, place in enumerate(state.path):
        choice_text = ""
        if index < len(state.choices):
            scene = scenario.scenes.get(place)
            chosen = next((c for c in scene.choices if c.id == state.choices[index]), None) if scene else None
            then = before[index] if index < len(before) else state
            choice_text = fill(scenario, then, chosen.text) if chosen else state.choices[index]
        steps.append(PathStep(scenario.place_title(place), choice_text))
    return tuple(steps)


def _states_before(scenario: Scenario, state: GameState, seed: int) -> list[GameState]:
    """The state before each choice of the game, replayed with its seed ([] if it does not replay)."""
    current = start(scenario, state.role)
    found = []
    for choice_id in state.choices:
        found.append(current)
        try:
            current = advance(scenario, current, choice_id, seed)
        except ChoiceError:
            return []
    return found


def _gathered(lists: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """Every item of the lists, in order, each once."""
    return tuple(dict.fromkeys(item for items in lists for item in items))


def source_line(source: Source) -> str:
    """'Title', Publisher, 2019-11-08, https://... : the citation shown under each fact."""
    parts = [f"\u201c{source.title}\u201d", source.publisher]
    if source.published:
        parts.append(source.published)
    if source.url:
        parts.append(source.url)
    return ", ".join(part for part in parts if part)


def debrief_markdown(view: DebriefView) -> str:
    """The whole debrief as a Markdown document."""
    lines = [f"# {view.scenario_title}: {view.ending_title}", "",
             f"*Played as: {view.role_title}. Ending tone: {view.tone}.*", "", view.ending_text, "",
             "## What really happened", "", view.summary, ""]

    def fact_block(entry: FactEntry) -> list[str]:
        # Blank lines keep the quote, source and note as separate paragraphs of the list item.
        block = [f"- **{entry.fact.text}**" + (" *(you found this)*" if entry.found else ""), ""]
        if entry.fact.quote:
            block += [f"  > \u201c{entry.fact.quote}\u201d", ""]
        block += [f"  Source: {source_line(entry.source)}", ""]
        if entry.fact.note:
            block += [f"  Note: {entry.fact.note}", ""]
        return block

    if view.facts:
        lines += ["## The facts", ""]
        for entry in view.facts:
            lines += fact_block(entry)
    if view.also_found:
        lines += ["## Also in your journal", ""]
        for entry in view.also_found:
            lines += fact_block(entry)
    if view.governments:
        lines += ["## What the governments said", ""]
        for entry in view.governments:
            lines += fact_block(entry)
    lines += ["## Your path", ""]
    lines += [f"{number}. {step}" for number, step in enumerate(view.path, 1)]
    lines += ["", "## Questions to discuss", ""]
    lines += [f"{number}. {question}" for number, question in enumerate(view.questions, 1)]
    if view.real or view.invented:
        lines += ["", "## Real or invented", ""]
        lines += [f"- Real: {item}" for item in view.real]
        lines += [f"- Invented: {item}" for item in view.invented]
    return "\n".join(lines) + "\n"
