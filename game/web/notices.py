"""A student's notices ("That choice was already made", "Your answers are saved") carried to their
next page in a short-lived cookie, so they show whichever node the proxy sends that page to.

A POST is answered by a redirect, and the page after it may be drawn by another node than the one
that took the POST: what the student was told there cannot wait in one node's memory. The
`carry_notices` middleware puts what is left unsaid into the cookie (signed with the server's
secret, so no one else can put words on a student's page), and the next page shows it and clears
it. The cookie lives `NOTICE_SECONDS` at most and holds only those sentences.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Protocol

from aiohttp import web
from aiohttp.typedefs import Middleware

from game.web.pages import BASE

NOTICE_COOKIE = "longarm_notice"
NOTICE_SECONDS = 600
MAX_NOTICES = 8


class Listener(Protocol):
    """Whoever has notices to hear (a student)."""

    def take_notices(self) -> list[str]:
        """The notices not yet shown (each is shown once)."""
        ...


#: The request's student, once a route knows them (for the notices left to say).
LISTENER: ContextVar[Listener | None] = ContextVar("longarm_listener", default=None)
#: Whether a page of this request showed the notices the cookie carried.
SHOWN: ContextVar[bool] = ContextVar("longarm_notices_shown", default=False)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def pack(secret: bytes, notices: list[str]) -> str:
    """Notices as a cookie value: JSON in base64url, then its HMAC."""
    data = base64.urlsafe_b64encode(json.dumps(notices[:MAX_NOTICES]).encode("utf-8")).decode("ascii")
    return f"{data}.{_mac(secret, data)}"


def unpack(secret: bytes, value: str) -> list[str]:
    """The notices a cookie value carries; none when it is not one this server signed."""
    data, _, mac = value.partition(".")
    if not hmac.compare_digest(_mac(secret, data).encode(), mac.encode("utf-8", "replace")):
        return []
    try:
        notices = json.loads(base64.urlsafe_b64decode(data.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return []
    return [notice for notice in notices if isinstance(notice, str)][:MAX_NOTICES] if isinstance(notices, list) else []


def carried(request: web.Request, secret: bytes) -> list[str]:
    """The notices the request's cookie carries, marked as shown (the response clears the cookie)."""
    value = request.cookies.get(NOTICE_COOKIE)
    if not value:
        return []
    SHOWN.set(True)
    return unpack(secret, value)


def _mac(secret: bytes, data: str) -> str:
    return hmac.new(secret, f"notice:{data}".encode("ascii"), hashlib.sha256).hexdigest()


def carry_notices(secret: bytes, secure: bool) -> Middleware:
    """A middleware that carries what a student was not yet told to their next page, in the cookie."""
    @web.middleware
    async def carry(request: web.Request, handler: Handler) -> web.StreamResponse:
        LISTENER.set(None)
        SHOWN.set(False)
        try:
            response = await handler(request)
        except web.HTTPException as answer:
            if 300 <= answer.status < 400:
                _settle(request, answer, secret, secure)
            raise
        _settle(request, response, secret, secure)
        return response

    return carry


def _settle(request: web.Request, response: web.StreamResponse, secret: bytes, secure: bool) -> None:
    student = LISTENER.get()
    left: list[str] = student.take_notices() if student is not None else []
    path = BASE.get() + "/"
    if left:
        earlier = [] if SHOWN.get() else unpack(secret, request.cookies.get(NOTICE_COOKIE, ""))
        response.set_cookie(NOTICE_COOKIE, pack(secret, earlier + [n for n in left if n not in earlier]),
                            max_age=NOTICE_SECONDS, path=path, httponly=True, samesite="Strict", secure=secure)
    elif SHOWN.get():
        response.del_cookie(NOTICE_COOKIE, path=path)
