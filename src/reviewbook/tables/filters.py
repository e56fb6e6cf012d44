"""Pick references out of a ``references_frame`` by year, journal, author, words, links and tags.

``filter_references(frame, **filters)`` is the whole idea: a pure function from a frame and
filter values (the fields of `Filters`) to the matching rows, in their original order and with
their original columns and index labels. Every filter is optional, and a missing or empty one
lets every row through:

- ``year_range=(lo, hi)``: years from ``lo`` to ``hi`` inclusive (either end may be None);
  ``include_unknown_year`` keeps references whose year is missing;
- ``journals``: any of these journals, matched through `journal_key`, so ``"Nat Rev Cancer"``
  also finds ``"Nat. Rev. Cancer."``;
- ``author``: part of any one author's name, ignoring case and accents (``"massague"`` finds
  ``"Massagué J"``);
- ``text``: words that must all occur (anywhere, as parts of words) in the title, the journal or
  the printed reference, ignoring case and accents;
- ``links``: any of the link types ``DOI``, ``PMC``, ``PubMed``;
- ``reviews``: any of these citing reviews (``review_pmid``);
- ``tags``: any of these annotation tags, when the frame has a ``tags`` column (items joined
  with `reviewbook.text.JOINED_SEPARATOR`);
- ``sections``: cited in any of these places of a full text (its ``cited_in``: a section's
  title path, ``Table 2``, ``Box``...), and ``min_times_cited``: cited at least this often
  (its ``times_cited``), when the frame's reviews were read with their full text (a reference
  of a review without one has neither, and passes neither).

Filtering a large frame again and again (as a widget does on every keystroke) should not redo
the text folding each time: `ReferenceIndex` folds every column once, and remembers the last mask
of each filter, so a change to one filter recomputes only that filter.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from reviewbook.model import LINK_LABELS
from reviewbook.sources.citation import journal_key
from reviewbook.text import JOINED_SEPARATOR, fold

# --- knowledge: the filters, separators ------------------------------------------------------

FIELD_BREAK = "\x00"
"""Joins the items of one row, so a search never matches across two of them (not whitespace,
so `fold` keeps it)."""

TEXT_COLUMNS: tuple[str, ...] = ("title", "journal", "raw")
"""Columns the free-text filter searches."""

YearRange = tuple[int | None, int | None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Filters:
    """The filter values of `filter_references`, `ReferenceIndex` and the explorer.

    Every field is optional; a missing or empty one lets every row through (see the module doc).
    """

    year_range: YearRange | None = None
    include_unknown_year: bool = True
    journals: Collection[str] | None = None
    author: str | None = None
    text: str | None = None
    links: Collection[str] | None = None
    reviews: Collection[str | int] | None = None
    tags: Collection[str] | None = None
    sections: Collection[str] | None = None
    min_times_cited: int | None = None

    def updated(self, **keywords: Any) -> Filters:
        """A copy with the named filters changed; a name that is no filter is a ``TypeError``."""
        check_filter_names(keywords)
        return dataclasses.replace(self, **keywords) if keywords else self

    def keywords(self) -> dict[str, Any]:
        """The filters as keywords of `filter_references`, in field order."""
        return {name: getattr(self, name) for name in FILTER_NAMES}


FILTER_NAMES: tuple[str, ...] = tuple(field.name for field in dataclasses.fields(Filters))
"""The fields of `Filters` (keywords of `filter_references`), in the order the explorer shows."""


def check_filter_names(names: Iterable[str]) -> None:
    """Raise ``TypeError`` naming every one of ``names`` that is not a field of `Filters`."""
    unknown = set(names) - set(FILTER_NAMES)
    if unknown:
        raise TypeError(f"unknown filter {sorted(unknown)}; filters are {FILTER_NAMES}")


def split_joined(cell: object) -> tuple[str, ...]:
    """The items of a `JOINED_SEPARATOR`-joined cell; a missing cell has none."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return ()
    return tuple(item.strip() for item in str(cell).split(JOINED_SEPARATOR) if item.strip())


# --- the index ------------------------------------------------------------------------------


