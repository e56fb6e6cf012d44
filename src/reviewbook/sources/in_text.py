"""Resolve the in-text citations of a passage to positions in the reference list.

A reader finds citation marks in a passage (`CitationMark`: where the printed citation sits,
which reference ids it names) and hands them here with what the reference list knows
(`ReferenceIndex`); `resolve_citations` turns them into `Citation` records. It is a pure step
after reading, so each shape publishers print can be tested alone:

- one mark naming one reference, or several (``rid="B2 B3 B4"``);
- a range printed inside one mark whose id names only the first reference
  (``<xref rid="cit0106">106–109</xref>``): the positions follow from the first reference's
  position and the numbers printed (`expand_numbers`);
- a range printed as two marks joined by a dash (``<xref rid="B1">1</xref>-<xref
  rid="B9">9</xref>``): one citation naming every reference from the first to the last;
- author–year citations (``Hites 2004``): the ids alone say what is cited.

Each citation also gets the sentence that carries it (`reviewbook.sources.sentences`), with
marks after a full stop kept with the sentence they close. A mark naming an id that is no
reference, or numbers past the end of the list, becomes a `Problem` with the mark's line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reviewbook.errors import Problem
from reviewbook.model import Citation
from reviewbook.sources.sentences import sentence_at, sentence_spans

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
"""Characters that print a range: hyphen-minus, hyphens, figure dash, en and em dash, minus."""
_NUMBER = r"\d{1,9}[a-z]?"
"""A printed reference number, perhaps with the letter of a sub-reference: ``28b``."""
_RANGE = rf"{_NUMBER}(?:\s*[{DASHES}]\s*{_NUMBER})?"
_NUMBERED = re.compile(rf"[\[(]?\s*{_RANGE}(?:\s*[,;]\s*{_RANGE})*\s*[\])]?\.?")
"""A printed citation of numbers and ranges only: ``12``, ``106–109``, ``[3, 5-7]``, ``145.``"""
_ITEMS = re.compile(rf"(?P<first>{_NUMBER})(?:\s*[{DASHES}]\s*(?P<last>{_NUMBER}))?")
"""One number or range of a numeric citation."""
MAX_RANGE = 10_000
"""The longest printed range expanded: no reference list is longer."""
_SINGLE = re.compile(rf"[\[(]?\s*{_NUMBER}\s*[\])]?\.?")
"""A printed citation of one number: the only kind two dash-joined marks may be."""


@dataclass(frozen=True, slots=True)
class CitationMark:
    """A citation element as a reader found it in a passage, before it is resolved."""

    start: int
    end: int
    """Where its printed text sits in the passage: ``passage[start:end]``."""
    ids: tuple[str, ...]
    """The reference ids it names (``rid``), in order."""
    line: int | None = None
    """Its source line."""


@dataclass(frozen=True, slots=True)
class ReferenceIndex:
    """What resolving needs to know of the reference list."""

    positions: Mapping[str, int]
    """Each reference's 1-based position by its id."""
    count: int
    """How many references the list holds."""


def resolve_citations(
    passage: str, marks: Sequence[CitationMark], index: ReferenceIndex, *, place: str
) -> tuple[tuple[Citation, ...], tuple[Problem, ...]]:
    """The marks of ``passage`` (in order) as citations at ``place``, and what went wrong.

    Two marks of one number each, with only a dash between them, become one citation of the
    whole range. Every mark becomes part of exactly one citation, resolved or not.
    """
    if not marks:
        return (), ()
    spans = sentence_spans(passage, [(mark.start, mark.end) for mark in marks])
    citations: list[Citation] = []
    problems: list[Problem] = []
    position = 0
    while position < len(marks):
        mark = marks[position]
        following = marks[position + 1] if position + 1 < len(marks) else None
        if following is not None and _dash_joined(passage, mark, following):
            group: tuple[CitationMark, ...] = (mark, following)
            references = _joined_range(passage, mark, following, index, problems)
        else:
            group = (mark,)
            references = _references(passage[mark.start : mark.end], mark, index, problems)
        start, end = group[0].start, group[-1].end
        sentence = sentence_at(spans, start) or (start, end)
        citations.append(
            Citation(
                text=passage[start:end],
                references=references,
                sentence=passage[sentence[0] : sentence[1]],
                place=place,
                start=start,
                end=end,
                line=mark.line,
                ids=tuple(reference_id for member in group for reference_id in member.ids),
            )
        )
        position += len(group)
    return tuple(citations), tuple(problems)


