"""The small language of `if` conditions and `do` effects: parsed once, evaluated without `eval`.

Conditions: comparisons (== != < <= > >=), `and`, `or`, `not`, parentheses, whole numbers,
`true`, `false`, quoted strings, stat and flag names, `role`, and the two functions
`visited(scene_id)` and `known(fact_id)`. Effects: `name = value`, `name += n`, `name -= n`.

Parsing is our own tokenizer and recursive-descent parser, checked against the scenario's names
and types, so an expression can only ever read stats, flags, the role, visits and the journal.
Nothing in an author's text reaches Python: there are no attributes, subscripts or other calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Protocol, Union

# ---------------------------------------------------------------------------- the tree


@dataclass(frozen=True, slots=True)
class Const:
    value: int | bool | str


@dataclass(frozen=True, slots=True)
class Stat:
    name: str


@dataclass(frozen=True, slots=True)
class Flag:
    name: str


@dataclass(frozen=True, slots=True)
class RoleName:
    """The id of the role being played."""


@dataclass(frozen=True, slots=True)
class Visited:
    target: str


@dataclass(frozen=True, slots=True)
class Known:
    fact: str


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # == != < <= > >=
    left: Expr
    right: Expr


Expr = Union[Const, Stat, Flag, RoleName, Visited, Known, Not, BoolOp, Compare]


@dataclass(frozen=True, slots=True)
class Effect:
    """One `do` item: set, add to or subtract from a stat, or set a flag."""

    name: str
    op: str  # "=" | "+=" | "-="
    value: int | bool


@dataclass(frozen=True, slots=True)
class Names:
    """What an expression may refer to: the scenario's own ids."""

    stats: Collection[str]
    flags: Collection[str]
    roles: Collection[str]
    places: Collection[str]  # scene and ending ids, for visited()
    facts: Collection[str]


@dataclass(frozen=True, slots=True)
class LanguageError:
    """A problem in an expression, at a character offset inside the expression's text."""

    code: str
    message: str
    offset: int
    hint: str = ""


class StateView(Protocol):
    """What evaluation reads; the game state provides it."""

    role: str
    stats: Mapping[str, int]
    flags: Collection[str]  # the flags that are set
    visits: Mapping[str, int]
    known: Collection[str]


# ---------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)
    | (?P<string>"[^"\\]*"|'[^'\\]*')
    | (?P<op>==|!=|<=|>=|\+=|-=|[<>=()\-])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
