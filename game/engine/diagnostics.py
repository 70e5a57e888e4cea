"""Every diagnostic the loader can give, declared once: code, severity, message, hint and documentation.

A call site names a descriptor (`D.UNKNOWN_KEY`) and passes the values its templates need;
nothing else in the engine writes a code. `docs/diagnostics.md` is generated from this module
(`python -m game.engine.diagnostics_doc`), and a test fails when the two differ, so the
documentation is always the list of what `longarm validate` can print.

The module sits at the top of the engine, beside `limits.py`, because both the runtime (the
condition language reports its own errors) and the loader use it. It imports nothing from the
engine.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Literal

from game.engine import limits


class Severity(str, Enum):
    """An error stops a scenario from loading; a warning does not."""

    ERROR = "error"
    WARNING = "warning"


class Stage(IntEnum):
    """When in reading a file a problem is found; problems are printed in this order.

    A later stage's problem is often the symptom of an earlier one (`got:` for `goto:` is an
    unknown key, and then a choice without `goto`), so the cause comes first.
    """

    READ = 0  # the bytes and the YAML
    SHAPE = 1  # keys that should not be there: unknown, duplicate, tagged, aliased
    VALUE = 2  # missing keys, wrong types, ids, conditions and effects
    REFERENCE = 3  # names and ids that refer to nothing
    STORY = 4  # the scene graph as a whole


Section = Literal["reading", "limits", "keys", "references", "language", "text", "sources", "shared", "story",
                  "check"]

#: The sections of docs/diagnostics.md, in order, with their headings.
SECTIONS: dict[Section, str] = {
    "reading": "Reading the file",
    "limits": "Limits",
    "keys": "Keys and values",
    "references": "References",
    "language": "The condition language (`if`) and effects (`do`)",
    "text": "Text",
    "sources": "Sources and quotes",
    "shared": "Shared files (`include`)",
    "story": "The story as a whole",
    "check": "The knowledge check",
}

_FORMATTER = string.Formatter()

#: Characters shown escaped in messages: they are invisible, or move or hide other text.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})


def is_hidden(char: str) -> bool:
    """True for a character a reader cannot see as itself: controls, format characters, odd spaces."""
    category = unicodedata.category(char)
    return category in _HIDDEN_CATEGORIES or (category == "Zs" and char != " ")


#: Names of the control characters, which `unicodedata` does not name.
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "CHARACTER TABULATION",
                  0x0A: "LINE FEED", 0x0B: "LINE TABULATION", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN",
                  0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def character_name(char: str) -> str:
    """`U+200B ZERO WIDTH SPACE`: a character named so that a reader can find it."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def closest(name: str, known: Collection[str]) -> str | None:
    """The known name closest to a misspelt one, for a "did you mean ...?" hint; None if none is close.

    Args:
        name: the name as written.
        known: the names it could have meant.

    Returns:
        The closest of `known` by `difflib`'s similarity (at least 0.6), or None.
    """
    from difflib import get_close_matches  # only when something is misspelt: not on every game's start

    close = get_close_matches(name, list(known), n=1)
    return close[0] if close else None


def visible(text: str) -> str:
    """The text with every hidden character written as `<U+200B>`, so a message never hides one."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(f"<U+{ord(char):04X}>" if is_hidden(char) else char for char in text)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One kind of problem: its stable code, how bad it is, and how it is worded and documented.

    `message` and `hint` are `str.format` templates; a call site passes every field they name.
    """

    code: str
    severity: Severity
    stage: Stage
    section: Section
    title: str  # the heading in docs/diagnostics.md
    message: str
    hint: str
    doc: str  # Markdown: when it happens and how to fix it

    @property
    def fields(self) -> frozenset[str]:
        """The names the templates need."""
        return frozenset(name for template in (self.message, self.hint)
                         for _, name, _, _ in _FORMATTER.parse(template) if name)

    def words(self, args: Mapping[str, object]) -> tuple[str, str]:
        """The message and hint with `args` filled in, each value shown with hidden characters
        escaped and cut to `MAX_SHOWN` characters (a 5 MB title is not repeated in a message)."""
        shown = {name: _shown(value) for name, value in args.items()}
        return self.message.format_map(shown), self.hint.format_map(shown)


#: The most characters of one value a message shows.
MAX_SHOWN = 500


def _shown(value: object) -> str:
    text = str(value)
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN - 3] + "..."
    return visible(text)


def _error(code: str, stage: Stage, section: Section, title: str, message: str, hint: str, doc: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, stage, section, title, message, hint, doc)


_MB = limits.MAX_FILE_BYTES // 1_048_576


