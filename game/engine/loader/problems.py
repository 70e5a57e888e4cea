"""Problems found in a scenario: a diagnostic at a place in a file, with its words filled in.

The loader never raises on bad input; it collects `Problem`s and reports them together, so an
author sees every mistake in one run. Each carries where it starts and where it ends (for an
editor to underline), and is rendered one way as text and one way as JSON, by the CLI, the app
and the tests alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from game.engine import limits
from game.engine.diagnostics import BY_CODE, D, Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a file: 1-based lines and columns; the end is just after the last character."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def at(cls, line: int, column: int, length: int = 1) -> Span:
        """A stretch on one line."""
        return cls(line, column, line, column + max(length, 1))


#: The whole-file span, for problems about the file rather than a place in it.
FILE_START = Span(1, 1, 1, 1)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file."""

    diagnostic: Diagnostic
    path: str
    span: Span
    message: str
    hint: str = ""

    @classmethod
    def of(cls, diagnostic: Diagnostic, path: str, span: Span, args: Mapping[str, object]) -> Problem:
        message, hint = diagnostic.words(args)
        return cls(diagnostic, path, span, message, hint)

    @property
    def code(self) -> str:
        return self.diagnostic.code

    @property
    def severity(self) -> Severity:
        return self.diagnostic.severity

    @property
    def is_error(self) -> bool:
        return self.diagnostic.severity is Severity.ERROR

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def end_line(self) -> int:
        return self.span.end_line

    @property
    def end_column(self) -> int:
        return self.span.end_column

    def render(self) -> str:
        """`path:line:column: error CODE: message` then the hint on its own indented line."""
        head = f"{self.path}:{self.line}:{self.column}: {self.severity.value} {self.code}: {self.message}"
        return f"{head}\n    hint: {self.hint}" if self.hint else head

    def to_json(self) -> dict[str, object]:
        """The fields of the text form, with the end of the span: what `validate --json` prints."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.path,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "message": self.message,
            "hint": self.hint,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Problem:
        """The problem `to_json` wrote; KeyError or ValueError for anything else (a stale cache)."""
        diagnostic = BY_CODE[str(data["code"])]
        if diagnostic.severity.value != data["severity"]:
            raise ValueError(f"{diagnostic.code} is not a {data['severity']}")
        span = Span(*(_whole(data[key]) for key in ("line", "column", "end_line", "end_column")))
        return cls(diagnostic, str(data["file"]), span, str(data["message"]), str(data.get("hint", "")))


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"not a line or column: {value!r}")
    return value


def file_too_large(path: str, size: int) -> Problem | None:
    """`D.FILE_TOO_LARGE` for a file of `size` bytes over `limits.MAX_FILE_BYTES`, else None."""
    if size <= limits.MAX_FILE_BYTES:
        return None
    return Problem.of(D.FILE_TOO_LARGE, path, FILE_START, {"size": f"{size / 1_048_576:.1f}",
                                                           "limit": limits.MAX_FILE_BYTES // 1_048_576})


def sort_key(problem: Problem) -> tuple[str, int, int, int, str]:
    """Causes before symptoms: by file, then by stage of reading, then by place."""
    return (problem.path, problem.diagnostic.stage, problem.span.line, problem.span.column, problem.code)


def count_summary(problems: Iterable[Problem]) -> str:
    """'2 errors, 1 warning' style summary used at the end of a validate run."""
    found = list(problems)
    errors = sum(1 for p in found if p.is_error)
    warnings = len(found) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
