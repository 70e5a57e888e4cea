"""The secrets a browser carries: the cookie that names a student or a teacher, and form tokens.

- A cookie is `secrets.token_urlsafe(32)` (256 random bits). The server keeps only its SHA-256
  (`token_hash`), so the results file cannot be used to act as a student.
- A form token is an HMAC of the cookie with the server's secret (kept in the results file, so a
  restarted server accepts the forms it served before). A form sent without the token of the
  cookie that comes with it is refused.
- The join and teacher-login forms come before any cookie: their token is a signed time, so a POST
  must come from a form this server handed out in the last `PAGE_TOKEN_SECONDS`.
- The teacher's cookie is signed, not stored: a time, a random nonce and an HMAC of both with the
  class code. Every node has the secret (from the results store), so every node knows the teacher,
  for `TEACHER_COOKIE_SECONDS`, and a cookie of one class is no good for another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Literal

#: Whose forms a token is for: a student's or the teacher's (cookie-bound), or a form shown before
#: any cookie (joining, the teacher's login). A token made for one purpose is no good for another.
FormPurpose = Literal["student", "teacher"]
PagePurpose = Literal["join", "teacher-login"]

#: How long a join or login form stays valid.
PAGE_TOKEN_SECONDS = 12 * 3600
#: How long the teacher stays signed in (a school day).
TEACHER_COOKIE_SECONDS = 12 * 3600


def new_token() -> str:
    """A new cookie value: 256 random bits."""
    return secrets.token_urlsafe(32)


def new_secret() -> str:
    """A new server secret (hex), made once per results file."""
    return secrets.token_hex(32)


def token_hash(token: str) -> str:
    """What the server keeps of a cookie: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _mac(secret: bytes, message: str) -> str:
    return hmac.new(secret, message.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def form_token(secret: bytes, purpose: FormPurpose, cookie: str) -> str:
    """The token the forms of the holder of `cookie` carry.

    Args:
        secret: the server's secret.
        purpose: "student" or "teacher": a token of one is no good for the other.
        cookie: the holder's cookie value.
    """
    return _mac(secret, f"{purpose}:{cookie}")


def form_token_ok(secret: bytes, purpose: FormPurpose, cookie: str, sent: str) -> bool:
    """Whether `sent` is the form token of `cookie` (compared in constant time)."""
    return hmac.compare_digest(form_token(secret, purpose, cookie).encode(), sent.encode("utf-8", "replace"))


def page_token(secret: bytes, purpose: PagePurpose, now: float | None = None) -> str:
    """A token for a form shown before any cookie (join, teacher login): a signed time."""
    stamp = str(int(time.time() if now is None else now))
    return f"{stamp}.{_mac(secret, f'{purpose}@{stamp}')}"


def page_token_ok(secret: bytes, purpose: PagePurpose, sent: str, now: float | None = None) -> bool:
    """Whether `sent` is a page token this server made for `purpose`, less than PAGE_TOKEN_SECONDS old."""
    stamp, _, mac = sent.partition(".")
    if not stamp.isdigit() or len(stamp) > 12:
        return False
    age = (time.time() if now is None else now) - int(stamp)
    expected = _mac(secret, f"{purpose}@{stamp}")
    return hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace")) and -60 <= age <= PAGE_TOKEN_SECONDS


def teacher_cookie(secret: bytes, class_code: str, now: float | None = None) -> str:
    """A new teacher's cookie for `class_code`: a signed time and nonce."""
    stamp = str(int(time.time() if now is None else now))
    nonce = secrets.token_urlsafe(16)
    return f"{stamp}.{nonce}.{_mac(secret, f'teacher-cookie:{class_code.strip().upper()}:{stamp}:{nonce}')}"


def teacher_cookie_ok(secret: bytes, class_code: str, cookie: str, now: float | None = None) -> bool:
    """Whether `cookie` is a teacher's cookie this class's servers made, less than TEACHER_COOKIE_SECONDS old."""
    stamp, _, rest = cookie.partition(".")
    nonce, _, mac = rest.partition(".")
    if not stamp.isdigit() or len(stamp) > 12 or not nonce:
        return False
    age = (time.time() if now is None else now) - int(stamp)
    expected = _mac(secret, f"teacher-cookie:{class_code.strip().upper()}:{stamp}:{nonce}")
    return hmac.compare_digest(expected.encode(), mac.encode("utf-8", "replace")) and -60 <= age <= TEACHER_COOKIE_SECONDS
