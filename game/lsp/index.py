"""Where each id of one scenario file is defined and where it is used, with exact positions.

The text is read by the loader's own reader (`yamlsource.parse`: no constructor runs, aliases and
duplicate keys are refused), so the positions are the ones the validator reports. The index does
not check anything: a `goto` to a scene that does not exist is still a reference, which is what
completion and navigation need while a file is being written. Positions are 0-based lines and
columns counted in characters, as YAML counts them; `positions.py` converts them for the client.

References are found in conditions, effects and weights, and inside text: the conditions of
`{if ...}` variants and `{name}` placeholders, in `|` blocks too (placed by the loader's own
`span_in_scalar`). An occurrence that cannot be placed exactly (in a folded `>` block, say) is
counted in `unplaced`, so a rename can refuse rather than leave it behind. With the file's path,
the index also holds what its shared files (`include`) define, each with its own file.

The one verdict it keeps is the loader's own on each knowledge-check `answer:` (`check.read_answer`,
the rule behind `D.CHECK_ANSWER_NOT_AN_OPTION`), so that a hover on it says what `validate` says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine.loader.check import item_name, read_answer
from game.engine.loader.problems import Problem
from game.engine.loader.reader import NodeReader
from game.engine.loader.shared import is_shared, open_include
from game.engine.loader.yamlsource import NULL_TAG, parse

#: What a definition is: scenes and endings share one namespace, "place"; stats and flags share "name".
KINDS = ("scene", "ending", "fact", "source", "stat", "flag", "role")
NAMESPACE = {"scene": "place", "ending": "place", "fact": "fact", "source": "source", "stat": "name",
             "flag": "name", "role": "role"}

_CONDITION_TOKEN = re.compile(
    r"""\s*(?:(?P<string>"[^"\\]*"|'[^'\\]*')
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)
    | (?P<other>==|!=|<=|>=|\S))""", re.VERBOSE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Where a condition starts inside text: after `{if` or after `| if`, up to its `:`.
_TEXT_CONDITION = re.compile(r"(?:\{|\|)\s*if(?=[\s(])(?P<condition>[^:{}|]*)")
_PLACEHOLDER = re.compile(r"(?<!\{)\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}")
#: The functions whose argument is an id: the namespace of that id.
_FUNCTIONS = {"visited": "place", "visits": "place", "known": "fact"}


def split_lines(text: str) -> list[str]:
    """The lines of a text as an LSP client counts them (breaks are \\n, \\r\\n and \\r only)."""
    return _LINE_BREAK.split(text)


@dataclass(frozen=True, slots=True)
class Span:
    """Characters `start` to `end` (exclusive) of one 0-based line."""

    line: int
    start: int
    end: int

    def contains(self, line: int, column: int) -> bool:
        """True when a cursor at (line, column) touches the span, at either edge included."""
        return line == self.line and self.start <= column <= self.end


@dataclass(frozen=True, slots=True)
class Definition:
    """An id where it is declared: the key under `scenes:`, `facts:` and so on."""

    kind: str
    id: str
    span: Span
    details: dict[str, str] = field(default_factory=dict)  # title, text, quote, source, label...
    file: str = ""  # the shared file it is written in (its absolute path); "" for this document

    @property
    def namespace(self) -> str:
        return NAMESPACE[self.kind]


@dataclass(frozen=True, slots=True)
class Reference:
    """An id where it is used; `where` says how (goto, start, reveals, visited, condition...)."""

    namespace: str
    id: str
    span: Span
    where: str


@dataclass(frozen=True, slots=True)
class ChoiceEntry:
    """A choice of a scene: its explicit `id:` (None when it defaults to its `goto`) and where
    that id is written, and its `goto` ('' when it has outcomes)."""

    scene: str
    id: str | None
    id_span: Span | None
    goto: str

    @property
    def effective_id(self) -> str:
        return self.id if self.id is not None else self.goto


@dataclass(frozen=True, slots=True)
class AnswerEntry:
    """A check item's `answer:` where it is written, with the loader's verdict: the 0-based place
    of the option it names, or (None) the problem `validate` reports on it
    (`D.CHECK_ANSWER_NOT_AN_OPTION`)."""

    item: str
    span: Span
    options: tuple[str, ...]
    place: int | None
    problem: Problem | None


@dataclass
class ScenarioIndex:
    """Definitions by namespace and id, every reference, and each scene's choices."""

    definitions: dict[str, dict[str, Definition]] = field(default_factory=lambda: {n: {} for n in set(NAMESPACE.values())})
    references: list[Reference] = field(default_factory=list)
    choices: list[ChoiceEntry] = field(default_factory=list)
    answers: list[AnswerEntry] = field(default_factory=list)  # one per check item with a verdict on its answer
    unplaced: list[tuple[str, str, int]] = field(default_factory=list)  # (namespace, id, 0-based line) not placed exactly
    shared: bool = False  # the document is a shared file, not a scenario

    def of_kind(self, *kinds: str) -> list[Definition]:
        """The definitions of these kinds, in the order of the file."""
        found = [d for n in {NAMESPACE[k] for k in kinds} for d in self.definitions[n].values() if d.kind in kinds]
        return sorted(found, key=lambda d: (d.span.line, d.span.start))

    def lookup(self, namespace: str, ident: str) -> Definition | None:
        return self.definitions[namespace].get(ident)

    def at(self, line: int, column: int) -> Definition | Reference | None:
        """The definition or reference under a cursor, if any."""
        for definitions in self.definitions.values():
            for definition in definitions.values():
                if not definition.file and definition.span.contains(line, column):
                    return definition
        for reference in self.references:
            if reference.span.contains(line, column):
                return reference
        return None

    def answer_at(self, line: int, column: int) -> AnswerEntry | None:
        """The check item's answer under a cursor, if any."""
        return next((a for a in self.answers if a.span.contains(line, column)), None)

    def references_to(self, namespace: str, ident: str) -> list[Reference]:
        return [r for r in self.references if r.namespace == namespace and r.id == ident]


