"""The small language of `if` conditions, `do` effects and weights: parsed once, evaluated without `eval`.

Conditions: comparisons (== != < <= > >=), `and`, `or`, `not`, parentheses, whole numbers, the
arithmetic `+ - *`, `true`, `false`, quoted strings, stat and flag names, `role`, and the
functions `visited(place)`, `visits(place)` and `known(fact)`. Effects: `name = value`,
`name += amount`, `name -= amount`, where a stat's amount is arithmetic over stats and whole
numbers (`trust = trust + exposure`) and a flag's value is `true` or `false`. A weight is such
arithmetic too.

Parsing is our own tokenizer and recursive-descent parser, checked against the scenario's names
and types, so an expression can only ever read stats, flags, the role, visits and the journal.
Nothing in an author's text reaches Python: there are no attributes, subscripts or other calls.
Every input is bounded before it is parsed (`limits.py`): its length, how deep parentheses,
`not` and minus signs nest, and the size of its numbers, so no expression can exhaust the stack or
the interpreter's limit on long integers; each limit is an error at its column like any other.
The tree is in `expressions.py` and its evaluation in `evaluation.py`. A game needs only those
two: a scenario from the load cache is never parsed, so the model, the game state and the cache
import them directly, not this parser (and its diagnostics). This module re-exports both for the
loader and the tools, which parse.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal

from game.engine import limits
from game.engine.diagnostics import D, Diagnostic, closest
from game.engine.runtime.evaluation import StateView, bounded, evaluate, number, rules_out_role
from game.engine.runtime.expressions import (
    BoolOp,
    Compare,
    CompareOp,
    Const,
    Effect,
    EffectOp,
    Expr,
    Flag,
    Junction,
    Known,
    Names,
    Negate,
    Not,
    Product,
    RoleName,
    Stat,
    Sum,
    ValueType,
    Visited,
    Visits,
    compare_op,
    effect_op,
    expr_from_json,
    expr_to_json,
    names_read,
    type_of,
    visit_counts,
)

__all__ = [
    "BoolOp", "Compare", "CompareOp", "Const", "Effect", "EffectOp", "Expr", "Flag", "Junction", "Known",
    "LanguageError", "Names", "Negate", "Not", "Product", "RoleName", "Stat", "StateView", "Sum", "ValueType",
    "Visited", "Visits", "compare_op", "effect_op", "evaluate", "expr_from_json", "expr_to_json", "names_read",
    "number", "parse_condition", "parse_effect", "parse_number", "rules_out_role", "shorten_number", "type_of",
    "unknown_name_error", "visit_counts", "whole_number",
]


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

    def shifted(self, by: int) -> LanguageError:
        """The same error in a longer text, where the expression starts `by` characters in."""
        return LanguageError(self.diagnostic, self.offset + by, self.length, self.args)


def syntax_error(problem: str, offset: int, length: int = 1, advice: str = "") -> LanguageError:
    return LanguageError(D.CONDITION_SYNTAX, offset, length, {"problem": problem, "advice": advice})


def type_error(problem: str, offset: int, length: int = 1, advice: str = "") -> LanguageError:
    return LanguageError(D.TYPE_MISMATCH, offset, length, {"problem": problem, "advice": advice})


# ---------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)
    | (?P<string>"[^"\\]*"|'[^'\\]*')
    | (?P<op>==|!=|<=|>=|\+=|-=|[<>=()+*\-])
    )""",
    re.VERBOSE,
)
_COMPARISONS: frozenset[str] = frozenset({"==", "!=", "<", "<=", ">", ">="})
_FUNCTIONS = {"visited", "visits", "known"}
_ONLY_FUNCTIONS = "the only functions are visited(scene_id), visits(scene_id) and known(fact_id)"
_VISITS_ALONE = "visits() can only be compared with a whole number"
_ADVICE_FOR_CHARACTER = {
    ".": "there are no attributes: name a stat or flag directly",
    "[": "there are no subscripts: name a stat or flag directly",
    "&": "write `and`", "|": "write `or`", "!": "write `not`",
    "/": "there is no division: use + - and * on whole numbers", "%": "there is no remainder: use + - and *",
    '"': "close the quoted string", "'": "close the quoted string",
}

