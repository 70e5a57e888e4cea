"""Building the scenario model from located YAML nodes, checking everything on the way.

The `_Builder` walks the composed nodes once: every key, type, id and reference is checked,
each `if`, `do`, weight and text is parsed, the shared files it includes are read
(`shared.py`), each quote is found in its source file, and the whole-graph checks run last.
Every problem is a diagnostic from the registry (`game/engine/diagnostics.py`) at its node's
place; the model is returned only when there is no error. A file with a top-level `shared:` key
is a shared file, checked on its own. `load.py` calls `build` on a cache miss only, so reading a
cached scenario never imports PyYAML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine import limits
from game.engine.diagnostics import D, character_name
from game.engine.loader import check, graph
from game.engine.loader.ids import RESERVED_NAMES, first_hidden, is_name
from game.engine.loader.problems import FILE_START, Problem, sort_key
from game.engine.loader.quotes import normalise_space
from game.engine.loader.reader import describe
from game.engine.loader.sections import FACT_KEYS, SOURCE_KEYS, SectionReader
from game.engine.loader.shared import (
    KINDS,
    SharedFile,
    include_shown,
    is_shared,
    open_include,
    read_shared,
    shared_project_root,
    used,
)
from game.engine.loader.sourcefiles import project_root
from game.engine.loader.yamlsource import BOOL_TAG, INT_TAG, NULL_TAG, STR_TAG, parse
from game.engine.runtime.expressions import Const, Negate, Product, Sum, Visits
from game.engine.runtime.language import (
    Effect,
    Expr,
    LanguageError,
    Names,
    parse_condition,
    parse_effect,
    parse_number,
)
from game.engine.runtime.model import (
    BASES,
    TONES,
    Basis,
    Choice,
    Debrief,
    Ending,
    Fact,
    FlagDef,
    Outcome,
    Role,
    Scenario,
    Scene,
    StatDef,
    Tone,
)
from game.engine.runtime.text import Template
from game.engine.runtime.text_parser import compile_text

#: The newest format; every version in `FORMATS` loads.
FORMAT_VERSION = 2
FORMATS = (1, 2)

__all__ = ["CHOICE_KEYS", "DEBRIEF_KEYS", "ENDING_KEYS", "FACT_KEYS", "FORMATS", "FORMAT_VERSION", "OUTCOME_KEYS",
           "ROLE_KEYS", "SCENE_KEYS", "SOURCE_KEYS", "STAT_KEYS", "TOP_KEYS", "build", "normalise_space"]


def build(shown: str, file: Path, data: bytes, content_hash: str) -> tuple[Scenario | None, tuple[Problem, ...], dict[str, str]]:
    """Parse and build one file: the scenario (None on any error), its problems (causes before
    symptoms, then by place), and the hash of each file it reads (shared files and the source
    files it quotes: for the load cache). A shared file is checked on its own and gives no
    scenario: None with its problems."""
    parsed = parse(shown, data)
    if parsed.root is None:
        return None, parsed.problems, {}
    if is_shared(parsed.root):
        assert isinstance(parsed.root, MappingNode)
        shared = read_shared(shown, file, parsed.text or "", parsed.root, shared_project_root(file))
        return None, _finished(shown, shared.problems, shared.dropped), {}
    builder = _Builder(shown, file, parsed.text or "")
    scenario = builder.build(parsed.root, content_hash)
    problems = _finished(shown, builder.problems, builder.dropped)
    if scenario is None or any(p.is_error for p in problems):
        return None, problems, {}
    return scenario, problems, builder.source_hashes


def _finished(shown: str, problems: list[Problem], dropped: int) -> tuple[Problem, ...]:
    ordered = sorted(problems, key=sort_key)
    if dropped:
        ordered.append(Problem.of(D.TOO_MANY_PROBLEMS, shown, FILE_START, {"more": f"{dropped:,}"}))
    return tuple(ordered)


# Which keys each mapping takes; True marks the required ones.
TOP_KEYS = {"format": True, "id": True, "title": True, "summary": True, "language": False, "audience": False,
            "minutes": True, "content_warnings": False, "learning_objectives": False, "include": False,
            "sources": False, "stats": False, "flags": False, "roles": True, "facts": False, "glossary": False,
            "scenes": True, "endings": True, "check": False}
STAT_KEYS = {"label": True, "min": True, "max": True, "start": True, "hidden": False}
ROLE_KEYS = {"title": True, "blurb": True, "start": True, "stats": False}
SCENE_KEYS = {"title": True, "basis": True, "text": True, "reveals": False, "choices": False, "real": False,
              "invented": False}
CHOICE_KEYS = {"text": True, "id": False, "goto": False, "outcomes": False, "if": False, "locked": False, "do": False,
               "once": False, "fallback": False}
OUTCOME_KEYS = {"weight": True, "goto": True, "if": False, "do": False}
ENDING_KEYS = {"title": True, "tone": True, "text": True, "debrief": True, "reveals": False, "basis": False,
               "real": False, "invented": False}
DEBRIEF_KEYS = {"summary": True, "facts": False, "questions": True, "governments": False}


def _basis(value: str) -> Basis:
    match value:
        case "reported" | "composite" | "invented":
            return value
        case _:
            return "invented"


def _tone(value: str) -> Tone:
    match value:
        case "hopeful" | "mixed" | "bitter":
            return value
        case _:
            return "mixed"


def _uses_format_2(expr: Expr) -> bool:
    """True when a condition or amount uses arithmetic or `visits()`, which format 1 did not have."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (Sum, Product, Negate, Visits)):
            return True
        for name in ("operand", "left", "right"):
            inner = getattr(node, name, None)
            if inner is not None:
                stack.append(inner)
        stack.extend(getattr(node, "operands", ()))
    return False


