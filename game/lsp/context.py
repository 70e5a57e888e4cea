"""What the cursor is on, read from the lines around it, so it works while the YAML is broken.

A file being typed is often not valid YAML (`    go` with no colon yet), so completion cannot
rely on the parsed tree. Indentation is enough: walking up from the cursor's line, each less
indented line is an ancestor, which gives the path of keys (`scenes`, `newsroom`, `choices`, `-`
for a list item) of the mapping the cursor is in. On the cursor's own line, the text before it
says whether a key is being typed or the value of which key (flow mappings `{goto: x}` included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"^(?P<indent> *)(?P<item>-(?: +|$))?(?P<rest>.*)$")
_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s|$)(?P<value>.*)$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")
# A key inside the line: at its start, after a list dash, or after `{` or `,` in a flow mapping.
_INLINE_KEY = re.compile(r"(?:^\s*(?:-\s+)?|[{,]\s*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?:\s+|$)")
_WORD_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"


@dataclass(frozen=True, slots=True)
class Cursor:
    """The cursor's place in the document's structure.

    `path` holds the keys of the enclosing mappings from the top, with `-` for a list item: a
    choice's keys are under ('scenes', 'newsroom', 'choices', '-'). `key` is the key whose value
    the cursor is in on this line, or None when the cursor is where a key (or a list item) goes.
    `value` is that value's text up to the cursor. `word_start` and `word_end` bound the id-like
    word under the cursor, the part a completion replaces.
    """

    path: tuple[str, ...]
    key: str | None
    value: str
    word_start: int
    word_end: int
    in_block_text: bool = False
    item: bool = False  # the cursor's line is a list item (`- ...`)
    siblings: frozenset[str] = frozenset()  # keys already present in the cursor's mapping
    colon_follows: bool = False  # the word under the cursor is already followed by `:`
    line_key: str | None = None  # the line's own key, when its value is a flow mapping with keys of its own
    line_value: str = ""  # that key's value up to the cursor


def _split(line: str) -> tuple[int, int | None, str]:
    """(content indent, list-item indent or None, text after the indentation and dash)."""
    match = _LINE.match(line)
    assert match is not None  # the pattern matches every line
    indent = len(match.group("indent"))
    if match.group("item"):
        return indent + len(match.group("item")), indent, match.group("rest")
    return indent, None, match.group("rest")


def _meaningful(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def cursor_at(lines: list[str], line: int, column: int) -> Cursor:
    """Where the cursor at (line, column), 0-based, in characters, is in the document."""
    text = lines[line] if line < len(lines) else ""
    before = text[:column]
    start = column - len(before) + len(before.rstrip(_WORD_CHARACTERS))
    end = column + len(text[column:]) - len(text[column:].lstrip(_WORD_CHARACTERS))
    colon_follows = text[end:].lstrip().startswith(":")
    if before.strip():
        content, item_indent, _ = _split(text)
    else:  # a blank line (so far): the cursor's column says where the key goes
        content, item_indent = column, None
    path, in_block, siblings = _ancestors(lines, line, content, item_indent)
    key, value = None, ""
    line_key, line_value = None, ""
    for match in _INLINE_KEY.finditer(before):
        key, value = match.group("key"), before[match.end():]
        if line_key is None:
            line_key, line_value = key, value
    if key is None and item_indent is not None and before.strip() not in ("", "-"):
        value = before[before.index("-") + 1:].lstrip()
    return Cursor(tuple(path), key, value, start, end, in_block, item_indent is not None,
                  frozenset(siblings), colon_follows, line_key, line_value)


def _ancestors(lines: list[str], line: int, content: int, item_indent: int | None) -> tuple[list[str], bool, set[str]]:
    """The path of keys above a line whose content starts at column `content`; whether that line
    is inside a block scalar (`text: |`); and the keys beside it in its own mapping."""
    path: list[str] = []
    siblings: set[str] = set()
    limit = content
    same_mapping = True  # still among the cursor's siblings (before meeting the mapping's parent)
    if item_indent is not None:
        path.append("-")
        limit = item_indent
        same_mapping = False
    for row in range(line - 1, -1, -1):
        if not _meaningful(lines[row]):
            continue
        row_content, row_item, row_rest = _split(lines[row])
        key_match = _KEY.match(row_rest)
        if row_content < limit and key_match:
            if _BLOCK_SCALAR.match(key_match.group("value").strip()):
                return [], True, set()  # everything more indented than `text: |` is its text
            path.append(key_match.group("key"))
            if row_item is not None:
                path.append("-")
                limit = row_item
            else:
                limit = row_content
            same_mapping = False
        elif row_item is not None and row_item < limit:
            if same_mapping and key_match and row_content == content:
                siblings.add(key_match.group("key"))
            path.append("-")
            limit = row_item
            same_mapping = False
        elif same_mapping and row_content == content and key_match:
            siblings.add(key_match.group("key"))
        if limit == 0 and not same_mapping:  # reached the top level
            break
    path.reverse()
    return path, False, siblings | _siblings_below(lines, line, content)


def _siblings_below(lines: list[str], line: int, content: int) -> set[str]:
    """The keys of the cursor's mapping written below its line."""
    found: set[str] = set()
    for row in range(line + 1, len(lines)):
        if not _meaningful(lines[row]):
            continue
        row_content, row_item, row_rest = _split(lines[row])
        if row_content < content or (row_item is not None and row_item < content):
            break
        key_match = _KEY.match(row_rest)
        if row_content == content and key_match:
            found.add(key_match.group("key"))
    return found
