"""Scenarios the tool tests share: BASE_SCENARIO with a planted trap, a loop, an unreachable ending.

Each planted problem can be found only by following state (stats and flags): the static checks
of `graph.py`, which `validate` runs, see a path to an ending from every scene, so each of these
files loads cleanly.
"""

from __future__ import annotations

from shared import BASE_SCENARIO

AIRPORT_CHOICES = """\
      - text: Go back
        id: back
        goto: newsroom
        if: visited(airport) and known(arrests)
"""


def with_airport_choices(extra: str, scenes: str = "", endings: str = "") -> str:
    """BASE_SCENARIO with more choices in `airport`, more scenes, and more endings."""
    assert AIRPORT_CHOICES in BASE_SCENARIO
    text: str = BASE_SCENARIO.replace(AIRPORT_CHOICES, AIRPORT_CHOICES + extra)
    text = text.replace("endings:\n", scenes + "endings:\n")
    return text + endings


#: Arguing sets safety to 0 and leads to the cell, whose only choice needs safety >= 1: stuck.
#: Waiting outside reaches the cell with safety kept, so the lawyer choice is sometimes open.
TRAP_SCENARIO = with_airport_choices(
    """\
      - text: Argue with the guards
        id: argue
        goto: cell
        do: [safety = 0]
      - text: Wait outside
        id: wait-outside
        goto: cell
""",
    scenes="""\
  cell:
    title: A cell
    basis: invented
    text: You wait.
    choices:
      - text: Call a lawyer
        id: lawyer
        goto: quiet
        if: safety >= 1
""")

#: Hiding clears has_footage; the corridor loops on itself and only footage leads out.
LOOP_SCENARIO = with_airport_choices(
    """\
      - text: Hide
        id: hide
        goto: corridor
        do: [has_footage = false]
""",
    scenes="""\
  corridor:
    title: A corridor
    basis: invented
    text: Doors everywhere.
    choices:
      - text: Walk on
        id: walk
        goto: corridor
      - text: Show your footage
        id: show
        goto: refused
        if: has_footage
""")

#: Suspicion only rises on the way to an ending, so at the airport it is always 0: the bribe is
#: never open, the back office never reached, and the ending `secret` never reached.
UNREACHABLE_SCENARIO = with_airport_choices(
    """\
      - text: Bribe an officer
        id: bribe
        goto: back-office
        if: suspicion >= 3
""",
    scenes="""\
  back-office:
    title: The back office
    basis: invented
    text: A desk, a kettle.
    choices:
      - text: Slip through
        id: slip
        goto: secret
""",
    endings="""\
  secret:
    title: Through the back door
    tone: hopeful
    text: You are out.
    debrief:
      summary: Nobody got out this way.
      questions: [Is there ever a back door?]
""")

#: One stat that conditions read (n) and one that nothing reads (noise): 4 room states + 1 ending.
COUNTER_SCENARIO = """\
format: 1
id: counter
title: Counter
summary: Counting to three.
minutes: 1
stats:
  n: {label: N, min: 0, max: 3, start: 0}
  noise: {label: Noise, min: 0, max: 9, start: 0}
roles:
  player: {title: Player, blurb: You count., start: room}
scenes:
  room:
    title: Room
    basis: invented
    text: Count.
    choices:
      - {text: Count one more, id: inc, goto: room, do: [n += 1, noise += 1]}
      - {text: Stop, id: stop, goto: done, if: n >= 3}
endings:
  done:
    title: Done
    tone: mixed
    text: Done.
    debrief:
      summary: Counted.
      questions: [Why count?]
"""
