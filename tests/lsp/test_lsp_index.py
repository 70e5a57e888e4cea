"""The language server's pieces, in process: the index on the shipped scenarios (checked against the
loader's model), the cursor context, completion, rename on every scene of every story, ranges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from game.engine.loader.load import load_scenario
from game.engine.runtime.model import Scenario
from game.lsp import completion, navigation
from game.lsp.context import cursor_at
from game.lsp.diagnostics import problems_for, token_end
from game.lsp.index import ScenarioIndex, build_index, split_lines
from game.lsp.positions import Positions
from lspclient import apply_edits
from shared import BASE_SCENARIO, CHECK_SCENARIO, REPO

SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))
CODE_POINTS = PositionCodec(types.PositionEncodingKind.Utf32)  # so columns in these tests are characters


def loaded(path: Path) -> tuple[str, ScenarioIndex, Scenario]:
    text = path.read_text(encoding="utf-8")
    index = build_index(text, path)
    result = load_scenario(path, use_cache=False)
    assert index is not None and result.scenario is not None
    return text, index, result.scenario


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_index_finds_every_definition_the_loader_does(path: Path) -> None:
    text, index, scenario = loaded(path)
    ids = {kind: [d.id for d in index.of_kind(kind) if not d.file]
           for kind in ("scene", "ending", "fact", "source", "stat", "flag", "role")}
    own = {kind: [ident for ident in ids[kind]] for kind in ("fact", "source")}
    assert ids == {"scene": list(scenario.scenes), "ending": list(scenario.endings), **own,
                   "stat": list(scenario.stats), "flag": list(scenario.flags), "role": list(scenario.roles)}
    # The scenario takes from its shared file what it uses; the index offers all of it, from that file.
    shared = {kind: {d.id for d in index.of_kind(kind) if d.file} for kind in ("fact", "source")}
    assert set(scenario.facts) == set(own["fact"]) | (shared["fact"] & set(scenario.facts)) and shared["fact"]
    assert set(scenario.sources) <= set(own["source"]) | shared["source"]
    assert all(d.file.endswith("cambodia-2019.yaml") for kind in ("fact", "source") for d in index.of_kind(kind) if d.file)
    for scene in scenario.scenes.values():
        assert index.definitions["place"][scene.id].span.line + 1 == scene.line
    for ending in scenario.endings.values():
        assert index.definitions["place"][ending.id].span.line + 1 == ending.line
    assert index.lookup("fact", next(iter(scenario.facts)))  # facts keep their text for hover
    fact = next(iter(scenario.facts.values()))
    assert index.definitions["fact"][fact.id].details["text"].split() == fact.text.split()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_the_index_finds_every_reference_and_each_resolves(path: Path) -> None:
    text, index, scenario = loaded(path)
    lines = split_lines(text)
    for reference in index.references:
        assert lines[reference.span.line][reference.span.start:reference.span.end] == reference.id
        assert index.lookup(reference.namespace, reference.id) is not None, reference
    gotos = [r for r in index.references if r.where == "goto"]
    choices = [c for s in scenario.scenes.values() for c in s.choices]
    assert len(gotos) == sum(1 for c in choices if c.goto) + sum(len(c.outcomes) for c in choices)
    facts_named = sum(len(p.reveals) for p in [*scenario.scenes.values(), *scenario.endings.values()])
    facts_named += sum(len(e.debrief.facts) + len(e.debrief.governments) for e in scenario.endings.values())
    facts_named += len(scenario.check)
    assert len([r for r in index.references if r.namespace == "fact" and r.where != "known"]) == facts_named
    assert len([r for r in index.references if r.where == "visited"]) == len(re.findall(r"visited\(", text))
    assert len([r for r in index.references if r.where == "start"]) == len(scenario.roles)
    assert len(index.choices) == len(choices)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_renaming_any_scene_or_ending_of_a_shipped_story_keeps_it_valid(path: Path) -> None:
    text, index, scenario = loaded(path)
    positions = Positions(text, CODE_POINTS)
    for old in [*scenario.scenes, *scenario.endings]:
        span = index.definitions["place"][old].span
        edit = navigation.rename(index, positions, "file:///x", span.line, span.start, f"{old}-renamed")
        assert edit.changes is not None
        edits = [{"range": {"start": {"line": e.range.start.line, "character": e.range.start.character},
                            "end": {"line": e.range.end.line, "character": e.range.end.character}},
                  "newText": e.new_text} for e in edit.changes["file:///x"]]
        renamed = apply_edits(text, edits)
        assert problems_for(renamed, path) == (), old
        assert not re.search(rf"(goto: |visited\(|start: ){re.escape(old)}\b(?!-)", renamed), old


def test_rename_refuses_a_name_that_would_give_two_choices_one_id() -> None:
    text = BASE_SCENARIO.replace("        id: stay\n", "")  # this choice is now named `quiet`, by its goto
    text = text.replace("        id: back\n", "        id: calm\n")
    index = build_index(text)
    assert index is not None and problems_for(text, REPO / "scenarios" / "x.yaml") == ()
    span = index.definitions["place"]["quiet"].span
    positions = Positions(text, CODE_POINTS)
    navigation.rename(index, positions, "u", span.line, span.start, "calm")  # another scene: no clash
    text = text.replace("        id: fly\n", "        id: calm\n")  # newsroom: `calm`, and `stay` going to quiet
    index = build_index(text)
    assert index is not None
    with pytest.raises(navigation.RenameRefused, match="already has a choice with the id 'calm'"):
        navigation.rename(index, positions, "u", span.line, span.start, "calm")


def where(text: str) -> tuple[list[str], int, int]:
    """The lines of a text with one `§` marking the cursor, and the cursor's line and column."""
    before = text[:text.index("§")]
    lines = split_lines(text.replace("§", "", 1))
    return lines, before.count("\n"), len(before) - (before.rfind("\n") + 1)


