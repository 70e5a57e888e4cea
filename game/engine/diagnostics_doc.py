"""docs/diagnostics.md, generated from the registry: `python -m game.engine.diagnostics_doc`.

The page is never edited by hand. Run the module to rewrite it after changing a diagnostic;
`--check` exits 1 when the file on disk differs (the test suite checks the same).
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

from game.engine import limits
from game.engine.diagnostics import ALL, SECTIONS, D, Diagnostic, Severity

DOC_FILE = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"

_INTRO = f"""\
<!-- Generated from game/engine/diagnostics.py by `python -m game.engine.diagnostics_doc`: do not edit. -->
# Diagnostics: every message `longarm validate` can give

Each problem is printed as `file:line:column: error CODE: message`, with a `hint:` line where one
helps. Codes are stable: tools and tests may rely on them. Errors stop a scenario from loading;
warnings (such as {D.UNREACHABLE.code}, unreachable) do not, and `longarm validate` still exits 0 with only warnings.

Problems come out in the order to fix them: first what stops the file being read, then keys that
should not be there (a misspelt key), then values, then references to ids, then the story as a
whole; in line order within each. A later problem is often the symptom of an earlier one: `got:`
for `goto:` is an unknown key, and then a choice without `goto`.

`longarm validate --json` prints the same problems as one JSON document: for each, `code`,
`severity`, `file`, `line` and `column` where it starts, `end_line` and `end_column` just after
where it ends, `message` and `hint`. One file reports at most {limits.MAX_PROBLEMS} problems.

Each entry below gives the message as a template: `{{name}}` stands for a name, a value or a line
from the file. Characters a reader cannot see are shown as `<U+200B>`.
"""


def _code(text: str) -> str:
    """Text as Markdown code, with a longer fence when it holds backticks itself."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _wrapped(doc: str) -> str:
    if "```" in doc:  # a code block keeps its lines
        return doc
    return textwrap.fill(doc, width=100, break_long_words=False, break_on_hyphens=False)


def _entry(diagnostic: Diagnostic) -> str:
    warning = " (warning)" if diagnostic.severity is Severity.WARNING else ""
    lines = [f"### {diagnostic.code}{warning}: {diagnostic.title}", "", f"- message: {_code(diagnostic.message)}"]
    if diagnostic.hint not in ("", "{suggestion}", "{advice}", "{example}"):
        lines.append(f"- hint: {_code(diagnostic.hint)}")
    lines += ["", _wrapped(diagnostic.doc)]
    return "\n".join(lines)


def render() -> str:
    """The whole page, from the registry."""
    parts = [_INTRO]
    for section, heading in SECTIONS.items():
        entries = [_entry(d) for d in sorted(ALL, key=lambda d: d.code) if d.section == section]
        if entries:
            parts.append(f"## {heading}\n\n" + "\n\n".join(entries) + "\n")
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if argv[1:] == ["--check"]:
        current = DOC_FILE.read_text(encoding="utf-8") if DOC_FILE.exists() else ""
        if current != text:
            print(f"{DOC_FILE} is out of date: run python -m game.engine.diagnostics_doc", file=sys.stderr)
            return 1
        return 0
    DOC_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {DOC_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
