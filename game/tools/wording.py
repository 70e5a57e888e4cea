"""Small pieces of wording the tool reports share: counted nouns, and paths written out."""

from __future__ import annotations

from collections.abc import Sequence

from game.tools.playtest_report import PathStep


def plural(count: int, noun: str) -> str:
    """`1 trap`, `2 traps`, `1,200 states`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def path_text(steps: Sequence[PathStep]) -> str:
    """A path from a JSON report as choice ids, a random choice with the outcome it needs:
    `fly, gate (outcome 1 of 2 -> refused)`."""
    if not steps:
        return "(the start)"
    return ", ".join(step["choice"] if step["outcome"] is None
                     else f"{step['choice']} (outcome {step['outcome']} of {step['outcomes']} -> {step['to']})"
                     for step in steps)
