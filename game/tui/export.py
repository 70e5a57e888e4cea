"""Exporting a debrief: the engine's Markdown with the student's answers under their questions,
written under a name no earlier export has (`-2`, `-3`... when the plain name is taken)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from game.engine.runtime.debrief import DebriefView, debrief_markdown

NO_ANSWER = "(no answer)"


def export_directory() -> Path:
    """Where exported debriefs go: `LONGARM_EXPORT_DIR`, else the Downloads folder."""
    override = os.environ.get("LONGARM_EXPORT_DIR")
    if override:
        return Path(override)
    import platformdirs  # only when exporting: it is not needed to start the app

    return platformdirs.user_downloads_path()


def export_markdown(view: DebriefView, answers: Mapping[int, str]) -> str:
    """The debrief as Markdown, each question followed by the answer written to it."""
    text = debrief_markdown(view)
    if not view.questions:
        return text
    asked = "\n".join(f"{number}. {question}" for number, question in enumerate(view.questions, 1))
    answered = "\n\n".join(
        f"{number}. {question}\n\n{' ' * (len(str(number)) + 2)}**Your answer:** {answers.get(number - 1) or NO_ANSWER}"
        for number, question in enumerate(view.questions, 1))
    heading = "## Questions to discuss\n\n"
    if heading + asked in text:
        return text.replace(heading + asked, heading + answered, 1)
    return text.rstrip("\n") + "\n\n## Your answers\n\n" + answered + "\n"  # the engine's layout changed


def write_new_file(folder: Path, stem: str, text: str, suffix: str = ".md") -> Path:
    """Write `text` to `folder/stem.md`, or `stem-2.md`, `stem-3.md`... : never over a file.

    Raises:
        OSError: the folder cannot be made or written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        path = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        try:
            with open(path, "x", encoding="utf-8") as handle:  # "x": fails if the file exists, atomically
                handle.write(text)
            return path
        except FileExistsError:
            number += 1
