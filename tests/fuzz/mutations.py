"""Mutations of scenario text, and one fuzz run through everything an author's file reaches.

A mutation is three whole numbers, `(operator, where, what)`, each taken modulo what it indexes:
which edit, at which line, with which value. The same list of mutations applied to the same text
always gives the same file, so the property test (hypothesis draws the numbers, and shrinks them)
and `bench/fuzz.py` (a seeded generator draws them) share this module, and any failure they find
replays from its numbers alone.

The edits are those that broke the loader before: values swapped for hostile ones (deep
parentheses, thousands of digits, tags, aliases, invisible and bidirectional characters), lines
deleted, duplicated, moved or re-indented, keys misspelt, ids renamed, numbers made huge, and
the file cut short; and format 2's syntax, hostile and valid: text variants (deep, unclosed,
huge), arithmetic and visits() in conditions, effects and weights, outcome conditions, once and
fallback choices, includes of files outside the project or of no file at all, and the format
number set back to 1.

`run_case` is the fuzz run for one mutated file: the loader, then (when it loads) both
playtests with small caps and the plain player on random input. It raises whatever they raise;
a problem LA099 (a bug caught by the loader's guard) is raised as a failure too.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

Mutation = tuple[int, int, int]

_DEEP = "(" * 300 + "safety >= 1" + ")" * 300
_CONDITIONS = [
    _DEEP, "not " * 1000 + "has_notes", "not " * 25 + "has_notes", " and ".join(["safety >= 1"] * 1000),
    " and ".join(["safety >= 1"] * 150), " or ".join(["has_notes"] * 150), "safety >= " + "9" * 5000,
    "safety >= " + "9" * 40, "safety >= 1000000000", "safety < -1000000000", "visited(message)",
    "known(klia-detention)", 'role == "journalist"', "role == 'nobody'", "safety.real", "__import__('os')",
    "1 < 2 < 3", "safety", "true", "false", "", "(", ")", "safety >= 2 and", "not", '"', "has_notes == true",
    "visited(" + "x" * 3000 + ")", "((((((((((((((((((((((has_notes))))))))))))))))))))))",
    "visits(message) > 2", "visits(message) + 1 > 2", "visits(message) > safety", "safety + safety * 2 >= 3",
    "-" * 30 + "safety > 1", "safety / 2 > 1", " * ".join(["safety"] * 600) + " > 1", "visits(" + "x" * 40 + ") > 1",
]
_EFFECTS = ["safety += 999999999999", "safety -= " + "9" * 5000, "safety = 1000000000", "safety = -1000000000",
            "has_notes = true", "has_notes += 1", "safety ++", "luck = 1", "x" * 3000, "safety = true",
            "safety = safety * safety * safety", "safety = " + " * ".join(["safety"] * 600), "safety += visits(message)",
            "has_notes = safety > 1", "safety = (" * 30 + "1" + ")" * 30, "safety -= -safety"]
_NUMBERS = ["0", "-1", "1", "5", "1000000000", "1000000001", "-1000000000", "10000000000", "9" * 40, "9" * 5000,
            "1_000", "0x1F", "1.5", "+3", "007", "1:30"]
HOSTILE = [
    "", "~", "[]", "{}", "[[]]", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "12", "true", "null", "2019-11-08", "'quoted'", '"double {safety} quoted"', "|", ">",
    "!!binary aGVsbG8=", "!shell ls", "!!python/name:os.system", "!!python/object/apply:os.system ['true']",
    "*alias", "&anchor value", "{a: 1}", "[a, b]", "x: y", "a: b: c", "{safety.__class__}", "{", "}", "{{}}",
    "zero\u200bwidth", "\u202eevil", "a\tb", "x" * 20_000, "- item", "? key", "%", "@at", "`tick`",
    "\ufeffbom", "caf\u00e9", "\u00a0nbsp",
] + _CONDITIONS + _EFFECTS + _NUMBERS
#: Text variants, broken and heavy: each is written as a quoted one-line text.
TEXTS = ["{if safety >= 1: A | else: B}", "{if " * 50, "{if safety > 1: x", "{if safety > 1 x}", "| else: }",
         "{if safety: x}", "{if safety > 1: x | else: y | else: z}", "{if safety > 1: x | elif true: y}",
         "{if true: " * 9 + "x" + "}" * 9, "{if true: " * 8 + "x" + "}" * 8, "{if safety > 1: {safety} {has_notes}}",
         "{if visits(message) > 1000000000: again}", "{if known(klia-detention): known | else: not}",
         "{if safety >= 1: a | if safety >= 2: b}" * 2000, "{if " + "(" * 300 + "true" + ")" * 300 + ": x}",
         "{if safety > 1: }}}", "{{if safety > 1: x}}", "{if safety > 1: x}" + "}" * 3, "{if\u200b safety > 1: x}"]
#: What an `include` may name: outside the project, absolute, a folder, a scenario, nothing, huge.
INCLUDES = ["/etc/passwd", "../../../../etc/passwd", "shared/../../../x.yaml", "shared", "nothing.yaml",
            "C:/x.yaml", "x" * 3000 + ".yaml", "shared/cambodia-2019.yaml", "message.yaml", ""]
VALID_TEXTS = ["{if safety >= 2: Calm. | if safety >= 1: Tense. | else: Afraid.} {safety}",
               "{if visits(message) > 1: Again. | else: First.}", "{if has_notes: Notes. | else: None.}"]
CHARACTERS = [":", " ", "-", "{", "}", "[", "]", "&", "*", "!", "#", "'", '"', "|", ">", "%", "@", "`", ",", "?",
              "\t", "\n", "\r", "\x00", "\x1b", "\u200b", "\u202e", "\u2028", "\ufeff", "\ud7ff", "é", "9"]
KEYS = ["got", "goto", "if", "do", "id", "text", "title", "outcomes", "weight", "choices", "scenes", "endings",
        "stats", "flags", "roles", "start", "min", "max", "reveals", "reveal", "debrief", "facts", "quote",
        "source", "file", "locked", "basis", "tone", "<<", "format", "glossary", "governments", "real", "x" * 50,
        "Title", "ti\u200btle", "? [a]", "- text"]
SNIPPETS = ["x: &a [*a]", "<<: *b", "y: !tag value", "--- ", "...", "  - {text: X, goto: quiet}", "%YAML 1.1",
            "scenes: 12", "  extra: {title: x}", "\t- tab", "a: " + "[" * 2000 + "]" * 2000, "[" * 40,
            "  zz:\n    title: Z\n    basis: invented\n    text: Z\n    choices:\n      - {text: Z, goto: zz}"]
# Edits that keep a file loading (every shipped scenario and the scaffold have `safety`), so that
# the searches and the player see heavy but valid input, not only what the loader refuses.
VALID_CONDITIONS = ["(" * 19 + "safety >= 1" + ")" * 19, "not " * 18 + "safety >= 1",
                    " and ".join(["safety >= 1"] * 150), " or ".join(["safety < 0"] * 150 + ["true"]),
                    "safety >= 1000000000", "safety > -1000000000", "true", "not true", "safety == 3",
                    "visits(message) < 3", "safety * 2 - 1 >= 1", "visits(message) >= 1000000000 or true"]
VALID_EFFECTS = ["safety += 1000000000", "safety -= 1000000000", "safety = 1000000000", "safety = -1000000000",
                 "safety += 1", "safety = 0", "safety -= 1, safety += 2, safety = 4",
                 "safety = safety * safety - 1", "safety = " + " * ".join(["safety"] * 300), "safety -= safety"]
WIDE = ["1000", "1000000", "1000000000"]
_PLACE = re.compile(r"^  ([a-z0-9]+(?:-[a-z0-9]+)*):\s*$")
_ID_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+|[a-z]{4,}")


#: How many edits `mutate` knows: a mutation's operator is taken modulo this.
OPERATORS = 23


def _next_matching(lines: list[str], start: int, fragment: str) -> int:
    """The first line from `start` on (wrapping round) that holds `fragment`, or -1."""
    for offset in range(len(lines)):
        at = (start + offset) % len(lines)
        if fragment in lines[at]:
            return at
    return -1


def _line_pick(lines: list[str], where: int) -> int:
    return where % len(lines) if lines else 0


def _replace_value(line: str, value: str) -> str:
    head, colon, _ = line.partition(": ")
    if colon:
        return f"{head}: {value}"
    stripped = line.lstrip()
    if stripped.startswith("- "):
        return f"{line[:len(line) - len(stripped)]}- {value}"
    return f"{line}: {value}" if line.strip() else value


def _quoted(value: str) -> str:
    """A value as a YAML double-quoted string (backslashes and quotes escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def mutate(text: str, mutations: Sequence[Mutation]) -> str:
    """The text after each mutation in turn."""
    for operator, where, what in mutations:
        lines = text.split("\n")
        at = _line_pick(lines, where)
        line = lines[at] if lines else ""
        match operator % OPERATORS:
            case 0:
                del lines[at]
            case 1:
                lines.insert(at, line)
            case 2:
                if at + 1 < len(lines):
                    lines[at], lines[at + 1] = lines[at + 1], lines[at]
            case 3:
                lines[at] = "  " + line
            case 4:
                lines[at] = line[2:] if line.startswith("  ") else line
            case 5:
                lines[at] = _replace_value(line, HOSTILE[what % len(HOSTILE)])
            case 6:
                position = what % (len(line) + 1)
                lines[at] = line[:position] + CHARACTERS[(what // 7) % len(CHARACTERS)] + line[position:]
            case 7:
                position = what % (len(line) + 1)
                lines[at] = line[:position] + line[position + 1 + what % 10:]
            case 8:
                lines = lines[:at]
            case 9:
                indent = len(line) - len(line.lstrip(" "))
                head, colon, rest = line.strip().partition(":")
                if colon:
                    lines[at] = " " * indent + KEYS[what % len(KEYS)] + ":" + rest
            case 10:
                tokens = _ID_TOKEN.findall(line)
                if tokens:
                    token = tokens[what % len(tokens)]
                    renamed = token[: len(token) // 2] + "_x" if what % 3 else token + "\u200b"
                    text = "\n".join(lines)
                    if what % 2:
                        text = text.replace(token, renamed)
                    else:
                        lines[at] = line.replace(token, renamed, 1)
                        text = "\n".join(lines)
                    continue
            case 11:
                lines.insert(at, SNIPPETS[what % len(SNIPPETS)])
            case 12:
                indent = " " * (len(line) - len(line.lstrip(" ")))
                chosen = what % (len(_CONDITIONS) + len(_EFFECTS))
                lines[at] = (f"{indent}if: {_CONDITIONS[chosen]}" if chosen < len(_CONDITIONS)
                             else f"{indent}do: [{_EFFECTS[chosen - len(_CONDITIONS)]}]")
            case 13:
                numbers = list(re.finditer(r"-?\d+", line))
                if numbers:
                    found = numbers[what % len(numbers)]
                    lines[at] = line[:found.start()] + _NUMBERS[what % len(_NUMBERS)] + line[found.end():]
            case 14:  # widen the range of a stat (the one at or after the line)
                at = _next_matching(lines, at, "max: ")
                if at >= 0:
                    lines[at] = re.sub(r"max: -?\d+", f"max: {WIDE[what % len(WIDE)]}", lines[at], count=1)
                    if what % 2:
                        lines[at] = re.sub(r"min: -?\d+", f"min: -{WIDE[what % len(WIDE)]}", lines[at], count=1)
            case 15:  # a heavy but valid condition on a choice that has one
                at = _next_matching(lines, at, "if: ")
                if at >= 0:
                    indent = lines[at][:len(lines[at]) - len(lines[at].lstrip())]
                    lines[at] = f"{indent}if: {VALID_CONDITIONS[what % len(VALID_CONDITIONS)]}"
            case 16:  # heavy but valid effects where a choice has some
                at = _next_matching(lines, at, "do: [")
                if at >= 0:
                    head = lines[at][:lines[at].index("do: [")]
                    lines[at] = f"{head}do: [{VALID_EFFECTS[what % len(VALID_EFFECTS)]}]" + (
                        "}" if lines[at].rstrip().endswith("]}") else "")
            case 17:  # a choice that loops back to its own scene
                at = _next_matching(lines, at, "    choices:")
                place = next((found.group(1) for line_before in reversed(lines[:at])
                              if (found := _PLACE.match(line_before))), None) if at >= 0 else None
                if place is not None:
                    lines.insert(at + 1, f"      - {{text: Again, id: again-{what}, goto: {place}, do: [safety -= 1]}}")
            case 18:  # a text variant, hostile or valid, in a text (the one at or after the line)
                at = _next_matching(lines, at, "text: ")
                if at >= 0:
                    head = lines[at][:lines[at].index("text: ")]
                    chosen = (TEXTS + VALID_TEXTS)[what % (len(TEXTS) + len(VALID_TEXTS))]
                    lines[at] = head + "text: " + _quoted(chosen) + ("}" if lines[at].rstrip().endswith("}") else "")
            case 19:  # a choice made once-only or a fallback (format 2), or both
                at = _next_matching(lines, at, "      - text: ")
                if at >= 0:
                    keys = ["once: true", "fallback: true", "once: true, fallback: true", "fallback: maybe"][what % 4]
                    lines.insert(at + 1, "        " + keys.replace(", ", "\n        "))
            case 20:  # a weight from the state, or an outcome condition
                at = _next_matching(lines, at, "weight: ")
                if at >= 0:
                    weights = ['"safety + 1"', '"safety - 9"', '"0"', '"has_notes"', '"' + "safety * " * 300 + '1"',
                               "2, if: safety > 1", "1, if: visits(message) > 1", "1, if: safety"]
                    lines[at] = re.sub(r"weight: [^,}]+", "weight: " + weights[what % len(weights)], lines[at], count=1)
            case 21:  # an include, of files inside the project, outside it, or of nothing
                position = next((i for i, row in enumerate(lines) if row.startswith("minutes:")), 0)
                lines.insert(position + 1, "include: [" + _quoted(INCLUDES[what % len(INCLUDES)]) + "]")
            case 22:  # the format set to 1 or 2 (format-2 syntax in a format-1 file is refused, and said so)
                lines = [f"format: {1 + what % 2}" if row.startswith("format:") else row for row in lines]
        text = "\n".join(lines)
    return text


# ---------------------------------------------------------------------------- one fuzz run


@dataclass(frozen=True, slots=True)
class Caps:
    """How far each tool may go on one mutated file."""

    max_states: int = 2_000
    games: int = 20
    max_steps: int = 60
    plain_lines: int = 30


class InternalError(AssertionError):
    """The loader's guard caught a bug (LA099): a crash, as far as the fuzzer is concerned."""


def run_case(path: Path, text: str, seed: int, caps: Caps = Caps()) -> str:
    """Write `text` to `path` and run it through everything; what happened, in a word.

    Raises whatever the loader, the searches or the plain player raise.
    """
    from game.engine.loader.load import load_scenario
    from game.engine.search.explore import explore
    from game.engine.search.playtest import play_random
    from game.plain import PlainPlayer

    path.write_text(text, encoding="utf-8")
    result = load_scenario(path, use_cache=False)
    lines = text.count("\n") + 2
    for problem in result.problems:
        if problem.code == "LA099":
            raise InternalError(problem.render())
        span = problem.span
        assert 1 <= span.line <= lines and 1 <= span.column, problem.render()
        assert (span.end_line, span.end_column) >= (span.line, span.column), problem.render()
    if result.scenario is None:
        return "refused"
    scenario = result.scenario
    explore(scenario, max_states=caps.max_states)
    play_random(scenario, caps.games, seed, max_steps=caps.max_steps)
    picker = random.Random(seed)
    answers = "".join(picker.choice(["1\n", "2\n", "3\n", "9\n", "j\n", "u\n", "h\n", "x\n", "\n"])
                      for _ in range(caps.plain_lines))
    for role in scenario.roles:
        PlainPlayer(io.StringIO(answers), io.StringIO(), io.StringIO()).run(str(path), role, seed)
    return "loaded"
