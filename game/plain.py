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

from game.engine.loader import catalog
from game.engine.runtime.debrief import DebriefView, source_line
from game.engine.runtime.model import BASIS_MEANING, Scenario
from game.engine.runtime.saves import write_save
from game.engine.runtime.state import new_seed, numbered
from game.session.events import Notice, SessionObserver
from game.session.play import PlaySession

def transcript(scenario: Scenario, role: str, seed: int, choices: Sequence[str]) -> str:
    """The plain player's whole text for a game, as if its choices were typed: a golden transcript.

    Written to a string, never a terminal, so it does not depend on the screen's width. Choices
    that stop being open (the scenario changed) end the text there, as the end of input would.
    """
    session = PlaySession.new(scenario, role, seed)
    numbers: list[str] = []
    for choice_id in choices:
        number = next((n for n, option in numbered(session.options()) if option.choice.id == choice_id and n), None)
        if number is None:
            break
        numbers.append(str(number))
        session.choose(choice_id)
    out = io.StringIO()
    player = PlainPlayer(io.StringIO("".join(n + "\n" for n in numbers)), out, io.StringIO())
    fresh = PlaySession.new(scenario, role, seed)
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
                 observers: Sequence[SessionObserver] = (), ask_answers: bool = False) -> None:
        """A player on three streams.

        Args:
            stdin, stdout, stderr: where input comes from and text and messages go.
            record: write the game and its transcript here at the end (a golden transcript).
            observers: the play session's observers (the command line adds the class recording).
            ask_answers: ask for a written answer to each debrief question (for the teacher).
        """
        self.stdin = stdin
        self.record = record
        self.observers = tuple(observers)
        self.ask_for_answers = ask_answers
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
        session = PlaySession.new(scenario, role, new_seed() if seed is None else seed, self.observers)
        self.tell(session.begin())
        try:
            self.introduce(session)
            self.play(session)
        finally:  # at an ending, at the end of input or on `q`: the game so far is recorded
            if self.record is not None:
                self.write_recording(session, self.record)
        return 0

    def write_recording(self, session: PlaySession, target: Path) -> None:
        text = transcript(session.scenario, session.role, session.seed, session.state.choices)
        write_save(session.save_data(), target, {"transcript": text})
        self.stderr.write(f"longarm: recorded {session.step} choice{'' if session.step == 1 else 's'} to {target}\n")

    def tell(self, notices: Sequence[Notice]) -> None:
        """Say what the session's observers could not do (on stderr: play goes on)."""
        for notice in notices:
            self.stderr.write(f"longarm: {notice}\n")

    def choose_scenario(self, name: str | None) -> Scenario | int:
        """The scenario to play, or the exit status: 2 for a name that is wrong, 1 for a broken file."""
        if name is None:
            playable = [entry.result.scenario for entry in catalog.shipped() if entry.result.scenario is not None]
            if not playable:
                self.stderr.write("longarm: no playable scenarios were found\n")
                return 1
            self.say("Scenarios:")
            for number, found in enumerate(playable, 1):
                self.say(f"  {number}. {found.title} ({found.minutes} minutes): {found.summary}")
            return playable[self.pick("Scenario number: ", len(playable))]
        match catalog.find(name):
            case catalog.Found(scenario=scenario):
                return scenario
            case catalog.NotFound() as missing:
                self.stderr.write(f"longarm: {missing.message}\n")
                return 2
            case catalog.Broken(path=path, problems=problems):
                self.stderr.write(f"longarm: the scenario {path} has errors:\n")
                for problem in problems:
                    self.stderr.write(problem.render() + "\n")
                return 1

    def introduce(self, session: PlaySession) -> None:
        scenario = session.scenario
        self.say(f"{scenario.title}")
        self.say(f"You play: {scenario.roles[session.role].title}.")
        if scenario.content_warnings:
            self.say(f"Content note: this story includes {', '.join(scenario.content_warnings)}.")
        self.say(f"Seed {session.seed}: play again with --seed {session.seed} to meet the same chances.")
        self.say(HELP)

    def play(self, session: PlaySession) -> None:
        shown_facts = 0
        while not session.over:
            scene = session.scene
            assert scene is not None
            self.say()
            self.say(f"== {scene.title} ==")
            self.say(f"(Basis: {scene.basis}, {BASIS_MEANING[scene.basis]}.)")
            self.say()
            self.say(reflow(session.fill(scene.text)))
            shown_facts = self.new_facts(session, shown_facts)
            self.say()
            self.say(self.status(session))
            options = numbered(session.options())
            open_options = [option for number, option in options if number is not None]
            for number, option in options:
                if number is not None:
                    self.say(f"  {number}. {option.text}")
                else:
                    self.say(f"  Locked: {option.text} ({option.locked_reason})")
            while True:
                answer = self.ask("Your choice: ").lower()
                if answer.isdigit() and 1 <= int(answer) <= len(open_options):
                    chosen = open_options[int(answer) - 1]
                    self.say(f"You chose: {chosen.text}")
                    self.tell(session.choose(chosen.choice.id).notices)
                    break
                if self.command(answer, session, len(open_options)):
                    shown_facts = min(shown_facts, len(session.state.known))
                    break
        shown_facts = self.new_facts(session, shown_facts)
        self.show_debrief(session.debrief())
        if self.ask_for_answers:
            self.ask_answers(session)

    def ask_answers(self, session: PlaySession) -> None:
        """One line of answer per question, kept for the teacher; an empty line skips one."""
        self.say()
        self.say("-- Your answers --")
        self.say("Write a line for each question, for your teacher; press Enter alone to skip one.")
        for index, _question in enumerate(session.debrief().questions):
            answer = self.ask(f"Answer {index + 1}: ")
            if answer:
                self.tell(session.answer(index, answer))
        self.say("Thank you: your answers are saved.")

    def command(self, answer: str, session: PlaySession, count: int) -> bool:
        """Handle a non-number; True when the scene should be shown again."""
        actions: dict[str, Callable[[], bool]] = {
            "j": lambda: self.journal(session),
            "u": lambda: self.undo(session),
            "h": lambda: self.help(),
            "?": lambda: self.help(),
        }
        if answer in ("q", "quit"):
            raise _EndOfInput
        action = actions.get(answer[:1]) if answer else None
        if action is None:
            self.say(f"Please type a number from 1 to {count}, or h for help.")
            return False
        return action()

    def help(self) -> bool:
        self.say(HELP)
        return False

    def undo(self, session: PlaySession) -> bool:
        undone, notices = session.undo()
        self.tell(notices)
        if undone:
            self.say("You take back your last choice.")
            return True
        self.say("There is nothing to undo yet.")
        return False

    def journal(self, session: PlaySession) -> bool:
        if not session.state.known:
            self.say("Your journal is empty.")
        for fact_id in session.state.known:
            fact = session.scenario.facts[fact_id]
            self.say(f"- {fact.text} (Source: {session.scenario.sources[fact.source].publisher})")
        return False

    def new_facts(self, session: PlaySession, shown: int) -> int:
        for fact_id in session.state.known[shown:]:
            fact = session.scenario.facts[fact_id]
            self.say(f"New in your journal: {fact.text} (Source: {session.scenario.sources[fact.source].publisher})")
        return len(session.state.known)

    def status(self, session: PlaySession) -> str:
        scenario, state = session.scenario, session.state
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
