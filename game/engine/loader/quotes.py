"""Quotes checked against their sources: found verbatim, or the word where they part.

A quote must appear in its source's text letter for letter, with white space normalised (a quote
may wrap over lines differently from its source). When it does not, the author needs to see the
word that differs, not only that something does: the advice aligns the quote's words with the
source's and names the first pair that differ ("citizens" where the quote has "nationals").
"""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

#: The word alignment is skipped (and plainer advice given) when it would compare more pairs of
#: word positions than this: a hostile source of one word repeated cannot make it slow.
ALIGNMENT_BUDGET = 2_000_000

_STRAIGHT_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def normalise_space(text: str) -> str:
    """Collapse runs of white space, so quotes may wrap differently from their source."""
    return " ".join(text.split())


def quote_advice(quote: str, source: str) -> str | None:
    """None when the quote is in the source (both already space-normalised); else what to fix."""
    if quote in source:
        return None
    if quote.translate(_STRAIGHT_QUOTES) in source.translate(_STRAIGHT_QUOTES):
        return "the source uses curly quotes and apostrophes (\u2019 \u201c \u201d): copy them exactly"
    return _first_difference(quote.split(), source.split())


def _first_difference(quote: list[str], source: list[str]) -> str:
    counts = Counter(source)
    if sum(counts[word] for word in quote) > ALIGNMENT_BUDGET:
        return "copy the words exactly as the source has them"
    matcher = SequenceMatcher(None, quote, source, autojunk=False)
    start, at, size = matcher.find_longest_match(0, len(quote), 0, len(source))
    if size == 0:
        return "no word of the quote is in the source: is it the right source?"
    if start + size < len(quote):  # the first difference is just after the matching run
        context = " ".join(quote[max(start, start + size - 4):start + size])
        wanted = quote[start + size]
        if at + size >= len(source):
            return f"the source ends after \"{context}\", where the quote goes on with \"{wanted}\""
        return f"the source has \"{source[at + size]}\" where the quote has \"{wanted}\", after \"{context}\""
    context = " ".join(quote[start:start + 4])  # the run reaches the quote's end: it differs before
    wanted = quote[start - 1]
    if at == 0:
        return f"the source starts with \"{context}\", where the quote has \"{wanted}\" before it"
    return f"the source has \"{source[at - 1]}\" where the quote has \"{wanted}\", before \"{context}\""
