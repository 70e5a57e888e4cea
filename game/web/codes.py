"""Class and teacher codes: what a code may be, making a readable one, and checking a typed one.

A code is 6 to 32 letters, digits and hyphens; letter case never matters (students type on phones).
A made code uses an alphabet without look-alikes (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), in groups of four
split by hyphens: `XXXX-XXXX` for a class (about 10^11 codes) and `XXXX-XXXX-XXXX` for the teacher.
A typed code is compared in constant time, on digests, so neither its content nor its length shows
in how long the answer takes.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

MIN_CODE_CHARS = 6
MAX_CODE_CHARS = 32
CODE_PATTERN = re.compile(rf"^[A-Za-z0-9-]{{{MIN_CODE_CHARS},{MAX_CODE_CHARS}}}$")
#: Letters and digits that cannot be read as one another, on a board or a phone.
READABLE = "ACDEFGHJKMNPQRTUVWXY34679"
CLASS_CODE_GROUPS = 2
TEACHER_CODE_GROUPS = 3


def code_problem(code: str, what: str = "a class code") -> str:
    """Why `code` cannot be used, in one sentence; empty when it can.

    Args:
        code: the code as given on the command line.
        what: its name in the sentence ("a class code", "a teacher code").
    """
    if CODE_PATTERN.match(code):
        return ""
    if len(code) < MIN_CODE_CHARS:
        return f"{what} needs at least {MIN_CODE_CHARS} characters (it is what keeps others out), e.g. HISTORY-9B"
    return f"{what} is {MIN_CODE_CHARS} to {MAX_CODE_CHARS} letters, digits or hyphens, e.g. HISTORY-9B"


def make_code(groups: int = CLASS_CODE_GROUPS) -> str:
    """A random, readable code: `groups` groups of four characters, joined by hyphens."""
    return "-".join("".join(secrets.choice(READABLE) for _ in range(4)) for _ in range(groups))


def normal(code: str) -> str:
    """A code as compared: without surrounding spaces, in capitals."""
    return code.strip().upper()


def code_matches(typed: str, expected: str) -> bool:
    """Whether the typed code is the expected one (any case), in time that does not depend on either."""
    return hmac.compare_digest(hashlib.sha256(normal(typed).encode("utf-8", "replace")).digest(),
                               hashlib.sha256(normal(expected).encode("utf-8")).digest())
