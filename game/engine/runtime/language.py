"""The small language of `if` conditions and `do` effects: parsed once, evaluated without `eval`.

Conditions: comparisons (== != < <= > >=), `and`, `or`, `not`, parentheses, whole numbers,
`true`, `false`, quoted strings, stat and flag names, `role`, and the two functions
`visited(scene_id)` and `known(fact_id)`. Effects: `name = value`, `name += n`, `name -= n`.

Parsing is our own tokenizer and recursive-descent parser, checked against the scenario's names
and types, so an expression can only ever read stats, flags, the role, visits and the journal.
Nothing in an author's text reaches Python: there are no attributes, subscripts or other calls.
Every input is bounded before it is parsed (`limits.py`): its length, how deep parentheses and
`not` nest, and the size of its numbers, so no expression can exhaust the stack or the
interpreter's limit on long integers; each limit is an error at its column like any other.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any, Literal, Protocol, Union, assert_never

from game.engine import limits
from game.engine.diagnostics import D, Diagnostic

CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
Junction = Literal["and", "or"]
EffectOp = Literal["=", "+=", "-="]
ValueType = Literal["number", "true/false", "text"]

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
    op: Junction
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    op: CompareOp
    left: Expr
    right: Expr


Expr = Union[Const, Stat, Flag, RoleName, Visited, Known, Not, BoolOp, Compare]


@dataclass(frozen=True, slots=True)
class Effect:
    """One `do` item: set, add to or subtract from a stat, or set a flag."""

    name: str
    op: EffectOp
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
    """A problem in an expression: a diagnostic, its values, and where in the expression's text.

    The diagnostic's templates also name `where` (`if`, `do`, `the text`), which only the caller
    knows: `words(where)` fills it in.
    """

    diagnostic: Diagnostic
    offset: int
    length: int = 1
    args: Mapping[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.diagnostic.code

    def words(self, where: str) -> tuple[str, str]:
        """The message and the hint, for an expression found in `where`."""
        return self.diagnostic.words({**self.args, "where": where})


def syntax_error(problem: str, offset: int, length: int = 1, advice: str = "") -> LanguageError:
    return LanguageError(D.CONDITION_SYNTAX, offset, length, {"problem": problem, "advice": advice})


def type_error(problem: str, offset: int, length: int = 1, advice: str = "") -> LanguageError:
    return LanguageError(D.TYPE_MISMATCH, offset, length, {"problem": problem, "advice": advice})


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
_COMPARISONS: frozenset[str] = frozenset({"==", "!=", "<", "<=", ">", ">="})
_FUNCTIONS = {"visited", "known"}
_ADVICE_FOR_CHARACTER = {
    ".": "there are no attributes: name a stat or flag directly",
    "[": "there are no subscripts: name a stat or flag directly",
    "&": "write `and`", "|": "write `or`", "!": "write `not`",
    "+": "conditions do not do arithmetic; effects use `+=` in `do`",
    '"': "close the quoted string", "'": "close the quoted string",
}

TokenKind = Literal["number", "name", "string", "op", "bad", "end"]


@dataclass(frozen=True, slots=True)
class _Token:
    kind: TokenKind
    text: str
    offset: int


class _Fail(Exception):
    """Internal: unwinds the parser to the single place that turns it into a LanguageError."""

    def __init__(self, error: LanguageError) -> None:
        self.error = error


def _kind(group: str | None) -> TokenKind:
    match group:
        case "number" | "name" | "string" | "op":
            return group
        case _:
            return "op"


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while True:
        found = _TOKEN.match(source, position)
        if found is None or found.end() == position:
            rest = source[position:]
            stripped = rest.lstrip()
            if not stripped:
                break
            # Reported only when the parser reaches it, so earlier mistakes are reported first.
            tokens.append(_Token("bad", stripped[0], position + len(rest) - len(stripped)))
            break
        kind = _kind(found.lastgroup)
        tokens.append(_Token(kind, found.group(kind), found.start(kind)))
        position = found.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


def whole_number(digits: str, offset: int, negative: bool = False) -> int:
    """The value of a run of digits, or `_Fail` when it is beyond `limits.MAX_NUMBER`.

    The length is checked before converting, so a number of a million digits costs nothing.
    """
    significant = digits.lstrip("0")
    if len(significant) > len(str(limits.MAX_NUMBER)) or int(significant or "0") > limits.MAX_NUMBER:
        raise _Fail(LanguageError(D.NUMBER_TOO_LARGE, offset, len(digits) + negative,
                                  {"number": shorten_number(digits), "limit": f"{limits.MAX_NUMBER:,}"}))
    return -int(digits) if negative else int(digits)


def shorten_number(digits: str) -> str:
    """A number as a message can show it: a very long one by its length."""
    return digits if len(digits) <= 24 else f"a {len(digits):,}-digit number"


# ---------------------------------------------------------------------------- parser


class _Parser:
    def __init__(self, source: str, names: Names) -> None:
        self.source = source
        self.names = names
        self.tokens = _tokenize(source)
        self.index = 0
        self.depth = 0  # parentheses and `not`s around the current position

    def at_end(self) -> bool:
        return self.token.kind == "end"

    @property
    def token(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind == "bad":
            raise _Fail(syntax_error(f"unexpected character '{token.text}'", token.offset,
                                     advice=_ADVICE_FOR_CHARACTER.get(token.text, "")))
        return token

    def advance(self) -> _Token:
        token = self.token
        self.index += 1
        return token

    def fail(self, problem: str, advice: str = "") -> _Fail:
        token = self.token
        return _Fail(syntax_error(problem, token.offset, len(token.text), advice))

    def expect(self, text: str) -> _Token:
        if self.token.text != text or self.token.kind not in ("op", "name"):
            found = f"'{self.token.text}'" if self.token.kind != "end" else "the end"
            raise self.fail(f"expected '{text}' but found {found}")
        return self.advance()

    def deeper(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > limits.MAX_EXPRESSION_DEPTH:
            raise _Fail(LanguageError(D.EXPRESSION_TOO_DEEP, token.offset, len(token.text),
                                      {"limit": str(limits.MAX_EXPRESSION_DEPTH)}))

    # Grammar, lowest precedence first:
    #   or_expr  := and_expr ('or' and_expr)*
    #   and_expr := not_expr ('and' not_expr)*
    #   not_expr := 'not'* compare
    #   compare  := atom (op atom)?          one comparison: no chains like 1 < a < 3
    def or_expr(self) -> Expr:
        parts = [self.and_expr()]
        while self.token.kind == "name" and self.token.text == "or":
            self.advance()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else BoolOp("or", tuple(parts))

    def and_expr(self) -> Expr:
        parts = [self.not_expr()]
        while self.token.kind == "name" and self.token.text == "and":
            self.advance()
            parts.append(self.not_expr())
        return parts[0] if len(parts) == 1 else BoolOp("and", tuple(parts))

    def not_expr(self) -> Expr:
        outer = self.depth
        nots = 0
        while self.token.kind == "name" and self.token.text == "not":
            self.deeper(self.advance())
            nots += 1
        expr = self.compare()
        for _ in range(nots):
            expr = Not(expr)
        self.depth = outer
        return expr

    def compare(self) -> Expr:
        left = self.atom()
        if self.token.kind == "op" and self.token.text in _COMPARISONS:
            op = self.advance()
            right = self.atom()
            if self.token.kind == "op" and self.token.text in _COMPARISONS:
                raise self.fail("comparisons cannot be chained", "write `a < b and b < c`")
            return self.checked_compare(op, left, right)
        if self.token.kind == "op" and self.token.text == "=":
            raise self.fail("'=' sets a value in `do`; to compare, write '=='")
        return left

    def atom(self) -> Expr:
        token = self.advance()
        if token.kind == "number":
            return Const(whole_number(token.text, token.offset))
        if token.kind == "op" and token.text == "-" and self.token.kind == "number":
            return Const(whole_number(self.advance().text, token.offset, negative=True))
        if token.kind == "string":
            return Const(token.text[1:-1])
        if token.kind == "op" and token.text == "(":
            self.deeper(token)
            inner = self.or_expr()
            self.expect(")")
            self.depth -= 1
            return inner
        if token.kind == "name":
            return self.name(token)
        found = f"'{token.text}'" if token.kind != "end" else "the end of the expression"
        raise _Fail(syntax_error(f"expected a value but found {found}", token.offset, len(token.text)))

    def name(self, token: _Token) -> Expr:
        word = token.text
        if word == "true":
            return Const(True)
        if word == "false":
            return Const(False)
        if word in ("and", "or", "not"):
            raise _Fail(syntax_error(f"'{word}' needs a value before it", token.offset, len(word)))
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
            raise _Fail(LanguageError(D.UNKNOWN_NAME, token.offset, len(function), {
                "kind": "function", "name": function,
                "suggestion": "the only functions are visited(scene_id) and known(fact_id)"}))
        self.expect("(")
        argument = self.advance()
        if argument.kind == "string":
            value = argument.text[1:-1]
        elif argument.kind in ("name", "number"):
            value = argument.text
        else:
            raise _Fail(syntax_error(f"{function}() takes one id", argument.offset, len(argument.text)))
        self.expect(")")
        if function == "visited":
            if value not in self.names.places:
                raise _Fail(_unknown("scene or ending", value, argument, self.names.places))
            return Visited(value)
        if value not in self.names.facts:
            raise _Fail(_unknown("fact", value, argument, self.names.facts))
        return Known(value)

    def checked_compare(self, op: _Token, left: Expr, right: Expr) -> Expr:
        left_type, right_type = type_of(left), type_of(right)
        if isinstance(left, RoleName) or isinstance(right, RoleName):
            other = right if isinstance(left, RoleName) else left
            if op.text not in ("==", "!=") or not isinstance(other, Const) or not isinstance(other.value, str):
                raise _Fail(type_error("role can only be compared with == or != to a quoted role id",
                                       op.offset, len(op.text), 'write role == "journalist"'))
            if other.value not in self.names.roles:
                raise _Fail(_unknown("role", other.value, op, self.names.roles))
        elif left_type != right_type:
            raise _Fail(type_error(f"cannot compare {left_type} with {right_type}", op.offset, len(op.text),
                                   "stats are numbers, flags are true or false"))
        elif op.text not in ("==", "!=") and left_type != "number":
            raise _Fail(type_error(f"'{op.text}' compares numbers, not {left_type}s", op.offset, len(op.text)))
        return Compare(compare_op(op.text), left, right)


def compare_op(text: object) -> CompareOp:
    """The comparison an operator's text names; ValueError for anything else."""
    match text:
        case "==" | "!=" | "<" | "<=" | ">" | ">=":
            return text
        case _:
            raise ValueError(f"not a comparison: {text!r}")


