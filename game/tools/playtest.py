"""`longarm playtest`: run the exhaustive or the random playtest and report it as text, JSON or JUnit.

Each report is built once as plain data (`exhaustive_report`, `random_report`) of the types in
`playtest_report.py`; the text output, `--json` and `--junit` all render that same data. Every path
printed comes with a command that replays it in the plain player; the command is found by playing
the path through the engine.

Exit status: 0 when the playtest found no problem, 1 when an ending is unreachable or a trap
exists (a random run can only show a trap: a game with no open choice), 2 for a usage or load
error, or an exhaustive search stopped by its state cap (nothing proved).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from game.engine.loader import graph
from game.engine.loader.check import debriefs_showing, unsupported_items
from game.engine.search.explore import Exploration, explore
from game.engine.limits import DEFAULT_MAX_STATES, DEFAULT_MAX_STEPS, MOVES_PER_STATE
from game.engine.runtime.model import Scenario
from game.engine.search.playtest import CAPPED, STUCK, RandomGame, RandomRun, play_random
from game.engine.search.routes import Replayed, Step, replay, replay_path
from game.tools import junit
from game.tools.loading import USAGE, load_named, shown_path
from game.tools.playtest_report import (
    BlockedChoice, CheckedItem, EndingPath, ExhaustiveEnding, ExhaustiveReport, FoundTrap, ListedGame,
    NeverDrawnOutcome, NeverOpenChoice, PathStep, RandomReport, Replay, Report, SearchedRole, Tracked, UnreachedScene,
)
from game.tools.wording import path_text, plural

OK, PROBLEMS = 0, 1


def run_playtest(name: str, *, games: int | None, seed: int, coverage: bool = True,
                 max_states: int = DEFAULT_MAX_STATES, max_steps: int = DEFAULT_MAX_STEPS,
                 roles: list[str] | None = None, as_json: bool = False, junit_file: Path | None = None,
                 list_games: bool = False, out: TextIO, err: TextIO) -> int:
    """Run one playtest (`games` None: exhaustive) and write its report; the exit status."""
    scenario = load_named(name, "playtest", err)
    if isinstance(scenario, int):
        return scenario
    roles = list(dict.fromkeys(roles)) if roles else None  # `--role a --role a` searches a once
    for role in roles or []:
        if role not in scenario.roles:
            err.write(f"longarm playtest: '{scenario.id}' has no role '{role}'; its roles are: {', '.join(scenario.roles)}\n")
            return USAGE
    report: Report
    if games is None:
        report = exhaustive_report(scenario, explore(scenario, roles, max_states), name)
        text = render_exhaustive(report)
    else:
        run = play_random(scenario, games, seed, coverage=coverage, max_steps=max_steps, roles=roles)
        report = random_report(scenario, run, name, list_games)
        text = render_random(report)
    out.write(json.dumps(report, indent=2) + "\n" if as_json else text)
    if junit_file is not None:
        try:
            junit_file.write_text(junit.render(report), encoding="utf-8")
        except OSError as error:
            err.write(f"longarm playtest: cannot write {junit_file}: {error.strerror or error}\n")
            return USAGE
    return report["exit_status"]


def _steps(steps: tuple[Step, ...]) -> list[PathStep]:
    return [{"scene": step.scene, "choice": step.choice, "outcome": None if step.outcome < 0 else step.outcome + 1,
             "outcomes": step.outcomes or None, "to": step.target} for step in steps]


def _replay(scenario: Scenario, role: str, steps: tuple[Step, ...], name: str) -> Replay:
    replayed = replay_path(scenario, role, steps)
    if isinstance(replayed, Replayed):
        return {"seed": replayed.seed, "numbers": list(replayed.numbers), "command": replayed.command(name)}
    return {"error": replayed.message}


# ---------------------------------------------------------------------------- exhaustive


def exhaustive_report(scenario: Scenario, found: Exploration, name: str) -> ExhaustiveReport:
    static = graph.reachable_from([role.start for role in scenario.roles.values()], graph.successors(scenario))
    roles: list[SearchedRole] = []
    for search in found.roles:
        tracked = search.tracked
        roles.append({
            "role": search.role, "states": search.states, "moves": search.edges, "complete": not search.capped,
            "stopped_by": search.stopped_by,
            "tracked": {
                "stats": {stat: [scenario.stats[stat].min, scenario.stats[stat].max]
                          for stat in scenario.stats if stat in tracked.stats},
                "flags": [flag for flag in scenario.flags if flag in tracked.flags],
                "visited": sorted(tracked.places), "known": sorted(tracked.facts),
                "visits": {place: cap for place, cap in sorted(tracked.caps().items())},
                "once": sum(1 for scene in scenario.scenes.values() for choice in scene.choices if choice.once)},
        })
    endings: list[ExhaustiveEnding] = []
    for ending_id, ending in scenario.endings.items():
        paths: list[EndingPath] = []
        for search in found.roles:
            if ending_id in search.endings:
                steps = search.endings[ending_id]
                paths.append({"role": search.role, "choices": len(steps), "path": _steps(steps),
                              "replay": _replay(scenario, search.role, steps, name)})
        endings.append({"id": ending_id, "title": ending.title, "tone": ending.tone, "line": ending.line,
                        "reachable": bool(paths) if not found.capped else (True if paths else None),
                        "paths": paths, "blocked": _blocked(found, ending_id)})
    traps: list[FoundTrap] = []
    for trap in found.traps:
        traps.append({"role": trap.role, "scene": trap.scene, "line": scenario.scenes[trap.scene].line,
                      "states": trap.states, "stuck": trap.stuck, "state": trap.state,
                      "no_return_after": trap.no_return, "path": _steps(trap.path),
                      "replay": _replay(scenario, trap.role, trap.path, name)})
    choices = {(scene.id, choice.id): choice for scene in scenario.scenes.values() for choice in scene.choices}
    never_open: list[NeverOpenChoice] = [
        {"scene": scene, "choice": choice, "line": choices[(scene, choice)].line,
         "condition": choices[(scene, choice)].condition_text,
         "evidence": found.seen[(scene, choice)].describe() if (scene, choice) in found.seen
         else "the condition is false for every role searched, whatever the state"}
        for scene, choice in found.never_open]
    never_drawn: list[NeverDrawnOutcome] = [
        {"scene": scene, "choice": choice, "outcome": outcome + 1, "line": choices[(scene, choice)].line,
         "to": choices[(scene, choice)].outcomes[outcome].goto}
        for scene, choice, outcome in found.never_drawn]
    unreached: list[UnreachedScene] = [
        {"scene": scene, "line": scenario.scenes[scene].line, "linked": scene in static,
         "blocked": _blocked(found, scene)}
        for scene in found.unreached_scenes]
    reached = {ending for search in found.roles for ending in search.endings}
    check: list[CheckedItem] = [
        {"item": item.id, "fact": item.fact, "line": item.line,
         "endings": [e for e in debriefs_showing(item.fact, scenario.endings) if e in reached]}
        for item in scenario.check]
    unsupported = [] if found.capped else [item.id for item in unsupported_items(scenario, reached)]
    if found.capped:
        status = USAGE
    else:
        status = PROBLEMS if found.unreachable_endings or found.traps or unsupported else OK
    return {
        "scenario": scenario.id, "path": shown_path(scenario), "mode": "exhaustive", "max_states": found.max_states,
        "complete": not found.capped, "exit_status": status, "states": found.states,
        "roles": roles, "every_role": len(found.roles) == len(scenario.roles),
        "endings": endings, "unreachable_endings": list(found.unreachable_endings),
        "traps": traps, "never_open": never_open, "never_drawn": never_drawn, "unreached_scenes": unreached,
        "check": check, "unsupported_check_items": unsupported,
    }


def _blocked(found: Exploration, place: str) -> list[BlockedChoice]:
    """The choices that lead to a never-reached place, each with why it is never taken."""
    return [{"scene": b.scene, "choice": b.choice, "line": b.line, "reason": b.reason}
            for b in found.blocked.get(place, ())]


def _blocked_lines(blocked: list[BlockedChoice], indent: str) -> list[str]:
    return [f"{indent}{b['scene']} / {b['choice']} (line {b['line']}) leads there, but {b['reason']}" for b in blocked]


def _tracked_line(tracked: Tracked) -> str:
    parts = [f"{stat} {low}..{high}" for stat, (low, high) in tracked["stats"].items()]
    parts += list(tracked["flags"])
    parts += [f"visited({place})" for place in tracked["visited"]]
    parts += [f"known({fact})" for fact in tracked["known"]]
    parts += [f"visits({place}) 0..{cap}" for place, cap in tracked["visits"].items()]
    if tracked["once"]:
        parts.append(f"which of {tracked['once']} once-only choices were taken")
    return ", ".join(parts) or "nothing (the scene alone decides what happens)"


def _replay_lines(replay_info: Replay, indent: str) -> list[str]:
    if "command" in replay_info:
        return [f"{indent}replay: {replay_info['command']}"]
    return [f"{indent}replay: not available ({replay_info['error']})"]


def render_exhaustive(report: ExhaustiveReport) -> str:
    lines = [f"Exhaustive playtest of {report['scenario']} ({report['path']})"]
    for role in report["roles"]:
        state = ("searched in full" if role["complete"] else f"STOPPED at the cap of {report['max_states']:,} states"
                 if role["stopped_by"] == "states" else
                 f"STOPPED at the cap of {report['max_states'] * MOVES_PER_STATE:,} moves ({MOVES_PER_STATE} a state)")
        lines.append(f"Role {role['role']}: {role['states']:,} states, {role['moves']:,} moves, {state}.")
    if report["roles"]:
        lines.append(f"  A state is the scene plus what conditions and text read: {_tracked_line(report['roles'][0]['tracked'])}.")
    lines.append("")
    if not report["complete"]:
        lines += _cap_advice(report)
    unreachable = report["unreachable_endings"]
    if report["complete"]:
        lines.append("Endings: every ending can be reached." if not unreachable else
                     f"Endings: {len(unreachable)} of {len(report['endings'])} can never be reached.")
    else:
        lines.append("Endings reached before the search stopped:")
    for ending in report["endings"]:
        if ending["reachable"] is False:
            lines.append(f"  UNREACHABLE: {ending['id']} \"{ending['title']}\" ({ending['tone']}, line {ending['line']}): "
                         f"{_no_role(report)} can reach it, whatever it chooses.")
            lines += _blocked_lines(ending["blocked"], "    ") or ["    no choice leads there"]
            continue
        if ending["reachable"] is None:
            lines.append(f"  not reached yet: {ending['id']} \"{ending['title']}\" ({ending['tone']})")
            continue
        lines.append(f"  {ending['id']} \"{ending['title']}\" ({ending['tone']})")
        for path in ending["paths"]:
            lines.append(f"    {path['role']}, {plural(path['choices'], 'choice')}: {path_text(path['path'])}")
            lines += _replay_lines(path["replay"], "      ")
    lines.append("")
    if report["complete"]:
        if not report["traps"]:
            lines.append("Traps: none. From every reachable state an ending can still be reached.")
        else:
            lines.append(f"Traps: {len(report['traps'])}. Reachable states from which no ending can be reached:")
        for trap in report["traps"]:
            how = "no choice is open there" if trap["stuck"] else "every choice from there leads only to more trapped states"
            lines.append(f"  TRAP in scene {trap['scene']} (line {trap['line']}), role {trap['role']}: "
                         f"{plural(trap['states'], 'trapped state')}; {how}.")
            lines.append(f"    shortest path: {path_text(trap['path'])}")
            if trap["no_return_after"] > 0:
                step = trap["path"][trap["no_return_after"] - 1]
                lines.append(f"    no way back after choice {trap['no_return_after']}: {step['choice']} in {step['scene']}")
            else:
                lines.append("    trapped from the start")
            lines.append(f"    the state there: {trap['state']}")
            lines += _replay_lines(trap["replay"], "    ")
        lines.append("")
        if report["never_open"]:
            lines.append(f"Choices never open: {len(report['never_open'])} (their condition is false in every reachable state)")
            for item in report["never_open"]:
                lines.append(f"  {report['path']}:{item['line']}: {item['scene']} / {item['choice']}"
                             + (f" (if: {item['condition']})" if item["condition"] else ""))
                lines.append(f"    {item['evidence']}")
        else:
            lines.append("Choices never open: none.")
        for outcome in report["never_drawn"]:
            lines.append(f"  {report['path']}:{outcome['line']}: {outcome['scene']} / {outcome['choice']}: outcome "
                         f"{outcome['outcome']} (to {outcome['to']}) never happens: its `if` or weight rules it out "
                         "whenever the choice is open")
        if report["unreached_scenes"]:
            lines.append(f"Scenes never reached: {len(report['unreached_scenes'])}")
            for scene in report["unreached_scenes"]:
                why = "choices lead here, but their conditions are never true on the way" if scene["linked"] \
                    else "no choice leads here"
                lines.append(f"  {report['path']}:{scene['line']}: {scene['scene']} ({why})")
                lines += _blocked_lines(scene["blocked"], "    ")
        else:
            lines.append("Scenes never reached: none.")
        lines += _check_lines(report)
        lines.append("")
    lines.append(_verdict(report))
    return "\n".join(lines) + "\n"


def _check_lines(report: ExhaustiveReport) -> list[str]:
    """The knowledge check: whether each item's fact is in the debrief of an ending the search reached."""
    if not report["check"]:
        return []
    unsupported = set(report["unsupported_check_items"])
    if not unsupported:
        return [f"Knowledge check: the fact behind each of its {len(report['check'])} items is in the debrief of an "
                "ending reached."]
    lines = [f"Knowledge check: {plural(len(unsupported), 'item')} rest on facts that no debrief of an ending "
             "reached lists:"]
    lines += [f"  CHECK: {report['path']}:{item['line']}: item {item['item']} (fact {item['fact']})"
              for item in report["check"] if item["item"] in unsupported]
    return lines


