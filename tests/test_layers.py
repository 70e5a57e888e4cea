"""The architecture is checked, not hoped for: import-linter's contracts and mypy, as configured in
pyproject.toml, both pass. A broken layer or a type error fails the suite with the tool's own words."""

from __future__ import annotations

import shutil
import subprocess
import sys

from shared import REPO


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)


def test_import_contracts_hold() -> None:
    """No cycles; the engine imports no front end; front ends never import each other."""
    lint = shutil.which("lint-imports", path=str(REPO / ".venv" / "bin")) or shutil.which("lint-imports")
    assert lint is not None, "import-linter is part of the test extras: pip install -e '.[test]'"
    result = run(lint, "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_types_check() -> None:
    """mypy passes: strict for the engine and the play session, the stated configuration elsewhere."""
    result = run(sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", str(REPO / ".venv" / "mypy-cache"))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