def effect_op(text: object) -> EffectOp:
    """The effect an operator's text names; ValueError for anything else."""
    match text:
        case "=" | "+=" | "-=":
            return text
        case _:
            raise ValueError(f"not an effect operator: {text!r}")


def type_of(expr: Expr) -> ValueType:
    """What an expression produces, for error messages."""
    match expr:
        case Const(value=bool()):
            return "true/false"
        case Const(value=int()):
            return "number"
        case Const():
            return "text"
        case Stat():
            return "number"
        case RoleName():
            return "text"
        case Flag() | Visited() | Known() | Not() | BoolOp() | Compare():
            return "true/false"
        case _:
            assert_never(expr)


def _unknown(kind: str, name: str, token: _Token, choices: Collection[str]) -> LanguageError:
    close = get_close_matches(name, list(choices), n=1)
    return LanguageError(D.UNKNOWN_NAME, token.offset, len(token.text), {
        "kind": kind, "name": name, "suggestion": f"did you mean '{close[0]}'?" if close else ""})


def unknown_name_error(word: str, offset: int, names: Names) -> LanguageError:
    known = [*names.stats, *names.flags, "role"]
    close = get_close_matches(word, known, n=1)
    if close:
        suggestion = f"did you mean '{close[0]}'?"
    elif word.startswith("_"):
        suggestion = "conditions can only read stats, flags, role, visited() and known()"
    else:
        suggestion = "declare it under `stats:` or `flags:` first"
    return LanguageError(D.UNKNOWN_NAME, offset, len(word), {"kind": "name", "name": word, "suggestion": suggestion})


