"""Completion: the ids that fit where the cursor is, and the keys a mapping may still take.

The ids come from the document's index (the last one built from valid YAML, so they survive a
half-typed line, and hold what its shared files define); the place comes from `context.cursor_at`.
Each item replaces the whole id-like word under the cursor, so ids with `-` complete in every
client. Conditions complete wherever they are written: `if:` of a choice or an outcome, and after
`{if` or `| if` in text, `|` blocks included; a `{` in text offers the stats and flags to show.
"""

from __future__ import annotations

import re

from lsprotocol import types

from game.engine.loader.build import (CHOICE_KEYS, DEBRIEF_KEYS, ENDING_KEYS, FACT_KEYS, OUTCOME_KEYS,
                                      ROLE_KEYS, SCENE_KEYS, SOURCE_KEYS, STAT_KEYS, TOP_KEYS)
from game.engine.loader.shared import SHARED_KEYS
from game.lsp.context import Cursor, cursor_at
from game.lsp.index import Definition, ScenarioIndex
from game.lsp.positions import Positions

_ITEM_KIND = {
    "scene": types.CompletionItemKind.Module, "ending": types.CompletionItemKind.Event,
    "fact": types.CompletionItemKind.Constant, "source": types.CompletionItemKind.File,
    "stat": types.CompletionItemKind.Variable, "flag": types.CompletionItemKind.Variable,
    "role": types.CompletionItemKind.Class,
}
_FACT_LISTS = {"reveals", "facts", "governments"}
_CONDITION_WORDS = ("and", "or", "not", "true", "false")
_FLOW_ITEM = re.compile(r"(?:^\[|,)\s*[A-Za-z0-9_-]*$")
_ID_SO_FAR = re.compile(r"[A-Za-z0-9_-]*")
#: A condition being written in text: after `{if` or `| if`, before its `:`.
_TEXT_CONDITION = re.compile(r"(?:\{|\|)\s*if\s+(?P<condition>[^:{}|]*)$")
#: A placeholder being written in text: `{` and the start of a name.
_TEXT_PLACEHOLDER = re.compile(r"(?<!\{)\{\s*[A-Za-z_]*$")
#: An effect's amount being written: `trust = trust + ex`.
_AMOUNT = re.compile(r"(?:^|[\[,])\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:\+=|-=|=)[^,\]]*$")
_TEXT_KEYS = {"text", "locked"}


def keys_for(path: tuple[str, ...]) -> dict[str, bool] | None:
    """The keys (True: required) of the mapping at a path, or None when ids go there instead."""
    shape = tuple("*" if i == 1 else part for i, part in enumerate(path))  # any id under a section
    return {
        (): TOP_KEYS, ("sources", "*"): SOURCE_KEYS, ("stats", "*"): STAT_KEYS, ("roles", "*"): ROLE_KEYS,
        ("facts", "*"): FACT_KEYS, ("scenes", "*"): SCENE_KEYS, ("scenes", "*", "choices", "-"): CHOICE_KEYS,
        ("scenes", "*", "choices", "-", "outcomes", "-"): OUTCOME_KEYS, ("endings", "*"): ENDING_KEYS,
        ("endings", "*", "debrief"): DEBRIEF_KEYS,
    }.get(shape)


def complete(index: ScenarioIndex | None, positions: Positions, line: int, column: int) -> list[types.CompletionItem]:
    """The completions at (line, column), in characters."""
    cursor = cursor_at(positions.lines, line, column)
    edit = _Edit(positions, line, cursor)
    if cursor.in_block_text:
        return [] if index is None else _in_text(positions.line(line)[:column], edit, index)
    if cursor.key is None:  # a key goes here, or an item of a list
        parent = cursor.path[-2] if cursor.item and len(cursor.path) >= 2 else ""
        if parent == "do" and index is not None and _AMOUNT.search(cursor.value):  # `- trust = trust + ex`
            return edit.ids(index.of_kind("stat"))
        if parent in _FACT_LISTS or parent == "do":  # `- ` under `reveals:` or `do:`
            if index is None or not _ID_SO_FAR.fullmatch(cursor.value):
                return []
            return edit.ids(index.of_kind("stat", "flag") if parent == "do" else index.of_kind("fact"))
        return _keys(cursor, edit, index)
    if index is None:
        return []
    key, value = cursor.key, cursor.value
    if key in _TEXT_KEYS:
        return _in_text(value, edit, index)
    if key == "weight":
        return edit.ids(index.of_kind("stat"))
    if key == "do" and _AMOUNT.search(value):
        return edit.ids(index.of_kind("stat"))
    if key == "goto" or (key == "start" and cursor.path[:1] == ("roles",)):
        return edit.ids(index.of_kind("scene", "ending"))
    if key == "source" and cursor.path[:1] == ("facts",):
        return edit.ids(index.of_kind("source"))
    if key in _FACT_LISTS and _FLOW_ITEM.search(value):
        return edit.ids(index.of_kind("fact"))
    if key == "do" and _FLOW_ITEM.search(value):
        return edit.ids(index.of_kind("stat", "flag"))
    if key == "if":
        return _condition(value, edit, index)
    flow = cursor.line_value
    if cursor.line_key == "stats" and cursor.path[:1] == ("roles",) and re.search(r"[{,]\s*[A-Za-z0-9_]*$", flow):
        return [edit.item(d.id, _ITEM_KIND["stat"], d.details.get("label", ""), key=True)  # {safety: 4, st
                for d in index.of_kind("stat") if not re.search(rf"[{{,]\s*{d.id}\s*:", flow)]
    return []


