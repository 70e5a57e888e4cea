"""The JSON Schema and the loader are one description of the format.

The schema's keys for each mapping are the loader's key tables (required keys included), its
id and name patterns and its enums are the loader's own, every shipped scenario and the guide's
example pass both, and a set of broken files is refused by both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from game.engine.loader import build, ids, shared
from game.engine.loader.load import load_scenario
from game.engine import limits
from game.engine.runtime.model import BASES, TONES
from game.tools.scaffold import MODELINE
from shared import BASE_SCENARIO, REPO

WriteScenario = Callable[..., Path]
SCHEMA_FILE = REPO / "schema" / "scenario.schema.json"
SHARED_SCHEMA_FILE = REPO / "schema" / "shared.schema.json"
SHARED_MODELINE = "# yaml-language-server: $schema=../../schema/shared.schema.json"

#: Which schema object describes which of the loader's key tables ("" is the top level).
TABLES = {"": build.TOP_KEYS, "source": build.SOURCE_KEYS, "stat": build.STAT_KEYS, "role": build.ROLE_KEYS,
          "fact": build.FACT_KEYS, "scene": build.SCENE_KEYS, "choice": build.CHOICE_KEYS,
          "outcome": build.OUTCOME_KEYS, "ending": build.ENDING_KEYS, "debrief": build.DEBRIEF_KEYS}

#: Keys the loader requires by a check of its own rather than its key table: a scene without
#: `choices` is reported as a dead end (LA060), which is a clearer message than a missing key.
REQUIRED_ELSEWHERE = {"scene": {"choices"}}


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml, as the game reads files


class _JsonLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """YAML as an editor's language server reads it for the schema: dates stay text."""


_JsonLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return data


def schema_errors(schema: dict[str, Any], text: str) -> list[str]:
    data = yaml.load(text, Loader=_JsonLoader)  # noqa: S506 - a SafeLoader subclass
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in Draft202012Validator(schema).iter_errors(data)]


def docs_example() -> str:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    [example] = [block for block in re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
                 if block.startswith(MODELINE)]
    return str(example)


def test_the_schema_is_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_each_mapping_has_the_loaders_keys(schema: dict[str, Any]) -> None:
    mappings = {"": schema, **{name: d for name, d in schema["$defs"].items() if "properties" in d}}
    assert set(mappings) == set(TABLES), "every mapping in the schema is checked against a loader table"
    for name, table in TABLES.items():
        described = mappings[name]
        assert set(described["properties"]) == set(table), name
        required = {key for key, needed in table.items() if needed} | REQUIRED_ELSEWHERE.get(name, set())
        assert set(described["required"]) == required, name
        assert described["additionalProperties"] is False, name


def test_patterns_and_choices_are_the_loaders(schema: dict[str, Any]) -> None:
    defs = schema["$defs"]
    assert defs["slug"]["pattern"] == ids.ID.pattern == schema["properties"]["id"]["pattern"]
    assert defs["name"]["pattern"] == ids.NAME.pattern
    assert set(defs["name"]["not"]["enum"]) == ids.RESERVED_NAMES
    assert tuple(defs["basis"]["enum"]) == BASES
    assert tuple(defs["ending"]["properties"]["tone"]["enum"]) == TONES
    assert tuple(schema["properties"]["format"]["enum"]) == build.FORMATS
    assert schema["properties"]["include"]["maxItems"] == limits.MAX_INCLUDES


def test_shipped_scenarios_and_the_guides_example_pass_both(schema: dict[str, Any], write_scenario: WriteScenario) -> None:
    shipped = sorted((REPO / "scenarios").glob("*.yaml"))
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in shipped]
    texts += [("docs/authoring.md", docs_example()), ("BASE_SCENARIO", BASE_SCENARIO)]
    for name, text in texts:
        assert text.startswith(MODELINE + "\n"), f"{name} starts with the schema modeline"
        assert schema_errors(schema, text) == [], name
        copy = write_scenario(text, name=f"copy-{len(name)}")
        assert load_scenario(copy, use_cache=False).ok, name


def test_the_modeline_points_at_the_schema_from_scenarios() -> None:
    relative = MODELINE.split("$schema=", 1)[1]
    assert (REPO / "scenarios" / relative).resolve() == SCHEMA_FILE.resolve()


