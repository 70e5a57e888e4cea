"""`{name}` interpolation in scene, ending and choice text: stats and flags, nothing else.

A placeholder is checked at load time against the scenario's stat and flag names, and filled by
plain dictionary look-up, so `{safety.__class__}` is a load error and can never be evaluated.
Write `{{` and `}}` for literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from difflib import get_close_matches

from game.engine.diagnostics import D
from game.engine.runtime.language import LanguageError

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def check_placeholders(text: str, stats: Collection[str], flags: Collection[str]) -> list[LanguageError]:
    """Every placeholder in `text` that does not name a stat or flag, with its offset."""
    errors: list[LanguageError] = []
    if "{" not in text and "}" not in text:
        return errors
    for match in _PLACEHOLDER.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            errors.append(LanguageError(D.UNMATCHED_BRACE, match.start(), 1, {"brace": token}))
            continue
        name = match.group(1).strip()
        if name in stats or name in flags:
            continue
        close = get_close_matches(name, [*stats, *flags], n=1)
        if close:
            suggestion = f"did you mean {{{close[0]}}}?"
        else:
            suggestion = "only stat and flag names can be shown: {safety}; write {{ or }} for a literal brace"
        errors.append(LanguageError(D.UNKNOWN_PLACEHOLDER, match.start(), len(token),
                                    {"placeholder": token, "suggestion": suggestion}))
    return errors


def render(text: str, stats: Mapping[str, int], flags: Collection[str], flag_names: Collection[str]) -> str:
    """Fill placeholders from the stats and flags; a flag shows as 'yes' or 'no'."""
    if "{" not in text and "}" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = (match.group(1) or "").strip()
        if name in stats:
            return str(stats[name])
        if name in flag_names:
            return "yes" if name in flags else "no"
        return token  # unreachable for a validated scenario; shown as written, never evaluated

    return _PLACEHOLDER.sub(fill, text)
