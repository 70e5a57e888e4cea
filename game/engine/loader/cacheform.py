"""The load cache's form of a scenario: JSON built so that it turns back into the model fast.

A cached load is `json.loads` and then this decoding, so the decoding should cost as little as
possible beside the parse. Two things make it cheap:

- **Shared values.** The model is immutable, so equal values may be one object. Expressions
  (every node), effects, tuples of effects, outcomes and tuples of outcomes are each written
  once, in a table, and referred to by position: a scenario repeats the same conditions and
  effects on many choices, and each distinct one is decoded once. References are 1-based where
  None is allowed (0 is None), and an expression node refers only to nodes before it, so a
  table can never hold a cycle.
- **Columns.** Scenes, choices and outcomes (the many objects) are written a column per field.
  They are rebuilt without running each object's `__init__`: the objects are made empty, then
  each field is set down its column by the slot's own descriptor, the loop running in C
  (`map`), as `object.__setattr__` in the generated `__init__` would. These are frozen
  slotted dataclasses with no `__post_init__`; `SCHEMA` names their fields, the cache entry
  records it, and an entry written for other fields is a miss.

Everything read is checked as it is used: table references in range, columns of equal
length, expression operators and effect values as the parser makes them. Anything else raises
ValueError, TypeError, IndexError or KeyError, which the cache treats as a miss.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from itertools import chain, islice, repeat
from typing import Any, TypeVar

from game.engine.runtime.expressions import (
    BoolOp,
    Compare,
    Const,
    Effect,
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
    compare_op,
    effect_op,
)
from game.engine.runtime.knowledge import CheckItem
from game.engine.runtime.model import (
    Choice,
    Debrief,
    Ending,
    Fact,
    FlagDef,
    Outcome,
    Role,
    Scenario,
    Scene,
    Source,
    StatDef,
)
from game.engine.runtime.text import template_from_json, template_to_json

T = TypeVar("T")

_COLUMNS: tuple[type, ...] = (Scene, Choice, Outcome)
#: The fields of the classes written as columns, in order: part of every entry's stamp.
SCHEMA = ";".join(f"{cls.__name__}:{','.join(f.name for f in fields(cls))}" for cls in _COLUMNS)
_FIELDS: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in _COLUMNS}
_OUTCOME_EFFECTS, _OUTCOME_WEIGHT, _OUTCOME_CONDITION = map(_FIELDS[Outcome].index, ("effects", "weight_expr", "condition"))
_CHOICE_OUTCOMES, _CHOICE_CONDITION, _CHOICE_EFFECTS = map(_FIELDS[Choice].index, ("outcomes", "condition", "effects"))
_SCENE_CHOICES = _FIELDS[Scene].index("choices")
_SCENE_TUPLES = tuple(map(_FIELDS[Scene].index, ("reveals", "real", "invented")))


# ---------------------------------------------------------------------------- writing


class _Tables:
    """The shared values of one scenario, each written once, in first-use order."""

    def __init__(self) -> None:
        self.nodes: list[list[object]] = []
        self.effects: list[list[object]] = []
        self.effect_sets: list[list[int]] = [[]]  # 0: no effects
        self.outcomes: list[list[object]] = []  # rows, a value per field
        self.outcome_sets: list[list[int]] = [[]]  # 0: no outcomes
        self._seen: dict[tuple[str, tuple[object, ...], tuple[type, ...]], int] = {}

    def _intern(self, kind: str, table: list[Any], item: Any, base: int) -> int:
        # Keyed by the values and their types: equal-but-different values (1 and True) stay apart.
        key = (kind, tuple(item), tuple(map(type, item)))
        position = self._seen.get(key)
        if position is None:
            table.append(item)
            position = self._seen[key] = len(table) - 1 + base
        return position

    def expr(self, expr: Expr | None) -> int:
        """The 1-based position of an expression's node (0: None)."""
        if expr is None:
            return 0
        node: list[object]
        match expr:
            case Const(value=value):
                node = ["c", value]
            case Stat(name=name):
                node = ["s", name]
            case Flag(name=name):
                node = ["f", name]
            case RoleName():
                node = ["r"]
            case Visited(target=target):
                node = ["v", target]
            case Visits(target=target):
                node = ["vc", target]
            case Known(fact=fact):
                node = ["k", fact]
            case Not(operand=operand):
                node = ["n", self.expr(operand)]
            case Negate(operand=operand):
                node = ["neg", self.expr(operand)]
            case BoolOp(op=op, operands=operands):
                node = [op, *(self.expr(part) for part in operands)]
            case Compare(op=op, left=left, right=right):
                node = ["cmp", op, self.expr(left), self.expr(right)]
            case Sum(terms=terms):
                node = ["sum", *(x for sign, term in terms for x in (sign, self.expr(term)))]
            case Product(factors=factors):
                node = ["mul", *(self.expr(factor) for factor in factors)]
            case _:
                raise TypeError(f"not an expression: {expr!r}")
        return self._intern("node", self.nodes, node, 1)

    def effect_set(self, effects: tuple[Effect, ...]) -> int:
        if not effects:
            return 0
        members = [self._intern("effect", self.effects, [e.name, e.op, e.value, self.expr(e.amount)], 0)
                   for e in effects]
        return self._intern("effects", self.effect_sets, members, 0)

    def outcome_set(self, outcomes: tuple[Outcome, ...]) -> int:
        if not outcomes:
            return 0
        convert: dict[str, Callable[[Any], object]] = {"effects": self.effect_set, "weight_expr": self.expr,
                                                       "condition": self.expr}
        members = [self._intern("outcome", self.outcomes, _row(Outcome, o, convert), 0) for o in outcomes]
        return self._intern("outcomes", self.outcome_sets, members, 0)