def expand_numbers(text: str) -> tuple[int, ...] | None:
    """The numbers a printed numeric citation names, ranges expanded relative to the first:
    ``106–109`` gives ``(0, 1, 2, 3)``, ``3, 5-6`` gives ``(0, 2, 3)``; None for a citation
    that is not only numbers (``Hites 2004``). Offsets, not numbers, so that a range of a
    billion costs nothing until it is cut to the list's length."""
    text = text.strip()
    if not _NUMBERED.fullmatch(text):
        return None
    items = [
        (_number(match["first"]), _number(match["last"] or match["first"]))
        for match in _ITEMS.finditer(text)
    ]
    first = items[0][0]
    return tuple(dict.fromkeys(n - first for low, high in items for n in _bounded(low, high)))


def _bounded(low: int, high: int) -> range:
    """``low`` to ``high`` inclusive, cut at `MAX_RANGE` numbers; empty when descending."""
    return range(low, min(high, low + MAX_RANGE - 1) + 1)


def _number(text: str) -> int:
    return int(text.rstrip("abcdefghijklmnopqrstuvwxyz"))


def _dash_joined(passage: str, first: CitationMark, second: CitationMark) -> bool:
    """Whether two marks print one range: each one number, only a dash between them."""
    between = passage[first.end : second.start].strip()
    return (
        len(between) == 1
        and between in DASHES
        and _SINGLE.fullmatch(passage[first.start : first.end].strip()) is not None
        and _SINGLE.fullmatch(passage[second.start : second.end].strip()) is not None
    )


def _positions(
    mark: CitationMark, text: str, index: ReferenceIndex, problems: list[Problem]
) -> list[int]:
    """The positions of the mark's ids, in order; a Problem for each id that names nothing."""
    found: list[int] = []
    if not mark.ids:
        problems.append(Problem(mark.line, "in-text", f'citation "{text}" names no reference id'))
    for reference_id in mark.ids:
        position = index.positions.get(reference_id)
        if position is None:
            problems.append(
                Problem(
                    mark.line,
                    "in-text",
                    f'citation "{text}" names "{reference_id}", which is no reference of the list',
                )
            )
        else:
            found.append(position)
    return found


def _references(
    text: str, mark: CitationMark, index: ReferenceIndex, problems: list[Problem]
) -> tuple[int, ...]:
    """The positions one mark names: its ids', and the numbers it prints counted on from its
    first id's position."""
    found = _positions(mark, text, index, problems)
    offsets = expand_numbers(text)
    if found and offsets and len(offsets) > 1:
        first = found[0]
        reached = [first + offset for offset in offsets]
        inside = [position for position in reached if 1 <= position <= index.count]
        if len(inside) < len(reached):
            problems.append(
                Problem(
                    mark.line,
                    "in-text",
                    f'citation "{text}" reaches past the reference list '
                    f"({index.count} references): cut to it",
                )
            )
        found.extend(inside)
    return tuple(sorted(set(found)))


def _joined_range(
    passage: str,
    first: CitationMark,
    last: CitationMark,
    index: ReferenceIndex,
    problems: list[Problem],
) -> tuple[int, ...]:
    """The positions two dash-joined marks name: every one from the first mark's reference to
    the last's."""
    text = passage[first.start : last.end]
    low = _positions(first, text, index, problems)
    high = _positions(last, text, index, problems)
    if not low or not high:
        return tuple(sorted(set(low + high)))
    if high[-1] < low[0]:
        problems.append(
            Problem(first.line, "in-text", f'citation "{text}" is a range that runs backwards')
        )
        return tuple(sorted(set(low + high)))
    return tuple(sorted({*low, *high, *range(low[0], high[-1] + 1)}))
