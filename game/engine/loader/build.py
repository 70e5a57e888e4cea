"""Building the scenario model from located YAML nodes, checking everything on the way.

The `_Builder` walks the composed nodes once: every key, type, id and reference is checked,
each `if` and `do` is parsed, each quote is found in its source file, and the whole-graph checks
run last. Every problem is a diagnostic from the registry (`game/engine/diagnostics.py`) at its
node's place; the model is returned only when there is no error. `load.py` calls `build` on a
cache miss only, so reading a cached scenario never imports PyYAML.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine import limits
from game.engine.diagnostics import D, character_name
from game.engine.loader import graph
from game.engine.loader.ids import RESERVED_NAMES, first_hidden, is_name
from game.engine.loader.problems import FILE_START, Problem, sort_key
from game.engine.loader.quotes import normalise_space, quote_advice
from game.engine.loader.reader import NodeReader, describe
from game.engine.loader.sourcefiles import Refused, read_source
from game.engine.loader.yamlsource import BOOL_TAG, NULL_TAG, STR_TAG, parse
from game.engine.runtime.language import Effect, Expr, LanguageError, Names, parse_condition, parse_effect
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
    Source,
    StatDef,
    Tone,
)
from game.engine.runtime.text import check_placeholders

FORMAT_VERSION = 1


def build(shown: str, file: Path, data: bytes, content_hash: str) -> tuple[Scenario | None, tuple[Problem, ...], dict[str, str]]:
    """Parse and build one file: the scenario (None on any error), its problems (causes before
    symptoms, then by place), and the hash of each source file it quotes (for the load cache)."""
    parsed = parse(shown, data)
    if parsed.root is None:
        return None, parsed.problems, {}
    builder = _Builder(shown, file, parsed.text or "")
    scenario = builder.build(parsed.root, content_hash)
    problems = sorted(builder.problems, key=sort_key)
    if builder.dropped:
        problems.append(Problem.of(D.TOO_MANY_PROBLEMS, shown, FILE_START, {"more": f"{builder.dropped:,}"}))
    if scenario is None or any(p.is_error for p in problems):
        return None, tuple(problems), {}
    return scenario, tuple(problems), builder.source_hashes


# Which keys each mapping takes; True marks the required ones.
TOP_KEYS = {"format": True, "id": True, "title": True, "summary": True, "language": False, "audience": False,
            "minutes": True, "content_warnings": False, "learning_objectives": False, "sources": False,
            "stats": False, "flags": False, "roles": True, "facts": False, "glossary": False,
            "scenes": True, "endings": True}
SOURCE_KEYS = {"title": True, "publisher": True, "published": False, "url": False, "file": False}
STAT_KEYS = {"label": True, "min": True, "max": True, "start": True, "hidden": False}
ROLE_KEYS = {"title": True, "blurb": True, "start": True, "stats": False}
FACT_KEYS = {"text": True, "source": True, "quote": False, "note": False}
SCENE_KEYS = {"title": True, "basis": True, "text": True, "reveals": False, "choices": False, "real": False,
              "invented": False}
CHOICE_KEYS = {"text": True, "id": False, "goto": False, "outcomes": False, "if": False, "locked": False, "do": False}
OUTCOME_KEYS = {"weight": True, "goto": True, "do": False}
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


class _Builder(NodeReader):
    """Builds the model from nodes, recording a problem for everything that is wrong."""

    def __init__(self, path: str, file: Path, text: str) -> None:
        super().__init__(path, text)
        self.file = file
        self.source_hashes: dict[str, str] = {}
        self._source_texts: dict[str, str] = {}  # each source file's text, white space normalised

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
            if fmt != FORMAT_VERSION:
                self.report(D.UNSUPPORTED_FORMAT, fmt_node, version=fmt, supported=FORMAT_VERSION)
        scenario_id = ""
        if "id" in top:
            scenario_id = self.text(top["id"], "id")
            if scenario_id:
                self.id_of(top["id"], "scenario", scenario_id)
        minutes = self.integer(top.get("minutes"), "minutes", 15)
        if "minutes" in top and minutes <= 0:
            self.report(D.NOT_POSITIVE, top["minutes"], what="minutes", number=minutes)

        sources = self.sources(top.get("sources"))
        stats = self.stats(top.get("stats"))
        flags = self.flags(top.get("flags"), stats)
        facts = self.facts(top.get("facts"), sources)
        glossary = self.glossary(top.get("glossary"))
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
        for section, built in (("scenes", scenes), ("endings", endings)):
            if section in top and not built and not self.has_errors:
                self.report(D.EMPTY_SECTION, top[section], section=section)

        if self.has_errors:
            return None
        scenario = Scenario(
            format=FORMAT_VERSION,
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
        )
        for found in graph.check(scenario):
            self.report(found.diagnostic, places.get(found.place) or root, **found.args)
        if self.has_errors:
            return None
        return scenario

    # ------------------------------------------------------------------ sections

    def sources(self, node: Node | None) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for key, value in self.entries(node, "sources"):
            source_id = self.id_of(key, "source")
            spec = self.fields(value, SOURCE_KEYS, f"source '{source_id}'")
            if spec is None:
                continue
            file_path = ""
            if "file" in spec:
                file_path = self.source_file(spec["file"])
            url = self.text(spec.get("url"), "url")
            if not any(name in spec for name in ("file", "url", "published")):
                self.report(D.SOURCE_NOT_FINDABLE, key, source=source_id)
            published = spec.get("published")
            sources[source_id] = Source(
                id=source_id,
                title=self.text(spec.get("title"), "title"),
                publisher=self.text(spec.get("publisher"), "publisher"),
                published=self.text(published, "published") if published is not None else "",
                url=url,
                file=file_path,
            )
        return sources

    def source_file(self, node: Node) -> str:
        """The resolved path of a source's local copy, which must lie inside the project."""
        written = self.text(node, "file")
        if not written:
            return ""
        found = read_source(self.file, written)
        if isinstance(found, Refused):
            self.report(found.diagnostic, node, **found.args)
            return ""
        self._source_texts[str(found.path)] = normalise_space(found.text)
        self.source_hashes[str(found.path)] = found.digest
        return str(found.path)

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

    def facts(self, node: Node | None, sources: dict[str, Source]) -> dict[str, Fact]:
        facts: dict[str, Fact] = {}
        for key, value in self.entries(node, "facts"):
            fact_id = self.id_of(key, "fact")
            spec = self.fields(value, FACT_KEYS, f"fact '{fact_id}'")
            if spec is None:
                continue
            source_id = self.text(spec.get("source"), "source")
            quote = self.text(spec.get("quote"), "quote")
            if source_id and "source" in spec and self.check_reference(source_id, spec["source"], sources, "source",
                                                                       "declare it under `sources:`"):
                source = sources[source_id]
                if quote and source.file:
                    self.check_quote(quote, spec["quote"], source)
            facts[fact_id] = Fact(fact_id, self.text(spec.get("text"), "text"), source_id, quote,
                                  self.text(spec.get("note"), "note"))
        return facts

    def check_quote(self, quote: str, node: Node, source: Source) -> None:
        advice = quote_advice(normalise_space(quote), self._source_texts.get(source.file, ""))
        if advice is not None:
            self.report(D.QUOTE_NOT_FOUND, node, source=source.id, advice=advice)

    def glossary(self, node: Node | None) -> dict[str, str]:
        glossary: dict[str, str] = {}
        for key, value in self.entries(node, "glossary"):
            glossary[str(key.value)] = self.text(value, f"the glossary entry '{key.value}'")
        return glossary

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
        if node is None or not isinstance(node, ScalarNode):
            return
        for error in check_placeholders(value, names.stats, names.flags):
            self.report_language(node, error, what)

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
            weight = self.integer(spec.get("weight"), "weight", 1)
            if "weight" in spec and weight <= 0:
                self.report(D.WEIGHT_BELOW_ONE, spec["weight"], weight=weight)
            outcomes.append(Outcome(weight, self.goto(spec.get("goto"), places), self.effects(spec.get("do"), names)))
        return outcomes

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
        if "locked" in spec and "if" not in spec:
            self.report(D.LOCKED_WITHOUT_IF, spec["locked"])
        self.placeholder_check(spec.get("locked"), locked, names, "locked")
        return Choice(choice_id, text, goto, tuple(outcomes), condition, condition_text, locked,
                      self.effects(spec.get("do"), names), node.start_mark.line + 1)

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
