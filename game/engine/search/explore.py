"""The exhaustive playtest: every reachable game state of each role, searched breadth first.

For one role, `search` walks every state the compiled machine (`analysis.py`) can reach,
following every open choice and every branch of every random outcome. Breadth first, so the
first path found to anything is a shortest one (fewest choices). From the state graph it finds:

- the endings reached, each with a shortest path;
- the choices whose condition was never true in a reached state, and the places never reached,
  with the evidence (`evidence.py`): what the states there held, which choices lead there;
- traps: reached states from which no ending can be reached (a reverse search from the ending
  states marks the rest), each scene's nearest one with its path and the step after which
  there was no way back.

A cap stops a search that grows too large: `max_states` states, or `MOVES_PER_STATE` times as
many moves (a story whose scenes have many choices stores many moves per state), so its memory is
bounded whatever the scenario. A capped search proves only the endings it reached, and says which
cap stopped it. `explore` runs the search for each role and gathers the findings.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Literal

from game.engine.search.analysis import Machine, Reads, all_choices, compile_role, projection
from game.engine.search.evidence import Blocked, Seen, blocked_routes, seen_at
from game.engine.limits import DEFAULT_MAX_STATES, MOVES_PER_STATE
from game.engine.runtime.model import Scenario
from game.engine.search.routes import Step


@dataclass(frozen=True, slots=True)
class Trap:
    """A scene where some reached states can no longer reach any ending."""

    role: str
    scene: str
    states: int  # how many trapped states are in this scene
    path: tuple[Step, ...]  # a shortest path to one of them
    no_return: int  # steps on `path` after which every state was already trapped
    stuck: bool  # the state at the end of `path` has no open choice at all
    state: str  # what the trapped state holds, described


#: Which cap stopped a search: its states, or the moves it stored.
Cap = Literal["states", "moves"]


@dataclass(frozen=True, slots=True)
class RoleSearch:
    """What one role's search found."""

    role: str
    states: int
    edges: int
    stopped_by: Cap | None  # None: the search is complete
    endings: dict[str, tuple[Step, ...]]  # each ending reached, with a shortest path
    places: frozenset[str]  # the scenes and endings reached
    opened: frozenset[int]  # indices of the choices open in at least one reached state
    drawn: frozenset[tuple[int, int]]  # (choice index, outcome) of each outcome that depends on the state and happened
    traps: tuple[Trap, ...]
    tracked: Reads
    closed: dict[int, Seen]  # for each choice with a condition never open here: what its scene held

    @property
    def capped(self) -> bool:
        return self.stopped_by is not None


@dataclass(frozen=True, slots=True)
class Exploration:
    """The exhaustive playtest's findings over every role searched."""

    scenario: Scenario
    roles: tuple[RoleSearch, ...]
    max_states: int
    unreachable_endings: tuple[str, ...]  # no searched role reaches them (only meaningful uncapped)
    unreached_scenes: tuple[str, ...]
    never_open: tuple[tuple[str, str], ...]  # (scene, choice id) never open in a reached state
    #: (scene, choice id, outcome index) of each outcome whose condition or weight rules it out in
    #: every reached state where its choice is open
    never_drawn: tuple[tuple[str, str, int], ...]
    seen: dict[tuple[str, str], Seen]  # for a never-open choice: what the states at its scene held
    blocked: dict[str, tuple[Blocked, ...]]  # for an unreached place: the choices that lead there

    @property
    def capped(self) -> bool:
        return any(role.capped for role in self.roles)

    @property
    def traps(self) -> tuple[Trap, ...]:
        return tuple(trap for role in self.roles for trap in role.traps)

    @property
    def ok(self) -> bool:
        """Every ending reachable and no trap, proved by complete searches."""
        return not self.capped and not self.unreachable_endings and not self.traps

    @property
    def states(self) -> int:
        return sum(role.states for role in self.roles)


def path_to(machine: Machine, parents: array, via: array, index: int) -> tuple[Step, ...]:  # type: ignore[type-arg]
    """The BFS tree's path from the start to state `index`, as choices taken."""
    labels = []
    while parents[index] >= 0:
        labels.append(via[index])
        index = parents[index]
    steps = []
    for label in reversed(labels):
        choice_index, outcome = machine.labels[label]
        compiled = machine.choices[choice_index]
        branch = compiled.branches[max(outcome, 0)]
        steps.append(Step(compiled.scene, compiled.choice.id, outcome, len(compiled.choice.outcomes), branch.target))
    return tuple(steps)


