"""The immutable scenario model: what a loaded YAML file means, with nothing left to check.

Every class is a frozen dataclass. Mappings keep the file's order (dicts are only ever read after
loading). Front ends and the engine read the model; nothing writes to it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

from game.engine.runtime.expressions import Effect, Expr
from game.engine.runtime.knowledge import CheckItem
from game.engine.runtime.text import Template

Basis = Literal["reported", "composite", "invented"]
Tone = Literal["hopeful", "mixed", "bitter"]
BASES: tuple[str, ...] = ("reported", "composite", "invented")
TONES: tuple[str, ...] = ("hopeful", "mixed", "bitter")

#: The one rule for ids (scenarios, scenes, endings, facts, sources, choices): lower-case letters and
#: digits with single hyphens between them. The loader checks it (`loader/ids.py` says it in words),
#: and the classroom uses it to tell an id from a path.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def chance_text(weight: int, total: int) -> str:
    """An outcome's chance as a fraction in lowest terms, e.g. '1/3', for maps and guides."""
    common = math.gcd(weight, total)
    return f"{weight // common}/{total // common}"


def chances(choice: Choice) -> list[str]:
    """Each outcome's chance as maps and guides show it: '1/3' when the weights are fixed, else
    the weight and condition as written ('weight exposure + 1', 'if trust >= 2, weight 2')."""
    if all(outcome.fixed for outcome in choice.outcomes):
        total = sum(outcome.weight for outcome in choice.outcomes)
        return [chance_text(outcome.weight, total) for outcome in choice.outcomes]
    shown = []
    for outcome in choice.outcomes:
        weight = f"weight {outcome.weight_text or outcome.weight}"
        shown.append(f"if {outcome.condition_text}, {weight}" if outcome.condition is not None else weight)
    return shown

BASIS_MEANING = {
    "reported": "as reported in the sources",
    "composite": "drawn from several reported events",
    "invented": "invented for the story",
}


@dataclass(frozen=True, slots=True)
class Source:
    """A source facts quote: a report, an article or a statement, with its local copy if any."""

    id: str
    title: str
    publisher: str
    published: str = ""  # an ISO date as written, or empty
    url: str = ""
    file: str = ""  # absolute path of the local copy, or empty


@dataclass(frozen=True, slots=True)
class Fact:
    """A factual claim shown in the journal and the debrief, with the source it comes from."""

    id: str
    text: str
    source: str  # a Source id
    quote: str = ""
    note: str = ""  # where sources disagree, or what else is reported


@dataclass(frozen=True, slots=True)
class StatDef:
    """A number the story tracks (e.g. safety), with its bounds and starting value."""

    id: str
    label: str
    min: int
    max: int
    start: int
    hidden: bool = False  # hidden stats steer the story without being shown

    def clamp(self, value: int) -> int:
        return self.min if value < self.min else self.max if value > self.max else value


@dataclass(frozen=True, slots=True)
class FlagDef:
    """A yes-or-no the story tracks, with the label players see while it is set."""

    id: str
    label: str  # shown to players while the flag is set


@dataclass(frozen=True, slots=True)
class Role:
    """Who the player is: a title, a blurb, the first scene and any stats that start differently."""

    id: str
    title: str
    blurb: str
    start: str  # a scene id
    stats: dict[str, int] = field(default_factory=dict)  # overrides of StatDef.start


@dataclass(frozen=True, slots=True)
class Outcome:
    """One possible result of a chance choice: its weight, where it leads and what it changes."""

    weight: int  # the weight when it is a whole number (0 when `weight_expr` gives it)
    goto: str
    effects: tuple[Effect, ...] = ()
    weight_expr: Expr | None = None  # a weight that depends on the state: arithmetic over stats
    weight_text: str = ""  # that weight as written
    condition: Expr | None = None  # the outcome can happen only when this holds
    condition_text: str = ""

    @property
    def fixed(self) -> bool:
        """True when the outcome's chance never depends on the state."""
        return self.weight_expr is None and self.condition is None


@dataclass(frozen=True, slots=True)
class Choice:
    """A choice in a scene: its text, where it leads (or its outcomes), its condition and effects."""

    id: str
    text: str
    goto: str = ""  # empty when the choice has outcomes
    outcomes: tuple[Outcome, ...] = ()
    condition: Expr | None = None
    condition_text: str = ""  # the `if` as written, for tools and messages
    locked: str = ""  # shown, disabled, when the condition fails; empty: hidden instead
    effects: tuple[Effect, ...] = ()
    line: int = 0  # where the choice starts in its file, for tools that point back to it
    once: bool = False  # open only until it has been taken once
    fallback: bool = False  # open only when no other choice of the scene is

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.goto,) if self.goto else tuple(outcome.goto for outcome in self.outcomes)


@dataclass(frozen=True, slots=True)
class Scene:
    """A scene: its title, text, basis in reported events, and choices."""

    id: str
    title: str
    basis: Basis
    text: str
    choices: tuple[Choice, ...]
    reveals: tuple[str, ...] = ()
    line: int = 0
    real: tuple[str, ...] = ()  # the real events and people this scene shows, for "Real or invented"
    invented: tuple[str, ...] = ()  # the invented people and places in it


@dataclass(frozen=True, slots=True)
class Debrief:
    """An ending's debrief: a summary of what really happened, its facts, and questions."""

    summary: str
    facts: tuple[str, ...]
    questions: tuple[str, ...]
    governments: tuple[str, ...] = ()  # fact ids quoting what a government said: "What the governments said"


@dataclass(frozen=True, slots=True)
class Ending:
    """An ending: its tone, text and debrief."""

    id: str
    title: str
    tone: Tone
    text: str
    debrief: Debrief
    reveals: tuple[str, ...] = ()
    basis: Basis | None = None
    line: int = 0
    real: tuple[str, ...] = ()
    invented: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole story as loaded and validated: immutable, and shared by every game of it."""

    format: int
    id: str
    title: str
    summary: str
    language: str
    audience: str
    minutes: int
    content_warnings: tuple[str, ...]
    learning_objectives: tuple[str, ...]
    sources: dict[str, Source]
    stats: dict[str, StatDef]
    flags: dict[str, FlagDef]
    roles: dict[str, Role]
    facts: dict[str, Fact]
    glossary: dict[str, str]
    scenes: dict[str, Scene]
    endings: dict[str, Ending]
    path: str = ""  # the file it was loaded from
    content_hash: str = ""  # sha256 of the file's bytes: saves record it
    texts: dict[str, Template] = field(default_factory=dict)  # each text with `{if ...}`, compiled
    includes: tuple[str, ...] = ()  # the shared files included, resolved
    check: tuple[CheckItem, ...] = ()  # the knowledge check asked before and after play, if any

    def place_title(self, place_id: str) -> str:
        """The title of a scene or ending."""
        place = self.scenes.get(place_id) or self.endings.get(place_id)
        return place.title if place else place_id