@pytest.mark.parametrize(("edit", "path", "key"), [
    (("        goto: quiet", "        goto: q§"), ("scenes", "newsroom", "choices", "-"), "goto"),
    (("        goto: quiet", "        go§"), ("scenes", "newsroom", "choices", "-"), None),
    (("      - text: Stay home", "      - te§"), ("scenes", "newsroom", "choices", "-"), None),
    (("{weight: 3, goto: refused}", "{weight: 3, goto: r§}"), ("scenes", "airport", "choices", "-", "outcomes", "-"), "goto"),
    (("      summary: Nothing", "      su§"), ("endings", "quiet", "debrief"), None),
    (("    start: newsroom\n    stats", "    start: n§\n    stats"), ("roles", "journalist"), "start"),
    (("format: 1", "form§"), (), None),
])
def test_the_cursor_context_is_read_from_indentation(edit: tuple[str, str], path: tuple[str, ...], key: str | None) -> None:
    lines, line, column = where(BASE_SCENARIO.replace(*edit, 1))
    cursor = cursor_at(lines, line, column)
    assert (cursor.path, cursor.key, cursor.in_block_text) == (path, key, False)


def test_inside_block_text_nothing_is_completed() -> None:
    lines, line, column = where(BASE_SCENARIO.replace("      Your phone lights up.", "      - Your ph§one lights up."))
    assert cursor_at(lines, line, column).in_block_text
    index = build_index(BASE_SCENARIO)
    assert completion.complete(index, Positions("\n".join(lines), CODE_POINTS), line, column) == []


def labels(text: str) -> list[str]:
    lines, line, column = where(text)
    items = completion.complete(build_index(BASE_SCENARIO), Positions("\n".join(lines), CODE_POINTS), line, column)
    return [item.label for item in items]


def test_keys_are_offered_that_the_mapping_does_not_have_yet() -> None:
    assert labels(BASE_SCENARIO.replace("        id: fly\n", "        id: fly\n        §\n")) == \
        ["outcomes", "once", "fallback"]
    assert labels(BASE_SCENARIO.replace("      - text: Stay home\n", "      - §\n      - text: Stay home\n")) == \
        ["text", "id", "goto", "outcomes", "if", "locked", "do", "once", "fallback"]
    assert labels(BASE_SCENARIO.replace("    stats: {safety: 4}", "    stats:\n      §")) == ["safety", "story", "suspicion"]
    assert labels(BASE_SCENARIO.replace("    stats: {safety: 4}", "    stats: {safety: 4, §}")) == ["story", "suspicion"]
    assert labels(BASE_SCENARIO.replace("      facts: []", "      facts: []\n      §")) == ["governments"]
    assert labels(BASE_SCENARIO.replace("scenes:\n", "§\nscenes:\n")) == ["include", "check"]  # every other one is there
    assert labels(CHECK_SCENARIO.replace("    fact: klia-detention\n  - id: then", "    §\n  - id: then")) == ["fact"]


