"""The banner `longarm serve` prints at start: where students go, the codes, the results file, a QR code.

The QR code of the join address is drawn with text (segno's half-block characters), so a phone can
open the address from the teacher's screen or a projector. A terminal that cannot show those
characters gets the banner without it.
"""

from __future__ import annotations

import io

from game.classroom.results import shown
from game.web.options import WebSettings
from game.web.writer import StoreHealth


def qr_lines(url: str) -> str:
    """The QR code of `url`, drawn in text (light modules as blocks, for a dark terminal)."""
    import segno  # only when a banner is printed

    drawn = io.StringIO()
    segno.make(url, error="m").terminal(out=drawn, compact=True, border=2)
    return drawn.getvalue()


def banner(settings: WebSettings, scenarios: list[str], health: StoreHealth, encoding: str | None) -> str:
    """The whole banner, as text for a terminal whose encoding is `encoding`.

    Args:
        settings: the running server's settings.
        scenarios: the titles of the stories offered.
        health: the results file's health at start.
        encoding: the terminal's encoding (the QR code is left out if it cannot be written in it).
    """
    def origin(made: bool, kept: bool) -> str:
        return " (kept in the results store)" if kept else " (made for this session)" if made else ""

    lines = [
        "Long Arm is ready for the class.",
        "",
        f"  Students open:    {settings.public_url}",
        f"  Class code:       {settings.class_code}" + origin(settings.class_code_made, settings.class_code_kept),
        f"  Teacher's page:   {settings.public_url}teacher",
        f"  Teacher code:     {settings.teacher_code}" + origin(settings.teacher_code_made, settings.teacher_code_kept)
        + "   (keep it to yourself)",
        f"  Results store:    {shown(settings.results)}",
        f"  Results:          {health.text}",
        f"  Stories:          {'; '.join(scenarios)}",
        "  Knowledge check:  " + ("on: asked before the first scene and after the debrief" if settings.check
                                   else "off (--check on asks it before and after play)"),
        "",
    ]
    qr = qr_lines(settings.public_url)
    try:
        qr.encode(encoding or "ascii")
    except (UnicodeEncodeError, LookupError):
        qr = ""
    if qr:
        lines += ["  Students can scan this to open the address:", "", qr]
    lines.append("Press Ctrl+C to stop the server (every choice made is already saved).")
    return "\n".join(lines) + "\n"