def _no_role(report: ExhaustiveReport) -> str:
    """'no role', or which roles were searched when --role limited the search."""
    if report["every_role"]:
        return "no role"
    return f"no role searched ({', '.join(role['role'] for role in report['roles'])})"


def _cap_advice(report: ExhaustiveReport) -> list[str]:
    widest = sorted(((high - low + 1, stat) for role in report["roles"]
                     for stat, (low, high) in role["tracked"]["stats"].items()), reverse=True)
    advice = [f"The search stopped at the state cap ({report['max_states']:,} states for one role), so it proves "
              "nothing about traps or unreachable endings. What to do:",
              "  - raise the cap: --max-states N (each state costs roughly 200 bytes of memory);"]
    if widest:
        size, stat = widest[0]
        advice.append(f"  - or narrow what multiplies states: every stat a condition or text reads counts; "
                      f"the widest is {stat} ({size} values);")
    advice += ["  - or sample instead: --random 5000 plays seeded games and reports coverage.", ""]
    return advice


def _verdict(report: ExhaustiveReport) -> str:
    if not report["complete"]:
        return "Result: INCOMPLETE (the state cap stopped the search)."
    problems = []
    if report["unreachable_endings"]:
        problems.append(plural(len(report["unreachable_endings"]), "unreachable ending"))
    if report["traps"]:
        problems.append(plural(len(report["traps"]), "trap"))
    if report["unsupported_check_items"]:
        problems.append(plural(len(report["unsupported_check_items"]), "check item") + " without a reachable debrief")
    warnings = len(report["never_open"]) + len(report["never_drawn"]) + len(report["unreached_scenes"])
    note = f" ({plural(warnings, 'warning')} above)" if warnings else ""
    return f"Result: FAILED: {', '.join(problems)}.{note}" if problems else f"Result: OK{note}."


