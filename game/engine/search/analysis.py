"""A scenario compiled for fast play and search: each game state packed into one integer.

The tools that play thousands of games or walk every reachable state cannot afford a dict per
state. Here, for one role, a state becomes a single `int`: the place in the low bits, then each
tracked stat (as `value - min`), then one bit per tracked flag, per `visited()` place and per
`known()` fact. Conditions become closures that test bits and fields; each choice's outcome
becomes one closure `state -> next state` (its effects, the move and the arrival together).

Which parts of the state are tracked is the *projection* (`Reads`). The search tracks only what
some condition or text reads, so two states that differ only in parts nothing reads are one
state. Effects only ever add constants to, or set, one stat or flag at a time, so a stat's value
never depends on an untracked one: the projection loses nothing a player could see or do.

The engine's own rules stay the one source of truth: the start state comes from
`state.start`, effect tables are computed by running `state`'s effect rules on every value a
stat can take, text reads come from `text.render`, and the tests check the compiled conditions
and moves against `language.evaluate` and `state.advance` on random games. A stat with more
values than `TABULATED_VALUES` is not tabulated (a range of a billion would take minutes and
gigabytes): its effects compose into one clamped shift, `clamp(value + d, low, high)`, which the
tests check against the engine's rules the same way.

Compiling never recurses deeper than the condition's own nesting (which the loader bounds):
a long `and` chain becomes one closure over a tuple of tests, not a chain of closures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import assert_never

from game.engine.runtime import state as rules
from game.engine.runtime.language import (
    BoolOp,
    Compare,
    CompareOp,
    Const,
    Effect,
    Expr,
    Flag,
    Known,
    Not,
    RoleName,
    Stat,
    Visited,
    names_read,
)
from game.engine.runtime.model import Choice, Scenario
from game.engine.runtime.text import render

Test = Callable[[int], bool]
Step = Callable[[int], int]


# ---------------------------------------------------------------------------- what is tracked


@dataclass(frozen=True, slots=True)
class Reads:
    """The parts of a game state that are tracked: stat and flag names, places, fact ids."""

    stats: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # read by visited()
    facts: frozenset[str] = frozenset()  # read by known()

    def __or__(self, other: Reads) -> Reads:
        return Reads(self.stats | other.stats, self.flags | other.flags, self.places | other.places,
                     self.facts | other.facts)


def conditions(scenario: Scenario) -> Iterator[tuple[str, Choice]]:
    """Every choice that has a condition, with its scene id."""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.condition is not None:
                yield scene.id, choice


def condition_reads(scenario: Scenario) -> Reads:
    """What the scenario's `if` conditions read."""
    pairs: set[tuple[str, str]] = set()
    for _, choice in conditions(scenario):
        assert choice.condition is not None
        pairs |= names_read(choice.condition)
    return Reads(frozenset(n for k, n in pairs if k == "stat"), frozenset(n for k, n in pairs if k == "flag"),
                 frozenset(n for k, n in pairs if k == "visited"), frozenset(n for k, n in pairs if k == "known"))


class _Asked(dict[str, int]):
    """A mapping that answers every name and notes it: shows which names `render` looks up."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.asked: set[str] = set()
        self.names = names

    def __contains__(self, name: object) -> bool:
        if name in self.names:
            self.asked.add(str(name))
            return True
        return False

    def __getitem__(self, name: str) -> int:
        return 0


def texts(scenario: Scenario) -> Iterator[str]:
    """Every text a player can see with `{placeholders}` in it: scenes, endings, choices, locks."""
    for scene in scenario.scenes.values():
        yield scene.text
        for choice in scene.choices:
            yield choice.text
            yield choice.locked
    for ending in scenario.endings.values():
        yield ending.text


def text_reads(scenario: Scenario) -> Reads:
    """The stats and flags shown through `{name}` in text, found by the engine's own renderer."""
    stats = _Asked(set(scenario.stats))
    flags = _Asked(set(scenario.flags))
    for text in texts(scenario):
        render(text, stats, frozenset(), flags)
    return Reads(frozenset(stats.asked), frozenset(flags.asked))


