"""Golden transcripts: replay a recorded game and compare its plain-mode text with the recording.

A recording is a save (scenario, role, seed, choice ids, content hash) with one more key,
`transcript`: the plain player's text when it was recorded (`longarm play --plain --record FILE`).
`longarm playtest SCENARIO --replay FILE` plays the same choices again and shows a diff of what
changed, so an edit to a story cannot change a tested playthrough unnoticed.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TextIO

from game.engine.runtime.model import Scenario
from game.engine.runtime.saves import SaveData, SaveError, read_save_json
from game.plain import transcript
from game.tools.loading import USAGE, load_named

SAME, DIFFERENT = 0, 1


def replay_diff(scenario: Scenario, recording: Path) -> tuple[str, str]:
    """(recorded text, text now) for a recording; SaveError when it cannot be replayed here."""
    data = read_save_json(recording)
    save = SaveData.from_json(data)
    recorded = data.get("transcript")
    if not isinstance(recorded, str):
        raise SaveError(f"{recording.name} is a save, not a recording: it has no transcript")
    if save.scenario != scenario.id:
        raise SaveError(f"{recording.name} is a recording of '{save.scenario}', not '{scenario.id}'")
    if save.role not in scenario.roles:
        raise SaveError(f"'{scenario.id}' no longer has the role '{save.role}'")
    return recorded, transcript(scenario, save.role, save.seed, save.choices)


def run_replay(name: str, recording: Path, out: TextIO, err: TextIO) -> int:
    """0 when the text is unchanged, 1 with a unified diff when it changed, 2 when it cannot run."""
    scenario = load_named(name, "playtest", err)
    if isinstance(scenario, int):
        return scenario
    try:
        recorded, now = replay_diff(scenario, recording)
    except SaveError as error:
        err.write(f"longarm playtest: {error}\n")
        return USAGE
    if recorded == now:
        out.write(f"{recording}: the replay matches the recording ({len(now.splitlines())} lines).\n")
        return SAME
    out.writelines(difflib.unified_diff(recorded.splitlines(keepends=True), now.splitlines(keepends=True),
                                        fromfile=f"{recording} (recorded)", tofile=f"{scenario.id} (now)"))
    out.write(f"\n{recording}: the replay differs from the recording.\n")
    return DIFFERENT
