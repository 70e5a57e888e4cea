"""Bad files: each gives located problems, never a traceback, and nothing in them runs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from shared import BASE_SCENARIO
from game.engine.loader.load import load_scenario
from game.engine.limits import MAX_FILE_BYTES

WriteScenario = Callable[..., Path]


def codes(path: Path) -> list[str]:
    result = load_scenario(path, use_cache=False)
    assert result.scenario is None
    return [p.code for p in result.problems]


def test_not_yaml(write_scenario: WriteScenario) -> None:
    path = write_scenario("title: [unclosed\nid: x\n")
    [problem] = load_scenario(path, use_cache=False).problems
    assert problem.code == "LA003"
    assert problem.message.startswith("YAML syntax error")
    assert (problem.line, problem.column) >= (2, 1)


def test_mapping_value_hint(write_scenario: WriteScenario) -> None:
    [problem] = load_scenario(write_scenario("title: Note: this breaks\n"), use_cache=False).problems
    assert problem.code == "LA003" and "must be quoted" in problem.hint


def test_a_list_at_the_top(write_scenario: WriteScenario) -> None:
    [problem] = load_scenario(write_scenario("- format: 1\n- id: x\n"), use_cache=False).problems
    assert (problem.code, problem.line, problem.column) == ("LA005", 1, 1)
    assert "this file is a list" in problem.message


def test_empty_file_and_comments_only(write_scenario: WriteScenario) -> None:
    assert codes(write_scenario("")) == ["LA004"]
    assert codes(write_scenario("   \n\n")) == ["LA004"]
    assert codes(write_scenario("# just a comment\n")) == ["LA004"]


def test_binary_bytes(project: Path) -> None:
    path = project / "scenarios" / "binary.yaml"
    path.write_bytes(b"format: 1\nid: x\n\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    [problem] = load_scenario(path, use_cache=False).problems
    assert problem.code == "LA002"
    assert problem.line == 3


def test_control_character_in_text(project: Path) -> None:
    path = project / "scenarios" / "escape.yaml"
    path.write_text("format: 1\ntitle: \x1b[31mred\n", encoding="utf-8")
    [problem] = load_scenario(path, use_cache=False).problems
    assert (problem.code, problem.line, problem.column) == ("LA007", 2, 8)
    assert "U+001B ESCAPE" in problem.message


def test_oversize_file_is_refused_before_parsing(project: Path) -> None:
    path = project / "scenarios" / "huge.yaml"
    with path.open("wb") as handle:  # a sparse 50 MB file: refused from its size alone
        handle.truncate(50 * 1024 * 1024)
    [problem] = load_scenario(path, use_cache=False).problems
    assert problem.code == "LA070"
    assert f"limited to {MAX_FILE_BYTES // 1_048_576} MB" in problem.message


def test_alias_bomb_is_refused_quickly(write_scenario: WriteScenario) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = write_scenario("\n".join(lines) + "\n")
    problems = load_scenario(path, use_cache=False).problems
    assert problems and {p.code for p in problems} == {"LA006"}
    assert "anchors and aliases" in problems[0].message


def test_a_single_alias_is_refused(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("summary: A small story for tests.", "summary: &s A small story for tests.\naudience2: *s")
    problems = load_scenario(write_scenario(text), use_cache=False).problems
    assert [p.code for p in problems] == ["LA006"]


def test_tabs_get_a_hint(write_scenario: WriteScenario) -> None:
    path = write_scenario("format: 1\nroles:\n\tjournalist: x\n")
    [problem] = load_scenario(path, use_cache=False).problems
    assert problem.code == "LA003" and problem.line == 3
    assert "tabs" in problem.hint


def test_duplicate_keys_at_any_level(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("minutes: 5\n", "minutes: 5\nminutes: 6\n").replace(
        "    title: The arrival hall\n", "    title: The arrival hall\n    title: Again\n")
    lines = text.splitlines()
    minutes, title = lines.index("minutes: 5") + 1, lines.index("    title: The arrival hall") + 1
    problems = load_scenario(write_scenario(text), use_cache=False).problems
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("LA010", minutes + 1, f"duplicate key 'minutes' (first defined on line {minutes})"),
        ("LA010", title + 1, f"duplicate key 'title' (first defined on line {title})"),
    ]


def test_code_in_a_condition_is_a_load_error_and_never_runs(write_scenario: WriteScenario, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = BASE_SCENARIO.replace("if: safety >= 2 and not has_footage",
                                 f"if: __import__('os').system('touch {marker}')")
    [problem] = load_scenario(write_scenario(text), use_cache=False).problems
    assert problem.code == "LA031" and "unknown function '__import__'" in problem.message
    assert not marker.exists()


def test_attribute_in_a_condition(write_scenario: WriteScenario) -> None:
    text = BASE_SCENARIO.replace("if: safety >= 2 and not has_footage", "if: safety.real")
    assert codes(write_scenario(text)) == ["LA030"]


def test_yaml_tags_cannot_build_objects(write_scenario: WriteScenario, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = BASE_SCENARIO.replace("summary: A small story for tests.",
                                 f"summary: !!python/object/apply:os.system ['touch {marker}']")
    problems = load_scenario(write_scenario(text), use_cache=False).problems
    assert problems and not marker.exists()


def test_unreadable_path(project: Path) -> None:
    [problem] = load_scenario(project / "scenarios" / "missing.yaml", use_cache=False).problems
    assert problem.code == "LA001"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_permissions(write_scenario: WriteScenario) -> None:
    path = write_scenario()
    path.chmod(0)
    assert codes(path) == ["LA001"]
