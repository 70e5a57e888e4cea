"""Reading author text into templates: the `{name}` placeholders and `{if ...}` variants of
scene, ending, choice and locked text, checked against the scenario's names at load.

The syntax and what it shows are described in `text.py`, which holds the compiled form and fills
it in during a game; this module is the loader's, and imports the condition parser
(`language.py`) to read each `{if ...}`'s condition.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from game.engine import limits
from game.engine.diagnostics import D, closest
from game.engine.runtime.expressions import Const, Expr, Names
from game.engine.runtime.language import LanguageError, parse_condition
from game.engine.runtime.text import PLACEHOLDER, Branch, Choose, Part, Show, Template

_SPECIAL = re.compile(r"\{\{|\}\}|[{}|]")
_IF = re.compile(r"\{\s*if(?=[\s(])")
_BRANCH = re.compile(r"\s*(?:(?P<if>if)(?=[\s(])|(?P<else>else)\s*:|(?P<other>\S+))")
_CONDITION_END = re.compile(r"[:{}|]")
_EXAMPLE = "write {if safety >= 2: shown when it holds | else: shown otherwise}"


class _Abort(Exception):
    """Internal: a mistake in the structure of an `{if ...}`, after which the text is not read on."""

    def __init__(self, error: LanguageError) -> None:
        self.error = error


def _text_error(problem: str, offset: int, length: int = 1, advice: str = _EXAMPLE) -> LanguageError:
    return LanguageError(D.TEXT_SYNTAX, offset, length, {"problem": problem, "advice": advice})


class _TextParser:
    def __init__(self, text: str, names: Names) -> None:
        self.text = text
        self.names = names
        self.position = 0
        self.errors: list[LanguageError] = []
        self.choices = 0  # how many `{if ...}` were read

    def parts(self, depth: int, in_branch: bool) -> list[Part]:
        """Text up to its end, or (in a branch) up to the `|` or `}` that ends the branch."""
        text = self.text
        parts: list[Part] = []
        literal = ""
        while True:
            found = _SPECIAL.search(text, self.position)
            if found is None:
                literal += text[self.position:]
                self.position = len(text)
                break
            literal += text[self.position:found.start()]
            token = found.group()
            self.position = found.end()
            if token == "}}" and in_branch:  # inside a variant `}` ends it: `}}` closes two, nested
                self.position = found.start()
                break
            if token in ("{{", "}}"):
                literal += token[0]
            elif token == "|":
                if in_branch:
                    self.position = found.start()
                    break
                literal += "|"
            elif token == "}":
                if in_branch:
                    self.position = found.start()
                    break
                self.errors.append(LanguageError(D.UNMATCHED_BRACE, found.start(), 1, {"brace": "}"}))
            elif _IF.match(text, found.start()):
                literal = self.conditional(found.start(), depth + 1, parts, literal)
            else:
                literal = self.placeholder(found.start(), parts, literal)
        if literal:
            parts.append(literal)
        return parts

    def placeholder(self, start: int, parts: list[Part], literal: str) -> str:
        """Read `{name}` at `start`, after the literal text so far; return the literal text from here
        (empty after a placeholder, which is appended; the brace as written after a mistake)."""
        found = PLACEHOLDER.match(self.text, start)
        if found is None or found.group(1) is None:
            self.errors.append(LanguageError(D.UNMATCHED_BRACE, start, 1, {"brace": "{"}))
            return literal + "{"
        token = found.group(0)
        self.position = found.end()
        name = found.group(1).strip()
        if name in self.names.stats or name in self.names.flags:
            if literal:
                parts.append(literal)
            parts.append(Show(name, name not in self.names.stats))
            return ""
        self.errors.append(_unknown_placeholder(token, start, self.names.stats, self.names.flags))
        return literal + token

    def conditional(self, start: int, depth: int, parts: list[Part], literal: str) -> str:
        """Read `{if ...}` at `start` and append it after the literal text so far; return the
        literal text from here (empty)."""
        if depth > limits.MAX_TEXT_DEPTH:
            raise _Abort(LanguageError(D.TEXT_TOO_DEEP, start, 3, {"limit": str(limits.MAX_TEXT_DEPTH)}))
        self.choices += 1
        opening = _IF.match(self.text, start)
        assert opening is not None
        branches: list[Branch] = []
        condition: Expr | None
        condition, written = self.condition(opening.end())
        while True:
            while self.position < len(self.text) and self.text[self.position].isspace():
                self.position += 1  # a branch starts at its first word
            body = self.parts(depth, in_branch=True)
            branches.append(Branch(condition, _trimmed(body), written))
            if self.position >= len(self.text):
                raise _Abort(_text_error("this `{if` is never closed with `}`", start, 3,
                                         "end the last branch with `}`; write {{ for a literal brace"))
            if self.text[self.position] == "}":
                self.position += 1
                break
            bar = self.position  # a `|`: the next branch
            if condition is None:
                raise _Abort(_text_error("nothing can follow the `else:` branch", bar, 1,
                                         "put `else:` last, or end the `{if` with `}` before this `|`"))
            found = _BRANCH.match(self.text, bar + 1)
            if found is not None and found.group("if"):
                condition, written = self.condition(found.end())
            elif found is not None and found.group("else"):
                condition, written = None, ""
                self.position = found.end()
            else:
                word = found.group("other") if found is not None else ""
                advice = ("write `| if CONDITION:`: the first branch whose condition holds is shown"
                          if word.startswith("elif") else
                          "after `|` comes `if CONDITION:` or `else:`; a literal | cannot be written inside {if ...}")
                raise _Abort(_text_error("expected `if` or `else:` after `|`", bar, 1, advice))
        return self.laid_out(start, Choose(tuple(branches)), parts, literal)

    def condition(self, at: int) -> tuple[Expr, str]:
        """The condition from `at` to its `:`, checked, and as written; an error in it is
        reported, and the branch is read on as if the condition were false."""
        end = _CONDITION_END.search(self.text, at)
        if end is None or end.group() != ":":
            where = end.start() if end is not None else len(self.text)
            raise _Abort(_text_error("expected `:` after the condition", where, 1,
                                     "write {if CONDITION: text} and end the condition with `:`"))
        self.position = end.end()
        written = self.text[at:end.start()]
        parsed = parse_condition(written, self.names)
        if isinstance(parsed, LanguageError):
            self.errors.append(parsed.shifted(at))
            return Const(False), written.strip()
        return parsed, " ".join(written.split())

    def laid_out(self, start: int, choose: Choose, parts: list[Part], literal: str) -> str:
        """Append `choose` after the literal before it, with the layout that leaves no gap."""
        text = self.text
        line_begin = text.rfind("\n", 0, start) + 1
        starts_line = not text[line_begin:start].strip(" \t")
        line_end = text.find("\n", self.position)
        rest_of_line = text[self.position:line_end if line_end >= 0 else len(text)]
        before = after = ""
        if starts_line and not rest_of_line.strip(" \t"):  # on lines of its own: takes its lines
            literal = literal.rstrip(" \t")
            if line_end >= 0:
                after = "\n"
                self.position = line_end + 1
            else:
                self.position = len(text)
        elif literal.endswith(" "):
            literal, before = literal[:-1], " "
        elif starts_line and rest_of_line.startswith(" "):
            after = " "
            self.position += 1
        if literal:
            parts.append(literal)
        parts.append(Choose(choose.branches, before, after))
        return ""


def _trimmed(parts: list[Part]) -> tuple[Part, ...]:
    """A branch without the white space around it."""
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return tuple(part for part in parts if part != "")


def _unknown_placeholder(token: str, offset: int, stats: Collection[str], flags: Collection[str]) -> LanguageError:
    name = token[1:-1].strip()
    close = closest(name, [*stats, *flags])
    if close:
        suggestion = f"did you mean {{{close}}}?"
    else:
        suggestion = ("only stat and flag names can be shown: {safety}; {if CONDITION: ...} shows text "
                      "when a condition holds; write {{ or }} for a literal brace")
    return LanguageError(D.UNKNOWN_PLACEHOLDER, offset, len(token), {"placeholder": token, "suggestion": suggestion})


def compile_text(text: str, names: Names) -> tuple[Template | None, list[LanguageError]]:
    """Check a text's placeholders and `{if ...}`: its template when it has an `{if ...}` (None when
    it has none: `render` fills it), and every mistake found, with its offset in the text."""
    if "{" not in text and "}" not in text:
        return None, []
    parser = _TextParser(text, names)
    try:
        parts = parser.parts(0, in_branch=False)
    except _Abort as abort:
        return None, [*parser.errors, abort.error]
    if parser.errors or not parser.choices:
        return None, parser.errors
    return Template(tuple(parts)), []
