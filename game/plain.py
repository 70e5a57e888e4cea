"""The plain line-mode player: for screen readers, pipes, and golden transcripts.

It prints each scene as plain text, numbers the open choices, reads one line of input at a time
and ends with the full debrief. It never writes colour or escape codes, echoes each choice in
words (so a transcript of piped input reads as a story), wraps text only when writing to a
terminal, and stops cleanly at the end of input.
"""

from __future__ import annotations

import io
import re
import shutil
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from game.classroom.recorder import GameRecorder
from game.engine.loader import catalog
from game.engine.runtime.debrief import DebriefView, build_debrief, source_line
from game.engine.loader.load import load_scenario
from game.engine.runtime.model import BASIS_MEANING, Scenario
from game.engine.runtime.saves import save_of, write_save
from game.engine.runtime.state import Game, new_seed

def transcript(scenario: Scenario, role: str, seed: int, choices: Sequence[str]) -> str:
    """The plain player's whole text for a game, as if its choices were typed: a golden transcript.

    Written to a string, never a terminal, so it does not depend on the screen's width. Choices
    that stop being open (the scenario changed) end the text there, as the end of input would.
    """
    game = Game(scenario, role, seed)
    numbers: list[str] = []
    for choice_id in choices:
        open_ids = [option.choice.id for option in game.options() if option.available]
        if choice_id not in open_ids:
            break
        numbers.append(str(open_ids.index(choice_id) + 1))
        game.choose(choice_id)
    out = io.StringIO()
    player = PlainPlayer(io.StringIO("".join(n + "\n" for n in numbers)), out, io.StringIO())
    fresh = Game(scenario, role, seed)
    try:
        player.introduce(fresh)
        player.play(fresh)
    except _EndOfInput:
        player.say("End of input: the game stops here.")
    return out.getvalue()


HELP = "Type a choice's number and press Enter. Other keys: j journal, u undo, h help, q quit."


class _EndOfInput(Exception):
    pass


_BLOCK_START = re.compile(r"^\s*(?:[-*+] |\d+[.)] |>|#)")


def reflow(markdown: str) -> str:
    """Join the lines of each paragraph, as Markdown does: authors wrap lines in YAML at will.

    Lines of lists, quotes and headings stay as written; paragraphs stay apart.
    """
    paragraphs = re.split(r"\n\s*\n", markdown.strip())
    out = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        if any(_BLOCK_START.match(line) for line in lines):
            out.append("\n".join(line.rstrip() for line in lines))
        else:
            out.append(" ".join(line.strip() for line in lines))
    return "\n\n".join(out)