class ReferenceIndex:
    """A references frame with its filterable columns folded once, ready for repeated filters."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.size = len(frame)
        years = (
            pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
            if "year" in frame.columns
            else np.full(self.size, np.nan)
        )
        self.year_known: np.ndarray = ~np.isnan(years)
        self.years: np.ndarray = np.where(self.year_known, years, 0).astype(np.int64)
        journals = strings(frame, "journal")
        keys_by_name = _each_distinct(journals, journal_key)
        self.journal_keys: list[str] = [
            key or keys_by_name(name)
            for key, name in zip(strings(frame, "journal_key"), journals, strict=True)
        ]
        self.journal_codes, self.journal_uniques = _factorize(self.journal_keys)
        self.review_pmids: list[str] = strings(frame, "review_pmid")
        self.review_codes, self.review_uniques = _factorize(self.review_pmids)
        link_codes, link_cells = _factorize(strings(frame, "links"))
        linked = [set(split_joined(cell)) for cell in link_cells]
        self.link_masks: dict[str, np.ndarray] = {
            label: np.array([label in links for links in linked], dtype=bool)[link_codes]
            for label in LINK_LABELS
        }
        self.has_tags = "tags" in frame.columns
        tags_of = _each_distinct(strings(frame, "tags"), lambda cell: frozenset(split_joined(cell)))
        self.row_tags: list[frozenset[str]] = [tags_of(cell) for cell in strings(frame, "tags")]
        places_of = _each_distinct(
            strings(frame, "cited_in"), lambda cell: frozenset(split_joined(cell))
        )
        self.row_places: list[frozenset[str]] = [
            places_of(cell) for cell in strings(frame, "cited_in")
        ]
        self.times_cited: np.ndarray = np.full(self.size, np.nan)
        if "times_cited" in frame.columns:
            times = pd.to_numeric(frame["times_cited"], errors="coerce").astype("Float64")
            self.times_cited = times.to_numpy("float64", na_value=np.nan)
        self.has_citing = bool((~np.isnan(self.times_cited)).any())
        """Whether the frame says where and how often a full text cites its references."""
        self._memo: dict[str, tuple[Any, np.ndarray | None]] = {}

    @functools.cached_property
    def author_haystacks(self) -> list[str]:
        """Each row's authors folded, names apart: folded on the first search by author."""
        return [
            fold(cell).replace(JOINED_SEPARATOR, FIELD_BREAK)
            for cell in strings(self.frame, "authors")
        ]

    @functools.cached_property
    def text_haystacks(self) -> list[str]:
        """Each row's `TEXT_COLUMNS` folded, fields apart: folded on the first search by text."""
        columns = (strings(self.frame, column) for column in TEXT_COLUMNS)
        return [fold(FIELD_BREAK.join(values)) for values in zip(*columns, strict=True)]

    # --- one mask per filter; None means "no filter" ------------------------------------------

    def year_mask(
        self, year_range: YearRange | None, include_unknown_year: bool = True
    ) -> np.ndarray | None:
        """Rows whose year is in ``year_range`` (inclusive), plus unknown years if asked."""
        low, high = year_range if year_range is not None else (None, None)
        if low is None and high is None and include_unknown_year:
            return None
        inside = self.year_known.copy()
        if low is not None:
            inside &= self.years >= int(low)
        if high is not None:
            inside &= self.years <= int(high)
        return inside | ~self.year_known if include_unknown_year else inside

    def journal_mask(self, journals: Iterable[str] | None) -> np.ndarray | None:
        """Rows from any of ``journals``, compared by `journal_key`."""
        keys = {journal_key(name) for name in journals or ()}
        if not keys:
            return None
        codes = [code for code, key in enumerate(self.journal_uniques) if key in keys]
        return np.isin(self.journal_codes, codes)

    def author_mask(self, author: str | None) -> np.ndarray | None:
        """Rows with an author whose name contains ``author``, ignoring case and accents."""
        needle = fold(author or "").replace(FIELD_BREAK, "")
        if not needle:
            return None
        return np.fromiter(
            (needle in haystack for haystack in self.author_haystacks), dtype=bool, count=self.size
        )

    def text_mask(self, text: str | None) -> np.ndarray | None:
        """Rows whose title, journal or printed text contains every word of ``text``."""
        words = sorted(set(fold(text or "").replace(FIELD_BREAK, "").split()), key=len)
        if not words:
            return None
        haystacks = self.text_haystacks
        rows = range(self.size)
        for word in reversed(words):  # longest first: it usually rules out the most rows
            rows = [row for row in rows if word in haystacks[row]]
        mask = np.zeros(self.size, dtype=bool)
        mask[rows] = True
        return mask

    def link_mask(self, links: Iterable[str] | None) -> np.ndarray | None:
        """Rows linked to any of ``links`` (``DOI``, ``PMC``, ``PubMed``)."""
        labels = set(links or ())
        if not labels:
            return None
        unknown = labels - set(LINK_LABELS)
        if unknown:
            raise ValueError(f"unknown link type {sorted(unknown)}; choose from {LINK_LABELS}")
        return np.logical_or.reduce([self.link_masks[label] for label in labels])

    def review_mask(self, reviews: Iterable[str | int] | None) -> np.ndarray | None:
        """Rows cited by any of ``reviews`` (PMIDs, as text or numbers)."""
        pmids = {str(pmid) for pmid in reviews or ()}
        if not pmids:
            return None
        codes = [code for code, pmid in enumerate(self.review_uniques) if pmid in pmids]
        return np.isin(self.review_codes, codes)

    def tag_mask(self, tags: Iterable[str] | None) -> np.ndarray | None:
        """Rows carrying any of ``tags``; asking for tags of a frame without them is an error."""
        wanted = {tag.strip() for tag in tags or () if tag.strip()}
        if not wanted:
            return None
        if not self.has_tags:
            raise ValueError("this references frame has no 'tags' column to filter on")
        return np.fromiter(
            (not wanted.isdisjoint(row) for row in self.row_tags), dtype=bool, count=self.size
        )

    def section_mask(self, sections: Iterable[str] | None) -> np.ndarray | None:
        """Rows cited in any of ``sections`` (places of ``cited_in``)."""
        wanted = {section.strip() for section in sections or () if section.strip()}
        if not wanted:
            return None
        if not self.has_citing:
            raise ValueError("this references frame has no 'cited_in' values to filter on")
        return np.fromiter(
            (not wanted.isdisjoint(row) for row in self.row_places), dtype=bool, count=self.size
        )

    def times_cited_mask(self, least: int | None) -> np.ndarray | None:
        """Rows the text cites at least ``least`` times; 0 or None is no filter."""
        if not least:
            return None
        if not self.has_citing:
            raise ValueError("this references frame has no 'times_cited' values to filter on")
        return np.nan_to_num(self.times_cited, nan=-1) >= int(least)

    # --- all filters at once --------------------------------------------------------------------

    def mask(self, filters: Filters | None = None, **keywords: Any) -> np.ndarray:
        """One boolean per row: does it pass every filter given (a `Filters`, or its fields)?"""
        chosen = (filters or Filters()).updated(**keywords)
        year = None if chosen.year_range is None else tuple(chosen.year_range)
        unknown = bool(chosen.include_unknown_year)
        journals, author, text = chosen.journals, chosen.author, chosen.text
        links, reviews, tags = chosen.links, chosen.reviews, chosen.tags
        sections, least = chosen.sections, chosen.min_times_cited
        parts = (
            self._remember("year", (year, unknown), lambda: self.year_mask(year, unknown)),
            self._remember("journals", _key(journals), lambda: self.journal_mask(journals)),
            self._remember("author", author or "", lambda: self.author_mask(author)),
            self._remember("text", text or "", lambda: self.text_mask(text)),
            self._remember("links", _key(links), lambda: self.link_mask(links)),
            self._remember("reviews", _key(reviews), lambda: self.review_mask(reviews)),
            self._remember("tags", _key(tags), lambda: self.tag_mask(tags)),
            self._remember("sections", _key(sections), lambda: self.section_mask(sections)),
            self._remember("times", least or 0, lambda: self.times_cited_mask(least)),
        )
        active = [part for part in parts if part is not None]
        if not active:
            return np.ones(self.size, dtype=bool)
        return np.logical_and.reduce(active) if len(active) > 1 else active[0].copy()

    def filter(self, filters: Filters | None = None, **keywords: Any) -> pd.DataFrame:
        """The rows passing ``filters`` (or the filters named by ``keywords``), in frame order."""
        return self.frame.iloc[np.flatnonzero(self.mask(filters, **keywords))]

    def _remember(
        self, name: str, key: object, compute: Callable[[], np.ndarray | None]
    ) -> np.ndarray | None:
        """``compute()``, unless the same filter had the same value last time: then its mask."""
        remembered = self._memo.get(name)
        if remembered is not None and remembered[0] == key:
            return remembered[1]
        result = compute()
        self._memo[name] = (key, result)
        return result


