"""Format 1 still loads, and `longarm migrate FILE` rewrites it as format 2, proved the same story."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from game.cli import main
from game.engine.loader.load import load_scenario
from shared import BASE_SCENARIO, REACTIVE_SCENARIO

WriteScenario = Callable[..., Path]


def test_a_format_1_file_loads_as_it_always_did(write_scenario: WriteScenario) -> None:
    result = load_scenario(write_scenario(BASE_SCENARIO), use_cache=False)
    assert result.problems == () and result.scenario is not None and result.scenario.format == 1


def test_migrate_changes_only_the_format_line(write_scenario: WriteScenario, capsys: pytest.CaptureFixture[str]) -> None:
    text = BASE_SCENARIO.replace("format: 1\n", "format: 1   # the first format\n")
    path = write_scenario(text)
    before = load_scenario(path, use_cache=False).scenario
    assert main(["migrate", str(path)]) == 0
    assert "format 1 -> 2, the story unchanged" in capsys.readouterr().out
    migrated = path.read_text(encoding="utf-8")
    assert migrated == text.replace("format: 1   # the first format\n", "format: 2 # the first format\n")
    after = load_scenario(path, use_cache=False).scenario
    assert after is not None and before is not None and after.format == 2
    assert replace(after, format=1, content_hash=before.content_hash) == before
    assert main(["migrate", str(path)]) == 0  # a second run has nothing to do
    assert "format 2 already" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == migrated


def test_migrate_writes_elsewhere_with_out(write_scenario: WriteScenario, tmp_path: Path) -> None:
    path = write_scenario(BASE_SCENARIO)
    target = tmp_path / "new" / "story.yaml"
    assert main(["migrate", str(path), "--out", str(target)]) == 0
    assert path.read_text(encoding="utf-8") == BASE_SCENARIO
    assert target.read_text(encoding="utf-8").startswith(BASE_SCENARIO.split("\n")[0] + "\nformat: 2\n")


def test_migrate_refuses_a_broken_file_and_writes_nothing(write_scenario: WriteScenario,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    broken = BASE_SCENARIO.replace("goto: quiet\n        do: [safety += 10]", "got: quiet\n        do: [safety += 10]")
    path = write_scenario(broken)
    assert main(["migrate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "LA011" in err and "fix them first" in err
    assert path.read_text(encoding="utf-8") == broken
    assert main(["migrate", str(path.parent / "missing.yaml")]) == 2


def test_a_format_2_file_is_left_alone(write_scenario: WriteScenario, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_scenario(REACTIVE_SCENARIO, name="night-watch")
    assert main(["migrate", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == REACTIVE_SCENARIO
