"""What every response and every form goes through: security headers, the origin check, error pages.

- Every response carries a Content-Security-Policy that allows only this server (no inline script
  or style), refuses framing, and keeps forms posting here; nosniff; and a referrer policy.
- Every request that is not GET or HEAD must come from one of the server's own origins: its
  `Origin` header (or, without one, its `Referer`) must be one of `WebSettings.origins`, or the
  public origin a trusted proxy forwarded (`game.web.proxy`).
- Any error becomes a plain page with the status: an unknown path is a 404 page, a body too large
  a 413 page, and a fault in the server a 500 page and one line in the terminal, never a traceback.

The referrer policy is `same-origin`, not `no-referrer`: with `no-referrer` browsers send
`Origin: null` on a page's own form posts, and the origin check could then tell nothing apart.
`same-origin` still sends nothing to any other site (the debrief's links to sources included).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

from game.web.options import origin_of
from game.web.pages import page
from game.web.proxy import PUBLIC_ORIGIN

logger = logging.getLogger(__name__)

CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
SAFE_METHODS = frozenset({"GET", "HEAD"})

ERROR_WORDS = {
    400: ("Something was wrong with that request",
          "The page sent something the server cannot read. Go back and try again."),
    403: ("Not allowed", "That was refused."),
    404: ("There is no page here", "Check the address, or start again from the first page."),
    405: ("Not allowed", "That address cannot be used this way."),
    413: ("Too much at once", "What was sent is too large. Shorten it and try again."),
    500: ("Something went wrong", "The server could not do that. Your choices so far are kept; try again."),
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Give a response the security headers it does not already set (the report sets its own CSP)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def error_page(status: int, headers: dict[str, str] | None = None) -> web.Response:
    """A plain page for an HTTP error."""
    title, message = ERROR_WORDS.get(status, ERROR_WORDS[400 if status < 500 else 500])
    response = page("error.html", status=status, title=title, message=message)
    response.headers.update(headers or {})
    return response


def from_own_origin(request: web.Request, origins: frozenset[str]) -> bool:
    """Whether the request says it comes from one of `origins` (Origin, else Referer; neither: no).

    An `Origin: null` (a sandboxed or privacy-stripped page) says nothing: the Referer decides.
    """
    public = PUBLIC_ORIGIN.get()
    if public is not None:
        origins = origins | {public}
    origin = (request.headers.get("Origin") or "").strip()
    if origin and origin != "null":
        return origin.lower() in origins
    referer = request.headers.get("Referer")
    if referer and urlsplit(referer).scheme in ("http", "https"):
        return origin_of(referer) in origins
    return False


def origin_guard(origins: frozenset[str]) -> Middleware:
    """A middleware that refuses (403) any request but GET and HEAD from anywhere but `origins`."""
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in SAFE_METHODS and not from_own_origin(request, origins):
            return page("error.html", status=403, title="Not allowed",
                        message="This form was not sent from this server's own pages, so it was refused. "
                                "Open the class address again and use the page there.")
        return await handler(request)

    return guard


@web.middleware
async def error_pages(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Turn every HTTP error into a plain page, and any fault into a 500 page and one line of log."""
    try:
        return await handler(request)
    except web.HTTPException as error:
        if error.status < 400:
            raise  # redirects
        headers = {name: value for name, value in error.headers.items() if name in ("Retry-After", "Allow")}
        return error_page(error.status, headers)
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - a fault is a page and a line, never a traceback
        logger.error("%s %s failed: %s: %s", request.method, request.path, type(error).__name__, error)
        return error_page(500)
