"""Messages that lead to the fix (issue 15): each mistake an author made, and what they are told."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from game.engine.loader.load import load_scenario
from game.engine.loader.problems import Problem
from game.tools.scaffold import run_new, template
from game.validate import run_validate
from shared import BASE_SCENARIO

WriteScenario = Callable[..., Path]


@pytest.fixture
def scaffold(project: Path) -> str:
    return template("night-bus", project / "scenarios" / "night-bus.yaml")


def problems(write_scenario: WriteScenario, text: str) -> list[Problem]:
    return list(load_scenario(write_scenario(text), use_cache=False).problems)


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_cause_is_printed_before_its_symptom(write_scenario: WriteScenario, scaffold: str) -> None:
    text = scaffold.replace("        goto: arrivals\n", "        got: arrivals\n")
    found = problems(write_scenario, text)
    assert [p.code for p in found] == ["LA011", "LA064"]
    assert (found[0].message, found[0].hint) == ("unknown key 'got' in a choice", "did you mean 'goto'?")
    assert "this one has neither" in found[1].message
    assert found[0].line > found[1].line  # printed first although it comes later in the file


def test_a_placeholder_error_points_at_its_line_in_a_block(write_scenario: WriteScenario, scaffold: str) -> None:
    text = scaffold.replace("Your safety is {safety}.", "Your safety\n      is {saftey}.")
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA040"
    line = line_of(text, "is {saftey}.")
    column = text.splitlines()[line - 1].index("{saftey}") + 1
    assert (problem.line, problem.column, problem.end_line, problem.end_column) == (line, column, line, column + 8)


def test_a_placeholder_in_a_folded_or_quoted_text(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("    text: The hall is cold.\n", '    text: >\n      The hall is cold.\n      So is {suspicon}.\n')
    [problem] = problems(write_scenario, text)
    assert (problem.code, problem.line, problem.column) == ("LA040", line_of(text, "{suspicon}"), 13)
    quoted = BASE_SCENARIO.replace("    text: The hall is cold.\n", '    text: "The hall is {cold}."\n')
    [problem] = problems(write_scenario, quoted)
    assert (problem.line, problem.column) == (line_of(quoted, "{cold}"), len('    text: "The hall is ') + 1)


def test_a_condition_error_inside_a_multi_line_if(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("if: safety >= 2 and not has_footage", "if: >-\n          safety >= 2\n          and not has_fotage")
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA031" and problem.hint == "did you mean 'has_footage'?"
    assert (problem.line, problem.column) == (line_of(text, "and not has_fotage"), len("          and not ") + 1)


def test_a_quote_mismatch_names_the_word_that_differs(write_scenario: WriteScenario) -> None:
    quote = ("Ngoeum Keatha and Heng Seang Leang, two other Cambodian citizens, were detained by the Malaysian "
             "authorities since Monday.")
    text = BASE_SCENARIO.replace(
        "quote: detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport",
        f"quote: {quote.replace('citizens', 'nationals')}")
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA052"
    assert problem.hint == 'the source has "citizens," where the quote has "nationals,", after "Leang, two other Cambodian"'


def test_a_quote_cut_short_by_its_source(write_scenario: WriteScenario) -> None:
    from game.engine.loader.quotes import quote_advice

    assert quote_advice("the end of it all", "this is the end of it") == \
        'the source ends after "the end of it", where the quote goes on with "all"'
    assert quote_advice("and so the end", "the end") == \
        'the source starts with "the end", where the quote has "so" before it'
    assert quote_advice("nothing alike", "quite different words") == \
        "no word of the quote is in the source: is it the right source?"


def test_a_linked_seeds_folder_says_which_link_and_where(write_scenario: WriteScenario, project: Path,
                                                         tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (project / "seeds").rename(elsewhere)
    (project / "seeds").symlink_to(elsewhere)
    [problem] = problems(write_scenario, BASE_SCENARIO)
    assert problem.code == "LA054"
    assert f"the link {project / 'seeds'} was followed, to {elsewhere}" in problem.message


def test_a_source_file_that_is_a_folder_says_so(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("file: ../seeds/amnesty-2019-11-08-cambodia.txt", "file: ../seeds")
    [problem] = problems(write_scenario, text)
    assert (problem.code, problem.message) == ("LA055", "the source file '../seeds' is a folder, not a file")


def test_an_alias_bomb_is_one_line(write_scenario: WriteScenario) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    [problem] = problems(write_scenario, "\n".join(lines) + "\n")
    assert problem.code == "LA006"
    assert problem.message == "YAML anchors and aliases (& and *) are not allowed in scenarios (80 more in this file)"
    assert (problem.line, problem.column) == (1, 4)


def test_an_anchor_alone_is_refused(write_scenario: WriteScenario) -> None:
    [problem] = problems(write_scenario, BASE_SCENARIO.replace("summary: A small", "summary: &s A small"))
    assert problem.code == "LA006" and problem.message.endswith("not allowed in scenarios")


@pytest.mark.parametrize(("tagged", "tag"), [
    ("title: !!python/name:os.system", "!!python/name:os.system"),
    ("title: !shell ls", "!shell"),
    ("title: !!binary aGVsbG8=", "!!binary"),
    ("title: !!str Test story", "!!str"),
    ("title: &t !custom x", "!custom"),
])
def test_yaml_tags_are_refused_by_name(write_scenario: WriteScenario, tagged: str, tag: str) -> None:
    text = BASE_SCENARIO.replace("title: Test story", tagged)
    found = [p for p in problems(write_scenario, text) if p.code == "LA009"]
    assert [p.message for p in found] == [f"YAML tags are not allowed in scenarios: '{tag}'"]
    assert found[0].line == line_of(text, tagged)


def test_the_id_rule_is_one_rule(write_scenario: WriteScenario, project: Path) -> None:
    text = BASE_SCENARIO.replace("  airport:\n    title", "  passport_weekend:\n    title").replace(
        "goto: airport", "goto: passport_weekend")
    found = [p for p in problems(write_scenario, text) if p.code == "LA014"]
    assert len(found) == 1
    assert found[0].message == "scene id 'passport_weekend' breaks the id rule"
    err = io.StringIO()
    assert run_new("passport_weekend", project / "x.yaml", io.StringIO(), err) == 2
    assert "single hyphens" in err.getvalue() and "single hyphens" in found[0].hint
    guide = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert "with single hyphens between them" in guide and "single `-` or `_`" not in guide


def test_a_value_then_indented_entries_gets_the_real_mistake(write_scenario: WriteScenario, scaffold: str) -> None:
    [problem] = problems(write_scenario, scaffold.replace("scenes:\n", "scenes: 12\n"))
    assert problem.code == "LA003"
    assert problem.hint.startswith("`scenes:` has a value on its own line (12) and indented entries below it")


def test_a_value_with_a_colon_still_gets_the_quoting_hint(write_scenario: WriteScenario) -> None:
    [problem] = problems(write_scenario, "title: Note: this breaks\n")
    assert "must be quoted" in problem.hint


def test_an_invisible_character_in_an_id_is_named(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("  airport:\n    title", "  air\u200bport:\n    title")
    found = problems(write_scenario, text)
    hidden = [p for p in found if p.code == "LA086"]
    assert [p.message for p in hidden] == ["scene id 'air<U+200B>port' contains an invisible character, "
                                           "U+200B ZERO WIDTH SPACE"]
    assert all("\u200b" not in p.render() for p in found)


def test_an_invisible_character_in_a_reference_is_named(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("goto: airport\n        if: safety", "goto: airport\u200b\n        if: safety")
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA020"
    assert problem.message == "there is no scene or ending 'airport<U+200B>'"
    assert problem.hint == "it contains an invisible character, U+200B ZERO WIDTH SPACE: delete it"


@pytest.mark.parametrize("character", ["\u202e", "\u2066", "\u202a"])
def test_bidirectional_controls_are_refused_in_all_text(write_scenario: WriteScenario, character: str) -> None:
    text = BASE_SCENARIO.replace("title: Test story", f"title: Test {character}story")
    [problem] = problems(write_scenario, text)
    assert problem.code == "LA008"
    assert (problem.line, problem.column) == (line_of(text, "title: Test"), len("title: Test ") + 1)


def test_validate_json_has_the_fields_of_the_text(write_scenario: WriteScenario) -> None:
    path = write_scenario(BASE_SCENARIO.replace("goto: quiet\n        do: [safety += 10]", "goto: nowhere\n        do: [safety += 10]"))
    text_out, json_out = io.StringIO(), io.StringIO()
    assert run_validate([path], use_cache=False, out=text_out) == 1
    assert run_validate([path], use_cache=False, as_json=True, out=json_out) == 1
    report = json.loads(json_out.getvalue())
    [problem] = report["problems"]
    assert set(problem) == {"code", "severity", "file", "line", "column", "end_line", "end_column", "message", "hint"}
    assert (report["errors"], report["warnings"], report["exit_status"]) == (1, 0, 1)
    rendered = f"{problem['file']}:{problem['line']}:{problem['column']}: {problem['severity']} {problem['code']}: " \
               f"{problem['message']}\n"
    assert problem["hint"] == ""  # no scene or ending is close to "nowhere"
    assert text_out.getvalue().startswith(rendered)
    assert (problem["end_line"], problem["end_column"]) == (problem["line"], problem["column"] + len("nowhere"))


def test_validate_json_through_the_command_line(write_scenario: WriteScenario) -> None:
    import subprocess
    import sys

    path = write_scenario()
    result = subprocess.run([sys.executable, "-m", "game", "validate", "--json", "--no-cache", str(path)],
                            capture_output=True, text=True, env={**os.environ}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["problems"] == []
