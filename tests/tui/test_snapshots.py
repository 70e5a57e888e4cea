"""SVG snapshots of the main screens at 80x24, in a dark and a light theme.

Update them with `LONGARM_UPDATE_SNAPSHOTS=1 python -m pytest tests/tui/test_snapshots.py`, then
look at the changed SVGs before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.tui.app import LongArmApp
from tui.snapshots import assert_snapshot

pytestmark = pytest.mark.usefixtures("scenarios_dir")

THEMES = ["textual-dark", "textual-light"]

# Keys that lead from the title screen to each screen.
ROUTES: dict[str, list[str]] = {
    "title": [],
    "scene": ["enter", "enter"],
    "debrief": ["enter", "enter", "2"],
    "glossary": ["enter", "enter", "g"],
    "help": ["f1"],
}


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("screen", list(ROUTES))
async def test_screen_snapshot(screen: str, theme: str, tmp_path: Path) -> None:
    app = LongArmApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        for key in ROUTES[screen]:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        assert_snapshot(app, f"{screen}-{theme}", tmp_path)
