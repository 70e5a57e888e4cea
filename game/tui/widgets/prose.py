"""Prose: Markdown from authors shown in plain widgets, quickly, with no markup read.

Textual's own `Markdown` widget builds a deep tree of widgets for every update, which made a
choice take tens of milliseconds and a long debrief more than a second. Scene text and debriefs
need only paragraphs, headings, lists, quotes, emphasis and links. `SceneText` shows a scene
as one `PartText`; `Prose` shows a long text as one `Static` per heading or run of paragraphs, list
items or quotes (reused between updates when the kinds match). Either way the `Content` is built
from markdown-it's tokens: author text is never parsed as Textual markup. Links whose address
starts with `glossary:` run `app.glossary(term)` when clicked.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from game.tui.authored import term_from_link
from game.tui.widgets.part_text import PartText


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # p | h1 | h2 | h3 | li (an item) | lic (its next paragraphs) | quote | code | hr
    content: Content


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


def parse_blocks(markdown: str) -> list[Block]:
    """The blocks of a Markdown text, each with its inline content styled."""
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
                blocks.append(Block("li", Content.assemble(marker, content)))
            elif context:
                blocks.append(Block("lic", Content.assemble("  ", content)))  # a list item's next paragraph
            else:
                blocks.append(Block("p", content))
    return blocks


def flat_content(blocks: list[Block]) -> Content:
    """Blocks as one Content: paragraphs apart, items indented (for short texts such as scenes)."""
    pieces: list[Content] = []
    for block in blocks:
        if block.kind in ("li", "lic"):
            pieces.append(Content.assemble("  ", block.content))
        elif block.kind == "quote":
            pieces.append(Content.assemble(("\u258c ", "$accent"), block.content))
        elif block.kind in ("h1", "h2", "h3"):
            pieces.append(block.content.stylize("bold"))
        else:
            pieces.append(block.content)
    return Content("\n\n").join(pieces)


class SceneText(PartText):
    """A scene as one widget: its title, basis line, Markdown text and the "Choose:" label.

    One widget to lay out and redraw on every choice; four separate ones cost more than their
    text (each adds a layout box and cuts every screen line it spans)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.source = ""

    def show_scene(self, title: str, basis: Content, markdown: str) -> None:
        self.title, self.source = title, markdown
        blank = ("blank", Content(""))
        self.show([
            blank,  # a line of air above the title
            (("title", title), Content.styled(title, "bold $accent")),
            (("basis", basis.plain), basis),
            blank,
            (("text", markdown), flat_content(parse_blocks(markdown))),
            blank,
            ("choose", Content.styled("Choose:", "bold")),
        ])


# Runs of these kinds share one Static, parts joined by this separator (the blank line that
# each block's margin would give, none between the paragraphs of one quote).
MERGED_KINDS = {"p": "\n\n", "li": "\n\n", "quote": "\n"}


def merged_blocks(blocks: list[Block]) -> list[Block]:
    """Consecutive paragraphs, list items (with their next paragraphs) and quotes as one block
    each: a debrief of 70 blocks becomes about 25 widgets, a third of the time and memory."""
    merged: list[Block] = []
    for block in blocks:
        kind = "li" if block.kind == "lic" else block.kind
        if merged and kind in MERGED_KINDS and merged[-1].kind == kind:
            merged[-1] = Block(kind, Content(MERGED_KINDS[kind]).join([merged[-1].content, block.content]))
        else:
            merged.append(Block(kind, block.content))
    return merged


class Prose(Vertical):
    """A long Markdown text as a column of `Static` blocks, so quotes and lists indent properly
    (the debrief); `update(markdown)` redraws it."""

    DEFAULT_CSS = """
    Prose { height: auto; }
    Prose > Static { margin-bottom: 1; }
    Prose > .md-h1 { text-style: bold; color: $accent; text-align: center; }
    Prose > .md-h2 { text-style: bold underline; color: $accent; margin: 1 0 1 0; }
    Prose > .md-h3 { text-style: bold; margin: 1 0 1 0; }
    Prose > .md-li { margin: 0 0 1 2; }
    Prose > .md-quote { border-left: outer $accent; padding-left: 1; margin: 0 0 0 4; color: $text; }
    Prose > .md-code { background: $boost; padding: 0 1; }
    Prose > .md-hr { border-top: solid $foreground 30%; height: 1; }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.source = markdown

    def on_mount(self) -> None:
        if self.source:
            self.update(self.source)

    def update(self, markdown: str) -> None:
        self.source = markdown
        blocks = merged_blocks(parse_blocks(markdown))
        existing = list(self.query_children(Static))
        for block, widget in zip(blocks, existing):
            kind = f"md-{block.kind}"
            if not widget.has_class(kind):  # changing classes re-applies CSS: only when needed
                widget.set_classes(kind)
            widget.update(block.content)
        for widget in existing[len(blocks):]:
            widget.remove()
        extra = [Static(block.content, classes=f"md-{block.kind}") for block in blocks[len(existing):]]
        if extra:
            self.mount_all(extra)