class D:
    """The registry: every diagnostic, by name. Codes are stable; tools and tests rely on them."""

    # ------------------------------------------------------------------ reading the file

    UNREADABLE_FILE = _error(
        "LA001", Stage.READ, "reading", "the file cannot be read",
        "cannot read the file: {reason}", "check the path and that you may read the file",
        "The file does not exist, is a folder, or may not be read.")
    NOT_UTF8 = _error(
        "LA002", Stage.READ, "reading", "not UTF-8 text",
        "the file is not UTF-8 text (is it a binary file?)", "save the scenario as UTF-8 plain text",
        "A binary file or a file in another encoding. The position points at the first byte that is "
        "not UTF-8.")
    YAML_SYNTAX = _error(
        "LA003", Stage.READ, "reading", "YAML syntax error",
        "YAML syntax error: {problem}", "{advice}",
        "The file is not valid YAML, for example `title: Note: this breaks` (a `: ` inside a plain "
        "value), an indentation with tabs, or `scenes: 12` followed by indented keys (a key holds a "
        "value on its own line or indented entries below it, not both). The hint names the usual fix.")
    NO_DOCUMENT = _error(
        "LA004", Stage.READ, "reading", "the file holds no scenario",
        "the file holds no scenario: it is {what}", "start from `longarm new ID`, or copy a shipped scenario",
        "Nothing but white space or comments.")
    TOP_NOT_A_MAPPING = _error(
        "LA005", Stage.READ, "reading", "the top level is not a mapping",
        "a scenario must be a mapping of keys, but this file is {kind}",
        "start with `format: 1` and `id: ...` at the left margin",
        "A scenario starts with keys at the left margin (`format: 1`, `id: ...`), not with a `- ` list "
        "item or a single value.")
    ANCHOR_OR_ALIAS = _error(
        "LA006", Stage.SHAPE, "reading", "anchors, aliases and merge keys are refused",
        "YAML {feature} are not allowed in scenarios{more}",
        "write the value out in full where it is used; quote a value that starts with & or *",
        "`&name`, `*name` and `<<:` are YAML features for repeating content; they are also how "
        "\"alias bombs\" make a small file expand to gigabytes. Write repeated values out in full. A "
        "plain value that starts with `*` or `&` must be quoted. However many there are, one line "
        "reports the first and counts the rest.")
    CONTROL_CHARACTER = _error(
        "LA007", Stage.READ, "reading", "a control character",
        "the file contains a control character, {character}, so it is not plain text",
        "save the scenario as UTF-8 plain text; remove escape sequences copied from a terminal",
        "A control character (such as the escape that starts a terminal colour sequence) anywhere in "
        "the file. Tabs and line breaks are fine.")
    BIDI_CONTROL = _error(
        "LA008", Stage.READ, "reading", "a bidirectional control character",
        "the file contains a bidirectional control character, {character}: text would be shown in "
        "another order than it is written",
        "delete it; right-to-left letters need no control characters",
        "The embedding, override and isolate characters (U+202A to U+202E, U+2066 to U+2069) make a "
        "line display in another order than it is stored, so a title could read differently on "
        "screen from what the validator checked. They are refused everywhere in the file.")
    YAML_TAG = _error(
        "LA009", Stage.SHAPE, "reading", "YAML tags are refused",
        "YAML tags are not allowed in scenarios: '{tag}'",
        "remove the tag; a scenario holds only text, whole numbers, true or false, lists and mappings",
        "A tag (`!!binary`, `!shell`, `!!python/name:...`) asks a YAML reader to build something "
        "other than plain data. Long Arm never builds objects from YAML, but a tagged value would "
        "not mean what it seems, so every tag is refused. Quote a value that starts with `!`.")
    INTERNAL_ERROR = _error(
        "LA099", Stage.READ, "reading", "the file could not be checked",
        "the file could not be checked: {error}",
        "this is a bug in Long Arm: please report it with the file",
        "Something in the file made the loader fail in a way it should never fail. The file is "
        "refused, nothing in it ran, and the message names the failure. Please report it.")

    # ------------------------------------------------------------------ limits

    FILE_TOO_LARGE = _error(
        "LA070", Stage.READ, "limits", "a file too large",
        "the file is {size} MB; scenarios are limited to {limit} MB",
        "split the story into several scenarios",
        f"Scenario files over {_MB} MB are refused before they are read (a source file over {_MB} MB "
        "is LA056). A real story is well under 1 MB.")
    YAML_TOO_DEEP = _error(
        "LA071", Stage.READ, "limits", "YAML nested too deeply",
        "the YAML nests {depth} levels deep here; scenarios are limited to {limit}",
        "check the indentation: a scenario needs 9 levels at most",
        f"Mappings and lists may nest {limits.MAX_YAML_DEPTH} levels deep. The deepest a scenario "
        "needs is 9: `scenes`, a scene, `choices`, a choice, `outcomes`, an outcome, `do`, an effect.")
    EXPRESSION_TOO_DEEP = _error(
        "LA072", Stage.VALUE, "limits", "a condition nested too deeply",
        "in {where}: parentheses and `not` nest more than {limit} deep",
        "write it more simply: `not not x` is `x`, and `and`/`or` need no parentheses of their own",
        f"Parentheses and `not` may nest {limits.MAX_EXPRESSION_DEPTH} deep in one condition. The "
        "position is where the limit is passed.")
    EXPRESSION_TOO_LONG = _error(
        "LA073", Stage.VALUE, "limits", "a condition or effect too long",
        "in {where}: the expression is {length} characters; the limit is {limit}",
        "split it: a flag set by an earlier choice can stand for a long condition",
        f"A condition or an effect may be {limits.MAX_EXPRESSION_CHARS:,} characters long.")
    NUMBER_TOO_LARGE = _error(
        "LA074", Stage.VALUE, "limits", "a number too large",
        "in {where}: {number} is too large; whole numbers in a scenario are limited to {limit}, "
        "positive or negative",
        "stats, weights and minutes are small numbers: use a smaller one",
        f"Every whole number a scenario writes (in conditions, effects, stat ranges, starts, weights "
        f"and minutes) is at most {limits.MAX_NUMBER:,}, positive or negative.")
    TOO_MANY_CHOICES = _error(
        "LA076", Stage.VALUE, "limits", "a scene with too many choices",
        "scene '{scene}' has {count} choices; the limit is {limit}",
        "split the scene: a player cannot read that many choices",
        f"A scene may have {limits.MAX_CHOICES_PER_SCENE} choices.")
    TOO_MANY_OUTCOMES = _error(
        "LA077", Stage.VALUE, "limits", "a choice with too many outcomes",
        "the choice has {count} outcomes; the limit is {limit}",
        "give outcomes weights instead of repeating them",
        f"A random choice may have {limits.MAX_OUTCOMES_PER_CHOICE} outcomes.")
    TEXT_TOO_DEEP = _error(
        "LA075", Stage.VALUE, "limits", "`{if ...}` nested too deeply in text",
        "in {where}: `{{if ...}}` nests more than {limit} deep here",
        "say it with fewer variants, or move a variant into a scene of its own",
        f"Text variants may hold further `{{if ...}}`, {limits.MAX_TEXT_DEPTH} deep at most. The "
        "position is the `{if` that passes the limit.")
    TOO_MANY_INCLUDES = _error(
        "LA078", Stage.VALUE, "limits", "too many shared files",
        "the scenario includes {count} shared files; the limit is {limit}",
        "gather the shared sources, facts and glossary entries into fewer files",
        f"A scenario may include {limits.MAX_INCLUDES} shared files.")
    TOO_MANY_PROBLEMS = _error(
        "LA079", Stage.STORY, "limits", "too many problems",
        "{more} more problems are not shown",
        "fix the ones above first: later ones are often their symptoms",
        f"One file reports at most {limits.MAX_PROBLEMS} problems; this last line counts the rest.")

    # ------------------------------------------------------------------ keys and values

    DUPLICATE_KEY = _error(
        "LA010", Stage.SHAPE, "keys", "duplicate key",
        "duplicate key '{key}' (first defined on line {first_line})",
        "each key may appear once in a mapping: remove or rename one",
        "The same key twice in one mapping, at any depth. YAML libraries usually keep the last one "
        "silently; Long Arm refuses it and names the line of the first.")
    UNKNOWN_KEY = _error(
        "LA011", Stage.SHAPE, "keys", "unknown key",
        "unknown key '{key}' in {where}", "{suggestion}",
        "```\nscenarios/x.yaml:40:5: error LA011: unknown key 'reveal' in scene 'klia'\n"
        "    hint: did you mean 'reveals'?\n```")
    MISSING_KEY = _error(
        "LA012", Stage.VALUE, "keys", "a required key is missing",
        "{where} is missing the key '{key}'", "add `{key}:` to it (docs/authoring.md lists every key)",
        "For example a scene without `title`. When a key is misspelt, the unknown key is reported "
        "first: fix that and this goes too.")
    NOT_A_MAPPING = _error(
        "LA013", Stage.VALUE, "keys", "a mapping was expected",
        "{what} must be a mapping of {entries}, not {found}",
        "write `name: value` lines indented under it",
        "A section such as `scenes:` or `stats:`, or an entry such as a scene or a choice, is given a "
        "single value or a list instead of keys and values.")
    NOT_A_LIST = _error(
        "LA017", Stage.VALUE, "keys", "a list was expected",
        "{what} must be a list, not {found}", "{example}",
        "`choices`, `outcomes`, `do`, `reveals`, `questions` and the other lists are written "
        "`[first, second]` or as `- item` lines below the key.")
    NOT_TEXT = _error(
        "LA018", Stage.VALUE, "keys", "text was expected",
        "{what} must be text, not {found}", "write text, quoted if YAML would read it as something else",
        "A title, a label or an item of a list of texts is given a list, a mapping or nothing.")
    NOT_A_WHOLE_NUMBER = _error(
        "LA019", Stage.VALUE, "keys", "a whole number was expected",
        "{what} must be a whole number, not {found}", "write digits only, e.g. 3 or -2",
        "`minutes: soon`, `max: 2.5`: stats, weights, minutes and `format` are whole numbers.")
    NOT_TRUE_OR_FALSE = _error(
        "LA080", Stage.VALUE, "keys", "true or false was expected",
        "{what} must be true or false, not {found}", "write true or false",
        "`hidden: maybe`: a yes-or-no key takes `true` or `false`.")
    EMPTY_VALUE = _error(
        "LA081", Stage.VALUE, "keys", "an empty value",
        "{what} must not be empty", "write it, or remove the key if it is optional",
        "A title, a text or another required text is empty.")
    EMPTY_LIST = _error(
        "LA082", Stage.VALUE, "keys", "an empty list",
        "{what} needs at least one {item}", "{example}",
        "A choice's `outcomes` or a debrief's `questions` is an empty list.")
    NOT_POSITIVE = _error(
        "LA083", Stage.VALUE, "keys", "a number below 1",
        "{what} must be 1 or more, not {number}", "write the typical play time in whole minutes",
        "`minutes` is the typical play time: 1 or more.")
    KEY_NOT_TEXT = _error(
        "LA084", Stage.SHAPE, "keys", "a key that is not a word",
        "keys in {where} must be plain words, not {found}", "write each key as a plain word before `:`",
        "A key written as a list, a mapping or with `?`: keys and ids are plain words.")
    EMPTY_SECTION = _error(
        "LA085", Stage.VALUE, "keys", "an empty section",
        "the scenario has no {section}", "add at least one under `{section}:`",
        "A scenario needs at least one role, one scene and one ending.")
    BAD_ID = _error(
        "LA014", Stage.VALUE, "keys", "an id that breaks the id rule",
        "{kind} id '{id}' breaks the id rule",
        "ids use lower-case letters a-z and digits, with single hyphens between them, e.g. klia-detention",
        "Ids of the scenario, sources, roles, facts, scenes, endings and choices use lower-case "
        "letters and digits with single hyphens between them: `klia-detention`, `day-2`. No "
        "capitals, spaces, underscores or other letters. `longarm new` and the schema use the same "
        "rule.")
    UNSUPPORTED_FORMAT = _error(
        "LA015", Stage.VALUE, "keys", "unsupported format version",
        "format {version} is not supported; this version of Long Arm reads {supported}",
        "write `format: 2`, or update Long Arm",
        "This version of Long Arm reads `format: 1` and `format: 2`. Format 2 adds text that reacts "
        "to the state (`{if ...}`), arithmetic and `visits()` in the language, state-dependent "
        "outcomes, once-only and fallback choices, and shared files (`include`); a format-1 file "
        "still loads as it always did, and `longarm migrate FILE` rewrites it as format 2.")
    FORMAT_2_FEATURE = _error(
        "LA089", Stage.VALUE, "keys", "a format-2 feature in a format-1 file",
        "{feature} needs `format: 2`, but this file says `format: {version}`",
        "write `format: 2` at the top (`longarm migrate FILE` does it and checks the rest)",
        "Text variants (`{if ...}`), arithmetic (`trust = trust + exposure`), `visits()`, outcome "
        "conditions and weights that depend on the state, `once` and `fallback` choices and "
        "`include` are format 2. A file that uses one must say `format: 2`, so that an older Long "
        "Arm refuses it plainly instead of misreading it.")
    NOT_IN_LIST = _error(
        "LA016", Stage.VALUE, "keys", "a value outside its list",
        "{what} '{value}' is not one of {allowed}", "{suggestion}",
        "`basis` is one of `reported`, `composite`, `invented`; `tone` one of `hopeful`, `mixed`, "
        "`bitter`.")
    HIDDEN_CHARACTER = _error(
        "LA086", Stage.VALUE, "keys", "an invisible character in an id or name",
        "{kind} '{id}' contains an invisible character, {character}",
        "delete it: retype the {kind} by hand",
        "A zero-width space, a non-breaking space or another character that cannot be seen, often "
        "pasted from a web page or a word processor. Messages show it as `<U+200B>`.")
    BAD_NAME = _error(
        "LA087", Stage.VALUE, "keys", "a bad stat or flag name",
        "{kind} name '{name}' must start with a letter and use only a-z, 0-9 and _",
        "conditions read it by name, e.g. `safety >= 2`, so it cannot contain - or spaces",
        "Stat and flag names start with a letter and use only `a-z`, `0-9` and `_`, since conditions "
        "read them by name.")
    RESERVED_NAME = _error(
        "LA088", Stage.VALUE, "keys", "a stat or flag named like a word of the language",
        "'{name}' is a word of the condition language and cannot be a {kind} name", "choose another name",
        "A stat or flag cannot be called `and`, `or`, `not`, `true`, `false`, `role`, `visited` or "
        "`known`.")

    # ------------------------------------------------------------------ references

    UNKNOWN_REFERENCE = _error(
        "LA020", Stage.REFERENCE, "references", "a reference to nothing",
        "there is no {kind} '{name}'", "{suggestion}",
        "A `goto`, role `start`, `reveals`, debrief `facts` or `governments`, fact `source` or role "
        "stat that names an id that does not exist. The hint suggests the closest existing id.")
    DUPLICATE_PLACE = _error(
        "LA021", Stage.VALUE, "references", "a scene or ending id used twice",
        "the id '{id}' is used twice (first on line {first_line})",
        "scenes and endings share one set of ids: rename one",
        "Scenes and endings share one set of ids.")
    DUPLICATE_CHOICE = _error(
        "LA022", Stage.VALUE, "references", "a choice id used twice in a scene",
        "two choices in scene '{scene}' have the id '{id}'",
        "give each choice its own `id:` (a choice's id defaults to its goto target)",
        "Choice ids are unique within their scene, so saves can name them. A choice's id defaults to "
        "its `goto` target, so two choices to the same place need explicit ids.")
    STAT_AND_FLAG = _error(
        "LA023", Stage.VALUE, "references", "a name that is both a stat and a flag",
        "'{name}' is both a stat and a flag", "rename one of them",
        "Conditions read stats and flags by name, so one name cannot be both.")

    # ------------------------------------------------------------------ the condition language

    CONDITION_SYNTAX = _error(
        "LA030", Stage.VALUE, "language", "a condition cannot be read",
        "in {where}: {problem}", "{advice}",
        "Bad syntax, at the exact column: `safety.real` (no attributes), `a && b` (write `and`), "
        "`x = 2` (write `==` to compare), `1 < a < 3` (no chained comparisons), an empty condition, "
        "an `if:` that is not text.")
    UNKNOWN_NAME = _error(
        "LA031", Stage.REFERENCE, "language", "an unknown name or function",
        "in {where}: unknown {kind} '{name}'", "{suggestion}",
        "`safty >= 2` (did you mean `safety`?), `__import__('os')` (the only functions are "
        "`visited()`, `visits()` and `known()`), `visited(nowhere)`, `known(no-such-fact)`, "
        "`role == \"pilot\"`.")
    TYPE_MISMATCH = _error(
        "LA032", Stage.VALUE, "language", "a type mismatch",
        "in {where}: {problem}", "{advice}",
        "Stats are numbers and flags are true or false: `has_footage > 1`, `safety = true`, "
        "`has_footage += 1`, `trust + has_footage`, or a condition that is a number rather than true "
        "or false (`if: story`; write `story > 0`). `visits(place)` is compared with a whole number "
        "and nothing else (`visits(klia) >= 2`), so the exhaustive playtest can count visits up to "
        "that number and no further.")
    EFFECT_SYNTAX = _error(
        "LA033", Stage.VALUE, "language", "an effect cannot be read",
        "in {where}: cannot read the effect {effect}",
        "write `stat += 1`, `stat -= 1`, `stat = 3` or `flag = true`, quoted if YAML reads it as "
        "something else",
        "Effects are `name += amount`, `name -= amount`, `name = value`: for a stat, a whole number or "
        "arithmetic over stats (`trust = trust + exposure`); for a flag, `true` or `false`.")

    # ------------------------------------------------------------------ text

    UNKNOWN_PLACEHOLDER = _error(
        "LA040", Stage.REFERENCE, "text", "a placeholder that is not a stat or flag",
        "in {where}: '{placeholder}' is not a stat or flag", "{suggestion}",
        "`{name}` in scene, ending, choice and locked text shows a stat or flag; `{if ...}` shows "
        "text when a condition holds; anything else in braces is an error (`{safety.__class__}`, "
        "`{saftey}`). The position is the brace itself, on its own line inside a `|` block. Write "
        "`{{` and `}}` for literal braces.")
    TEXT_SYNTAX = _error(
        "LA042", Stage.VALUE, "text", "text variants that cannot be read",
        "in {where}: {problem}", "{advice}",
        "`{if CONDITION: text | if CONDITION: text | else: text}` shows the first branch whose "
        "condition holds. This is a `{if` without its `:` or its closing `}`, a `|` not followed "
        "by `if` or `else:`, or a branch after `else:`. A mistake in the condition itself is "
        "LA030 to LA032, at its column. Inside `{if ...}`, `|` and `}` end a branch, so a literal "
        "`|` cannot be written there; `{{` and `}}` are literal braces everywhere.")
    UNMATCHED_BRACE = _error(
        "LA041", Stage.VALUE, "text", "a lone brace",
        "in {where}: unmatched '{brace}'", "write {{{{ or }}}} for a literal brace",
        "A `{` without its `}`, or the other way round.")

    # ------------------------------------------------------------------ sources and quotes

    SOURCE_OUTSIDE_PROJECT = _error(
        "LA050", Stage.REFERENCE, "sources", "a source file outside the project",
        "the source file '{written}' is outside the project folder ({root})",
        "keep source copies in the project, e.g. ../seeds/name.txt",
        "A source's `file` must lie inside the folder above the scenario's folder, so "
        "`scenarios/x.yaml` may cite `../seeds/y.txt` and nothing further out "
        "(`../../../etc/passwd` is refused).")
    SOURCE_LINK_OUTSIDE_PROJECT = _error(
        "LA054", Stage.REFERENCE, "sources", "a source file reached through a link that leads outside",
        "the source file '{written}' is outside the project folder ({root}): the link {link} was "
        "followed, to {target}",
        "copy the source text into the project instead of linking to it",
        "A link (a symbolic link in `seeds/`, or `seeds/` itself) is followed to where it points, and "
        "that is outside the project. The message names the link and its target.")
    SOURCE_MISSING = _error(
        "LA051", Stage.REFERENCE, "sources", "a source file that does not exist",
        "the source file '{written}' does not exist",
        "looked for {target}; paths are relative to the scenario file",
        "Paths are relative to the scenario file.")
    SOURCE_IS_FOLDER = _error(
        "LA055", Stage.REFERENCE, "sources", "a source file that is a folder",
        "the source file '{written}' is a folder, not a file",
        "name the text file inside it, e.g. {written}/name.txt",
        "A source's `file` names a folder.")
    SOURCE_UNREADABLE = _error(
        "LA056", Stage.REFERENCE, "sources", "a source file that cannot be read",
        "cannot read the source file '{written}': {reason}",
        "save the source as UTF-8 plain text, readable by you",
        "The file exists but is not UTF-8 text, may not be read, or is larger than "
        f"{_MB} MB.")
    QUOTE_NOT_FOUND = _error(
        "LA052", Stage.REFERENCE, "sources", "a quote not found verbatim in its source",
        "the quote is not found verbatim in source '{source}'", "{advice}",
        "Quotes are compared with white space normalised (line breaks and runs of spaces count as one "
        "space), but otherwise letter for letter. The hint shows where the quote and the source part "
        "(`the source has \"citizens\" where the quote has \"nationals\"`), or says when only curly "
        "versus straight quotes differ (the seed uses `’ “ ”`).")
    INCLUDE_ABSOLUTE = _error(
        "LA090", Stage.REFERENCE, "shared", "a shared file named by an absolute path",
        "the shared file '{written}' is an absolute path",
        "name it relative to the scenario, e.g. shared/cambodia-2019.yaml",
        "An `include` is written relative to the scenario file, so that the project works wherever "
        "it is copied.")
    INCLUDE_OUTSIDE_PROJECT = _error(
        "LA091", Stage.REFERENCE, "shared", "a shared file outside the project",
        "the shared file '{written}' is outside the project folder ({root})",
        "keep shared files in the project, e.g. scenarios/shared/",
        "An `include` must lie inside the project: the folder above the scenario's own folder, as "
        "for source files (LA050). `../../elsewhere.yaml` is refused.")
    INCLUDE_LINK_OUTSIDE_PROJECT = _error(
        "LA092", Stage.REFERENCE, "shared", "a shared file reached through a link that leads outside",
        "the shared file '{written}' is outside the project folder ({root}): the link {link} was "
        "followed, to {target}",
        "copy the shared file into the project instead of linking to it",
        "A link on the way to the shared file is followed to where it points, and that is outside "
        "the project. The message names the link and its target, as for source files (LA054).")
    INCLUDE_MISSING = _error(
        "LA093", Stage.REFERENCE, "shared", "a shared file that does not exist",
        "the shared file '{written}' does not exist",
        "looked for {target}; paths are relative to the scenario file",
        "Paths are relative to the scenario file.")
    INCLUDE_UNREADABLE = _error(
        "LA094", Stage.REFERENCE, "shared", "a shared file that cannot be read",
        "cannot read the shared file '{written}': {reason}",
        "a shared file is a UTF-8 YAML file of its own",
        f"The path names a folder or something other than a regular file, or the file may not be "
        f"read, or it is larger than {_MB} MB.")
    NOT_SHARED = _error(
        "LA095", Stage.REFERENCE, "shared", "an include that is not a shared file",
        "'{written}' is not a shared file: {why}",
        "a shared file starts with `format: 2` and `shared: ...`, and holds only sources, facts and "
        "glossary",
        "Only a shared file can be included: a scenario cannot include another scenario.")
    DEFINED_TWICE = _error(
        "LA096", Stage.REFERENCE, "shared", "an id defined in two files",
        "{kind} '{id}' is already defined in {other}",
        "keep one of them: a fact shared by several stories lives in one shared file",
        "A source, fact or glossary entry has one definition, in the scenario or in one of the "
        "files it includes. When the two differ, keep the right one in the shared file and delete "
        "the other.")
    INCLUDED_TWICE = _error(
        "LA097", Stage.VALUE, "shared", "a shared file included twice",
        "'{written}' is included twice", "remove the second",
        "Each shared file is included once.")
    SOURCE_NOT_FINDABLE = _error(
        "LA053", Stage.VALUE, "sources", "a source a reader cannot find",
        "source '{source}' cannot be found by a reader: it has no `url`, `file` or `published` date",
        "give the address it was published at, a local copy, or at least its date",
        "A source needs at least one of `url`, `file` or `published`.")

    # ------------------------------------------------------------------ the story as a whole

    DEAD_END = _error(
        "LA060", Stage.STORY, "story", "a dead end",
        "scene '{scene}' has no choices: a dead end", "add a choice, or move it under `endings:`",
        "A scene with no choices. Add a choice, or move it under `endings:`.")
    UNREACHABLE = Diagnostic(
        "LA061", Severity.WARNING, Stage.STORY, "story", "unreachable",
        "no role can reach the {kind} '{place}'", "add a choice that leads here, or remove it",
        "No role's start leads to this scene or ending by any path.")
    TRAP = _error(
        "LA062", Stage.STORY, "story", "a trap",
        "trap: from scene '{scene}' no ending can ever be reached (its choices lead only to {targets})",
        "give one of these scenes a choice that leads on towards an ending",
        "From this scene no ending can ever be reached, whatever the player chooses (a loop with no "
        "way out). Conditions are ignored here, so this is certain; the playtest tool finds traps "
        "that depend on state.")
    STAT_RANGE_EMPTY = _error(
        "LA063", Stage.VALUE, "story", "a stat whose min is not below its max",
        "stat '{name}' needs min below max (min {low}, max {high})", "swap them, or widen the range",
        "`min` must be below `max`.")
    START_OUTSIDE_RANGE = _error(
        "LA066", Stage.VALUE, "story", "a start outside the stat's range",
        "{who} starts {name} at {start}, outside {low}..{high}", "start it inside its range",
        "Every start (the stat's own and each role's override) lies inside the stat's range.")
    GOTO_OR_OUTCOMES = _error(
        "LA064", Stage.VALUE, "story", "a choice without exactly one of goto and outcomes",
        "a choice needs exactly one of `goto` (where it leads) and `outcomes` (a random branch); "
        "this one has {found}",
        "keep `goto` for a fixed destination, or `outcomes` for a random one",
        "A choice needs exactly one of `goto` and `outcomes`. A misspelt `goto` is reported first as "
        "an unknown key.")
    WEIGHT_BELOW_ONE = _error(
        "LA065", Stage.VALUE, "story", "an outcome weight below 1",
        "an outcome's weight must be 1 or more, not {weight}",
        "the chance of each outcome is its weight over their sum",
        "Weights are whole numbers of 1 or more; the chance of each outcome is its weight over their "
        "sum.")
    LOCKED_WITHOUT_IF = _error(
        "LA067", Stage.VALUE, "story", "`locked` without `if`",
        "`locked` explains a failed `if`, but this choice has no `if`", "add a condition, or remove `locked`",
        "`locked` is the reason shown beside a choice whose condition fails, so it needs an `if`.")
    LOCKED_FALLBACK = _error(
        "LA069", Stage.VALUE, "story", "`locked` on a fallback choice",
        "a fallback choice is shown only when no other choice is open, never locked",
        "remove `locked`, or `fallback`",
        "`fallback: true` makes a choice appear only when every other choice of the scene is "
        "closed, so there is no moment at which its `locked` text could be shown.")
    OUTCOMES_NEED_ID = _error(
        "LA068", Stage.VALUE, "story", "a random choice without an id",
        "a choice with outcomes needs an `id`",
        "saves and class reports name choices by id; without `goto` there is nothing to default to",
        "A choice's id defaults to its `goto` target; a choice with `outcomes` has none, so it needs "
        "its own `id:`.")


    # ------------------------------------------------------------------ the knowledge check

    CHECK_ITEM_COUNT = _error(
        "LA100", Stage.VALUE, "check", "a knowledge check with too few or too many items",
        "the knowledge check has {count}; a check has {low} to {high} items",
        "a check of {low} to {high} items takes students a few minutes before and after play",
        "A `check:` list holds 4 to 8 items: fewer says little about what changed, more tires students "
        "who answer it twice. Leave `check:` out altogether for a scenario without one.")
    CHECK_OPTION_COUNT = _error(
        "LA101", Stage.VALUE, "check", "an item with too few or too many options",
        "item '{item}' has {count}; an item has {low} to {high} options",
        "give it one right answer and one to three plausible wrong ones",
        "Each item of the check offers 2 to 4 options (the game adds \"I don't know\" itself).")
    CHECK_ANSWER_NOT_AN_OPTION = _error(
        "LA102", Stage.REFERENCE, "check", "an answer that is not one of the options",
        "the answer of item '{item}' is not one of its options", "{suggestion}",
        "`answer:` is the right option, written exactly as it is under `options:`, so each item has "
        "exactly one right answer. When an option is reworded, reword the answer too.")
    CHECK_DUPLICATE_ITEM = _error(
        "LA103", Stage.VALUE, "check", "two items with the same id",
        "two items of the knowledge check have the id '{id}' (first on line {first_line})",
        "give each item its own id: results name items by id",
        "Item ids are unique within the check: saves and the class's results name each answer by its "
        "item's id, so that reordering the items never mixes answers up.")
    CHECK_DUPLICATE_QUESTION = _error(
        "LA104", Stage.VALUE, "check", "a question asked twice",
        "item '{item}' asks the same question as item '{other}' (line {first_line})",
        "ask each question once; ask about another fact instead",
        "Two items of the check have the same question (compared ignoring case and white space).")
    CHECK_DUPLICATE_OPTION = _error(
        "LA105", Stage.VALUE, "check", "an option offered twice",
        "item '{item}' offers the option '{option}' twice",
        "each option of an item says something different",
        "Two options of one item are the same (compared ignoring case and white space), so the right "
        "answer would not be one option.")
    CHECK_FACT_UNQUOTED = _error(
        "LA106", Stage.REFERENCE, "check", "an item resting on a fact without a quote",
        "item '{item}' rests on fact '{fact}', which has no quote",
        "pick a fact with a `quote:`, or give this fact the source's own words",
        "The fact behind an item supports its right answer in the source's own words: after the second "
        "check each student sees that quote beside the item. A fact without `quote:` cannot.")
    CHECK_FACT_NOT_IN_DEBRIEF = _error(
        "LA107", Stage.STORY, "check", "an item whose fact no reachable debrief shows",
        "item '{item}' rests on fact '{fact}', which {where}",
        "list the fact in the `facts:` or `governments:` of an ending's debrief that players reach",
        "The check asks after play what the debriefs taught, so the fact behind each item must be in "
        "the `facts:` or `governments:` of at least one ending's debrief, and that ending must be "
        "reachable from a role's start (conditions aside, as for LA061). `longarm playtest` then proves, "
        "with the conditions, that the ending is reached; it lists each item whose endings it could not "
        "reach.")
    CHECK_ANSWER_PATTERN = Diagnostic(
        "LA108", Severity.WARNING, Stage.STORY, "check", "the right answer always in one place",
        "the right answer is option {number} in every item of the knowledge check",
        "move some right answers: a student who spots the pattern answers without knowing",
        "Options are shown in the order they are written, before and after play alike. When the right "
        "answer is in the same place every time, the check measures the pattern, not what was learned.")


#: Every diagnostic, in the order of the registry.
ALL: tuple[Diagnostic, ...] = tuple(value for value in vars(D).values() if isinstance(value, Diagnostic))

#: Each diagnostic by its code.
BY_CODE: dict[str, Diagnostic] = {diagnostic.code: diagnostic for diagnostic in ALL}