TokenKind = Literal["number", "name", "string", "op", "bad", "end"]


@dataclass(frozen=True, slots=True)
class _Token:
    """One token of a condition or effect, with its offset in the text."""

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
    #   compare  := sum (op sum)?            one comparison: no chains like 1 < a < 3
    #   sum      := product (('+' | '-') product)*
    #   product  := unary ('*' unary)*
    #   unary    := '-'* atom                 a minus before a number is part of the number
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
        left = self.sum()
        if self.token.kind == "op" and self.token.text in _COMPARISONS:
            op = self.advance()
            right = self.sum()
            if self.token.kind == "op" and self.token.text in _COMPARISONS:
                raise self.fail("comparisons cannot be chained", "write `a < b and b < c`")
            return self.checked_compare(op, left, right)
        if self.token.kind == "op" and self.token.text == "=":
            raise self.fail("'=' sets a value in `do`; to compare, write '=='")
        return left

    def sum(self) -> Expr:
        first = self.product()
        if not (self.token.kind == "op" and self.token.text in ("+", "-")):
            return first
        terms = [(1, self.operand(first, self.token))]
        while self.token.kind == "op" and self.token.text in ("+", "-"):
            op = self.advance()
            terms.append((1 if op.text == "+" else -1, self.operand(self.product(), op)))
        if all(isinstance(term, Const) for _, term in terms):
            total = 0
            for sign, term in terms:
                total = bounded(total + sign * int(term.value))  # type: ignore[union-attr]
            return Const(total)
        return Sum(tuple(terms))

    def product(self) -> Expr:
        first = self.unary()
        if not (self.token.kind == "op" and self.token.text == "*"):
            return first
        factors = [self.operand(first, self.token)]
        while self.token.kind == "op" and self.token.text == "*":
            op = self.advance()
            factors.append(self.operand(self.unary(), op))
        if all(isinstance(factor, Const) for factor in factors):
            result = 1
            for factor in factors:
                result = bounded(result * int(factor.value))  # type: ignore[union-attr]
            return Const(result)
        return Product(tuple(factors))

    def unary(self) -> Expr:
        outer = self.depth
        minuses = []
        while (self.token.kind == "op" and self.token.text == "-"
               and self.tokens[self.index + 1].kind != "number"):
            minuses.append(self.token)
            self.deeper(self.advance())
        expr = self.atom()
        if minuses:
            self.operand(expr, minuses[-1])
            if len(minuses) % 2:
                expr = Const(-int(expr.value)) if isinstance(expr, Const) else Negate(expr)
        self.depth = outer
        return expr

    def operand(self, expr: Expr, op: _Token) -> Expr:
        """An operand of `+ - *`: a number, and not a count of visits."""
        if isinstance(expr, Visits):
            raise _Fail(type_error(_VISITS_ALONE, op.offset, len(op.text), "write visits(place) >= 2"))
        kind = type_of(expr)
        if kind != "number":
            raise _Fail(type_error(f"'{op.text}' works on numbers, not {kind}", op.offset, len(op.text),
                                   "stats are numbers, flags are true or false"))
        return expr

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
                "kind": "function", "name": function, "suggestion": _ONLY_FUNCTIONS}))
        self.expect("(")
        argument = self.advance()
        if argument.kind == "string":
            value = argument.text[1:-1]
        elif argument.kind in ("name", "number"):
            value = argument.text
        else:
            raise _Fail(syntax_error(f"{function}() takes one id", argument.offset, len(argument.text)))
        self.expect(")")
        if function in ("visited", "visits"):
            if value not in self.names.places:
                raise _Fail(_unknown("scene or ending", value, argument, self.names.places))
            return Visited(value) if function == "visited" else Visits(value)
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
        elif isinstance(left, Visits) or isinstance(right, Visits):
            other = right if isinstance(left, Visits) else left
            if not isinstance(other, Const):
                raise _Fail(type_error(_VISITS_ALONE, op.offset, len(op.text), "write visits(place) >= 2"))
        return Compare(compare_op(op.text), left, right)

    def arithmetic(self, kind: str) -> Expr:
        """A whole expression that must be a number: an effect's amount or a weight."""
        if self.at_end():
            raise self.fail(f"the {kind} is missing", "write a whole number or arithmetic over stats")
        start = self.token.offset
        expr = self.sum()
        if not self.at_end():
            raise self.fail(f"unexpected '{self.token.text}'",
                            "one item sets one stat: write each change as its own item" if kind == "amount" else "")
        if isinstance(expr, Visits):
            raise _Fail(type_error(_VISITS_ALONE, start, len(self.source) - start, "use visits() in an `if` condition"))
        produces = type_of(expr)
        if produces != "number":
            raise _Fail(type_error(f"the {kind} is {produces}, not a number", start, len(self.source) - start,
                                   "stats are numbers, flags are true or false"))
        return expr


