"""Behind a reverse proxy: forwarded headers, believed only from the proxies the server trusts.

A proxy (nginx) connects to the node itself, so `request.remote` is the proxy's address. When
that address is one of `--trust-proxy`'s, the request is taken as the proxy describes it:

- `X-Forwarded-For`: the client is the nearest address that is not a trusted proxy, read from
  the right (a client can put anything on the left of the list, never on the right of what the
  proxy appended). The limit on wrong codes counts that address, not the proxy's.
- `X-Forwarded-Proto` and `X-Forwarded-Host`: the scheme and host the browser used, so the
  origin check accepts forms from the public address the proxy serves.

From any other peer these headers are ignored, whatever they say: a student on the network who
sends `X-Forwarded-For` to a node directly is still counted by their own address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar

from aiohttp import web
from aiohttp.typedefs import Middleware

from game.web.options import Network, origin_of

#: The public origin (scheme://host[:port]) a trusted proxy forwarded for this request, if any.
PUBLIC_ORIGIN: ContextVar[str | None] = ContextVar("longarm_public_origin", default=None)
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def trusted(address: str | None, proxies: Sequence[Network]) -> bool:
    """Whether `address` is one of the trusted proxies."""
    if not address:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(forwarded_for: Sequence[str], peer: str, proxies: Sequence[Network]) -> str:
    """The client's address from the X-Forwarded-For headers a trusted `peer` sent: the rightmost
    address that is not a trusted proxy (the leftmost when all are; `peer` when there is none)."""
    chain = [part.strip() for header in forwarded_for for part in header.split(",") if part.strip()]
    for address in reversed(chain):
        if not trusted(address, proxies):
            return address if _is_address(address) else peer
    return chain[0] if chain and _is_address(chain[0]) else peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def forwarded(proxies: Sequence[Network]) -> Middleware:
    """A middleware that takes each request from a trusted proxy as the proxy describes it."""
    @web.middleware
    async def believe(request: web.Request, handler: Handler) -> web.StreamResponse:
        peer = request.remote
        PUBLIC_ORIGIN.set(None)
        if not proxies or not trusted(peer, proxies):
            return await handler(request)
        changes: dict[str, str] = {"remote": client_address(request.headers.getall("X-Forwarded-For", []),
                                                             peer or "", proxies)}
        scheme = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().lower()
        if scheme in ("http", "https"):
            changes["scheme"] = scheme
        host = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
        if host and _HOST.match(host):
            changes["host"] = host
        seen = request.clone(**changes)  # type: ignore[arg-type]
        if "scheme" in changes and "host" in changes:
            public = origin_of(f"{changes['scheme']}://{changes['host']}/")
            PUBLIC_ORIGIN.set(public)
        return await handler(seen)

    return believe
