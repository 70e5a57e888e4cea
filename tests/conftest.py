"""Shared fixtures: every test gets its own data and cache folders, and a way to write scenarios.

Scenario files are written under the test's temp folder as `scenarios/NAME.yaml`, beside a copy
of the repo's `seeds/`, so source paths like `../seeds/...` resolve exactly as they do in the repo.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from shared import APP_SCENARIO, BASE_SCENARIO, REPO


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep saves and the load cache of each test in its own temp folder."""
    monkeypatch.setenv("LONGARM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LONGARM_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temp project folder with `seeds/` copied in and an empty `scenarios/`."""
    root = tmp_path / "project"
    (root / "scenarios").mkdir(parents=True)
    shutil.copytree(REPO / "seeds", root / "seeds")
    return root


@pytest.fixture
def write_scenario(project: Path) -> Callable[..., Path]:
    """Write YAML text (dedented) as scenarios/NAME.yaml in the temp project; returns the path."""

    def write(text: str = BASE_SCENARIO, name: str = "test-story") -> Path:
        path = project / "scenarios" / f"{name}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def scenarios_dir(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app sees exactly one scenario, `test-story`, and none of the shipped ones."""
    (project / "scenarios" / "test-story.yaml").write_text(APP_SCENARIO, encoding="utf-8")
    monkeypatch.setenv("LONGARM_SCENARIOS_DIR", str(project / "scenarios"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return project / "scenarios"
