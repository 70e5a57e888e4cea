"""Reading typed values out of located YAML nodes, reporting each mistake where it is.

`NodeReader` is what the scenario builder stands on: it reads a mapping's known keys, an
id-keyed section, text, whole numbers, true/false, lists, ids and references, and records a
`Problem` for everything that is not what the format asks, with a position an editor can
underline. An error inside an expression or a text (a condition's unknown name, a placeholder in
a `|` block) is placed on the exact characters, on their own line.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.engine import limits
from game.engine.diagnostics import D, Diagnostic, character_name, closest
from game.engine.loader.ids import first_hidden, is_id, without_hidden
from game.engine.loader.problems import Problem, Span
from game.engine.loader.yamlsource import BOOL_TAG, INT_TAG, NULL_TAG, span_at_offset, span_of
from game.engine.runtime.language import LanguageError, shorten_number


class NodeReader:
    """Reads nodes of one file; `problems` holds what was wrong, at most `limits.MAX_PROBLEMS`."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.yaml_text = text  # the file's text, for positions inside values
        self.problems: list[Problem] = []
        self.dropped = 0  # problems past the limit, counted and not kept

    # ------------------------------------------------------------------ reporting

    @property
    def full(self) -> bool:
        return len(self.problems) >= limits.MAX_PROBLEMS

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems) or self.dropped > 0

    def report(self, diagnostic: Diagnostic, at: Node | Span | None, /, **args: object) -> None:
        """Record a problem at a node (its whole extent) or at a span; `args` fill its templates."""
        if self.full:
            self.dropped += 1
            return
        span = at if isinstance(at, Span) else span_of(at)
        self.problems.append(Problem.of(diagnostic, self.path, span, args))

    def absorb(self, problems: Iterable[Problem], dropped: int = 0) -> None:
        """Keep problems found by another reader (in a shared file), within the same limit."""
        for found in problems:
            if self.full:
                self.dropped += 1
            else:
                self.problems.append(found)
        self.dropped += dropped

    def report_language(self, node: ScalarNode, error: LanguageError, where: str) -> None:
        """Report an error found inside an expression or a text at its own characters."""
        if self.full:
            self.dropped += 1
            return
        span = self.span_in_scalar(node, error.offset, error.length)
        message, hint = error.words(where)
        self.problems.append(Problem(error.diagnostic, self.path, span, message, hint))

    def span_in_scalar(self, node: ScalarNode, offset: int, length: int) -> Span:
        """Where characters `offset`..`offset + length` of a scalar's value are in the file.

        A value is the text as YAML read it: quotes removed, a `|` block's indentation removed,
        a folded value's line breaks made spaces. When the value stands in the file as written
        (a one-line value) the offset maps directly; otherwise the same characters are found in
        the file, counting earlier occurrences so that the right one is chosen. If they cannot
        be found (escapes changed them), the whole value is the place.
        """
        value = str(node.value)
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ('"', "'"):
            body = start + 1
        elif node.style in ("|", ">"):
            body = self.yaml_text.find("\n", start, end) + 1 or end
        else:
            body = start
        if self.yaml_text.startswith(value, body):
            return span_at_offset(self.yaml_text, body + offset, length)
        needle = value[offset:offset + max(length, 1)]
        if needle.strip() == needle and needle:
            position = body - len(needle)
            for _ in range(value.count(needle, 0, offset) + 1):
                position = self.yaml_text.find(needle, position + len(needle), end)
                if position < 0:
                    break
            if position >= 0:
                return span_at_offset(self.yaml_text, position, length)
        return span_of(node)

    def suggestion(self, name: str, known: Collection[str], otherwise: str = "") -> str:
        """'did you mean ...?' for a misspelt name; a hidden character is named instead."""
        if self.full:
            return otherwise
        hidden = first_hidden(name)
        if hidden is not None and without_hidden(name) in known:
            return f"it contains an invisible character, {character_name(hidden)}: delete it"
        close = closest(name, known)
        return f"did you mean '{close}'?" if close else otherwise

    # ------------------------------------------------------------------ mappings

    def fields(self, node: Node, spec: Mapping[str, bool], what: str) -> dict[str, Node] | None:
        """The values of a mapping, after reporting unknown and missing keys."""
        if not isinstance(node, MappingNode):
            self.report(D.NOT_A_MAPPING, node, what=what, entries="keys to values", found=describe(node))
            return None
        values: dict[str, Node] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.report(D.KEY_NOT_TEXT, key, where=what, found=describe(key))
            elif key.value not in spec:
                self.report(D.UNKNOWN_KEY, key, key=key.value, where=what,
                            suggestion=self.suggestion(key.value, spec, f"the keys of {what} are: {', '.join(spec)}"))
            else:
                values[key.value] = value
        for name, required in spec.items():
            if required and name not in values:
                self.report(D.MISSING_KEY, node, where=what, key=name)
        return values

    def entries(self, node: Node | None, what: str) -> Iterator[tuple[ScalarNode, Node]]:
        """The (id node, value node) pairs of an id-keyed mapping such as `scenes:`."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            return
        if not isinstance(node, MappingNode):
            self.report(D.NOT_A_MAPPING, node, what=f"`{what}`", entries="ids to entries", found=describe(node))
            return
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.report(D.KEY_NOT_TEXT, key, where=f"`{what}`", found=describe(key))
                continue
            yield key, value

    # ------------------------------------------------------------------ values

    def text(self, node: Node | None, what: str, default: str = "", allow_empty: bool = False) -> str:
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
            self.report(D.NOT_TEXT, node, what=what, found=describe(node))
            return default
        value = str(node.value).strip()
        if not value and not allow_empty:
            self.report(D.EMPTY_VALUE, node, what=what)
        return value

    def integer(self, node: Node | None, what: str, default: int = 0) -> int:
        """A whole number within `limits.MAX_NUMBER`; YAML's `1_000` is allowed, `0x10` is not."""
        if node is None:
            return default
        if not isinstance(node, ScalarNode) or node.tag != INT_TAG:
            self.report(D.NOT_A_WHOLE_NUMBER, node, what=what, found=describe(node))
            return default
        written = str(node.value).replace("_", "")
        digits = written.lstrip("+-")
        if not digits.isdigit() or not digits.isascii():
            self.report(D.NOT_A_WHOLE_NUMBER, node, what=what, found=describe(node))
            return default
        significant = digits.lstrip("0")
        if len(significant) > len(str(limits.MAX_NUMBER)) or int(significant or "0") > limits.MAX_NUMBER:
            self.report(D.NUMBER_TOO_LARGE, node, where=what, number=shorten_number(digits),
                        limit=f"{limits.MAX_NUMBER:,}")
            return default
        return -int(digits) if written.startswith("-") else int(digits)

    def boolean(self, node: Node | None, what: str) -> bool:
        if node is None:
            return False
        if isinstance(node, ScalarNode) and node.tag == BOOL_TAG:
            return str(node.value).lower() in ("true", "yes", "on")
        self.report(D.NOT_TRUE_OR_FALSE, node, what=what, found=describe(node))
        return False

    def text_list(self, node: Node | None, what: str) -> list[tuple[str, ScalarNode]]:
        """The texts of a list, each with its node; a missing or empty (`~`) list is no texts."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
            return []
        if not isinstance(node, SequenceNode):
            self.report(D.NOT_A_LIST, node, what=what, found=describe(node), example=f"write {what}: [first, second]")
            return []
        items = []
        for item in node.value:
            if isinstance(item, ScalarNode) and item.tag != NULL_TAG and str(item.value).strip():
                items.append((str(item.value).strip(), item))
            else:
                self.report(D.NOT_TEXT, item, what=f"each item of {what}", found=describe(item))
        return items

    # ------------------------------------------------------------------ ids and references

    def id_of(self, node: Node, kind: str, value: str | None = None) -> str:
        """An id as written, after reporting a hidden character in it or a break of the id rule."""
        written = str(node.value) if value is None else value
        hidden = first_hidden(written)
        if hidden is not None:
            self.report(D.HIDDEN_CHARACTER, node, kind=f"{kind} id", id=written, character=character_name(hidden))
        elif not is_id(written):
            self.report(D.BAD_ID, node, kind=kind, id=written)
        return written

    def check_reference(self, value: str, node: Node, known: Collection[str], kind: str, otherwise: str = "") -> bool:
        """True when `value` names one of `known`; else a problem with the nearest id."""
        if value in known:
            return True
        self.report(D.UNKNOWN_REFERENCE, node, kind=kind, name=value,
                    suggestion=self.suggestion(value, known, otherwise))
        return False


def describe(node: Node | None) -> str:
    """What a node is, for "must be text, not ...": `a list`, `the value '12'`."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node is None or node.tag == NULL_TAG:
        return "nothing"
    value = str(node.value)
    return f"the value '{value if len(value) <= 40 else value[:37] + '...'}'"
