"""Counts that say what they were counted over: a line under every figure and table.

Every count over the workbook's references is a count over the part of each review's list the
workbook has. `completeness_note` prints that part under a figure or table, and `count_note`
prints a count together with it, in words built from the data (`tables.completeness`), so a
number over five references never reads like a statistic about a whole bibliography.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from reviewbook.annotations.model import Annotations
from reviewbook.model import Article
from reviewbook.notebook.html import Html
from reviewbook.sources.completion import ReferenceCounts
from reviewbook.tables.completeness import PARTIAL_NAMED, every_one, extent_sentence

Reviews = Article | ReferenceCounts | Iterable[Article | ReferenceCounts]


def completeness_note(reviews: Reviews) -> Html:
    """``Counted over ... references of ...``: what the figure or table above was counted over."""
    text = f"Counted {extent_sentence(reviews)}."
    return Html(f'<p class="reviewbook-extent"><small>{escape(text)}</small></p>', text)


def count_note(label: str, count: int, reviews: Reviews) -> Html:
    """``label: count, counted over ...``: a count with what it was counted over."""
    sentence = f"counted {extent_sentence(reviews)}."
    markup = f'<p class="reviewbook-count">{escape(label)}: <b>{count}</b>, {escape(sentence)}</p>'
    return Html(markup, f"{label}: {count}, {sentence}")


def claims_note(annotations: Iterable[Annotations]) -> Html:
    """``Over the claims of 2 of the 3 reviews; ...``: which reviews a table of our claims
    speaks for, and which have no claim yet (the first `PARTIAL_NAMED`, then how many more)."""
    every = list(annotations)
    unclaimed = [item.pmid for item in every if not item.claims]
    claimed = len(every) - len(unclaimed)
    if every and not unclaimed:
        text = f"Over the claims of {every_one(len(every))} reviews"
    else:
        text = f"Over the claims of {claimed} of the {len(every)} reviews"
    if unclaimed:
        named = ", ".join(f"PMID {pmid}" for pmid in unclaimed[:PARTIAL_NAMED])
        if len(unclaimed) > PARTIAL_NAMED:
            named += f" and {len(unclaimed) - PARTIAL_NAMED} more"
        text += f"; no claim yet on {named}"
    text += "."
    return Html(f'<p class="reviewbook-extent"><small>{escape(text)}</small></p>', text)
