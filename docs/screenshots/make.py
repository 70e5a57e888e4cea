"""Write the README's screenshots: the real app, the shipped stories, 80x24, as SVG.

    python docs/screenshots/make.py

They are made by the app itself (`App.export_screenshot`), headless, with a fresh data folder so
no autosave shows, and a fixed seed so the same screens come out each time.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

SHOTS = {  # file name: keys pressed from the title screen
    "title.svg": [],
    "scene.svg": ["enter", "enter", "1", "1"],
    "debrief.svg": ["enter", "enter", "1", "1", "1", "1", "1", "1", "1", "1"],
}


async def shoot(name: str, keys: list[str]) -> None:
    from game.tui.app import LongArmApp

    app = LongArmApp(seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        (HERE / name).write_text(app.export_screenshot(title="Long Arm"), encoding="utf-8")


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        os.environ["LONGARM_DATA_DIR"] = temp
        os.environ["TEXTUAL_ANIMATIONS"] = "none"
        for name, keys in SHOTS.items():
            asyncio.run(shoot(name, keys))
            print(f"wrote {HERE / name}")


if __name__ == "__main__":
    main()
