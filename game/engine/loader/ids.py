"""The id rule and the name rule, stated once: the validator, `longarm new` and the schema share them.

An **id** names a scenario, source, role, fact, scene, ending or choice: lower-case letters and
digits with single hyphens between them (`klia-detention`). A **name** is a stat or a flag, read
by conditions: a letter, then letters, digits and underscores (`has_footage`). Keeping `-` for
ids and `_` for names means a reader can tell them apart at a glance in `if: visited(klia-hall)
and has_footage`.
"""

from __future__ import annotations

import re

from game.engine.diagnostics import is_hidden
from game.engine.runtime.model import ID_PATTERN

#: An id: lower-case letters and digits, with single hyphens between them. The model keeps the
#: pattern (the classroom reads it too); `is_id` matches it in full.
ID = ID_PATTERN
#: The id rule in words, for messages that are not diagnostics (`longarm new`).
ID_RULE = "lower-case letters a-z and digits, with single hyphens between them, e.g. night-bus"

#: A stat or flag name. (`$` rather than `\Z` so that the JSON Schema can state the same pattern.)
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Words of the condition language, which no stat or flag may be called.
RESERVED_NAMES = frozenset({"and", "or", "not", "true", "false", "role", "visited", "known"})


def is_id(text: str) -> bool:
    return ID.fullmatch(text) is not None


def is_name(text: str) -> bool:
    return NAME.fullmatch(text) is not None


def first_hidden(text: str) -> str | None:
    """The first character of `text` a reader cannot see (a zero-width space...), or None."""
    return next((char for char in text if is_hidden(char)), None)


def without_hidden(text: str) -> str:
    return "".join(char for char in text if not is_hidden(char))