def search(machine: Machine, max_states: int = DEFAULT_MAX_STATES) -> RoleSearch:
    """Every state one role can reach, breadth first; then the endings, traps and coverage."""
    states = [machine.start]
    index = {machine.start: 0}
    parents = array("q", [-1])
    via = array("q", [-1])
    targets = array("q")  # the successors of state i are targets[starts[i]:starts[i + 1]]
    starts = array("q", [0])
    opened = bytearray(len(machine.choices) + len(machine.slots))
    code = machine.code
    place_mask = machine.layout.place_mask
    lookup, remember, grow = index.get, states.append, targets.append
    add_parent, add_via, add_start = parents.append, via.append, starts.append
    max_moves = max_states * MOVES_PER_STATE
    stopped_by: Cap | None = None
    current = 0
    while current < len(states):
        if len(targets) >= max_moves:
            stopped_by = "moves"
            break
        state = states[current]
        scene = code[state & place_mask]
        if scene is not None:
            for choice_index, test, steps in scene:
                if test is not None and not test(state):
                    continue
                opened[choice_index] = 1
                for label, step in steps:
                    following = step(state)
                    found = lookup(following)
                    if found is None:
                        found = len(states)
                        if found >= max_states:
                            stopped_by = "states"
                            break
                        index[following] = found
                        remember(following)
                        add_parent(current)
                        add_via(label)
                    grow(found)
                if stopped_by:
                    break
        if stopped_by:
            break
        add_start(len(targets))
        current += 1
    del index
    layout = machine.layout
    places = frozenset(layout.places[place] for place in {state & place_mask for state in states})
    scene_count = layout.scene_count
    ending_states = [number for number, state in enumerate(states) if (state & place_mask) >= scene_count]
    endings: dict[str, tuple[Step, ...]] = {}
    for number in ending_states:  # in BFS order, so the first state at an ending is the nearest
        place = machine.place(states[number])
        if place not in endings:
            endings[place] = path_to(machine, parents, via, number)
    in_file_order = {place: endings[place] for place in layout.places if place in endings}
    capped = stopped_by is not None
    traps = () if capped else _traps(machine, states, parents, via, targets, starts, ending_states)
    drawn = frozenset((choice, outcome) for slot, choice, outcome in machine.slots if opened[slot])
    for choice, _ in drawn:
        opened[choice] = 1
    opened_choices = frozenset(number for number, flag in enumerate(opened[:len(machine.choices)]) if flag)
    closed: dict[int, Seen] = {}
    if not capped:
        unopened = [c for c in machine.choices
                    if c.choice.condition is not None and not opened[c.index] and c.scene in places]
        closed = seen_at(machine, states, unopened) if unopened else {}
    return RoleSearch(machine.role, len(states), len(targets), stopped_by, in_file_order, places, opened_choices,
                      drawn, traps, _tracked(machine), closed)


def _tracked(machine: Machine) -> Reads:
    layout = machine.layout
    return Reads(frozenset(stat.name for stat in layout.stats), frozenset(layout.flag_bits),
                 frozenset(layout.visited_bits), frozenset(layout.known_bits),
                 frozenset((count.name, count.high - 1) for count in layout.counts))


#: `can_finish` sweeps until it has visited this many times the number of states, then builds
#: the reverse graph instead.
SWEEP_BUDGET = 4


def can_finish(count: int, targets: array, starts: array, ending_states: list[int]) -> bytearray:  # type: ignore[type-arg]
    """1 for each state from which some ending state can be reached.

    A state can finish when one of its successors can. Sweeping the states in reverse order of
    discovery settles almost all of them at once, because breadth-first search numbers most
    successors after their state; each further sweep revisits only the states still unsettled,
    and a sweep that settles nothing more proves the rest cannot finish. If sweeps keep finding
    more for too long (long chains of edges back to earlier states), a backward search on the
    reversed graph, built by a counting sort, finishes the job in time linear in the edges.
    """
    good = bytearray(count)
    for state in ending_states:
        good[state] = 1
    pending: Sequence[int] = range(count - 1, -1, -1)
    budget = SWEEP_BUDGET * count
    while budget > 0:
        budget -= len(pending)
        unsettled = []
        changed = False
        for state in pending:
            if good[state]:
                continue
            for following in targets[starts[state]:starts[state + 1]]:
                if good[following]:
                    good[state] = 1
                    changed = True
                    break
            else:
                unsettled.append(state)
        if not changed or not unsettled:
            return good
        pending = unsettled
    return _search_backwards(count, targets, starts, good)