def _keys(cursor: Cursor, edit: _Edit, index: ScenarioIndex | None) -> list[types.CompletionItem]:
    """Keys not yet in the mapping at the cursor; a role's `stats:` takes stat names as keys."""
    if cursor.path[:1] == ("roles",) and cursor.path[2:] == ("stats",) and len(cursor.path) == 3 and index:
        return [edit.item(d.id, _ITEM_KIND["stat"], d.details.get("label", ""), key=True)
                for d in index.of_kind("stat") if d.id not in cursor.siblings]
    spec = keys_for(cursor.path)
    if cursor.path == () and ((index is not None and index.shared) or "shared" in cursor.siblings):
        spec = SHARED_KEYS
    if spec is None:
        return []
    return [edit.item(name, types.CompletionItemKind.Property, "required" if required else "optional", key=True,
                      sort=f"{0 if required else 1}{position:02d}")
            for position, (name, required) in enumerate(spec.items()) if name not in cursor.siblings]


def _condition(value: str, edit: _Edit, index: ScenarioIndex) -> list[types.CompletionItem]:
    """In an `if:` condition: place ids in `visited(`, fact ids in `known(`, quoted role ids
    after `role ==`, and otherwise stat and flag names, the functions and the words."""
    if re.search(r"visit(?:ed|s)\(\s*[A-Za-z0-9_-]*$", value):
        return edit.ids(index.of_kind("scene", "ending"))
    if re.search(r"known\(\s*[A-Za-z0-9_-]*$", value):
        return edit.ids(index.of_kind("fact"))
    if re.search(r"role\s*(==|!=)\s*[\"']?[A-Za-z0-9_-]*$", value):
        return edit.ids(index.of_kind("role"), quoted=True)
    items = edit.ids(index.of_kind("stat", "flag"))
    items.append(edit.item("role", types.CompletionItemKind.Keyword, "the role being played"))
    for function, what in (("visited", "a scene or ending id: the player has been there"),
                           ("visits", "a scene or ending id: how many times the player has arrived there"),
                           ("known", "a fact id: the fact is in the player's journal")):
        items.append(edit.item(function, types.CompletionItemKind.Function, what, insert=f"{function}("))
    items.extend(edit.item(word, types.CompletionItemKind.Keyword, "") for word in _CONDITION_WORDS)
    return items


def _in_text(before: str, edit: _Edit, index: ScenarioIndex) -> list[types.CompletionItem]:
    """In author text: a condition after `{if`, or the stats and flags a `{` can show."""
    condition = _TEXT_CONDITION.search(before)
    if condition is not None:
        return _condition(condition.group("condition"), edit, index)
    if _TEXT_PLACEHOLDER.search(before):
        items = edit.ids(index.of_kind("stat", "flag"))
        items.append(edit.item("if", types.CompletionItemKind.Keyword, "text shown when a condition holds",
                               insert="if "))
        return items
    return []


class _Edit:
    """Builds items that replace the word under the cursor."""

    def __init__(self, positions: Positions, line: int, cursor: Cursor) -> None:
        self.positions = positions
        self.line = line
        self.cursor = cursor
        text = positions.line(line)
        self.start, self.end = cursor.word_start, cursor.word_end
        self.after_colon = self.start > 0 and text[self.start - 1] == ":"
        self.quote = ""
        if self.start > 0 and text[self.start - 1] in "\"'":
            self.quote = text[self.start - 1]
            self.start -= 1
            if text[self.end:self.end + 1] == self.quote:
                self.end += 1

    def item(self, label: str, kind: types.CompletionItemKind, detail: str, *, insert: str | None = None,
             key: bool = False, sort: str | None = None, documentation: str | None = None) -> types.CompletionItem:
        text = insert if insert is not None else label
        if key and not self.cursor.colon_follows:
            text += ": "
        if self.after_colon:
            text = " " + text
        return types.CompletionItem(
            label=label, kind=kind, detail=detail or None, sort_text=sort, filter_text=self.quote + label,
            documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=documentation) if documentation else None,
            text_edit=types.TextEdit(range=self.positions.range(self.line, self.start, self.end), new_text=text),
        )

    def ids(self, definitions: list[Definition], quoted: bool = False) -> list[types.CompletionItem]:
        """One item per id, in the order of the file, with its title or text as detail."""
        items = []
        for position, definition in enumerate(definitions):
            details = definition.details
            title = details.get("title") or details.get("label") or details.get("text", "")
            detail = f"{definition.kind}: {title}" if title else definition.kind
            mark = self.quote or '"'
            insert = f"{mark}{definition.id}{mark}" if quoted else None
            items.append(self.item(definition.id, _ITEM_KIND[definition.kind], detail, insert=insert,
                                   sort=f"{position:04d}", documentation=details.get("text")))
        return items
