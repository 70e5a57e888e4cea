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

This module is what a game needs: the compiled form, filling it in, and the load cache's form.
Reading author text into it is `text_parser.py`, which the loader imports, so a game from the
cache never imports the condition parser.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Union, assert_never

from game.engine.runtime.evaluation import StateView, evaluate
from game.engine.runtime.expressions import (
    Expr,
    ReadKind,
    expr_from_json,
    expr_to_json,
    names_read,
    visit_counts,
)

#: `{{`, `}}`, a `{name}` placeholder (group 1: what is between the braces), or a lone brace.
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_BLANK_RUNS = re.compile(r"\n{3,}")


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

    return PLACEHOLDER.sub(fill, text)


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