def _unknown(kind: str, name: str, token: _Token, choices: Collection[str]) -> LanguageError:
    close = closest(name, choices)
    return LanguageError(D.UNKNOWN_NAME, token.offset, len(token.text), {
        "kind": kind, "name": name, "suggestion": f"did you mean '{close}'?" if close else ""})


def unknown_name_error(word: str, offset: int, names: Names) -> LanguageError:
    close = closest(word, [*names.stats, *names.flags, "role"])
    if close:
        suggestion = f"did you mean '{close}'?"
    elif word.startswith("_"):
        suggestion = "conditions can only read stats, flags, role, visited(), visits() and known()"
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


_EFFECT_HEAD = re.compile(r"\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>\+=|-=|=(?!=))")


def parse_effect(source: str, names: Names) -> Effect | LanguageError:
    """Parse one `do` item: `name = value`, `name += amount` or `name -= amount`.

    A stat takes a whole number or arithmetic over stats (`trust = trust + exposure`); a flag is
    set with `= true` or `= false`.
    """
    too_long = _too_long(source)
    if too_long is not None:
        return too_long
    head = _EFFECT_HEAD.match(source)
    if head is None:
        word = re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", source)
        if word and word.group(1) not in names.stats and word.group(1) not in names.flags:
            return unknown_name_error(word.group(1), word.start(1), names)
        return LanguageError(D.EFFECT_SYNTAX, 0, len(source), {"effect": f"'{source.strip()}'"})
    name, op = head.group("name"), effect_op(head.group("op"))
    rest = source[head.end():]
    offset = head.end() + len(rest) - len(rest.lstrip())
    raw = rest.strip()
    if name in names.stats:
        if raw in ("true", "false"):
            return type_error(f"'{name}' is a stat: give it a number", offset, len(raw))
        try:
            parser = _Parser(source, names)
            parser.index = next(i for i, token in enumerate(parser.tokens) if token.offset >= head.end())
            amount = parser.arithmetic("amount")
        except _Fail as failure:
            return failure.error
        if isinstance(amount, Const):
            return Effect(name, op, int(amount.value))
        return Effect(name, op, 0, amount)
    if name in names.flags:
        if op != "=":
            return type_error(f"'{name}' is a flag: set it with `= true` or `= false`", head.start("op"), len(op))
        if raw not in ("true", "false"):
            return type_error(f"'{name}' is a flag: set it to true or false", offset, max(len(raw), 1))
        return Effect(name, op, raw == "true")
    return unknown_name_error(name, head.start("name"), names)


def parse_number(source: str, names: Names, kind: str = "weight") -> Expr | LanguageError:
    """Parse arithmetic over stats and whole numbers, such as a weight `exposure + 1`."""
    too_long = _too_long(source)
    if too_long is not None:
        return too_long
    try:
        return _Parser(source, names).arithmetic(kind)
    except _Fail as failure:
        return failure.error