#: (what is wrong, text to find in BASE_SCENARIO, what to put instead). Each must be refused by both.
BAD_FIXTURES = [
    ("unknown top-level key", "minutes: 5\n", "minutes: 5\ncolour: red\n"),
    ("missing summary", "summary: A small story for tests.\n", ""),
    ("format 3", "format: 1\n", "format: 3\n"),
    ("an absolute include", "minutes: 5\n", "minutes: 5\ninclude: [/etc/shared.yaml]\n"),
    ("a fallback with locked", "        id: stay\n", "        id: stay\n        fallback: true\n        if: safety > 1\n        locked: No\n"),
    ("once not true/false", "        id: stay\n", "        id: stay\n        once: twice\n"),
    ("zero minutes", "minutes: 5\n", "minutes: 0\n"),
    ("minutes as text", "minutes: 5\n", "minutes: five\n"),
    ("id not a slug", "id: test-story\n", "id: Test Story\n"),
    ("content warnings not a list", "content_warnings: [detention]\n", "content_warnings: {a: b}\n"),
    ("unknown key in a source", "    publisher: Human Rights Watch\n", "    publisher: Human Rights Watch\n    author: HRW\n"),
    ("source nobody can find", "    url: https://www.hrw.org/news/2019/11/07/cambodia-let-opposition-leaders-return\n", ""),
    ("stat without start", "story: {label: Story, min: 0, max: 10, start: 0}", "story: {label: Story, min: 0, max: 10}"),
    ("stat name with a dash", "  story: {label: Story", "  the-story: {label: Story"),
    ("reserved stat name", "  story: {label: Story", "  role: {label: Story"),
    ("hidden not true/false", "start: 0, hidden: true}", "start: 0, hidden: maybe}"),
    ("role without blurb", "    blurb: You meet the delegation.\n", ""),
    ("role stat not a number", "stats: {safety: 4}", "stats: {safety: high}"),
    ("fact without source", "    source: hrw\n", ""),
    ("unknown basis", "basis: reported", "basis: rumoured"),
    ("scene with no choices", "endings:\n",
     "  empty:\n    title: E\n    basis: invented\n    text: E.\n    choices: []\nendings:\n"),
    ("choice with goto and outcomes", "        id: gate\n", "        id: gate\n        goto: quiet\n"),
    ("choice with neither goto nor outcomes", "        id: stay\n        goto: quiet\n", "        id: stay\n"),
    ("outcomes without an id", "        id: gate\n", ""),
    ("locked without if", "        id: stay\n", "        id: stay\n        locked: Not now\n"),
    ("unknown key in a choice", "        id: stay\n", "        id: stay\n        iff: safety > 1\n"),
    ("weight 0", "{weight: 3, goto: refused}", "{weight: 0, goto: refused}"),
    ("outcome without goto", "{weight: 3, goto: refused}", "{weight: 3}"),
    ("effect that is not one", "do: [safety += 10]", "do: [safety ++]"),
    ("do not a list", "do: [safety += 10]", "do: safety += 10"),
    ("unknown tone", "tone: bitter", "tone: sad"),
    ("debrief without questions", "      questions: [What would you have done?]\n", "      questions: []\n"),
    ("ending without debrief", "  refused:\n    title: Turned away\n    tone: bitter\n    text: The gate stays shut. Story {story}.\n    debrief:\n      summary: She was held, then released.\n      facts: [klia-detention]\n      questions: [Why would a neighbour agree?]\n",
     "  refused:\n    title: Turned away\n    tone: bitter\n    text: The gate stays shut. Story {story}.\n"),
    ("empty title", "title: Test story\n", "title: ''\n"),
]


@pytest.mark.parametrize(("what", "old", "new"), BAD_FIXTURES, ids=[case[0] for case in BAD_FIXTURES])
def test_broken_files_are_refused_by_both(schema: dict[str, Any], write_scenario: WriteScenario,
                                          what: str, old: str, new: str) -> None:
    assert BASE_SCENARIO.count(old) == 1, f"the fixture for '{what}' changes exactly one place"
    text = BASE_SCENARIO.replace(old, new)
    assert not load_scenario(write_scenario(text), use_cache=False).ok, f"the loader accepts: {what}"
    assert schema_errors(schema, text), f"the schema accepts: {what}"


def shared_validator() -> Draft202012Validator:
    """The shared-file schema, with its references into the scenario schema resolved."""
    from referencing import Registry, Resource

    scenario = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    registry = Registry().with_resource("scenario.schema.json", Resource.from_contents(scenario))
    return Draft202012Validator(json.loads(SHARED_SCHEMA_FILE.read_text(encoding="utf-8")), registry=registry)


def test_the_shared_schema_has_the_loaders_keys_and_passes_the_shipped_shared_files() -> None:
    validator = shared_validator()
    Draft202012Validator.check_schema(validator.schema)
    assert set(validator.schema["properties"]) == set(shared.SHARED_KEYS)
    assert set(validator.schema["required"]) == {key for key, needed in shared.SHARED_KEYS.items() if needed}
    files = sorted((REPO / "scenarios" / "shared").glob("*.yaml"))
    assert files, "the shipped stories share their common facts"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith(SHARED_MODELINE + "\n"), path.name
        data = yaml.load(text, Loader=_JsonLoader)  # noqa: S506 - a SafeLoader subclass
        assert [error.message for error in validator.iter_errors(data)] == [], path.name
        assert (path.parent / SHARED_MODELINE.split("$schema=", 1)[1]).resolve() == SHARED_SCHEMA_FILE.resolve()
    broken = yaml.load("format: 2\nshared: x\nscenes: {}\n", Loader=_JsonLoader)  # noqa: S506
    assert list(validator.iter_errors(broken))
