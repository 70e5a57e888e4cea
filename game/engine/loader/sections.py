"""The sections a scenario and a shared file both hold: sources, facts and the glossary.

`SectionReader` reads them from located nodes, checking each source's local copy (inside the
project, found and read by `sourcefiles.py`) and each quote against it, verbatim. The scenario
builder (`build.py`) and the shared-file reader (`shared.py`) both stand on it, so a fact is
checked the same way wherever it is written.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import Node

from game.engine.diagnostics import D
from game.engine.loader.quotes import normalise_space, quote_advice
from game.engine.loader.reader import NodeReader
from game.engine.loader.sourcefiles import Refused, read_source
from game.engine.runtime.model import Fact, Source

SOURCE_KEYS = {"title": True, "publisher": True, "published": False, "url": False, "file": False}
FACT_KEYS = {"text": True, "source": True, "quote": False, "note": False}


class SectionReader(NodeReader):
    """Reads sources, facts and glossary entries of one file; source files are found from it."""

    def __init__(self, path: str, file: Path, text: str, root: Path | None = None) -> None:
        """Args: the path as shown in messages, the file, its text, and the project folder
        (by default, the folder above the file's own)."""
        super().__init__(path, text)
        self.file = file
        self.root = root
        self.source_hashes: dict[str, str] = {}  # every file read, with the hash of its bytes
        self.source_texts: dict[str, str] = {}  # each source file's text, white space normalised

    def sources(self, node: Node | None) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        for key, value in self.entries(node, "sources"):
            source_id = self.id_of(key, "source")
            spec = self.fields(value, SOURCE_KEYS, f"source '{source_id}'")
            if spec is None:
                continue
            file_path = ""
            if "file" in spec:
                file_path = self.source_file(spec["file"])
            url = self.text(spec.get("url"), "url")
            if not any(name in spec for name in ("file", "url", "published")):
                self.report(D.SOURCE_NOT_FINDABLE, key, source=source_id)
            published = spec.get("published")
            sources[source_id] = Source(
                id=source_id,
                title=self.text(spec.get("title"), "title"),
                publisher=self.text(spec.get("publisher"), "publisher"),
                published=self.text(published, "published") if published is not None else "",
                url=url,
                file=file_path,
            )
        return sources

    def source_file(self, node: Node) -> str:
        """The resolved path of a source's local copy, which must lie inside the project."""
        written = self.text(node, "file")
        if not written:
            return ""
        found = read_source(self.file, written, self.root)
        if isinstance(found, Refused):
            self.report(found.diagnostic, node, **found.args)
            return ""
        self.source_texts[str(found.path)] = normalise_space(found.text)
        self.source_hashes[str(found.path)] = found.digest
        return str(found.path)

    def facts(self, node: Node | None, sources: dict[str, Source], otherwise: str = "declare it under `sources:`"
              ) -> dict[str, Fact]:
        facts: dict[str, Fact] = {}
        for key, value in self.entries(node, "facts"):
            fact_id = self.id_of(key, "fact")
            spec = self.fields(value, FACT_KEYS, f"fact '{fact_id}'")
            if spec is None:
                continue
            source_id = self.text(spec.get("source"), "source")
            quote = self.text(spec.get("quote"), "quote")
            if source_id and "source" in spec and self.check_reference(source_id, spec["source"], sources, "source",
                                                                       otherwise):
                source = sources[source_id]
                if quote and source.file:
                    self.check_quote(quote, spec["quote"], source)
            facts[fact_id] = Fact(fact_id, self.text(spec.get("text"), "text"), source_id, quote,
                                  self.text(spec.get("note"), "note"))
        return facts

    def check_quote(self, quote: str, node: Node, source: Source) -> None:
        advice = quote_advice(normalise_space(quote), self.source_texts.get(source.file, ""))
        if advice is not None:
            self.report(D.QUOTE_NOT_FOUND, node, source=source.id, advice=advice)

    def glossary(self, node: Node | None) -> dict[str, str]:
        glossary: dict[str, str] = {}
        for key, value in self.entries(node, "glossary"):
            glossary[str(key.value)] = self.text(value, f"the glossary entry '{key.value}'")
        return glossary
