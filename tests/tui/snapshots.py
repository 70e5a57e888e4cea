"""A small snapshot helper: compare the app's `export_screenshot()` SVG with a stored one.

pytest-textual-snapshot needs pytest < 9; this does the one thing we need with none of that.
`LONGARM_UPDATE_SNAPSHOTS=1 python -m pytest tests/tui` rewrites the stored SVGs; review the
diff before committing. A mismatch writes the new SVG beside the test's temp folder and says where.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual.app import App

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def assert_snapshot(app: App[object], name: str, out_dir: Path) -> None:
    svg = app.export_screenshot(title="Long Arm")
    stored = SNAPSHOTS / f"{name}.svg"
    if os.environ.get("LONGARM_UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        stored.write_text(svg, encoding="utf-8")
        return
    assert stored.exists(), f"no stored snapshot {stored.name}: run with LONGARM_UPDATE_SNAPSHOTS=1 to create it"
    if stored.read_text(encoding="utf-8") != svg:
        actual = out_dir / f"{name}.actual.svg"
        actual.write_text(svg, encoding="utf-8")
        raise AssertionError(f"screen differs from {stored} (new screen written to {actual}); "
                             "if the change is intended, rerun with LONGARM_UPDATE_SNAPSHOTS=1")
