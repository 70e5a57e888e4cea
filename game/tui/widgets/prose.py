"""Prose: Markdown from authors shown in plain widgets, quickly, with no markup read.

Textual's own `Markdown` widget builds a deep tree of widgets for every update, which made a
choice take tens of milliseconds and a long debrief more than a second. Scene text and debriefs
need only paragraphs, headings, lists, quotes, emphasis and links. `SceneText` (a scene, with its
title and basis) and `Prose` (a debrief) are each one `PartText`, a part per block, laid out by
`prose_parts`. The `Content` is built from markdown-it's tokens: author text is never parsed as
Textual markup. Links whose address starts with `glossary:` run `app.glossary(term)` when clicked.

Most author text is paragraphs with *emphasis*, **strong** words and glossary links, and for that
`simple_blocks` gives markdown-it's result without importing it (a quarter of the time to the
first scene); anything else, or anything it is not sure of, goes to markdown-it. A test checks
both agree on every text of the shipped stories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from textual.content import Content

from game.tui.authored import term_from_link
from game.tui.widgets.part_text import BLANK, Part, PartText


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # p | h1 | h2 | h3 | li (an item) | lic (its next paragraphs) | quote | code | hr
    content: Content
    marker: str = ""  # a list item's "• " or "3. "


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt  # imported on first use: the title screen does not need it

    return MarkdownIt("commonmark")


def _inline(children: list[Any]) -> Content:
    parts: list[tuple[str, str] | str] = []
    styles: list[str] = []
    for token in children:
        kind = token.type
        if kind == "text":
            parts.append((token.content, " ".join(styles)) if styles else token.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "code_inline":
            parts.append((token.content, "bold"))
        elif kind in ("em_open", "strong_open"):
            styles.append("italic" if kind == "em_open" else "bold")
        elif kind in ("em_close", "strong_close") and styles:
            styles.pop()
        elif kind == "link_open":
            term = term_from_link(str(token.attrs.get("href", "")))
            if term is not None:
                # The term is passed as a repr()'d string literal: quotes in it cannot end the action.
                styles.append(f"underline $accent @click=app.glossary({term!r})")
            else:
                styles.append("underline")
        elif kind == "link_close" and styles:
            styles.pop()
        elif kind == "image":
            parts.append(f"[image: {token.content}]")
    return Content.assemble(*parts)


# Anything that would make a block other than a paragraph, or inline markup other than emphasis,
# strong and links, or a line break: left to markdown-it.
_NOT_SIMPLE = re.compile(
    r"^ {0,3}(?:[-+*>#]|\d+[.)]|```|~~~|={2,}|-{2,}|_{3,})|^ {4}|\t|[<>`\\&_~|!]|\[\]|  $|\*{3}", re.MULTILINE)
_INLINE = re.compile(
    r"\[(?P<label>[^\[\]*\n]+)\]\((?P<href>[A-Za-z0-9:%._~/#?=+-]+)\)"
    r"|(?<![^\s\W])\*\*(?=[^\s*])(?P<strong>[^*\[\]]+?)(?<=[^\s*])\*\*(?![^\s\W])"
    r"|(?<![^\s\W])\*(?=[^\s*])(?P<em>[^*\[\]]+?)(?<=[^\s*])\*(?![^\s\W])")


def _simple_inline(text: str) -> Content | None:
    """Inline Markdown (emphasis, strong, links) of one paragraph whose lines are joined by "\n":
    as markdown-it, a line break is a plain space, and a styled run is styled on each side of it."""
    parts: list[tuple[str, str] | str] = []

    def add(run: str, style: str = "") -> None:
        for number, line in enumerate(run.split("\n")):
            if number:
                parts.append(" ")
            if line:
                parts.append((line, style) if style else line)

    position = 0
    for match in _INLINE.finditer(text):
        between = text[position:match.start()]
        if any(mark in between for mark in "*[]"):
            return None  # a mark this does not pair up: let markdown-it decide
        add(between)
        if match.group("label") is not None:
            term = term_from_link(match.group("href"))
            add(match.group("label"), f"underline $accent @click=app.glossary({term!r})" if term is not None
                else "underline")
        elif match.group("strong") is not None:
            add(match.group("strong"), "bold")
        else:
            add(match.group("em"), "italic")
        position = match.end()
    rest = text[position:]
    if any(mark in rest for mark in "*[]"):
        return None
    add(rest)
    return Content.assemble(*parts)


def simple_blocks(markdown: str) -> list[Block] | None:
    """The paragraphs of plain prose with emphasis and links, as markdown-it would give them; None
    when the text has anything more (lists, quotes, code, HTML, escapes, line breaks...)."""
    if _NOT_SIMPLE.search(markdown):
        return None
    blocks = []
    for paragraph in re.split(r"\n\s*\n", markdown.strip()):
        if not paragraph.strip():
            continue
        content = _simple_inline("\n".join(line.strip() for line in paragraph.strip().split("\n")))
        if content is None:
            return None
        blocks.append(Block("p", content))
    return blocks


def parse_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown text, each with its inline content styled."""
    simple = simple_blocks(markdown)
    if simple is not None:
        return simple
    return markdown_blocks(markdown)


