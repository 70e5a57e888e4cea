"""Reading a scenario's knowledge check (`check:`) and checking it, every problem at its place.

The builder calls `read_check` once the facts and endings are read: it checks the list's shape
(4 to 8 items, each with an id, a question, 2 to 4 options, the answer, and a fact), that nothing
is repeated (item ids, questions, an item's options), that the answer is one of the options, and
that the fact exists, has a quote and is in at least one ending's debrief (`facts:` or
`governments:`). Once the scenario is built and the scene graph checked, `check_reach` adds the
last rule: at least one of those endings can be reached from a role's start. Like the warning
about unreachable places, that reachability ignores conditions; `longarm playtest`, which follows them, lists any item whose
endings its search did not reach (`unsupported_items`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode, SequenceNode

from game.engine.diagnostics import D
from game.engine.loader import graph
from game.engine.loader.reader import NodeReader, describe
from game.engine.loader.yamlsource import NULL_TAG
from game.engine.runtime.knowledge import MAX_ITEMS, MAX_OPTIONS, MIN_ITEMS, MIN_OPTIONS, CheckItem
from game.engine.runtime.model import Ending, Fact, Scenario

#: The keys of one item; all are required.
ITEM_KEYS = {"id": True, "question": True, "options": True, "answer": True, "fact": True}


@dataclass(frozen=True, slots=True)
class ReadCheck:
    """The items read (only those without a problem of their own), and each one's `fact:` node,
    where a problem found later is placed."""

    items: tuple[CheckItem, ...] = ()
    fact_nodes: Mapping[str, Node] = field(default_factory=dict)


def _same(text: str) -> str:
    """Text as compared for repeats: case and runs of white space do not count."""
    return " ".join(text.split()).casefold()


def debriefs_showing(fact_id: str, endings: Mapping[str, Ending]) -> tuple[str, ...]:
    """The ids of the endings whose debrief lists the fact (in `facts:` or `governments:`)."""
    return tuple(ending.id for ending in endings.values()
                 if fact_id in ending.debrief.facts or fact_id in ending.debrief.governments)


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True, slots=True)
class _ReadItem:
    """One item as read: the item (None when it has a problem of its own) and the nodes that
    later messages point at."""

    item: CheckItem | None
    id: str
    id_node: Node | None
    question: str
    question_node: Node | None
    fact_node: Node | None


def read_check(reader: NodeReader, node: Node | None, facts: Mapping[str, Fact],
               endings: Mapping[str, Ending]) -> ReadCheck:
    """The check under `node` (None or `~`: the scenario has none), after reporting every problem."""
    if node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG):
        return ReadCheck()
    if not isinstance(node, SequenceNode):
        reader.report(D.NOT_A_LIST, node, what="check", found=describe(node),
                      example="start each item with `- id: ...` on its own line under `check:`")
        return ReadCheck()
    if not MIN_ITEMS <= len(node.value) <= MAX_ITEMS:
        reader.report(D.CHECK_ITEM_COUNT, node, count=_counted(len(node.value), "item"), low=MIN_ITEMS,
                      high=MAX_ITEMS)
    items: list[CheckItem] = []
    fact_nodes: dict[str, Node] = {}
    ids: dict[str, Node] = {}
    questions: dict[str, tuple[str, Node]] = {}
    for item_node in node.value:
        read = _item(reader, item_node, facts, endings)
        if read.id and read.id_node is not None:
            first = ids.get(read.id)
            if first is not None:
                reader.report(D.CHECK_DUPLICATE_ITEM, read.id_node, id=read.id, first_line=first.start_mark.line + 1)
                continue
            ids[read.id] = read.id_node
        if read.question and read.question_node is not None:
            earlier = questions.get(_same(read.question))
            if earlier is not None:
                reader.report(D.CHECK_DUPLICATE_QUESTION, read.question_node, item=read.id or "?", other=earlier[0],
                              first_line=earlier[1].start_mark.line + 1)
                continue
            questions[_same(read.question)] = (read.id or "?", read.question_node)
        if read.item is not None and read.fact_node is not None:
            items.append(read.item)
            fact_nodes[read.item.id] = read.fact_node
    places = {item.answer for item in items}
    if len(items) == len(node.value) >= MIN_ITEMS and len(places) == 1:
        reader.report(D.CHECK_ANSWER_PATTERN, node, number=items[0].answer + 1)
    return ReadCheck(tuple(items), fact_nodes)


def _item(reader: NodeReader, node: Node, facts: Mapping[str, Fact], endings: Mapping[str, Ending]) -> _ReadItem:
    """One item, read and checked: every key that is there is checked, even when another is
    missing, so one run shows all."""
    before = len(reader.problems) + reader.dropped
    spec = reader.fields(node, ITEM_KEYS, "an item of the knowledge check")
    if spec is None:
        return _ReadItem(None, "", None, "", None, None)
    id_node, question_node, fact_node = spec.get("id"), spec.get("question"), spec.get("fact")
    item_id = reader.text(id_node, "the item's id")
    if item_id and id_node is not None:
        reader.id_of(id_node, "check item", item_id)
    shown = item_name(item_id, node)
    question = reader.text(question_node, "the question")
    options = _options(reader, spec["options"], shown) if "options" in spec else []
    answer = read_answer(reader, spec["answer"], options, shown) if "answer" in spec else None
    fact_id = _fact(reader, fact_node, shown, facts, endings) if fact_node is not None else ""
    item = None
    if len(reader.problems) + reader.dropped == before and answer is not None and fact_id:
        item = CheckItem(item_id, question, tuple(text for text, _ in options), answer, fact_id,
                         node.start_mark.line + 1)
    return _ReadItem(item, item_id, id_node, question, question_node, fact_node)


def item_name(item_id: str, node: Node) -> str:
    """How messages name an item: its id, or its line when it has none yet."""
    return item_id or f"on line {node.start_mark.line + 1}"


def _options(reader: NodeReader, node: Node, item: str) -> list[tuple[str, ScalarNode]]:
    options = reader.text_list(node, "options")
    if isinstance(node, SequenceNode) and not MIN_OPTIONS <= len(node.value) <= MAX_OPTIONS:
        reader.report(D.CHECK_OPTION_COUNT, node, item=item, count=_counted(len(node.value), "option"),
                      low=MIN_OPTIONS, high=MAX_OPTIONS)
    elif isinstance(node, ScalarNode) and node.tag == NULL_TAG:
        reader.report(D.CHECK_OPTION_COUNT, node, item=item, count="no options", low=MIN_OPTIONS, high=MAX_OPTIONS)
    seen: set[str] = set()
    for text, option_node in options:
        if _same(text) in seen:
            reader.report(D.CHECK_DUPLICATE_OPTION, option_node, item=item, option=text)
        seen.add(_same(text))
    return options


def read_answer(reader: NodeReader, node: Node, options: list[tuple[str, ScalarNode]], item: str) -> int | None:
    """The index of the right option; None (after a problem) when the answer is none of them.
    The language server's hover on `answer:` asks this too, so both say the same."""
    written = reader.text(node, "the answer")
    if not written or not options:
        return None
    texts = [text for text, _ in options]
    if written in texts:
        return texts.index(written)
    close = [text for text in texts if _same(text) == _same(written)]
    suggestion = (f"did you mean '{close[0]}'? the answer is written exactly as its option" if close
                  else reader.suggestion(written, texts, "copy the right option's text here exactly"))
    reader.report(D.CHECK_ANSWER_NOT_AN_OPTION, node, item=item, suggestion=suggestion)
    return None


