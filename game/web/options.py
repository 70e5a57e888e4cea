"""What `longarm serve` was asked for, checked: addresses, codes, the results store, the proxy, limits.

`settings_from` turns the command line's values into a `WebSettings` or one sentence saying what
is wrong. Codes not given are made here (readable and random); the server then keeps the first
ones made in the results store, so every node of a class (and a restarted one) uses the same.
Behind a reverse proxy, `--base-path` is the path the class is served under and `--trust-proxy`
names the proxies whose forwarded headers are believed (`game.web.proxy`).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from game.web.codes import CLASS_CODE_GROUPS, TEACHER_CODE_GROUPS, code_problem, make_code, normal

#: The largest request body accepted (answers are at most 10,000 characters each, cleaned).
MAX_REQUEST_BYTES = 256 * 1024
#: How long a page waits for its write to land before it goes on from memory.
WRITE_WAIT_SECONDS = 2.0
#: How many students' games are kept replayed in memory (others are replayed from the file).
CACHE_SIZE = 400
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
#: A path prefix: segments of letters, digits and . _ ~ -, each after a slash.
BASE_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class WebSettings:
    """One class session's server, as asked for and checked."""

    host: str
    port: int
    class_code: str
    teacher_code: str
    results: str  # a results file's path, or a postgresql:// address
    public_url: str  # the address students type, ending in "/" (after the base path, if any)
    origins: frozenset[str]  # the origins a form may be posted from: this server's own
    scenario: str | None = None  # every student plays this one, or None: they pick
    write_wait: float = WRITE_WAIT_SECONDS
    cache_size: int = CACHE_SIZE
    max_request_bytes: int = MAX_REQUEST_BYTES
    wrong_tries: int = 5
    wrong_window: float = 60.0
    class_code_made: bool = False  # the code was made here (or kept in the store): say so in the banner
    teacher_code_made: bool = False
    class_code_kept: bool = False  # the code is the one an earlier start kept in the results store
    teacher_code_kept: bool = False
    base_path: str = ""  # the path prefix every page is under, e.g. /longarm; "" for none
    trusted_proxies: tuple[Network, ...] = ()  # whose X-Forwarded-* headers are believed
    check: bool = False  # new games take the story's knowledge check, before and after play (`--check on`)

    @property
    def secure(self) -> bool:
        """Students reach the server over HTTPS (a proxy in front): cookies are marked Secure."""
        return self.public_url.startswith("https://")


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host`."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of an address, as a browser sends it in Origin; None if it has none."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host.lower()}" + (f":{port}" if port and port != default else "")


def _host_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def base_path_problem(base_path: str) -> str:
    """Why `base_path` cannot be a path prefix, in one sentence; empty when it can."""
    if base_path and not BASE_PATH.match(base_path):
        return (f"--base-path {base_path} is not a path prefix: a slash, then letters, digits, dots, hyphens "
                "(more segments each after a slash), e.g. /longarm")
    return ""


def trusted_networks(text: str | None) -> tuple[Network, ...] | str:
    """The proxies named by `--trust-proxy ADDR[,ADDR]` (addresses or networks such as 10.0.0.0/24),
    or why they cannot be read."""
    networks = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            return f"--trust-proxy {part.strip()} is not an address or a network (e.g. 127.0.0.1 or 10.0.0.0/24)"
    return tuple(networks)


def settings_from(host: str, port: int, public_url: str | None, class_code: str | None, teacher_code: str | None,
                  results: str | Path, scenario: str | None, base_path: str = "",
                  trust_proxy: str | None = None, check: bool = False) -> WebSettings | str:
    """The checked settings, or why they cannot be used (one sentence).

    Args:
        host: the address to listen on (127.0.0.1 unless the teacher opens it to the network).
        port: the port.
        public_url: the address students type, when it is not `http://HOST:PORT/`.
        class_code: the class code, or None to make one.
        teacher_code: the teacher's code, or None to make one.
        results: the results store (a file, or a postgresql:// address).
        scenario: the scenario every student plays, or None.
        base_path: the path prefix to serve under, e.g. /longarm ("" for none).
        trust_proxy: the proxies (addresses or networks, comma-separated) whose forwarded headers count.
        check: students take the story's knowledge check before and after play.
    """
    base_path = base_path.rstrip("/")
    if base_path_problem(base_path):
        return base_path_problem(base_path)
    trusted = trusted_networks(trust_proxy)
    if isinstance(trusted, str):
        return trusted
    if not 0 < port < 65536:
        return f"--port {port} is not a port (1 to 65535)"
    for given, what in ((class_code, "a class code"), (teacher_code, "a teacher code")):
        if given is not None and code_problem(given, what):
            return code_problem(given, what)
    made_class = class_code is None
    made_teacher = teacher_code is None
    class_code = class_code or make_code(CLASS_CODE_GROUPS)
    teacher_code = teacher_code or make_code(TEACHER_CODE_GROUPS)
    if normal(class_code) == normal(teacher_code):
        return "the teacher code must differ from the class code: students know the class code"
    wildcard = host in WILDCARD_HOSTS
    if public_url is None:
        if wildcard:
            return (f"--host {host or '0.0.0.0'} listens on every network: give --public-url "
                    f"http://YOUR-ADDRESS:{port}, the address students type (see docs/teaching.md)")
        public_url = _host_url(host, port)
    public_origin = origin_of(public_url)
    if public_origin is None:
        return f"--public-url {public_url} is not an http:// or https:// address with a host"
    public_path = urlsplit(public_url).path.rstrip("/")
    if public_path not in ("", base_path) or urlsplit(public_url).query:
        return (f"--public-url {public_url} has a path: give only the address, e.g. http://192.168.1.20:{port} "
                "(and --base-path for a path prefix behind a proxy, e.g. --base-path /longarm)")
    if urlsplit(public_url).hostname in ("0.0.0.0", "::"):
        return "--public-url must be the address students type: your computer's network address, not 0.0.0.0"
    origins = {public_origin}
    if not wildcard:
        origins.add(_origin_or_raise(_host_url(host, port)))
    if wildcard or is_loopback(host):
        origins |= {f"http://{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    return WebSettings(host=host, port=port, class_code=class_code, teacher_code=teacher_code, results=str(results),
                       public_url=public_origin + base_path + "/", origins=frozenset(origins), scenario=scenario,
                       class_code_made=made_class, teacher_code_made=made_teacher, base_path=base_path,
                       trusted_proxies=trusted, check=check)


def _origin_or_raise(url: str) -> str:
    origin = origin_of(url)
    if origin is None:
        raise ValueError(f"not an address: {url}")
    return origin