def markdown_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown text, as markdown-it parses it."""
    blocks: list[Block] = []
    tokens = _parser().parse(markdown)
    context: list[str] = []  # open containers: bullet, ordered, quote
    numbers: list[int] = []
    pending_heading = ""
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "bullet_list_open":
            context.append("bullet")
            numbers.append(0)
        elif kind == "ordered_list_open":
            context.append("ordered")
            numbers.append(int(token.attrs.get("start", 1) or 1) - 1)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            context.pop()
            numbers.pop()
        elif kind == "list_item_open" and numbers:
            numbers[-1] += 1
        elif kind == "blockquote_open":
            context.append("quote")
        elif kind == "blockquote_close":
            context.pop()
        elif kind == "heading_open":
            pending_heading = token.tag
        elif kind == "hr":
            blocks.append(Block("hr", Content("")))
        elif kind in ("fence", "code_block"):
            blocks.append(Block("code", Content(token.content.rstrip("\n"))))
        elif kind == "inline":
            content = _inline(token.children or [])
            if pending_heading:
                blocks.append(Block(pending_heading if pending_heading in ("h1", "h2") else "h3", content))
                pending_heading = ""
            elif "quote" in context:
                blocks.append(Block("quote", content))
            elif context and tokens[index - 2].type == "list_item_open":
                marker = "\u2022 " if context[-1] == "bullet" else f"{numbers[-1]}. "
                blocks.append(Block("li", content, marker))
            elif context:
                blocks.append(Block("lic", content))  # a list item's next paragraph
            else:
                blocks.append(Block("p", content))
    return blocks


QUOTE_BAR = Content.assemble("    ", ("\u258c ", "$accent"))
CODE_BAR = Content.assemble("  ", ("\u2502 ", "$foreground-muted"))
HEADING_STYLES = {"h1": "bold $accent", "h2": "bold underline $accent", "h3": "bold"}


def prose_parts(blocks: list[Block]) -> list[Part]:
    """Blocks as `PartText` parts: a blank line between blocks (none after a quote, so a source
    line stays under its quote), items with their marker and a hanging indent, quotes and code
    behind a bar, headings styled (the first-level one centred)."""
    parts: list[Part] = []
    item_indent = 4  # where a list item's text starts: its next paragraphs line up with it
    for index, block in enumerate(blocks):
        if index and blocks[index - 1].kind != "quote":
            parts.append(BLANK)
        name = (block.kind, block.marker, item_indent, block.content.markup)
        kind, content = block.kind, block.content
        if kind in HEADING_STYLES:
            parts.append(Part(name, content.stylize(HEADING_STYLES[kind]), center=kind == "h1"))
        elif kind == "li":
            item_indent = 2 + len(block.marker)
            parts.append(Part(name, content, first=Content("  " + block.marker), rest=Content(" " * item_indent)))
        elif kind == "lic":
            parts.append(Part(name, content, first=Content(" " * item_indent), rest=Content(" " * item_indent)))
        elif kind == "quote":
            parts.append(Part(name, content, first=QUOTE_BAR, rest=QUOTE_BAR))
        elif kind == "code":
            parts.append(Part(name, content, first=CODE_BAR, rest=CODE_BAR))
        elif kind == "hr":
            parts.append(Part(name, Content.styled("\u2500", "$foreground-muted"), rule=True))
        else:
            parts.append(Part(name, content))
    return parts


def markdown_parts(markdown: str) -> list[Part]:
    """Author Markdown as `PartText` parts."""
    return prose_parts(parse_blocks(markdown))


class SceneText(PartText):
    """A scene as one widget: its title, basis line and Markdown text (the choices are below it).

    One widget to lay out and redraw on every choice; four separate ones cost more than their
    text (each adds a layout box and cuts every screen line it spans)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.source = ""

    def show_scene(self, title: str, basis: Content, markdown: str) -> None:
        self.title, self.source = title, markdown
        self.show([
            BLANK,  # a line of air above the title
            Part(("title", title), Content.styled(title, "bold $accent")),
            Part(("basis", basis.markup), basis),
            BLANK,
            *markdown_parts(markdown),
            BLANK,
        ])


class Prose(PartText):
    """A long Markdown text as one widget (the debrief); `update(markdown)` redraws it."""

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = markdown

    def on_mount(self) -> None:
        if self.source:
            self.update(self.source)

    def update(self, markdown: str) -> None:
        self.source = markdown
        self.show(markdown_parts(markdown))
