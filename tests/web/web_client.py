"""A small browser for the web edition's tests: it keeps its own cookies, reads the forms of a page
and sends them as a browser would (with the page's origin), so tests act like students.

`running_class` starts the web edition in this process (aiohttp's TestServer) on a temp results
file, exactly as `longarm serve` assembles it; `served` starts `python -m game serve` as a real
process on a free loopback port.
"""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from game.web.app import make_app
from game.web.classroom import Classroom
from game.web.options import WebSettings, settings_from
from game.web.serve import Prepared, assemble, close, offered, prepare_store

REPO = Path(__file__).resolve().parents[2]
CLASS_CODE = "TEST-CLASS"
TEACHER_CODE = "TEACH-ME-NOW"
#: The origin the server believes it has (its settings), which every form is sent from.
ORIGIN = "http://127.0.0.1:8000"


@dataclass
class Form:
    """A form of a page: where it goes, its fields, and its submit buttons."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[dict[str, str]] = field(default_factory=list)  # attributes of each button
    textareas: list[str] = field(default_factory=list)

    def button(self, **attributes: str) -> dict[str, str]:
        """The button whose attributes include all of these."""
        return next(b for b in self.buttons if all(b.get(k) == v for k, v in attributes.items()))


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(found.get("action", ""), found.get("method", "get").lower()))
        elif not self.forms:
            return
        elif tag == "input" and found.get("type") in ("hidden", "text", "password", "search", "checkbox"):
            if found.get("type") != "checkbox":
                self.forms[-1].fields[found.get("name", "")] = found.get("value", "")
        elif tag == "button" and found.get("type", "submit") == "submit":
            self.forms[-1].buttons.append(found)
        elif tag == "textarea":
            self._textarea = found.get("name", "")
            self.forms[-1].textareas.append(self._textarea)
            self.forms[-1].fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None


@dataclass
class Page:
    status: int
    url: str
    text: str
    headers: Mapping[str, str]
    history: tuple[int, ...] = ()  # the statuses of the redirects followed to get here
    prefix: str = ""  # the server's path prefix (--base-path): form actions carry it

    @property
    def forms(self) -> list[Form]:
        parser = _Forms()
        parser.feed(self.text)
        return parser.forms

    def form(self, action: str) -> Form:
        """The form posting to `action` (a path of the server, with or without its prefix)."""
        return next(form for form in self.forms if form.action in (action, self.prefix + action))

    @property
    def title(self) -> str:
        match = re.search(r"<h1[^>]*>(.*?)</h1>", self.text, re.DOTALL)
        return match.group(1).strip() if match else ""


class Browser:
    """One student's (or the teacher's) browser: its own cookies, forms sent from the server's origin."""

    def __init__(self, base: str, origin: str = ORIGIN, prefix: str = "", local_address: str | None = None) -> None:
        """A browser of `base` (scheme://host:port) whose forms say they come from `origin`; paths are
        under `prefix`; `local_address` is the loopback address it connects from (e.g. 127.0.0.2)."""
        self.base = base.rstrip("/")
        self.origin = origin
        self.prefix = prefix
        connector = aiohttp.TCPConnector(local_addr=(local_address, 0)) if local_address else None
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector)

    def url(self, path: str) -> str:
        """The address of a path of the server (one that already carries the prefix is left as it is)."""
        if not self.prefix or path == self.prefix or path.startswith(self.prefix + "/"):
            return self.base + path
        return self.base + self.prefix + path

    async def close(self) -> None:
        await self.session.close()

    def cookie(self, name: str) -> str:
        for morsel in self.session.cookie_jar:
            if morsel.key == name:
                return morsel.value
        return ""

    async def get(self, path: str, follow: bool = True) -> Page:
        async with self.session.get(self.url(path), allow_redirects=follow) as response:
            return await self._page(response)

    async def post(self, path: str, data: Mapping[str, str], headers: Mapping[str, str] | None = None,
                   follow: bool = True) -> Page:
        sent = {**({"Origin": self.origin} if self.origin else {}), **(headers or {})}
        async with self.session.post(self.url(path), data=dict(data), headers=sent,
                                     allow_redirects=follow) as response:
            return await self._page(response)

    async def submit(self, form: Form, button: Mapping[str, str] | None = None,
                     values: Mapping[str, str] | None = None, follow: bool = True) -> Page:
        """Send a form as a browser does: its fields, the pressed button's name and value, and `values`."""
        data = dict(form.fields)
        if button and button.get("name"):
            data[button["name"]] = button.get("value", "")
        data.update(values or {})
        return await self.post(form.action, data, follow=follow)

    async def join(self, name: str = "", code: str = CLASS_CODE) -> Page:
        page = await self.get("/")
        return await self.submit(page.form("/join"), values={"code": code, "name": name})

    async def start(self, scenario: str, role: str) -> Page:
        page = await self.get("/play/new")
        form = next(f for f in page.forms
                    if f.action in ("/play/start", self.prefix + "/play/start") and f.fields.get("scenario") == scenario)
        return await self.submit(form, form.button(name="role", value=role))

    async def choose(self, choice_id: str) -> Page:
        page = await self.get("/play")
        form = page.form("/play/choose")
        return await self.submit(form, form.button(name="choice", value=choice_id))

    async def _page(self, response: aiohttp.ClientResponse) -> Page:
        body = await response.read()
        return Page(response.status, str(response.url), body.decode("utf-8", "replace"), dict(response.headers),
                    tuple(r.status for r in response.history), self.prefix)


