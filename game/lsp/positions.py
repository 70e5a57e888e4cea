"""Positions: the index counts characters, the client counts in its own units (UTF-16 by default).

YAML marks and Python strings count characters (code points); LSP clients count UTF-16 code
units unless they agreed on another encoding at start-up. pygls's `PositionCodec` knows which;
`Positions` applies it to one document's lines, both ways.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from game.lsp.index import Span, split_lines


class Positions:
    """Conversions for one version of one document."""

    def __init__(self, text: str, codec: PositionCodec) -> None:
        self.text = text
        self.lines = split_lines(text)
        self.codec = codec

    def line(self, number: int) -> str:
        """A line without its line break ('' past the end)."""
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def to_client(self, line: int, column: int) -> types.Position:
        return types.Position(line=line, character=self.codec.client_num_units(self.line(line)[:column]))

    def from_client(self, position: types.Position) -> tuple[int, int]:
        """(line, column in characters) of a client's position; past the end of a line is its end."""
        text = self.line(position.line)
        units = 0
        for column, char in enumerate(text):
            if units >= position.character:
                return position.line, column
            units += self.codec.client_num_units(char)
        return position.line, len(text)

    def range(self, line: int, start: int, end: int) -> types.Range:
        return types.Range(start=self.to_client(line, start), end=self.to_client(line, end))

    def span(self, span: Span) -> types.Range:
        return self.range(span.line, span.start, span.end)
