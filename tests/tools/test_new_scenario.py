"""`longarm new`: a small valid scenario with the schema modeline, never written over a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.engine.search.explore import explore
from game.engine.loader.load import load_scenario
from game.tools.scaffold import MODELINE


def test_new_writes_a_valid_scenario_under_scenarios(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(project)
    assert main(["new", "night-bus"]) == 0
    assert "Wrote scenarios/night-bus.yaml" in capsys.readouterr().out
    path = project / "scenarios" / "night-bus.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert "\n    file: ../seeds/amnesty-2019-11-08-cambodia.txt\n" in text  # seeds/ is beside: quotes are checked
    result = load_scenario(path, use_cache=False)
    assert result.problems == (), [p.render() for p in result.problems]
    scenario = result.scenario
    assert scenario is not None and (scenario.id, scenario.title) == ("night-bus", "Night Bus")
    assert explore(scenario).ok  # every ending reachable, no traps
    assert main(["playtest", str(path)]) == 0


def test_new_without_seeds_nearby_still_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "drafts" / "story.yaml"
    assert main(["new", "first-try", "--out", str(target)]) == 0
    capsys.readouterr()
    text = target.read_text(encoding="utf-8")
    assert "    # file: ../seeds/" in text
    assert load_scenario(target, use_cache=False).problems == ()


def test_new_refuses_to_overwrite(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "scenarios" / "mine.yaml"
    target.write_text("my own work\n", encoding="utf-8")
    assert main(["new", "mine", "--out", str(target)]) == 1
    assert "already exists; it was left as it is" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "my own work\n"


def test_new_refuses_an_id_that_is_not_a_slug(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Night Bus", "--out", str(project / "x.yaml")]) == 2
    assert "is not a scenario id" in capsys.readouterr().err
    assert not (project / "x.yaml").exists()