def filter_references(
    frame: pd.DataFrame, filters: Filters | None = None, **keywords: Any
) -> pd.DataFrame:
    """The rows of a ``references_frame`` that pass every filter given (see the module doc).

    Give the filters as a `Filters` value, as keywords (``year_range=(2000, None)``), or both:
    keywords change the named fields of ``filters``.
    """
    return ReferenceIndex(frame).filter(filters, **keywords)


# --- helpers ----------------------------------------------------------------------------------


def strings(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as text, one string per row: missing cells (or a missing column) as ""."""
    if column not in frame.columns:
        return [""] * len(frame)
    values = frame[column]
    if not isinstance(values.dtype, pd.StringDtype):
        values = values.astype("string")
    return values.to_numpy(dtype=object, na_value="").tolist()


def _each_distinct(values: list[str], convert: Callable[[str], T]) -> Callable[[str], T]:
    """``convert`` computed once per distinct value of ``values``, looked up for the rest."""
    converted = {value: convert(value) for value in dict.fromkeys(values)}
    return lambda value: converted[value] if value in converted else convert(value)


def _factorize(values: list[str]) -> tuple[np.ndarray, list[str]]:
    """Integer codes for ``values`` and the distinct values in order of first appearance."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    return codes, [str(value) for value in uniques]


def _key(items: Iterable[object] | None) -> frozenset[str]:
    """A collection filter as a memo key: its distinct items as text, order ignored."""
    return frozenset(str(item) for item in items or ())
