"""The web edition's application: the routes of students and teacher, the guards, the static files,
and the health check for a proxy.

`make_app` builds it on a `Classroom`; `game.web.serve` runs it (and tests run it in aiohttp's
test server). The routes are the only pages, under the settings' path prefix (`--base-path`):
anything else is a 404 page (a websocket path too). `GET /healthz` (also under the prefix) answers
200 when the results store answers and this node's writes are landing, 503 otherwise: what a
proxy or a monitor asks before sending students here.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from game.web.classroom import Classroom
from game.web.guard import add_security_headers, error_pages, origin_guard
from game.web.notices import carry_notices
from game.web.pages import StaticFile, base_path, static_files
from game.web.proxy import forwarded
from game.web.ratelimit import WrongTries
from game.web.student_routes import StudentPages
from game.web.teacher_routes import TeacherPages

TEACHER_PAGES = web.AppKey("teacher_pages", TeacherPages)
#: The health check's answer, at most this late (a store that does not answer by then is failing).
HEALTH_SECONDS = 3.0


def _sent(found: StaticFile) -> web.Response:
    return web.Response(body=found.body, content_type=found.content_type, charset="utf-8",
                        headers={"Cache-Control": "no-cache"})


async def static(request: web.Request) -> web.StreamResponse:
    """One of the fixed static files; any other name is a 404 page."""
    found = static_files().get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    return _sent(found)


async def favicon(request: web.Request) -> web.StreamResponse:
    """The icon, where a browser looks for it on a page that names none (the class report)."""
    return _sent(static_files()["icon.svg"])


def health_check(classroom: Classroom) -> web.RouteDef:
    """`GET /healthz`: 200 and "ok" while the store answers and this node's writes land; 503 and
    why not otherwise (the store's own words stay in the node's log and the teacher's page)."""
    async def healthz(request: web.Request) -> web.StreamResponse:
        try:
            store = await asyncio.wait_for(classroom.reader.check(), HEALTH_SECONDS)
        except TimeoutError:
            store = "the results store did not answer in time"
        writes = classroom.writer.health
        healthy = store == "ok" and writes.state == "ok"
        text = (f"store: {'ok' if store == 'ok' else 'failing'}\n"
                f"writes: {writes.state}, {classroom.writer.waiting} waiting\n")
        return web.Response(text=text, status=200 if healthy else 503, headers={"Cache-Control": "no-store"})

    return web.get("/healthz", healthz)


def make_app(classroom: Classroom, secret: bytes) -> web.Application:
    """The application for one class session, on one node.

    Args:
        classroom: the class: its settings, students, games, writer and board.
        secret: the server's secret (from the results store): it signs form tokens, the teacher's
            cookie and the notices carried between pages.

    Returns:
        The aiohttp application, ready to run.
    """
    settings = classroom.settings
    app = web.Application(client_max_size=settings.max_request_bytes, middlewares=[
        error_pages, forwarded(settings.trusted_proxies), base_path(settings.base_path),
        origin_guard(settings.origins), carry_notices(secret, settings.secure)])
    app.on_response_prepare.append(add_security_headers)
    reader, writer = classroom.reader, classroom.writer
    limit = (settings.wrong_tries, settings.wrong_window, settings.write_wait)
    students = StudentPages(classroom, secret, WrongTries(reader, writer, "join", *limit))
    teacher = TeacherPages(classroom, secret, WrongTries(reader, writer, "teacher", *limit))
    app[TEACHER_PAGES] = teacher
    routes = students.routes() + teacher.routes() + [web.get("/static/{name}", static), health_check(classroom)]
    prefix = settings.base_path
    if prefix:
        routes = [web.RouteDef(route.method, prefix + route.path, route.handler, route.kwargs) for route in routes]
        routes += [web.get(prefix, _to_prefix), health_check(classroom)]
    app.add_routes(routes + [web.get("/favicon.ico", favicon)])  # where browsers look, under no prefix
    app.on_shutdown.append(_close_streams)
    return app


async def _to_prefix(request: web.Request) -> web.StreamResponse:
    """The prefix without its slash: on to the class's first page."""
    raise web.HTTPMovedPermanently(request.path + "/")


async def _close_streams(app: web.Application) -> None:
    """Let the teacher's live streams end, so stopping the server does not wait for them."""
    teacher = app[TEACHER_PAGES]
    teacher.closing.set()
    teacher.classroom.board.wake()
