"""The tree of the small language: what a parsed `if`, `do`, weight or text condition is.

Every node is a frozen dataclass. Conditions are comparisons, `and`/`or`/`not`, stat and flag
names, `role`, `visited()`, `known()` and `visits()`; numbers are whole numbers, stats and the
arithmetic of `+`, `-` and `*` over them. Sums and products are flat (a tuple of terms, not a
chain of pairs), like `and` and `or`, so a long expression is a wide tree, never a deep one:
its depth is bounded by its parentheses, which the parser bounds (`limits.py`).

This module also says what a tree produces (`type_of`), what it reads (`names_read`: the search
tracks exactly that), and how it is stored in the load cache (`expr_to_json`, `expr_from_json`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal, Union, assert_never

CompareOp = Literal["==", "!=", "<", "<=", ">", ">="]
Junction = Literal["and", "or"]
EffectOp = Literal["=", "+=", "-="]
ValueType = Literal["number", "true/false", "text"]
#: What `names_read` reports: the kind of state an expression reads, with the name read.
ReadKind = Literal["stat", "flag", "role", "visited", "known", "visits"]


@dataclass(frozen=True, slots=True)
class Const:
    """A literal: a whole number, true or false, or a quoted role id."""

    value: int | bool | str


@dataclass(frozen=True, slots=True)
class Stat:
    """A stat's current value, by name."""

    name: str


@dataclass(frozen=True, slots=True)
class Flag:
    """Whether a flag is set, by name."""

    name: str


@dataclass(frozen=True, slots=True)
class RoleName:
    """The id of the role being played."""


@dataclass(frozen=True, slots=True)
class Visited:
    """`visited(scene)`: the game has been to the scene."""

    target: str


@dataclass(frozen=True, slots=True)
class Visits:
    """How many times the player has arrived at a scene or ending (the current arrival included).

    Only ever compared with a whole number, so the search can count up to the largest number a
    comparison names and no further.
    """

    target: str


@dataclass(frozen=True, slots=True)
class Known:
    """`known(fact)`: the player has found the fact."""

    fact: str


@dataclass(frozen=True, slots=True)
class Not:
    """`not X`."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class BoolOp:
    """`X and Y and ...` or `X or Y or ...`."""

    op: Junction
    operands: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Compare:
    """A comparison of two values: `safety >= 2`, `role == 'journalist'`."""

    op: CompareOp
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Sum:
    """Terms added (sign 1) or subtracted (sign -1), left to right: `trust + exposure - 1`."""

    terms: tuple[tuple[int, Expr], ...]


@dataclass(frozen=True, slots=True)
class Product:
    """Factors multiplied: `2 * trust`."""

    factors: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Negate:
    """`-trust`: a minus before something other than a whole number."""

    operand: Expr


Expr = Union[Const, Stat, Flag, RoleName, Visited, Visits, Known, Not, BoolOp, Compare, Sum, Product, Negate]


@dataclass(frozen=True, slots=True)
class Effect:
    """One `do` item: set, add to or subtract from a stat, or set a flag.

    `value` is the number or true/false when the right-hand side is a constant (the common case,
    which the search tabulates); `amount` is the arithmetic over stats when it is not, such as
    `trust + exposure` in `trust = trust + exposure`.
    """

    name: str
    op: EffectOp
    value: int | bool
    amount: Expr | None = None


@dataclass(frozen=True, slots=True)
class Names:
    """What an expression may refer to: the scenario's own ids."""

    stats: Collection[str]
    flags: Collection[str]
    roles: Collection[str]
    places: Collection[str]  # scene and ending ids, for visited() and visits()
    facts: Collection[str]


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
        case Stat() | Visits() | Sum() | Product() | Negate():
            return "number"
        case RoleName():
            return "text"
        case Flag() | Visited() | Known() | Not() | BoolOp() | Compare():
            return "true/false"
        case _:
            assert_never(expr)


