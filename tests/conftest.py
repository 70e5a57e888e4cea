"""Shared fixtures: every test gets its own data and cache folders, and a way to write scenarios.

Scenario files are written under the test's temp folder as `scenarios/NAME.yaml`, beside a copy
of the repo's `seeds/`, so source paths like `../seeds/...` resolve exactly as they do in the repo.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from shared import APP_SCENARIO, BASE_SCENARIO, REPO, free_port

if TYPE_CHECKING:
    from services import Cluster


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep saves and the load cache of each test in its own temp folder."""
    monkeypatch.setenv("LONGARM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LONGARM_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A temp project folder with `seeds/` copied in, and `scenarios/` holding only a copy of the
    shipped stories' shared files (`scenarios/shared/`), so a copied story finds what it includes."""
    root = tmp_path / "project"
    (root / "scenarios").mkdir(parents=True)
    shutil.copytree(REPO / "seeds", root / "seeds")
    shutil.copytree(REPO / "scenarios" / "shared", root / "scenarios" / "shared")
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


@pytest.fixture
def server(tmp_path: Path, scenarios_dir: Path) -> Iterator[str]:
    """`longarm serve --class TEST-9B` on a free loopback port, with the test's own folders."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "LONGARM_DATA_DIR": str(tmp_path / "data"),
           "LONGARM_CACHE_DIR": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "game", "serve", "--port", str(port), "--class", "TEST-9B",
                                "--results", str(tmp_path / "results.sqlite")],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert process.poll() is None, "longarm serve exited"
                assert time.monotonic() < deadline, "longarm serve did not start"
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def postgres() -> Iterator["Cluster"]:
    """A PostgreSQL cluster of this test process's own (Debian's server binaries), for the tests that
    need one; they skip, with the reason, where PostgreSQL or its driver is not installed."""
    from services import missing_services, postgres_bin, postgres_cluster

    if postgres_bin() is None or "psycopg" in missing_services():
        pytest.skip(missing_services())
    with postgres_cluster() as cluster:
        yield cluster
