"""A scenario compiled for fast play and search: each game state packed into one integer.

The tools that play thousands of games or walk every reachable state cannot afford a dict per
state. Here, for one role, a state becomes a single `int`: the place in the low bits, then each
tracked stat (as `value - min`), then one bit per tracked flag, per `visited()` place and per
`known()` fact. Conditions become closures that test bits and fields; each choice's outcome
becomes one closure `state -> next state` (its effects, the move and the arrival together).

Which parts of the state are tracked is the *projection* (`Reads`). The search tracks only what
some condition, weight or text reads (a text's `{if ...}` included, so two states that show
different text are different states), so two states that differ only in parts nothing reads are
one state. An effect may compute a stat from others (`trust = trust + exposure`): the projection
then tracks those others too, until nothing tracked depends on anything untracked, so it loses
nothing a player could see or do. A place whose `visits()` a condition compares is counted up to
one more than the largest number it is compared with (more visits answer every comparison the
same), and each `once` choice has a bit that says it was taken.

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
from dataclasses import dataclass, field
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
    Negate,
    Not,
    Product,
    RoleName,
    Stat,
    Sum,
    Visited,
    Visits,
    names_read,
    number,
    visit_counts,
)
from game.engine.runtime.model import Choice, Scenario
from game.engine.runtime.text import render, template_reads

Test = Callable[[int], bool]
Step = Callable[[int], int]


# ---------------------------------------------------------------------------- what is tracked


@dataclass(frozen=True, slots=True)
class Reads:
    """The parts of a game state that are tracked: stat and flag names, places, fact ids, visit counts."""

    stats: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()  # read by visited()
    facts: frozenset[str] = frozenset()  # read by known()
    counts: frozenset[tuple[str, int]] = frozenset()  # (place, largest number its visits() is compared with)

    def __or__(self, other: Reads) -> Reads:
        return Reads(self.stats | other.stats, self.flags | other.flags, self.places | other.places,
                     self.facts | other.facts, self.counts | other.counts)

    def caps(self) -> dict[str, int]:
        """Each counted place with the count its visits stop at: its largest number plus one."""
        found: dict[str, int] = {}
        for place, largest in self.counts:
            found[place] = max(found.get(place, 1), largest + 1, 1)
        return found


def _reads_of(pairs: set[tuple[str, str]], counts: dict[str, int]) -> Reads:
    return Reads(frozenset(n for k, n in pairs if k == "stat"), frozenset(n for k, n in pairs if k == "flag"),
                 frozenset(n for k, n in pairs if k == "visited"), frozenset(n for k, n in pairs if k == "known"),
                 frozenset(counts.items()))


def conditions(scenario: Scenario) -> Iterator[tuple[str, Choice]]:
    """Every choice that has a condition, with its scene id."""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.condition is not None:
                yield scene.id, choice


def tests(scenario: Scenario) -> Iterator[Expr]:
    """Every expression that decides what a player may do: choice and outcome conditions, weights."""
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            if choice.condition is not None:
                yield choice.condition
            for outcome in choice.outcomes:
                if outcome.condition is not None:
                    yield outcome.condition
                if outcome.weight_expr is not None:
                    yield outcome.weight_expr


def condition_reads(scenario: Scenario) -> Reads:
    """What the scenario's `if` conditions (of choices and outcomes) and weights read."""
    pairs: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    for expr in tests(scenario):
        pairs |= names_read(expr)
        for place, largest in visit_counts(expr).items():
            counts[place] = max(largest, counts.get(place, largest))
    return _reads_of(pairs, counts)


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
    """What text shows or decides: the stats and flags shown through `{name}` (found by the
    engine's own renderer), and everything the conditions of `{if ...}` read."""
    stats = _Asked(set(scenario.stats))
    flags = _Asked(set(scenario.flags))
    pairs: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    for text in texts(scenario):
        template = scenario.texts.get(text)
        if template is None:
            render(text, stats, frozenset(), flags)
            continue
        read, compared = template_reads(template)
        pairs |= read
        for place, largest in compared.items():
            counts[place] = max(largest, counts.get(place, largest))
    return Reads(frozenset(stats.asked), frozenset(flags.asked)) | _reads_of(pairs, counts)


