"""Generate a large synthetic Long Arm scenario (format 1) for benchmarks.

The output is a valid scenario YAML file: every ``goto`` resolves to a scene or
an ending, every scene is reachable from the start and can reach an ending
(choice ``a`` of scene *i* always leads to scene *i + 1*, and the last scene's
``a`` leads to an ending), and each scene has exactly three choices ``a``,
``b`` and ``c``.  Conditions, effects, locked texts, weighted outcomes and fact
reveals are sprinkled in so the loader and validator exercise every feature.

The ``sources.seed.file`` entry is ``../seeds/amnesty-2019-11-08-cambodia.txt``,
relative to the YAML file, so a benchmark that loads the scenario must write it
into a folder whose parent holds ``seeds/`` with that file (for example
``<tmp>/scenarios/synthetic.yaml`` next to a copy of ``seeds/``).

The generator uses only the standard library and writes YAML text directly.
Output is deterministic for a given ``scenes`` and ``seed``.  With 10,000
scenes the file is about 4.3 MB (see ``TEXT_MIN``/``TEXT_MAX``).

Usage::

    python bench/synthetic.py --scenes 10000 --out /tmp/synthetic.yaml [--seed 1]

or, from Python::

    from bench.synthetic import write_synthetic
    write_synthetic(Path("/tmp/synthetic.yaml"), scenes=10_000, seed=1)
"""

from __future__ import annotations

import argparse
import random
import textwrap
from pathlib import Path

SEED_FILE = "../seeds/amnesty-2019-11-08-cambodia.txt"
FACT_ID = "klia"
ENDING_IDS: tuple[str, ...] = ("end-hopeful", "end-mixed", "end-bitter")
CHOICE_IDS: tuple[str, ...] = ("a", "b", "c")

# Scene prose length in characters.  The fixed structure of a scene (title,
# basis, three choices with ids, gotos, conditions, effects) already costs about
# 350 bytes, so 50-90 characters of prose keeps 10,000 scenes near 4 MB.
# 180-220 characters would give about 5.7 MB.
TEXT_MIN = 50
TEXT_MAX = 90
WRAP_WIDTH = 72


SENTENCES: tuple[str, ...] = (
    "The arrivals hall smells of floor polish and jet fuel.",
    "A man in a grey suit watches the queue without blinking.",
    "Your phone buzzes twice, then goes quiet.",
    "Somewhere behind the glass a door opens and closes.",
    "The officer turns your passport over as if it might confess.",
    "Rain drums on the roof of the terminal.",
    "A cleaner pushes a cart past, humming an old song.",
    "The departures board flickers and reorders itself.",
    "You count the exits out of habit.",
    "Nobody here will say the name of the party out loud.",
    "A message arrives from a number you do not recognise.",
    "The coffee is bitter and too hot to drink.",
    "Two uniformed men confer by the immigration desk.",
    "Your notebook feels heavier than it should.",
    "The fluorescent lights hum above the waiting seats.",
    "An announcement in three languages asks for patience.",
    "You remember the last time someone was turned back here.",
    "A child asleep on a bench clutches a paper flag.",
    "The air conditioning makes the hall feel like a fridge.",
    "A lawyer's card is tucked inside your jacket.",
    "The taxi rank outside is empty for once.",
    "Across the concourse a camera swivels slowly.",
    "Your editor's last email said to keep your head down.",
    "The statement from the ministry is only two lines long.",
    "Someone has left a newspaper open at the regional pages.",
    "The smell of durian drifts in from a market stall.",
    "A phone charger dangles from a pillar, forgotten.",
    "The queue moves forward by one person and stops again.",
    "You try to look like a tourist and fail.",
    "Outside, the motorbikes weave through the heat haze.",
)

STAT_SENTENCES: tuple[str, ...] = (
    "Your safety stands at {safety}.",
    "You have {story} pieces of the story so far.",
    "With safety at {safety}, every step feels measured.",
    "Your notes add up to a story worth {story}.",
)

CHOICE_TEXTS: tuple[str, ...] = (
    "Go on",
    "Take the risk",
    "Roll the dice",
    "Wait",
    "Call your editor",
    "Ask the officer",
    "Slip out",
    "Film it",
    "Text the lawyer",
    "Hide the notes",
    "Find the source",
    "Leave",
    "Stay put",
    "Post it",
    "Delete it",
)

LOCKED_TEXTS: tuple[str, ...] = (
    "Too dangerous now",
    "You need more to go on",
    "Nobody will listen yet",
    "Not in this role",
)

