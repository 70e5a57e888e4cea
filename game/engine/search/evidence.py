"""Why the exhaustive playtest says "never": the evidence behind a never-open choice or ending.

A choice is never open when its condition is false in every reachable state at its scene. The
evidence is what those states hold for the names the condition reads: `suspicion` is always 0
there, `has_footage` is never set. An ending (or scene) is never reached when every choice that
leads to it is never open, or sits in a scene that is never reached; the evidence lists them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.engine.search.analysis import CompiledChoice, Machine
from game.engine.runtime.language import names_read
from game.engine.runtime.model import Scenario


@dataclass(frozen=True, slots=True)
class Seen:
    """What the reachable states at one scene held, for the names one condition reads."""

    states: int
    roles: tuple[str, ...]  # the roles whose states these are
    stats: dict[str, tuple[int, int]]  # lowest and highest value
    bits: dict[str, tuple[bool, bool]]  # `has_footage`, `visited(x)`, `known(f)`: (seen unset, seen set)

    def merge(self, other: Seen) -> Seen:
        stats = dict(self.stats)
        for name, (low, high) in other.stats.items():
            mine = stats.get(name)
            stats[name] = (low, high) if mine is None else (min(low, mine[0]), max(high, mine[1]))
        bits = dict(self.bits)
        for name, (unset, is_set) in other.bits.items():
            mine_bits = bits.get(name, (False, False))
            bits[name] = (unset or mine_bits[0], is_set or mine_bits[1])
        return Seen(self.states + other.states, self.roles + other.roles, stats, bits)

    def describe(self) -> str:
        """`in 148 reachable states there (journalist): has_footage is never set`."""
        parts = []
        for name, (low, high) in self.stats.items():
            parts.append(f"{name} is always {low}" if low == high else f"{name} is {low} to {high}")
        for name, (unset, is_set) in self.bits.items():
            parts.append(f"{name} is never true" if not is_set else f"{name} is always true" if not unset
                         else f"{name} is sometimes true")
        plural = "s" if self.states != 1 else ""
        held = "; ".join(parts) if parts else "its condition reads only the role"
        return f"in the {self.states:,} reachable state{plural} there ({', '.join(self.roles)}): {held}"


def seen_at(machine: Machine, states: Iterable[int], choices: list[CompiledChoice]) -> dict[int, Seen]:
    """For each of these choices (of scenes this role reached), what its scene's states held."""
    layout = machine.layout
    fields = {stat.name: stat for stat in layout.stats}
    fields.update({f"visits({count.name})": count for count in layout.counts})
    wanted: dict[int, list[CompiledChoice]] = {}
    for compiled in choices:
        wanted.setdefault(layout.place_index(compiled.scene), []).append(compiled)
    # Per place: every stat field and bit any of its choices reads, and what the states held.
    reads: dict[int, tuple[list[str], list[tuple[str, int]]]] = {}
    for place, group in wanted.items():
        stat_names: list[str] = []
        bit_names: list[tuple[str, int]] = []
        for compiled in group:
            assert compiled.choice.condition is not None
            for kind, name in sorted(names_read(compiled.choice.condition)):
                label = name if kind == "stat" else f"visits({name})"
                if kind in ("stat", "visits") and label not in stat_names:
                    stat_names.append(label)
                elif kind in ("flag", "visited", "known"):
                    label = name if kind == "flag" else f"{kind}({name})"
                    table = {"flag": layout.flag_bits, "visited": layout.visited_bits, "known": layout.known_bits}[kind]
                    if (label, table[name]) not in bit_names:
                        bit_names.append((label, table[name]))
        reads[place] = (stat_names, bit_names)
    counts = dict.fromkeys(wanted, 0)
    values: dict[int, dict[str, set[int]]] = {p: {n: set() for n in reads[p][0]} for p in wanted}
    flags: dict[int, dict[str, set[bool]]] = {p: {label: set() for label, _ in reads[p][1]} for p in wanted}
    place_mask = layout.place_mask
    for state in states:
        place = state & place_mask
        if place not in counts:
            continue
        counts[place] += 1
        for name, found in values[place].items():
            field = fields[name]
            found.add(((state >> field.shift) & field.mask) + field.low)
        for label, bit in reads[place][1]:
            flags[place][label].add(bool(state & bit))
    evidence = {}
    for place, group in wanted.items():
        for compiled in group:
            assert compiled.choice.condition is not None
            read = names_read(compiled.choice.condition)
            read_labels = {name if kind == "flag" else f"{kind}({name})" for kind, name in read}
            stats = {name: (min(found), max(found)) for name, found in values[place].items()
                     if (("stat", name) in read or ("visits", name[7:-1]) in read) and found}
            bits = {label: (False in seen, True in seen) for label, seen in flags[place].items()
                    if label in read_labels and seen}
            evidence[compiled.index] = Seen(counts[place], (machine.role,), stats, bits)
    return evidence


@dataclass(frozen=True, slots=True)
class Blocked:
    """A choice that leads to a never-reached place, and why it is never taken."""

    scene: str
    choice: str
    line: int
    reason: str  # "its scene is never reached" or "it is never open"


def blocked_routes(scenario: Scenario, targets: Iterable[str], reached: frozenset[str],
                   never_open: Iterable[tuple[str, str]]) -> dict[str, tuple[Blocked, ...]]:
    """For each target place: every choice that leads there, with the reason no reachable state
    takes it. One pass over the choices, however many places are never reached."""
    wanted = set(targets)
    closed = set(never_open)
    found: dict[str, list[Blocked]] = {target: [] for target in wanted}
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            leads = [target for target in dict.fromkeys(choice.targets) if target in wanted]
            if not leads:
                continue
            if scene.id not in reached:
                reason = "its scene is never reached"
            elif (scene.id, choice.id) in closed:
                reason = "it is never open"
            else:  # open in a reached scene yet never arriving: the search itself is wrong; say so
                reason = "it is open, yet the search never arrived: please report this"
            for target in leads:
                found[target].append(Blocked(scene.id, choice.id, choice.line, reason))
    return {target: tuple(blocked) for target, blocked in found.items()}
