"""From a suggested statement to a claim of ours, and the decision that keeps it from coming back.

A statements frame (`reviewbook.tables.statements.statements_frame`) suggests, for each citing
sentence of a full text and each cell type it names, the steps and role the words point to.
Accepting one makes a claim quoting the sentence (`claim_from_statement`), which the reader
restates in their own words before it is saved (`own_words_problem`); accepted or rejected,
the decision goes into the annotation file (`statement_decision`,
`reviewbook.annotations.store.decide_statement`), and a decided statement is not offered again.

A row is read by column name (``row["sentence"]``): a row of the frame (a pandas ``Series``) or
a plain mapping with the frame's columns.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from typing import Any

from reviewbook.annotations.anchoring import (
    BOX,
    FIGURE,
    SECTION,
    TABLE,
    AmbiguousQuoteError,
    Quote,
    find_quote,
    text_parts,
)
from reviewbook.annotations.model import ACCEPTED, REJECTED, Claim, StatementDecision
from reviewbook.model import Article
from reviewbook.text import fold

PLACE_KINDS: tuple[str, ...] = (SECTION, TABLE, BOX, FIGURE)
"""The parts a statement's ``section`` may name (``Immune evasion › Neutrophils`` is
``section:Immune evasion › Neutrophils``; ``Table 2`` is ``table:Table 2``)."""
ID_WORDS = 4
"""How many of the sentence's first words a new claim's id takes, after its cell type's."""
OWN_WORDS = "write the claim's statement in your own words"
"""What the reader is told when a statement is empty or copies the sentence."""
_WORD = re.compile(r"[a-z0-9]+")


class StatementNotQuotable(LookupError):
    """The sentence is in no part of the text a claim may quote (a table's cells or
    footnotes, text before the first heading): it can be rejected, not accepted."""


def claim_from_statement(row: Any, article: Article, existing_ids: Collection[str]) -> Claim:
    """The claim a suggested statement becomes: it quotes the sentence where it stands, with
    the suggestion's cell type, steps, role and cited references, under a new id.

    Its ``statement`` is empty: our claims say what the passage claims in our words, which
    the reader writes before saving (`own_words_problem`). Raises `StatementNotQuotable` for
    a sentence that no part of the text holds.
    """
    sentence = str(row["sentence"])
    cell = str(row["cell"])
    quote, location = statement_quote(article, sentence, str(row["section"]))
    return Claim(
        id=new_claim_id(cell, sentence, existing_ids),
        statement="",
        quote=quote,
        location=location,
        cells=(cell,),
        steps=tuple(str(step) for step in _items(row["steps"])),
        role=_text_or_none(row["role"]),
        refs=tuple(dict.fromkeys(int(index) for index in _items(row["references"]))),
    )


def statement_quote(article: Article, sentence: str, section: str) -> tuple[Quote, str]:
    """The quote of ``sentence`` that anchors once, and the part it anchors in.

    The occurrence in the part ``section`` names is taken (the first, if the part has it
    twice), else the first anywhere; words right before it (then right after) are added as
    prefix (suffix) only while the sentence alone occurs more than once.
    """
    anchors = find_quote(article, Quote(sentence))
    if not anchors:
        raise StatementNotQuotable(
            f"{sentence!r} is in no part of the text a claim may quote (its section, "
            f"{section!r}, is not one of them)"
        )
    places = [re.compile(re.escape(kind + section) + r"( \(\d+\))?") for kind in PLACE_KINDS]
    anchor = next(
        (found for found in anchors if any(place.fullmatch(found.location) for place in places)),
        anchors[0],
    )
    if len(anchors) == 1:
        return Quote(sentence), anchor.location
    text = text_parts(article)[anchor.location]
    for prefix, suffix in _contexts(text, anchor.start, anchor.end):
        quote = Quote(sentence, prefix, suffix)
        if len(find_quote(article, quote)) == 1:
            return quote, anchor.location
    raise AmbiguousQuoteError(f"{sentence!r} occurs more than once, context and all", anchors)


def _contexts(text: str, start: int, end: int) -> Iterator[tuple[str, str]]:
    """``(prefix, suffix)`` pairs around ``text[start:end]``, shortest first: a word more of
    prefix at a time, then with the whole prefix, a word more of suffix at a time."""
    starts = [
        position
        for position in range(start - 1, -1, -1)
        if not text[position].isspace() and (position == 0 or text[position - 1].isspace())
    ]
    for position in starts:
        yield text[position:start], ""
    prefix = text[:start]
    ends = [
        position
        for position in range(end + 1, len(text) + 1)
        if not text[position - 1].isspace() and (position == len(text) or text[position].isspace())
    ]
    for position in ends:
        yield prefix, text[end:position]


def new_claim_id(cell: str, sentence: str, existing_ids: Collection[str]) -> str:
    """An id for a claim from a statement, not among ``existing_ids``: the cell type's words
    and the sentence's first `ID_WORDS`, plain lower case (``cd8-t-cell-once-activated-cd8-t``),
    numbered ``-2``, ``-3``... when taken."""
    words = _WORD.findall(fold(cell)) + _WORD.findall(fold(sentence))[:ID_WORDS]
    stem = "-".join(words) or "statement"
    candidate, number = stem, 1
    while candidate in existing_ids:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def statement_decision(row: Any, claim_id: str | None = None) -> StatementDecision:
    """The decision on a row: accepted as the claim ``claim_id``, or rejected without one."""
    decision = REJECTED if claim_id is None else ACCEPTED
    return StatementDecision(str(row["sentence"]), str(row["cell"]), decision, claim_id)


def own_words_problem(statement: str, sentence: str) -> str | None:
    """Why ``statement`` cannot be a claim's statement about ``sentence``, or None: it must
    be written, and not be the sentence itself (compared `fold`-ed: case, quotes, dashes and
    spacing aside)."""
    if not statement.strip():
        return f"{OWN_WORDS} first"
    if fold(statement) == fold(sentence):
        return f"the statement copies the sentence: {OWN_WORDS}"
    return None


def _items(value: object) -> tuple[Any, ...]:
    """A tuple or list cell as a tuple; anything else (a missing value) as ``()``."""
    return tuple(value) if isinstance(value, (tuple, list)) else ()


def _text_or_none(value: object) -> str | None:
    """A text cell, or None for a missing or empty one (``<NA>``, None, ``""``)."""
    return value if isinstance(value, str) and value else None
