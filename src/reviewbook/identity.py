"""When two printed references are the same paper: the one definition merge and overlap share.

Two printings are the same paper when they share any key of `paper_keys`: the DOI (in any
case), the PMID, the source (journal key, year, volume, first page) or the folded title with
the year. Merging a page with its PubMed record and finding the papers two reviews both cite
ask the same question, so they answer it here.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping

from reviewbook.model import Reference
from reviewbook.text import fold

KEY_KINDS: tuple[str, ...] = ("doi", "pmid", "source", "title")
"""Kinds of identity key, strongest first."""
IDENTITY_FIELDS: tuple[str, ...] = (
    "doi",
    "pmid",
    "journal_key",
    "year",
    "volume",
    "first_page",
    "title",
)
"""The reference fields (or frame columns) the keys are made of."""

PaperKey = tuple[str, str]
_NON_WORD = re.compile(r"[\W_]+")


def _doi_key(doi: str | None) -> str | None:
    return doi.lower() if doi else None


def _pmid_key(pmid: str | None) -> str | None:
    return pmid


def _source_key(
    journal_key: str | None, year: str | None, volume: str | None, first_page: str | None
) -> str | None:
    if journal_key and year and volume and first_page:
        return f"{journal_key}|{year}|{volume}|{first_page}"
    return None


@functools.lru_cache(maxsize=1 << 16)  # a paper is printed again and again; folding is slow
def _title_key(title: str | None, year: str | None) -> str | None:
    folded = _NON_WORD.sub(" ", fold(title)).strip() if title and year else ""
    return f"{folded}|{year}" if folded else None


KEY_RULES: dict[str, tuple[Callable[..., str | None], tuple[str, ...]]] = {
    "doi": (_doi_key, ("doi",)),
    "pmid": (_pmid_key, ("pmid",)),
    "source": (_source_key, ("journal_key", "year", "volume", "first_page")),
    "title": (_title_key, ("title", "year")),
}
"""Per kind of key (in `KEY_KINDS` order), how it is made and from which fields (as text,
None when missing): the one rule `paper_keys` applies to a printing and
`reviewbook.tables.overlap` to a frame's columns."""


def paper_keys(reference: Reference | Mapping[str, object]) -> list[PaperKey]:
    """``(kind, key)`` pairs under which this printing meets others of the same paper.

    Takes a `Reference` or a row of a references frame (missing cells as None or ``<NA>``).
    """
    if isinstance(reference, Reference):
        value = {name: _text(getattr(reference, name)) for name in IDENTITY_FIELDS}
    else:
        value = {name: _text(reference.get(name)) for name in IDENTITY_FIELDS}
    keys: list[PaperKey] = []
    for kind, (rule, names) in KEY_RULES.items():
        key = rule(*(value[name] for name in names))
        if key:
            keys.append((kind, key))
    return keys


def same_paper(
    first: Reference | Mapping[str, object], second: Reference | Mapping[str, object]
) -> bool:
    """Whether two printings share a key of `paper_keys`."""
    return not set(paper_keys(first)).isdisjoint(paper_keys(second))


def _text(cell: object) -> str | None:
    """A field as text; None for a missing value (None, ``<NA>``, NaN) or an empty one."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None
    try:
        if cell != cell:  # pandas' NA (and NaN) are not equal to themselves
            return None
    except TypeError:  # comparing NA raises in boolean context
        return None
    text = str(cell).strip()
    return text or None
