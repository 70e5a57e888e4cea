"""The load cache: a scenario that loaded cleanly, stored as JSON and keyed by content hash.

Loading a 4 MB scenario means parsing YAML, which is slow; loading it again unchanged reads
this JSON instead. JSON cannot execute code, and an entry is used only when its format, the
engine version, the model's fields, the file's content hash and the hash of every other file it
read (each shared file it includes, each source file it quotes) all match.

An entry is two lines of JSON: a small stamp saying all that, with the SHA-256 of the second
line, and the second line: the warnings and the scenario in the form of `cacheform.py`. The
second line is used only when its hash matches, so a damaged entry (cut short, a changed byte) is
a miss before it is parsed; what was checked when the entry was written (the scenario loaded
cleanly) is not checked again, but the decoding still refuses anything it could not have written.
Anything unexpected in an entry makes it a miss: the file is then loaded in full. A failure to
write the cache (a read-only home, a full disk) is ignored: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from game import __version__
from game.engine import paths
from game.engine.files import write_atomic
from game.engine.loader.cacheform import SCHEMA, scenario_from_json, scenario_to_json
from game.engine.loader.problems import Problem
from game.engine.runtime.model import Scenario

# 4: format 2 (text variants, arithmetic, outcome conditions, once, fallback, includes); 5: the check;
# 6: two lines (a stamp with the hash of the rest), shared values and columns (`cacheform.py`)
CACHE_FORMAT = 6

__all__ = ["CACHE_FORMAT", "cache_key", "read", "scenario_from_json", "scenario_to_json", "write"]


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
        stamp_line, separator, body_line = _entry_path(key).read_bytes().partition(b"\n")
        stamp = json.loads(stamp_line)
        if (not separator or stamp.get("cache_format") != CACHE_FORMAT or stamp.get("engine") != __version__
                or stamp.get("schema") != SCHEMA or stamp.get("content_hash") != content_hash
                or stamp.get("body") != hashlib.sha256(body_line).hexdigest()
                or not _sources_unchanged(stamp["sources"])):
            return None
        body = json.loads(body_line)
        scenario = scenario_from_json(body["scenario"], content_hash)
        problems = tuple(Problem.from_json({**p, "file": shown_path}) for p in body["problems"])
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, ImportError, RecursionError):
        return None  # ImportError: no platformdirs to find the cache folder (a bare interpreter)
    return scenario, problems


def write(key: str, content_hash: str, scenario: Scenario, problems: tuple[Problem, ...],
          source_hashes: dict[str, str]) -> None:
    if os.environ.get("LONGARM_NO_CACHE"):
        return
    try:
        body = json.dumps({"problems": [p.to_json() for p in problems], "scenario": scenario_to_json(scenario)},
                          separators=(",", ":")).encode("utf-8")
        stamp = json.dumps({"cache_format": CACHE_FORMAT, "engine": __version__, "schema": SCHEMA,
                            "content_hash": content_hash, "sources": source_hashes,
                            "body": hashlib.sha256(body).hexdigest()}, separators=(",", ":")).encode("utf-8")
        write_atomic(_entry_path(key), stamp + b"\n" + body, durable=False)
    except (OSError, ImportError, TypeError, ValueError, RecursionError):
        pass  # the cache is an optimisation: a read-only or missing cache folder only costs time, and a
        # scenario the cache's form cannot hold (a bug) is only loaded in full each time