_FUNCTIONS = {"visited", "known"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # number | name | string | op | bad | end
    text: str
    offset: int
    hint: str = ""


class _Fail(Exception):
    """Internal: unwinds the parser to the single place that turns it into a LanguageError."""

    def __init__(self, error: LanguageError) -> None:
        self.error = error


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while True:
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            rest = source[position:]
            stripped = rest.lstrip()
            if not stripped:
                break
            offset = position + len(rest) - len(stripped)
            char = stripped[0]
            hint = {
                ".": "there are no attributes: name a stat or flag directly",
                "[": "there are no subscripts: name a stat or flag directly",
                "&": "write `and`", "|": "write `or`", "!": "write `not`",
                "+": "conditions do not do arithmetic; effects use `+=` in `do`",
                '"': "close the quoted string", "'": "close the quoted string",
            }.get(char, "")
            # Reported only when the parser reaches it, so earlier mistakes are reported first.
            tokens.append(_Token("bad", char, offset, hint))
            break
        kind = match.lastgroup or "op"
        tokens.append(_Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


# ---------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, source: str, names: Names) -> None:
        self.source = source
        self.names = names
        self.tokens = _tokenize(source)
        self.index = 0

    @property
    def token(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind == "bad":
            raise _Fail(LanguageError("LA030", f"unexpected character '{token.text}'", token.offset, token.hint))
        return token

    def advance(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def fail(self, message: str, token: _Token | None = None, hint: str = "", code: str = "LA030") -> _Fail:
        token = token or self.token
        return _Fail(LanguageError(code, message, token.offset, hint))

    def expect(self, text: str) -> _Token:
        if self.token.text != text or self.token.kind not in ("op", "name"):
            found = f"'{self.token.text}'" if self.token.kind != "end" else "the end"
            raise self.fail(f"expected '{text}' but found {found}")
        return self.advance()

    # Grammar, lowest precedence first:
    #   or_expr  := and_expr ('or' and_expr)*
    #   and_expr := not_expr ('and' not_expr)*
    #   not_expr := 'not' not_expr | compare
    #   compare  := atom (op atom)?          one comparison: no chains like 1 < a < 3
    def or_expr(self) -> Expr:
        first = self.and_expr()
        parts = [first]
        while self.token.kind == "name" and self.token.text == "or":
            self.advance()
            parts.append(self.and_expr())
        return first if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_expr(self) -> Expr:
        first = self.not_expr()
        parts = [first]
        while self.token.kind == "name" and self.token.text == "and":
            self.advance()
            parts.append(self.not_expr())
        return first if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_expr(self) -> Expr:
        if self.token.kind == "name" and self.token.text == "not":
            self.advance()
            return Not(self.not_expr())
        return self.compare()

    def compare(self) -> Expr:
        left = self.atom()
        if self.token.kind == "op" and self.token.text in _COMPARISONS:
            op = self.advance()
            right = self.atom()
            if self.token.kind == "op" and self.token.text in _COMPARISONS:
                raise self.fail("comparisons cannot be chained", hint="write `a < b and b < c`")
            return self.checked_compare(op, left, right)
        if self.token.kind == "op" and self.token.text == "=":
            raise self.fail("'=' sets a value in `do`; to compare, write '=='")
        return left

    def atom(self) -> Expr:
        token = self.advance()
        if token.kind == "number":
            return Const(int(token.text))
        if token.kind == "op" and token.text == "-" and self.token.kind == "number":
            return Const(-int(self.advance().text))
        if token.kind == "string":
            return Const(token.text[1:-1])
        if token.kind == "op" and token.text == "(":
            inner = self.or_expr()
            self.expect(")")
            return inner
        if token.kind == "name":
            return self.name(token)
        found = f"'{token.text}'" if token.kind != "end" else "the end of the expression"
        raise _Fail(LanguageError("LA030", f"expected a value but found {found}", token.offset))

    def name(self, token: _Token) -> Expr:
        word = token.text
        if word == "true":
            return Const(True)
        if word == "false":
            return Const(False)
        if word in ("and", "or", "not"):
            raise _Fail(LanguageError("LA030", f"'{word}' needs a value before it", token.offset))
        if self.token.kind == "op" and self.token.text == "(":
            return self.call(token)
        if word == "role":
            return RoleName()
        if word in self.names.stats:
            return Stat(word)
        if word in self.names.flags:
            return Flag(word)
        raise _Fail(unknown_name_error(word, token.offset, self.names))

    def call(self, token: _Token) -> Expr:
        function = token.text
        if function not in _FUNCTIONS:
            raise _Fail(LanguageError("LA031", f"unknown function '{function}'", token.offset,
                                      "the only functions are visited(scene_id) and known(fact_id)"))
        self.expect("(")
        argument = self.advance()
        if argument.kind == "string":
            value = argument.text[1:-1]
        elif argument.kind in ("name", "number"):
            value = argument.text
        else:
            raise _Fail(LanguageError("LA030", f"{function}() takes one id", argument.offset))
        self.expect(")")
        if function == "visited":
            if value not in self.names.places:
                raise _Fail(_unknown("scene or ending", value, argument.offset, self.names.places))
            return Visited(value)
        if value not in self.names.facts:
            raise _Fail(_unknown("fact", value, argument.offset, self.names.facts))
        return Known(value)

    def checked_compare(self, op: _Token, left: Expr, right: Expr) -> Expr:
        left_type, right_type = type_of(left), type_of(right)
        if isinstance(left, RoleName) or isinstance(right, RoleName):
            other = right if isinstance(left, RoleName) else left
            if op.text not in ("==", "!=") or not isinstance(other, Const) or not isinstance(other.value, str):
                raise _Fail(LanguageError("LA032", "role can only be compared with == or != to a quoted role id",
                                          op.offset, 'write role == "journalist"'))
            if other.value not in self.names.roles:
                raise _Fail(_unknown("role", other.value, op.offset, self.names.roles))
        elif left_type != right_type:
            raise _Fail(LanguageError("LA032", f"cannot compare {left_type} with {right_type}", op.offset,
                                      "stats are numbers, flags are true or false"))
        elif op.text not in ("==", "!=") and left_type != "number":
            raise _Fail(LanguageError("LA032", f"'{op.text}' compares numbers, not {left_type}s", op.offset))
        return Compare(op.text, left, right)


def type_of(expr: Expr) -> str:
    """'number', 'true/false' or 'text': what an expression produces, for error messages."""
    if isinstance(expr, Const):
        if isinstance(expr.value, bool):
            return "true/false"
        return "number" if isinstance(expr.value, int) else "text"
    if isinstance(expr, Stat):
        return "number"
    if isinstance(expr, RoleName):
        return "text"
    return "true/false"


def _unknown(kind: str, name: str, offset: int, choices: Collection[str]) -> LanguageError:
    close = get_close_matches(name, list(choices), n=1)
    hint = f"did you mean '{close[0]}'?" if close else ""
    return LanguageError("LA031", f"unknown {kind} '{name}'", offset, hint)


def unknown_name_error(word: str, offset: int, names: Names) -> LanguageError:
    known = [*names.stats, *names.flags, "role"]
    close = get_close_matches(word, known, n=1)
    if close:
        hint = f"did you mean '{close[0]}'?"
    elif word.startswith("_"):
        hint = "conditions can only read stats, flags, role, visited() and known()"
    else:
        hint = "declare it under `stats:` or `flags:` first"
    return LanguageError("LA031", f"unknown name '{word}'", offset, hint)


def parse_condition(source: str, names: Names) -> Expr | LanguageError:
    """Parse and type-check an `if` expression; a value of true/false type, or the first error."""
    try:
        parser = _Parser(source, names)
        if parser.token.kind == "end":
            return LanguageError("LA030", "the condition is empty", 0, "remove `if:` or write a condition")
        expr = parser.or_expr()
        if parser.token.kind != "end":
            raise parser.fail(f"unexpected '{parser.token.text}'",
                              hint="join conditions with `and` or `or`")
        if type_of(expr) != "true/false":
            hint = f"write `{source.strip()} > 0`" if isinstance(expr, Stat) else "a condition must be true or false"
            return LanguageError("LA032", f"this condition is a {type_of(expr)}, not true or false", 0, hint)
        return expr
    except _Fail as failure:
        return failure.error


_EFFECT = re.compile(r"\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>\+=|-=|=)\s*(?P<value>-?\d+|true|false)\s*$")


def parse_effect(source: str, names: Names) -> Effect | LanguageError:
    """Parse one `do` item: `name = value`, `name += n` or `name -= n`."""
    match = _EFFECT.match(source)
    if match is None:
        head = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", source)
        if head and head.group(1) not in names.stats and head.group(1) not in names.flags:
            return unknown_name_error(head.group(1), head.start(1), names)
        return LanguageError("LA033", f"cannot read the effect '{source.strip()}'", 0,
                             "write `stat += 1`, `stat -= 1`, `stat = 3` or `flag = true`")
    name, op, raw = match.group("name"), match.group("op"), match.group("value")
    offset = match.start("value")
    if name in names.stats:
        if raw in ("true", "false"):
            return LanguageError("LA032", f"'{name}' is a stat: give it a number", offset)
        return Effect(name, op, int(raw))
    if name in names.flags:
        if op != "=":
            return LanguageError("LA032", f"'{name}' is a flag: set it with `= true` or `= false`",
                                 match.start("op"))
        if raw not in ("true", "false"):
            return LanguageError("LA032", f"'{name}' is a flag: set it to true or false", offset)
        return Effect(name, op, raw == "true")
    return unknown_name_error(name, match.start("name"), names)


# ---------------------------------------------------------------------------- evaluation


def evaluate(expr: Expr, state: StateView) -> int | bool | str:
    """The value of an expression in a state. Only ever reads the state's own fields."""
    if isinstance(expr, Compare):
        left, right = evaluate(expr.left, state), evaluate(expr.right, state)
        return _COMPARE[expr.op](left, right)
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            return all(evaluate(part, state) for part in expr.operands)
        return any(evaluate(part, state) for part in expr.operands)
    if isinstance(expr, Not):
        return not evaluate(expr.operand, state)
    if isinstance(expr, Stat):
        return state.stats[expr.name]
    if isinstance(expr, Flag):
        return expr.name in state.flags
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, RoleName):
        return state.role
    if isinstance(expr, Visited):
        return state.visits.get(expr.target, 0) > 0
    if isinstance(expr, Known):
        return expr.fact in state.known
    raise TypeError(f"not an expression: {expr!r}")


_COMPARE: dict[str, Callable[[object, object], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
}


def rules_out_role(expr: Expr, role: str) -> bool:
    """True when the condition cannot hold for this role whatever else is true.

    Such a choice belongs to another role's story, so it is hidden even when it has `locked`
    text: a journalist should not see an activist's options greyed out.
    """
    if isinstance(expr, Compare) and (isinstance(expr.left, RoleName) or isinstance(expr.right, RoleName)):
        other = expr.right if isinstance(expr.left, RoleName) else expr.left
        if isinstance(other, Const):
            return (role == other.value) != (expr.op == "==")
    if isinstance(expr, BoolOp) and expr.op == "and":
        return any(rules_out_role(part, role) for part in expr.operands)
    return False


def names_read(expr: Expr) -> frozenset[tuple[str, str]]:
    """(kind, name) pairs an expression reads: kind is stat, flag, role, visited or known."""
    if isinstance(expr, Stat):
        return frozenset({("stat", expr.name)})
    if isinstance(expr, Flag):
        return frozenset({("flag", expr.name)})
    if isinstance(expr, RoleName):
        return frozenset({("role", "")})
    if isinstance(expr, Visited):
        return frozenset({("visited", expr.target)})
    if isinstance(expr, Known):
        return frozenset({("known", expr.fact)})
    if isinstance(expr, Not):
        return names_read(expr.operand)
    if isinstance(expr, Compare):
        return names_read(expr.left) | names_read(expr.right)
    if isinstance(expr, BoolOp):
        return frozenset().union(*(names_read(part) for part in expr.operands))
    return frozenset()


# ---------------------------------------------------------------------------- serialisation
# The load cache stores trees as JSON lists, so a cached scenario rebuilds without parsing.


def expr_to_json(expr: Expr) -> object:
    if isinstance(expr, Const):
        return ["c", expr.value]
    if isinstance(expr, Stat):
        return ["s", expr.name]
    if isinstance(expr, Flag):
        return ["f", expr.name]
    if isinstance(expr, RoleName):
        return ["r"]
    if isinstance(expr, Visited):
        return ["v", expr.target]
    if isinstance(expr, Known):
        return ["k", expr.fact]
    if isinstance(expr, Not):
        return ["n", expr_to_json(expr.operand)]
    if isinstance(expr, BoolOp):
        return [expr.op, *(expr_to_json(part) for part in expr.operands)]
    return ["cmp", expr.op, expr_to_json(expr.left), expr_to_json(expr.right)]


def expr_from_json(data: list) -> Expr:  # type: ignore[type-arg]
    """Rebuild a tree from `expr_to_json` output; raises ValueError on anything else."""
    tag = data[0]
    if tag == "c" and isinstance(data[1], (int, str)):
        return Const(data[1])
    if tag == "s":
        return Stat(str(data[1]))
    if tag == "f":
        return Flag(str(data[1]))
    if tag == "r":
        return RoleName()
    if tag == "v":
        return Visited(str(data[1]))
    if tag == "k":
        return Known(str(data[1]))
    if tag == "n":
        return Not(expr_from_json(data[1]))
    if tag in ("and", "or"):
        return BoolOp(tag, tuple(expr_from_json(part) for part in data[1:]))
    if tag == "cmp" and data[1] in _COMPARE:
        return Compare(data[1], expr_from_json(data[2]), expr_from_json(data[3]))
    raise ValueError(f"not a cached expression: {data!r}")
