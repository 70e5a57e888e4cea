"""Author Markdown (scene text, endings, debrief summaries) as safe HTML for the pages.

Scenario text is data: raw HTML in it is shown as text, images are not drawn (a page loads nothing
from outside the server), links keep only the addresses markdown-it allows (no `javascript:`) and
say nothing of the page they came from, and headings start below the page's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

#: The page's title is the only h1; the author's own headings start at h2.
HEADING_SHIFT = 1


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).disable("image")
    # Render rules are called as methods of the renderer: `renderer` is its `self`.

    def heading(renderer: Any, tokens: Sequence[Any], index: int, options: Any, env: Any) -> str:
        token = tokens[index]
        level = min(6, int(token.tag[1]) + HEADING_SHIFT)
        return f"<h{level}>" if token.nesting == 1 else f"</h{level}>\n"

    def link_open(renderer: Any, tokens: Sequence[Any], index: int, options: Any, env: Any) -> str:
        tokens[index].attrSet("rel", "noreferrer noopener")
        return str(renderer.renderToken(tokens, index, options, env))

    parser.add_render_rule("heading_open", heading)
    parser.add_render_rule("heading_close", heading)
    parser.add_render_rule("link_open", link_open)
    return parser


@lru_cache(maxsize=2048)
def to_html(text: str) -> Markup:
    """Markdown from a scenario as HTML that is safe to put in a page."""
    return Markup(_parser().render(text))


def terms_in(text: str, glossary: Mapping[str, str]) -> list[tuple[str, str]]:
    """The glossary terms `text` mentions (as whole words), in glossary order, with their meaning."""
    return [(term, meaning) for term, meaning in glossary.items()
            if term.strip() and re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text)]
