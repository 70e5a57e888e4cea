"""The pygls wiring: document events in, diagnostics out; requests to the feature modules.

Full text sync: on open, change and save the server validates the whole text (the shipped
scenarios take about 10 ms) and publishes every problem. It keeps, per document, the index of
its last text that was valid YAML, so completion still knows the ids while a line is half typed.
Documents that are not scenarios (YAML elsewhere in a project, when an editor starts the server
for every YAML file) get no diagnostics and no completions.
"""

from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from game import __version__
from game.lsp import completion, navigation
from game.lsp.diagnostics import diagnose
from game.lsp.index import ScenarioIndex, build_index
from game.lsp.positions import Positions

_SCENARIO_MARK = re.compile(r"^(format|scenes|endings|shared)\s*:|(scenario|shared)\.schema\.json", re.MULTILINE)


def is_scenario(path: Path, text: str) -> bool:
    """A file in a `scenarios` folder, or one with a scenario's (or a shared file's) top-level keys or
    schema modeline."""
    return "scenarios" in path.parts[:-1] or _SCENARIO_MARK.search(text) is not None


@dataclass
class _Document:
    path: Path
    index: ScenarioIndex | None = None  # from the last text that was valid YAML
    current: bool = False  # the index is of the current text


class LongArmServer(LanguageServer):
    """A language server that remembers each open scenario's index."""

    def __init__(self) -> None:
        super().__init__("longarm", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.documents: dict[str, _Document] = {}

    def positions(self, uri: str) -> Positions:
        document = self.workspace.get_text_document(uri)
        return Positions(document.source, document.position_codec)

    def refresh(self, uri: str) -> None:
        """Re-read a document: rebuild its index and publish its diagnostics."""
        document = self.workspace.get_text_document(uri)
        path = Path(to_fs_path(uri) or Path.cwd() / "untitled.yaml")
        state = self.documents.setdefault(uri, _Document(path))
        text = document.source
        if not is_scenario(path, text):
            state.index, state.current = None, False
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
            return
        index = build_index(text, path)
        state.current = index is not None
        if index is not None:
            state.index = index
        diagnostics = diagnose(text, path, Positions(text, document.position_codec))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version))

    def index_of(self, uri: str, current: bool = False) -> ScenarioIndex | None:
        """The document's index; with `current`, only if it is of the text as it is now."""
        state = self.documents.get(uri)
        if state is None or (current and not state.current):
            return None
        return state.index


def refused(reason: str) -> JsonRpcException:
    """An error response the client shows to the author (LSP's RequestFailed)."""
    return JsonRpcException(reason, code=types.LSPErrorCodes.RequestFailed)


def create_server() -> LongArmServer:
    """A server with every feature registered."""
    server = LongArmServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LongArmServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LongArmServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LongArmServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.refresh(params.text_document.uri)  # source files the quotes are checked against may have changed

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LongArmServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.documents.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[" ", "(", "[", ",", '"', "-"]))
    def complete(ls: LongArmServer, params: types.CompletionParams) -> types.CompletionList | None:
        state = ls.documents.get(params.text_document.uri)
        if state is None or not is_scenario(state.path, ls.workspace.get_text_document(params.text_document.uri).source):
            return None
        positions = ls.positions(params.text_document.uri)
        line, column = positions.from_client(params.position)
        items = completion.complete(state.index, positions, line, column)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LongArmServer, params: types.DefinitionParams) -> types.Location | None:
        uri = params.text_document.uri
        index = ls.index_of(uri, current=True)
        if index is None:
            return None
        positions = ls.positions(uri)
        return navigation.definition(index, positions, uri, *positions.from_client(params.position))

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    def references(ls: LongArmServer, params: types.ReferenceParams) -> list[types.Location]:
        uri = params.text_document.uri
        index = ls.index_of(uri, current=True)
        if index is None:
            return []
        positions = ls.positions(uri)
        line, column = positions.from_client(params.position)
        return navigation.references(index, positions, uri, line, column, params.context.include_declaration)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LongArmServer, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        index = ls.index_of(uri, current=True)
        if index is None:
            return None
        positions = ls.positions(uri)
        return navigation.hover(index, positions, *positions.from_client(params.position))

    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    def prepare_rename(ls: LongArmServer, params: types.PrepareRenameParams) -> types.PrepareRenamePlaceholder:
        uri = params.text_document.uri
        index = ls.index_of(uri, current=True)
        if index is None:
            raise refused("the file is not valid YAML right now: fix the syntax error first, then rename")
        positions = ls.positions(uri)
        try:
            return navigation.prepare_rename(index, positions, *positions.from_client(params.position))
        except navigation.RenameRefused as error:
            raise refused(str(error)) from None

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    def rename(ls: LongArmServer, params: types.RenameParams) -> types.WorkspaceEdit:
        uri = params.text_document.uri
        index = ls.index_of(uri, current=True)
        if index is None:
            raise refused("the file is not valid YAML right now: fix the syntax error first, then rename")
        positions = ls.positions(uri)
        line, column = positions.from_client(params.position)
        try:
            return navigation.rename(index, positions, uri, line, column, params.new_name)
        except navigation.RenameRefused as error:
            raise refused(str(error)) from None

    return server


class _QuietRefusals(logging.Filter):
    """pygls logs every error response with its traceback; a refused rename is not a fault."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, JsonRpcException) and error.code == types.LSPErrorCodes.RequestFailed)


def run() -> int:
    """Serve one editor over standard input and output until it disconnects."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="longarm lsp: %(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_QuietRefusals())
    create_server().start_io()
    return 0