def projection(scenario: Scenario) -> Reads:
    """What the exhaustive search tracks: everything a condition or a text reads."""
    return condition_reads(scenario) | text_reads(scenario)


def everything(scenario: Scenario) -> Reads:
    """What random games track: every stat and flag (for the ranges seen) and what conditions read."""
    return condition_reads(scenario) | Reads(frozenset(scenario.stats), frozenset(scenario.flags))


# ---------------------------------------------------------------------------- the packed state


@dataclass(frozen=True, slots=True)
class StatField:
    """A stat's place in the packed state: `(state >> shift) & mask` is `value - low`."""

    name: str
    low: int
    high: int
    shift: int
    mask: int


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A packed state unpacked: what the projection keeps of a game state.

    It offers the fields `language.evaluate` reads, so the engine can judge it directly.
    """

    role: str
    place: str
    stats: dict[str, int]
    flags: frozenset[str]
    visits: dict[str, int]  # 1 for each tracked place visited
    known: frozenset[str]  # the tracked facts in the journal

    def describe(self) -> str:
        """`safety 2, battery 40, has_footage` style, for reports."""
        parts = [f"{name} {value}" for name, value in self.stats.items()]
        parts += sorted(self.flags)
        parts += [f"visited({place})" for place in sorted(self.visits)]
        parts += [f"known({fact})" for fact in sorted(self.known)]
        return ", ".join(parts) if parts else "nothing tracked"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each tracked part of a state lives in the packed integer."""

    places: tuple[str, ...]  # scenes first, then endings: the low bits index this
    scene_count: int
    place_mask: int
    stats: tuple[StatField, ...]
    flag_bits: dict[str, int]
    visited_bits: dict[str, int]
    known_bits: dict[str, int]
    width: int  # bits in all
    numbers: dict[str, int]  # each place's index in `places`

    @property
    def full(self) -> int:
        return (1 << self.width) - 1

    def place_index(self, place: str) -> int:
        return self.numbers[place]

    def encode(self, game_state: rules.GameState) -> int:
        """Pack an engine state, keeping only the tracked parts."""
        packed = self.place_index(game_state.place)
        for stat in self.stats:
            packed |= (game_state.stats[stat.name] - stat.low) << stat.shift
        for name, bit in self.flag_bits.items():
            if name in game_state.flags:
                packed |= bit
        for place, bit in self.visited_bits.items():
            if game_state.visits.get(place, 0) > 0:
                packed |= bit
        for fact, bit in self.known_bits.items():
            if fact in game_state.known:
                packed |= bit
        return packed

    def decode(self, packed: int, role: str) -> Snapshot:
        return Snapshot(
            role=role,
            place=self.places[packed & self.place_mask],
            stats={stat.name: ((packed >> stat.shift) & stat.mask) + stat.low for stat in self.stats},
            flags=frozenset(name for name, bit in self.flag_bits.items() if packed & bit),
            visits={place: 1 for place, bit in self.visited_bits.items() if packed & bit},
            known=frozenset(fact for fact, bit in self.known_bits.items() if packed & bit),
        )

    def stat_value(self, packed: int, index: int) -> int:
        stat = self.stats[index]
        return ((packed >> stat.shift) & stat.mask) + stat.low


def make_layout(scenario: Scenario, reads: Reads) -> Layout:
    places = (*scenario.scenes, *scenario.endings)
    shift = max(1, (len(places) - 1).bit_length())
    place_mask = (1 << shift) - 1
    stats = []
    for name, definition in scenario.stats.items():  # the scenario's order, so layouts are stable
        if name in reads.stats:
            bits = max(1, (definition.max - definition.min).bit_length())
            stats.append(StatField(name, definition.min, definition.max, shift, (1 << bits) - 1))
            shift += bits

    def bits_for(names: list[str]) -> dict[str, int]:
        nonlocal shift
        found = {}
        for name in names:
            found[name] = 1 << shift
            shift += 1
        return found

    flag_bits = bits_for([name for name in scenario.flags if name in reads.flags])
    visited_bits = bits_for([place for place in places if place in reads.places])
    known_bits = bits_for([fact for fact in scenario.facts if fact in reads.facts])
    return Layout(places, len(scenario.scenes), place_mask, tuple(stats), flag_bits, visited_bits, known_bits, shift,
                  {place: number for number, place in enumerate(places)})


