"""`longarm graph`: the story map as Mermaid, Graphviz DOT, or SVG drawn by Graphviz.

One node per scene (rounded box) and per ending, each role pointing at its start scene. Endings
are shaped and coloured by tone, and say their tone in words, so the map reads without colour:
hopeful (green, ellipse / stadium), mixed (amber, hexagon), bitter (red, octagon / trapezoid).
Every choice is an edge labelled with its id: solid for a plain choice, dashed (Mermaid: dotted)
for a choice with an `if` (the condition is in the label), and for each outcome of a random
choice an edge with its chance (DOT: diamond head; Mermaid: thick). Scenes and endings that no
choice path reaches from any role's start (the static check `validate` warns about) are grey,
dashed, and labelled "unreachable".
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from game.engine.loader import graph
from game.engine.runtime.model import Choice, Scenario, chances
from game.tools.loading import USAGE, load_named
from game.tools.output import write_output

FORMATS = ("mermaid", "dot", "svg")
TONE_COLOURS = {"hopeful": ("#d8f0d8", "#2e7d32"), "mixed": ("#fff1c9", "#a66f00"), "bitter": ("#f8d7da", "#b3261e")}
DOT_SHAPES = {"hopeful": "ellipse", "mixed": "hexagon", "bitter": "octagon"}
MERMAID_SHAPES = {"hopeful": ('(["', '"])'), "mixed": ('{{"', '"}}'), "bitter": ('[\\"', '"/]')}
UNREACHABLE_FILL, UNREACHABLE_LINE = "#eeeeee", "#888888"
ROLE_FILL, ROLE_LINE = "#e3ecfa", "#3a5a99"


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str
    conditional: bool
    random: bool


def edges(scenario: Scenario) -> list[Edge]:
    """Every choice (and every outcome of a random choice) as an edge, in file order."""
    found = []
    for scene in scenario.scenes.values():
        for choice in scene.choices:
            found.extend(_choice_edges(scene.id, choice))
    return found


def _choice_edges(scene_id: str, choice: Choice) -> list[Edge]:
    condition = f" [if {choice.condition_text}]" if choice.condition is not None else ""
    if not choice.outcomes:
        return [Edge(scene_id, choice.goto, choice.id + condition, choice.condition is not None, False)]
    return [Edge(scene_id, outcome.goto, f"{choice.id} {chance}{condition}", choice.condition is not None, True)
            for outcome, chance in zip(choice.outcomes, chances(choice))]


def unreachable(scenario: Scenario) -> set[str]:
    """Scenes and endings no role reaches even if every condition were true (graph.py's check)."""
    reached = graph.reachable_from([role.start for role in scenario.roles.values()], graph.successors(scenario))
    return {place for place in [*scenario.scenes, *scenario.endings] if place not in reached}


# ---------------------------------------------------------------------------- Mermaid


def _mermaid_text(text: str) -> str:
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;"))


def mermaid(scenario: Scenario) -> str:
    lost = unreachable(scenario)
    ids = {place: f"p{number}" for number, place in enumerate([*scenario.scenes, *scenario.endings])}
    lines = [f"%% Story map of {scenario.id}: rounded boxes are scenes; endings by tone: hopeful (stadium, green),",
             "%% mixed (hexagon, amber), bitter (trapezoid, red). Dotted arrows have an `if`; thick arrows are",
             "%% random outcomes, with their chance. Grey dashed nodes are unreachable.",
             "flowchart TD"]
    for number, role in enumerate(scenario.roles.values()):
        lines.append(f'  r{number}>"{_mermaid_text("role: " + role.id)}"]:::role')
        lines.append(f"  r{number} --> {ids[role.start]}")
    for scene in scenario.scenes.values():
        label = scene.title + (" (unreachable)" if scene.id in lost else "")
        lines.append(f'  {ids[scene.id]}("{_mermaid_text(label)}")')
    for ending in scenario.endings.values():
        opening, closing = MERMAID_SHAPES[ending.tone]
        label = f"{ending.title} ({ending.tone} ending)" + (" (unreachable)" if ending.id in lost else "")
        lines.append(f"  {ids[ending.id]}{opening}{_mermaid_text(label)}{closing}:::{ending.tone}")
    for edge in edges(scenario):
        arrow = "-.->" if edge.conditional else "==>" if edge.random else "-->"
        lines.append(f'  {ids[edge.source]} {arrow}|"{_mermaid_text(edge.label)}"| {ids[edge.target]}')
    lines.append(f"  classDef role fill:{ROLE_FILL},stroke:{ROLE_LINE}")
    for tone, (fill, line) in TONE_COLOURS.items():
        lines.append(f"  classDef {tone} fill:{fill},stroke:{line},stroke-width:2px")
    lines.append(f"  classDef unreachable fill:{UNREACHABLE_FILL},stroke:{UNREACHABLE_LINE},stroke-dasharray:5 4,color:#555555")
    if lost:
        greyed = ",".join(ids[place] for place in [*scenario.scenes, *scenario.endings] if place in lost)
        lines.append(f"  class {greyed} unreachable")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- DOT


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(scenario: Scenario) -> str:
    lost = unreachable(scenario)
    lines = [f"// Story map of {scenario.id}: boxes are scenes; endings by tone: hopeful (ellipse, green),",
             "// mixed (hexagon, amber), bitter (octagon, red). Dashed edges have an `if`; edges with a",
             "// diamond head are random outcomes, with their chance. Grey dashed nodes are unreachable.",
             f"digraph {_dot_text(scenario.id)} {{",
             f"  label={_dot_text(scenario.title)}; labelloc=t; rankdir=TB;",
             '  node [fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9];']
    for role in scenario.roles.values():
        lines.append(f"  {_dot_text('role:' + role.id)} [label={_dot_text('role: ' + role.id)}, shape=cds, "
                     f'style=filled, fillcolor="{ROLE_FILL}", color="{ROLE_LINE}"];')
        lines.append(f"  {_dot_text('role:' + role.id)} -> {_dot_text(role.start)};")
    for scene in scenario.scenes.values():
        if scene.id in lost:
            lines.append(f"  {_dot_text(scene.id)} [label={_dot_text(scene.title + chr(10) + '(unreachable)')}, "
                         f'shape=box, style="rounded,dashed,filled", fillcolor="{UNREACHABLE_FILL}", '
                         f'color="{UNREACHABLE_LINE}", fontcolor="#555555"];')
        else:
            lines.append(f"  {_dot_text(scene.id)} [label={_dot_text(scene.title)}, shape=box, style=rounded];")
    for ending in scenario.endings.values():
        fill, line = TONE_COLOURS[ending.tone]
        label = f"{ending.title}\n({ending.tone} ending)"
        style = "filled"
        if ending.id in lost:
            label += "\n(unreachable)"
            style = "filled,dashed"
        lines.append(f"  {_dot_text(ending.id)} [label={_dot_text(label)}, shape={DOT_SHAPES[ending.tone]}, peripheries=2, "
                     f'style="{style}", fillcolor="{fill}", color="{line}"];')
    for edge in edges(scenario):
        attributes = [f"label={_dot_text(edge.label)}"]
        if edge.conditional:
            attributes.append("style=dashed")
        if edge.random:
            attributes.append("arrowhead=diamond")
        lines.append(f"  {_dot_text(edge.source)} -> {_dot_text(edge.target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- the command


@dataclass(frozen=True, slots=True)
class Drawn:
    text: str


@dataclass(frozen=True, slots=True)
class DrawError:
    message: str
    status: int


def svg(scenario: Scenario) -> Drawn | DrawError:
    """The DOT map drawn by Graphviz; an error value when `dot` is missing or fails."""
    program = shutil.which("dot")
    if program is None:
        return DrawError("--format svg needs Graphviz's `dot` program, which is not on PATH. Install Graphviz "
                         "(e.g. `apt install graphviz`, `brew install graphviz`), or write --format dot and "
                         "draw it elsewhere.", USAGE)
    try:
        done = subprocess.run([program, "-Tsvg"], input=dot(scenario), capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as error:
        return DrawError(f"Graphviz could not be run: {error}", 1)
    if done.returncode != 0:
        return DrawError(f"Graphviz failed: {done.stderr.strip()}", 1)
    return Drawn(done.stdout)


def run_graph(name: str, form: str, out_file: Path | None, out: TextIO, err: TextIO) -> int:
    scenario = load_named(name, "graph", err)
    if isinstance(scenario, int):
        return scenario
    if form == "svg":
        drawn = svg(scenario)
        if isinstance(drawn, DrawError):
            err.write(f"longarm graph: {drawn.message}\n")
            return drawn.status
        text = drawn.text
    else:
        text = mermaid(scenario) if form == "mermaid" else dot(scenario)
    return write_output(text, out_file, "graph", out, err)