def _search_backwards(count: int, targets: array, starts: array, good: bytearray) -> bytearray:  # type: ignore[type-arg]
    """Mark every state with a path to a marked state, on the reverse graph."""
    counts = [0] * (count + 1)
    for target in targets:
        counts[target + 1] += 1
    first = list(accumulate(counts))  # the predecessors of j are before[first[j]:first[j + 1]]
    fill = first[:]
    before = [0] * len(targets)
    for source in range(count):
        for target in targets[starts[source]:starts[source + 1]]:
            slot = fill[target]
            before[slot] = source
            fill[target] = slot + 1
    queue = [state for state in range(count) if good[state]]
    while queue:
        state = queue.pop()
        for source in before[first[state]:first[state + 1]]:
            if not good[source]:
                good[source] = 1
                queue.append(source)
    return good


def _traps(machine: Machine, states: list[int], parents: array, via: array, targets: array,  # type: ignore[type-arg]
           starts: array, ending_states: list[int]) -> tuple[Trap, ...]:  # type: ignore[type-arg]
    good = can_finish(len(states), targets, starts, ending_states)
    if all(good):
        return ()
    nearest: dict[str, int] = {}
    counts: dict[str, int] = {}
    for number, is_good in enumerate(good):
        if is_good:
            continue
        scene = machine.place(states[number])
        counts[scene] = counts.get(scene, 0) + 1
        nearest.setdefault(scene, number)  # states are numbered in BFS order: the first is nearest
    traps = []
    for scene, number in nearest.items():
        chain = [number]
        while parents[chain[-1]] >= 0:
            chain.append(parents[chain[-1]])
        chain.reverse()  # state numbers from the start to the trapped state
        no_return = next(position for position, state in enumerate(chain) if not good[state])
        trapped = states[number]
        traps.append(Trap(machine.role, scene, counts[scene], path_to(machine, parents, via, number), no_return,
                          starts[number] == starts[number + 1], machine.decode(trapped).describe()))
    return tuple(traps)


def explore(scenario: Scenario, roles: list[str] | None = None, max_states: int = DEFAULT_MAX_STATES) -> Exploration:
    """Search every listed role (all by default) and gather what the searches found."""
    reads = projection(scenario)
    searches = tuple(search(compile_role(scenario, role, reads), max_states) for role in roles or list(scenario.roles))
    reached = frozenset().union(*(s.places for s in searches))
    opened = frozenset().union(*(s.opened for s in searches))
    complete = not any(s.capped for s in searches)
    unreachable = tuple(e for e in scenario.endings if e not in reached) if complete else ()
    unreached = tuple(s for s in scenario.scenes if s not in reached) if complete else ()
    never_open: list[tuple[str, str]] = []
    seen: dict[tuple[str, str], Seen] = {}
    if complete:
        index = 0
        for scene in scenario.scenes.values():
            for choice in scene.choices:
                if scene.id in reached and index not in opened:
                    never_open.append((scene.id, choice.id))
                    found = [s.closed[index] for s in searches if index in s.closed]
                    if found:
                        merged = found[0]
                        for more in found[1:]:
                            merged = merged.merge(more)
                        seen[(scene.id, choice.id)] = merged
                index += 1
    never_drawn: list[tuple[str, str, int]] = []
    if complete:
        drawn = frozenset().union(*(s.drawn for s in searches))
        for number, (scene_id, choice) in enumerate(all_choices(scenario)):
            if number in opened:
                never_drawn += [(scene_id, choice.id, outcome) for outcome, branch in enumerate(choice.outcomes)
                                if not branch.fixed and (number, outcome) not in drawn]
    blocked = blocked_routes(scenario, (*unreachable, *unreached), reached, never_open)
    return Exploration(scenario, searches, max_states, unreachable, unreached, tuple(never_open), tuple(never_drawn),
                       seen, blocked)
