"""When two printed references are the same paper: the one definition merge and overlap share.

Two printings are the same paper when they share any key of `paper_keys`: the DOI (in any
case), the PMID, the source (journal key, year, volume, first page) or the folded title with
the year. Merging a page with its PubMed record and finding the papers two reviews both cite
ask the same question, so they answer it here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

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


def paper_keys(reference: Reference | Mapping[str, object]) -> list[PaperKey]:
    """``(kind, key)`` pairs under which this printing meets others of the same paper.

    Takes a `Reference` or a row of a references frame (missing cells as None or ``<NA>``).
    """
    if isinstance(reference, Reference):
        fields = {name: getattr(reference, name) for name in IDENTITY_FIELDS}
    else:
        fields = {name: reference.get(name) for name in IDENTITY_FIELDS}
    value = {name: _text(cell) for name, cell in fields.items()}
    keys: list[PaperKey] = []
    if value["doi"]:
        keys.append(("doi", value["doi"].lower()))
    if value["pmid"]:
        keys.append(("pmid", value["pmid"]))
    source = [value[name] for name in ("journal_key", "year", "volume", "first_page")]
    if all(source):
        keys.append(("source", "|".join(source)))  # type: ignore[arg-type]
    title = _NON_WORD.sub(" ", fold(value["title"] or "")).strip()
    if title and value["year"]:
        keys.append(("title", f"{title}|{value['year']}"))
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
