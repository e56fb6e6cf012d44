"""Split running text into sentences, keeping citation marks with the sentence they close.

A review prints its citations after the full stop as often as before it: ``…metastasis.[12]``,
``…metastasis.12,13`` (superscripts flattened to text), ``…metastasis (12).``. A splitter that
only looks at full stops would hand ``[12]`` to the next sentence. `sentence_spans` is told
where the citation marks are (``attached``) and keeps the marks that follow a sentence's full
stop with that sentence.

What the splitter knows is kept as data: which words end in a full stop without ending a
sentence (`NON_FINAL_WORDS`), what may close a sentence after its full stop (`CLOSERS`), and
what may sit between citation marks (`CITATION_JOINERS`). A sentence ends at ``.``, ``?`` or
``!`` (and its closers) followed by white space and a character that is not a lower-case letter,
or by the end of the text. So a sentence that opens in lower case (``mRNA levels…``,
``β-glucans…``) stays joined to the one before: for citations, a sentence too long is better
than one cut in two.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

NON_FINAL_WORDS: frozenset[str] = frozenset(
    {"e.g", "i.e", "al", "vs", "fig", "figs", "ref", "refs", "approx", "cf", "ca", "resp", "no"}
    | {"dr", "eq", "eqs", "nos", "pp", "prof", "sp", "spp", "ssp", "subsp", "suppl", "var", "viz"}
)
"""Words (lower case, final full stop removed) whose full stop does not end a sentence:
``e.g.``, ``et al.``, ``Fig.``, ``vs.``, ``approx.``, ``ca.``, ``no.``..., as reviews print
them. Single letters (initials: ``J. Smith``) and dotted letters (``U.S.``, ``a.m.``) are
recognised by `_DOTTED_LETTERS` instead."""
TERMINATORS = ".?!"
"""Characters that may end a sentence."""
CLOSERS = "\"'”’»)]"
"""Characters that may follow a sentence's terminator and still belong to it: ``(see above.)``."""
CITATION_OPENERS = "[("
"""Brackets that may open a group of citation marks after a full stop: ``.[12]``."""
CITATION_JOINERS = ",;\u2013\u2014\u2010\u2011\u2012\u2212- \u00a0"
"""What may stand between the citation marks of one group: commas, dashes and spaces."""

_TERMINATOR = re.compile(f"[{re.escape(TERMINATORS)}]")
_DOTTED_LETTERS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
"""A single letter (an initial), or letters each followed by a full stop: ``U.S``, ``a.m``."""
_WORD_EDGE = "\"'“‘([{"


def sentence_spans(
    text: str, attached: Sequence[tuple[int, int]] = ()
) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each sentence of ``text``, in order, white space between them left out.

    ``attached`` are the spans of citation marks in ``text`` (sorted, not overlapping): a group
    of them that follows a sentence's full stop (``.[12]``, ``.1,2``, ``. (3–5)``) ends that
    sentence, provided the next sentence starts after it. Text without a terminator is one
    sentence.
    """
    starts = [start for start, _ in attached]
    spans: list[tuple[int, int]] = []
    begin = _skip_space(text, 0)
    position = begin
    while found := _TERMINATOR.search(text, position):
        position = found.start()
        if _inside_mark(position, attached, starts) or not _ends_here(text, position, starts):
            position += 1
            continue
        close = _after_closers(text, position + 1)
        group_end = _citation_group_end(text, close, attached, starts)
        end = next(
            (edge for edge in (group_end, close) if edge is not None and _starts_next(text, edge)),
            None,
        )
        if end is None:
            position = close
            continue
        spans.append((begin, end))
        begin = position = _skip_space(text, end)
    if begin < len(text.rstrip()):
        spans.append((begin, len(text.rstrip())))
    return tuple(spans)


def sentence_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span of ``spans`` (from `sentence_spans`) holding ``offset``, else the last one that
    starts before it (for an offset in the white space between sentences)."""
    index = bisect.bisect_right([start for start, _ in spans], offset) - 1
    return spans[index] if index >= 0 else (spans[0] if spans else None)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _inside_mark(position: int, attached: Sequence[tuple[int, int]], starts: list[int]) -> bool:
    """Whether the character at ``position`` is inside a citation mark and not its last: a
    sentence never ends within a citation (``145.`` may end one)."""
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and attached[index][1] > position + 1


def _ends_here(text: str, position: int, mark_starts: list[int]) -> bool:
    """Whether the terminator at ``position`` may end a sentence: not the full stop of an
    abbreviation, an initial or a decimal number (``2.5``; but ``Dectin-3.33`` is a full stop
    when ``33`` is a citation mark)."""
    if text[position] != ".":
        return True
    if text[position + 1 : position + 2].isdigit() and text[position - 1 : position].isdigit():
        index = bisect.bisect_left(mark_starts, position + 1)
        if index == len(mark_starts) or mark_starts[index] != position + 1:
            return False
    word_start = text.rfind(" ", 0, position) + 1
    word = text[word_start:position].lstrip(_WORD_EDGE)
    if _DOTTED_LETTERS.fullmatch(word):
        return False
    return word.lower() not in NON_FINAL_WORDS


def _after_closers(text: str, position: int) -> int:
    """Past any further terminators (``?!``, ``...``) and closers after a terminator."""
    while position < len(text) and (text[position] in TERMINATORS or text[position] in CLOSERS):
        position += 1
    return position


def _citation_group_end(
    text: str, position: int, attached: Sequence[tuple[int, int]], starts: list[int]
) -> int | None:
    """The end of a group of citation marks that starts at ``position`` (after white space and
    an opening bracket), with its closing brackets; None when no mark starts there."""
    if not attached:
        return None
    cursor = _skip_space(text, position)
    while cursor < len(text) and text[cursor] in CITATION_OPENERS:
        cursor += 1
    end: int | None = None
    while True:
        index = bisect.bisect_left(starts, cursor)
        if index < len(starts) and starts[index] == cursor:
            end = cursor = attached[index][1]
        elif end is not None and cursor < len(text) and text[cursor] in CITATION_JOINERS:
            cursor += 1
            continue
        else:
            break
    if end is None:
        return None
    while end < len(text) and text[end] in CLOSERS:
        end += 1
    return end


def _starts_next(text: str, position: int) -> bool:
    """Whether a sentence may end at ``position``: the text ends there, or white space follows
    and then a character that is not a lower-case letter."""
    if position >= len(text) or not text[position:].strip():
        return True
    if not text[position].isspace():
        return False
    following = text[_skip_space(text, position)]
    return not following.islower() and following not in ",;:"