ENDINGS: tuple[tuple[str, str, str], ...] = (
    ("end-hopeful", "A hopeful ending", "hopeful"),
    ("end-mixed", "A mixed ending", "mixed"),
    ("end-bitter", "A bitter ending", "bitter"),
)


def scene_id(index: int) -> str:
    """Return the id of scene number ``index``, e.g. ``s00042``."""
    return f"s{index:05d}"


def make_condition(scenes: int, rng: random.Random) -> str:
    """Return one condition expression drawn from a small varied set."""
    target = scene_id(rng.randrange(scenes))
    n = rng.randint(1, 4)
    options = (
        f"safety >= {n}",
        f"story > {n}",
        f"trust < {n - 2}",
        f"safety >= {n} and not has_footage",
        "has_footage or met_source",
        f"not warned and trust >= {n - 3}",
        "not has_footage",
        "met_source",
        f"visited({target})",
        f"known({FACT_ID})",
        'role == "activist"',
        f'role == "journalist" and story >= {n}',
        f"visited({target}) or warned",
        f"(safety > {n} or met_source) and not warned",
    )
    return rng.choice(options)


def make_effect(rng: random.Random) -> str:
    """Return one effect: ``name += n``, ``name -= n`` or ``name = value``."""
    kind = rng.randrange(4)
    if kind == 0:
        return f"{rng.choice(('safety', 'story', 'trust'))} += {rng.randint(1, 2)}"
    if kind == 1:
        return f"{rng.choice(('safety', 'trust'))} -= {rng.randint(1, 2)}"
    if kind == 2:
        flag = rng.choice(("has_footage", "met_source", "warned"))
        return f"{flag} = {rng.choice(('true', 'false'))}"
    return f"story = {rng.randint(0, 10)}"


def make_effects(rng: random.Random) -> str:
    """Return a flow-style list of one or two effects, e.g. ``[story += 1]``."""
    count = rng.choice((1, 1, 2))
    return "[" + ", ".join(make_effect(rng) for _ in range(count)) + "]"


def random_target(scenes: int, rng: random.Random) -> str:
    """Return a random goto target: usually a scene, sometimes an ending."""
    if rng.random() < 0.1:
        return rng.choice(ENDING_IDS)
    return scene_id(rng.randrange(scenes))


def make_text(rng: random.Random) -> str:
    """Return filler prose of TEXT_MIN..TEXT_MAX characters."""
    while True:
        parts: list[str] = []
        if rng.random() < 0.2:
            parts.append(rng.choice(STAT_SENTENCES))
        length = sum(len(p) for p in parts)
        while length < TEXT_MIN:
            room = TEXT_MAX - length - (1 if parts else 0)
            fits = [s for s in SENTENCES if len(s) <= room and s not in parts]
            if not fits:
                break
            pick = rng.choice(fits)
            length += len(pick) + (1 if parts else 0)
            parts.append(pick)
        if TEXT_MIN <= length <= TEXT_MAX:
            rng.shuffle(parts)
            return " ".join(parts)


def block_text(text: str, indent: int) -> list[str]:
    """Return the lines of a literal block scalar body, wrapped and indented."""
    pad = " " * indent
    return [pad + line for line in textwrap.wrap(text, WRAP_WIDTH)]


def outcome_lines(scenes: int, rng: random.Random) -> list[str]:
    """Return the lines of an ``outcomes:`` list for one choice."""
    lines = ["        outcomes:"]
    for _ in range(rng.choice((2, 2, 3))):
        target = random_target(scenes, rng)
        extra = f", do: {make_effects(rng)}" if rng.random() < 0.4 else ""
        lines.append(f"          - {{weight: {rng.randint(1, 4)}, goto: {target}{extra}}}")
    return lines