class _Builder(SectionReader):
    """Builds the model from nodes, recording a problem for everything that is wrong."""

    def __init__(self, path: str, file: Path, text: str) -> None:
        super().__init__(path, text=text, file=file)
        self.version = FORMAT_VERSION  # the format the file says it is in
        self.texts: dict[str, Template] = {}  # each text with `{if ...}`, compiled
        self.includes: list[str] = []

    def format_2(self, node: Node, feature: str) -> None:
        """Report a format-2 feature used in a file that says it is format 1."""
        if self.version == 1:
            self.report(D.FORMAT_2_FEATURE, node, feature=feature, version=self.version)

    # ------------------------------------------------------------------ the document

    def build(self, root: Node, content_hash: str) -> Scenario | None:
        if not isinstance(root, MappingNode):
            kind = "a list" if isinstance(root, SequenceNode) else "a single value"
            self.report(D.TOP_NOT_A_MAPPING, root, kind=kind)
            return None
        top = self.fields(root, TOP_KEYS, "the scenario")
        assert top is not None
        fmt_node = top.get("format")
        if fmt_node is not None:
            fmt = self.integer(fmt_node, "format", FORMAT_VERSION)
            if fmt in FORMATS:
                self.version = fmt
            else:
                self.report(D.UNSUPPORTED_FORMAT, fmt_node, version=fmt, supported="formats 1 and 2")
        scenario_id = ""
        if "id" in top:
            scenario_id = self.text(top["id"], "id")
            if scenario_id:
                self.id_of(top["id"], "scenario", scenario_id)
        minutes = self.integer(top.get("minutes"), "minutes", 15)
        if "minutes" in top and minutes <= 0:
            self.report(D.NOT_POSITIVE, top["minutes"], what="minutes", number=minutes)

        shared = self.included(top.get("include"))
        sources = {**self.merged(shared, "sources", top), **self.sources(top.get("sources"))}
        stats = self.stats(top.get("stats"))
        flags = self.flags(top.get("flags"), stats)
        facts = {**self.merged(shared, "facts", top), **self.facts(top.get("facts"), sources)}
        glossary = {**self.merged(shared, "glossary", top), **self.glossary(top.get("glossary"))}
        scene_keys = list(self.entries(top.get("scenes"), "scenes"))
        ending_keys = list(self.entries(top.get("endings"), "endings"))
        places: dict[str, ScalarNode] = {}
        for key, _ in [*scene_keys, *ending_keys]:
            if key.value in places:
                self.report(D.DUPLICATE_PLACE, key, id=key.value, first_line=places[key.value].start_mark.line + 1)
            else:
                places[key.value] = key
        roles = self.roles(top.get("roles"), stats, places)
        names = Names(stats=stats, flags=flags, roles=roles, places=places, facts=facts)
        scenes: dict[str, Scene] = {}
        for key, value in scene_keys:
            scene = self.scene(key, value, names, places, facts)
            if scene is not None and key.value not in scenes:
                scenes[key.value] = scene
        endings: dict[str, Ending] = {}
        for key, value in ending_keys:
            ending = self.ending(key, value, names, facts)
            if ending is not None and key.value not in endings and key.value not in scenes:
                endings[key.value] = ending
        knowledge = check.read_check(self, top.get("check"), facts, endings)
        for section, built in (("scenes", scenes), ("endings", endings)):
            if section in top and not built and not self.has_errors:
                self.report(D.EMPTY_SECTION, top[section], section=section)

        if self.has_errors:
            return None
        scenario = Scenario(
            format=self.version,
            id=scenario_id,
            title=self.text(top.get("title"), "title"),
            summary=self.text(top.get("summary"), "summary"),
            language=self.text(top.get("language"), "language", "en"),
            audience=self.text(top.get("audience"), "audience", allow_empty=True),
            minutes=minutes,
            content_warnings=tuple(v for v, _ in self.text_list(top.get("content_warnings"), "content_warnings")),
            learning_objectives=tuple(v for v, _ in self.text_list(top.get("learning_objectives"), "learning_objectives")),
            sources=sources, stats=stats, flags=flags, roles=roles, facts=facts, glossary=glossary,
            scenes=scenes, endings=endings, path=str(self.file.resolve()), content_hash=content_hash,
            texts=self.texts, includes=tuple(self.includes), check=knowledge.items,
        )
        scenario = used(scenario, {(section, ident) for found, _ in shared for section in KINDS
                                   for ident in getattr(found, section)})
        for found in graph.check(scenario):
            self.report(found.diagnostic, places.get(found.place) or root, **found.args)
        check.check_reach(self, knowledge, scenario)
        if self.has_errors:
            return None
        return scenario

    # ------------------------------------------------------------------ shared files

    def included(self, node: Node | None) -> list[tuple[SharedFile, Node]]:
        """The shared files the scenario includes, each read and checked, with its `include` item."""
        items = self.text_list(node, "include")
        if node is not None and items:
            self.format_2(node, "`include`")
        if len(items) > limits.MAX_INCLUDES:
            self.report(D.TOO_MANY_INCLUDES, node, count=len(items), limit=limits.MAX_INCLUDES)
            items = items[:limits.MAX_INCLUDES]
        found: list[tuple[SharedFile, Node]] = []
        seen: set[str] = set()
        for written, item in items:
            opened = open_include(self, self.file, written, item)
            if opened is None:
                continue
            text, root = opened
            if str(text.path) in seen:
                self.report(D.INCLUDED_TWICE, item, written=written)
                continue
            seen.add(str(text.path))
            shared = read_shared(include_shown(self.path, written), text.path, text.text, root, project_root(self.file))
            self.absorb(shared.problems, shared.dropped)
            self.source_hashes[str(text.path)] = text.digest
            self.source_hashes.update(shared.hashes)
            self.source_texts.update(shared.source_texts)  # the scenario's own facts may quote its sources
            self.includes.append(str(text.path))
            found.append((shared, item))
        return found

    def merged(self, shared: list[tuple[SharedFile, Node]], section: str, top: dict[str, Node]
               ) -> dict[str, Any]:
        """One section's entries from every shared file, each id defined once across the files
        and the scenario itself (a second definition is reported where it is)."""
        merged: dict[str, Any] = {}
        first: dict[str, str] = {}
        for found, item in shared:
            entries: dict[str, Any] = getattr(found, section)
            for ident, entry in entries.items():
                where = f"{found.shown}, line {found.lines.get((section, ident), 0)}"
                if ident in first:
                    self.report(D.DEFINED_TWICE, item, kind=KINDS[section], id=ident, other=first[ident])
                    continue
                first[ident] = where
                merged[ident] = entry
        for key, _ in self.entries(top.get(section), section):
            if key.value in first:
                self.report(D.DEFINED_TWICE, key, kind=KINDS[section], id=key.value, other=first[key.value])
        return merged

    # ------------------------------------------------------------------ sections

    def stats(self, node: Node | None) -> dict[str, StatDef]:
        stats: dict[str, StatDef] = {}
        for key, value in self.entries(node, "stats"):
            name = self.variable_name(key, "stat")
            spec = self.fields(value, STAT_KEYS, f"stat '{name}'")
            if spec is None:
                continue
            before = len(self.problems)
            low = self.integer(spec.get("min"), f"the min of stat '{name}'")
            high = self.integer(spec.get("max"), f"the max of stat '{name}'", low)
            start = self.integer(spec.get("start"), f"the start of stat '{name}'", low)
            if len(self.problems) > before:
                pass  # a bound that is not a number: its range cannot be judged
            elif low >= high:
                self.report(D.STAT_RANGE_EMPTY, spec.get("max") or value, name=name, low=low, high=high)
            elif not low <= start <= high:
                self.report(D.START_OUTSIDE_RANGE, spec.get("start") or value, who=f"stat '{name}'", name=name,
                            start=start, low=low, high=high)
            stats[name] = StatDef(name, self.text(spec.get("label"), "label"), low, high, start,
                                  self.boolean(spec.get("hidden"), "hidden"))
        return stats

    def variable_name(self, key: ScalarNode, kind: str) -> str:
        name = str(key.value)
        hidden = first_hidden(name)
        if hidden is not None:
            self.report(D.HIDDEN_CHARACTER, key, kind=f"{kind} name", id=name, character=character_name(hidden))
        elif not is_name(name):
            self.report(D.BAD_NAME, key, kind=kind, name=name)
        elif name in RESERVED_NAMES:
            self.report(D.RESERVED_NAME, key, kind=kind, name=name)
        return name

    def flags(self, node: Node | None, stats: dict[str, StatDef]) -> dict[str, FlagDef]:
        flags: dict[str, FlagDef] = {}
        for key, value in self.entries(node, "flags"):
            name = self.variable_name(key, "flag")
            if name in stats:
                self.report(D.STAT_AND_FLAG, key, name=name)
            flags[name] = FlagDef(name, self.text(value, f"the label of flag '{name}'"))
        return flags

    def roles(self, node: Node | None, stats: dict[str, StatDef], places: dict[str, ScalarNode]) -> dict[str, Role]:
        roles: dict[str, Role] = {}
        for key, value in self.entries(node, "roles"):
            role_id = self.id_of(key, "role")
            spec = self.fields(value, ROLE_KEYS, f"role '{role_id}'")
            if spec is None:
                continue
            start = self.text(spec.get("start"), "start")
            if start and "start" in spec:
                self.check_reference(start, spec["start"], places, "scene")
            overrides: dict[str, int] = {}
            for stat_key, stat_value in self.entries(spec.get("stats"), "stats"):
                if self.check_reference(stat_key.value, stat_key, stats, "stat", "declare it under the top-level `stats:`"):
                    before = len(self.problems)
                    number = self.integer(stat_value, f"the starting {stat_key.value}")
                    definition = stats[stat_key.value]
                    if len(self.problems) == before and not definition.min <= number <= definition.max:
                        self.report(D.START_OUTSIDE_RANGE, stat_value, who=f"role '{role_id}'", name=stat_key.value,
                                    start=number, low=definition.min, high=definition.max)
                    overrides[stat_key.value] = number
            roles[role_id] = Role(role_id, self.text(spec.get("title"), "title"),
                                  self.text(spec.get("blurb"), "blurb"), start, overrides)
        if node is not None and not roles and not self.has_errors:
            self.report(D.EMPTY_SECTION, node, section="roles")
        return roles

    def placeholder_check(self, node: Node | None, value: str, names: Names, what: str) -> None:
        """Check a text's placeholders and `{if ...}`; keep its template when it has variants."""
        if node is None or not isinstance(node, ScalarNode):
            return
        template, errors = compile_text(value, names)
        for error in errors:
            self.report_language(node, error, what)
        if template is not None:
            self.texts[value] = template
            self.format_2(node, "text that depends on the state (`{if ...}`)")

    def reveals(self, node: Node | None, facts: dict[str, Fact], key: str = "reveals") -> tuple[str, ...]:
        found = []
        for fact_id, item in self.text_list(node, key):
            if self.check_reference(fact_id, item, facts, "fact", "declare it under `facts:`"):
                found.append(fact_id)
        return tuple(found)

    def lines(self, node: Node | None, key: str) -> tuple[str, ...]:
        """A list of short texts, such as `real:` and `invented:`."""
        return tuple(value for value, _ in self.text_list(node, key))

    def scene(self, key: ScalarNode, node: Node, names: Names, places: dict[str, ScalarNode],
              facts: dict[str, Fact]) -> Scene | None:
        scene_id = self.id_of(key, "scene")
        spec = self.fields(node, SCENE_KEYS, f"scene '{scene_id}'")
        if spec is None:
            return None
        text = self.text(spec.get("text"), "text")
        self.placeholder_check(spec.get("text"), text, names, "the text")
        basis = self.choice_of(spec.get("basis"), BASES, "basis")
        choices: list[Choice] = []
        choices_node = spec.get("choices")
        if isinstance(choices_node, SequenceNode):
            if len(choices_node.value) > limits.MAX_CHOICES_PER_SCENE:
                self.report(D.TOO_MANY_CHOICES, choices_node, scene=scene_id, count=len(choices_node.value),
                            limit=limits.MAX_CHOICES_PER_SCENE)
            seen: set[str] = set()
            for item in choices_node.value[:limits.MAX_CHOICES_PER_SCENE]:
                choice = self.choice(item, names, places)
                if choice is None:
                    continue
                if choice.id in seen:
                    self.report(D.DUPLICATE_CHOICE, item, scene=scene_id, id=choice.id)
                    continue
                seen.add(choice.id)
                choices.append(choice)
            if not choices_node.value:
                self.report(D.DEAD_END, choices_node, scene=scene_id)
        elif choices_node is None or (isinstance(choices_node, ScalarNode) and choices_node.tag == NULL_TAG):
            self.report(D.DEAD_END, key, scene=scene_id)
        else:
            self.report(D.NOT_A_LIST, choices_node, what="choices", found=describe(choices_node),
                        example="start each choice with `- text: ...` on its own line")
        return Scene(scene_id, self.text(spec.get("title"), "title"), _basis(basis), text, tuple(choices),
                     self.reveals(spec.get("reveals"), facts), key.start_mark.line + 1,
                     self.lines(spec.get("real"), "real"), self.lines(spec.get("invented"), "invented"))

    def choice_of(self, node: Node | None, allowed: tuple[str, ...], what: str) -> str:
        value = self.text(node, what)
        if node is not None and value and value not in allowed:
            self.report(D.NOT_IN_LIST, node, what=what, value=value, allowed=", ".join(allowed),
                        suggestion=self.suggestion(value, allowed, f"one of: {', '.join(allowed)}"))
        return value if value in allowed else allowed[0]

    def effects(self, node: Node | None, names: Names) -> tuple[Effect, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.report(D.NOT_A_LIST, node, what="do", found=describe(node),
                        example="write do: [story += 1, has_footage = true]")
            return ()
        effects = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or item.tag != STR_TAG:
                self.report(D.EFFECT_SYNTAX, item, where="do", effect=describe(item))
                continue
            parsed = parse_effect(str(item.value), names)
            if isinstance(parsed, LanguageError):
                self.report_language(item, parsed, "do")
            else:
                if parsed.amount is not None:
                    self.format_2(item, "arithmetic over stats in `do`")
                effects.append(parsed)
        return tuple(effects)

    def goto(self, node: Node | None, places: dict[str, ScalarNode]) -> str:
        target = self.text(node, "goto")
        if target and node is not None:
            self.check_reference(target, node, places, "scene or ending")
        return target

    def outcomes(self, node: Node, names: Names, places: dict[str, ScalarNode]) -> list[Outcome]:
        if not isinstance(node, SequenceNode):
            self.report(D.NOT_A_LIST, node, what="outcomes", found=describe(node),
                        example="write each outcome as - {weight: 3, goto: scene-id}")
            return []
        if not node.value:
            self.report(D.EMPTY_LIST, node, what="outcomes", item="outcome",
                        example="write each outcome as - {weight: 3, goto: scene-id}")
        if len(node.value) > limits.MAX_OUTCOMES_PER_CHOICE:
            self.report(D.TOO_MANY_OUTCOMES, node, count=len(node.value), limit=limits.MAX_OUTCOMES_PER_CHOICE)
        outcomes = []
        for item in node.value[:limits.MAX_OUTCOMES_PER_CHOICE]:
            spec = self.fields(item, OUTCOME_KEYS, "an outcome")
            if spec is None:
                continue
            weight, weight_expr, weight_text = self.weight(spec.get("weight"), names)
            condition: Expr | None = None
            condition_text = ""
            if "if" in spec:
                self.format_2(spec["if"], "an outcome's `if`")
                condition, condition_text = self.condition(spec["if"], names)
            outcomes.append(Outcome(weight, self.goto(spec.get("goto"), places), self.effects(spec.get("do"), names),
                                    weight_expr, weight_text, condition, condition_text))
        return outcomes

    def weight(self, node: Node | None, names: Names) -> tuple[int, Expr | None, str]:
        """An outcome's weight: a whole number of 1 or more, or arithmetic over stats (format 2)
        that is read when the choice is taken: (the number, or 0; the arithmetic, or None; as written)."""
        if isinstance(node, ScalarNode) and node.tag == STR_TAG:
            self.format_2(node, "a weight that depends on the state")
            written = str(node.value)
            parsed = parse_number(written, names)
            if isinstance(parsed, LanguageError):
                self.report_language(node, parsed, "weight")
                return 1, None, written
            if not isinstance(parsed, Const):
                return 0, parsed, " ".join(written.split())
            node_value = int(parsed.value)
            if node_value <= 0:
                self.report(D.WEIGHT_BELOW_ONE, node, weight=node_value)
            return node_value, None, ""
        weight = self.integer(node, "weight", 1)
        if node is not None and weight <= 0 and node.tag == INT_TAG:
            self.report(D.WEIGHT_BELOW_ONE, node, weight=weight)
        return weight, None, ""

    def condition(self, node: Node, names: Names) -> tuple[Expr | None, str]:
        """An `if`: its parsed form (None when it has an error) and its text as written."""
        if not isinstance(node, ScalarNode) or node.tag not in (STR_TAG, BOOL_TAG):
            self.report(D.CONDITION_SYNTAX, node, where="if", problem="`if` must be a condition written as text",
                        advice="e.g. if: safety >= 2")
            return None, ""
        written = str(node.value)
        parsed = parse_condition(written, names)
        if isinstance(parsed, LanguageError):
            self.report_language(node, parsed, "if")
            return None, written
        if _uses_format_2(parsed):
            self.format_2(node, "arithmetic or `visits()` in a condition")
        return parsed, written

    def choice(self, node: Node, names: Names, places: dict[str, ScalarNode]) -> Choice | None:
        spec = self.fields(node, CHOICE_KEYS, "a choice")
        if spec is None:
            return None
        text = self.text(spec.get("text"), "the choice text")
        self.placeholder_check(spec.get("text"), text, names, "the choice text")
        goto = self.goto(spec.get("goto"), places) if "goto" in spec else ""
        outcomes: list[Outcome] = []
        if "outcomes" in spec:
            if "goto" in spec:
                self.report(D.GOTO_OR_OUTCOMES, spec["outcomes"], found="both")
            outcomes = self.outcomes(spec["outcomes"], names, places)
        elif "goto" not in spec:
            self.report(D.GOTO_OR_OUTCOMES, node, found="neither")
        choice_id = goto
        if "id" in spec:
            choice_id = self.text(spec["id"], "id")
            if choice_id:
                self.id_of(spec["id"], "choice", choice_id)
        elif "outcomes" in spec:
            self.report(D.OUTCOMES_NEED_ID, node)
        condition: Expr | None = None
        condition_text = ""
        if "if" in spec:
            condition, condition_text = self.condition(spec["if"], names)
        locked = self.text(spec.get("locked"), "locked")
        once, fallback = self.boolean(spec.get("once"), "once"), self.boolean(spec.get("fallback"), "fallback")
        for key in ("once", "fallback"):
            if key in spec:
                self.format_2(spec[key], f"`{key}`")
        if "locked" in spec and "if" not in spec:
            self.report(D.LOCKED_WITHOUT_IF, spec["locked"])
        elif "locked" in spec and fallback:
            self.report(D.LOCKED_FALLBACK, spec["locked"])
        self.placeholder_check(spec.get("locked"), locked, names, "locked")
        return Choice(choice_id, text, goto, tuple(outcomes), condition, condition_text, locked,
                      self.effects(spec.get("do"), names), node.start_mark.line + 1, once, fallback)

    def ending(self, key: ScalarNode, node: Node, names: Names, facts: dict[str, Fact]) -> Ending | None:
        ending_id = self.id_of(key, "ending")
        spec = self.fields(node, ENDING_KEYS, f"ending '{ending_id}'")
        if spec is None:
            return None
        text = self.text(spec.get("text"), "text")
        self.placeholder_check(spec.get("text"), text, names, "the text")
        tone = self.choice_of(spec.get("tone"), TONES, "tone")
        basis = _basis(self.choice_of(spec["basis"], BASES, "basis")) if "basis" in spec else None
        debrief = Debrief("", (), ())
        if "debrief" in spec:
            debrief_spec = self.fields(spec["debrief"], DEBRIEF_KEYS, f"the debrief of '{ending_id}'")
            if debrief_spec is not None:
                fact_ids = self.reveals(debrief_spec.get("facts"), facts, "facts")
                questions = tuple(v for v, _ in self.text_list(debrief_spec.get("questions"), "questions"))
                asked = debrief_spec.get("questions")
                if not questions and (isinstance(asked, SequenceNode) or (isinstance(asked, ScalarNode) and asked.tag == NULL_TAG)):
                    self.report(D.EMPTY_LIST, asked, what="a debrief", item="discussion question",
                                example="write questions: [What would you have done?]")
                debrief = Debrief(self.text(debrief_spec.get("summary"), "summary"), fact_ids, questions,
                                  self.reveals(debrief_spec.get("governments"), facts, "governments"))
        return Ending(ending_id, self.text(spec.get("title"), "title"), _tone(tone), text, debrief,
                      self.reveals(spec.get("reveals"), facts), basis, key.start_mark.line + 1,
                      self.lines(spec.get("real"), "real"), self.lines(spec.get("invented"), "invented"))
