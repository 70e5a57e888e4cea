"""`longarm new ID`: write a small, valid scenario to start from, never over an existing file.

The file carries the schema modeline, so editors with the YAML language server check it as it is
typed. It uses each main feature once (a stat, a flag, a condition with a lock, a random outcome,
a text that depends on the state, a fact with a quote, two endings with debriefs) and passes `validate` and the exhaustive
playtest. When the usual `seeds/` folder sits beside the file's folder, its source points at the
local copy, so the fact's quote is checked verbatim; otherwise that line is left as a comment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from game.engine.loader.ids import ID_RULE, is_id
from game.tools.loading import USAGE

MODELINE = "# yaml-language-server: $schema=../schema/scenario.schema.json"
SEED_FILE = "amnesty-2019-11-08-cambodia.txt"

TEMPLATE = """\
{modeline}
# A new Long Arm scenario. docs/authoring.md describes every key.
# Check it with `longarm validate {path}`; walk every path with `longarm playtest {path}`.
format: 2
id: {id}
title: {title}
summary: A reporter hears that an exiled opposition leader is being held at the airport.
language: en
audience: Ages 14 and up
minutes: 5
content_warnings: [detention]
learning_objectives:
  - Explain what transnational repression is, with one example.

sources:
  amnesty-2019:
    title: "Cambodia: Stop pressuring regional neighbours to harass opposition figures"
    publisher: Amnesty International (republished by The Nation Thailand)
    published: 2019-11-08
    {file_line}

stats:
  safety: {{label: Safety, min: 0, max: 5, start: 3}}
flags:
  has_notes: You took notes at the airport

roles:
  journalist:
    title: Freelance journalist
    blurb: You write for a regional news site, on contract, with no embassy behind you.
    start: message

facts:
  klia-detention:
    text: Mu Sochua was held at Kuala Lumpur's airport for most of a day, then released.
    source: amnesty-2019
    quote: detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport

scenes:
  message:
    title: A message at dawn
    basis: invented
    text: |
      A source writes: an opposition leader has been stopped at the airport. Your safety is {{safety}}.
    choices:
      - text: Go to the airport
        id: go
        goto: arrivals
        do: [safety -= 1]
      - text: Stay home and follow the news
        id: stay
        goto: quiet

  arrivals:
    title: The arrivals hall
    basis: composite
    text: |
      Guards stand by a closed door. Nobody will say who is behind it.
    reveals: [klia-detention]
    choices:
      - text: Take notes quietly
        id: notes
        goto: story
        if: safety >= 2
        locked: You are too shaken to write
        do: [has_notes = true]
      - text: Ask the guards
        id: ask
        outcomes:
          - {{weight: 2, goto: quiet}}
          - {{weight: 1, goto: story, do: [has_notes = true]}}

endings:
  story:
    title: A short report
    tone: hopeful
    text: |
      Your report is out by noon. {{if has_notes: Your notes carry it. | else: It is thin: you wrote nothing down.}}
    debrief:
      summary: |
        Mu Sochua, deputy leader of the banned CNRP, was held at the airport and released the same day.
      facts: [klia-detention]
      questions:
        - Why would a neighbouring government hold someone at another country's request?
  quiet:
    title: The news without you
    tone: mixed
    text: |
      You read about it like everyone else.
    debrief:
      summary: |
        She was released later that day. Being there has a cost, and so does being absent.
      facts: [klia-detention]
      questions:
        - What does a reporter gain and risk by being present?
"""


def title_of(scenario_id: str) -> str:
    return " ".join(word.capitalize() for word in re.split(r"[-_]", scenario_id))


def template(scenario_id: str, target: Path) -> str:
    """The starting scenario for `scenario_id`, to be written at `target`."""
    seeds = target.resolve().parent.parent / "seeds" / SEED_FILE
    file_line = f"file: ../seeds/{SEED_FILE}" if seeds.is_file() else \
        f"# file: ../seeds/{SEED_FILE}  (a local copy: validate then checks quotes verbatim)"
    return TEMPLATE.format(modeline=MODELINE, path=target.as_posix(), id=scenario_id, title=title_of(scenario_id),
                           file_line=file_line)


def run_new(scenario_id: str, out_file: Path | None, out: TextIO, err: TextIO) -> int:
    """0 when written; 1 when the file exists (never overwritten); 2 for an id that is not a slug."""
    if not is_id(scenario_id):
        err.write(f"longarm new: '{scenario_id}' is not a scenario id: ids use {ID_RULE}\n")
        return USAGE
    target = out_file or Path("scenarios") / f"{scenario_id}.yaml"
    text = template(scenario_id, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as handle:  # "x": fails rather than overwrite
            handle.write(text)
    except FileExistsError:
        err.write(f"longarm new: {target} already exists; it was left as it is. Choose another id or --out FILE.\n")
        return 1
    except OSError as error:
        err.write(f"longarm new: cannot write {target}: {error.strerror or error}\n")
        return USAGE
    out.write(f"Wrote {target}. Next: edit it, then `longarm validate {target}` and `longarm playtest {target}`.\n")
    return 0
