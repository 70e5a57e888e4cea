"""The load cache: a scenario that loaded cleanly, stored as JSON and keyed by content hash.

Loading a 4 MB scenario means parsing YAML, which is slow; loading it again unchanged reads
this JSON instead. JSON cannot execute code, and an entry is used only when its format, the
engine version, the file's content hash and the hash of every other file it read (each shared
file it includes, each source file it quotes) all match.
Anything unexpected in an entry makes it a miss: the file is then loaded in full. A failure to
write the cache (a read-only home, a full disk) is ignored: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from game import __version__
from game.engine import paths
from game.engine.files import write_atomic
from game.engine.runtime.knowledge import CheckItem
from game.engine.runtime.expressions import Effect, effect_op, expr_from_json, expr_to_json
from game.engine.runtime.text import template_from_json, template_to_json
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
from game.engine.loader.problems import Problem

CACHE_FORMAT = 5  # 4: format 2 (text variants, arithmetic, outcome conditions, once, fallback, includes); 5: the check


def cache_key(content_hash: str, file: Path) -> str:
    """Content (by its hash, already computed by the load) plus location: the same text elsewhere
    may resolve other source files."""
    return hashlib.sha256(f"{content_hash}\0{file.resolve()}".encode("utf-8", "surrogateescape")).hexdigest()


def _entry_path(key: str) -> Path:
    return paths.cache_dir() / "scenarios" / f"{key}.json"


def _sources_unchanged(recorded: dict[str, str]) -> bool:
    for file, digest in recorded.items():
        try:
            if hashlib.sha256(Path(file).read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


def read(key: str, content_hash: str, shown_path: str) -> tuple[Scenario, tuple[Problem, ...]] | None:
    """The cached scenario and its warnings, or None for any kind of miss."""
    if os.environ.get("LONGARM_NO_CACHE"):
        return None
    try:
        entry = json.loads(_entry_path(key).read_text(encoding="utf-8"))
        if (entry.get("cache_format") != CACHE_FORMAT or entry.get("engine") != __version__
                or entry.get("content_hash") != content_hash or not _sources_unchanged(entry["sources"])):
            return None
        scenario = scenario_from_json(entry["scenario"], content_hash)
        problems = tuple(Problem.from_json({**p, "file": shown_path}) for p in entry["problems"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, ImportError, RecursionError):
        return None  # ImportError: no platformdirs to find the cache folder (a bare interpreter)
    return scenario, problems


def write(key: str, content_hash: str, scenario: Scenario, problems: tuple[Problem, ...],
          source_hashes: dict[str, str]) -> None:
    if os.environ.get("LONGARM_NO_CACHE"):
        return
    entry = {
        "cache_format": CACHE_FORMAT,
        "engine": __version__,
        "content_hash": content_hash,
        "sources": source_hashes,
        "problems": [p.to_json() for p in problems],
        "scenario": scenario_to_json(scenario),
    }
    try:
        write_atomic(_entry_path(key), json.dumps(entry, separators=(",", ":")).encode("utf-8"), durable=False)
    except (OSError, ImportError):
        pass  # the cache is an optimisation: a read-only or missing cache folder only costs time


# ---------------------------------------------------------------------------- model <-> JSON
# Compact positional lists: the cache is read far more often than it is written, and building
# objects from lists is the cheapest way back from json.loads.


def _effects_to_json(effects: tuple[Effect, ...]) -> list[list[object]]:
    return [[e.name, e.op, e.value] if e.amount is None else [e.name, e.op, e.value, expr_to_json(e.amount)]
            for e in effects]


def _effects_from_json(data: list[list[Any]]) -> tuple[Effect, ...]:
    if not data:  # most choices have no effects: skip building a generator for them
        return ()
    return tuple([Effect(str(item[0]), effect_op(item[1]), _effect_value(item[2])) if len(item) == 3
                  else Effect(str(item[0]), effect_op(item[1]), _effect_value(item[2]), expr_from_json(item[3]))
                  for item in data])


def _outcome_to_json(o: Outcome) -> list[object]:
    fixed: list[object] = [o.weight, o.goto, _effects_to_json(o.effects)]
    if o.fixed:
        return fixed
    return fixed + [None if o.weight_expr is None else expr_to_json(o.weight_expr), o.weight_text,
                    None if o.condition is None else expr_to_json(o.condition), o.condition_text]


def _outcome_from_json(data: list[Any]) -> Outcome:
    weight, goto, effects, weight_expr, weight_text, condition, condition_text = data
    return Outcome(weight, goto, _effects_from_json(effects),
                   None if weight_expr is None else expr_from_json(weight_expr), weight_text,
                   None if condition is None else expr_from_json(condition), condition_text)


def _effect_value(value: object) -> int | bool:
    if not isinstance(value, int):  # bool is an int too
        raise ValueError(f"not an effect's value: {value!r}")
    return value


def scenario_to_json(s: Scenario) -> dict[str, object]:
    return {
        "head": [s.format, s.id, s.title, s.summary, s.language, s.audience, s.minutes,
                 list(s.content_warnings), list(s.learning_objectives), s.path],
        "sources": [[x.id, x.title, x.publisher, x.published, x.url, x.file] for x in s.sources.values()],
        "stats": [[x.id, x.label, x.min, x.max, x.start, x.hidden] for x in s.stats.values()],
        "flags": [[x.id, x.label] for x in s.flags.values()],
        "roles": [[x.id, x.title, x.blurb, x.start, x.stats] for x in s.roles.values()],
        "facts": [[x.id, x.text, x.source, x.quote, x.note] for x in s.facts.values()],
        "glossary": s.glossary,
        "scenes": [[x.id, x.title, x.basis, x.text, list(x.reveals), x.line, list(x.real), list(x.invented),
                    [[c.id, c.text, c.goto,
                      [_outcome_to_json(o) for o in c.outcomes],
                      expr_to_json(c.condition) if c.condition is not None else None,
                      c.condition_text, c.locked, _effects_to_json(c.effects), c.line,
                      *([c.once, c.fallback] if c.once or c.fallback else [])]
                     for c in x.choices]]
                   for x in s.scenes.values()],
        "endings": [[x.id, x.title, x.tone, x.text, x.debrief.summary, list(x.debrief.facts),
                     list(x.debrief.questions), list(x.reveals), x.basis, x.line, list(x.debrief.governments),
                     list(x.real), list(x.invented)] for x in s.endings.values()],
        "texts": [[text, template_to_json(template)] for text, template in s.texts.items()],
        "includes": list(s.includes),
        "check": [[x.id, x.question, list(x.options), x.answer, x.fact, x.line] for x in s.check],
    }


def _choice_from_json(c: list) -> Choice:  # type: ignore[type-arg]
    if len(c) == 9:  # most choices are neither once nor fallback
        cid, text, goto, outcomes, condition, condition_text, locked, effects, line = c
        once = fallback = False
    else:
        cid, text, goto, outcomes, condition, condition_text, locked, effects, line, once, fallback = c
    return Choice(cid, text, goto,
                  tuple([Outcome(o[0], o[1], _effects_from_json(o[2])) if len(o) == 3 else _outcome_from_json(o)
                         for o in outcomes]) if outcomes else (),
                  expr_from_json(condition) if condition is not None else None,
                  condition_text, locked, _effects_from_json(effects), line, bool(once), bool(fallback))


def scenario_from_json(d: dict, content_hash: str) -> Scenario:  # type: ignore[type-arg]
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
        scenes={x[0]: Scene(x[0], x[1], x[2], x[3], tuple([_choice_from_json(c) for c in x[8]]), tuple(x[4]), x[5],
                            tuple(x[6]), tuple(x[7]))
                for x in d["scenes"]},
        endings={x[0]: Ending(x[0], x[1], x[2], x[3], Debrief(x[4], tuple(x[5]), tuple(x[6]), tuple(x[10])),
                              tuple(x[7]), x[8], x[9], tuple(x[11]), tuple(x[12]))
                 for x in d["endings"]},
        path=path, content_hash=content_hash,
        texts={str(text): template_from_json(template) for text, template in d["texts"]},
        includes=tuple(str(include) for include in d["includes"]),
        check=tuple([CheckItem(x[0], x[1], tuple(x[2]), x[3], x[4], x[5]) for x in d["check"]]),
    )
