"""Building the scenario model from located YAML nodes, checking everything on the way.

The `_Builder` walks the composed nodes once: every key, type, id and reference is checked,
each `if` and `do` is parsed, each quote is found in its source file, and the whole-graph checks
run last. Every problem becomes a `Problem` at its node's line and column; the model is returned
only when there is no error. `load.py` calls `build` on a cache miss only, so reading a cached
scenario never imports PyYAML.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from difflib import get_close_matches
from pathlib import Path
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine.loader import graph
from game.engine.runtime.language import Effect, Expr, LanguageError, Names, parse_condition, parse_effect
from game.engine.runtime.model import (
    ID_PATTERN,
    BASES,
    TONES,
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
)
from game.engine.loader.problems import Problem, Severity, sort_key
from game.engine.runtime.text import check_placeholders
from game.engine.loader.yamlsource import BOOL_TAG, INT_TAG, NULL_TAG, STR_TAG, parse, problem_at

FORMAT_VERSION = 1
SLUG = ID_PATTERN
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED_NAMES = {"and", "or", "not", "true", "false", "role", "visited", "known"}

T = TypeVar("T")


def build(shown: str, file: Path, data: bytes, content_hash: str) -> tuple[Scenario | None, tuple[Problem, ...], dict[str, str]]:
    """Parse and build one file: the scenario (None on any error), its problems sorted by place,
    and the hash of each source file it quotes (for the load cache)."""
    parsed = parse(shown, data)
    if parsed.root is None:
        return None, parsed.problems, {}
    builder = _Builder(shown, file, parsed.text or "")
    scenario = builder.build(parsed.root, content_hash)
    problems = tuple(sorted(builder.problems, key=sort_key))
    if any(p.is_error for p in problems):
        return None, problems, {}
    return scenario, problems, builder.source_hashes


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


def normalise_space(text: str) -> str:
    """Collapse runs of white space, so quotes may wrap differently from their source."""
    return " ".join(text.split())


_STRAIGHT_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def _straighten(text: str) -> str:
    return text.translate(_STRAIGHT_QUOTES)


class _Builder:
    """Builds the model from nodes, recording a problem for everything that is wrong."""

    def __init__(self, path: str, file: Path, text: str) -> None:
        self.path = path
        self.file = file
        self.problems: list[Problem] = []
        self.source_hashes: dict[str, str] = {}
        self._source_texts: dict[str, str] = {}

    # ------------------------------------------------------------------ reporting and reading

    def error(self, node: Node | None, code: str, message: str, hint: str = "") -> None:
        self.problems.append(problem_at(self.path, node, code, message, hint))

    def warn(self, node: Node | None, code: str, message: str, hint: str = "") -> None:
        self.problems.append(problem_at(self.path, node, code, message, hint, Severity.WARNING))

    def fields(self, node: Node, spec: dict[str, bool], what: str) -> dict[str, Node] | None:
        """The values of a mapping, after reporting unknown and missing keys."""
        if not isinstance(node, MappingNode):
            self.error(node, "LA013", f"{what} must be a mapping of keys to values",
                       "write `key: value` lines indented under it")
            return None
        values: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name is None:
                self.error(key, "LA013", f"keys in {what} must be plain words")
            elif name not in spec:
                close = get_close_matches(name, list(spec), n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"the keys of {what} are: {', '.join(spec)}"
                self.error(key, "LA011", f"unknown key '{name}' in {what}", hint)
            else:
                values[name] = value
        for name, required in spec.items():
            if required and name not in values:
                self.error(node, "LA012", f"{what} is missing the key '{name}'")
        return values

    def entries(self, node: Node | None, what: str) -> Iterator[tuple[ScalarNode, Node]]:
        """The (id node, value node) pairs of an id-keyed mapping such as `scenes:`."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            return
        if not isinstance(node, MappingNode):
            self.error(node, "LA013", f"`{what}` must be a mapping of ids to entries")
            return
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.error(key, "LA013", f"ids in `{what}` must be plain words")
                continue
            yield key, value

    def slug(self, key: ScalarNode, what: str) -> str:
        if not SLUG.match(key.value):
            self.error(key, "LA014", f"{what} id '{key.value}' is not a slug",
                       "use lower-case letters, digits, and single - or _ between them, e.g. klia-detention")
        return str(key.value)

    def text(self, node: Node | None, what: str, default: str = "", allow_empty: bool = False) -> str:
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
            self.error(node, "LA013", f"{what} must be text")
            return default
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.error(node, "LA013", f"{what} must not be empty")
        return value

    def integer(self, node: Node | None, what: str, default: int = 0) -> int:
        if node is None:
            return default
        if isinstance(node, ScalarNode) and node.tag == INT_TAG:
            try:
                return int(node.value.replace("_", ""), 10)
            except ValueError:
                pass
        self.error(node, "LA013", f"{what} must be a whole number", f"found {_describe(node)}")
        return default

    def boolean(self, node: Node | None, what: str) -> bool:
        if node is None:
            return False
        if isinstance(node, ScalarNode) and node.tag == BOOL_TAG:
            return node.value.lower() in ("true", "yes", "on")
        self.error(node, "LA013", f"{what} must be true or false", f"found {_describe(node)}")
        return False

    def text_list(self, node: Node | None, what: str) -> list[tuple[str, ScalarNode]]:
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            return []
        if not isinstance(node, SequenceNode):
            self.error(node, "LA013", f"{what} must be a list", f"write {what}: [first, second]")
            return []
        items = []
        for item in node.value:
            if isinstance(item, ScalarNode) and item.tag != NULL_TAG and item.value.strip():
                items.append((item.value.strip(), item))
            else:
                self.error(item, "LA013", f"each item of {what} must be text")
        return items

    def check_id_ref(self, value: str, node: Node, known: dict[str, T], kind: str, hint_extra: str = "") -> bool:
        if value in known:
            return True
        close = get_close_matches(value, list(known), n=1)
        hint = f"did you mean '{close[0]}'?" if close else hint_extra
        self.error(node, "LA020", f"there is no {kind} '{value}'", hint)
        return False

    def expression_error(self, node: ScalarNode, error: LanguageError, what: str) -> None:
        """Report a language error at the character inside the expression where it is."""
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        quoted = node.style in ('"', "'")
        if node.start_mark.line == node.end_mark.line and (quoted or not node.style):
            # On one line, a plain or quoted scalar's text starts at the node (after the quote).
            column += error.offset + (1 if quoted else 0)
        self.problems.append(Problem(error.code, Severity.ERROR, self.path, line, column,
                                     f"in {what}: {error.message}", error.hint))

    # ------------------------------------------------------------------ the document

    def build(self, root: Node, content_hash: str) -> Scenario | None:
        if not isinstance(root, MappingNode):
            kind = "a list" if isinstance(root, SequenceNode) else "a single value"
            self.error(root, "LA005", f"a scenario must be a mapping of keys, but this file is {kind}",
                       "start with `format: 1` and `id: ...` at the left margin")
            return None
        top = self.fields(root, TOP_KEYS, "the scenario")
        assert top is not None
        fmt_node = top.get("format")
        if fmt_node is not None:
            fmt = self.integer(fmt_node, "format", FORMAT_VERSION)
            if fmt != FORMAT_VERSION:
                self.error(fmt_node, "LA015", f"format {fmt} is not supported; this version of Long Arm reads format {FORMAT_VERSION}",
                           "write `format: 1`, or update Long Arm")
        scenario_id = ""
        if "id" in top:
            scenario_id = self.text(top["id"], "id")
            if scenario_id and not SLUG.match(scenario_id):
                self.error(top["id"], "LA014", f"scenario id '{scenario_id}' is not a slug",
                           "use lower-case letters, digits and hyphens, e.g. arrival-hall")
        minutes = self.integer(top.get("minutes"), "minutes", 15)
        if "minutes" in top and minutes <= 0:
            self.error(top["minutes"], "LA013", "minutes must be a positive number")

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
                first = places[key.value].start_mark.line + 1
                self.error(key, "LA021", f"the id '{key.value}' is used twice (first on line {first})",
                           "scenes and endings share one set of ids: rename one")
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
        for what in ("scenes", "endings"):
            if what in top and not (scenes if what == "scenes" else endings) and not any(p.is_error for p in self.problems):
                self.error(top[what], "LA012", f"the scenario has no {what}")

        if any(p.is_error for p in self.problems):
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
        for problem in graph.check(scenario):
            node = places.get(problem.place) if problem.place else None
            if node is None and problem.place in roles:
                node = None
            self.problems.append(problem_at(self.path, node or root, problem.code, problem.message, problem.hint,
                                            problem.severity))
        if any(p.is_error for p in self.problems):
            return None
        return scenario

    # ------------------------------------------------------------------ sections

    def sources(self, node: Node | None) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for key, value in self.entries(node, "sources"):
            source_id = self.slug(key, "source")
            spec = self.fields(value, SOURCE_KEYS, f"source '{source_id}'")
            if spec is None:
                continue
            file_path = ""
            if "file" in spec:
                file_path = self.source_file(spec["file"])
            url = self.text(spec.get("url"), "url")
            if not any(name in spec for name in ("file", "url", "published")):
                self.error(key, "LA053", f"source '{source_id}' cannot be found by a reader: it has no `url`, `file` or `published` date",
                           "give the address it was published at, a local copy, or at least its date")
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
        root = self.file.resolve().parent.parent
        target = (self.file.resolve().parent / written).resolve()
        if not target.is_relative_to(root):
            self.error(node, "LA050", f"the source file '{written}' is outside the project folder ({root})",
                       "keep source copies in the project, e.g. ../seeds/name.txt")
            return ""
        if not target.is_file():
            self.error(node, "LA051", f"the source file '{written}' does not exist",
                       f"looked for {target}; paths are relative to the scenario file")
            return ""
        try:
            raw = target.read_bytes()
            self._source_texts[str(target)] = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.error(node, "LA051", f"cannot read the source file '{written}': {error}")
            return ""
        self.source_hashes[str(target)] = hashlib.sha256(raw).hexdigest()
        return str(target)

    def stats(self, node: Node | None) -> dict[str, StatDef]:
        stats: dict[str, StatDef] = {}
        for key, value in self.entries(node, "stats"):
            name = self.variable_name(key, "stat")
            spec = self.fields(value, STAT_KEYS, f"stat '{name}'")
            if spec is None:
                continue
            low = self.integer(spec.get("min"), "min")
            high = self.integer(spec.get("max"), "max", low)
            start = self.integer(spec.get("start"), "start", low)
            if low >= high:
                self.error(spec.get("max") or value, "LA063", f"stat '{name}' needs min below max (min {low}, max {high})")
            elif not low <= start <= high:
                self.error(spec.get("start") or value, "LA063", f"stat '{name}' starts at {start}, outside {low}..{high}")
            stats[name] = StatDef(name, self.text(spec.get("label"), "label"), low, high, start,
                                  self.boolean(spec.get("hidden"), "hidden"))
        return stats

    def variable_name(self, key: ScalarNode, kind: str) -> str:
        name = str(key.value)
        if not NAME.match(name):
            self.error(key, "LA014", f"{kind} name '{name}' must start with a letter and use only a-z, 0-9 and _",
                       "conditions read it by name, e.g. `safety >= 2`, so it cannot contain - or spaces")
        elif name in RESERVED_NAMES:
            self.error(key, "LA014", f"'{name}' is a word of the condition language and cannot be a {kind} name")
        return name

    def flags(self, node: Node | None, stats: dict[str, StatDef]) -> dict[str, FlagDef]:
        flags: dict[str, FlagDef] = {}
        for key, value in self.entries(node, "flags"):
            name = self.variable_name(key, "flag")
            if name in stats:
                self.error(key, "LA021", f"'{name}' is both a stat and a flag", "rename one of them")
            flags[name] = FlagDef(name, self.text(value, f"the label of flag '{name}'"))
        return flags

    def facts(self, node: Node | None, sources: dict[str, Source]) -> dict[str, Fact]:
        facts: dict[str, Fact] = {}
        for key, value in self.entries(node, "facts"):
            fact_id = self.slug(key, "fact")
            spec = self.fields(value, FACT_KEYS, f"fact '{fact_id}'")
            if spec is None:
                continue
            source_id = self.text(spec.get("source"), "source")
            quote = self.text(spec.get("quote"), "quote")
            if source_id and "source" in spec and self.check_id_ref(source_id, spec["source"], sources, "source",
                                                                    "declare it under `sources:`"):
                source = sources[source_id]
                if quote and source.file:
                    self.check_quote(quote, spec["quote"], source)
            facts[fact_id] = Fact(fact_id, self.text(spec.get("text"), "text"), source_id, quote,
                                  self.text(spec.get("note"), "note"))
        return facts

    def check_quote(self, quote: str, node: Node, source: Source) -> None:
        body = self._source_texts.get(source.file, "")
        wanted = normalise_space(quote)
        haystack = normalise_space(body)
        if wanted in haystack:
            return
        if _straighten(wanted) in _straighten(haystack):
            hint = "the source uses curly quotes and apostrophes (\u2019 \u201c \u201d): copy them exactly"
        else:
            words = wanted.split()
            longest = ""
            for start in range(len(words)):
                for end in range(len(words), start, -1):
                    part = " ".join(words[start:end])
                    if len(part) > len(longest) and part in haystack:
                        longest = part
                        break
            hint = (f"the longest part found in the source is \"{longest}\"" if len(longest.split()) >= 3
                    else "copy the words exactly as the source has them")
        self.error(node, "LA052", f"the quote is not found verbatim in source '{source.id}'", hint)

    def glossary(self, node: Node | None) -> dict[str, str]:
        glossary: dict[str, str] = {}
        for key, value in self.entries(node, "glossary"):
            glossary[key.value] = self.text(value, f"the glossary entry '{key.value}'")
        return glossary

    def roles(self, node: Node | None, stats: dict[str, StatDef], places: dict[str, ScalarNode]) -> dict[str, Role]:
        roles: dict[str, Role] = {}
        for key, value in self.entries(node, "roles"):
            role_id = self.slug(key, "role")
            spec = self.fields(value, ROLE_KEYS, f"role '{role_id}'")
            if spec is None:
                continue
            start = self.text(spec.get("start"), "start")
            if start and "start" in spec:
                self.check_id_ref(start, spec["start"], places, "scene")
            overrides: dict[str, int] = {}
            for stat_key, stat_value in self.entries(spec.get("stats"), "stats"):
                if self.check_id_ref(stat_key.value, stat_key, stats, "stat", "declare it under the top-level `stats:`"):
                    number = self.integer(stat_value, f"the starting {stat_key.value}")
                    definition = stats[stat_key.value]
                    if not definition.min <= number <= definition.max:
                        self.error(stat_value, "LA063", f"{stat_key.value} starts at {number}, outside {definition.min}..{definition.max}")
                    overrides[stat_key.value] = number
            roles[role_id] = Role(role_id, self.text(spec.get("title"), "title"),
                                  self.text(spec.get("blurb"), "blurb"), start, overrides)
        if node is not None and not roles and not any(p.is_error for p in self.problems):
            self.error(node, "LA012", "the scenario has no roles")
        return roles

    def placeholder_check(self, node: Node | None, value: str, names: Names, what: str) -> None:
        if node is None or not isinstance(node, ScalarNode):
            return
        for error in check_placeholders(value, names.stats, names.flags):
            self.expression_error(node, error, what)

    def reveals(self, node: Node | None, facts: dict[str, Fact], key: str = "reveals") -> tuple[str, ...]:
        found = []
        for fact_id, item in self.text_list(node, key):
            if self.check_id_ref(fact_id, item, facts, "fact", "declare it under `facts:`"):
                found.append(fact_id)
        return tuple(found)

    def lines(self, node: Node | None, key: str) -> tuple[str, ...]:
        """A list of short texts, such as `real:` and `invented:`."""
        return tuple(value for value, _ in self.text_list(node, key))

    def scene(self, key: ScalarNode, node: Node, names: Names, places: dict[str, ScalarNode],
              facts: dict[str, Fact]) -> Scene | None:
        scene_id = self.slug(key, "scene")
        spec = self.fields(node, SCENE_KEYS, f"scene '{scene_id}'")
        if spec is None:
            return None
        text = self.text(spec.get("text"), "text")
        self.placeholder_check(spec.get("text"), text, names, "the text")
        basis = self.choice_of(spec.get("basis"), BASES, "basis")
        choices: list[Choice] = []
        choices_node = spec.get("choices")
        if isinstance(choices_node, SequenceNode):
            seen: dict[str, Node] = {}
            for item in choices_node.value:
                choice = self.choice(item, names, places)
                if choice is None:
                    continue
                if choice.id in seen:
                    self.error(item, "LA021", f"two choices in scene '{scene_id}' have the id '{choice.id}'",
                               "give each choice its own `id:` (choices default to their goto target)")
                    continue
                seen[choice.id] = item
                choices.append(choice)
            if not choices_node.value:
                self.error(choices_node, "LA060", f"scene '{scene_id}' has no choices: a dead end",
                           "add a choice, or move it under `endings:`")
        elif choices_node is None:
            self.error(key, "LA060", f"scene '{scene_id}' has no choices: a dead end",
                       "add `choices:`, or move it under `endings:` if the story ends here")
        else:
            self.error(choices_node, "LA013", "choices must be a list", "start each choice with `- text: ...`")
        return Scene(scene_id, self.text(spec.get("title"), "title"), basis, text, tuple(choices),  # type: ignore[arg-type]
                     self.reveals(spec.get("reveals"), facts), key.start_mark.line + 1,
                     self.lines(spec.get("real"), "real"), self.lines(spec.get("invented"), "invented"))

    def choice_of(self, node: Node | None, allowed: tuple[str, ...], what: str) -> str:
        value = self.text(node, what)
        if node is not None and value and value not in allowed:
            close = get_close_matches(value, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(allowed)}"
            self.error(node, "LA016", f"{what} '{value}' is not one of {', '.join(allowed)}", hint)
        return value if value in allowed else allowed[0]

    def effects(self, node: Node | None, names: Names) -> tuple[Effect, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            self.error(node, "LA013", "do must be a list of effects", "write do: [story += 1, has_footage = true]")
            return ()
        effects = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or item.tag != STR_TAG:
                self.error(item, "LA033", "each effect must be text like `story += 1`",
                           "quote an effect that YAML reads as something else")
                continue
            parsed = parse_effect(item.value, names)
            if isinstance(parsed, LanguageError):
                self.expression_error(item, parsed, "do")
            else:
                effects.append(parsed)
        return tuple(effects)

    def goto(self, node: Node | None, places: dict[str, ScalarNode]) -> str:
        target = self.text(node, "goto")
        if target and node is not None:
            self.check_id_ref(target, node, places, "scene or ending")
        return target

    def choice(self, node: Node, names: Names, places: dict[str, ScalarNode]) -> Choice | None:
        spec = self.fields(node, CHOICE_KEYS, "a choice")
        if spec is None:
            return None
        text = self.text(spec.get("text"), "the choice text")
        self.placeholder_check(spec.get("text"), text, names, "the choice text")
        goto = self.goto(spec.get("goto"), places) if "goto" in spec else ""
        outcomes: list[Outcome] = []
        if "outcomes" in spec:
            outcomes_node = spec["outcomes"]
            if "goto" in spec:
                self.error(outcomes_node, "LA064", "a choice has either `goto` or `outcomes`, not both")
            if not isinstance(outcomes_node, SequenceNode) or not outcomes_node.value:
                self.error(outcomes_node, "LA013", "outcomes must be a non-empty list",
                           "write - {weight: 3, goto: scene-id}")
            else:
                for item in outcomes_node.value:
                    outcome_spec = self.fields(item, OUTCOME_KEYS, "an outcome")
                    if outcome_spec is None:
                        continue
                    weight = self.integer(outcome_spec.get("weight"), "weight", 1)
                    if "weight" in outcome_spec and weight <= 0:
                        self.error(outcome_spec["weight"], "LA065", "an outcome's weight must be 1 or more")
                    outcomes.append(Outcome(weight, self.goto(outcome_spec.get("goto"), places),
                                            self.effects(outcome_spec.get("do"), names)))
        elif "goto" not in spec:
            self.error(node, "LA064", "a choice needs `goto` (where it leads) or `outcomes` (a random branch)")
        choice_id = goto
        if "id" in spec:
            choice_id = self.text(spec["id"], "id")
            if choice_id and not SLUG.match(choice_id):
                self.error(spec["id"], "LA014", f"choice id '{choice_id}' is not a slug",
                           "use lower-case letters, digits and hyphens")
        elif "outcomes" in spec:
            self.error(node, "LA012", "a choice with outcomes needs an `id`",
                       "saves and class reports name choices by id; without `goto` there is nothing to default to")
        condition: Expr | None = None
        condition_text = ""
        if "if" in spec:
            condition_node = spec["if"]
            if isinstance(condition_node, ScalarNode) and condition_node.tag in (STR_TAG, BOOL_TAG):
                condition_text = condition_node.value
                parsed = parse_condition(condition_text, names)
                if isinstance(parsed, LanguageError):
                    self.expression_error(condition_node, parsed, "if")
                else:
                    condition = parsed
            else:
                self.error(condition_node, "LA030", "`if` must be a condition written as text", "e.g. if: safety >= 2")
        locked = self.text(spec.get("locked"), "locked")
        if "locked" in spec and "if" not in spec:
            self.error(spec["locked"], "LA064", "`locked` explains a failed `if`, but this choice has no `if`",
                       "add a condition, or remove `locked`")
        self.placeholder_check(spec.get("locked"), locked, names, "locked")
        return Choice(choice_id, text, goto, tuple(outcomes), condition, condition_text, locked,
                      self.effects(spec.get("do"), names), node.start_mark.line + 1)

    def ending(self, key: ScalarNode, node: Node, names: Names, facts: dict[str, Fact]) -> Ending | None:
        ending_id = self.slug(key, "ending")
        spec = self.fields(node, ENDING_KEYS, f"ending '{ending_id}'")
        if spec is None:
            return None
        text = self.text(spec.get("text"), "text")
        self.placeholder_check(spec.get("text"), text, names, "the text")
        tone = self.choice_of(spec.get("tone"), TONES, "tone")
        basis = self.choice_of(spec["basis"], BASES, "basis") if "basis" in spec else None
        debrief = Debrief("", (), ())
        if "debrief" in spec:
            debrief_spec = self.fields(spec["debrief"], DEBRIEF_KEYS, f"the debrief of '{ending_id}'")
            if debrief_spec is not None:
                fact_ids = []
                for fact_id, item in self.text_list(debrief_spec.get("facts"), "facts"):
                    if self.check_id_ref(fact_id, item, facts, "fact", "declare it under `facts:`"):
                        fact_ids.append(fact_id)
                questions = tuple(v for v, _ in self.text_list(debrief_spec.get("questions"), "questions"))
                if "questions" in debrief_spec and not questions:
                    self.error(debrief_spec["questions"], "LA013", "a debrief needs at least one discussion question")
                debrief = Debrief(self.text(debrief_spec.get("summary"), "summary"), tuple(fact_ids), questions,
                                  self.reveals(debrief_spec.get("governments"), facts, "governments"))
        return Ending(ending_id, self.text(spec.get("title"), "title"), tone, text, debrief,  # type: ignore[arg-type]
                      self.reveals(spec.get("reveals"), facts), basis, key.start_mark.line + 1,  # type: ignore[arg-type]
                      self.lines(spec.get("real"), "real"), self.lines(spec.get("invented"), "invented"))


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{node.value}'"