def closed(scenario: Scenario, reads: Reads) -> Reads:
    """`reads` with every stat that a tracked stat is computed from (`trust = trust + exposure`
    tracks `exposure` when `trust` is tracked), until nothing tracked depends on the untracked."""
    amounts = [(effect.name, effect.amount) for scene in scenario.scenes.values() for choice in scene.choices
               for effects in (choice.effects, *(outcome.effects for outcome in choice.outcomes))
               for effect in effects if effect.amount is not None]
    stats = set(reads.stats)
    grown = True
    while grown:
        grown = False
        for name, amount in amounts:
            if name in stats:
                more = {read for kind, read in names_read(amount) if kind == "stat"} - stats
                if more:
                    stats |= more
                    grown = True
    return Reads(frozenset(stats), reads.flags, reads.places, reads.facts, reads.counts)


def projection(scenario: Scenario) -> Reads:
    """What the exhaustive search tracks: everything a condition, a weight or a text reads."""
    return closed(scenario, condition_reads(scenario) | text_reads(scenario))


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
    visits: dict[str, int]  # for each tracked place visited: 1, or its count up to its cap
    known: frozenset[str]  # the tracked facts in the journal
    taken: frozenset[tuple[str, str]] = frozenset()  # (scene, choice id) of the `once` choices taken
    counted: frozenset[str] = frozenset()  # the places whose visits are counted, not only noted

    def describe(self) -> str:
        """`safety 2, battery 40, has_footage` style, for reports."""
        parts = [f"{name} {value}" for name, value in self.stats.items()]
        parts += sorted(self.flags)
        parts += [f"visits({place}) {count}" if place in self.counted else f"visited({place})"
                  for place, count in sorted(self.visits.items())]
        parts += [f"known({fact})" for fact in sorted(self.known)]
        parts += [f"took {choice} in {scene}" for scene, choice in sorted(self.taken)]
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
    counts: tuple[StatField, ...] = ()  # visit counts: `name` is the place, `high` the cap
    once_bits: dict[tuple[str, str], int] = field(default_factory=dict)  # (scene, choice id) -> taken bit

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
        for count in self.counts:
            packed |= min(game_state.visits.get(count.name, 0), count.high) << count.shift
        if self.once_bits:
            for taken in zip(game_state.path, game_state.choices):
                packed |= self.once_bits.get(taken, 0)
        return packed

    def decode(self, packed: int, role: str) -> Snapshot:
        visits = {place: 1 for place, bit in self.visited_bits.items() if packed & bit}
        for count in self.counts:
            visits.pop(count.name, None)
            value = (packed >> count.shift) & count.mask
            if value:
                visits[count.name] = value
        return Snapshot(
            role=role,
            place=self.places[packed & self.place_mask],
            stats={stat.name: ((packed >> stat.shift) & stat.mask) + stat.low for stat in self.stats},
            flags=frozenset(name for name, bit in self.flag_bits.items() if packed & bit),
            visits=visits,
            known=frozenset(fact for fact, bit in self.known_bits.items() if packed & bit),
            taken=frozenset(taken for taken, bit in self.once_bits.items() if packed & bit),
            counted=frozenset(count.name for count in self.counts),
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
    caps = reads.caps()
    counts = []
    for place in places:
        if place in caps:
            bits = caps[place].bit_length()
            counts.append(StatField(place, 0, caps[place], shift, (1 << bits) - 1))
            shift += bits
    once = bits_for([f"{scene.id}\0{choice.id}" for scene in scenario.scenes.values()
                     for choice in scene.choices if choice.once])
    once_bits = {(key.split("\0")[0], key.split("\0")[1]): bit for key, bit in once.items()}
    return Layout(places, len(scenario.scenes), place_mask, tuple(stats), flag_bits, visited_bits, known_bits, shift,
                  {place: number for number, place in enumerate(places)}, tuple(counts), once_bits)


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
        self.counts = {count.name: count for count in layout.counts}

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
            case Stat() | RoleName() | Visits() | Sum() | Product() | Negate():
                raise TypeError(f"not a condition: {expr!r}")  # not true or false: the loader refuses them
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
        if isinstance(expr.left, Visits) and isinstance(expr.right, Const):
            count = self.counts[expr.left.target]  # the count, up to its cap, which no number compared reaches
            return _field_test(expr.op, count.shift, count.mask, int(expr.right.value))
        if isinstance(expr.right, Visits):
            return self.compare(Compare(_FLIPPED[expr.op], expr.right, expr.left))
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
        if isinstance(expr, (Sum, Product, Negate)):
            return arithmetic(expr, self.layout)
        node = self.node(expr)
        if isinstance(node, bool):
            return node
        return self.closure(node)


def arithmetic(expr: Expr, layout: Layout) -> Callable[[int], int]:
    """Arithmetic over tracked stats as a function of the packed state, worked out by the engine's
    own `evaluation.number` on the stats it reads."""
    needed = [(stat.name, stat.shift, stat.mask, stat.low) for stat in layout.stats
              if ("stat", stat.name) in names_read(expr)]
    return lambda s: number(expr, {name: ((s >> shift) & mask) + low for name, shift, mask, low in needed})


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


def compile_move(scenario: Scenario, layout: Layout, effects: tuple[Effect, ...], target: str, taken: int = 0) -> Step:
    """The packed form of: apply these effects in order, then arrive at `target` (and set the
    `taken` bit of a `once` choice)."""
    clear = layout.place_mask
    put = layout.place_index(target) | taken
    tables: list[Table] = []
    shifts: list[Shift] = []
    computed: Step | None = None
    base = {name: stat.start for name, stat in scenario.stats.items()}
    if effects:
        tracked = {stat.name for stat in layout.stats}
        if any(effect.amount is not None and effect.name in tracked for effect in effects):
            touched = [stat for stat in layout.stats if any(effect.name == stat.name for effect in effects)]
            for stat in touched:
                clear |= stat.mask << stat.shift
            computed = _computed(scenario, layout, effects, touched)
        for stat in layout.stats if computed is None else ():
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
    for count in layout.counts:
        if count.name == target:  # one more arrival, up to the cap: a table, or a clamped shift when wide
            clear |= count.mask << count.shift
            if count.high + 1 > TABULATED_VALUES:
                shifts.append(Shift(count.shift, count.mask, 1, 0, count.high))
            else:
                tables.append((count.shift, count.mask,
                               tuple(min(value + 1, count.high) << count.shift for value in range(count.mask + 1))))
    place = scenario.scenes.get(target) or scenario.endings[target]
    for fact in place.reveals:
        put |= layout.known_bits.get(fact, 0)
    step = _make_step(layout.full & ~clear, put, tables, shifts)
    if computed is None:
        return step
    rest = computed
    return lambda s: step(s) | rest(s)


def _computed(scenario: Scenario, layout: Layout, effects: tuple[Effect, ...], touched: list[StatField]) -> Step:
    """The new fields of the `touched` stats, when an effect computes one from others: the
    engine's own `apply_effects` on the tracked stats, in order (`a = a + b, b += 1, a = a + b`)."""
    base = {name: stat.start for name, stat in scenario.stats.items()}
    fields = [(stat.name, stat.shift, stat.mask, stat.low) for stat in layout.stats]
    out = [(stat.name, stat.shift, stat.low) for stat in touched]

    def computed(s: int) -> int:
        stats = dict(base)
        for name, shift, mask, low in fields:
            stats[name] = ((s >> shift) & mask) + low
        after, _ = rules.apply_effects(scenario, stats, frozenset(), effects)
        result = 0
        for name, shift, low in out:
            result |= (after[name] - low) << shift
        return result

    return computed


# ---------------------------------------------------------------------------- the machine


@dataclass(frozen=True, slots=True)
class Branch:
    """One way a choice can go: its goto, or one of its outcomes."""

    outcome: int  # the outcome's index, or -1 for a plain goto
    weight: int
    target: str
    step: Step
    test: Test | None = None  # None: possible whenever the choice is open (a fixed weight)
    never: bool = False  # its condition is false whatever the state


@dataclass(frozen=True, slots=True)
class CompiledChoice:
    index: int  # the choice's number in the whole scenario (the same in every role's machine)
    scene: str
    choice: Choice
    test: Test | None  # None: always open
    never: bool  # never open whatever the state (e.g. another role's choice)
    branches: tuple[Branch, ...]
    weights: list[int]  # the outcomes' weights when they are fixed
    weigh: Callable[[int], list[int]] | None = None  # the weights in a state, when they depend on it
    base: Test | None = None  # the test without "some outcome can happen" (each branch adds its own)

    def weights_at(self, packed: int) -> list[int]:
        """The outcomes' weights in a state, as the engine draws them (0: cannot happen there)."""
        return self.weights if self.weigh is None else self.weigh(packed)


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
    #: An outcome that depends on the state has a hot-loop entry of its own, which marks a slot
    #: after the choices' own: (slot, choice index, outcome index) for each.
    slots: tuple[tuple[int, int, int], ...] = ()

    def place(self, packed: int) -> str:
        return self.layout.places[packed & self.layout.place_mask]

    def decode(self, packed: int) -> Snapshot:
        return self.layout.decode(packed, self.role)

    def open_choices(self, packed: int) -> list[CompiledChoice]:
        return [c for c in self.by_place[packed & self.layout.place_mask]
                if not c.never and (c.test is None or c.test(packed))]


def all_choices(scenario: Scenario) -> list[tuple[str, Choice]]:
    """(scene id, choice) for every choice, in file order: a choice's index is its place here."""
    return [(scene.id, choice) for scene in scenario.scenes.values() for choice in scene.choices]


def _both(first: bool | Test | None, second: bool | Test | None) -> bool | Test | None:
    """Two tests that must both hold; None holds always, a bool is a constant."""
    if first is None or first is True:
        return second
    if second is None or second is True:
        return first
    if first is False or second is False:
        return False
    a, b = first, second
    return lambda s: a(s) and b(s)


def _any_of(tests: list[Test | None]) -> Test | None:
    """A test that holds when one of `tests` does (None: one always holds)."""
    if any(test is None for test in tests):
        return None
    frozen = tuple(test for test in tests if test is not None)
    return _joined(frozen, every=False) if frozen else (lambda s: False)


class _ChoiceCompiler:
    """Compiles one role's choices: conditions, `once` bits, outcomes that depend on the state, fallbacks."""

    def __init__(self, scenario: Scenario, layout: Layout, role: str) -> None:
        self.scenario = scenario
        self.layout = layout
        self.role = role

    def condition(self, expr: Expr | None) -> bool | Test | None:
        return None if expr is None else compile_condition(expr, self.layout, self.role)

    def choice(self, index: int, scene_id: str, choice: Choice) -> CompiledChoice:
        base = self.condition(choice.condition)
        taken = self.layout.once_bits.get((scene_id, choice.id), 0) if choice.once else 0
        if taken:
            base = _both(base, lambda s: not s & taken)
        weigh: Callable[[int], list[int]] | None = None
        if choice.outcomes:
            branches = tuple(self.outcome(number, choice, taken) for number in range(len(choice.outcomes)))
            if not all(outcome.fixed for outcome in choice.outcomes):
                weigh = self.weigher(choice)
        else:
            branches = (Branch(-1, 1, choice.goto, compile_move(self.scenario, self.layout, choice.effects,
                                                                 choice.goto, taken)),)
        possible = [branch.test for branch in branches if not branch.never]
        test = _both(base, _any_of(possible)) if possible else False
        never = test is False
        return CompiledChoice(index, scene_id, choice, None if test is None or isinstance(test, bool) else test,
                              never, branches, [branch.weight for branch in branches], weigh,
                              None if base is None or isinstance(base, bool) else base)

    def outcome(self, number: int, choice: Choice, taken: int) -> Branch:
        outcome = choice.outcomes[number]
        step = compile_move(self.scenario, self.layout, choice.effects + outcome.effects, outcome.goto, taken)
        if outcome.fixed:
            return Branch(number, outcome.weight, outcome.goto, step)
        test = self.condition(outcome.condition)
        if outcome.weight_expr is not None:
            amount = arithmetic(outcome.weight_expr, self.layout)
            test = _both(test, lambda s: amount(s) >= 1)
        elif outcome.weight < 1:
            test = False
        return Branch(number, outcome.weight, outcome.goto, step, None if isinstance(test, bool) else test,
                      test is False)

    def weigher(self, choice: Choice) -> Callable[[int], list[int]]:
        """The weights in a packed state, as `state.outcome_weights` gives them in the engine."""
        parts: list[Callable[[int], int]] = []
        for outcome in choice.outcomes:
            condition = self.condition(outcome.condition)
            amount = arithmetic(outcome.weight_expr, self.layout) if outcome.weight_expr is not None else None
            parts.append(_weight(outcome.weight, condition, amount))
        return lambda s: [part(s) for part in parts]

    def fallbacks(self, compiled: list[CompiledChoice]) -> list[CompiledChoice]:
        """A scene's choices with each fallback open only when no other choice is."""
        others = [c for c in compiled if not c.choice.fallback and not c.never]
        if not any(c.choice.fallback for c in compiled):
            return compiled
        blocked: Test | None | bool = _any_of([c.test for c in others]) if others else False
        result = []
        for c in compiled:
            if c.choice.fallback and not c.never:
                if blocked is None:  # another choice is always open
                    c = CompiledChoice(c.index, c.scene, c.choice, None, True, c.branches, c.weights, c.weigh, None)
                elif callable(blocked):
                    closed = blocked
                    test = _both(c.test, lambda s: not closed(s))
                    base = _both(c.base, lambda s: not closed(s))
                    c = CompiledChoice(c.index, c.scene, c.choice, test if callable(test) else None, test is False,
                                       c.branches, c.weights, c.weigh, base if callable(base) else None)
            result.append(c)
        return result


def _weight(fixed: int, condition: bool | Test | None, amount: Callable[[int], int] | None) -> Callable[[int], int]:
    def weight(s: int) -> int:
        if condition is False or (callable(condition) and not condition(s)):
            return 0
        return fixed if amount is None else max(0, amount(s))

    return weight


def compile_role(scenario: Scenario, role: str, reads: Reads) -> Machine:
    layout = make_layout(scenario, reads)
    compiler = _ChoiceCompiler(scenario, layout, role)
    compiled: list[CompiledChoice] = []
    labels: list[tuple[int, int]] = []
    index = 0
    for scene in scenario.scenes.values():
        mine = [compiler.choice(index + number, scene.id, choice) for number, choice in enumerate(scene.choices)]
        compiled += compiler.fallbacks(mine)
        index += len(scene.choices)
    grouped: dict[str, list[CompiledChoice]] = {}
    for compiled_choice in compiled:
        grouped.setdefault(compiled_choice.scene, []).append(compiled_choice)
    by_place: list[tuple[CompiledChoice, ...]] = []
    code: list[SceneCode | None] = []
    slots: list[tuple[int, int, int]] = []
    for place in layout.places:
        mine_here = tuple(grouped.get(place, ()))
        by_place.append(mine_here)
        if place not in scenario.scenes:
            code.append(None)
            continue
        entries: list[tuple[int, Test | None, tuple[tuple[int, Step], ...]]] = []
        for c in mine_here:
            if c.never:
                continue
            if all(branch.test is None for branch in c.branches):
                steps = []
                for branch in c.branches:
                    steps.append((len(labels), branch.step))
                    labels.append((c.index, branch.outcome))
                entries.append((c.index, c.test, tuple(steps)))
                continue
            for branch in c.branches:  # outcomes that depend on the state: one entry (and slot) each
                if branch.never:
                    continue
                test = _both(c.base, branch.test)
                slot = len(compiled) + len(slots)
                slots.append((slot, c.index, branch.outcome))
                entries.append((slot, test if callable(test) else None, ((len(labels), branch.step),)))
                labels.append((c.index, branch.outcome))
        code.append(tuple(entries))
    start = layout.encode(rules.start(scenario, role))
    return Machine(scenario, role, layout, start, tuple(compiled), tuple(by_place), tuple(code), tuple(labels),
                   tuple(slots))