def names_read(expr: Expr) -> frozenset[tuple[ReadKind, str]]:
    """(kind, name) pairs an expression reads: kind is stat, flag, role, visited, known or visits."""
    match expr:
        case Stat(name=name):
            return frozenset({("stat", name)})
        case Flag(name=name):
            return frozenset({("flag", name)})
        case RoleName():
            return frozenset({("role", "")})
        case Visited(target=target):
            return frozenset({("visited", target)})
        case Visits(target=target):
            return frozenset({("visits", target)})
        case Known(fact=fact):
            return frozenset({("known", fact)})
        case Not(operand=operand) | Negate(operand=operand):
            return names_read(operand)
        case Compare(left=left, right=right):
            return names_read(left) | names_read(right)
        case BoolOp(operands=parts) | Product(factors=parts):
            return frozenset().union(*(names_read(part) for part in parts))
        case Sum(terms=terms):
            return frozenset().union(*(names_read(term) for _, term in terms))
        case Const():
            return frozenset()
        case _:
            assert_never(expr)


def visit_counts(expr: Expr) -> dict[str, int]:
    """For each place whose `visits()` the expression compares, the largest number it is compared with.

    A count above every number it is compared with answers every comparison as that number
    plus one does, so the search counts each place's visits up to its largest number plus one.
    """
    found: dict[str, int] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        match node:
            case Compare(left=Visits(target=target), right=Const(value=int() as number)) | \
                    Compare(left=Const(value=int() as number), right=Visits(target=target)):
                found[target] = max(int(number), found.get(target, int(number)))
            case Compare(left=left, right=right):
                stack += [left, right]
            case Not(operand=operand) | Negate(operand=operand):
                stack.append(operand)
            case BoolOp(operands=parts) | Product(factors=parts):
                stack.extend(parts)
            case Sum(terms=terms):
                stack.extend(term for _, term in terms)
            case Visits(target=target):  # the parser only allows visits() beside a number: a safe cap
                found[target] = max(found.get(target, 0), 1_000_000_000)
            case Const() | Stat() | Flag() | RoleName() | Visited() | Known():
                pass
            case _:
                assert_never(node)
    return found


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
        case Visits(target=target):
            return ["vc", target]
        case Known(fact=fact):
            return ["k", fact]
        case Not(operand=operand):
            return ["n", expr_to_json(operand)]
        case Negate(operand=operand):
            return ["neg", expr_to_json(operand)]
        case BoolOp(op=op, operands=operands):
            return [op, *(expr_to_json(part) for part in operands)]
        case Compare(op=op, left=left, right=right):
            return ["cmp", op, expr_to_json(left), expr_to_json(right)]
        case Sum(terms=terms):
            return ["sum", *([sign, expr_to_json(term)] for sign, term in terms)]
        case Product(factors=factors):
            return ["mul", *(expr_to_json(factor) for factor in factors)]
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
        case ["vc", str(target)]:
            return Visits(target)
        case ["k", str(fact)]:
            return Known(fact)
        case ["n", list(operand)]:
            return Not(expr_from_json(operand))
        case ["neg", list(operand)]:
            return Negate(expr_from_json(operand))
        case ["and" | "or" as junction, *parts] if all(isinstance(part, list) for part in parts):
            return BoolOp("and" if junction == "and" else "or", tuple(expr_from_json(part) for part in parts))
        case ["cmp", op, list(left), list(right)]:
            return Compare(compare_op(op), expr_from_json(left), expr_from_json(right))
        case ["sum", *terms] if all(isinstance(t, list) and len(t) == 2 and t[0] in (1, -1) for t in terms):
            return Sum(tuple((int(sign), expr_from_json(term)) for sign, term in terms))
        case ["mul", *factors] if all(isinstance(factor, list) for factor in factors):
            return Product(tuple(expr_from_json(factor) for factor in factors))
        case _:
            raise ValueError(f"not a cached expression: {data!r}")
