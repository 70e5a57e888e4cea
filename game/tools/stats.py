"""`longarm stats`: how big a scenario is, how long it takes to read, and how well it is sourced.

Words are runs of non-space characters (`text.split()`), counted as the author wrote them:
Markdown marks and `{placeholders}` included. Reading time is the words divided by 200 words
per minute, rounded up to a whole minute. A fact's quote counts as verified when its source has
a local `file`: the loader then refuses the scenario unless the quote appears in it verbatim.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TextIO

from game.engine.runtime.model import Scenario
from game.tools.loading import load_named

WORDS_PER_MINUTE = 200


def words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True, slots=True)
class Stats:
    scenes: int
    choices: int
    conditional_choices: int  # with an `if`
    random_choices: int  # with `outcomes`
    endings: dict[str, int]  # tone -> how many
    roles: int
    scene_words: dict[str, int]  # each scene's text
    words: dict[str, int]  # by kind of text, and "total"
    facts: int
    facts_quoted: int
    facts_verified: int  # quoted, and checked verbatim against a local copy of the source
    sources: int
    sources_with_file: int
    glossary: int

    @property
    def reading_minutes(self) -> int:
        return math.ceil(self.words["total"] / WORDS_PER_MINUTE)

    def to_json(self) -> dict[str, object]:
        return {"scenes": self.scenes, "choices": self.choices, "conditional_choices": self.conditional_choices,
                "random_choices": self.random_choices, "endings": sum(self.endings.values()),
                "endings_by_tone": self.endings, "roles": self.roles, "scene_words": self.scene_words,
                "words": self.words, "words_per_minute": WORDS_PER_MINUTE, "reading_minutes": self.reading_minutes,
                "facts": self.facts, "facts_quoted": self.facts_quoted, "facts_verified": self.facts_verified,
                "sources": self.sources, "sources_with_file": self.sources_with_file, "glossary": self.glossary}


def measure(scenario: Scenario) -> Stats:
    choices = [choice for scene in scenario.scenes.values() for choice in scene.choices]
    scene_words = {scene.id: words(scene.text) for scene in scenario.scenes.values()}
    counts = {
        "scenes": sum(scene_words.values()),
        "endings": sum(words(ending.text) for ending in scenario.endings.values()),
        "choices": sum(words(choice.text) + words(choice.locked) for choice in choices),
        "debriefs": sum(words(e.debrief.summary) + sum(words(q) for q in e.debrief.questions)
                        for e in scenario.endings.values()),
        "facts": sum(words(f.text) + words(f.quote) + words(f.note) for f in scenario.facts.values()),
    }
    counts["total"] = sum(counts.values())
    tones = {tone: 0 for tone in ("hopeful", "mixed", "bitter")}
    for ending in scenario.endings.values():
        tones[ending.tone] += 1
    quoted = [fact for fact in scenario.facts.values() if fact.quote]
    return Stats(
        scenes=len(scenario.scenes), choices=len(choices),
        conditional_choices=sum(1 for c in choices if c.condition is not None),
        random_choices=sum(1 for c in choices if c.outcomes), endings=tones, roles=len(scenario.roles),
        scene_words=scene_words, words=counts, facts=len(scenario.facts), facts_quoted=len(quoted),
        facts_verified=sum(1 for fact in quoted if scenario.sources[fact.source].file),
        sources=len(scenario.sources), sources_with_file=sum(1 for s in scenario.sources.values() if s.file),
        glossary=len(scenario.glossary))


def render(scenario: Scenario, stats: Stats) -> str:
    tones = ", ".join(f"{count} {tone}" for tone, count in stats.endings.items())
    lines = [
        f"{scenario.title} ({scenario.id})",
        f"  scenes    {stats.scenes:>6,}",
        f"  choices   {stats.choices:>6,}   ({stats.conditional_choices} with a condition, {stats.random_choices} random)",
        f"  endings   {sum(stats.endings.values()):>6,}   ({tones})",
        f"  roles     {stats.roles:>6,}",
        "",
        "Words:",
    ]
    labels = {"scenes": "scene texts", "endings": "ending texts", "choices": "choice texts and locks",
              "debriefs": "debrief summaries and questions", "facts": "facts, quotes and notes", "total": "total"}
    for kind, label in labels.items():
        lines.append(f"  {label:<32} {stats.words[kind]:>7,}")
    lines.append(f"Reading time for all the text: about {stats.reading_minutes} minute"
                 f"{'s' if stats.reading_minutes != 1 else ''} at {WORDS_PER_MINUTE} words per minute "
                 f"(one playthrough reads less; the scenario says {scenario.minutes}).")
    lines.append("")
    lines.append("Sources:")
    lines.append(f"  facts {stats.facts}: {stats.facts_quoted} with a quote, {stats.facts_verified} of them verified "
                 "verbatim against a local copy of the source")
    lines.append(f"  sources {stats.sources}: {stats.sources_with_file} with a local copy")
    lines.append(f"  glossary entries {stats.glossary}")
    lines.append("")
    lines.append("Words in each scene's text:")
    width = max((len(scene) for scene in stats.scene_words), default=0)
    for scene, count in stats.scene_words.items():
        lines.append(f"  {scene:<{width}} {count:>6,}")
    return "\n".join(lines) + "\n"


def run_stats(name: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    scenario = load_named(name, "stats", err)
    if isinstance(scenario, int):
        return scenario
    stats = measure(scenario)
    out.write(json.dumps({"scenario": scenario.id, **stats.to_json()}, indent=2) + "\n" if as_json
              else render(scenario, stats))
    return 0