class PlainPlayer:
    """One plain-text session on a pair of text streams."""

    def __init__(self, stdin: TextIO, stdout: TextIO, stderr: TextIO, record: Path | None = None,
                 recorder: GameRecorder | None = None) -> None:
        self.stdin = stdin
        self.record = record
        self.recorder = recorder  # the results store for the teacher's report; None: not recorded
        self.stdout = stdout
        self.stderr = stderr
        self.width = shutil.get_terminal_size((80, 24)).columns if stdout.isatty() else 0
        self.echo_input = not stdin.isatty()

    # ------------------------------------------------------------------ output and input

    def say(self, text: str = "") -> None:
        """Print text; on a terminal, wrap each paragraph to its width."""
        if self.width and text:
            text = "\n".join(textwrap.fill(line, self.width - 1) if len(line) >= self.width else line
                             for line in text.split("\n"))
        self.stdout.write(text + "\n")

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise _EndOfInput
        if not self.echo_input:
            return line.strip()
        # Piped input is not echoed by a terminal: echo it, so the transcript shows each answer.
        self.stdout.write(line.strip() + "\n")
        return line.strip()

    def pick(self, prompt: str, count: int) -> int:
        """A number from 1 to count, asked until one is given; 0-based result."""
        while True:
            answer = self.ask(prompt)
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer) - 1
            self.say(f"Please type a number from 1 to {count}.")

    # ------------------------------------------------------------------ the session

    def run(self, name: str | None, role: str | None, seed: int | None) -> int:
        try:
            return self._run(name, role, seed)
        except _EndOfInput:
            self.say("End of input: the game stops here.")
            return 0

    def _run(self, name: str | None, role: str | None, seed: int | None) -> int:
        scenario = self.choose_scenario(name)
        if isinstance(scenario, int):
            return scenario
        if role is None:
            roles = list(scenario.roles.values())
            if len(roles) == 1:
                role = roles[0].id
            else:
                self.say("Choose who you play:")
                for number, entry in enumerate(roles, 1):
                    self.say(f"  {number}. {entry.title}: {entry.blurb}")
                role = roles[self.pick("Role number: ", len(roles))].id
        elif role not in scenario.roles:
            self.stderr.write(f"longarm: '{scenario.id}' has no role '{role}'; its roles are: {', '.join(scenario.roles)}\n")
            return 2
        game = Game(scenario, role, new_seed() if seed is None else seed)
        self.report("start", game)
        try:
            self.introduce(game)
            self.play(game)
        finally:  # at an ending, at the end of input or on `q`: the game so far is recorded
            if self.record is not None:
                self.write_recording(game)
        return 0

    def write_recording(self, game: Game) -> None:
        text = transcript(game.scenario, game.role, game.seed, game.state.choices)
        write_save(save_of(game), self.record, {"transcript": text})  # type: ignore[arg-type]
        self.stderr.write(f"longarm: recorded {len(game.state.choices)} choices to {self.record}\n")

    def choose_scenario(self, name: str | None) -> Scenario | int:
        """The scenario to play, or the exit status: 2 for a name that is wrong, 1 for a broken file."""
        if name is None:
            entries = [entry for entry in catalog.shipped() if entry.result.scenario is not None]
            if not entries:
                self.stderr.write("longarm: no playable scenarios were found\n")
                return 1
            self.say("Scenarios:")
            for number, entry in enumerate(entries, 1):
                found = entry.result.scenario
                assert found is not None
                self.say(f"  {number}. {found.title} ({found.minutes} minutes): {found.summary}")
            return entries[self.pick("Scenario number: ", len(entries))].result.scenario
        path = catalog.resolve(name)
        if path is None:
            known = ", ".join(p.stem for p in catalog.shipped_paths())
            self.stderr.write(f"longarm: no scenario '{name}' (shipped: {known}; or give a path to a .yaml file)\n")
            return 2
        result = load_scenario(path)
        if result.scenario is None:
            self.stderr.write(f"longarm: the scenario {path} has errors:\n")
            for problem in result.problems:
                self.stderr.write(problem.render() + "\n")
            return 1
        return result.scenario

    def introduce(self, game: Game) -> None:
        scenario = game.scenario
        self.say(f"{scenario.title}")
        self.say(f"You play: {scenario.roles[game.role].title}.")
        if scenario.content_warnings:
            self.say(f"Content note: this story includes {', '.join(scenario.content_warnings)}.")
        self.say(f"Seed {game.seed}: play again with --seed {game.seed} to meet the same chances.")
        self.say(HELP)

    def play(self, game: Game) -> None:
        shown_facts = 0
        while not game.over:
            scene = game.scene
            assert scene is not None
            self.say()
            self.say(f"== {scene.title} ==")
            self.say(f"(Basis: {scene.basis}, {BASIS_MEANING[scene.basis]}.)")
            self.say()
            self.say(reflow(game.fill(scene.text)))
            shown_facts = self.new_facts(game, shown_facts)
            self.say()
            self.say(self.status(game))
            options = game.options()
            open_options = [option for option in options if option.available]
            number = 0
            for option in options:
                if option.available:
                    number += 1
                    self.say(f"  {number}. {option.text}")
                else:
                    self.say(f"  Locked: {option.text} ({option.locked_reason})")
            while True:
                answer = self.ask("Your choice: ").lower()
                if answer.isdigit() and 1 <= int(answer) <= len(open_options):
                    chosen = open_options[int(answer) - 1]
                    self.say(f"You chose: {chosen.text}")
                    scene_id = game.state.place
                    game.choose(chosen.choice.id)
                    self.report("choice", game, scene_id, chosen.choice.id)
                    break
                if self.command(answer, game, len(open_options)):
                    shown_facts = min(shown_facts, len(game.state.known))
                    break
        shown_facts = self.new_facts(game, shown_facts)
        self.report("end", game)
        self.show_debrief(build_debrief(game.scenario, game.state))
        if self.recorder is not None:
            self.ask_answers(game)

    def ask_answers(self, game: Game) -> None:
        """One line of answer per question, kept for the teacher; an empty line skips one."""
        ending = game.ending
        assert ending is not None
        self.say()
        self.say("-- Your answers --")
        self.say("Write a line for each question, for your teacher; press Enter alone to skip one.")
        for index, question in enumerate(ending.debrief.questions):
            answer = self.ask(f"Answer {index + 1}: ")
            if answer:
                self.report("answer", game, index, answer)
        self.say("Thank you: your answers are saved.")

    def report(self, action: str, game: Game, *args: object) -> None:
        """Pass one event to the recorder, if any; a failed write is said on stderr, play goes on."""
        if self.recorder is None:
            return
        warning = getattr(self.recorder, action)(game, *args)
        if warning is not None:
            self.stderr.write(f"longarm: {warning}\n")

    def command(self, answer: str, game: Game, count: int) -> bool:
        """Handle a non-number; True when the scene should be shown again."""
        actions: dict[str, Callable[[], bool]] = {
            "j": lambda: self.journal(game),
            "u": lambda: self.undo(game),
            "h": lambda: self.say(HELP) or False,
            "?": lambda: self.say(HELP) or False,
        }
        if answer in ("q", "quit"):
            raise _EndOfInput
        action = actions.get(answer[:1]) if answer else None
        if action is None:
            self.say(f"Please type a number from 1 to {count}, or h for help.")
            return False
        return action()

    def undo(self, game: Game) -> bool:
        if game.undo():
            self.report("undo", game)
            self.say("You take back your last choice.")
            return True
        self.say("There is nothing to undo yet.")
        return False

    def journal(self, game: Game) -> bool:
        if not game.state.known:
            self.say("Your journal is empty.")
        for fact_id in game.state.known:
            fact = game.scenario.facts[fact_id]
            self.say(f"- {fact.text} (Source: {game.scenario.sources[fact.source].publisher})")
        return False

    def new_facts(self, game: Game, shown: int) -> int:
        for fact_id in game.state.known[shown:]:
            fact = game.scenario.facts[fact_id]
            self.say(f"New in your journal: {fact.text} (Source: {game.scenario.sources[fact.source].publisher})")
        return len(game.state.known)

    def status(self, game: Game) -> str:
        scenario, state = game.scenario, game.state
        parts = [f"{stat.label} {state.stats[name]} of {stat.max}" for name, stat in scenario.stats.items()
                 if not stat.hidden]
        parts += [scenario.flags[name].label for name in scenario.flags if name in state.flags]
        return "Now: " + "; ".join(parts) + "." if parts else ""

    def show_debrief(self, view: DebriefView) -> None:
        self.say()
        self.say(f"== Ending: {view.ending_title} ==")
        self.say(f"(Tone: {view.tone}.)")
        self.say()
        self.say(reflow(view.ending_text))
        self.say()
        self.say("== Debrief: what really happened ==")
        self.say()
        self.say(reflow(view.summary))
        for heading, entries in (("The facts", view.facts), ("Also in your journal", view.also_found),
                                 ("What the governments said", view.governments)):
            if not entries:
                continue
            self.say()
            self.say(f"-- {heading} --")
            for entry in entries:
                self.say(f"* {entry.fact.text}" + (" (You found this.)" if entry.found else ""))
                if entry.fact.quote:
                    self.say(f"  Quote: \u201c{entry.fact.quote}\u201d")
                self.say(f"  Source: {source_line(entry.source)}")
                if entry.fact.note:
                    self.say(f"  Note: {entry.fact.note}")
        self.say()
        self.say("-- Your path --")
        for number, step in enumerate(view.path, 1):
            self.say(f"{number}. {step}")
        self.say()
        self.say("-- Questions to discuss --")
        for number, question in enumerate(view.questions, 1):
            self.say(f"{number}. {question}")
        if view.real or view.invented:
            self.say()
            self.say("-- Real or invented --")
            for item in view.real:
                self.say(f"Real: {item}")
            for item in view.invented:
                self.say(f"Invented: {item}")


def open_recorder(results: Path | None, name: str | None, class_code: str | None, err: TextIO) -> GameRecorder | None:
    """The recorder for a plain-mode session, or None (said on `err`) when the store cannot open."""
    from game.classroom.store import ResultsStore, StoreError
    try:
        return GameRecorder(ResultsStore(results), name, class_code)
    except (StoreError, OSError) as error:
        err.write(f"longarm: this game will not be recorded for the teacher's report: {error}\n")
        return None