def _row(cls: type, item: object, convert: dict[str, Callable[[Any], object]]) -> list[object]:
    return [convert.get(name, _plain)(getattr(item, name)) for name in _FIELDS[cls]]


def _columns(cls: type, objects: Sequence[object], convert: dict[str, Callable[[Any], object]]) -> list[list[object]]:
    return [[convert.get(name, _plain)(getattr(o, name)) for o in objects] for name in _FIELDS[cls]]


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def scenario_to_json(s: Scenario) -> dict[str, object]:
    """The scenario in the cache's form (plain lists, dicts, strings and numbers)."""
    tables = _Tables()
    scenes = list(s.scenes.values())
    choices = [c for scene in scenes for c in scene.choices]
    choice_columns = _columns(Choice, choices, {"outcomes": tables.outcome_set, "condition": tables.expr,
                                                "effects": tables.effect_set})
    scene_columns = _columns(Scene, scenes, {"choices": len})
    outcome_columns = [[row[field] for row in tables.outcomes] for field in range(len(_FIELDS[Outcome]))]
    templates = [[text, template_to_json(template)] for text, template in s.texts.items()]
    return {
        "head": [s.format, s.id, s.title, s.summary, s.language, s.audience, s.minutes,
                 list(s.content_warnings), list(s.learning_objectives), s.path],
        "sources": [[x.id, x.title, x.publisher, x.published, x.url, x.file] for x in s.sources.values()],
        "stats": [[x.id, x.label, x.min, x.max, x.start, x.hidden] for x in s.stats.values()],
        "flags": [[x.id, x.label] for x in s.flags.values()],
        "roles": [[x.id, x.title, x.blurb, x.start, x.stats] for x in s.roles.values()],
        "facts": [[x.id, x.text, x.source, x.quote, x.note] for x in s.facts.values()],
        "glossary": s.glossary,
        # Tables before their users: outcomes refer to effect sets and nodes written by then.
        "nodes": tables.nodes,
        "effects": tables.effects,
        "effect_sets": tables.effect_sets,
        "outcomes": outcome_columns,
        "outcome_sets": tables.outcome_sets,
        "choices": choice_columns,
        "scenes": scene_columns,
        "endings": [[x.id, x.title, x.tone, x.text, x.debrief.summary, list(x.debrief.facts),
                     list(x.debrief.questions), list(x.reveals), x.basis, x.line, list(x.debrief.governments),
                     list(x.real), list(x.invented)] for x in s.endings.values()],
        "texts": templates,
        "includes": list(s.includes),
        "check": [[x.id, x.question, list(x.options), x.answer, x.fact, x.line] for x in s.check],
    }


