"""Glossary links in author Markdown, and reading them back.

Text in scenarios comes from authors. Textual parses `str` as markup in many widgets, so every
label in the app is built with `Content(text)`, which shows square brackets and markup as written.
Scene text is Markdown, rendered by `widgets/prose.py` (`SceneText`, and `Prose` for debriefs,
which never read markup); glossary terms in it become `glossary:` links that open the glossary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


GLOSSARY_SCHEME = "glossary:"

# Existing links, images, autolinks and code spans are left alone when terms are linked.
_PROTECTED = re.compile(r"!?\[[^\]]*\]\([^)]*\)|<[^>\s]+>|`[^`]*`")


def link_glossary_terms(markdown: str, terms: Iterable[str]) -> str:
    """Turn the first mention of each glossary term into a `glossary:TERM` link."""
    ordered = sorted((t for t in terms if t.strip()), key=len, reverse=True)
    if not ordered:
        return markdown
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in ordered) + r")(?![\w-])")
    linked: set[str] = set()

    def link(match: re.Match[str]) -> str:
        term = match.group(1)
        if term in linked:
            return term
        linked.add(term)
        return f"[{term}]({GLOSSARY_SCHEME}{term.replace(' ', '%20')})"

    pieces: list[str] = []
    position = 0
    for protected in _PROTECTED.finditer(markdown):
        pieces.append(pattern.sub(link, markdown[position:protected.start()]))
        pieces.append(protected.group(0))
        position = protected.end()
    pieces.append(pattern.sub(link, markdown[position:]))
    return "".join(pieces)


def term_from_link(href: str) -> str | None:
    if not href.startswith(GLOSSARY_SCHEME):
        return None
    return href[len(GLOSSARY_SCHEME):].replace("%20", " ")
