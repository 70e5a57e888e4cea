"""The debrief's text as one `PartText`, laid out from the `DebriefView` itself, compactly.

At 80x24 a debrief of fifteen facts, each with its quote, source and note, filled about nine
pages. This layout keeps every fact, quote and note, and shortens the rest: no blank line
inside a fact, and each source cited once, numbered, at the end ("[2]" after the quote), as a
book does. The questions come last, each once, with the answer written to it so far.
Only the ending's text and summary are author Markdown; everything else is plain words.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content

from game.engine.runtime.debrief import DebriefView, FactEntry, source_line
from game.tui.widgets.part_text import BLANK, Part, PartText
from game.tui.widgets.prose import markdown_parts

BULLET = Content.styled("\u2022 ", "$accent")
INDENT = Content("  ")
QUOTE = Content.assemble("  ", ("\u258c ", "$accent"))  # a fact's quote, under the fact's text
NUMBER_WIDTH = 4  # " 9. ", "12. ", "[1] ": numbers right-aligned, the text after them in line


def _heading(text: str) -> list[Part]:
    return [BLANK, Part(("h2", text), Content.styled(text, "bold underline $accent"))]


ANSWER_HINT = "Press a to write your answers, or click a question: your teacher sees them."


def debrief_parts(view: DebriefView, answers: Mapping[int, str] | None = None) -> list[Part]:
    """The debrief as parts: ending, summary, facts, statements, path, real or invented, sources,
    then the questions with the `answers` written so far."""
    title = f"{view.scenario_title}: {view.ending_title}"
    parts = [Part(("h1", title), Content.styled(title, "bold $accent"), center=True),
             Part(("played", view.role_title, view.tone), Content.styled(
                 f"Played as: {view.role_title}. Ending tone: {view.tone}.", "italic $foreground-muted"), center=True),
             BLANK, *markdown_parts(view.ending_text)]
    parts += [*_heading("What really happened"), *markdown_parts(view.summary)]
    sources: dict[str, int] = {}  # source id -> its number, in order of first citation

    def fact(entry: FactEntry) -> list[Part]:
        number = sources.setdefault(entry.fact.source, len(sources) + 1)
        cite = (f" [{number}]", "$foreground-muted")
        text = Content.assemble((entry.fact.text, "bold"), (" (you found this)", "italic $foreground-muted")
                                if entry.found else "", "" if entry.fact.quote else cite)
        block = [Part(("fact", entry.fact.id, entry.found, number), text, first=BULLET, rest=INDENT)]
        if entry.fact.quote:
            block.append(Part(("quote", entry.fact.id, number), Content.assemble(
                (f"\u201c{entry.fact.quote}\u201d", "italic"), cite), first=QUOTE, rest=QUOTE))
        if entry.fact.note:
            block.append(Part(("note", entry.fact.id), Content.assemble(("Note: ", "bold"), entry.fact.note),
                              first=INDENT, rest=INDENT))
        return block

    for heading, entries in (("The facts", view.facts), ("Also in your journal", view.also_found),
                             ("What the governments said", view.governments)):
        if entries:
            parts += _heading(heading)
            for entry in entries:
                parts += fact(entry)
    parts += _heading("Your path")
    for number, step in enumerate(view.path, 1):
        marker = f"{number}. ".rjust(NUMBER_WIDTH)
        parts.append(Part(("path", number, str(step)), Content(str(step)), first=Content(marker),
                          rest=Content(" " * NUMBER_WIDTH)))
    if view.real or view.invented:
        parts += _heading("Real or invented")
        for label, items in (("Real", view.real), ("Invented", view.invented)):
            if items:
                parts.append(Part((label, items), Content.assemble((f"{label}: ", "bold"), "; ".join(items) + "."),
                                  rest=INDENT))
    if sources:
        parts += _heading("Sources")
        by_id = {entry.fact.source: entry.source for entry in (*view.facts, *view.also_found, *view.governments)}
        for source_id, number in sources.items():
            marker = f"[{number}]".ljust(NUMBER_WIDTH)
            parts.append(Part(("source", number, source_id), Content(source_line(by_id[source_id])),
                              first=Content.styled(marker, "$foreground-muted"), rest=Content(" " * NUMBER_WIDTH)))
    if view.questions:
        parts += _heading("Questions to discuss")
        parts.append(Part("answer hint", Content.styled(ANSWER_HINT, "italic $foreground-muted")))
        for index, question in enumerate(view.questions):
            answer = (answers or {}).get(index, "")
            click = f"@click=screen.answer({index})"
            parts.append(BLANK)
            parts.append(Part(("question", index, question), Content.styled(question, f"bold {click}"),
                              first=Content.styled(f"{index + 1}. ".rjust(NUMBER_WIDTH), click),
                              rest=Content(" " * NUMBER_WIDTH)))
            shown = (Content.assemble(("Your answer: ", "$accent"), answer) if answer else
                     Content.styled("(no answer yet)", f"italic $foreground-muted {click}"))
            indent = Content(" " * NUMBER_WIDTH)
            parts.append(Part(("answer", index, answer), shown, first=indent, rest=indent))
    return parts


class DebriefText(PartText):
    """The whole debrief, answers included, as one widget; `show_answers` redraws the answers."""

    def __init__(self, view: DebriefView, answers: Mapping[int, str] | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        self.show(debrief_parts(view, answers))

    def show_answers(self, answers: Mapping[int, str]) -> None:
        self.show(debrief_parts(self.view, answers))  # only the answers that changed are wrapped again