# ---------------------------------------------------------------------------- reading


def _ref(built: list[Expr | None], position: object) -> Expr:
    """An earlier node: never None, never itself or a later one."""
    if type(position) is not int or not 0 < position < len(built):
        raise ValueError(f"not a node reference: {position!r}")
    return built[position]  # type: ignore[return-value]


def _name(value: object) -> str:
    if type(value) is not str:
        raise ValueError(f"not a name: {value!r}")
    return value


def _node(data: list[Any], built: list[Expr | None]) -> Expr:
    tag = data[0]
    if tag == "cmp":
        _, op, left, right = data
        return Compare(compare_op(op), _ref(built, left), _ref(built, right))
    if tag == "f" or tag == "s" or tag == "v" or tag == "vc" or tag == "k":
        _, name = data
        return _LEAVES[tag](_name(name))
    if tag == "c":
        _, value = data
        if not isinstance(value, int | str):  # bool is an int
            raise ValueError(f"not a constant: {value!r}")
        return Const(value)
    if tag == "and" or tag == "or":
        if len(data) < 2:
            raise ValueError("a junction of nothing")
        return BoolOp("and" if tag == "and" else "or", tuple([_ref(built, part) for part in data[1:]]))
    if tag == "n":
        _, operand = data
        return Not(_ref(built, operand))
    if tag == "neg":
        _, operand = data
        return Negate(_ref(built, operand))
    if tag == "r" and len(data) == 1:
        return RoleName()
    if tag == "sum" and len(data) % 2 == 1 and len(data) > 1:
        signs = data[1::2]
        if any(sign != 1 and sign != -1 or type(sign) is not int for sign in signs):
            raise ValueError(f"not a sum: {data!r}")
        return Sum(tuple([(sign, _ref(built, term)) for sign, term in zip(signs, data[2::2])]))
    if tag == "mul" and len(data) > 1:
        return Product(tuple([_ref(built, factor) for factor in data[1:]]))
    raise ValueError(f"not a cached expression node: {data!r}")


_LEAVES: dict[str, Callable[[str], Expr]] = {"f": Flag, "s": Stat, "v": Visited, "vc": Visits, "k": Known}


def _nodes(data: list[Any]) -> list[Expr | None]:
    built: list[Expr | None] = [None]  # position 0: None
    for node in data:
        built.append(_node(node, built))
    return built


def _effect(data: list[Any], nodes: list[Expr | None]) -> Effect:
    name, op, value, amount = data
    if not isinstance(value, int):  # bool is an int too
        raise ValueError(f"not an effect's value: {value!r}")
    return Effect(_name(name), effect_op(op), value, None if amount == 0 else _ref(nodes, amount))


def _pick(table: Sequence[T], positions: list[Any]) -> list[T]:
    """The table's items at these positions, in order; IndexError or ValueError for a position out
    of range (a negative one would count from the end), TypeError for one not a whole number."""
    if not isinstance(positions, list):
        raise ValueError("not a column")
    if positions and min(positions) < 0:
        raise ValueError("a negative reference")
    return list(map(table.__getitem__, positions))


def _sets(table: Sequence[T], data: list[Any]) -> list[tuple[T, ...]]:
    """Tuples of the table's items, each set checked at once (one pass of `min` over them all)."""
    if not isinstance(data, list) or not all(map(isinstance, data, repeat(list))):
        raise ValueError("not a list of sets")
    _pick(table, list(chain.from_iterable(data)))
    return list(map(tuple, map(map, repeat(table.__getitem__), data)))


