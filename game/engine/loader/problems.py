"""Problems found in a scenario: values with a code, a location and a hint, rendered one way.

The loader never raises on bad input; it collects `Problem`s and reports them together, so an
author sees every mistake in one run. The CLI, the app and the tests all render the same values.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario file, at a 1-based line and column."""

    code: str
    severity: Severity
    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def render(self) -> str:
        """`path:line:column: error LA123: message` then the hint on its own indented line."""
        head = f"{self.path}:{self.line}:{self.column}: {self.severity.value} {self.code}: {self.message}"
        return f"{head}\n    hint: {self.hint}" if self.hint else head

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Problem:
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            path=str(data["path"]),
            line=int(str(data["line"])),
            column=int(str(data["column"])),
            message=str(data["message"]),
            hint=str(data.get("hint", "")),
        )


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, problem.column, problem.code)


def count_summary(problems: list[Problem] | tuple[Problem, ...]) -> str:
    """'2 errors, 1 warning' style summary used at the end of a validate run."""
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}", f"{warnings} warning{'s' if warnings != 1 else ''}"]
    return ", ".join(parts)