def test_ids_are_offered_where_ids_go() -> None:
    places = ["newsroom", "airport", "refused", "quiet"]
    assert labels(BASE_SCENARIO.replace("{weight: 3, goto: refused}", "{weight: 3, goto: §}")) == places
    assert labels(BASE_SCENARIO.replace("    start: newsroom\n    stats", "    start: §\n    stats")) == places
    assert labels(BASE_SCENARIO.replace("    source: hrw", "    source: §")) == ["amnesty-2019", "hrw"]
    assert labels(BASE_SCENARIO.replace("    reveals: [arrests]", "    reveals:\n      - §")) == ["klia-detention", "arrests"]
    assert labels(BASE_SCENARIO.replace("      facts: []", "      governments: [§]")) == ["klia-detention", "arrests"]
    assert labels(CHECK_SCENARIO.replace("    fact: klia-detention\n  - id: then", "    fact: §\n  - id: then")) == \
        ["klia-detention", "arrests"]
    assert labels(BASE_SCENARIO.replace("do: [safety += 10]", "do: [safety += 10, §]")) == \
        ["safety", "story", "suspicion", "has_footage"]


def test_a_checks_facts_are_references_that_resolve() -> None:
    index = build_index(CHECK_SCENARIO)
    assert index is not None
    checks = [r for r in index.references if r.where == "check"]
    assert [(r.namespace, r.id) for r in checks] == [("fact", "klia-detention")] * 4
    assert all(index.lookup(r.namespace, r.id) for r in checks)


def test_a_checks_fact_hovers_and_navigates_as_any_fact_reference_does() -> None:
    text = CHECK_SCENARIO
    index = build_index(text)
    assert index is not None
    positions, lines = Positions(text, CODE_POINTS), split_lines(text)
    line = lines.index("    fact: klia-detention")  # the first item's
    column = lines[line].index("klia-detention") + 3
    hover = navigation.hover(index, positions, line, column)
    fact = index.lookup("fact", "klia-detention")
    assert hover is not None and fact is not None
    assert hover.contents == types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                 value=navigation.fact_markdown(index, fact))
    assert "> detained for most of the day" in navigation.fact_markdown(index, fact)
    location = navigation.definition(index, positions, "u", line, column)
    assert location is not None and location.range.start.line == lines.index("  klia-detention:")
    used = [(found.range.start.line, found.range.start.character)
            for found in navigation.references(index, positions, "u", line, column, False)]
    assert len(used) == 6  # reveals, a debrief's facts and the four items
    assert all(lines[row][start:].startswith("klia-detention") for row, start in used)
    assert sum(lines[row].strip() == "fact: klia-detention" for row, _ in used) == 4


def answer_hover(text: str, answer: str) -> types.Hover | None:
    index = build_index(text)
    assert index is not None
    line = split_lines(text).index(f"    answer: {answer}")
    return navigation.hover(index, Positions(text, CODE_POINTS), line, len("    answer: ") + 2)


def test_hover_on_a_checks_answer_shows_its_option() -> None:
    hover = answer_hover(CHECK_SCENARIO, "Most of a day")
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.value == ("**check item `how-long`**: the answer is option 2 of 4\n\n"
                                    "1. A week\n2. **Most of a day** (the answer)\n3. A month\n4. A year")
    assert (hover.range.start.character, hover.range.end.character) == (12, 12 + len("Most of a day"))


@pytest.mark.parametrize(("written", "hint"), [
    ("most of  a day", "did you mean 'Most of a day'? the answer is written exactly as its option"),
    ("Most of a dya", "did you mean 'Most of a day'?"),
])
def test_hover_on_a_wrong_answer_says_what_validate_says(written: str, hint: str) -> None:
    text = CHECK_SCENARIO.replace("    answer: Most of a day", f"    answer: {written}")
    [problem] = [p for p in problems_for(text, REPO / "scenarios" / "x.yaml") if p.code == "LA102"]
    assert problem.hint == hint
    hover = answer_hover(text, written)
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    shown = hover.contents.value
    assert shown.startswith(f"**check item `how-long`**: LA102 {problem.message}\n\nhint: {problem.hint}\n\n")
    assert "(the answer)" not in shown and "2. Most of a day" in shown


