"""The debrief at an ending: what really happened, the facts with their sources, the path, questions.

`build_debrief` turns a finished game into a `DebriefView` that every front end shows the same way;
`debrief_markdown` renders it for export and for the teacher's materials.
"""

from __future__ import annotations

from dataclasses import dataclass

from game.engine.runtime.model import Fact, Scenario, Source
from game.engine.runtime.state import GameState, fill


@dataclass(frozen=True, slots=True)
class FactEntry:
    fact: Fact
    source: Source
    found: bool  # the player found it during play (it is in their journal)

    @property
    def quote_checked(self) -> bool:
        """The quote was checked verbatim against a local copy of the source at load time."""
        return bool(self.fact.quote and self.source.file)


@dataclass(frozen=True, slots=True)
class DebriefView:
    scenario_title: str
    role_title: str
    ending_id: str
    ending_title: str
    tone: str
    ending_text: str
    summary: str
    facts: tuple[FactEntry, ...]  # the ending's own facts, in the author's order
    also_found: tuple[FactEntry, ...]  # facts from the journal that the ending does not list
    path: tuple[str, ...]  # titles of the scenes passed through, ending last
    questions: tuple[str, ...]


def build_debrief(scenario: Scenario, state: GameState) -> DebriefView:
    ending = scenario.endings.get(state.place)
    if ending is None:
        raise ValueError(f"'{state.place}' is not an ending")
    known = set(state.known)

    def entry(fact_id: str) -> FactEntry:
        fact = scenario.facts[fact_id]
        return FactEntry(fact, scenario.sources[fact.source], fact_id in known)

    listed = set(ending.debrief.facts)
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
        path=tuple(scenario.place_title(place) for place in state.path),
        questions=ending.debrief.questions,
    )


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
    lines += ["## Your path", ""]
    lines += [f"{number}. {title}" for number, title in enumerate(view.path, 1)]
    lines += ["", "## Questions to discuss", ""]
    lines += [f"{number}. {question}" for number, question in enumerate(view.questions, 1)]
    return "\n".join(lines) + "\n"
