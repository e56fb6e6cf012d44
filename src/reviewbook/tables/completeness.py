"""How much of each review's reference list a count was made over, as a table and as words.

A saved PubMed page shows only the first references of a review; a PubMed XML record lists
them all. Any count over the references (per year, per journal, papers two reviews share) is
therefore a count over *the part the workbook has*. `completeness_frame` tabulates that part
per review, and `extent_sentence` says it in one sentence a notebook prints beside a count, so
the caveat comes from the data (`sources.completion.reference_counts`), never from prose.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from reviewbook.model import Article
from reviewbook.sources.completion import LIST_ORIGINS, ReferenceCounts, reference_counts

COMPLETENESS_COLUMNS: tuple[str, ...] = (
    "review_pmid",
    "references shown",
    "the review has",
    "complete",
    "with a PMID, DOI or PMCID",
    "list read from",
)
"""The columns of `completeness_frame`, each number labelled with what it counts."""
PARTIAL_NAMED = 5
"""How many partial lists a sentence over many reviews names before saying how many more."""
LARGER = "counts over the whole {lists} can only be larger"
"""What a count over a partial list means for the count over the whole one."""


def as_counts(review: Article | ReferenceCounts) -> ReferenceCounts:
    """A review's `ReferenceCounts`, computed from the review when given the review itself."""
    return review if isinstance(review, ReferenceCounts) else reference_counts(review)


def counts_of(
    reviews: Article | ReferenceCounts | Iterable[Article | ReferenceCounts],
) -> list[ReferenceCounts]:
    """One review's counts or many reviews', as a list."""
    if isinstance(reviews, (Article, ReferenceCounts)):
        return [as_counts(reviews)]
    return [as_counts(review) for review in reviews]


def review_has(counts: ReferenceCounts) -> str:
    """How many references the review has: ``49``, or ``at least 5`` when the list is partial."""
    return str(counts.total) if counts.total is not None else f"at least {counts.at_least}"


def list_origin(counts: ReferenceCounts) -> str:
    """What the list was read from, e.g. ``the saved page, which shows only the first 5``."""
    return LIST_ORIGINS[counts.origin].format(shown=counts.shown)


def completeness_frame(
    reviews: Article | ReferenceCounts | Iterable[Article | ReferenceCounts],
) -> pd.DataFrame:
    """One row per review: references shown, how many the review has, how many are complete
    (authors, title, journal, year) and linkable, and what the list was read from."""
    rows = [
        (
            counts.pmid,
            counts.shown,
            review_has(counts),
            counts.complete,
            counts.linked,
            list_origin(counts),
        )
        for counts in counts_of(reviews)
    ]
    columns = list(COMPLETENESS_COLUMNS)
    frame = pd.DataFrame(rows, columns=columns)
    numbers = {"references shown", "complete", "with a PMID, DOI or PMCID"}
    return frame.astype({name: "Int64" if name in numbers else "string" for name in columns})


def extent_phrase(counts: ReferenceCounts) -> str:
    """How much of one review's list there is: ``all 49`` or ``5 of at least 5``."""
    if not counts.is_partial:
        return f"all {counts.shown}"
    return f"{counts.shown} of {review_has(counts)}"


def extent_sentence(
    reviews: Article | ReferenceCounts | Iterable[Article | ReferenceCounts],
) -> str:
    """What a count over these reviews' references was made over, in words from the data.

    One review: ``over 5 of at least 5 references of PMID 29037250: the saved page, which shows
    only the first 5; counts over the whole list can only be larger``. Several: the total, how
    many lists are partial and which (the first `PARTIAL_NAMED`).
    """
    every = counts_of(reviews)
    if len(every) == 1:
        [counts] = every
        where = f"references of PMID {counts.pmid}" if counts.pmid else "references"
        if not counts.is_partial:
            return f"over {extent_phrase(counts)} {where} ({list_origin(counts)})"
        return f"over {extent_phrase(counts)} {where}: {list_origin(counts)}; " + LARGER.format(
            lists="list"
        )
    shown = sum(counts.shown for counts in every)
    partial = [counts for counts in every if counts.is_partial]
    total = f"over {shown} references of {len(every)} reviews"
    if not partial:
        return f"{total}, every list whole"
    named = "; ".join(
        f"PMID {counts.pmid or 'unknown'}: {extent_phrase(counts)}"
        for counts in partial[:PARTIAL_NAMED]
    )
    more = len(partial) - PARTIAL_NAMED
    if more > 0:
        named += f"; and {more} more"
    if len(partial) == len(every):
        which = f"{every_one(len(every))} lists are"
    else:
        verb = "is" if len(partial) == 1 else "are"
        which = f"{len(partial)} of the {len(every)} lists {verb}"
    return f"{total}; {which} partial ({named}); " + LARGER.format(lists="lists")


def every_one(count: int) -> str:
    """``both`` for two, ``all 3`` for more: a phrase for every one of ``count`` things."""
    return "both" if count == 2 else f"all {count}"