def _fact(reader: NodeReader, node: Node, item: str, facts: Mapping[str, Fact],
          endings: Mapping[str, Ending]) -> str:
    """The fact's id when it exists, has a quote and is in some ending's debrief; else '' after a problem."""
    fact_id = reader.text(node, "fact")
    if not fact_id or not reader.check_reference(fact_id, node, facts, "fact", "declare it under `facts:`"):
        return ""
    if not facts[fact_id].quote:
        reader.report(D.CHECK_FACT_UNQUOTED, node, item=item, fact=fact_id)
        return ""
    if not debriefs_showing(fact_id, endings):
        reader.report(D.CHECK_FACT_NOT_IN_DEBRIEF, node, item=item, fact=fact_id,
                      where="is listed in no ending's debrief")
        return ""
    return fact_id


def check_reach(reader: NodeReader, read: ReadCheck, scenario: Scenario) -> None:
    """Report each item whose fact is listed only in debriefs of endings no role can reach."""
    if not read.items:
        return
    reached = graph.reachable_from([role.start for role in scenario.roles.values()], graph.successors(scenario))
    for item in read.items:
        showing = debriefs_showing(item.fact, scenario.endings)
        if showing and not any(ending in reached for ending in showing):
            named = ", ".join(f"'{ending}'" for ending in showing)
            reader.report(D.CHECK_FACT_NOT_IN_DEBRIEF, read.fact_nodes[item.id], item=item.id, fact=item.fact,
                          where=f"is listed only in the debriefs of endings no role can reach ({named})")


def unsupported_items(scenario: Scenario, reached: set[str]) -> tuple[CheckItem, ...]:
    """The items whose fact no debrief of the `reached` endings lists: for the exhaustive playtest,
    which knows which endings play really reaches."""
    return tuple(item for item in scenario.check
                 if not any(ending in reached for ending in debriefs_showing(item.fact, scenario.endings)))
