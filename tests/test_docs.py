"""The docs describe what is really there: every diagnostic code the engine emits is documented."""

from __future__ import annotations

import re

from conftest import REPO


def test_every_diagnostic_code_is_documented_and_no_other() -> None:
    used = set()
    for path in (REPO / "game").rglob("*.py"):
        used |= set(re.findall(r'"(LA\d{3})"', path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^### (LA\d{3})", (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8"),
                                flags=re.MULTILINE))
    assert used == documented