@dataclass
class RunningClass:
    """The web edition running in this process, and what the tests look at."""

    server: TestServer
    classroom: Classroom
    settings: WebSettings
    browsers: list[Browser] = field(default_factory=list)

    @property
    def base(self) -> str:
        return str(self.server.make_url("/"))

    def browser(self, origin: str = ORIGIN) -> Browser:
        browser = Browser(self.base, origin, self.settings.base_path)
        self.browsers.append(browser)
        return browser

    def rows(self, table: str) -> int:
        """How many rows a table of the results file has now (read with a connection of its own)."""
        with sqlite3.connect(self.settings.results) as connection:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait until the writer has no write left."""
        await wait_for(lambda: self.classroom.writer.waiting == 0, timeout)


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0, step: float = 0.02) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition did not hold in time"
        await asyncio.sleep(step)


def class_settings(results: Path | str, scenario: str | None, **changes: Any) -> WebSettings:
    settings = settings_from("127.0.0.1", 8000, None, CLASS_CODE, TEACHER_CODE, results, scenario)
    assert isinstance(settings, WebSettings), settings
    return replace(settings, **changes)


@asynccontextmanager
async def running_class(results: Path | str, scenario: str | None = None,
                        **changes: Any) -> AsyncIterator[RunningClass]:
    """The web edition on `results` (a file, or a `postgresql://` address as a string), as `longarm
    serve` assembles it, in aiohttp's test server."""
    settings = class_settings(results, scenario, **changes)
    stories = offered(scenario)
    assert not isinstance(stories, str), stories
    prepared = prepare_store(settings)
    assert isinstance(prepared, Prepared), prepared
    classroom = assemble(settings, stories[0], prepared, lambda health: None)
    server = TestServer(make_app(classroom, prepared.secret))
    await server.start_server()
    running = RunningClass(server, classroom, settings)
    try:
        yield running
    finally:
        for browser in running.browsers:
            await browser.close()
        await server.close()
        await close(classroom)


@contextmanager
def served(results: Path, port: int, scenario: str, env: Mapping[str, str],
           *extra: str) -> Iterator[subprocess.Popen[str]]:
    """`python -m game serve` as a process of its own on loopback; killed (-9) at the end if still running."""
    command = [sys.executable, "-m", "game", "serve", scenario, "--port", str(port), "--class", CLASS_CODE,
               "--teacher-code", TEACHER_CODE, "--results", str(results), *extra]
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **env}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