# ---------------------------------------------------------------------------- conditions

# A compiled condition is either a constant (it does not depend on the state, e.g. a role test
# inside one role's machine) or a closure. A "literal" is a single bit tested for 1 or 0; runs of
# literals joined by `and` or `or` become one mask test.

_Compiled = bool | Test


@dataclass(frozen=True, slots=True)
class _Literal:
    bit: int
    wanted: bool


_ORDER: dict[CompareOp, Callable[[int, int], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}
_FLIPPED: dict[CompareOp, CompareOp] = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _field_test(op: CompareOp, shift: int, mask: int, k: int) -> Test:
    """`((state >> shift) & mask) OP k`, one closure per operator so nothing is looked up per call."""
    match op:
        case ">=":
            return lambda s: (s >> shift) & mask >= k
        case ">":
            return lambda s: (s >> shift) & mask > k
        case "<=":
            return lambda s: (s >> shift) & mask <= k
        case "<":
            return lambda s: (s >> shift) & mask < k
        case "==":
            return lambda s: (s >> shift) & mask == k
        case "!=":
            return lambda s: (s >> shift) & mask != k
        case _:
            assert_never(op)


class _ConditionCompiler:
    def __init__(self, layout: Layout, role: str) -> None:
        self.layout = layout
        self.role = role
        self.fields = {stat.name: stat for stat in layout.stats}

    def compile(self, expr: Expr) -> _Compiled:
        node = self.node(expr)
        return self.closure(node) if isinstance(node, _Literal) else node

    # node(): a constant, a literal (kept open so `and`/`or` can merge it) or a closure
    def node(self, expr: Expr) -> bool | _Literal | Test:
        match expr:
            case Const(value=value):
                return bool(value)
            case Flag(name=name):
                return _Literal(self.layout.flag_bits[name], True)
            case Visited(target=target):
                return _Literal(self.layout.visited_bits[target], True)
            case Known(fact=fact):
                return _Literal(self.layout.known_bits[fact], True)
            case Not(operand=operand):
                inner = self.node(operand)
                if isinstance(inner, bool):
                    return not inner
                if isinstance(inner, _Literal):
                    return _Literal(inner.bit, not inner.wanted)
                return lambda s: not inner(s)
            case BoolOp():
                return self.bool_op(expr)
            case Compare():
                return self.compare(expr)
            case Stat() | RoleName():  # not true or false: the loader refuses them as conditions
                raise TypeError(f"not a condition: {expr!r}")
            case _:
                assert_never(expr)

    def closure(self, node: bool | _Literal | Test) -> _Compiled:
        if isinstance(node, _Literal):
            bit = node.bit
            return (lambda s: s & bit != 0) if node.wanted else (lambda s: s & bit == 0)
        return node

    def bool_op(self, expr: BoolOp) -> bool | _Literal | Test:
        is_and = expr.op == "and"
        literals: list[_Literal] = []
        tests: list[Test] = []
        for part in expr.operands:
            node = self.node(part)
            if isinstance(node, bool):
                if node != is_and:  # False in an `and`, True in an `or`, decides it
                    return node
                continue
            if isinstance(node, _Literal):
                literals.append(node)
            else:
                tests.append(node)
        if len(literals) == 1 and not tests:
            return literals[0]
        if literals:
            mask = 0
            value = 0
            for literal in literals:
                mask |= literal.bit
                # and: all literals hold  <=> state & mask == the wanted bits
                # or: some literal holds  <=> state & mask != the bits at which every one fails
                if literal.wanted == is_and:
                    value |= literal.bit
            tests.insert(0, (lambda s: s & mask == value) if is_and else (lambda s: s & mask != value))
        if not tests:
            return is_and
        return _joined(tuple(tests), every=is_and)

    def compare(self, expr: Compare) -> bool | _Literal | Test:
        if isinstance(expr.left, RoleName) or isinstance(expr.right, RoleName):
            other = expr.right if isinstance(expr.left, RoleName) else expr.left
            assert isinstance(other, Const)
            return (self.role == other.value) == (expr.op == "==")
        left, right = self.value(expr.left), self.value(expr.right)
        op = expr.op
        if not callable(left) and not callable(right):
            return _ORDER[op](left, right)  # type: ignore[arg-type]
        if isinstance(expr.left, Const) and isinstance(expr.right, Stat):
            return self.compare(Compare(_FLIPPED[op], expr.right, expr.left))
        if isinstance(expr.left, Stat) and isinstance(expr.right, Const) and not isinstance(expr.right.value, bool):
            stat = self.fields[expr.left.name]
            return _field_test(op, stat.shift, stat.mask, int(expr.right.value) - stat.low)
        if isinstance(right, bool) and op in ("==", "!="):  # a flag-like test against true/false
            inner = self.node(expr.left)
            wanted = right == (op == "==")
            if isinstance(inner, _Literal):
                return _Literal(inner.bit, inner.wanted == wanted)
            assert callable(inner)
            return inner if wanted else (lambda s: not inner(s))
        if isinstance(left, bool) and op in ("==", "!="):
            return self.compare(Compare(op, expr.right, expr.left))
        compare = _ORDER[op]
        get_left = left if callable(left) else (lambda s, v=left: v)
        get_right = right if callable(right) else (lambda s, v=right: v)
        return lambda s: compare(get_left(s), get_right(s))

    def value(self, expr: Expr) -> int | bool | str | Callable[[int], int | bool]:
        """A constant, or a closure giving the value (a stat's number, or true/false)."""
        if isinstance(expr, Const):
            return expr.value
        if isinstance(expr, Stat):
            stat = self.fields[expr.name]
            shift, mask, low = stat.shift, stat.mask, stat.low
            return lambda s: ((s >> shift) & mask) + low
        node = self.node(expr)
        if isinstance(node, bool):
            return node
        return self.closure(node)


def _joined(tests: tuple[Test, ...], every: bool) -> Test:
    """One test that holds when all (`every`) or any of `tests` do: flat, however many there are."""
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return (lambda s: first(s) and second(s)) if every else (lambda s: first(s) or second(s))
    combine = all if every else any
    return lambda s: combine(test(s) for test in tests)


def compile_condition(expr: Expr, layout: Layout, role: str) -> bool | Test:
    """A condition as a closure on packed states, or a constant when the state cannot change it."""
    return _ConditionCompiler(layout, role).compile(expr)


# ---------------------------------------------------------------------------- moves


#: A stat whose range has at most this many values has its effects tabulated by the engine's own
#: rules; a wider one gets a clamped shift (`Shift`) instead.
TABULATED_VALUES = 1024

# A table: (shift, mask, new field for each old field value, already shifted into place).
Table = tuple[int, int, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Shift:
    """Effects on one wide stat as one function of its packed field f: `clamp(f + add, low, high)`.

    Adding and subtracting with clamping compose into this form: clamping after adding `e` to
    `clamp(f + d, L, H)` is `clamp(f + d + e, clamp(L + e), clamp(H + e))`; setting makes `L = H`.
    All values are in field units (the stat's value minus its minimum).
    """

    shift: int
    mask: int
    add: int
    low: int
    high: int

    def after(self, field: int) -> int:
        moved = field + self.add
        return self.low if moved < self.low else self.high if moved > self.high else moved


def compose_effects(stat: StatField, effects: tuple[Effect, ...]) -> Shift:
    """The clamped shift that the effects on `stat`, applied in order, amount to."""
    top = stat.high - stat.low
    add, low, high = 0, 0, top
    for effect in effects:
        if effect.name != stat.name:
            continue
        amount = int(effect.value)
        if effect.op == "=":
            value = min(max(amount - stat.low, 0), top)
            add, low, high = 0, value, value
        else:
            change = amount if effect.op == "+=" else -amount
            add += change
            low, high = min(max(low + change, 0), top), min(max(high + change, 0), top)
    return Shift(stat.shift, stat.mask, add, low, high)


def _make_step(keep: int, put: int, tables: list[Table], shifts: list[Shift]) -> Step:
    """`state -> (state & keep) | put`, plus each changed stat looked up in its table or shifted."""
    if shifts:
        frozen_tables, frozen_shifts = tuple(tables), tuple(shifts)

        def step_with_shifts(s: int) -> int:
            result = (s & keep) | put
            for shift, mask, table in frozen_tables:
                result |= table[(s >> shift) & mask]
            for moved in frozen_shifts:
                result |= moved.after((s >> moved.shift) & moved.mask) << moved.shift
            return result

        return step_with_shifts
    if not tables:
        return lambda s: (s & keep) | put
    if len(tables) == 1:
        ((shift, mask, table),) = tables
        return lambda s: (s & keep) | put | table[(s >> shift) & mask]
    if len(tables) == 2:
        (shift1, mask1, table1), (shift2, mask2, table2) = tables
        return lambda s: (s & keep) | put | table1[(s >> shift1) & mask1] | table2[(s >> shift2) & mask2]
    frozen = tuple(tables)

    def step(s: int) -> int:
        result = (s & keep) | put
        for shift, mask, table in frozen:
            result |= table[(s >> shift) & mask]
        return result

    return step


def compile_move(scenario: Scenario, layout: Layout, effects: tuple[Effect, ...], target: str) -> Step:
    """The packed form of: apply these effects in order, then arrive at `target`."""
    clear = layout.place_mask
    put = layout.place_index(target)
    tables: list[Table] = []
    shifts: list[Shift] = []
    base = {name: stat.start for name, stat in scenario.stats.items()}
    if effects:
        for stat in layout.stats:
            if not any(effect.name == stat.name for effect in effects):
                continue
            if stat.high - stat.low + 1 > TABULATED_VALUES:
                moved = compose_effects(stat, effects)
                if moved.low == moved.high:  # set to one value whatever it was
                    clear |= stat.mask << stat.shift
                    put |= moved.low << stat.shift
                elif (moved.add, moved.low, moved.high) != (0, 0, stat.high - stat.low):
                    clear |= stat.mask << stat.shift
                    shifts.append(moved)
                continue
            results = []
            for value in range(stat.low, stat.high + 1):
                after, _ = rules.apply_effects(scenario, {**base, stat.name: value}, frozenset(), effects)
                results.append(after[stat.name] - stat.low)
            if results == list(range(len(results))):
                continue
            clear |= stat.mask << stat.shift
            if len(set(results)) == 1:
                put |= results[0] << stat.shift
            else:
                tables.append((stat.shift, stat.mask, tuple(r << stat.shift for r in results)))
        every_flag = frozenset(scenario.flags)
        _, set_from_none = rules.apply_effects(scenario, base, frozenset(), effects)
        _, left_of_all = rules.apply_effects(scenario, base, every_flag, effects)
        for name, bit in layout.flag_bits.items():
            if name in set_from_none:
                put |= bit
            elif name not in left_of_all:
                clear |= bit
    if target in layout.visited_bits:
        put |= layout.visited_bits[target]
    place = scenario.scenes.get(target) or scenario.endings[target]
    for fact in place.reveals:
        put |= layout.known_bits.get(fact, 0)
    return _make_step(layout.full & ~clear, put, tables, shifts)


# ---------------------------------------------------------------------------- the machine


@dataclass(frozen=True, slots=True)
class Branch:
    """One way a choice can go: its goto, or one of its outcomes."""

    outcome: int  # the outcome's index, or -1 for a plain goto
    weight: int
    target: str
    step: Step


@dataclass(frozen=True, slots=True)
class CompiledChoice:
    index: int  # the choice's number in the whole scenario (the same in every role's machine)
    scene: str
    choice: Choice
    test: Test | None  # None: always open
    never: bool  # the condition is false whatever the state (e.g. another role's choice)
    branches: tuple[Branch, ...]
    weights: list[int]


# The hot-loop form of a scene: (choice index, test or None, ((label, step), ...)) per open-able choice.
SceneCode = tuple[tuple[int, Test | None, tuple[tuple[int, Step], ...]], ...]


@dataclass(frozen=True, slots=True)
class Machine:
    """One role's game as packed states and closures."""

    scenario: Scenario
    role: str
    layout: Layout
    start: int
    choices: tuple[CompiledChoice, ...]  # every choice in the scenario, by index
    by_place: tuple[tuple[CompiledChoice, ...], ...]  # each place's choices (none at an ending)
    code: tuple[SceneCode | None, ...]  # each place's hot-loop form; None at an ending
    labels: tuple[tuple[int, int], ...]  # label -> (choice index, outcome index or -1)

    def place(self, packed: int) -> str:
        return self.layout.places[packed & self.layout.place_mask]

    def is_ending(self, packed: int) -> bool:
        return (packed & self.layout.place_mask) >= self.layout.scene_count

    def decode(self, packed: int) -> Snapshot:
        return self.layout.decode(packed, self.role)

    def open_choices(self, packed: int) -> list[CompiledChoice]:
        return [c for c in self.by_place[packed & self.layout.place_mask]
                if not c.never and (c.test is None or c.test(packed))]


def all_choices(scenario: Scenario) -> list[tuple[str, Choice]]:
    """(scene id, choice) for every choice, in file order: a choice's index is its place here."""
    return [(scene.id, choice) for scene in scenario.scenes.values() for choice in scene.choices]


def compile_role(scenario: Scenario, role: str, reads: Reads) -> Machine:
    layout = make_layout(scenario, reads)
    compiled: list[CompiledChoice] = []
    labels: list[tuple[int, int]] = []
    for index, (scene_id, choice) in enumerate(all_choices(scenario)):
        test: Test | None = None
        never = False
        if choice.condition is not None:
            condition = compile_condition(choice.condition, layout, role)
            if isinstance(condition, bool):
                never = not condition
            else:
                test = condition
        if choice.outcomes:
            branches = tuple(Branch(number, outcome.weight, outcome.goto,
                                    compile_move(scenario, layout, choice.effects + outcome.effects, outcome.goto))
                             for number, outcome in enumerate(choice.outcomes))
        else:
            branches = (Branch(-1, 1, choice.goto, compile_move(scenario, layout, choice.effects, choice.goto)),)
        compiled.append(CompiledChoice(index, scene_id, choice, test, never, branches,
                                       [branch.weight for branch in branches]))
    grouped: dict[str, list[CompiledChoice]] = {}
    for compiled_choice in compiled:
        grouped.setdefault(compiled_choice.scene, []).append(compiled_choice)
    by_place: list[tuple[CompiledChoice, ...]] = []
    code: list[SceneCode | None] = []
    for place in layout.places:
        mine = tuple(grouped.get(place, ()))
        by_place.append(mine)
        if place not in scenario.scenes:
            code.append(None)
            continue
        entries = []
        for c in mine:
            if c.never:
                continue
            steps = []
            for branch in c.branches:
                steps.append((len(labels), branch.step))
                labels.append((c.index, branch.outcome))
            entries.append((c.index, c.test, tuple(steps)))
        code.append(tuple(entries))
    start = layout.encode(rules.start(scenario, role))
    return Machine(scenario, role, layout, start, tuple(compiled), tuple(by_place), tuple(code), tuple(labels))
