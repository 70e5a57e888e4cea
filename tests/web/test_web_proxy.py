"""Behind a proxy: forwarded headers believed only from trusted peers (the client's own address for
the wrong-code limit, the public origin for the form check), every path under --base-path, the
health check saying 503 while this node's writes do not land, and the codes every node takes from
the store."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from web_client import CLASS_CODE, running_class, wait_for

from game.classroom.stores import open_store
from game.web.options import WebSettings, settings_from
from game.web.proxy import client_address

WriteScenario = Callable[..., Path]
LOCAL = (ipaddress.ip_network("127.0.0.1/32"),)
ELSEWHERE = (ipaddress.ip_network("10.0.0.1/32"),)


def test_the_client_is_the_rightmost_address_that_is_not_a_trusted_proxy() -> None:
    proxies = (ipaddress.ip_network("10.0.0.0/24"),)
    assert client_address(["203.0.113.9"], "10.0.0.2", proxies) == "203.0.113.9"
    assert client_address(["1.2.3.4, 203.0.113.9, 10.0.0.5"], "10.0.0.2", proxies) == "203.0.113.9"  # 1.2.3.4: forged
    assert client_address(["10.0.0.7", "10.0.0.5"], "10.0.0.2", proxies) == "10.0.0.7"  # all proxies: the first
    assert client_address([], "10.0.0.2", proxies) == "10.0.0.2"
    assert client_address(["not-an-address"], "10.0.0.2", proxies) == "10.0.0.2"


def test_the_base_path_and_trusted_proxies_are_checked_and_the_public_url_may_carry_the_prefix() -> None:
    settings = settings_from("127.0.0.1", 8001, "https://school.example/longarm/", "HISTORY-9B", "TEACH-ME-NOW",
                             "r.sqlite", None, "/longarm/", "127.0.0.1, 10.0.0.0/24")
    assert isinstance(settings, WebSettings)
    assert settings.public_url == "https://school.example/longarm/" and settings.base_path == "/longarm"
    assert settings.trusted_proxies == (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/24"))
    assert "https://school.example" in settings.origins
    assert "not a path prefix" in str(settings_from("127.0.0.1", 8001, None, "HISTORY-9B", None, "r", None,
                                                    "/long arm"))
    assert "is not an address or a network" in str(settings_from("127.0.0.1", 8001, None, "HISTORY-9B", None, "r",
                                                                  None, "", "nginx.local"))
    assert "has a path" in str(settings_from("127.0.0.1", 8001, "https://school.example/other", "HISTORY-9B", None,
                                             "r", None, "/longarm"))


async def test_every_link_form_redirect_static_file_and_cookie_is_under_the_base_path(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    async with running_class(tmp_path / "results.sqlite", str(write_scenario()), base_path="/longarm") as running:
        student = running.browser()
        page = await student.get("/longarm", follow=False)
        assert page.status == 301 and page.headers["Location"] == "/longarm/"
        async with student.session.get(student.base + "/play/new") as outside:
            assert outside.status == 404  # the paths live under the prefix only
        page = await student.join("Ana")
        assert page.url.endswith("/longarm/play") and page.history == (303,)
        assert [cookie["path"] for cookie in student.session.cookie_jar] == ["/longarm/"]
        page = await student.start("test-story", "journalist")
        for text in (page.text, (await student.get("/play/glossary")).text):
            paths = re.findall(r'(?:href|action|src)="(/[^"]*)"', text)
            assert paths and all(path.startswith("/longarm/") for path in paths), paths
        assert (await student.get("/longarm/static/style.css")).status == 200
        assert (await student.get("/longarm/healthz")).status == 200
        assert (await student.get("/healthz")).status == 200


FORWARDED = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "school.example",
             "Origin": "https://school.example"}


async def test_from_a_trusted_proxy_the_public_origin_passes_and_the_clients_address_is_counted(
        tmp_path: Path, write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario()), trusted_proxies=LOCAL) as running:
        browser = running.browser(origin="")
        form = (await browser.get("/")).form("/join")
        page = await browser.post("/join", {**form.fields, "code": "WRONG-CODE"}, FORWARDED)
        assert page.status == 403 and "That is not the class code" in page.text  # the form passed, the code not
        page = await browser.post("/join", {**form.fields, "code": CLASS_CODE}, FORWARDED)
        assert page.title == "Pick a story"
        await running.settled()
    store = open_store(results)
    assert len(store.wrong_tries("198.51.100.7", "join", since=0)) == 1
    assert store.wrong_tries("127.0.0.1", "join", since=0) == ()
    store.close()


async def test_from_any_other_peer_forwarded_headers_are_ignored(tmp_path: Path,
                                                                 write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario()), trusted_proxies=ELSEWHERE) as running:
        browser = running.browser(origin="")
        form = (await browser.get("/")).form("/join")
        page = await browser.post("/join", {**form.fields, "code": CLASS_CODE}, FORWARDED)
        assert page.status == 403 and "was not sent from this server" in page.text
        page = await browser.post("/join", {**form.fields, "code": "WRONG-CODE"},
                                  {**FORWARDED, "Origin": "http://127.0.0.1:8000"})
        assert page.status == 403 and "That is not the class code" in page.text
        await running.settled()
    store = open_store(results)
    assert store.wrong_tries("198.51.100.7", "join", since=0) == ()
    assert len(store.wrong_tries("127.0.0.1", "join", since=0)) == 1  # the peer's own address
    store.close()


async def test_healthz_says_503_while_this_nodes_writes_do_not_land(tmp_path: Path,
                                                                   write_scenario: WriteScenario) -> None:
    results = tmp_path / "results.sqlite"
    async with running_class(results, str(write_scenario()), write_wait=0.2) as running:
        student = running.browser()
        page = await student.get("/healthz")
        assert page.status == 200 and page.text.startswith("store: ok")
        await student.join("Ana")
        await student.start("test-story", "journalist")
        await running.settled()
        holder = sqlite3.connect(results, isolation_level=None, timeout=0)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await student.choose("fly")
            await wait_for(lambda: running.classroom.writer.health.state == "retrying")
            page = await student.get("/healthz")
            assert page.status == 503 and "writes: retrying, 1 waiting" in page.text
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await running.settled()
        assert (await student.get("/healthz")).status == 200


def test_every_node_takes_the_codes_the_first_one_kept_in_the_store(tmp_path: Path) -> None:
    from game.web.banner import banner
    from game.web.serve import Prepared, prepare_store
    from game.web.writer import StoreHealth

    results = str(tmp_path / "results.sqlite")
    made = [settings_from("127.0.0.1", port, None, None, None, results, None) for port in (8001, 8002)]
    assert all(isinstance(settings, WebSettings) for settings in made)
    first, second = (prepare_store(settings) for settings in made)  # type: ignore[arg-type]
    assert isinstance(first, Prepared) and isinstance(second, Prepared)
    assert first.secret == second.secret
    assert (second.settings.class_code, second.settings.teacher_code) == (first.settings.class_code,
                                                                          first.settings.teacher_code)
    assert not first.settings.class_code_kept and second.settings.class_code_kept
    assert "(kept in the results store)" in banner(second.settings, ["A story"], StoreHealth(), "ascii")
    given = settings_from("127.0.0.1", 8003, None, "HISTORY-9B", None, results, None)
    assert isinstance(given, WebSettings)
    third = prepare_store(given)  # a class code given is used, and its own teacher code made and kept
    assert isinstance(third, Prepared) and third.settings.class_code == "HISTORY-9B"
    assert third.settings.teacher_code != first.settings.teacher_code
    again = prepare_store(replace(given, teacher_code="OTHER-CODE-1", teacher_code_made=True))
    assert isinstance(again, Prepared) and again.settings.teacher_code == third.settings.teacher_code
