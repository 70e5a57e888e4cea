"""Reading a YAML file safely into located nodes, with every YAML-level problem reported.

PyYAML's composer (the C one when present: several times faster) turns the text into a node tree
in which every node keeps its line and column. No constructor runs, so no tag can build an object.
Before anything else reads the tree, one pass refuses aliases (the door to alias bombs) and
duplicate keys, which PyYAML would otherwise accept silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine.limits import MAX_FILE_BYTES
from game.engine.loader.problems import Problem, Severity


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
USING_C_LOADER = Loader is not yaml.SafeLoader

_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True, slots=True)
class Parsed:
    """The outcome of reading one file: its text (when decodable), its root node, its problems."""

    text: str | None
    root: Node | None
    problems: tuple[Problem, ...]


def problem_at(path: str, node: Node | None, code: str, message: str, hint: str = "",
               severity: Severity = Severity.ERROR) -> Problem:
    """A problem located at a node's first character (1-based line and column)."""
    if node is None:
        return Problem(code, severity, path, 1, 1, message, hint)
    mark = node.start_mark
    return Problem(code, severity, path, mark.line + 1, mark.column + 1, message, hint)


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text, or a problem at the first byte that is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [_at_offset(path, data, error.start, "LA002",
                                 "the file is not UTF-8 text (is it a binary file?)",
                                 "save the scenario as UTF-8 plain text")]
    match = _CONTROL_CHARACTER.search(text)
    if match is not None:
        bad = match.start()
        prefix = text[:bad]
        line = prefix.count("\n") + 1
        column = bad - (prefix.rfind("\n") + 1) + 1
        return None, [Problem("LA002", Severity.ERROR, path, line, column,
                              f"the file contains a control character (U+{ord(text[bad]):04X}), so it is not plain text",
                              "save the scenario as UTF-8 plain text")]
    return text, []


def _at_offset(path: str, data: bytes, offset: int, code: str, message: str, hint: str) -> Problem:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return Problem(code, Severity.ERROR, path, line, column, message, hint)


def parse(path: str, data: bytes) -> Parsed:
    """Decode, compose and check one file's bytes; never raises on bad input."""
    if len(data) > MAX_FILE_BYTES:
        return Parsed(None, None, (Problem(
            "LA001", Severity.ERROR, path, 1, 1,
            f"the file is {len(data) / 1_048_576:.1f} MB; scenarios are limited to {MAX_FILE_BYTES // 1_048_576} MB",
            "split the story into several scenarios"),))
    text, problems = decode(path, data)
    if text is None:
        return Parsed(None, None, tuple(problems))
    if not text.strip():
        return Parsed(text, None, (Problem("LA004", Severity.ERROR, path, 1, 1, "the file is empty",
                                           "start from `longarm new ID`, or copy a shipped scenario"),))
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as error:
        return Parsed(text, None, (_syntax_problem(path, text, error),))
    except yaml.YAMLError as error:  # errors without a position (rare: reader errors)
        return Parsed(text, None, (Problem("LA003", Severity.ERROR, path, 1, 1, f"YAML error: {error}"),))
    if root is None:
        return Parsed(text, None, (Problem("LA004", Severity.ERROR, path, 1, 1,
                                           "the file holds no YAML document, only comments",
                                           "start from `longarm new ID`, or copy a shipped scenario"),))
    structural = check_structure(path, root)
    return Parsed(text, None if structural else root, tuple(structural))


def _syntax_problem(path: str, text: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    what = " ".join(part for part in (error.context, error.problem) if part)
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "'\\t'" in what:
        hint = "YAML does not allow tabs for indentation: indent with spaces"
    elif "mapping values are not allowed" in what:
        hint = "a value containing ': ' must be quoted, or written as a block with `|`"
    elif "could not find expected ':'" in what or "expected <block end>" in what:
        hint = "check the indentation of this line and the one before it"
    elif "found undefined alias" in what or "found unhashable key" in what:
        hint = "anchors (&) and aliases (*) are not allowed; quote text that starts with * or &"
    elif "expected a single document" in what:
        hint = "a scenario is one YAML document: remove the extra `---`"
    return Problem("LA003", Severity.ERROR, path, line, column, f"YAML syntax error: {what}", hint)


def check_structure(path: str, root: Node) -> list[Problem]:
    """Refuse aliases and duplicate keys anywhere in the tree, in one linear pass.

    An alias makes the composer return the same node object twice, so a node met twice is an
    alias. Each node is visited once, so even an alias bomb costs linear time here.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            problems.append(problem_at(path, node, "LA006",
                                       "YAML anchors and aliases (& and *) are not allowed in scenarios",
                                       "write the value out in full where it is used"))
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            keys: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    if key.tag == "tag:yaml.org,2002:merge":
                        problems.append(problem_at(path, key, "LA006", "YAML merge keys (<<) are not allowed in scenarios",
                                                   "write the keys out in full"))
                    elif key.value in keys:
                        first = keys[key.value].start_mark.line + 1
                        problems.append(problem_at(path, key, "LA010", f"duplicate key '{key.value}' (first defined on line {first})",
                                                   "each key may appear once in a mapping: remove or rename one"))
                    else:
                        keys[key.value] = key
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems
