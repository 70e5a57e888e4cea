"""Author text that reacts to the story: `{name}` placeholders and `{if ...}` variants.

Scene, ending, choice and locked text may show a stat or a flag, `{safety}`, and may say one
thing or another depending on the state:

    {if exposure >= 2: A man by the pillar lifts his phone. | else: Nobody looks twice.}
    {if trust >= 4: She hugs you. | if trust >= 2: She nods. | else: She looks away.}

The first branch whose condition holds is shown, or the `else`, or nothing. A condition is the
`if` language (`language.py`), checked at load like any other; branch text may hold placeholders
and further `{if ...}` (at most `limits.MAX_TEXT_DEPTH` deep). A branch is trimmed of the white
space around it, so each branch may stand on lines of its own. A `{if ...}` that shows nothing
takes one space with it, and one that fills whole lines takes its lines, so no gap is left.
Write `{{` and `}}` for literal braces; inside a branch `|` and `}` end it (so `}}` there closes
two nested variants), and a literal `|` or `}` cannot be written in a branch.

Everything is checked when the file loads, against the scenario's names, so `{safety.__class__}`
is a load error and can never be evaluated: filling a placeholder is a dictionary look-up.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Union, assert_never

from game.engine import limits
from game.engine.diagnostics import D, closest
from game.engine.runtime.evaluation import StateView, evaluate
from game.engine.runtime.expressions import (
    Const,
    Expr,
    Names,
    ReadKind,
    expr_from_json,
    expr_to_json,
    names_read,
    visit_counts,
)
from game.engine.runtime.language import LanguageError, parse_condition

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


# ---------------------------------------------------------------------------- the compiled form


@dataclass(frozen=True, slots=True)
class Show:
    """`{name}`: a stat's value, or `yes`/`no` for a flag."""

    name: str
    flag: bool


@dataclass(frozen=True, slots=True)
class Branch:
    """One arm of an `{if ...}` in scene text: its condition (None for the `else`) and its parts."""

    condition: Expr | None  # None: the `else`
    parts: tuple[Part, ...]
    written: str = ""  # the condition as written, for outlines


@dataclass(frozen=True, slots=True)
class Choose:
    """`{if ...}`: the first branch whose condition holds, with `before` and `after` around it
    when it shows something (the space or line break it would otherwise leave behind)."""

    branches: tuple[Branch, ...]
    before: str = ""
    after: str = ""


Part = Union[str, Show, Choose]


@dataclass(frozen=True, slots=True)
class Template:
    """A text with `{if ...}` in it, compiled: literal pieces, placeholders and choices."""

    parts: tuple[Part, ...]


# ---------------------------------------------------------------------------- parsing

_SPECIAL = re.compile(r"\{\{|\}\}|[{}|]")
_IF = re.compile(r"\{\s*if(?=[\s(])")
_BRANCH = re.compile(r"\s*(?:(?P<if>if)(?=[\s(])|(?P<else>else)\s*:|(?P<other>\S+))")
_CONDITION_END = re.compile(r"[:{}|]")
_BLANK_RUNS = re.compile(r"\n{3,}")
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
        found = _PLACEHOLDER.match(self.text, start)
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


def check_placeholders(text: str, stats: Collection[str], flags: Collection[str]) -> list[LanguageError]:
    """Every mistake in `text`'s placeholders and `{if ...}`, with its offset (no roles, places or
    facts are known here, so a condition naming one is reported)."""
    return compile_text(text, Names(stats, flags, (), (), ()))[1]


# ---------------------------------------------------------------------------- filling in


def render(text: str, stats: Mapping[str, int], flags: Collection[str], flag_names: Collection[str]) -> str:
    """Fill placeholders from the stats and flags; a flag shows as 'yes' or 'no'.

    This is the whole of filling for a text without `{if ...}`; `render_template` fills the rest.
    """
    if "{" not in text and "}" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = (match.group(1) or "").strip()
        if name in stats:
            return str(stats[name])
        if name in flag_names:
            return "yes" if name in flags else "no"
        return token  # unreachable for a validated scenario; shown as written, never evaluated

    return _PLACEHOLDER.sub(fill, text)


