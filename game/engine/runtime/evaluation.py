"""The value of a parsed expression in a game state: plain Python on the tree, never `eval`.

Evaluation only ever reads the state's own fields: stats, set flags, the role, visit counts and
the journal. Arithmetic is on whole numbers; each sum, product and negation is kept within
`limits.MAX_ARITHMETIC` (a product of large stats cannot grow without bound), and the effect
that stores a result clamps it to the stat's range.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Mapping
from typing import Any, Protocol, assert_never

from game.engine import limits
from game.engine.runtime.expressions import (
    BoolOp,
    Compare,
    CompareOp,
    Const,
    Expr,
    Flag,
    Known,
    Negate,
    Not,
    Product,
    RoleName,
    Stat,
    Sum,
    Visited,
    Visits,
)


class StateView(Protocol):
    """What evaluation reads; the game state provides it."""

    @property
    def role(self) -> str: ...

    @property
    def stats(self) -> Mapping[str, int]: ...

    @property
    def flags(self) -> Collection[str]: ...  # the flags that are set

    @property
    def visits(self) -> Mapping[str, int]: ...

    @property
    def known(self) -> Collection[str]: ...


_COMPARE: dict[CompareOp, Callable[[Any, Any], Any]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def bounded(value: int) -> int:
    """A result of arithmetic kept within plus or minus `limits.MAX_ARITHMETIC`."""
    top = limits.MAX_ARITHMETIC
    return top if value > top else -top if value < -top else value


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
        case Visits(target=target):
            return state.visits.get(target, 0)
        case Known(fact=fact):
            return fact in state.known
        case Sum() | Product() | Negate():
            return number(expr, state.stats)
        case _:
            assert_never(expr)


def number(expr: Expr, stats: Mapping[str, int]) -> int:
    """The value of arithmetic over stats and whole numbers (what effects and weights compute)."""
    match expr:
        case Const(value=int() as value):
            return int(value)
        case Stat(name=name):
            return stats[name]
        case Sum(terms=terms):
            total = 0
            for sign, term in terms:
                total = bounded(total + sign * number(term, stats))
            return total
        case Product(factors=factors):
            result = 1
            for factor in factors:
                result = bounded(result * number(factor, stats))
            return result
        case Negate(operand=operand):
            return -number(operand, stats)
        case _:
            raise TypeError(f"not a number: {expr!r}")  # the parser allows nothing else here


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