def choice_lines(index: int, choice: str, scenes: int, rng: random.Random) -> list[str]:
    """Return the YAML lines of choice ``choice`` (a, b or c) of scene ``index``."""
    lines = [f"      - text: {rng.choice(CHOICE_TEXTS)}", f"        id: {choice}"]
    if choice == "a":
        # The spine: always unconditional, so every scene reaches an ending
        # and is reachable from the start.
        target = scene_id(index + 1) if index + 1 < scenes else rng.choice(ENDING_IDS)
        lines.append(f"        goto: {target}")
        if rng.random() < 0.2:
            lines.append(f"        do: {make_effects(rng)}")
        return lines
    # b and c: conditions on half of them, so about a third of all choices.
    if rng.random() < 0.5:
        lines.append(f"        if: {make_condition(scenes, rng)}")
        if rng.random() < 0.25:
            lines.append(f"        locked: {rng.choice(LOCKED_TEXTS)}")
    if rng.random() < 0.4:
        lines.append(f"        do: {make_effects(rng)}")
    if rng.random() < 0.075:  # about 1 in 20 of all choices
        lines.extend(outcome_lines(scenes, rng))
    else:
        lines.append(f"        goto: {random_target(scenes, rng)}")
    return lines


def scene_lines(index: int, scenes: int, rng: random.Random) -> list[str]:
    """Return the YAML lines of scene number ``index``."""
    basis = rng.choice(("invented", "invented", "composite", "reported"))
    lines = [
        f"  {scene_id(index)}:",
        f"    title: Scene {index}",
        f"    basis: {basis}",
        "    text: |",
        *block_text(make_text(rng), 6),
    ]
    if rng.random() < 0.1:
        lines.append(f"    reveals: [{FACT_ID}]")
    lines.append("    choices:")
    for choice in CHOICE_IDS:
        lines.extend(choice_lines(index, choice, scenes, rng))
    return lines


def header(scenes: int) -> str:
    """Return the scenario metadata: everything before the scene list."""
    return f"""\
# yaml-language-server: $schema=../schema/scenario.schema.json
format: 1
id: synthetic-{scenes}
title: Synthetic benchmark ({scenes} scenes)
summary: A generated scenario for benchmarks.
language: en
audience: Benchmarks
minutes: 60
content_warnings: []
learning_objectives: [Measure the loader.]
sources:
  seed:
    title: "Cambodia: Stop pressuring regional neighbours to harass opposition figures"
    publisher: Amnesty International (republished by The Nation Thailand)
    published: 2019-11-08
    file: {SEED_FILE}
stats:
  safety: {{label: Safety, min: 0, max: 5, start: 3}}
  story: {{label: Story, min: 0, max: 10, start: 0}}
  trust: {{label: Trust, min: -5, max: 5, start: 0}}
flags:
  has_footage: You filmed the detention
  met_source: You met a source
  warned: You were warned
roles:
  journalist: {{title: Journalist, blurb: A reporter., start: {scene_id(0)}}}
  activist: {{title: Activist, blurb: An activist., start: {scene_id(0)}, stats: {{safety: 2}}}}
facts:
  {FACT_ID}:
    text: Mu Sochua was held at the airport, then released.
    source: seed
    quote: was detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport this morning
glossary:
  CNRP: Cambodia National Rescue Party.
scenes:"""


def ending_lines() -> list[str]:
    """Return the YAML lines of the ``endings:`` section."""
    lines = ["endings:"]
    for ending_id, title, tone in ENDINGS:
        lines += [
            f"  {ending_id}:",
            f"    title: {title}",
            f"    tone: {tone}",
            "    text: |",
            f"      The story ends on a {tone} note. The airport fades behind you.",
            "    debrief:",
            "      summary: |",
            "        Mu Sochua, a CNRP leader in exile, was detained for most of the day",
            "        at Kuala Lumpur International Airport in November 2019, then released.",
            f"      facts: [{FACT_ID}]",
            "      questions:",
            "        - Why would a government ask its neighbours to stop a politician travelling?",
            "        - What protections should a transit country offer?",
        ]
    return lines


def render(scenes: int = 10_000, seed: int = 1) -> str:
    """Return the full synthetic scenario as YAML text."""
    if scenes < 1:
        raise ValueError("scenes must be at least 1")
    rng = random.Random(seed)
    lines = [header(scenes)]
    for index in range(scenes):
        lines.extend(scene_lines(index, scenes, rng))
    lines.extend(ending_lines())
    return "\n".join(lines) + "\n"


def write_synthetic(path: Path, scenes: int = 10_000, seed: int = 1) -> Path:
    """Write a synthetic scenario with ``scenes`` scenes to ``path``; return ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(scenes, seed), encoding="utf-8", newline="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=10_000, help="number of scenes")
    parser.add_argument("--out", type=Path, required=True, help="output YAML path")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    args = parser.parse_args(argv)
    out = write_synthetic(args.out, args.scenes, args.seed)
    print(f"wrote {out} ({out.stat().st_size:,} bytes, {args.scenes} scenes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
