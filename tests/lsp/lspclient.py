"""A small LSP client for the tests: `python -m game lsp` as a subprocess, spoken to in JSON-RPC
with Content-Length framing over its stdin and stdout, as an editor does.

It is written from the protocol, not with pygls, so a test fails if the server's bytes on the
wire are wrong, whatever pygls thinks. A reader thread puts each message in a queue; every wait
has a deadline, so a silent server fails a test instead of hanging it.
"""

from __future__ import annotations

import itertools
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

from shared import REPO

DEADLINE = 20.0  # seconds any one answer may take (generous: CI machines are slow and busy)


class ResponseError(Exception):
    """The server answered a request with an error."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.message = str(error.get("message", ""))


class LspClient:
    """One server process and the messages it has sent that no one has taken yet."""

    def __init__(self, cwd: Path, stderr_file: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self._stderr = stderr_file.open("wb")
        self.process = subprocess.Popen([sys.executable, "-m", "game", "lsp"], cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr)
        self._incoming: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._unclaimed: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        threading.Thread(target=self._read, daemon=True).start()

    # ------------------------------------------------------------------ the wire

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    self._incoming.put(None)
                    return
                header = header.strip()
                if not header:
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            self._incoming.put(json.loads(stream.read(length).decode("utf-8")))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _next(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the language server did not answer in time")
        try:
            message = self._incoming.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("the language server did not answer in time") from None
        if message is None:
            raise EOFError(f"the language server exited (status {self.process.poll()})")
        if "method" in message and "id" in message:  # a request from the server: answer it
            self._send({"id": message["id"], "result": None})
        return message

    def wait_for(self, accept: Callable[[dict[str, Any]], bool], timeout: float = DEADLINE) -> dict[str, Any]:
        """The first message (already received or still to come) that `accept` takes."""
        for message in self._unclaimed:
            if accept(message):
                self._unclaimed.remove(message)
                return message
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if accept(message):
                return message
            self._unclaimed.append(message)

    # ------------------------------------------------------------------ requests and notifications

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"method": method, **({} if params is None else {"params": params})})

    def request(self, method: str, params: Any, timeout: float = DEADLINE) -> Any:
        """Send a request and wait for its response: the result, or ResponseError."""
        number = next(self._ids)
        self._send({"id": number, "method": method, **({} if params is None else {"params": params})})
        response = self.wait_for(lambda m: m.get("id") == number and "method" not in m, timeout)
        if "error" in response:
            raise ResponseError(response["error"])
        return response.get("result")

    def initialize(self, root: Path, encodings: list[str] | None = None) -> dict[str, Any]:
        """The handshake; `encodings` are the position encodings offered (the default is UTF-16)."""
        capabilities: dict[str, Any] = {"textDocument": {"rename": {"prepareSupport": True}}}
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": encodings}
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                             "capabilities": capabilities})
        self.notify("initialized", {})
        return dict(result)

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict[str, Any]]:
        """The next diagnostics published for `uri` (for `version`, when given)."""
        message = self.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri
                                and (version is None or m["params"].get("version") == version))
        return list(message["params"]["diagnostics"])

    def open(self, path: Path, text: str, version: int = 1) -> str:
        uri = path.as_uri()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": version,
                                                              "text": text}})
        return uri

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def close(self) -> int:
        """Shut the server down as an editor does; its exit status."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", None)
                self.notify("exit")
            return self.process.wait(timeout=DEADLINE)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._stderr.close()


def at(text: str, needle: str, offset: int = 0, occurrence: int = 1) -> dict[str, int]:
    """The LSP position of the `occurrence`-th `needle` in `text`, plus `offset` characters (ASCII text)."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    index += offset
    line = text.count("\n", 0, index)
    return {"line": line, "character": index - (text.rfind("\n", 0, index) + 1)}


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP text edits (single-line ranges in ASCII text), last first, as a client does."""
    lines = text.split("\n")
    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = edit["range"]["start"], edit["range"]["end"]
        assert start["line"] == end["line"]
        line = lines[start["line"]]
        lines[start["line"]] = line[:start["character"]] + edit["newText"] + line[end["character"]:]
    return "\n".join(lines)
