"""How much of a review our claims cover: which abstract and figure sentences no quote holds."""

from __future__ import annotations

from reviewbook.annotations.anchoring import (
    ABSTRACT,
    FIGURE,
    Anchor,
    find_quote,
    text_parts,
)
from reviewbook.annotations.model import Annotations
from reviewbook.model import Article
from reviewbook.sources.sentences import sentence_spans


def anchors_of(annotations: Annotations, article: Article) -> dict[str, Anchor]:
    """Claim id → anchor, for every claim whose quote anchors exactly once."""
    found: dict[str, Anchor] = {}
    for claim in annotations.claims:
        anchors = find_quote(article, claim.quote)
        if len(anchors) == 1:
            found[claim.id] = anchors[0]
    return found


def sentence_units(article: Article) -> list[tuple[str, int, int]]:
    """``(location, start, end)`` of each abstract sentence, figure title and caption sentence."""
    parts = text_parts(article)
    units = [(ABSTRACT, start, end) for start, end in sentence_spans(parts.get(ABSTRACT, ""))]
    for figure in article.figures:
        location = FIGURE + figure.label
        if location not in parts:
            continue
        offset = 0
        if figure.title:
            units.append((location, 0, len(figure.title)))
            offset = len(figure.title) + 1
        units += [(location, offset + s, offset + e) for s, e in sentence_spans(figure.caption)]
    return units


def uncovered_sentences(annotations: Annotations, article: Article) -> list[tuple[str, str]]:
    """``(location, sentence)`` of abstract and figure sentences no claim quotes in full.

    A sentence is covered when every non-space character lies inside some claim's anchored
    quote (one long quote, or several short ones side by side).
    """
    parts = text_parts(article)
    covered: dict[str, set[int]] = {}
    for anchor in anchors_of(annotations, article).values():
        covered.setdefault(anchor.location, set()).update(range(anchor.start, anchor.end))
    missing: list[tuple[str, str]] = []
    for location, start, end in sentence_units(article):
        text = parts[location]
        marks = covered.get(location, set())
        if any(not text[i].isspace() and i not in marks for i in range(start, end)):
            missing.append((location, text[start:end]))
    return missing
