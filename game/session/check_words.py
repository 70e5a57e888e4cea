"""What every front end says around the knowledge check, in the same words: the headings and the
few lines before each check, and the line that sums up a student's own change.

The front ends (the plain player, the Textual app, the web edition) only lay these out; the
figures come from `PlaySession.own_change`.
"""

from __future__ import annotations

from game.engine.runtime.knowledge import CHANGE_WORDS, DONT_KNOW, OwnChange, Phase, right_count

#: The heading of each check.
HEADINGS: dict[Phase, str] = {
    "before": "Before you play: a short check",
    "after": "After the debrief: the same check again",
}

#: The heading of the student's own change, shown after the second check.
CHANGE_HEADING = "What changed for you"


def check_intro(phase: Phase, items: int) -> str:
    """The lines before a check of `items` questions."""
    if phase == "before":
        return (f"{items} questions about what you know now, before the story. It is not a test: nobody sees a "
                f"score, you included, until the end. If you are not sure, choose \u201c{DONT_KNOW}\u201d.")
    return (f"The same {items} questions. Answer with what you know now; then you will see what changed, "
            "question by question.")


def change_summary(changes: tuple[OwnChange, ...]) -> str:
    """'Before you played: 2 of 7 right. Now: 5 of 7 right.'"""
    total = len(changes)
    return (f"Before you played: {right_count(changes, 'before')} of {total} right. "
            f"Now: {right_count(changes, 'after')} of {total} right.")


def change_words(change: OwnChange) -> str:
    """How one item's change is said: 'New: right now, not before'."""
    return CHANGE_WORDS[change.change]


__all__ = ["CHANGE_HEADING", "DONT_KNOW", "HEADINGS", "change_summary", "change_words", "check_intro"]
