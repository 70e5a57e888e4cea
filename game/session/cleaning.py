"""What a player types, made safe to store and show: names and debrief answers.

Control characters (terminal escapes, NUL, bells) and the bidirectional overrides that can make
text display reversed are removed before anything is stored, so no page, report or terminal ever
receives them. Lengths are capped; the caps are explicit and the caller says when one was hit.
"""

from __future__ import annotations

import re

#: A student's name is at most this many characters after cleaning.
MAX_NAME_CHARS = 80
#: A debrief answer is at most this many characters; longer ones are cut and the player told.
MAX_ANSWER_CHARS = 10_000

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates (U+202A-U+202E, U+2066-U+2069), which reorder text on screen.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Whole terminal escape sequences (CSI such as colours, OSC such as window titles), removed first
# so that no "[31m" is left behind when the escape character itself goes.
_ESCAPE_SEQUENCE = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-_]")


def strip_unsafe(text: str) -> str:
    """`text` without control characters, terminal escapes or bidirectional overrides (tabs and
    newlines stay)."""
    return _UNSAFE.sub("", _ESCAPE_SEQUENCE.sub("", text))


def clean_name(name: str | None) -> str | None:
    """A name on one line, spaces collapsed, at most MAX_NAME_CHARS; None for no name.

    Args:
        name: what the player typed, or None.

    Returns:
        The cleaned name, or None when nothing printable is left.
    """
    cleaned = " ".join(strip_unsafe(name or "").split())[:MAX_NAME_CHARS]
    return cleaned or None


def clean_answer(text: str) -> tuple[str, bool]:
    """An answer without unsafe characters and trimmed, cut to MAX_ANSWER_CHARS.

    Returns:
        The answer to store, and whether it had to be cut.
    """
    cleaned = strip_unsafe(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return cleaned[:MAX_ANSWER_CHARS], len(cleaned) > MAX_ANSWER_CHARS
