"""Text and paths the tests share: the repo root and a small scenario that uses every feature."""

from __future__ import annotations

import socket
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED_FILE = "amnesty-2019-11-08-cambodia.txt"

#: A small valid scenario that tests copy and change. It uses every feature of the format.
BASE_SCENARIO = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
format: 1
id: test-story
title: Test story
summary: A small story for tests.
language: en
audience: Tests
minutes: 5
content_warnings: [detention]
learning_objectives: [Check the engine.]
sources:
  amnesty-2019:
    title: "Cambodia: Stop pressuring regional neighbours to harass opposition figures"
    publisher: Amnesty International
    published: 2019-11-08
    file: ../seeds/amnesty-2019-11-08-cambodia.txt
  hrw:
    title: "Cambodia: Let Opposition Leaders Return"
    publisher: Human Rights Watch
    url: https://www.hrw.org/news/2019/11/07/cambodia-let-opposition-leaders-return
stats:
  safety: {label: Safety, min: 0, max: 5, start: 3}
  story: {label: Story, min: 0, max: 10, start: 0}
  suspicion: {label: Suspicion, min: 0, max: 3, start: 0, hidden: true}
flags:
  has_footage: You filmed the detention
roles:
  journalist:
    title: Freelance journalist
    blurb: You write for a regional news site.
    start: newsroom
    stats: {safety: 4}
  activist:
    title: Activist
    blurb: You meet the delegation.
    start: newsroom
facts:
  klia-detention:
    text: Mu Sochua was held for most of a day at Kuala Lumpur's airport, then released.
    source: amnesty-2019
    quote: detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport
    note: Other reports say she was held overnight, for about 19 hours.
  arrests:
    text: Human Rights Watch counted 92 suspected activists arrested.
    source: hrw
glossary:
  CNRP: Cambodia National Rescue Party.
scenes:
  newsroom:
    title: The newsroom
    basis: composite
    text: |
      Your phone lights up. Safety is {safety}, footage: {has_footage}.
    reveals: [klia-detention]
    choices:
      - text: Fly to Kuala Lumpur
        id: fly
        goto: airport
        if: safety >= 2 and not has_footage
        locked: Your editor will not pay
        do: [story += 1, has_footage = true]
      - text: Only for activists
        id: activist-only
        goto: airport
        if: role == "activist"
      - text: Stay home
        id: stay
        goto: quiet
        do: [safety += 10]
  airport:
    title: The arrival hall
    basis: reported
    text: The hall is cold.
    reveals: [arrests]
    choices:
      - text: Try the gate
        id: gate
        outcomes:
          - {weight: 3, goto: refused}
          - {weight: 1, goto: quiet, do: [safety -= 1, suspicion += 1]}
      - text: Go back
        id: back
        goto: newsroom
        if: visited(airport) and known(arrests)
endings:
  refused:
    title: Turned away
    tone: bitter
    text: The gate stays shut. Story {story}.
    debrief:
      summary: She was held, then released.
      facts: [klia-detention]
      questions: [Why would a neighbour agree?]
  quiet:
    title: A quiet night
    tone: mixed
    basis: invented
    text: You sleep.
    debrief:
      summary: Nothing happened to you.
      facts: []
      questions: [What would you have done?]
"""


#: A small format-2 scenario that uses every feature format 2 adds: text variants (in scene, choice,
#: locked and ending text), arithmetic, visits(), outcome conditions and weights from the state,
#: once and fallback choices.
REACTIVE_SCENARIO = """\
# yaml-language-server: $schema=../schema/scenario.schema.json
format: 2
id: night-watch
title: Night watch
summary: A small format-2 story for tests.
minutes: 5
sources:
  amnesty-2019:
    title: "Cambodia: Stop pressuring regional neighbours to harass opposition figures"
    publisher: Amnesty International
    file: ../seeds/amnesty-2019-11-08-cambodia.txt
stats:
  safety: {label: Safety, min: 0, max: 5, start: 3}
  trust: {label: Trust, min: 0, max: 6, start: 1}
  exposure: {label: Exposure, min: 0, max: 4, start: 0, hidden: true}
  reach: {label: Reach, min: 0, max: 20, start: 0}
flags:
  photographed: A stranger photographed you
roles:
  journalist:
    title: Freelance journalist
    blurb: You write for a regional news site.
    start: hall
    stats: {trust: 2}
  activist:
    title: Activist
    blurb: You meet the delegation.
    start: hall
facts:
  klia-detention:
    text: Mu Sochua was held for most of a day at Kuala Lumpur's airport, then released.
    source: amnesty-2019
    quote: detained for most of the day by the Malaysian authorities upon arrival at Kuala Lumpur International Airport
scenes:
  hall:
    title: The arrival hall
    basis: reported
    text: |
      The hall is quiet. {if visits(hall) == 1: You have never been here. | if visits(hall) == 2: Back again. | else: The guards know you by now.}

      {if exposure >= 2:
      A man by the pillar lifts his phone as you pass.
      | else:
      Nobody looks twice.}
    reveals: [klia-detention]
    choices:
      - text: "Ask the guard {if visits(hall) > 1: again}"
        id: ask
        once: true
        goto: hall
        do: [trust += 1, exposure += 1]
      - text: Film the door ({reach} people follow you)
        id: film
        if: trust >= 2 and visits(hall) < 4
        locked: "{if trust == 0: Nobody will talk to you | else: Nobody shows you where to stand}"
        do: [reach = reach + trust * 2, exposure += 2]
        goto: hall
      - text: Go to the corridor
        id: corridor
        goto: corridor
  corridor:
    title: The corridor
    basis: invented
    text: "A door, a guard{if reach > 5: , and a phone held up for you}."
    choices:
      - text: Knock
        id: knock
        once: true
        goto: corridor
        do: [safety -= 1, trust = trust - exposure]
      - text: Slip out
        id: slip
        if: safety >= 3
        outcomes:
          - {weight: "exposure + 1", goto: caught, do: [photographed = true]}
          - {weight: 2, if: trust >= 2, goto: home}
          - {weight: "trust - 2", goto: home, do: [reach += 1]}
      - text: Wait for the morning
        id: wait
        fallback: true
        goto: home
endings:
  caught:
    title: Caught
    tone: bitter
    text: "{if photographed: Your face is on a phone. | else: They let you go.} Reach {reach}."
    debrief:
      summary: She was held, then released.
      facts: [klia-detention]
      questions: [Why would a neighbour agree?]
  home:
    title: Home
    tone: mixed
    text: "You are home{if reach >= 10: , and the story is out}."
    debrief:
      summary: Nothing happened to you.
      facts: []
      questions: [What would you have done?]
"""


#: The base scenario with a glossary term in its text, for the app's tests and snapshots.
APP_SCENARIO = BASE_SCENARIO.replace(
    "Your phone lights up. Safety is {safety}, footage: {has_footage}.",
    "Your phone lights up: the CNRP leader lands tonight. Safety is {safety}, footage: {has_footage}.")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
