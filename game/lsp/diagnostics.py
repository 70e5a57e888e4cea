"""The validator's problems for a document's unsaved text, as LSP diagnostics with ranges.

The text goes through the loader's own `build` (what `longarm validate` runs on a cache miss),
from bytes, so what the editor shows is exactly what `validate` would print after saving; the
load cache is neither read nor written. A problem's range ends where the loader says when it
says (`end_line`, `end_column`), and otherwise covers the token at its start: the word, the
quoted string or the bracketed list there. A problem in a shared file the document includes is
shown on the `include` line that names it, with its own file, line and column in the message.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from lsprotocol import types

from game.engine.loader.build import build
from game.engine.loader.problems import Problem, Span
from game.lsp.positions import Positions

SOURCE = "longarm"
_TOKEN = re.compile(r"[^\s,\[\]{}]+?(?=:\s|:$|[\s,\[\]{}]|$)")


def problems_for(text: str, path: Path) -> tuple[Problem, ...]:
    """Every problem `longarm validate` would report if this text were saved at `path`."""
    data = text.encode("utf-8")
    _, problems, _ = build(str(path), path, data, hashlib.sha256(data).hexdigest())
    return problems


def token_end(line: str, column: int) -> int:
    """Where the token starting at `column` ends: a quoted string, a [list] or {mapping} on the
    line, or a word (up to white space, a comma, a bracket or a key's colon). At least one
    character when there is one."""
    if column >= len(line):
        return column
    char = line[column]
    if char in "\"'":
        close = line.find(char, column + 1)
        return close + 1 if close >= 0 else len(line)
    if char in "[{":
        depth = 0
        for index in range(column, len(line)):
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(line[index], 0)
            if depth == 0:
                return index + 1
        return len(line)
    match = _TOKEN.match(line, column)
    return match.end() if match and match.end() > column else column + 1


def include_line(positions: Positions, shown: str, other: str) -> tuple[int, int]:
    """Where the document names another file it includes (0-based line and column), or its
    `include:` line, or the top."""
    written = os.path.relpath(other, os.path.dirname(shown) or ".").replace(os.sep, "/")
    fallback = (0, 0)
    for number, line in enumerate(positions.lines):
        if written in line:
            return number, line.index(written)
        if line.startswith("include:"):
            fallback = (number, 0)
    return fallback


def to_diagnostic(problem: Problem, positions: Positions, shown: str) -> types.Diagnostic:
    """One problem as a diagnostic: its code, severity, message and hint, and its range."""
    line, column = max(problem.line - 1, 0), max(problem.column - 1, 0)
    message = problem.message
    if problem.path != shown:  # in a shared file: placed on the line that includes it
        message = f"{problem.path}:{problem.line}:{problem.column}: {problem.message}"
        line, column = include_line(positions, shown, problem.path)
        problem = Problem(problem.diagnostic, shown, Span(line + 1, column + 1, line + 1, column + 1), problem.message,
                          problem.hint)  # no end: the range covers the path written there
    if problem.hint:
        message += f"\nhint: {problem.hint}"
    end_line = getattr(problem, "end_line", None)
    end_column = getattr(problem, "end_column", None)
    if isinstance(end_line, int) and isinstance(end_column, int) and (end_line, end_column) > (problem.line, problem.column):
        end = positions.to_client(end_line - 1, end_column - 1)
    else:
        end = positions.to_client(line, token_end(positions.line(line), column))
    return types.Diagnostic(
        range=types.Range(start=positions.to_client(line, column), end=end),
        message=message,
        severity=types.DiagnosticSeverity.Error if problem.is_error else types.DiagnosticSeverity.Warning,
        code=problem.code,
        source=SOURCE,
    )


def diagnose(text: str, path: Path, positions: Positions) -> list[types.Diagnostic]:
    """The diagnostics of a document's current text."""
    shown = str(path)
    return [to_diagnostic(problem, positions, shown) for problem in problems_for(text, path)]
