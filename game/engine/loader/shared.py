"""Shared files: sources, facts and glossary entries written once and included by several scenarios.

A shared file is a YAML file of its own with `format: 2`, a `shared:` line saying what it holds,
and any of `sources`, `facts` and `glossary`, checked exactly as a scenario's are (a quote is
checked against its source's local copy, verbatim). A scenario names the files it uses:

    include: [shared/cambodia-2019.yaml]

Each path is relative to the scenario and must lie inside its project (`sourcefiles.read_include`:
no absolute paths, no `..` leading out, links followed and checked). A shared file's facts cite
the sources written in the same shared file, and its source files lie inside the including
scenario's project. Problems in a shared file are reported at their place in that file.

A scenario takes from its shared files what it uses (`used`): the facts it names (in `reveals`,
a debrief or `known()`), the sources its facts cite, and the glossary terms its text mentions. So
one shared file can serve every story of a project, and each story's guide and glossary list only
its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode

from game.engine.diagnostics import D
from game.engine.loader.problems import Problem
from game.engine.loader.reader import NodeReader
from game.engine.loader.sections import SectionReader
from game.engine.loader.sourcefiles import Refused, SourceText, project_root, read_include
from game.engine.loader.yamlsource import parse
from game.engine.runtime.expressions import names_read
from game.engine.runtime.model import Fact, Scenario, Source
from game.engine.runtime.text import template_reads

#: The keys of a shared file; True marks the required ones.
SHARED_KEYS = {"format": True, "shared": True, "sources": False, "facts": False, "glossary": False}
#: The format a shared file is written in.
SHARED_FORMAT = 2
#: The sections a shared file may define, with what an entry of each is called in messages.
KINDS = {"sources": "source", "facts": "fact", "glossary": "glossary entry"}


@dataclass
class SharedFile:
    """One shared file read: what it defines, where, its problems and the files it read."""

    shown: str  # its path as messages show it
    path: Path
    sources: dict[str, Source] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    glossary: dict[str, str] = field(default_factory=dict)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (section, id) -> line of its key
    problems: list[Problem] = field(default_factory=list)
    dropped: int = 0  # problems past the limit
    hashes: dict[str, str] = field(default_factory=dict)  # the shared file and its source files
    source_texts: dict[str, str] = field(default_factory=dict)  # its source files' texts, for quotes elsewhere

    @property
    def ok(self) -> bool:
        return self.dropped == 0 and not any(problem.is_error for problem in self.problems)


def is_shared(root: Node | None) -> bool:
    """True for a file whose top level has a `shared:` key: a shared file, not a scenario."""
    return isinstance(root, MappingNode) and any(
        isinstance(key, ScalarNode) and key.value == "shared" for key, _ in root.value)


def shared_project_root(file: Path) -> Path:
    """The project of a shared file read on its own: the folder above the nearest `scenarios`
    folder it is in, else the folder above its own folder (as for a scenario)."""
    resolved = file.resolve()
    for folder in resolved.parents:
        if folder.name == "scenarios":
            return folder.parent
    return project_root(file)


def read_shared(shown: str, file: Path, text: str, root: MappingNode, project: Path) -> SharedFile:
    """Check one shared file's nodes: its sources (files inside `project`), facts and glossary."""
    reader = SectionReader(shown, file, text, project)
    shared = SharedFile(shown, file)
    top = reader.fields(root, SHARED_KEYS, "the shared file")
    assert top is not None
    if "format" in top:
        version = reader.integer(top["format"], "format", SHARED_FORMAT)
        if version == 1:
            reader.report(D.FORMAT_2_FEATURE, top["format"], feature="a shared file", version=version)
        elif version != SHARED_FORMAT:
            reader.report(D.UNSUPPORTED_FORMAT, top["format"], version=version, supported="format 2 in shared files")
    reader.text(top.get("shared"), "shared")
    shared.sources = reader.sources(top.get("sources"))
    shared.facts = reader.facts(top.get("facts"), shared.sources,
                                "a shared file's facts cite the sources written in the same file")
    shared.glossary = reader.glossary(top.get("glossary"))
    for section in KINDS:
        for key, _ in reader.entries(top.get(section), section):
            shared.lines.setdefault((section, str(key.value)), key.start_mark.line + 1)
    shared.problems, shared.dropped, shared.hashes = reader.problems, reader.dropped, reader.source_hashes
    shared.source_texts = reader.source_texts
    return shared


def include_shown(scenario_shown: str, written: str) -> str:
    """How messages show an included file: beside the scenario's own path as shown."""
    return os.path.normpath(os.path.join(os.path.dirname(scenario_shown), written))


def open_include(reader: NodeReader, scenario: Path, written: str, node: Node) -> tuple[SourceText, MappingNode] | None:
    """Find, read and parse one `include`, reporting at `node` (in the scenario) why it cannot be,
    and a YAML problem in the shared file at its place there."""
    found = read_include(scenario, written)
    if isinstance(found, Refused):
        reader.report(found.diagnostic, node, **found.args)
        return None
    parsed = parse(include_shown(reader.path, written), found.text.encode("utf-8"))
    reader.absorb(parsed.problems)
    if parsed.root is None:
        return None
    if not is_shared(parsed.root):
        why = "a scenario cannot include a scenario" if isinstance(parsed.root, MappingNode) and any(
            isinstance(key, ScalarNode) and key.value == "scenes" for key, _ in parsed.root.value) \
            else "it has no `shared:` key"
        reader.report(D.NOT_SHARED, node, written=written, why=why)
        return None
    assert isinstance(parsed.root, MappingNode)
    return found, parsed.root


def used(scenario: Scenario, shared: set[tuple[str, str]]) -> Scenario:
    """The scenario with only the entries of its shared files that it uses.

    Args:
        scenario: the scenario with every entry of its shared files merged in.
        shared: (section, id) of each entry that came from a shared file.
    """
    if not shared:
        return scenario
    named = _facts_named(scenario)
    facts = {k: f for k, f in scenario.facts.items() if ("facts", k) not in shared or k in named}
    cited = {fact.source for fact in facts.values()}
    sources = {k: s for k, s in scenario.sources.items() if ("sources", k) not in shared or k in cited}
    text = "\n".join(_texts(scenario, facts))
    glossary = {term: meaning for term, meaning in scenario.glossary.items()
                if ("glossary", term) not in shared
                or re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, flags=re.IGNORECASE)}
    return replace(scenario, facts=facts, sources=sources, glossary=glossary)


def _facts_named(scenario: Scenario) -> set[str]:
    """Every fact a scenario names: revealed, in a debrief, or read by `known()` anywhere."""
    named: set[str] = set()
    for scene in scenario.scenes.values():
        named.update(scene.reveals)
    for ending in scenario.endings.values():
        named.update(ending.reveals)
        named.update(ending.debrief.facts)
        named.update(ending.debrief.governments)
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            for expr in [choice.condition, *(outcome.condition for outcome in choice.outcomes)]:
                if expr is not None:
                    named.update(name for kind, name in names_read(expr) if kind == "known")
    for template in scenario.texts.values():
        named.update(name for kind, name in template_reads(template)[0] if kind == "known")
    return named


def _texts(scenario: Scenario, facts: dict[str, Fact]) -> Iterator[str]:
    """Everything a player or a teacher reads in a scenario, where a glossary term may be mentioned."""
    yield from (scenario.title, scenario.summary, *scenario.learning_objectives)
    for scene in scenario.scenes.values():
        yield scene.title
        yield scene.text
        for choice in scene.choices:
            yield choice.text
            yield choice.locked
    for ending in scenario.endings.values():
        yield from (ending.title, ending.text, ending.debrief.summary, *ending.debrief.questions)
    for fact in facts.values():
        yield from (fact.text, fact.note)