def build_index(text: str, path: Path | None = None) -> ScenarioIndex | None:
    """The index of a file's text, or None when the YAML cannot be read at all. With the file's
    path, what its shared files define is in the index too (read from disk, as the loader reads them)."""
    parsed = parse("<index>", text.encode("utf-8"))
    if parsed.root is None or not isinstance(parsed.root, MappingNode):
        return None
    index = _Indexer(text).run(parsed.root)
    if path is not None:
        _index_includes(index, text, path, parsed.root)
    return index


def _index_includes(index: ScenarioIndex, text: str, path: Path, root: MappingNode) -> None:
    reader = NodeReader(str(path), text)  # collects the problems, which the diagnostics report instead
    for item in _items(_mapping(root).get("include")):
        if not isinstance(item, ScalarNode):
            continue
        opened = open_include(reader, path, str(item.value), item)
        if opened is None:
            continue
        found, shared_root = opened
        shared = _Indexer(found.text, str(found.path)).run(shared_root)
        for namespace, definitions in shared.definitions.items():
            for ident, definition in definitions.items():
                index.definitions[namespace].setdefault(ident, definition)


class _Indexer:
    """One walk over the nodes: definitions first (conditions need to know stats from flags)."""

    def __init__(self, text: str, file: str = "") -> None:
        self.lines = split_lines(text)
        self.index = ScenarioIndex()
        self.file = file
        self.reader = NodeReader("<index>", text)  # the loader's own placing of characters inside values

    def run(self, root: MappingNode) -> ScenarioIndex:
        top = _mapping(root)
        self.index.shared = is_shared(root)
        for section, kind in (("sources", "source"), ("stats", "stat"), ("flags", "flag"), ("roles", "role"),
                              ("facts", "fact"), ("scenes", "scene"), ("endings", "ending")):
            for key, value in _entries(top.get(section)):
                self.define(kind, key, value)
        for key, value in _entries(top.get("roles")):
            fields = _mapping(value)
            self.refer("place", fields.get("start"), "start")
            for stat, _ in _entries(fields.get("stats")):
                self.refer("name", stat, "role stats")
        for key, value in _entries(top.get("facts")):
            self.refer("source", _mapping(value).get("source"), "source")
        for key, value in _entries(top.get("scenes")):
            fields = _mapping(value)
            self.text(fields.get("text"))
            self.refer_all("fact", fields.get("reveals"), "reveals")
            for choice in _items(fields.get("choices")):
                self.choice(str(key.value), _mapping(choice))
        for key, value in _entries(top.get("endings")):
            fields = _mapping(value)
            self.text(fields.get("text"))
            self.refer_all("fact", fields.get("reveals"), "reveals")
            debrief = _mapping(fields.get("debrief"))
            self.refer_all("fact", debrief.get("facts"), "facts")
            self.refer_all("fact", debrief.get("governments"), "governments")
        for item in _items(top.get("check")):
            self.refer("fact", _mapping(item).get("fact"), "check")
            self.answer(item, _mapping(item))
        self.index.references.sort(key=lambda r: (r.span.line, r.span.start))
        return self.index

    # ------------------------------------------------------------------ recording

    def span(self, node: Node | None) -> Span | None:
        """The span of a scalar's text on its line, without quotes; None when it cannot be exact
        (several lines, block scalars, escapes): navigation then skips that occurrence."""
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
            return None
        start, end = node.start_mark, node.end_mark
        if start.line != end.line or start.line >= len(self.lines) or node.style not in (None, "", "'", '"'):
            return None
        raw = self.lines[start.line][start.column:end.column]
        if node.style in ("'", '"'):
            if raw[1:-1] != node.value:
                return None
            return Span(start.line, start.column + 1, end.column - 1)
        return Span(start.line, start.column, end.column) if raw == node.value else None

    def define(self, kind: str, key: ScalarNode, value: Node) -> None:
        span = self.span(key)
        if span is None or key.value in self.index.definitions[NAMESPACE[kind]]:
            return
        details = {name: str(node.value) for name, node in _mapping(value).items()
                   if isinstance(node, ScalarNode) and node.tag != NULL_TAG}
        if kind == "flag" and isinstance(value, ScalarNode):
            details["label"] = str(value.value)
        self.index.definitions[NAMESPACE[kind]][str(key.value)] = Definition(kind, str(key.value), span, details,
                                                                              self.file)

    def refer(self, namespace: str, node: Node | None, where: str) -> None:
        span = self.span(node)
        if span is not None and isinstance(node, ScalarNode):
            self.index.references.append(Reference(namespace, str(node.value), span, where))

    def refer_all(self, namespace: str, node: Node | None, where: str) -> None:
        for item in _items(node):
            self.refer(namespace, item, where)

    def refer_inside(self, node: ScalarNode, offset: int, word: str, namespace: str, where: str) -> None:
        """A reference at a character offset inside a scalar's value (a condition, an effect, a text),
        placed where the loader places characters; when that is not exactly the word, it is unplaced."""
        span = self.span(node)
        if span is not None:
            self.index.references.append(
                Reference(namespace, word, Span(span.line, span.start + offset, span.start + offset + len(word)), where))
            return
        placed = self.reader.span_in_scalar(node, offset, len(word))
        line, start = placed.line - 1, placed.column - 1
        if (placed.line == placed.end_line and placed.end_column - placed.column == len(word)
                and line < len(self.lines) and self.lines[line][start:start + len(word)] == word):
            self.index.references.append(Reference(namespace, word, Span(line, start, start + len(word)), where))
        else:
            self.index.unplaced.append((namespace, word, node.start_mark.line))

    def answer(self, item: Node, fields: dict[str, Node]) -> None:
        """A check item's answer and the loader's verdict on it; none when there is none to give
        yet (no options, an empty answer) or the answer cannot be placed exactly."""
        node = fields.get("answer")
        span = self.span(node)
        if node is None or span is None:
            return
        reader = NodeReader("<index>", self.reader.yaml_text)  # its own: only this item's problems are in it
        name = item_name(reader.text(fields.get("id"), "the item's id"), item)
        options = reader.text_list(fields.get("options"), "options")
        before = len(reader.problems)
        place = read_answer(reader, node, options, name)
        problem = reader.problems[before] if len(reader.problems) > before else None
        if place is not None or problem is not None:
            self.index.answers.append(AnswerEntry(name, span, tuple(text for text, _ in options), place, problem))

    # ------------------------------------------------------------------ choices and the small language

    def choice(self, scene: str, fields: dict[str, Node]) -> None:
        goto = fields.get("goto")
        self.refer("place", goto, "goto")
        self.text(fields.get("text"))
        self.text(fields.get("locked"))
        for outcome in _items(fields.get("outcomes")):
            outcome_fields = _mapping(outcome)
            self.refer("place", outcome_fields.get("goto"), "goto")
            self.effects(outcome_fields.get("do"))
            for key in ("if", "weight"):
                expression = outcome_fields.get(key)
                if isinstance(expression, ScalarNode):
                    self.condition(expression)
        self.effects(fields.get("do"))
        condition = fields.get("if")
        if isinstance(condition, ScalarNode):
            self.condition(condition)
        choice_id = fields.get("id")
        target = str(goto.value) if isinstance(goto, ScalarNode) else ""
        written = str(choice_id.value) if isinstance(choice_id, ScalarNode) else None
        self.index.choices.append(ChoiceEntry(scene, written, self.span(choice_id), target))

    def condition(self, node: ScalarNode, text: str | None = None, at: int = 0, where: str = "condition") -> None:
        """The references in an expression: the whole of a scalar, or `text` found `at` an offset in it."""
        source = str(node.value) if text is None else text
        tokens = [(m.lastgroup or "", m.group(m.lastgroup or 0), m.start(m.lastgroup or 0) + at)
                  for m in _CONDITION_TOKEN.finditer(source)]
        arguments: set[int] = set()  # the tokens that are the ids inside visited(...), visits(...) and known(...)
        for i, (kind, word, offset) in enumerate(tokens):
            after = [t[1] for t in tokens[i + 1:i + 3]]
            if i in arguments:
                continue
            if kind == "name" and word in _FUNCTIONS and after[:1] == ["("] and len(after) == 2:
                argument = tokens[i + 2]
                if argument[0] == "name":
                    arguments.add(i + 2)
                    self.refer_inside(node, argument[2], argument[1], _FUNCTIONS[word], word)
            elif kind == "name" and word == "role" and after[:1] in (["=="], ["!="]) and len(after) == 2:
                quoted = tokens[i + 2]
                if quoted[0] == "string":
                    self.refer_inside(node, quoted[2] + 1, quoted[1][1:-1], "role", where)
            elif kind == "name" and word in self.index.definitions["name"]:
                self.refer_inside(node, offset, word, "name", where)

    def effects(self, node: Node | None) -> None:
        """An effect's name and the stats its amount reads (`trust = trust + exposure`)."""
        for item in _items(node):
            if isinstance(item, ScalarNode):
                self.condition(item, where="do")

    def text(self, node: Node | None) -> None:
        """The references inside author text: `{if ...}` conditions and `{name}` placeholders."""
        if not isinstance(node, ScalarNode) or "{" not in str(node.value):
            return
        value = str(node.value)
        for found in _TEXT_CONDITION.finditer(value):
            self.condition(node, found.group("condition"), found.start("condition"), "text")
        for found in _PLACEHOLDER.finditer(value):
            if found.group("name") in self.index.definitions["name"]:
                self.refer_inside(node, found.start("name"), found.group("name"), "name", "text")


def _mapping(node: Node | None) -> dict[str, Node]:
    """A mapping's values by key (plain keys only); empty for anything else."""
    if not isinstance(node, MappingNode):
        return {}
    return {str(key.value): value for key, value in node.value if isinstance(key, ScalarNode)}


def _entries(node: Node | None) -> Iterator[tuple[ScalarNode, Node]]:
    """The (id key, value) pairs of an id-keyed section such as `scenes:`."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                yield key, value


def _items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []
