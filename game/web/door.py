"""The door: a code typed into a form (the class code, the teacher code), checked before anything exists.

In order: an address that has sent too many wrong codes waits (429, with Retry-After, right code
or not); the form must be one this server handed out (its page token); then the code is compared
in constant time, and a wrong one counts against the address. Nothing is made on any of these
paths: the caller makes the student or the teacher's cookie only when `check_code` passes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from game.web.codes import code_matches
from game.web.ratelimit import WrongTries
from game.web.tokens import PagePurpose, page_token_ok


@dataclass(frozen=True, slots=True)
class Refused:
    """Why a code was not let through, for the page that says so."""

    status: int  # 429 (wait), 403 (a stale form or a wrong code)
    message: str
    retry_after: int = 0  # seconds, for 429


def field(form: Mapping[str, object], name: str) -> str:
    """A text field of a posted form ('' when it is missing or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def check_code(request: web.Request, wrong_tries: WrongTries, secret: bytes, purpose: PagePurpose, expected: str,
                     what: str) -> tuple[Mapping[str, object], Refused | None]:
    """Read a code form and check it.

    Args:
        request: the POST of a form with `token` and `code` fields.
        wrong_tries: the limit on wrong codes per address (`request.remote`: the client's own, when a
            trusted proxy names it).
        secret: the server's secret (for the form's page token).
        purpose: the page token's purpose ("join", "teacher-login").
        expected: the right code.
        what: the code's name in the message ("the class code").

    Returns:
        The form (empty when it was not read), and None when the code is right, else why not.
    """
    address = request.remote or "unknown"
    wait = await wrong_tries.retry_after(address)
    if wait:
        return {}, Refused(429, f"Too many wrong codes from this device's network address. Wait {wait} seconds, "
                                "then try again.", wait)
    form = await request.post()
    if not page_token_ok(secret, purpose, field(form, "token")):
        return form, Refused(403, "This page was too old to use. Type the code again.")
    if not code_matches(field(form, "code"), expected):
        await wrong_tries.wrong(address)
        return form, Refused(403, f"That is not {what}. Check it and try again.")
    return form, None


def refusal_page(response: web.Response, refused: Refused) -> web.Response:
    """A page saying why, with its status and, for 429, Retry-After."""
    response.set_status(refused.status)
    if refused.retry_after:
        response.headers["Retry-After"] = str(refused.retry_after)
    return response
