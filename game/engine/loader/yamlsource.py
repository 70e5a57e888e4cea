"""Reading a YAML file safely into located nodes, with every YAML-level problem reported.

PyYAML's composer (the C one when present: several times faster) turns the text into a node tree
in which every node keeps where it starts and ends. No constructor runs, so no tag can build an
object. Before anything else reads the tree, one pass refuses what a scenario never needs and a
hostile file might use: aliases and anchors (the door to alias bombs), merge keys, tags,
duplicate keys, and nesting deeper than `limits.MAX_YAML_DEPTH`. Before the YAML is even
composed, the bytes must be UTF-8 text with no control characters and no bidirectional controls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine import limits
from game.engine.diagnostics import D, Diagnostic, character_name
from game.engine.loader.problems import FILE_START, Problem, Span, file_too_large

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
USING_C_LOADER = Loader is not yaml.SafeLoader

# C0 and C1 controls other than tab and line breaks, and the Unicode line and paragraph
# separators (which YAML would count as line breaks where no editor shows one).
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# The embeddings, overrides and isolates of "Trojan Source": text shown in another order than stored.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class Parsed:
    """The outcome of reading one file: its text (when decodable), its root node, its problems."""

    text: str | None
    root: Node | None
    problems: tuple[Problem, ...]


def span_of(node: Node | None) -> Span:
    """Where a node starts and ends in its file (the whole-file start when there is no node)."""
    if node is None:
        return FILE_START
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def span_at_offset(text: str, offset: int, length: int = 1) -> Span:
    """The span of `length` characters from a character offset in the text."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    end = min(offset + max(length, 1), len(text))
    end_line = text.count("\n", 0, end) + 1
    end_column = end - (text.rfind("\n", 0, end) + 1) + 1
    return Span(line, column, end_line, end_column)


def problem(diagnostic: Diagnostic, path: str, span: Span, **args: object) -> Problem:
    return Problem.of(diagnostic, path, span, args)


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text with line breaks made `\\n`, or a problem at the first character that is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [problem(D.NOT_UTF8, path, Span.at(line, column))]
    if "\r" in text:  # one kind of line break, so offsets and YAML's line numbers agree
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for pattern, diagnostic in ((_CONTROL_CHARACTER, D.CONTROL_CHARACTER), (_BIDI_CONTROL, D.BIDI_CONTROL)):
        found = pattern.search(text)
        if found is not None:
            return None, [problem(diagnostic, path, span_at_offset(text, found.start()),
                                  character=character_name(found.group()))]
    return text, []


def parse(path: str, data: bytes) -> Parsed:
    """Decode, compose and check one file's bytes; never raises on bad input."""
    oversize = file_too_large(path, len(data))
    if oversize is not None:
        return Parsed(None, None, (oversize,))
    text, problems = decode(path, data)
    if text is None:
        return Parsed(None, None, tuple(problems))
    if not text.strip():
        return Parsed(text, None, (problem(D.NO_DOCUMENT, path, FILE_START, what="empty"),))
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        return Parsed(text, None, (_syntax_problem(path, text, error),))
    except yaml.reader.ReaderError as error:
        span = span_at_offset(text, error.position)
        return Parsed(text, None, (problem(D.CONTROL_CHARACTER, path, span, character=character_name(chr(error.character))),))
    except yaml.YAMLError as error:  # errors without a position (rare)
        return Parsed(text, None, (problem(D.YAML_SYNTAX, path, FILE_START, problem=str(error), advice=""),))
    except RecursionError:  # the pure-Python composer, on nesting libyaml would have refused
        return Parsed(text, None, (problem(D.YAML_TOO_DEEP, path, FILE_START, depth="hundreds of",
                                           limit=limits.MAX_YAML_DEPTH),))
    if root is None:
        return Parsed(text, None, (problem(D.NO_DOCUMENT, path, FILE_START, what="only comments"),))
    structural = check_structure(path, text, root)
    return Parsed(text, None if structural else root, tuple(structural))


# A key with a value on its own line: `  scenes: 12`.
_KEY_WITH_VALUE = re.compile(r"^(?P<indent> *)(?P<key>[^\s#'\"][^:#]*?):[ \t]+(?P<value>[^\s#].*?)\s*$")


