"""`longarm list`: the shipped scenarios with title, roles, minutes and number of scenes."""

from __future__ import annotations

from typing import TextIO

from game.engine.loader import catalog


def run_list(out: TextIO) -> int:
    entries = catalog.shipped()
    if not entries:
        out.write("No scenarios are installed.\n")
        return 1
    for entry in entries:
        scenario = entry.result.scenario
        if scenario is None:
            out.write(f"{entry.path.stem}\n    has errors: run `longarm validate {entry.path}`\n")
            continue
        roles = ", ".join(role.id for role in scenario.roles.values())
        out.write(f"{scenario.id}\n    {scenario.title}. Roles: {roles}. About {scenario.minutes} minutes, "
                  f"{len(scenario.scenes)} scenes, {len(scenario.endings)} endings.\n")
    return 0