def test_an_answer_with_no_options_to_match_has_no_hover() -> None:
    text = CHECK_SCENARIO.replace("    options: [A week, Most of a day, A month, A year]\n", "    options: []\n")
    assert answer_hover(text, "Most of a day") is None


def test_a_completion_replaces_the_whole_id_and_adds_a_space_after_a_bare_colon() -> None:
    lines, line, column = where(BASE_SCENARIO.replace("        goto: quiet", "        goto:§"))
    [first, *_] = completion.complete(build_index(BASE_SCENARIO), Positions("\n".join(lines), CODE_POINTS), line, column)
    assert first.text_edit is not None and first.text_edit.new_text == " newsroom"
    lines, line, column = where(BASE_SCENARIO.replace('role == "activist"', 'role == "ac§tivist"'))
    [first, *_] = completion.complete(build_index(BASE_SCENARIO), Positions("\n".join(lines), CODE_POINTS), line, column)
    assert isinstance(first.text_edit, types.TextEdit) and first.text_edit.new_text == '"journalist"'
    start = lines[line].index('"activist"')
    assert (first.text_edit.range.start.character, first.text_edit.range.end.character) == (start, start + len('"activist"'))


@pytest.mark.parametrize(("line", "column", "token"), [
    ("    goto: airprot", 10, "airprot"),
    ("    reveal: [arrests]", 4, "reveal"),
    ("    reveals: [arrests, nope]", 13, "[arrests, nope]"),
    ('    title: "quoted value" # c', 11, '"quoted value"'),
    ("    if: a && b", 10, "&&"),
    ("    text:", 9, ""),
])
def test_a_problem_without_an_end_covers_the_token_at_its_start(line: str, column: int, token: str) -> None:
    assert line[column:token_end(line, column)] == token


def test_every_position_of_a_file_answers_without_error() -> None:
    """Completion, definition, hover and references at each character of the base scenario, and
    completion on a copy with every line cut short, as while typing."""
    text = BASE_SCENARIO
    index = build_index(text)
    assert index is not None
    positions = Positions(text, CODE_POINTS)
    for line, content in enumerate(split_lines(text)):
        for column in range(len(content) + 1):
            completion.complete(index, positions, line, column)
            navigation.definition(index, positions, "u", line, column)
            navigation.hover(index, positions, line, column)
            navigation.references(index, positions, "u", line, column, True)
    for line, content in enumerate(split_lines(text)):
        cut = "\n".join([*split_lines(text)[:line], content[:len(content) // 2], *split_lines(text)[line + 1:]])
        completion.complete(build_index(cut) or index, Positions(cut, CODE_POINTS), line, len(content) // 2)


@pytest.mark.parametrize("text", ["", "   \n", "- a\n- b\n", "a: &x 1\nb: *x\n", "a: b: c\n", "scenes: 3\nendings: [1]\n",
                                  "scenes:\n  x:\n    choices: {goto: 1}\n", "format: 1\nscenes:\n  ? [a]\n  : b\n"])
def test_the_index_takes_any_text(text: str) -> None:
    index = build_index(text)
    assert index is None or isinstance(index, ScenarioIndex)
    lines = split_lines(text)
    for line, content in enumerate(lines):
        completion.complete(index, Positions(text, CODE_POINTS), line, len(content))


def test_a_condition_names_stats_flags_places_facts_and_roles_at_their_columns() -> None:
    condition = '(safety >= 1 or visited(airport)) and not has_footage and known(arrests) and role != "activist"'
    text = BASE_SCENARIO.replace("if: visited(airport) and known(arrests)", f"if: {condition}")
    index = build_index(text)
    assert index is not None
    line = split_lines(text).index(f"        if: {condition}")
    found = [(r.namespace, r.id, r.where) for r in index.references if r.span.line == line]
    assert found == [("name", "safety", "condition"), ("place", "airport", "visited"), ("name", "has_footage", "condition"),
                     ("fact", "arrests", "known"), ("role", "activist", "condition")]
    for reference in index.references:
        if reference.span.line == line:
            assert split_lines(text)[line][reference.span.start:reference.span.end] == reference.id
