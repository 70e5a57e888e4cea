"""Whole-story checks on the scene graph, ignoring conditions: what no role reaches, and traps.

These are the static checks `validate` runs on every load. They over-approximate play (every
choice counts as available), so a scene they call unreachable is unreachable for certain, and a
scene they call a trap can never lead to an ending. The exhaustive playtest, which follows
conditions and stats, finds the traps that only some states fall into.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from game.engine.diagnostics import D, Diagnostic
from game.engine.runtime.model import Scenario


@dataclass(frozen=True, slots=True)
class GraphProblem:
    """A diagnostic about one scene or ending, with the values for its templates."""

    diagnostic: Diagnostic
    place: str  # the scene or ending it is about
    args: dict[str, object] = field(default_factory=dict)


def successors(scenario: Scenario) -> dict[str, set[str]]:
    """Every scene's possible next places, through any choice or outcome."""
    return {scene_id: {target for choice in scene.choices for target in choice.targets}
            for scene_id, scene in scenario.scenes.items()}


def reachable_from(starts: list[str], edges: dict[str, set[str]]) -> set[str]:
    seen = set(starts)
    queue = deque(starts)
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def check(scenario: Scenario) -> list[GraphProblem]:
    edges = successors(scenario)
    problems: list[GraphProblem] = []
    reached = reachable_from([role.start for role in scenario.roles.values()], edges)
    for place in [*scenario.scenes, *scenario.endings]:
        if place not in reached:
            kind = "scene" if place in scenario.scenes else "ending"
            problems.append(GraphProblem(D.UNREACHABLE, place, {"kind": kind, "place": place}))
    reverse: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            reverse.setdefault(target, set()).add(source)
    can_end = reachable_from(list(scenario.endings), reverse)
    for scene_id, scene in scenario.scenes.items():
        if scene_id not in can_end and scene.choices:
            problems.append(GraphProblem(D.TRAP, scene_id, {"scene": scene_id, "targets": ", ".join(sorted(edges[scene_id]))}))
    return problems
