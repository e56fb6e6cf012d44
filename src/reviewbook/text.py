"""Plain-text helpers every layer shares: folding text for matching, keys, sentences."""

from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

JOINED_SEPARATOR = "; "
"""How a table cell joins several items (authors, links, tags, cells, steps)."""

PLAIN_PUNCTUATION: dict[str, str] = {
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "\u00a0": " ",
}
"""Typeset punctuation a reader does not type: curly quotes, en and em dashes, hard spaces."""

LOOKALIKES: dict[str, str] = {"ĸ": "κ"}
"""Characters records print for a letter they look like: the kra (ĸ, U+0138) some publishers
set for the kappa of NF-κB (``NF-ĸB``). Matching reads them as that letter; BibTeX writes it."""

NAME_SUFFIXES: frozenset[str] = frozenset({"Jr", "Sr", "II", "III", "IV", "2nd", "3rd"})
"""What may follow the initials of an NLM name (``Smith JA Jr``)."""
MAX_INITIALS = 4
"""The most initials an NLM name carries (``Janssen LME``)."""

COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""The Unicode blocks of combining marks, which decomposed accented letters carry."""

MARKDOWN_ESCAPES: dict[str, str] = {
    "\\": "&#92;",
    "$": "&#36;",
    **{character: "\\" + character for character in "`*_[]<>|~&"},
}
"""How a character Markdown would read as syntax is written in a line made of data: escaped
with a backslash, except the backslash and the dollar, which JupyterLab and MyST read as
mathematics (``$x$``, ``\\(x\\)``) before Markdown sees any escape: they are written as
character references, which no math finder reads and every Markdown renderer shows."""

_NOT_KEY = re.compile(r"[^a-z0-9]")


def fold(text: str) -> str:
    """Text for matching: lower case, accents dropped, typeset punctuation made plain, letters
    with no accent to drop transliterated (``Ø`` as ``O``, ``ß`` as ``ss``, ``γ`` as ``g``, by
    anyascii), white space collapsed. Filters, quote search, journal keys and citation keys all
    compare so: a reader typing ``Ostergaard`` finds ``Østergaard``, and no letter is lost."""
    if not text.isascii():
        for typeset, plain in (*PLAIN_PUNCTUATION.items(), *LOOKALIKES.items()):
            if typeset in text:  # str.replace per mark is much faster than str.translate
                text = text.replace(typeset, plain)
        text = unicodedata.normalize("NFKD", text)
        text = COMBINING_MARKS.sub("", text)
        if not text.isascii():
            text = "".join(map(_transliterated, text))
    return " ".join(text.casefold().split())


@functools.cache
def _transliterated(character: str) -> str:
    """``character`` in ASCII (anyascii), or itself where anyascii has no spelling for it."""
    return anyascii(character) or character


def is_initials(word: str) -> bool:
    """Whether ``word`` is an NLM name's initials: up to `MAX_INITIALS` capitals of any script
    (``LME``, ``Ł``)."""
    return 0 < len(word) <= MAX_INITIALS and word.isalpha() and word.isupper()


def ascii_key(text: str) -> str:
    """The ASCII letters and digits of the folded text: ``O’Byrne`` gives ``obyrne``."""
    return _NOT_KEY.sub("", fold(text))


def markdown_text(text: str) -> str:
    """``text`` as one line of Markdown that shows it as it is: whitespace collapsed, syntax
    and mathematics escaped (`MARKDOWN_ESCAPES`)."""
    line = " ".join(text.split())
    return "".join(MARKDOWN_ESCAPES.get(character, character) for character in line)