# ---------------------------------------------------------------------------- random


def _game(scenario: Scenario, game: RandomGame, name: str) -> ListedGame:
    replayed = replay(scenario, game.role, game.seed, game.choice_ids)
    replay_info: Replay
    if isinstance(replayed, Replayed):
        replay_info = {"seed": game.seed, "numbers": list(replayed.numbers), "command": replayed.command(name)}
        if replayed.place != game.place and game.steps:
            replay_info = {"error": f"the engine arrived at '{replayed.place}', not '{game.place}'"}
    else:
        replay_info = {"error": replayed.message}
    return {"game": game.number, "role": game.role, "seed": game.seed, "result": game.result, "place": game.place,
            "choices": list(game.choice_ids), "path": _steps(game.steps), "replay": replay_info}


def random_report(scenario: Scenario, run: RandomRun, name: str, list_games: bool = False) -> RandomReport:
    shown: list[RandomGame] = []
    if list_games:
        shown = list(run.games)
    else:
        first: dict[tuple[str, str], RandomGame] = {}
        for game in run.games:
            if game.result != CAPPED and game.result != STUCK:
                first.setdefault((game.role, game.place), game)
        shown = sorted([*first.values(), *run.stuck[:20], *run.capped[:20]], key=lambda g: g.number)
    totals = {ending: sum(found.get(ending, 0) for found in run.endings.values()) for ending in scenario.endings}
    status = PROBLEMS if run.stuck else OK
    return {
        "scenario": scenario.id, "path": shown_path(scenario), "mode": "random", "games": len(run.games), "seed": run.seed,
        "picks": "least-taken first" if run.coverage else "uniform", "max_steps": run.max_steps,
        "exit_status": status,
        "endings": [{"id": ending, "title": scenario.endings[ending].title, "tone": scenario.endings[ending].tone,
                     "games": totals[ending],
                     "by_role": {role: found.get(ending, 0) for role, found in run.endings.items()}}
                    for ending in scenario.endings],
        "stuck": len(run.stuck), "step_capped": len(run.capped),
        "stuck_by_role": {role: sum(1 for g in run.stuck if g.role == role) for role in run.endings},
        "scenes": [{"id": place, "arrivals": run.place_hits[place]} for place in scenario.scenes],
        "choices": [{"scene": scene, "choice": choice, "taken": hits} for (scene, choice), hits in run.choice_hits.items()],
        "stats": {stat: {"seen": list(run.stat_ranges[stat]), "range": [scenario.stats[stat].min, scenario.stats[stat].max]}
                  for stat in scenario.stats if stat in run.stat_ranges},
        "listed_games": "all" if list_games else ("the first game to each ending per role, and the first 20 "
                                                  "games that got stuck and 20 that hit the step cap"),
        "game_list": [_game(scenario, game, name) for game in shown],
    }