def _too_long(source: str) -> LanguageError | None:
    if len(source) <= limits.MAX_EXPRESSION_CHARS:
        return None
    return LanguageError(D.EXPRESSION_TOO_LONG, 0, len(source),
                         {"length": f"{len(source):,}", "limit": f"{limits.MAX_EXPRESSION_CHARS:,}"})


def parse_condition(source: str, names: Names) -> Expr | LanguageError:
    """Parse and type-check an `if` expression; a value of true/false type, or the first error."""
    too_long = _too_long(source)
    if too_long is not None:
        return too_long
    try:
        parser = _Parser(source, names)
        if parser.at_end():
            return syntax_error("the condition is empty", 0, advice="remove `if:` or write a condition")
        expr = parser.or_expr()
        if not parser.at_end():
            raise parser.fail(f"unexpected '{parser.token.text}'", "join conditions with `and` or `or`")
        produces = type_of(expr)
        if produces != "true/false":
            advice = f"write `{source.strip()} > 0`" if isinstance(expr, Stat) else "a condition must be true or false"
            return type_error(f"this condition is a {produces}, not true or false", 0, len(source), advice)
        return expr
    except _Fail as failure:
        return failure.error


_EFFECT = re.compile(r"\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>\+=|-=|=)\s*(?P<value>-?\d+|true|false)\s*$")


