"""Go to definition, find references, hover, and rename of scene and ending ids.

All four start from what the index finds under the cursor: a definition (the id's key) or a
reference (a `goto`, a `visited(...)`, a fact in `reveals` or a check item's `fact:`...). Hover
also answers on a check item's `answer:`, with the loader's verdict the index keeps. Rename changes a scene's or
an ending's id everywhere in the file: its key, every `goto` and role `start`, every
`visited(...)`, and each explicit choice `id:` that spells out the default (the choice's id
equal to the old id and its `goto` the renamed place). A choice without `id:` needs no edit: its
id is its `goto`, so it follows.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from game.engine.runtime.model import ID_PATTERN
from game.lsp.index import AnswerEntry, Definition, Reference, ScenarioIndex
from game.lsp.positions import Positions


class RenameRefused(Exception):
    """A rename that cannot be done, with the reason to show the author."""


def _target(index: ScenarioIndex, line: int, column: int) -> tuple[str, str, Definition | None] | None:
    """(namespace, id, definition or None) of the id under the cursor."""
    found = index.at(line, column)
    if isinstance(found, Definition):
        return found.namespace, found.id, found
    if isinstance(found, Reference):
        return found.namespace, found.id, index.lookup(found.namespace, found.id)
    return None


def definition(index: ScenarioIndex, positions: Positions, uri: str, line: int, column: int) -> types.Location | None:
    """Where the id under the cursor is defined: the line of its key."""
    target = _target(index, line, column)
    if target is None or target[2] is None:
        return None
    defined = target[2]
    if defined.file:  # in a shared file: its own lines, in characters (the client reads the file)
        span = defined.span
        return types.Location(uri=from_fs_path(defined.file) or Path(defined.file).as_uri(), range=types.Range(
            start=types.Position(line=span.line, character=span.start),
            end=types.Position(line=span.line, character=span.end)))
    return types.Location(uri=uri, range=positions.span(defined.span))


def references(index: ScenarioIndex, positions: Positions, uri: str, line: int, column: int,
               include_declaration: bool) -> list[types.Location]:
    """Every use of the id under the cursor, and its definition when asked."""
    target = _target(index, line, column)
    if target is None:
        return []
    namespace, ident, defined = target
    found = []
    if defined is not None and include_declaration:
        declared = definition(index, positions, uri, defined.span.line, defined.span.start) if not defined.file \
            else definition(index, positions, uri, line, column)
        found += [declared] if declared is not None else []
    return found + [types.Location(uri=uri, range=positions.span(r.span)) for r in index.references_to(namespace, ident)]


def hover(index: ScenarioIndex, positions: Positions, line: int, column: int) -> types.Hover | None:
    """A fact's text, quote and source; a source's details; a scene's, ending's, stat's, flag's or
    role's title or label; whether a check item's answer is one of its options."""
    answer = index.answer_at(line, column)
    if answer is not None:
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=answer_markdown(answer)),
                           range=positions.span(answer.span))
    found = index.at(line, column)
    target = _target(index, line, column)
    if found is None or target is None or target[2] is None:
        return None
    defined = target[2]
    if defined.kind == "fact":
        body = fact_markdown(index, defined)
    elif defined.kind == "source":
        body = f"**source `{defined.id}`**\n\n" + source_markdown(defined)
    else:
        details = defined.details
        title = details.get("title") or details.get("label") or ""
        extra = ""
        if defined.kind == "stat":
            extra = f" ({details.get('min', '?')} to {details.get('max', '?')}, starts at {details.get('start', '?')})"
        elif defined.kind in ("scene", "ending"):
            extra = f", {details['tone']}" if "tone" in details else (f", {details['basis']}" if "basis" in details else "")
        where = f"{Path(defined.file).name}, line" if defined.file else "line"
        body = f"**{defined.kind} `{defined.id}`**: {title}{extra}\n\n{where} {defined.span.line + 1}"
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=body),
                       range=positions.span(found.span))


def fact_markdown(index: ScenarioIndex, fact: Definition) -> str:
    """A fact as Markdown: its text, its quote, and its source."""
    details = fact.details
    parts = [f"**fact `{fact.id}`**", details.get("text", "")]
    if details.get("quote"):
        parts.append("> " + " ".join(details["quote"].split()))
    source_id = details.get("source", "")
    source = index.lookup("source", source_id)
    if source is not None:
        parts.append(f"Source `{source_id}`: " + source_markdown(source))
    elif source_id:
        parts.append(f"Source `{source_id}` (not declared under `sources:`)")
    if details.get("note"):
        parts.append(f"Note: {details['note']}")
    return "\n\n".join(part for part in parts if part)


def answer_markdown(answer: AnswerEntry) -> str:
    """A check item's answer: the option it is, or the validator's problem with it; then the options."""
    if answer.problem is not None:
        problem = answer.problem
        parts = [f"**check item `{answer.item}`**: {problem.code} {problem.message}"]
        parts += [f"hint: {problem.hint}"] if problem.hint else []
    else:
        parts = [f"**check item `{answer.item}`**: the answer is option {(answer.place or 0) + 1} of {len(answer.options)}"]
    parts.append("\n".join(f"{number}. **{text}** (the answer)" if number - 1 == answer.place else f"{number}. {text}"
                           for number, text in enumerate(answer.options, 1)))
    return "\n\n".join(part for part in parts if part)


def source_markdown(source: Definition) -> str:
    """A source on one line: title, publisher, date, and its address and local copy."""
    details = source.details
    words = [f"*{details.get('title', '')}*", details.get("publisher", ""), details.get("published", "")]
    line = ", ".join(word for word in words if word.strip("*"))
    for key in ("url", "file"):
        if details.get(key):
            line += f"\n\n{key}: {details[key]}"
    return line


def prepare_rename(index: ScenarioIndex, positions: Positions, line: int, column: int) -> types.PrepareRenamePlaceholder:
    """The range and text of a scene or ending id under the cursor, or a refusal."""
    found = index.at(line, column)
    if found is None or found.namespace != "place":
        raise RenameRefused("only scene and ending ids can be renamed: put the cursor on one")
    return types.PrepareRenamePlaceholder(range=positions.span(found.span), placeholder=found.id)


def rename(index: ScenarioIndex, positions: Positions, uri: str, line: int, column: int, new_name: str) -> types.WorkspaceEdit:
    """The edits that rename the scene or ending id under the cursor to `new_name`."""
    found = index.at(line, column)
    if found is None or found.namespace != "place":
        raise RenameRefused("only scene and ending ids can be renamed: put the cursor on one")
    old = found.id
    unplaced = [line for namespace, ident, line in index.unplaced if namespace == "place" and ident == old]
    if unplaced:
        raise RenameRefused(f"'{old}' is also named inside a text at line {unplaced[0] + 1} that cannot be edited "
                            "in place (its escapes move the characters): write that text as a `|` block first")
    if not ID_PATTERN.match(new_name):
        raise RenameRefused(f"'{new_name}' is not a valid id: use lower-case letters and digits, "
                            "with single hyphens between words (e.g. airport-gate)")
    if new_name != old and index.lookup("place", new_name) is not None:
        raise RenameRefused(f"there is already a scene or ending '{new_name}' (scenes and endings share one set of ids)")
    _check_choice_ids(index, old, new_name)
    defined = index.lookup("place", old)
    spans = [defined.span] if defined is not None else []
    spans += [r.span for r in index.references_to("place", old)]
    spans += [c.id_span for c in index.choices if c.id == old and c.goto == old and c.id_span is not None]
    edits = [] if new_name == old else [types.TextEdit(range=positions.span(span), new_text=new_name)
                                        for span in sorted(set(spans), key=lambda s: (s.line, s.start))]
    return types.WorkspaceEdit(changes={uri: edits})


def _check_choice_ids(index: ScenarioIndex, old: str, new: str) -> None:
    """Refuse a rename that would give two choices of one scene the same id: a choice without
    `id:` is named by its `goto`, so it takes the new name."""
    for scene in {c.scene for c in index.choices}:
        choices = [c for c in index.choices if c.scene == scene]
        before = [c.effective_id for c in choices]
        after = [new if c.goto == old and c.effective_id == old else c.effective_id for c in choices]
        if after.count(new) > 1 and before.count(new) <= 1 and new != old:
            raise RenameRefused(f"scene '{scene}' already has a choice with the id '{new}', and a choice there "
                                f"that goes to '{old}' is named by its goto: give one of them an explicit `id:` first")