def render_random(report: RandomReport) -> str:
    lines = [f"Random playtest of {report['scenario']} ({report['path']})",
             f"{report['games']:,} games, seed {report['seed']}, choices picked {report['picks']}, "
             f"at most {report['max_steps']:,} choices a game.",
             f"Each game's seed derives from --seed {report['seed']}; games listed below show their seed, "
             "their choices and a command that replays them alone.", ""]
    width = max(len(ending["id"]) for ending in report["endings"])
    lines.append("Endings (games):")
    for ending in report["endings"]:
        roles = ", ".join(f"{role} {count:,}" for role, count in ending["by_role"].items())
        lines.append(f"  {ending['id']:<{width}} {ending['games']:>8,}   ({roles})")
    missing = [ending["id"] for ending in report["endings"] if ending["games"] == 0]
    if missing:
        lines.append(f"  not reached in these games: {', '.join(missing)} (random play cannot prove an ending "
                     "unreachable: run the exhaustive playtest)")
    lines.append(f"Games stuck with no open choice (a trap): {report['stuck']:,}")
    lines.append(f"Games stopped at the step cap (a loop, perhaps a trap): {report['step_capped']:,}")
    lines.append("")
    lines.append("Scenes (arrivals):")
    width = max(len(scene["id"]) for scene in report["scenes"])
    for scene in report["scenes"]:
        lines.append(f"  {scene['id']:<{width}} {scene['arrivals']:>8,}")
    lines.append("")
    lines.append("Choices (times taken):")
    width = max(len(f"{c['scene']} / {c['choice']}") for c in report["choices"]) if report["choices"] else 0
    for choice in report["choices"]:
        label = f"{choice['scene']} / {choice['choice']}"
        lines.append(f"  {label:<{width}} {choice['taken']:>8,}")
    never = [f"{c['scene']} / {c['choice']}" for c in report["choices"] if c["taken"] == 0]
    if never:
        lines.append(f"  never taken: {', '.join(never)}")
    lines.append("")
    lines.append("Stats seen (lowest..highest, of the stat's range):")
    for stat, info in report["stats"].items():
        lines.append(f"  {stat}: {info['seen'][0]}..{info['seen'][1]} of {info['range'][0]}..{info['range'][1]}")
    lines.append("")
    more = "" if report["listed_games"] == "all" else " (--list-games lists all)"
    lines.append(f"Games listed: {report['listed_games']}{more}:")
    for game in report["game_list"]:
        lines.append(f"  game {game['game']}: {game['role']}, seed {game['seed']}, {game['result']} at {game['place']} "
                     f"after {len(game['choices'])} choices: {path_text(game['path'])}")
        lines += _replay_lines(game["replay"], "    ")
    lines.append("")
    lines.append("Result: FAILED: a game got stuck with no open choice." if report["stuck"] else "Result: OK.")
    return "\n".join(lines) + "\n"
