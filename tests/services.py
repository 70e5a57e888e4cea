"""Real services for the tests and the scale benchmark: a PostgreSQL cluster, nginx, and
`longarm serve` nodes, each started in a temp folder on free loopback ports and stopped at the end.

Both come from Debian's packages (`.ci/run` installs them): PostgreSQL's server binaries
(`/usr/lib/postgresql/N/bin`) and nginx. Where they are missing, `missing_services()` says which,
and the tests that need them skip with that reason. PostgreSQL refuses to run as root: as root,
the cluster belongs to the `postgres` user (made by Debian's package), else `nobody`.

Everything waits on a condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05) -> None:
    """Poll `condition` until it holds; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(step)


def listening(port: int) -> bool:
    """Whether something accepts connections on loopback `port`."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def stop(process: subprocess.Popen[bytes], stop_signal: int, timeout: float) -> None:
    """Stop a service with its own signal; kill it if it has not stopped after `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server's binaries folder from Debian's packages, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing_services() -> str:
    """Why PostgreSQL and nginx cannot be started here, or "" when both can."""
    missing = []
    if postgres_bin() is None:
        missing.append("PostgreSQL's server (Debian package postgresql)")
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        missing.append("nginx (Debian package nginx-light or nginx)")
    try:
        import psycopg  # noqa: F401
        import psycopg_pool  # noqa: F401
    except ImportError:
        missing.append("psycopg and psycopg_pool (pip install -e '.[postgres]')")
    return ("not installed: " + "; ".join(missing)) if missing else ""


def _owner() -> tuple[int, int] | None:
    """The user a root process runs PostgreSQL as; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root, and there is no postgres or nobody user to run PostgreSQL as")


@dataclass
class Cluster:
    """A running PostgreSQL cluster on loopback, with trust authentication for the user `longarm`."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    def address(self, database: str = "longarm") -> str:
        """The `postgresql://` address of one of its databases."""
        return f"postgresql://longarm@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "t") -> str:
        """A new, empty database; returns its address."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.address("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
        return self.address(name)

    def sql(self, address: str, statement: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Run one statement on a database of the cluster; its rows (none for a statement without)."""
        import psycopg

        with psycopg.connect(address, autocommit=True) as connection:
            cursor = connection.execute(statement, params)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []


def _ready(address: str) -> bool:
    import psycopg

    try:
        psycopg.connect(address, connect_timeout=1).close()
        return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_cluster(durable: bool = False, settings: Sequence[str] = ()) -> Iterator[Cluster]:
    """A new PostgreSQL cluster in a temp folder, listening on 127.0.0.1 at a free port (and on a
    unix socket in that folder), stopped and deleted at the end.

    Args:
        durable: keep PostgreSQL's fsync on (the benchmark); tests turn it off, for speed.
        settings: more `name=value` server settings.
    """
    binaries = postgres_bin()
    if binaries is None:
        raise RuntimeError(missing_services())
    owner = _owner()
    folder = Path(tempfile.mkdtemp(prefix="longarm-pg-"))
    data = folder / "data"
    as_owner: dict[str, int] = {} if owner is None else {"user": owner[0], "group": owner[1]}
    if owner is not None:
        os.chown(folder, *owner)
    environment = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    try:
        subprocess.run([str(binaries / "initdb"), "-D", str(data), "-U", "longarm", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync"], check=True, capture_output=True, cwd=folder,
                       env=environment, **as_owner)  # type: ignore[call-overload]
        port = free_port()
        options = ["-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={folder}",
                   "-c", "max_connections=200", "-c", "shared_buffers=128MB"]
        if not durable:
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        for setting in settings:
            options += ["-c", setting]
        log = open(folder / "postgres.log", "wb")  # noqa: SIM115 - closed with the cluster
        process = subprocess.Popen([str(binaries / "postgres"), "-D", str(data), "-p", str(port), *options],
                                   stdout=log, stderr=subprocess.STDOUT, cwd=folder, env=environment,
                                   **as_owner)  # type: ignore[call-overload]
        cluster = Cluster(folder, port, process)
        try:
            def up() -> bool:
                if process.poll() is not None:
                    raise AssertionError("PostgreSQL stopped: " + (folder / "postgres.log").read_text(errors="replace"))
                return _ready(cluster.address("postgres"))

            wait_until(up, 60, "PostgreSQL to accept connections")
            import psycopg

            with psycopg.connect(cluster.address("postgres"), autocommit=True) as connection:
                connection.execute("CREATE DATABASE longarm")
            yield cluster
        finally:
            stop(process, signal.SIGINT, 30)  # PostgreSQL's fast shutdown
            log.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def nginx_conf(folder: Path, port: int, upstreams: Sequence[int], base_path: str = "/longarm",
               workers: int = 1, sticky: bool = False) -> str:
    """A whole nginx configuration around the server block of docs/deploy.md, as written there but
    for what a test must change: the upstream's servers are `upstreams`, the server listens on
    loopback `port` without TLS (and the block that redirects port 80 is left out), every path is
    inside `folder`. `sticky` keeps the guide's `hash $cookie_longarm_student`; without it nginx
    takes turns, so that each request of a student goes to another node."""
    guide = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    [block] = re.findall(r"```nginx\n(.*?)```", guide, flags=re.DOTALL)
    servers = "".join(f"    server 127.0.0.1:{upstream} max_fails=1 fail_timeout=10s;\n" for upstream in upstreams)
    block = re.sub(r"(    server 127\.0\.0\.1:\d+ [^\n]*\n)+", lambda _: servers, block, count=1)
    block = re.sub(r"server \{\n    listen 80;.*?\n\}\n\n", "", block, flags=re.DOTALL)
    block = block.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    block = re.sub(r"\n    ssl_certificate[^\n]*", "", block)
    if not sticky:
        block = re.sub(r"\n    hash \$cookie_longarm_student consistent;[^\n]*", "", block)
    block = block.replace("/longarm", base_path)
    temp = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"worker_processes {workers};\npid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\n"
            f"events {{ worker_connections 8192; }}\nhttp {{\n    access_log off;\n    {temp}\n{block}}}\n")