def _build(cls: type[T], columns: list[list[Any]]) -> list[T]:
    """Objects of a frozen slotted dataclass from a column per field, set without `__init__`."""
    names = _FIELDS[cls]
    if not isinstance(columns, list) or len(columns) != len(names):
        raise ValueError(f"not the columns of {cls.__name__}")
    count = len(columns[0])
    if any(not isinstance(column, list) or len(column) != count for column in columns):
        raise ValueError(f"columns of {cls.__name__} of different lengths")
    made = list(map(object.__new__, repeat(cls, count)))
    for name, column in zip(names, columns):
        deque(map(getattr(cls, name).__set__, made, column), maxlen=0)
    return made


def _tuples(column: Iterable[Any]) -> list[tuple[Any, ...]]:
    return list(map(tuple, column))


def scenario_from_json(d: dict, content_hash: str) -> Scenario:  # type: ignore[type-arg]
    """The scenario `scenario_to_json` wrote; ValueError, TypeError, KeyError or IndexError for anything else."""
    nodes = _nodes(d["nodes"])
    effects = [_effect(e, nodes) for e in d["effects"]]
    effect_sets = _sets(effects, d["effect_sets"])
    if effect_sets[0] != ():
        raise ValueError("effect set 0 is not empty")

    columns = list(d["outcomes"])
    columns[_OUTCOME_EFFECTS] = _pick(effect_sets, columns[_OUTCOME_EFFECTS])
    columns[_OUTCOME_WEIGHT] = _pick(nodes, columns[_OUTCOME_WEIGHT])
    columns[_OUTCOME_CONDITION] = _pick(nodes, columns[_OUTCOME_CONDITION])
    outcome_sets = _sets(_build(Outcome, columns), d["outcome_sets"])
    if outcome_sets[0] != ():
        raise ValueError("outcome set 0 is not empty")

    columns = list(d["choices"])
    columns[_CHOICE_OUTCOMES] = _pick(outcome_sets, columns[_CHOICE_OUTCOMES])
    columns[_CHOICE_CONDITION] = _pick(nodes, columns[_CHOICE_CONDITION])
    columns[_CHOICE_EFFECTS] = _pick(effect_sets, columns[_CHOICE_EFFECTS])
    choices = _build(Choice, columns)

    columns = list(d["scenes"])
    counts = columns[_SCENE_CHOICES]
    if not isinstance(counts, list) or sum(counts) != len(choices) or (counts and min(counts) < 0):
        raise ValueError("the scenes' choices do not add up")
    following = iter(choices)
    columns[_SCENE_CHOICES] = list(map(tuple, map(islice, repeat(following), counts)))  # in turn
    for position in _SCENE_TUPLES:
        columns[position] = _tuples(columns[position])
    scenes = _build(Scene, columns)

    fmt, sid, title, summary, language, audience, minutes, warnings, objectives, path = d["head"]
    return Scenario(
        format=fmt, id=sid, title=title, summary=summary, language=language, audience=audience,
        minutes=minutes, content_warnings=tuple(warnings), learning_objectives=tuple(objectives),
        sources={x[0]: Source(*x) for x in d["sources"]},
        stats={x[0]: StatDef(*x) for x in d["stats"]},
        flags={x[0]: FlagDef(*x) for x in d["flags"]},
        roles={x[0]: Role(*x) for x in d["roles"]},
        facts={x[0]: Fact(*x) for x in d["facts"]},
        glossary=dict(d["glossary"]),
        scenes=dict(zip(columns[0], scenes)),
        endings={x[0]: Ending(x[0], x[1], x[2], x[3], Debrief(x[4], tuple(x[5]), tuple(x[6]), tuple(x[10])),
                              tuple(x[7]), x[8], x[9], tuple(x[11]), tuple(x[12]))
                 for x in d["endings"]},
        path=path, content_hash=content_hash,
        texts={str(text): template_from_json(template) for text, template in d["texts"]},
        includes=tuple(str(include) for include in d["includes"]),
        check=tuple([CheckItem(x[0], x[1], tuple(x[2]), x[3], x[4], x[5]) for x in d["check"]]),
    )