def render_template(template: Template, state: StateView) -> str:
    """The text a state shows: each `{if ...}` decided, each placeholder filled."""
    out: list[str] = []
    _render(template.parts, state, out)
    return _BLANK_RUNS.sub("\n\n", "".join(out))


def _render(parts: tuple[Part, ...], state: StateView, out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Show):
            if part.flag:
                out.append("yes" if part.name in state.flags else "no")
            else:
                out.append(str(state.stats[part.name]))
        elif isinstance(part, Choose):
            for branch in part.branches:
                if branch.condition is None or evaluate(branch.condition, state):
                    shown: list[str] = []
                    _render(branch.parts, state, shown)
                    if shown:
                        out.append(part.before + "".join(shown) + part.after)
                    break
        else:
            assert_never(part)


# ---------------------------------------------------------------------------- what a text reads


def template_reads(template: Template) -> tuple[frozenset[tuple[ReadKind, str]], dict[str, int]]:
    """What the template's conditions and placeholders read, and the numbers each place's
    `visits()` is compared with (see `expressions.visit_counts`)."""
    reads: set[tuple[ReadKind, str]] = set()
    counts: dict[str, int] = {}
    stack: list[Part] = list(template.parts)
    while stack:
        part = stack.pop()
        if isinstance(part, Show):
            reads.add(("flag" if part.flag else "stat", part.name))
        elif isinstance(part, Choose):
            for branch in part.branches:
                if branch.condition is not None:
                    reads |= names_read(branch.condition)
                    for place, number in visit_counts(branch.condition).items():
                        counts[place] = max(number, counts.get(place, number))
                stack.extend(branch.parts)
    return frozenset(reads), counts


def outline(text: str, template: Template | None) -> str:
    """The text with every variant written out, for the teacher's guide and reports:
    `[if exposure >= 2: They know your face. | else: Nobody looks twice.]`."""
    if template is None:
        return text
    return "".join(_outline(part) for part in template.parts)


def _outline(part: Part) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Show):
        return f"{{{part.name}}}"
    branches = []
    for branch in part.branches:
        body = "".join(_outline(inner) for inner in branch.parts)
        head = "else" if branch.condition is None else f"if {branch.written}"
        branches.append(f"{head}: {body}")
    return f"{part.before}[{' | '.join(branches)}]{part.after}"


# ---------------------------------------------------------------------------- the load cache


def template_to_json(template: Template) -> list[object]:
    return [_part_to_json(part) for part in template.parts]


def _part_to_json(part: Part) -> object:
    if isinstance(part, str):
        return part
    if isinstance(part, Show):
        return ["show", part.name, part.flag]
    return ["if", part.before, part.after,
            [[None if b.condition is None else expr_to_json(b.condition), [_part_to_json(p) for p in b.parts],
              b.written] for b in part.branches]]


def template_from_json(data: list[Any]) -> Template:
    """Rebuild a template from `template_to_json` output; ValueError on anything else."""
    return Template(tuple(_part_from_json(part) for part in data))


def _part_from_json(data: Any) -> Part:
    match data:
        case str():
            return data
        case ["show", str(name), bool(flag)]:
            return Show(name, flag)
        case ["if", str(before), str(after), list(branches)]:
            built = []
            for branch in branches:
                match branch:
                    case [None | list() as condition, list(parts), str(written)]:
                        built.append(Branch(None if condition is None else expr_from_json(condition),
                                            tuple(_part_from_json(p) for p in parts), written))
                    case _:
                        raise ValueError(f"not a cached branch: {branch!r}")
            return Choose(tuple(built), before, after)
        case _:
            raise ValueError(f"not a cached text part: {data!r}")
