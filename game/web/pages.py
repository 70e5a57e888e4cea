"""Rendering pages: one Jinja2 environment (autoescaping on for every template), the static files,
and the path prefix every link, form, redirect and cookie is under.

Every page is built on the server from `templates/`; the only script is the teacher's live view.
Static files are a fixed list read once at start: no path from a request ever reaches the disk,
so there is nothing to list and nothing to escape from.

Behind a proxy the class may be served under a prefix (`--base-path /longarm`): the `base_path`
middleware puts it in `BASE` for the request, templates write `{{ base }}` before every path, and
`see_other` before every redirect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from game.web.views import link_of

HERE = Path(__file__).resolve().parent
#: The files under /static/, by name, with their type. Nothing else is served from disk.
STATIC_FILES = {"style.css": "text/css", "teacher.js": "text/javascript", "icon.svg": "image/svg+xml"}
#: The path prefix of the request being answered ("" when the class is served at the root).
BASE: ContextVar[str] = ContextVar("longarm_base_path", default="")


@dataclass(frozen=True, slots=True)
class StaticFile:
    """A static file's bytes and type, read once."""

    body: bytes
    content_type: str


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates, each HTML-escaped unless a value is marked safe (only sanitised Markdown is)."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.globals["link_of"] = link_of
    return env


def page(template: str, status: int = 200, **context: Any) -> web.Response:
    """A rendered page; never cached, so Back shows where the game is now, not where it was."""
    context.setdefault("ended", False)
    context.setdefault("notices", [])
    context.setdefault("base", BASE.get())
    html = environment().get_template(template).render(**context)
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8",
                        headers={"Cache-Control": "no-store"})


@lru_cache(maxsize=1)
def static_files() -> dict[str, StaticFile]:
    """The static files, read once."""
    return {name: StaticFile((HERE / "static" / name).read_bytes(), kind) for name, kind in STATIC_FILES.items()}


def see_other(location: str) -> web.HTTPSeeOther:
    """A 303 redirect (raised) to a path of this server, under its prefix: after a POST the browser
    asks for `location` with GET."""
    return web.HTTPSeeOther(BASE.get() + location, headers={"Cache-Control": "no-store"})


def base_path(prefix: str) -> Middleware:
    """A middleware that makes `prefix` the request's `BASE`."""
    @web.middleware
    async def under(request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        BASE.set(prefix)
        return await handler(request)

    return under