def parse_effect(source: str, names: Names) -> Effect | LanguageError:
    """Parse one `do` item: `name = value`, `name += n` or `name -= n`."""
    too_long = _too_long(source)
    if too_long is not None:
        return too_long
    found = _EFFECT.match(source)
    if found is None:
        head = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", source)
        if head and head.group(1) not in names.stats and head.group(1) not in names.flags:
            return unknown_name_error(head.group(1), head.start(1), names)
        return LanguageError(D.EFFECT_SYNTAX, 0, len(source), {"effect": f"'{source.strip()}'"})
    name, op, raw = found.group("name"), effect_op(found.group("op")), found.group("value")
    offset = found.start("value")
    if name in names.stats:
        if raw in ("true", "false"):
            return type_error(f"'{name}' is a stat: give it a number", offset, len(raw))
        try:
            return Effect(name, op, whole_number(raw.lstrip("-"), offset, negative=raw.startswith("-")))
        except _Fail as failure:
            return failure.error
    if name in names.flags:
        if op != "=":
            return type_error(f"'{name}' is a flag: set it with `= true` or `= false`", found.start("op"), len(op))
        if raw not in ("true", "false"):
            return type_error(f"'{name}' is a flag: set it to true or false", offset, len(raw))
        return Effect(name, op, raw == "true")
    return unknown_name_error(name, found.start("name"), names)


# ---------------------------------------------------------------------------- evaluation


def evaluate(expr: Expr, state: StateView) -> int | bool | str:
    """The value of an expression in a state. Only ever reads the state's own fields."""
    match expr:
        case Compare(op=op, left=left, right=right):
            return bool(_COMPARE[op](evaluate(left, state), evaluate(right, state)))
        case BoolOp(op="and", operands=operands):
            return all(evaluate(part, state) for part in operands)
        case BoolOp(operands=operands):
            return any(evaluate(part, state) for part in operands)
        case Not(operand=operand):
            return not evaluate(operand, state)
        case Stat(name=name):
            return state.stats[name]
        case Flag(name=name):
            return name in state.flags
        case Const(value=value):
            return value
        case RoleName():
            return state.role
        case Visited(target=target):
            return state.visits.get(target, 0) > 0
        case Known(fact=fact):
            return fact in state.known
        case _:
            assert_never(expr)


_COMPARE: dict[CompareOp, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
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
    match expr:
        case Stat(name=name):
            return frozenset({("stat", name)})
        case Flag(name=name):
            return frozenset({("flag", name)})
        case RoleName():
            return frozenset({("role", "")})
        case Visited(target=target):
            return frozenset({("visited", target)})
        case Known(fact=fact):
            return frozenset({("known", fact)})
        case Not(operand=operand):
            return names_read(operand)
        case Compare(left=left, right=right):
            return names_read(left) | names_read(right)
        case BoolOp(operands=operands):
            return frozenset().union(*(names_read(part) for part in operands))
        case Const():
            return frozenset()
        case _:
            assert_never(expr)


# ---------------------------------------------------------------------------- serialisation
# The load cache stores trees as JSON lists, so a cached scenario rebuilds without parsing.


def expr_to_json(expr: Expr) -> object:
    match expr:
        case Const(value=value):
            return ["c", value]
        case Stat(name=name):
            return ["s", name]
        case Flag(name=name):
            return ["f", name]
        case RoleName():
            return ["r"]
        case Visited(target=target):
            return ["v", target]
        case Known(fact=fact):
            return ["k", fact]
        case Not(operand=operand):
            return ["n", expr_to_json(operand)]
        case BoolOp(op=op, operands=operands):
            return [op, *(expr_to_json(part) for part in operands)]
        case Compare(op=op, left=left, right=right):
            return ["cmp", op, expr_to_json(left), expr_to_json(right)]
        case _:
            assert_never(expr)


def expr_from_json(data: list[Any]) -> Expr:
    """Rebuild a tree from `expr_to_json` output; raises ValueError on anything else."""
    match data:
        case ["c", int() | str() as value]:
            return Const(value)
        case ["s", str(name)]:
            return Stat(name)
        case ["f", str(name)]:
            return Flag(name)
        case ["r"]:
            return RoleName()
        case ["v", str(target)]:
            return Visited(target)
        case ["k", str(fact)]:
            return Known(fact)
        case ["n", list(operand)]:
            return Not(expr_from_json(operand))
        case ["and" | "or" as junction, *parts] if all(isinstance(part, list) for part in parts):
            return BoolOp("and" if junction == "and" else "or", tuple(expr_from_json(part) for part in parts))
        case ["cmp", op, list(left), list(right)]:
            return Compare(compare_op(op), expr_from_json(left), expr_from_json(right))
        case _:
            raise ValueError(f"not a cached expression: {data!r}")