@contextmanager
def nginx_proxy(upstreams: Sequence[int], base_path: str = "/longarm", workers: int = 1,
                port: int | None = None, sticky: bool = False) -> Iterator[int]:
    """nginx in front of `upstreams` on loopback `port` (a free one when None; yielded), stopped at the end."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    folder = Path(tempfile.mkdtemp(prefix="longarm-nginx-"))
    folder.chmod(0o755)
    port = port or free_port()
    (folder / "nginx.conf").write_text(nginx_conf(folder, port, upstreams, base_path, workers, sticky), encoding="utf-8")
    process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def up() -> bool:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                raise AssertionError(f"nginx stopped: {error}")
            return listening(port)

        wait_until(up, 20, "nginx to listen")
        yield port
    finally:
        stop(process, signal.SIGQUIT, 15)  # nginx's graceful stop
        if process.stderr is not None:
            process.stderr.close()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Node:
    """One `longarm serve` process."""

    port: int
    process: subprocess.Popen[str]
    log: Path
    arguments: list[str] = field(default_factory=list)

    def kill(self) -> None:
        """kill -9: no clean-up at all."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def memory_mb(self) -> float:
        """The process's resident memory now (MB), from /proc."""
        return self._status_mb("VmRSS:")

    def peak_memory_mb(self) -> float:
        """The process's peak resident memory (MB), from /proc."""
        return self._status_mb("VmHWM:")

    def _status_mb(self, name: str) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1]) / 1024
        return 0.0


@contextmanager
def serve_nodes(ports: Sequence[int], results: str, arguments: Sequence[str], folder: Path,
                env: dict[str, str] | None = None) -> Iterator[list[Node]]:
    """A node of `python -m game serve --results RESULTS ARGUMENTS...` on each loopback port, all
    listening before this yields; every one still running is killed at the end."""
    nodes: list[Node] = []
    try:
        for number, port in enumerate(ports):
            log = folder / f"node-{number}.log"
            command = [sys.executable, "-m", "game", "serve", "--port", str(port), "--results", results, *arguments]
            handle = open(log, "w")  # noqa: SIM115 - the child keeps it
            process = subprocess.Popen(command, cwd=REPO, env={**os.environ, **(env or {})}, stdout=handle,
                                       stderr=subprocess.STDOUT, text=True)
            handle.close()
            nodes.append(Node(port, process, log, command))
        for node in nodes:
            def up(node: Node = node) -> bool:
                if node.process.poll() is not None:
                    raise AssertionError(f"longarm serve exited: {node.log.read_text(errors='replace')}")
                return listening(node.port)

            wait_until(up, 60, "longarm serve to listen")
        yield nodes
    finally:
        for node in nodes:
            if node.process.poll() is None:
                node.process.send_signal(signal.SIGKILL)
            node.process.wait(timeout=10)