def _syntax_problem(path: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    what = " ".join(part for part in (error.context, error.problem) if part)
    lines = text.split("\n")
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    span = Span.at(line, column)
    if "exceeded maximum nesting depth" in what:
        return problem(D.YAML_TOO_DEEP, path, span, depth="over 1,000", limit=limits.MAX_YAML_DEPTH)
    advice = ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "'\\t'" in what:
        advice = "YAML does not allow tabs for indentation: indent with spaces"
    elif "mapping values are not allowed" in what and "{if" in source_line:
        advice = "a one-line text with {if CONDITION: ...} must be quoted, text: \"...\", or written as a block with `|`"
    elif "mapping values are not allowed" in what:
        advice = _value_then_block(lines, line) or "a value containing ': ' must be quoted, or written as a block with `|`"
    elif "could not find expected ':'" in what or "expected <block end>" in what:
        advice = "check the indentation of this line and the one before it"
    elif "found undefined alias" in what or "found unhashable key" in what:
        advice = "anchors (&) and aliases (*) are not allowed; quote text that starts with * or &"
    elif "expected a single document" in what:
        advice = "a scenario is one YAML document: remove the extra `---`"
    elif "cannot start any token" in what:
        advice = "quote a value that starts with ` or @"
    return problem(D.YAML_SYNTAX, path, span, problem=what, advice=advice)


def _value_then_block(lines: list[str], line: int) -> str:
    """The hint for `scenes: 12` followed by indented keys, or "" when that is not the mistake.

    YAML reads the indented line as more of the value `12`, and then finds a `:` it cannot take,
    so its message is about quoting; the real mistake is a value where entries were meant.
    """
    current = lines[line - 1]
    indent = len(current) - len(current.lstrip(" "))
    for before in reversed(lines[:line - 1]):
        if not before.strip() or before.lstrip().startswith("#"):
            continue
        found = _KEY_WITH_VALUE.match(before)
        if found is None or len(found.group("indent")) >= indent:
            return ""
        key, value = found.group("key").strip(), found.group("value")
        return (f"`{key}:` has a value on its own line ({value}) and indented entries below it; a key holds "
                f"one or the other: remove `{value}`, or move the entries out of it")
    return ""


def _properties(text: str, node: Node) -> list[str]:
    """The anchor (`&name`) and tag (`!tag`) written before a node, as written."""
    found = []
    position = node.start_mark.index
    while position < len(text) and text[position] in "&!":
        end = position
        while end < len(text) and not text[end].isspace() and text[end] not in ",[]{}":
            end += 1
        found.append(text[position:end])
        position = end
        while position < len(text) and text[position] in " \t":
            position += 1
    return found


def check_structure(path: str, text: str, root: Node) -> list[Problem]:
    """Refuse aliases, anchors, merge keys, tags, duplicate keys and deep nesting, in one linear pass.

    An alias makes the composer return the same node object twice, so a node met twice is an
    alias. Each node is visited once, so even an alias bomb costs linear time here, and it gives
    one line, not one per alias.
    """
    problems: list[Problem] = []
    repeats: dict[str, list[Node]] = {}  # the feature ("anchors and aliases", "merge keys") -> where
    seen: set[int] = set()
    properties_at: set[int] = set()
    too_deep = False
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            repeats.setdefault("anchors and aliases (& and *)", []).append(node)
            continue
        seen.add(id(node))
        if node.start_mark.index not in properties_at:
            properties_at.add(node.start_mark.index)
            for written in _properties(text, node):
                if written.startswith("&"):
                    repeats.setdefault("anchors and aliases (& and *)", []).append(node)
                else:
                    problems.append(problem(D.YAML_TAG, path, span_of(node), tag=written))
        if depth > limits.MAX_YAML_DEPTH:
            if not too_deep:
                problems.append(problem(D.YAML_TOO_DEEP, path, span_of(node), depth=depth, limit=limits.MAX_YAML_DEPTH))
                too_deep = True
            continue
        if isinstance(node, MappingNode):
            keys: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.tag == MERGE_TAG:
                        repeats.setdefault("merge keys (<<)", []).append(key)
                    elif key.value in keys:
                        problems.append(problem(D.DUPLICATE_KEY, path, span_of(key), key=key.value,
                                                first_line=keys[key.value].start_mark.line + 1))
                    else:
                        keys[key.value] = key
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    for feature, nodes in repeats.items():
        first = min(nodes, key=lambda n: n.start_mark.index)
        more = f" ({len(nodes) - 1:,} more in this file)" if len(nodes) > 1 else ""
        problems.append(problem(D.ANCHOR_OR_ALIAS, path, span_of(first), feature=feature, more=more))
    problems.sort(key=lambda p: (p.line, p.column))
    return problems
